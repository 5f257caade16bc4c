"""The Pulumi SDK's private names are where infra/pulumi_internals.py takes them, shaped as the harness and
the config loader use them, and pyproject.toml allows no Pulumi newer than the one they were proven on."""

from __future__ import annotations

import asyncio
from contextvars import ContextVar

import pytest
from pulumi.runtime import Settings, set_all_config

from infra import pulumi_internals
from infra.harness.mocks import PlausibleMocks
from tests.infra.private_names import (
    REPOSITORY,
    check_pinned_to_proven,
    check_taken,
    modules_reaching_into,
    taken_names,
)

LISTING = REPOSITORY / "infra" / "pulumi_internals.py"


@pytest.mark.parametrize(("module", "name"), taken_names(LISTING), ids=lambda part: str(part))
def test_each_private_name_is_where_the_listing_takes_it(module: str, name: str) -> None:
    check_taken("pulumi", LISTING, module, name)


def test_no_other_module_reaches_into_the_sdks_modules() -> None:
    # Public names come from `pulumi.runtime` itself; anything deeper is private and listed in one place.
    assert modules_reaching_into(("pulumi.runtime",)) == {"infra/pulumi_internals.py"}


def test_the_mock_monitor_has_what_the_recording_monitor_uses() -> None:
    missing = [m for m in pulumi_internals.MONITOR_MEMBERS if not hasattr(pulumi_internals.MockMonitor, m)]
    assert missing == [], f"MockMonitor lost {missing}: infra/harness/monitor.py calls or overrides them"
    assert pulumi_internals.MockMonitor(PlausibleMocks()).resources == {}


def test_mock_settings_are_settings_the_runtime_accepts() -> None:
    assert issubclass(pulumi_internals.MockSettings, Settings)


def test_the_root_resource_is_a_context_variable_the_harness_can_reset() -> None:
    assert isinstance(pulumi_internals.ROOT, ContextVar)


def test_sync_await_runs_a_coroutine_to_its_result() -> None:
    async def answer() -> int:
        await asyncio.sleep(0)
        return 42

    assert pulumi_internals._sync_await(answer()) == 42


def test_the_config_map_holds_what_set_all_config_sets() -> None:
    try:
        set_all_config({"primetradeai:probe": "1"}, [])
        assert pulumi_internals.CONFIG.get() == {"primetradeai:probe": "1"}
    finally:
        set_all_config({}, [])


def test_pulumi_is_capped_at_the_version_proven() -> None:
    check_pinned_to_proven("pulumi", pulumi_internals.PROVEN_ON)
