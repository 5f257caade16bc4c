"""Dependencies every router shares, read from the app the lifespan built.

All are ``async def`` on purpose: FastAPI runs a plain ``def`` dependency in its threadpool, a
thread hop per request. Each reads ``request.app.state`` directly rather than depending on another
dependency, because every extra node in the dependency graph costs a little on every request.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.db.preparation import StorePreparation
from app.db.store import Store
from app.errors import DatabaseUnavailableError
from app.settings import Settings


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


def prepared_store(request: Request) -> Store:
    """The store, once its indexes exist; until then a 503 (see app.db.preparation)."""
    preparation: StorePreparation = request.app.state.store_preparation
    if not preparation.ready:
        raise DatabaseUnavailableError
    store: Store = request.app.state.store
    return store
