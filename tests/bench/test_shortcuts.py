"""bench.shortcuts turns each kept shortcut off by its setting and says whether it still pays."""

from __future__ import annotations

from app.settings import Settings
from bench.asgi_driver import PROFILE
from bench.fresh_runs import Figures, run_hotpath
from bench.shortcuts import SHORTCUTS, TASK_LIST, report, shipped, variants


def test_each_shortcut_is_turned_off_by_a_setting_the_app_has() -> None:
    assert {shortcut.setting for shortcut in SHORTCUTS} <= set(Settings.model_fields)
    assert all(Settings.model_fields[shortcut.setting].default is True for shortcut in SHORTCUTS)


def test_each_route_is_measured_once_as_shipped_beside_each_shortcut_turned_off() -> None:
    assert variants() == {
        "shipped /api/auth/profile": ["--route", PROFILE],
        "shipped /api/tasks": ["--route", TASK_LIST],
        "auto-pipelining": ["--route", PROFILE, "--set", "redis_auto_pipelining=false"],
        "gc tuning": ["--route", PROFILE, "--set", "gc_tuning=false"],
        "fast list query": ["--route", TASK_LIST, "--set", "fast_list_query=false"],
    }


def test_the_fast_list_query_turned_off_serves_the_list_through_fastapis_route() -> None:
    with_it, _ = run_hotpath(["--route", TASK_LIST], requests=64)
    without, _ = run_hotpath(variants()["fast list query"], requests=64)
    # FastAPI's dependency solving and a second validation of the page: hundreds of calls more.
    assert without > with_it + 100


def test_the_verdict_weighs_the_saving_against_the_request_without_the_shortcut() -> None:
    figures = {
        shipped(PROFILE): Figures(calls=[1], cpu=[160, 150]),
        shipped(TASK_LIST): Figures(calls=[1], cpu=[220]),
        "auto-pipelining": Figures(calls=[1], cpu=[200, 210]),
        "gc tuning": Figures(calls=[1], cpu=[157]),
        "fast list query": Figures(calls=[1], cpu=[260]),
    }
    rows = {line.split()[0]: line.split() for line in report(figures).splitlines()[1:]}
    assert rows["auto-pipelining"][2:8] == ["150", "200", "50", "25.0%", "pays", "160/150"]
    assert rows["gc"][3:9] == ["150", "157", "7", "4.5%", "below", "5%"]
    assert rows["fast"][4:8] == ["220", "260", "40", "15.4%"]
