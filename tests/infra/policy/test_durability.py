"""Backups and protection are required of data stores in prod, and only in prod."""

from __future__ import annotations

import pytest

from tests.infra.policy.policy_plans import (
    ATLAS_CLUSTER,
    REPLICATION_GROUP,
    atlas_inputs,
    redis_inputs,
    resource,
    violations,
)


def test_protected_and_backed_up_prod_stores_pass() -> None:
    found = violations(
        resource(REPLICATION_GROUP, "redis", redis_inputs(), protect=True),
        resource(ATLAS_CLUSTER, "db", atlas_inputs(), protect=True),
    )
    assert [v for v in found if v.policy in {"prod-backups", "prod-data-stores-protected"}] == []


@pytest.mark.parametrize(("setting", "value"), [("backupEnabled", False), ("pitEnabled", None)])
def test_atlas_without_cloud_backup_or_point_in_time_fails_in_prod(setting: str, value: bool | None) -> None:
    found = violations(
        resource(ATLAS_CLUSTER, "db", atlas_inputs(**{setting: value}), protect=True), policy="prod-backups"
    )
    assert len(found) == 1
    assert found[0].message.startswith(setting)


@pytest.mark.parametrize("retention", [0, None])
def test_redis_without_snapshots_fails_in_prod(retention: int | None) -> None:
    found = violations(
        resource(REPLICATION_GROUP, "r", redis_inputs(snapshotRetentionLimit=retention), protect=True),
        policy="prod-backups",
    )
    assert [v.enforcement for v in found] == ["mandatory"]


def test_unprotected_data_store_fails_in_prod_but_not_in_dev() -> None:
    prod = violations(
        resource(REPLICATION_GROUP, "redis", redis_inputs()), policy="prod-data-stores-protected"
    )
    dev = violations(
        resource(REPLICATION_GROUP, "redis", redis_inputs(), stack="dev"),
        stack="dev",
        policy="prod-data-stores-protected",
    )
    assert len(prod) == 1
    assert dev == []


def test_dev_may_skip_backups() -> None:
    dev = resource(ATLAS_CLUSTER, "db", atlas_inputs(backupEnabled=False, pitEnabled=False), stack="dev")
    assert violations(dev, stack="dev", policy="prod-backups") == []
