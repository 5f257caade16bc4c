"""Dependencies every router shares: settings and the store, read from the app the lifespan built."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.db.store import Store
from app.settings import Settings


# async on purpose: FastAPI runs a plain-def dependency in its threadpool, a thread hop per request.
async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
