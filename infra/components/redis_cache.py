"""The cache: an ElastiCache Redis replication group, encrypted, AUTH-protected, reachable only from nodes."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
import pulumi_random as random

from infra.components.outputs import secret_output
from infra.components.tagging import with_name
from infra.config.schema import CacheConfig

REDIS_PORT = 6379


@dataclass(frozen=True)
class Replication:
    """How many nodes, and whether a replica in another zone takes over on its own."""

    num_cache_clusters: int
    automatic_failover: bool
    multi_az: bool


def replication_for(config: CacheConfig) -> Replication:
    """Multi-AZ implies automatic failover; the schema already refused Multi-AZ with a single node."""
    return Replication(
        num_cache_clusters=config.num_nodes,
        automatic_failover=config.multi_az,
        multi_az=config.multi_az,
    )


def parameter_family(engine_version: str) -> str:
    """The parameter group family of a Redis engine version (7.0 and 7.1 are both `redis7`)."""
    return f"redis{engine_version.split('.')[0]}"


def redis_url(auth_token: str, host: str, port: int) -> str:
    """REDIS_URL for the app: TLS (`rediss`), the AUTH token as the default user's password."""
    return f"rediss://:{auth_token}@{host}:{port}/0"


@dataclass(frozen=True)
class CacheArgs:
    """What the cache needs from the stack."""

    config: CacheConfig
    tags: dict[str, str]
    vpc_id: pulumi.Input[str]
    subnet_ids: pulumi.Input[list[str]]
    node_security_group_id: pulumi.Input[str]
    protect: bool


class RedisCache(pulumi.ComponentResource):
    """Redis for the profile cache and the rate limiter."""

    primary_endpoint: pulumi.Output[str]
    """The primary's host name."""
    port: int
    """The port Redis listens on."""
    redis_url: pulumi.Output[str]
    """REDIS_URL, with the AUTH token: a secret."""

    def __init__(self, name: str, args: CacheArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("primetradeai:cache:RedisCache", name, None, opts)
        config, tags = args.config, args.tags
        child = pulumi.ResourceOptions(parent=self)
        keep = pulumi.ResourceOptions(parent=self, protect=args.protect)
        group = aws.ec2.SecurityGroup(
            f"{name}-sg",
            vpc_id=args.vpc_id,
            description=f"{name}: Redis, reachable only from the cluster's nodes",
            tags=with_name(tags, f"{name}-sg"),
            opts=child,
        )
        aws.vpc.SecurityGroupIngressRule(
            f"{name}-from-nodes",
            security_group_id=group.id,
            referenced_security_group_id=args.node_security_group_id,
            ip_protocol="tcp",
            from_port=REDIS_PORT,
            to_port=REDIS_PORT,
            description="Redis from the cluster's nodes",
            tags=tags,
            opts=child,
        )
        subnets = aws.elasticache.SubnetGroup(
            f"{name}-subnets",
            subnet_ids=args.subnet_ids,
            description=f"{name}: private subnets",
            tags=tags,
            opts=child,
        )
        parameters = aws.elasticache.ParameterGroup(
            f"{name}-params",
            family=parameter_family(config.engine_version),
            description=f"{name}: eviction policy for a cache with rate-limit counters",
            parameters=[
                aws.elasticache.ParameterGroupParameterArgs(
                    name="maxmemory-policy", value=config.maxmemory_policy
                )
            ],
            tags=tags,
            opts=child,
        )
        # A customer key of its own (not the AWS-owned default): rotation and who may decrypt the data
        # and its snapshots are then ours to set and to audit, apart from the secrets' key.
        key = aws.kms.Key(
            f"{name}-redis-key",
            description=f"{name}: ElastiCache data and snapshots at rest",
            enable_key_rotation=True,
            deletion_window_in_days=30,
            tags=tags,
            opts=keep,
        )
        auth_token = random.RandomPassword(
            f"{name}-auth-token",
            length=64,
            special=False,  # ElastiCache refuses some punctuation in AUTH tokens
            opts=keep,
        )
        replication = replication_for(config)
        cluster = aws.elasticache.ReplicationGroup(
            f"{name}-redis",
            description=f"{name}: profile cache and rate limits",
            engine="redis",
            engine_version=config.engine_version,
            node_type=config.node_type,
            port=REDIS_PORT,
            num_cache_clusters=replication.num_cache_clusters,
            automatic_failover_enabled=replication.automatic_failover,
            multi_az_enabled=replication.multi_az,
            # pulumi-aws 7 leaves both encryptions off unless asked: every one is explicit here.
            at_rest_encryption_enabled=True,
            kms_key_id=key.arn,
            transit_encryption_enabled=True,
            transit_encryption_mode="required",
            auth_token=auth_token.result,
            auth_token_update_strategy="ROTATE",
            parameter_group_name=parameters.name,
            subnet_group_name=subnets.name,
            security_group_ids=[group.id],
            snapshot_retention_limit=config.snapshot_retention_days,
            snapshot_window=config.snapshot_window,
            maintenance_window=config.maintenance_window,
            final_snapshot_identifier=f"{name}-redis-final" if args.protect else None,
            auto_minor_version_upgrade=True,
            apply_immediately=False,
            tags=with_name(tags, f"{name}-redis"),
            opts=keep,
        )
        self.primary_endpoint = cluster.primary_endpoint_address
        self.port = REDIS_PORT
        self.redis_url = secret_output(
            pulumi.Output.all(auth_token.result, cluster.primary_endpoint_address).apply(
                lambda parts: redis_url(str(parts[0]), str(parts[1]), REDIS_PORT)
            )
        )
        self.register_outputs({"primaryEndpoint": self.primary_endpoint, "redisUrl": self.redis_url})
