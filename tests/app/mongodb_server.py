"""The MongoDB every task API test talks to: a real MongoDB at TEST_MONGODB_URI when one is set, else an
embedded SecantusDB wire server that the first test to need it starts, in memory, for the whole session.

Tests are kept apart by database, not by server: each app or repository gets a database of its own
(a fresh name), and every database made for a test is dropped after it.
"""

from __future__ import annotations

import contextlib
import os
import uuid

from pymongo import MongoClient

from app.db.embedded_mongodb import IN_MEMORY, embedded_mongodb

TEST_DATABASE_PREFIX = "taskapi_test_"


class SessionMongoDB:
    def __init__(self) -> None:
        self._server = contextlib.ExitStack()
        self._uri: str | None = None
        self._client: MongoClient[dict[str, object]] | None = None

    @property
    def uri(self) -> str:
        if self._uri is None:
            self._uri = os.environ.get("TEST_MONGODB_URI") or self._server.enter_context(
                embedded_mongodb(IN_MEMORY)
            )
        return self._uri

    @property
    def is_real_mongodb(self) -> bool:
        return bool(os.environ.get("TEST_MONGODB_URI"))

    @staticmethod
    def new_database_name() -> str:
        return f"{TEST_DATABASE_PREFIX}{uuid.uuid4().hex[:16]}"

    def drop_test_databases(self) -> None:
        if self._uri is None:
            return  # nothing was started, so nothing was made
        if self._client is None:
            self._client = MongoClient(self._uri, serverSelectionTimeoutMS=5_000)
        for name in self._client.list_database_names():
            if name.startswith(TEST_DATABASE_PREFIX):
                self._client.drop_database(name)

    def stop(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        self._server.close()
        self._uri = None


TEST_MONGODB = SessionMongoDB()
