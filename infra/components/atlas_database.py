"""The database: a MongoDB Atlas project and cluster, backed up, reachable only from the cluster's egress,
encrypted at rest under the stack's own KMS key when `customerManagedKey` is on (atlas_encryption.py).

Atlas resources cannot set a shard key. With `topology: sharded`, the cluster is created sharded and a
`ShardKey` resource (infra/components/shard_key.py) shards `tasks` on a hashed `userId` once it exists,
connecting as a user of its own that may shard (the API's user only reads and writes).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

import pulumi
import pulumi_aws as aws
import pulumi_mongodbatlas as atlas
import pulumi_random as random

from infra.components.atlas_encryption import AtlasEncryption, AtlasEncryptionArgs
from infra.components.outputs import secret_output
from infra.components.shard_key import ShardKey
from infra.components.tagging import with_name
from infra.config.schema import AtlasBackupConfig, AtlasRegion, DatabaseConfig

APP_USER = "taskapi"
SHARDING_USER = "taskapi-sharding"
SHARDED_COLLECTION = "tasks"


def cluster_type(config: DatabaseConfig) -> str:
    """Atlas's name for the topology."""
    return "SHARDED" if config.topology == "sharded" else "REPLICASET"


def region_configs(config: DatabaseConfig) -> list[atlas.AdvancedClusterReplicationSpecRegionConfigArgs]:
    """Electable members per region, highest priority first (the schema checked 7, 6, 5...)."""
    return [
        atlas.AdvancedClusterReplicationSpecRegionConfigArgs(
            provider_name="AWS",
            region_name=region.name,
            priority=region.priority,
            electable_specs=atlas.AdvancedClusterReplicationSpecRegionConfigElectableSpecsArgs(
                instance_size=config.instance_size,
                node_count=region.electable_nodes,
                disk_size_gb=config.disk_size_gb,
            ),
        )
        for region in config.regions
    ]


def replication_specs(config: DatabaseConfig) -> list[atlas.AdvancedClusterReplicationSpecArgs]:
    """One replication spec per shard (a replica set is a single one), all with the same members."""
    return [
        atlas.AdvancedClusterReplicationSpecArgs(region_configs=region_configs(config), zone_name="Zone 1")
        for _ in range(config.shards)
    ]


def primary_region(regions: Sequence[AtlasRegion]) -> str:
    """The AWS name (us-east-1) of the region the primary prefers: the private endpoint lives there."""
    return max(regions, key=lambda r: r.priority).name.lower().replace("_", "-")


def connection_string(srv: str, password: str, database: str, user: str = APP_USER) -> str:
    """MONGODB_URI for the app (or `user`): the SRV host with the user's credentials and majority writes."""
    host = srv.removeprefix("mongodb+srv://")
    return (
        f"mongodb+srv://{user}:{quote(password, safe='')}@{host}/{database}"
        "?retryWrites=true&w=majority&authSource=admin"
    )


def sharding_roles(database: str) -> list[atlas.DatabaseUserRoleArgs]:
    """What the shard-key step runs: enableSharding, shardCollection, the hashed index, the catalog read."""
    return [
        atlas.DatabaseUserRoleArgs(role_name="enableSharding", database_name="admin"),
        atlas.DatabaseUserRoleArgs(role_name="clusterMonitor", database_name="admin"),
        atlas.DatabaseUserRoleArgs(role_name="readWrite", database_name=database),
    ]


@dataclass(frozen=True)
class BackupPolicies:
    """The snapshot schedule: hourly, daily, weekly and monthly snapshots with their retention."""

    hourly: atlas.CloudBackupSchedulePolicyItemHourlyArgs
    daily: atlas.CloudBackupSchedulePolicyItemDailyArgs
    weekly: atlas.CloudBackupSchedulePolicyItemWeeklyArgs
    monthly: atlas.CloudBackupSchedulePolicyItemMonthlyArgs


