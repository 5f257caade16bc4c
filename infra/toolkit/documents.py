"""Read what the toolkit takes where it takes a plan: a plan file, or Pulumi state (file, gzip, S3).

State is recognised by its shape, not its name, so `--plan` and `diff` need no extra option for it.
"""

from __future__ import annotations

from infra.toolkit.plan import PlanFormatError, parse_json
from infra.toolkit.state import StatePlan, state_plan
from infra.toolkit.state.deployed import StateFormatError, state_from_data
from infra.toolkit.state.sources import StateReadError, read_bytes


def read_document(location: str) -> object:
    """The parsed JSON at a path or `s3://` address (gunzipped); one-line PlanFormatError otherwise."""
    try:
        raw = read_bytes(location)
    except StateReadError as error:
        raise PlanFormatError(str(error)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise PlanFormatError(f"{location}: not UTF-8 text (byte {error.start})") from None
    return parse_json(text, location)


def state_plan_from_data(data: object, location: str) -> StatePlan:
    """Parsed JSON recognised as state, in the plan model."""
    return state_plan(state_from_data(data, location))


__all__ = ["StateFormatError", "read_document", "state_plan_from_data"]
