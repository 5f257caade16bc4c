"""The Pulumi SDK's private names that infra/pulumi_internals.py takes are shaped as the harness and the
config loader use them (where they are and the version cap: test_private_name_listings.py)."""

from __future__ import annotations

import asyncio
from contextvars import ContextVar

from pulumi.runtime import Settings, set_all_config

from infra import pulumi_internals
from infra.harness.mocks import PlausibleMocks


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
