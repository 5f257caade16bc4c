"""The benchmarks call the API as production's callers do: through the CDN, from the prod browser app."""

from __future__ import annotations

from pathlib import Path

import pytest

import bench.callers
from app.settings import Settings
from bench.callers import browser_origin, prod_cors_origins
from bench.processes import BenchError


def test_the_browser_origin_is_one_the_prod_stack_allows_and_the_app_accepts() -> None:
    assert browser_origin() in prod_cors_origins()
    assert browser_origin().startswith("https://")
    assert Settings(cors_origins=list(prod_cors_origins())).cors_origins == list(prod_cors_origins())


def test_a_prod_stack_without_cors_origins_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    stack_file = tmp_path / "Pulumi.prod.yaml"
    stack_file.write_text("config:\n  primetradeai:app:\n    replicas: 3\n")
    monkeypatch.setattr(bench.callers, "PROD_STACK_FILE", stack_file)
    prod_cors_origins.cache_clear()
    try:
        with pytest.raises(BenchError, match=r"Pulumi\.prod\.yaml: primetradeai:app corsOrigins is not set"):
            prod_cors_origins()
    finally:
        prod_cors_origins.cache_clear()
