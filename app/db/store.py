"""The application's handle on its data: the two collections, a health probe, and shutdown.

Every query goes through PyMongo's async client: to MONGODB_URI, or, without one, to an embedded
MongoDB wire server (app.db.embedded_mongodb) that this process starts for itself, in memory.
``python -m app`` starts one server for all of its workers instead and hands them its URI.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from pymongo import AsyncMongoClient

from app.db.collection import Document, DocumentCollection
from app.db.embedded_mongodb import IN_MEMORY, STORAGE_ENV, describe, embedded_mongodb
from app.settings import Settings

logger = logging.getLogger(__name__)

USERS = "users"
TASKS = "tasks"

# The guide's pool settings; timeouts so a dead cluster fails a request instead of hanging it.
MONGO_CLIENT_OPTIONS: dict[str, int | bool | str] = {
    "maxPoolSize": 10,
    "minPoolSize": 5,
    "maxIdleTimeMS": 60_000,
    "serverSelectionTimeoutMS": 5_000,
    "connectTimeoutMS": 5_000,
    "socketTimeoutMS": 10_000,
    "tz_aware": True,
    "appname": "primetradeai-taskapi",
}


@dataclass(frozen=True)
class Store:
    users: DocumentCollection
    tasks: DocumentCollection
    durable: bool
    ping: Callable[[], Awaitable[None]]
    close: Callable[[], Awaitable[None]]


def open_store(settings: Settings) -> Store:
    database = settings.mongodb_database
    if settings.mongodb_uri is None:
        return _open_own_embedded(database)
    uri = settings.mongodb_uri.get_secret_value()
    storage = os.environ.get(STORAGE_ENV)
    if storage is None:
        logger.info("using MongoDB", extra={"database": database})
        return _open(uri, database, durable=True)
    logger.warning(
        f"MONGODB_URI is not set: using the embedded MongoDB server that `python -m app` started, data "
        f"{describe(storage)}. Development only." + (" It is NOT durable." if storage == IN_MEMORY else ""),
        extra={"database": database},
    )
    return _open(uri, database, durable=storage != IN_MEMORY)


def _open_own_embedded(database: str) -> Store:
    """Without ``python -m app`` to start a server for the run, this process starts its own."""
    server = contextlib.ExitStack()
    uri = server.enter_context(embedded_mongodb(IN_MEMORY))
    logger.warning(
        "MONGODB_URI is not set: started an embedded MongoDB server for this process, data in memory. "
        "It is NOT durable: all data is lost when the process stops, and another process has its own. "
        "Development only.",
        extra={"database": database},
    )
    return _open(uri, database, durable=False, stop_server=server.close)


def _open(
    uri: str, database_name: str, *, durable: bool, stop_server: Callable[[], None] | None = None
) -> Store:
    client: AsyncMongoClient[Document] = AsyncMongoClient(uri, **MONGO_CLIENT_OPTIONS)  # type: ignore[arg-type]
    database = client[database_name]

    async def ping() -> None:
        await client.admin.command("ping")

    async def close() -> None:
        await client.close()
        if stop_server is not None:
            await asyncio.to_thread(stop_server)  # joins the server's threads: not on the event loop

    return Store(users=database[USERS], tasks=database[TASKS], durable=durable, ping=ping, close=close)
