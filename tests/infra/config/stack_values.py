"""Stack values as the Pulumi CLI hands them to the program, and the one line a bad one becomes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from infra.config.errors import InvalidStackConfigError
from infra.config.loader import parse_stack_config

FILE = "Pulumi.test.yaml"


def minimal(**overrides: Any) -> dict[str, str]:
    values: dict[str, Any] = {
        "environment": "staging",
        "protectDataStores": False,
        "cluster": {"adminRoleArns": ["arn:aws:iam::123456789012:role/deploy"]},
        "database": {"orgId": "5f0c0ffee0c0ffee0c0ffee0"},
        "app": {"image": {"tag": "1.2.3"}, "host": "api.example.com"},
        "edge": {"zoneId": "0123456789abcdef0123456789abcdef"},
    }
    values.update(overrides)
    # What the Pulumi CLI hands the program: strings as they are, everything else as JSON.
    return {k: v if isinstance(v, str) else json.dumps(v) for k, v in values.items()}


def error(values: dict[str, str], secret: set[str] | None = None) -> str:
    with pytest.raises(InvalidStackConfigError) as caught:
        parse_stack_config(values, secret or set(), FILE)
    return str(caught.value)


ADMIN = ["arn:aws:iam::123456789012:role/deploy"]


def admin_cluster(**settings: Any) -> dict[str, Any]:
    return {"adminRoleArns": ADMIN, **settings}


def prod(**overrides: Any) -> dict[str, str]:
    return minimal(environment="prod", protectDataStores=True, **overrides)
