"""Every name this repository takes from the Pulumi SDK outside its public API (`pulumi.runtime.__all__`).

The mock-runtime harness (infra.harness) starts the program as `pulumi.runtime.set_mocks` does, minus its
eager root stack, and records what the base mock monitor drops (so does the deployed-state preview,
infra.toolkit.deployed_preview, through the same monitor); the config loader (infra.config) reads the
whole config map to refuse unknown keys. Each needs a piece of the SDK's insides, imported here and nowhere
else. They were proven on pulumi `PROVEN_ON`, the upper bound of its range in pyproject.toml;
tests/infra/test_pulumi_internals.py names the one an upgrade moves.
"""

from __future__ import annotations

from pulumi.runtime.config import CONFIG  # the config map `set_all_config` fills, beside PULUMI_CONFIG
from pulumi.runtime.mocks import (
    MockEngine,  # the engine stub `set_mocks` logs through
    MockMonitor,  # the monitor `set_mocks` installs; RecordingMonitor extends it
    MockSettings,  # the settings `set_mocks` configures the runtime with
)
from pulumi.runtime.proto import resource_pb2  # the RegisterResource reply the monitor rebuilds
from pulumi.runtime.settings import ROOT  # the root stack resource, reset between runs
from pulumi.runtime.sync_await import _sync_await  # runs the program's coroutine to its end

PROVEN_ON = "3.272.0"

MONITOR_MEMBERS = (
    "make_urn",
    "GetDeploymentInfo",
    "RegisterResource",
    "ReadResource",
    "RegisterResourceOutputs",
)
"""What RecordingMonitor calls or overrides of MockMonitor; it also reads the `resources` it registers."""

__all__ = [
    "CONFIG",
    "MONITOR_MEMBERS",
    "PROVEN_ON",
    "ROOT",
    "MockEngine",
    "MockMonitor",
    "MockSettings",
    "_sync_await",
    "resource_pb2",
]
