"""The primetradeai policy pack: `pulumi preview --policy-pack infra/policypack`.

Constructing PolicyPack starts the analyzer server and blocks, so this file does only that; the
policies live in the `infra.policy` package, installed with the repository in the environment Pulumi's
uv toolchain gives the pack (README.md), and run in-process on plans by `primetradeai policy` too.
"""

from __future__ import annotations

from pulumi_policy import EnforcementLevel, PolicyPack

from infra.policy import PACK_NAME, POLICIES

PolicyPack(name=PACK_NAME, policies=POLICIES, enforcement_level=EnforcementLevel.ADVISORY)
