from __future__ import annotations

import gc
from collections.abc import AsyncIterator

import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from app.gc_tuning import YOUNGEST_GENERATION_THRESHOLD
from app.main import create_app
from tests.app.taskapi_testing import make_settings


@pytest.fixture
async def tuned_app() -> AsyncIterator[FastAPI]:
    application = create_app(make_settings(gc_tuning=True))
    async with LifespanManager(application):
        yield application


def test_a_started_app_has_frozen_what_startup_built(tuned_app: FastAPI) -> None:
    # Routes and validators outlive every request: a full collection must not walk them.
    assert gc.get_freeze_count() > 10_000


def test_a_started_app_collects_the_youngest_generation_less_often(tuned_app: FastAPI) -> None:
    assert gc.get_threshold()[0] == YOUNGEST_GENERATION_THRESHOLD


def test_objects_made_after_startup_are_still_collected(tuned_app: FastAPI) -> None:
    cycle: list[object] = []
    cycle.append(cycle)
    del cycle
    assert gc.collect() >= 1


async def test_with_the_tuning_off_the_collector_is_left_as_python_sets_it() -> None:
    gc.unfreeze()
    threshold = gc.get_threshold()
    application = create_app(make_settings(gc_tuning=False))
    async with LifespanManager(application):
        assert gc.get_freeze_count() == 0
        assert gc.get_threshold() == threshold
