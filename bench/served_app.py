"""The app factory the benchmark serves (through ``python -m bench.api_server``): the shipped app, or
the shipped app with the store's cost left out.

``BENCH_FIXED_STORE=1``, read by the factory in each worker: tasks come from ``FixedTaskRepository``
through FastAPI's ``dependency_overrides``, so a figure shows what the API costs without what the
store costs. Production never builds the app this way: ``python -m app`` names its own factory, and
the image does not ship ``bench/``.
"""

from __future__ import annotations

import os

from fastapi import FastAPI

from app.main import create_app as create_shipped_app
from app.tasks.deps import task_repository
from bench.fixed_store import FixedTaskRepository

FIXED_STORE_ENV = "BENCH_FIXED_STORE"


def create_app() -> FastAPI:
    api = create_shipped_app()
    if os.environ.get(FIXED_STORE_ENV) == "1":
        repository = FixedTaskRepository()

        async def fixed_repository() -> FixedTaskRepository:
            return repository

        api.dependency_overrides[task_repository] = fixed_repository
    return api
