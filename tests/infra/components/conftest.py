"""The MongoDB wire server the app tests use (SecantusDB unless TEST_MONGODB_URI names a real one)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pymongo import MongoClient

from tests.app.mongodb_server import TEST_MONGODB


@pytest.fixture(scope="session")
def mongodb_uri() -> Iterator[str]:
    """The session's server, stopped at the end (as the app tests' own fixture does)."""
    yield TEST_MONGODB.uri
    TEST_MONGODB.stop()


@pytest.fixture(scope="module")
def mongodb_client(mongodb_uri: str) -> Iterator[MongoClient[dict[str, Any]]]:
    client: MongoClient[dict[str, Any]] = MongoClient(mongodb_uri, serverSelectionTimeoutMS=5_000)
    yield client
    client.close()


@pytest.fixture
def database_name(mongodb_client: MongoClient[dict[str, Any]]) -> Iterator[str]:
    """A fresh database, and its tasks collection's catalog entry, removed after the test."""
    name = TEST_MONGODB.new_database_name()
    yield name
    mongodb_client["config"]["collections"].delete_many({"_id": f"{name}.tasks"})
    mongodb_client.drop_database(name)
