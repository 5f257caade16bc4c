"""The price table is dated and sourced, and a broken one is refused with the key named."""

from __future__ import annotations

from pathlib import Path

import pytest

from infra.toolkit.cost.table import PRICES_FILE, load_price_table
from infra.toolkit.errors import ToolkitError


def test_every_price_has_a_unit_a_source_page_and_a_read_date() -> None:
    table = load_price_table()
    groups = [
        table.services,
        table.ec2_instances,
        table.elasticache_nodes,
        table.atlas_tiers,
        table.cloudflare_plans,
    ]
    prices = [price for group in groups for price in group.values()]
    assert len(prices) > 30
    assert all(p.source.startswith("https://") and p.read.year >= 2026 for p in prices)
    assert table.assumptions.hours_per_month == 730
    assert any("data transfer" in item for item in table.assumptions.not_counted)


def test_the_guide_estimate_adds_up_to_227() -> None:
    assert load_price_table().guide.total == 227


def test_a_price_without_a_source_is_refused_naming_the_key(tmp_path: Path) -> None:
    broken = tmp_path / "prices.yaml"
    broken.write_text(
        PRICES_FILE.read_text(encoding="utf-8").replace(
            'source: "https://aws.amazon.com/kms/pricing/", ', ""
        ),
        encoding="utf-8",
    )
    with pytest.raises(ToolkitError, match=r"prices.yaml: services.kms-key.source: Field required"):
        load_price_table(broken)


def test_a_table_that_is_not_yaml_is_one_line(tmp_path: Path) -> None:
    broken = tmp_path / "prices.yaml"
    broken.write_text("services: [unclosed\n", encoding="utf-8")
    with pytest.raises(ToolkitError) as error:
        load_price_table(broken)
    assert "not YAML" in str(error.value)
    assert "\n" not in str(error.value)
