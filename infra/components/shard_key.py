"""The shard key as a resource: once the sharded Atlas cluster exists, shard tasks on a hashed userId.

A Pulumi dynamic resource (`pulumi-python:dynamic:Resource`) whose provider calls the plain functions
of `infra.components.sharding`. Creating it shards the collection (a no-op when it already is, with the
same key); deleting it leaves the data as it is, since unsharding is not a deploy step. The connection
string is a secret input: the engine stores it encrypted, and no message here ever contains it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, ResourceProvider, UpdateResult
from pymongo.errors import PyMongoError

from infra.components.sharding import (
    SHARD_KEY,
    ShardKeyError,
    ShardTarget,
    connect,
    describe_key,
    ensure_shard_key,
)

IDENTITY = ("database", "collection", "key")
"""The inputs that name what is sharded: a change to one is a new shard key (replace)."""


def target_of(props: Mapping[str, Any]) -> ShardTarget:
    """The collection and key the resource's inputs describe."""
    return ShardTarget(
        database=str(props["database"]), collection=str(props["collection"]), key=dict(props["key"])
    )


def apply_shard_key(props: Mapping[str, Any], timeout_ms: int = 20_000) -> dict[str, Any]:
    """Connect with the inputs' connection string, ensure the key, return the resource's outputs."""
    target = target_of(props)
    client = connect(str(props["connectionString"]), timeout_ms)
    try:
        result = ensure_shard_key(client, target)
    except PyMongoError as error:  # the message of a connection error can quote the hosts, never the URI
        raise ShardKeyError(
            f"{target.namespace}: cannot reach the cluster ({type(error).__name__})"
        ) from None
    finally:
        client.close()
    return {
        "database": target.database,
        "collection": target.collection,
        "key": result.key,
        "namespace": result.namespace,
        "shardKey": describe_key(result.key),
    }


def shard_key_diff(olds: Mapping[str, Any], news: Mapping[str, Any]) -> DiffResult:
    """A new namespace or key replaces; a new connection string (a rotated password) changes nothing."""
    replaces = [name for name in IDENTITY if olds.get(name) != news.get(name)]
    return DiffResult(changes=bool(replaces), replaces=replaces, delete_before_replace=False)


class ShardKeyProvider(ResourceProvider):
    """Create and update ensure the shard key; delete keeps the collection's data where it is."""

    serialize_as_secret_always = True

    def create(self, props: dict[str, Any]) -> CreateResult:
        outs = apply_shard_key(props)
        return CreateResult(id_=outs["namespace"], outs=outs)

    def diff(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> DiffResult:
        return shard_key_diff(_olds, _news)

    def update(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> UpdateResult:
        return UpdateResult(outs=apply_shard_key(_news))

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        return None  # a sharded collection stays sharded: unsharding moves data and is a human decision


class ShardKey(pulumi.dynamic.Resource):
    """The tasks collection, sharded on a hashed userId."""

    namespace: pulumi.Output[str]
    """`<database>.<collection>`, what was sharded."""
    shard_key: pulumi.Output[str]
    """The key, as a reader writes it: {userId: "hashed"}."""

    def __init__(
        self,
        name: str,
        connection_string: pulumi.Input[str],
        database: str,
        collection: str,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(
            ShardKeyProvider(),
            name,
            {
                "connectionString": pulumi.Output.secret(connection_string),
                "database": database,
                "collection": collection,
                "key": dict(SHARD_KEY),
                "namespace": None,
                "shardKey": None,
            },
            pulumi.ResourceOptions.merge(
                opts, pulumi.ResourceOptions(additional_secret_outputs=["connectionString"])
            ),
        )