def backup_policies(backup: AtlasBackupConfig) -> BackupPolicies:
    """The snapshot schedule for the configured retention."""
    return BackupPolicies(
        hourly=atlas.CloudBackupSchedulePolicyItemHourlyArgs(
            frequency_interval=backup.hourly_every_hours,
            retention_unit="days",
            retention_value=backup.hourly_retention_days,
        ),
        daily=atlas.CloudBackupSchedulePolicyItemDailyArgs(
            frequency_interval=1, retention_unit="days", retention_value=backup.daily_retention_days
        ),
        weekly=atlas.CloudBackupSchedulePolicyItemWeeklyArgs(
            frequency_interval=7, retention_unit="weeks", retention_value=backup.weekly_retention_weeks
        ),
        monthly=atlas.CloudBackupSchedulePolicyItemMonthlyArgs(
            frequency_interval=40,  # Atlas's code for "the last day of the month"
            retention_unit="months",
            retention_value=backup.monthly_retention_months,
        ),
    )


@dataclass(frozen=True)
class DatabaseArgs:
    """What the database needs from the stack."""

    config: DatabaseConfig
    environment: str
    tags: dict[str, str]
    egress_cidrs: Sequence[pulumi.Output[str]]
    vpc_id: pulumi.Input[str]
    subnet_ids: pulumi.Input[list[str]]
    node_security_group_id: pulumi.Input[str]
    protect: bool
    aws_region: str
    """The stack's AWS region: where the customer key for encryption at rest lives."""


