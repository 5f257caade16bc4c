"""bench.fresh_runs alternates variants round after round and keeps every figure of each."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

import bench.fresh_runs
from bench.asgi_driver import PROFILE
from bench.fresh_runs import Figures, alternate, run_hotpath


def test_variants_alternate_round_after_round(monkeypatch: pytest.MonkeyPatch) -> None:
    order: list[str] = []

    def measured(arguments: Sequence[str], requests: int = 3200) -> tuple[int, int]:
        order.append(arguments[0])
        return 100, 10 * len(order)

    monkeypatch.setattr(bench.fresh_runs, "run_hotpath", measured)
    figures = alternate({"a": ["a"], "b": ["b"]}, rounds=2)
    assert order == ["a", "b", "a", "b"]
    assert figures["a"].cpu == [10, 30]
    assert figures["b"].lowest_cpu == 20
    assert figures["b"].runs() == "20/40"


def test_figures_say_their_lowest_cpu_and_every_run() -> None:
    figures = Figures(calls=[5, 5], cpu=[180, 150, 170])
    assert (figures.lowest_cpu, figures.runs()) == (150, "180/150/170")


def test_a_database_this_shell_points_at_is_not_the_one_measured(monkeypatch: pytest.MonkeyPatch) -> None:
    # Nothing listens there: a process that took it would fail to sign its user up.
    monkeypatch.setenv("MONGODB_URI", "mongodb://127.0.0.1:9/?serverSelectionTimeoutMS=200")
    calls, cpu = run_hotpath(["--route", PROFILE], requests=64)
    assert calls > 0
    assert cpu > 0
