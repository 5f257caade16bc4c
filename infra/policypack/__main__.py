"""The primetradeai policy pack: `pulumi preview --policy-pack infra/policypack`.

Constructing PolicyPack starts the analyzer server and blocks, so this file does only that; the
policies live in infra/toolkit/policy/rules, which `primetradeai policy` runs in-process on plans.
"""

from __future__ import annotations

import sys
from pathlib import Path

# The pack runs from its own directory; the policies are imported from the repository root.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from pulumi_policy import EnforcementLevel, PolicyPack

from infra.toolkit.policy.rules import PACK_NAME, POLICIES

PolicyPack(name=PACK_NAME, policies=POLICIES, enforcement_level=EnforcementLevel.ADVISORY)
