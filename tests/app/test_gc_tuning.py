"""With GC_TUNING on (the default), a started app has frozen what startup built and collects its youngest
generation rarely, yet still collects it. The other tests run with it off: see make_settings."""

from __future__ import annotations

import gc

import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from app.gc_tuning import YOUNGEST_GENERATION_THRESHOLD
from app.main import create_app
from app.settings import Settings
from tests.app.taskapi_testing import make_settings

ALLOCATIONS = 100_000


@pytest.fixture
def settings() -> Settings:
    return make_settings(gc_tuning=True)


def test_a_started_app_has_frozen_what_startup_built(app: FastAPI) -> None:
    # Routes and validators outlive every request: a full collection must not walk them.
    assert gc.get_freeze_count() > 10_000


def test_a_started_app_collects_the_youngest_generation_less_often(app: FastAPI) -> None:
    assert gc.get_threshold()[0] == YOUNGEST_GENERATION_THRESHOLD


def _youngest_collections_while_allocating(count: int) -> int:
    collections = 0

    def count_youngest(phase: str, info: dict[str, int]) -> None:
        nonlocal collections
        if phase == "start" and info["generation"] == 0:
            collections += 1

    gc.callbacks.append(count_youngest)
    try:
        kept: list[list[object]] = [[] for _ in range(count)]  # containers the collector tracks, kept alive
    finally:
        gc.callbacks.remove(count_youngest)
    assert len(kept) == count
    return collections


def test_after_startup_the_collector_still_runs_but_rarely(app: FastAPI) -> None:
    collections = _youngest_collections_while_allocating(ALLOCATIONS)
    expected = ALLOCATIONS // YOUNGEST_GENERATION_THRESHOLD
    # Still collected (not switched off), but at the raised threshold, not every 700 allocations.
    assert expected // 2 <= collections <= expected * 2


async def test_with_gc_tuning_off_startup_leaves_the_collector_alone() -> None:
    threshold = gc.get_threshold()
    async with LifespanManager(create_app(make_settings(gc_tuning=False))):
        assert gc.get_threshold() == threshold
        assert gc.get_freeze_count() == 0
