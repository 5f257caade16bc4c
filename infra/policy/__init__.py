"""Every policy of the pack, in the order reports list them; the pack's __main__.py passes this list on."""

from __future__ import annotations

from pulumi_policy import Policy

from infra.policy import availability, durability, encryption, exposure, labels, pods, secrets

PACK_NAME = "primetradeai"

POLICIES: list[Policy] = [
    *encryption.POLICIES,
    *exposure.POLICIES,
    *durability.POLICIES,
    *availability.POLICIES,
    *pods.POLICIES,
    *secrets.POLICIES,
    *labels.POLICIES,
]
