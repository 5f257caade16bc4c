"""The pack's README lists exactly the policies the pack serves, with their enforcement levels."""

from __future__ import annotations

import re
from pathlib import Path

from infra.policy import POLICIES

README = Path(__file__).resolve().parents[3] / "infra" / "policypack" / "README.md"


def test_the_readme_table_matches_the_policies() -> None:
    rows = re.findall(
        r"^\| ([a-z0-9-]+) \| (mandatory|advisory) \|", README.read_text(encoding="utf-8"), re.MULTILINE
    )
    assert rows == [(p.name, p.enforcement_level.value if p.enforcement_level else "") for p in POLICIES]
