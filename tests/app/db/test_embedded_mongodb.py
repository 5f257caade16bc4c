"""The embedded MongoDB wire server that runs the API without MONGODB_URI: what it keeps, and how it
says it cannot start."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pymongo import MongoClient

from app.db.embedded_mongodb import IN_MEMORY, EmbeddedMongoDBError, embedded_mongodb

Client = MongoClient[dict[str, object]]


def _write(uri: str) -> None:
    with Client(uri) as client:
        client.taskmanager.users.insert_one({"email": "ada@example.com"})


def _emails(uri: str) -> list[object]:
    with Client(uri) as client:
        return [user["email"] for user in client.taskmanager.users.find({}, {"_id": False})]


def test_data_in_a_folder_survives_a_restart(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    with embedded_mongodb(str(folder)) as uri:
        _write(uri)
    with embedded_mongodb(str(folder)) as uri:
        assert _emails(uri) == ["ada@example.com"]


def test_data_in_memory_is_gone_after_a_restart() -> None:
    with embedded_mongodb(IN_MEMORY) as uri:
        _write(uri)
        assert _emails(uri) == ["ada@example.com"]
    with embedded_mongodb(IN_MEMORY) as uri:
        assert _emails(uri) == []


def test_a_folder_in_use_by_another_server_is_refused_by_name(tmp_path: Path) -> None:
    with (
        embedded_mongodb(str(tmp_path)),
        pytest.raises(EmbeddedMongoDBError) as raised,
        embedded_mongodb(str(tmp_path)),
    ):
        pass
    assert f"could not start with its data in {tmp_path}" in str(raised.value)


def test_without_the_secantusdb_package_the_error_says_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "secantus", None)  # what an image without the dev dependencies has
    with pytest.raises(EmbeddedMongoDBError, match="set MONGODB_URI"), embedded_mongodb(IN_MEMORY):
        pass
