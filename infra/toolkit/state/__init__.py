"""Pulumi state read offline: stack exports, DIY backend checkpoints (files, gzip, S3) as plans.

`read_state_plan(location)` is the one entry point readers need; the modules hold the shapes
(shapes.py), fetching (sources.py), recognising and checking (deployed.py), secrets (secrets.py) and
the conversion to the plan model (convert.py).
"""

from __future__ import annotations

from infra.toolkit.state.convert import StatePlan, state_plan
from infra.toolkit.state.deployed import DeployedStack, StateFormatError, is_state_document, load_state
from infra.toolkit.state.sources import StateReadError, is_s3_location


def read_state_plan(location: str) -> StatePlan:
    """The plan of the state at a path or `s3://bucket/key`; a one-line ToolkitError otherwise."""
    return state_plan(load_state(location))


__all__ = [
    "DeployedStack",
    "StateFormatError",
    "StatePlan",
    "StateReadError",
    "is_s3_location",
    "is_state_document",
    "load_state",
    "read_state_plan",
    "state_plan",
]
