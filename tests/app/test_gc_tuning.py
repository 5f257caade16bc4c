from __future__ import annotations

import gc

from fastapi import FastAPI

from app.gc_tuning import YOUNGEST_GENERATION_THRESHOLD


def test_a_started_app_has_frozen_what_startup_built(app: FastAPI) -> None:
    # Routes and validators outlive every request: a full collection must not walk them.
    assert gc.get_freeze_count() > 10_000


def test_a_started_app_collects_the_youngest_generation_less_often(app: FastAPI) -> None:
    assert gc.get_threshold()[0] == YOUNGEST_GENERATION_THRESHOLD


def test_objects_made_after_startup_are_still_collected(app: FastAPI) -> None:
    cycle: list[object] = []
    cycle.append(cycle)
    del cycle
    assert gc.collect() >= 1
