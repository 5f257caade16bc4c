"""The app factory the benchmark serves (through ``python -m bench.api_server``): the shipped app, or
the shipped app with the store's cost left out.

``BENCH_FIXED_STORE=1``, read by the factory in each worker: the tasks dependency hands out a
``FixedTaskRepository`` instead of the store's repository, so a figure shows what the API costs
without what the store costs. Not through ``dependency_overrides``: with any override set, FastAPI
rebuilds every dependency of a route on every request, a cost the shipped app never pays. Production
never builds the app this way: ``python -m app`` names its own factory, and the image does not ship
``bench/``.
"""

from __future__ import annotations

import os

from fastapi import FastAPI

from app.main import create_app as create_shipped_app
from app.tasks import deps
from bench.fixed_store import FixedTaskRepository

FIXED_STORE_ENV = "BENCH_FIXED_STORE"
_REPOSITORY_CLASS = "TaskRepository"


def create_app() -> FastAPI:
    if os.environ.get(FIXED_STORE_ENV) == "1":
        repository = FixedTaskRepository()
        # The one name the tasks dependency builds its repository with, in this worker process only.
        setattr(deps, _REPOSITORY_CLASS, lambda tasks: repository)
    return create_shipped_app()
