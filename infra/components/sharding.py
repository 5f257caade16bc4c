"""Shard the tasks collection on a hashed userId, idempotently, through a PyMongo client.

The logic of the `shard_key` dynamic resource, kept free of Pulumi so it runs against a real server in
tests. The one step no test server here answers is `shardCollection` itself: it needs a sharded
cluster's mongos (docs/architecture.md, "The shard key").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pymongo import MongoClient
from pymongo.errors import OperationFailure, PyMongoError

SHARD_KEY: dict[str, Any] = {"userId": "hashed"}
"""The key the tasks collection is sharded on: every query of the API filters by userId."""
ENABLE_SHARDING_DROPPED_IN = (6, 0)
"""From MongoDB 6.0 every database is shardable and `enableSharding` is no longer needed."""


class ShardKeyError(Exception):
    """The collection cannot be (or is already differently) sharded; the message names the namespace."""


@dataclass(frozen=True)
class ShardTarget:
    """The collection to shard and the key to shard it on."""

    database: str
    collection: str
    key: Mapping[str, Any]

    @property
    def namespace(self) -> str:
        return f"{self.database}.{self.collection}"


@dataclass(frozen=True)
class ShardResult:
    """What `ensure_shard_key` found or did."""

    namespace: str
    key: dict[str, Any]
    changed: bool
    """False when the collection was already sharded on the key (nothing was run)."""


Client = MongoClient[dict[str, Any]]


def describe_key(key: Mapping[str, Any]) -> str:
    """`{userId: "hashed"}` as a reader writes it, for messages and outputs."""
    return (
        "{"
        + ", ".join(
            f'{field}: "{kind}"' if isinstance(kind, str) else f"{field}: {kind}"
            for field, kind in key.items()
        )
        + "}"
    )


def _refused(target: ShardTarget, command: str, error: OperationFailure) -> ShardKeyError:
    details = error.details or {}
    reason = details.get("errmsg", str(error))
    name = details.get("codeName", "")
    hint = ""
    if error.code == 59:  # CommandNotFound: a plain replica set or a server without sharding
        hint = ": shardCollection needs a sharded cluster (connect through its mongos)"
    elif error.code == 13:  # Unauthorized
        hint = ": the user needs the enableSharding and clusterMonitor roles"
    return ShardKeyError(f"{target.namespace}: {command} refused ({error.code} {name}: {reason}){hint}")


def current_shard_key(client: Client, target: ShardTarget) -> dict[str, Any] | None:
    """The key the collection is sharded on, from the cluster's catalog; None when it is not sharded."""
    try:
        entry = client["config"]["collections"].find_one(
            {"_id": target.namespace, "dropped": {"$ne": True}}, {"key": 1}
        )
    except OperationFailure as error:
        raise _refused(target, "reading config.collections", error) from None
    if entry is None or "key" not in entry:
        return None
    return dict(entry["key"])


def needs_enable_sharding(version: tuple[int, ...], database_entry: Mapping[str, Any] | None) -> bool:
    """Before 6.0 a database must be enabled for sharding once; its config.databases entry says so."""
    if version[:2] >= ENABLE_SHARDING_DROPPED_IN:
        return False
    return not (database_entry or {}).get("partitioned", False)


def server_version(client: Client) -> tuple[int, ...]:
    """The server's version as numbers, (8, 0, 4)."""
    info = client.server_info()
    return tuple(int(part) for part in info.get("versionArray", [])[:3]) or tuple(
        int(part) for part in str(info["version"]).split("-")[0].split(".")
    )


def enable_sharding(client: Client, target: ShardTarget) -> bool:
    """Run enableSharding when the server still needs it; True when it ran."""
    try:
        database_entry = client["config"]["databases"].find_one({"_id": target.database})
        if not needs_enable_sharding(server_version(client), database_entry):
            return False
        client.admin.command("enableSharding", target.database)
    except OperationFailure as error:
        raise _refused(target, "enableSharding", error) from None
    return True


def create_key_index(client: Client, target: ShardTarget) -> None:
    """The index that backs the shard key: shardCollection needs it on a collection that has documents."""
    try:
        client[target.database][target.collection].create_index(list(target.key.items()))
    except OperationFailure as error:
        raise _refused(target, "createIndexes " + describe_key(target.key), error) from None


def shard_collection(client: Client, target: ShardTarget) -> None:
    """shardCollection with the key (the server accepts a repeat with the same key)."""
    try:
        client.admin.command("shardCollection", target.namespace, key=dict(target.key))
    except OperationFailure as error:
        raise _refused(target, "shardCollection", error) from None


def ensure_shard_key(client: Client, target: ShardTarget) -> ShardResult:
    """Shard the collection on the key unless it already is; a different existing key is an error."""
    key = dict(target.key)
    existing = current_shard_key(client, target)
    if existing == key:
        return ShardResult(target.namespace, key, changed=False)
    if existing is not None:
        raise ShardKeyError(
            f"{target.namespace} is already sharded on {describe_key(existing)}, not {describe_key(key)}: "
            "changing a shard key is a reshardCollection decision, not a deploy"
        )
    enable_sharding(client, target)
    create_key_index(client, target)
    shard_collection(client, target)
    return ShardResult(target.namespace, key, changed=True)


def connect(uri: str, timeout_ms: int = 20_000) -> Client:
    """A client for the shard-key step; the URI (it carries a password) never reaches an error message."""
    try:
        return MongoClient(uri, serverSelectionTimeoutMS=timeout_ms, connectTimeoutMS=timeout_ms)
    except PyMongoError as error:
        raise ShardKeyError(
            f"the shard-key connection string is not usable ({type(error).__name__})"
        ) from None
