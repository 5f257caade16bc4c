"""The application's handle on its data: the two collections, a health probe, and shutdown."""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import cast

from pymongo import AsyncMongoClient

from app.db.collection import Document, DocumentCollection
from app.db.embedded import EmbeddedDatabase
from app.db.embedded_client import SharedEmbeddedDatabase
from app.db.embedded_wire import SharedStoreAddress
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
    if settings.mongodb_uri is None:
        return _open_embedded(settings)
    return _open_mongodb(settings.mongodb_uri.get_secret_value(), settings.mongodb_database)


def _open_mongodb(uri: str, database_name: str) -> Store:
    client: AsyncMongoClient[Document] = AsyncMongoClient(uri, **MONGO_CLIENT_OPTIONS)  # type: ignore[arg-type]
    database = client[database_name]

    async def ping() -> None:
        await client.admin.command("ping")

    async def close() -> None:
        await client.close()

    logger.info("using MongoDB", extra={"database": database_name})
    return Store(
        users=cast(DocumentCollection, database[USERS]),
        tasks=cast(DocumentCollection, database[TASKS]),
        durable=True,
        ping=ping,
        close=close,
    )


def _open_embedded(settings: Settings) -> Store:
    shared = SharedStoreAddress.from_environment(os.environ)
    if shared is not None:
        return _open_shared_embedded(settings, shared)
    database = EmbeddedDatabase(settings.mongodb_database)

    async def ping() -> None:
        return None

    async def close() -> None:
        database.close()

    logger.warning(
        "MONGODB_URI is not set: using the embedded in-memory store. It is NOT durable: all data is lost "
        "when the process stops, and a worker process started by anything but `python -m app` has its own "
        "separate copy. Development only."
    )
    return Store(
        users=database.collection(USERS),
        tasks=database.collection(TASKS),
        durable=False,
        ping=ping,
        close=close,
    )


def _open_shared_embedded(settings: Settings, address: SharedStoreAddress) -> Store:
    """The store server that ``python -m app`` starts when it runs several workers."""
    database = SharedEmbeddedDatabase(settings.mongodb_database, address)

    async def close() -> None:
        database.close()

    logger.warning(
        "MONGODB_URI is not set: using the embedded in-memory store, shared by this run's worker "
        "processes. It is NOT durable: all data is lost when `python -m app` stops. Development only."
    )
    return Store(
        users=database.collection(USERS),
        tasks=database.collection(TASKS),
        durable=False,
        ping=database.ping,
        close=close,
    )
