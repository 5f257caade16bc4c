"""The shard-key dynamic resource's provider: what it sends, what replaces it, what it never prints."""

from __future__ import annotations

import base64
from typing import Any

import dill  # type: ignore[import-untyped]
import pytest
from pulumi.dynamic.dynamic import serialize_provider
from pymongo import MongoClient

from infra.components.shard_key import IDENTITY, ShardKeyProvider, apply_shard_key, shard_key_diff
from infra.components.sharding import ShardKeyError
from infra.toolkit.diff.replace_rules import REPLACE_ON_CHANGE
from tests.app.mongodb_server import TEST_MONGODB

PLANTED_PASSWORD = "Planted-Shard-Password-9e41c7"

Client = MongoClient[dict[str, Any]]


def _props(uri: str, database: str = "taskmanager") -> dict[str, Any]:
    return {"connectionString": uri, "database": database, "collection": "tasks", "key": {"userId": "hashed"}}


@pytest.mark.skipif(TEST_MONGODB.is_real_mongodb, reason="writes the catalog entry a sharded cluster keeps")
def test_create_on_an_already_sharded_collection_reports_it_without_running_anything(
    mongodb_client: Client, mongodb_uri: str, database_name: str
) -> None:
    mongodb_client["config"]["collections"].insert_one(
        {"_id": f"{database_name}.tasks", "key": {"userId": "hashed"}}
    )

    result = ShardKeyProvider().create(_props(mongodb_uri, database_name))

    assert result.id == f"{database_name}.tasks"
    assert result.outs == {
        "database": database_name,
        "collection": "tasks",
        "key": {"userId": "hashed"},
        "namespace": f"{database_name}.tasks",
        "shardKey": '{userId: "hashed"}',
    }
    assert "connectionString" not in (result.outs or {})


def test_create_on_a_server_without_sharding_fails_with_the_refusal(
    mongodb_uri: str, database_name: str
) -> None:
    with pytest.raises(ShardKeyError, match=rf"^{database_name}\.tasks: .* refused"):
        ShardKeyProvider().create(_props(mongodb_uri, database_name))


def test_an_unreachable_cluster_is_named_without_the_connection_string() -> None:
    uri = f"mongodb://taskapi-sharding:{PLANTED_PASSWORD}@127.0.0.1:9/taskmanager"
    props = _props(uri)

    with pytest.raises(ShardKeyError) as error:
        apply_shard_key(props, timeout_ms=300)

    assert str(error.value) == "taskmanager.tasks: cannot reach the cluster (ServerSelectionTimeoutError)"
    assert error.value.__cause__ is None
    assert error.value.__suppress_context__


def test_an_unusable_connection_string_is_refused_without_echoing_it() -> None:
    with pytest.raises(ShardKeyError) as error:
        apply_shard_key(_props(f"mongodb+srv://u:{PLANTED_PASSWORD}@a:1,b:2/x"))
    assert PLANTED_PASSWORD not in str(error.value)
    assert str(error.value) == "the shard-key connection string is not usable (InvalidURI)"


def test_a_rotated_password_changes_nothing() -> None:
    diff = shard_key_diff(_props("mongodb+srv://u:old@h/x"), _props("mongodb+srv://u:new@h/x"))
    assert diff.changes is False
    assert diff.replaces == []


@pytest.mark.parametrize(
    ("field", "value"), [("database", "other"), ("collection", "jobs"), ("key", {"userId": 1})]
)
def test_a_new_namespace_or_key_replaces(field: str, value: Any) -> None:
    old = _props("mongodb+srv://u:p@h/x")
    diff = shard_key_diff(old, {**old, field: value})
    assert diff.changes is True
    assert diff.replaces == [field]


def test_the_offline_diff_replaces_on_the_same_inputs_as_the_provider() -> None:
    assert REPLACE_ON_CHANGE["pulumi-python:dynamic:Resource"] == frozenset(IDENTITY)


def test_the_provider_survives_the_engine_s_serialization() -> None:
    restored = dill.loads(base64.b64decode(serialize_provider(ShardKeyProvider())))
    assert isinstance(restored, ShardKeyProvider)
    assert type(restored).create is ShardKeyProvider.create
