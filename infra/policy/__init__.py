"""Every policy of the pack, in the order reports list them; the pack's __main__.py passes this list on."""

from __future__ import annotations

from pulumi_policy import Policy

from infra.policy import availability, durability, encryption, exposure, labels, pods, secrets
from infra.policy.suppressions import waivable

PACK_NAME = "primetradeai"

# Each policy accepts per-resource suppressions with a reason (infra/policy/suppressions.py).
POLICIES: list[Policy] = [
    waivable(policy)
    for policy in (
        *encryption.POLICIES,
        *exposure.POLICIES,
        *durability.POLICIES,
        *availability.POLICIES,
        *pods.POLICIES,
        *secrets.POLICIES,
        *labels.POLICIES,
    )
]
