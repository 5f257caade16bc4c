"""Every name this repository takes from pulumi_policy outside its public API (`pulumi_policy.__all__`).

The in-process engine (infra.toolkit.policy) hands the rules their inputs as the analyzer server does,
behind pulumi_policy's unknown-checking proxy, and treats `not_applicable()` as the server does; a rule
(infra.policy.secrets) tells an unknown value from a known one. Those pieces are imported here and
nowhere else. They were proven on pulumi-policy `PROVEN_ON`, the upper bound of its range in
pyproject.toml; tests/infra/test_pulumi_policy_internals.py names the one an upgrade moves.
"""

from __future__ import annotations

from pulumi_policy.policy import _NotApplicableError  # what `args.not_applicable()` raises
from pulumi_policy.proxy import (
    UNKNOWN_STRING_VALUE,  # the engine's text for a value unknown until apply
    UnknownValueError,  # what the proxy raises when a policy reads such a value
    _DictProxy,  # the proxy's two node types, built in one pass with the plan's unknowns swapped in
    _ListProxy,
    unknown_checking_proxy,  # the proxy the analyzer server wraps inputs in
)

PROVEN_ON = "1.21.0"

__all__ = [
    "PROVEN_ON",
    "UNKNOWN_STRING_VALUE",
    "UnknownValueError",
    "_DictProxy",
    "_ListProxy",
    "_NotApplicableError",
    "unknown_checking_proxy",
]
