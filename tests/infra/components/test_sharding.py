"""The shard-key logic against the MongoDB wire server the app tests use.

SecantusDB answers the catalog read and refuses the sharding commands and hashed indexes, as a
server without sharding does; `shardCollection` succeeding needs a real sharded cluster (README).
"""

from __future__ import annotations

from typing import Any

import pytest
from pymongo import MongoClient

from infra.components.sharding import (
    SHARD_KEY,
    ShardKeyError,
    ShardTarget,
    create_key_index,
    current_shard_key,
    describe_key,
    enable_sharding,
    ensure_shard_key,
    needs_enable_sharding,
    server_version,
    shard_collection,
)
from tests.app.mongodb_server import TEST_MONGODB

Client = MongoClient[dict[str, Any]]
on_secantus = pytest.mark.skipif(
    TEST_MONGODB.is_real_mongodb, reason="SecantusDB's refusals, and a catalog the tests may write"
)


def _target(database: str) -> ShardTarget:
    return ShardTarget(database=database, collection="tasks", key=SHARD_KEY)


def _catalog_says(client: Client, namespace: str, key: dict[str, Any], **extra: Any) -> None:
    """The config.collections entry a sharded cluster keeps for a sharded collection."""
    client["config"]["collections"].insert_one({"_id": namespace, "key": key, **extra})


def test_an_unsharded_collection_has_no_shard_key(mongodb_client: Client, database_name: str) -> None:
    mongodb_client[database_name]["tasks"].insert_one({"userId": "u1", "title": "t"})
    assert current_shard_key(mongodb_client, _target(database_name)) is None


@on_secantus
def test_a_collection_sharded_on_the_hashed_user_id_is_left_alone(
    mongodb_client: Client, database_name: str
) -> None:
    target = _target(database_name)
    _catalog_says(mongodb_client, target.namespace, {"userId": "hashed"})

    result = ensure_shard_key(mongodb_client, target)

    # Nothing ran: the server would have refused the hashed index and shardCollection.
    assert (result.namespace, result.key, result.changed) == (target.namespace, {"userId": "hashed"}, False)
    assert mongodb_client[database_name].list_collection_names() == []


@on_secantus
def test_a_dropped_collection_s_old_catalog_entry_does_not_count(
    mongodb_client: Client, database_name: str
) -> None:
    target = _target(database_name)
    _catalog_says(mongodb_client, target.namespace, {"userId": "hashed"}, dropped=True)
    assert current_shard_key(mongodb_client, target) is None


@on_secantus
def test_a_collection_sharded_on_another_key_is_a_clear_error(
    mongodb_client: Client, database_name: str
) -> None:
    target = _target(database_name)
    _catalog_says(mongodb_client, target.namespace, {"_id": 1})

    with pytest.raises(ShardKeyError) as error:
        ensure_shard_key(mongodb_client, target)

    assert str(error.value) == (
        f'{target.namespace} is already sharded on {{_id: 1}}, not {{userId: "hashed"}}: '
        "changing a shard key is a reshardCollection decision, not a deploy"
    )


def test_shard_collection_on_a_server_without_sharding_names_the_command_and_what_it_needs(
    mongodb_client: Client, database_name: str
) -> None:
    target = _target(database_name)
    with pytest.raises(ShardKeyError) as error:
        shard_collection(mongodb_client, target)

    message = str(error.value)
    assert message.startswith(f"{target.namespace}: shardCollection refused (59 CommandNotFound")
    assert message.endswith("shardCollection needs a sharded cluster (connect through its mongos)")


@on_secantus
def test_a_refused_hashed_index_stops_the_step_before_shard_collection(
    mongodb_client: Client, database_name: str
) -> None:
    target = _target(database_name)
    mongodb_client[database_name]["tasks"].insert_one({"userId": "u1"})

    with pytest.raises(ShardKeyError) as error:
        ensure_shard_key(mongodb_client, target)

    refused = f'{target.namespace}: createIndexes {{userId: "hashed"}} refused (67 CannotCreateIndex: hashed'
    assert str(error.value).startswith(refused)
    with pytest.raises(ShardKeyError, match="CannotCreateIndex"):
        create_key_index(mongodb_client, target)


def test_a_modern_server_needs_no_enable_sharding(mongodb_client: Client, database_name: str) -> None:
    version = server_version(mongodb_client)
    assert all(isinstance(part, int) for part in version)
    assert len(version) >= 2
    if version[:2] < (6, 0):
        pytest.skip("the test server predates 6.0")
    # SecantusDB does not know enableSharding: it returning False proves the command was not sent.
    assert enable_sharding(mongodb_client, _target(database_name)) is False


@pytest.mark.parametrize(
    ("version", "entry", "needed"),
    [
        ((5, 0, 14), None, True),
        ((5, 0, 14), {"_id": "taskmanager", "partitioned": False}, True),
        ((5, 0, 14), {"_id": "taskmanager", "partitioned": True}, False),
        ((6, 0, 0), None, False),
        ((8, 0, 4), None, False),
    ],
)
def test_enable_sharding_runs_only_where_the_server_still_needs_it(
    version: tuple[int, ...], entry: dict[str, Any] | None, needed: bool
) -> None:
    assert needs_enable_sharding(version, entry) is needed


def test_keys_read_as_in_mongosh() -> None:
    assert describe_key({"userId": "hashed"}) == '{userId: "hashed"}'
    assert describe_key({"a": 1, "b": -1}) == "{a: 1, b: -1}"