class AtlasDatabase(pulumi.ComponentResource):
    """The MongoDB the API stores users and tasks in."""

    cluster_name: pulumi.Output[str]
    """The Atlas cluster's name."""
    connection_string: pulumi.Output[str]
    """MONGODB_URI with the app user's password: a secret."""
    sharded_collection: pulumi.Output[str] | None
    """`<database>.tasks` once sharded on a hashed userId; None for a replica set."""

    def __init__(self, name: str, args: DatabaseArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("primetradeai:database:AtlasDatabase", name, None, opts)
        config = args.config
        child = pulumi.ResourceOptions(parent=self)
        keep = pulumi.ResourceOptions(parent=self, protect=args.protect)
        project = atlas.Project(
            f"{name}-project",
            org_id=config.org_id,
            name=f"primetradeai-{args.environment}",
            with_default_alerts_settings=True,
            opts=keep,
        )
        encryption = (
            AtlasEncryption(
                f"{name}-encryption",
                AtlasEncryptionArgs(
                    project_id=project.id, aws_region=args.aws_region, tags=args.tags, protect=args.protect
                ),
                opts=child,
            )
            if config.customer_managed_key
            else None
        )
        cluster = atlas.AdvancedCluster(
            f"{name}-cluster",
            project_id=project.id,
            name=f"{name}-{args.environment}",
            cluster_type=cluster_type(config),
            replication_specs=replication_specs(config),
            mongo_db_major_version=config.mongo_version,
            backup_enabled=config.backup.enabled,
            pit_enabled=config.backup.point_in_time_restore,
            retain_backups_enabled=args.protect,
            termination_protection_enabled=args.protect,
            advanced_configuration=atlas.AdvancedClusterAdvancedConfigurationArgs(
                minimum_enabled_tls_protocol="TLS1_2", javascript_enabled=False
            ),
            # Atlas refuses a cluster that names a key provider its project has not configured yet.
            encryption_at_rest_provider=encryption.provider_name if encryption else None,
            tags={"environment": args.environment, "project": "primetradeai"},
            opts=pulumi.ResourceOptions(
                parent=self,
                protect=args.protect,
                depends_on=[encryption.encryption_at_rest] if encryption else None,
            ),
        )
        if config.backup.enabled:
            policies = backup_policies(config.backup)
            atlas.CloudBackupSchedule(
                f"{name}-backups",
                project_id=project.id,
                cluster_name=cluster.name,
                reference_hour_of_day=3,
                reference_minute_of_hour=0,
                restore_window_days=config.backup.restore_window_days,
                policy_item_hourly=policies.hourly,
                policy_item_daily=policies.daily,
                policy_item_weeklies=[policies.weekly],
                policy_item_monthlies=[policies.monthly],
                opts=keep,
            )
        password = random.RandomPassword(f"{name}-app-password", length=40, special=False, opts=keep)
        atlas.DatabaseUser(
            f"{name}-app-user",
            project_id=project.id,
            username=APP_USER,
            password=password.result,
            auth_database_name="admin",
            # Least privilege: read and write the API's own database, on this cluster only.
            roles=[atlas.DatabaseUserRoleArgs(role_name="readWrite", database_name=config.database_name)],
            scopes=[atlas.DatabaseUserScopeArgs(name=cluster.name, type="CLUSTER")],
            opts=child,
        )
        if config.private_endpoint:
            srv = self._private_endpoint(name, args, project, cluster)
        else:
            for index, cidr in enumerate(args.egress_cidrs):
                atlas.ProjectIpAccessList(
                    f"{name}-egress-{index}",
                    project_id=project.id,
                    cidr_block=cidr,
                    comment=f"{args.environment} cluster egress (NAT {index})",
                    opts=child,
                )
            srv = cluster.connection_strings.apply(lambda c: str(c.standard_srv))
        self.cluster_name = cluster.name
        self.connection_string = secret_output(
            pulumi.Output.all(srv, password.result).apply(
                lambda parts: connection_string(str(parts[0]), str(parts[1]), config.database_name)
            )
        )
        self.sharded_collection = (
            self._shard_key(name, config.database_name, project, cluster, srv)
            if config.topology == "sharded"
            else None
        )
        self.register_outputs(
            {
                "clusterName": self.cluster_name,
                "connectionString": self.connection_string,
                "shardedCollection": self.sharded_collection,
            }
        )

    def _shard_key(
        self,
        name: str,
        database: str,
        project: atlas.Project,
        cluster: atlas.AdvancedCluster,
        srv: pulumi.Output[str],
    ) -> pulumi.Output[str]:
        child = pulumi.ResourceOptions(parent=self)
        password = random.RandomPassword(f"{name}-sharding-password", length=40, special=False, opts=child)
        user = atlas.DatabaseUser(
            f"{name}-sharding-user",
            project_id=project.id,
            username=SHARDING_USER,
            password=password.result,
            auth_database_name="admin",
            roles=sharding_roles(database),
            scopes=[atlas.DatabaseUserScopeArgs(name=cluster.name, type="CLUSTER")],
            opts=child,
        )
        uri = secret_output(
            pulumi.Output.all(srv, password.result).apply(
                lambda parts: connection_string(str(parts[0]), str(parts[1]), database, SHARDING_USER)
            )
        )
        shard_key = ShardKey(
            f"{name}-shard-key",
            connection_string=uri,
            database=database,
            collection=SHARDED_COLLECTION,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[cluster, user]),
        )
        return shard_key.namespace

    def _private_endpoint(
        self, name: str, args: DatabaseArgs, project: atlas.Project, cluster: atlas.AdvancedCluster
    ) -> pulumi.Output[str]:
        child = pulumi.ResourceOptions(parent=self)
        endpoint = atlas.PrivateLinkEndpoint(
            f"{name}-privatelink",
            project_id=project.id,
            provider_name="AWS",
            region=primary_region(args.config.regions),
            opts=child,
        )
        group = aws.ec2.SecurityGroup(
            f"{name}-privatelink-sg",
            vpc_id=args.vpc_id,
            description=f"{name}: Atlas private endpoint, reachable only from the cluster's nodes",
            tags=with_name(args.tags, f"{name}-privatelink-sg"),
            opts=child,
        )
        aws.vpc.SecurityGroupIngressRule(
            f"{name}-privatelink-from-nodes",
            security_group_id=group.id,
            referenced_security_group_id=args.node_security_group_id,
            ip_protocol="tcp",
            from_port=1024,  # Atlas maps each member to its own port on the endpoint
            to_port=65535,
            description="MongoDB from the cluster's nodes",
            tags=args.tags,
            opts=child,
        )
        interface = aws.ec2.VpcEndpoint(
            f"{name}-privatelink",
            vpc_id=args.vpc_id,
            service_name=endpoint.endpoint_service_name,
            vpc_endpoint_type="Interface",
            subnet_ids=args.subnet_ids,
            security_group_ids=[group.id],
            tags=with_name(args.tags, f"{name}-privatelink"),
            opts=child,
        )
        atlas.PrivateLinkEndpointService(
            f"{name}-privatelink-service",
            project_id=project.id,
            private_link_id=endpoint.private_link_id,
            endpoint_service_id=interface.id,
            provider_name="AWS",
            opts=child,
        )
        return cluster.connection_strings.apply(
            lambda c: (
                str(c.private_endpoints[0].srv_connection_string)
                if c.private_endpoints
                else str(c.standard_srv)
            )
        )
