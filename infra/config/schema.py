"""The one typed schema for everything a stack sets under the `primetradeai:` namespace.

Keys are camelCase in the stack files (Pulumi's convention) and snake_case in Python. Every section
forbids unknown keys, and combinations that cannot work (Multi-AZ with one node, a sharded cluster below
M30, an autoscaler whose minimum exceeds its maximum...) fail here, before any resource exists.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, Self

from pydantic import Field, NonNegativeInt, PositiveInt, field_validator, model_validator

from infra.config.cluster import ClusterConfig, refuse_public_kubernetes_api
from infra.config.conflict import ConfigConflictError
from infra.config.section import Section

Environment = Literal["dev", "staging", "prod"]
AtlasInstanceSize = Literal["M10", "M20", "M30", "M40", "M50", "M60", "M80"]
_QUANTITY = re.compile(r"^\d+(\.\d+)?(m|Mi|Gi|Ki)?$")
_HOSTNAME = re.compile(r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


class NetworkConfig(Section):
    """A new VPC over three zones, or an existing one by id."""

    mode: Literal["create", "existing"] = "create"
    cidr_block: str = "10.40.0.0/16"
    availability_zones: Annotated[int, Field(ge=2, le=6)] = 3
    nat_gateways: Literal["single", "perZone"] = "perZone"
    """One NAT gateway (cheaper, one zone's outage cuts egress) or one per zone."""
    vpc_id: str | None = None
    private_subnet_ids: tuple[str, ...] = ()
    public_subnet_ids: tuple[str, ...] = ()
    egress_cidrs: tuple[str, ...] = ()
    """The existing VPC's NAT addresses as /32 CIDRs, for the Atlas access list."""

    @model_validator(mode="after")
    def _existing_needs_its_parts(self) -> Self:
        if self.mode == "existing":
            if not self.vpc_id:
                raise ConfigConflictError("vpcId", "is required when mode is existing")
            if len(self.private_subnet_ids) < 2:
                raise ConfigConflictError("privateSubnetIds", "needs at least 2 subnets")
        elif self.vpc_id or self.private_subnet_ids or self.public_subnet_ids or self.egress_cidrs:
            raise ConfigConflictError("vpcId", "vpcId, subnets and egressCidrs need mode: existing")
        return self


class CacheConfig(Section):
    """The ElastiCache Redis replication group."""

    node_type: Annotated[str, Field(pattern=r"^cache\.[a-z0-9]+\.[a-z0-9]+$")] = "cache.t4g.micro"
    num_nodes: PositiveInt = 1
    """Primary plus replicas."""
    multi_az: bool = False
    """Multi-AZ with automatic failover; needs at least two nodes."""
    engine_version: Literal["7.0", "7.1"] = "7.1"
    snapshot_retention_days: Annotated[int, Field(ge=0, le=35)] = 1
    snapshot_window: str = "03:00-04:00"
    maintenance_window: str = "sun:05:00-sun:06:00"
    maxmemory_policy: Literal["allkeys-lru", "volatile-lru", "noeviction"] = "volatile-lru"

    @model_validator(mode="after")
    def _multi_az_needs_a_replica(self) -> Self:
        if self.multi_az and self.num_nodes < 2:
            raise ConfigConflictError("numNodes", "Multi-AZ with automatic failover needs at least 2 nodes")
        return self


class AtlasRegion(Section):
    """Where electable members run, and their election priority (7 is the preferred primary)."""

    name: Annotated[str, Field(pattern=r"^[A-Z]+(_[A-Z0-9]+)+$")]
    electable_nodes: Annotated[int, Field(ge=1, le=7)]
    priority: Annotated[int, Field(ge=1, le=7)]


class AtlasBackupConfig(Section):
    """Cloud backups: a snapshot schedule and, in prod, point-in-time restore."""

    enabled: bool = True
    point_in_time_restore: bool = False
    hourly_every_hours: Literal[1, 2, 4, 6, 8, 12] = 6
    hourly_retention_days: Annotated[int, Field(ge=1, le=30)] = 2
    daily_retention_days: Annotated[int, Field(ge=1, le=365)] = 7
    weekly_retention_weeks: Annotated[int, Field(ge=1, le=52)] = 4
    monthly_retention_months: Annotated[int, Field(ge=1, le=36)] = 12
    restore_window_days: Annotated[int, Field(ge=1, le=7)] = 2

    @model_validator(mode="after")
    def _pit_needs_backups(self) -> Self:
        if self.point_in_time_restore and not self.enabled:
            raise ConfigConflictError("pointInTimeRestore", "needs backup.enabled")
        return self


class DatabaseConfig(Section):
    """The MongoDB Atlas project and cluster."""

    org_id: Annotated[str, Field(pattern=r"^[0-9a-f]{24}$")]
    instance_size: AtlasInstanceSize = "M10"
    mongo_version: Literal["7.0", "8.0"] = "8.0"
    regions: tuple[AtlasRegion, ...] = (
        AtlasRegion.model_validate({"name": "US_EAST_1", "electableNodes": 3, "priority": 7}),
    )
    topology: Literal["replicaSet", "sharded"] = "replicaSet"
    shards: Annotated[int, Field(ge=1, le=50)] = 1
    disk_size_gb: Annotated[int, Field(ge=10, le=4096)] = 10
    database_name: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,63}$")] = "taskmanager"
    private_endpoint: bool = False
    """Reach Atlas over AWS PrivateLink instead of the public endpoint with an IP access list."""
    backup: AtlasBackupConfig = AtlasBackupConfig()
    customer_managed_key: bool = False
    """Encrypt at rest with a KMS key the stack creates (Atlas encryption at rest with AWS KMS) instead of
    Atlas's own keys. Unset in a stack file: on in prod, off elsewhere; prod cannot turn it off."""

    @field_validator("regions")
    @classmethod
    def _regions_elect_a_primary(cls, regions: tuple[AtlasRegion, ...]) -> tuple[AtlasRegion, ...]:
        if not regions:
            raise ValueError("at least one region is required")
        priorities = [r.priority for r in regions]
        if priorities != list(range(7, 7 - len(regions), -1)):
            raise ValueError("priorities must be 7, 6, 5... in the order the regions are listed")
        electable = sum(r.electable_nodes for r in regions)
        if electable < 3 or electable % 2 == 0:
            raise ValueError(f"an odd number of electable members, at least 3, is required (got {electable})")
        return regions

    @model_validator(mode="after")
    def _sharding_needs_m30(self) -> Self:
        if self.topology == "sharded" and self.instance_size in ("M10", "M20"):
            raise ConfigConflictError("instanceSize", "Atlas sharded clusters need M30 or larger")
        if self.topology == "replicaSet" and self.shards != 1:
            raise ConfigConflictError("shards", "only a sharded topology has more than one shard")
        return self


class ImageConfig(Section):
    """The API's container image."""

    repository: str = "ghcr.io/primetradeai/taskapi"
    tag: Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")]
    digest: Annotated[str, Field(pattern=r"^(sha256:[0-9a-f]{64})?$")] = ""

    @field_validator("tag")
    @classmethod
    def _never_latest(cls, tag: str) -> str:
        if tag == "latest":
            raise ValueError("pin a version; `latest` changes under a running deployment")
        return tag


class Quantities(Section):
    """Kubernetes CPU and memory quantities."""

    cpu: Annotated[str, Field(pattern=_QUANTITY.pattern)]
    memory: Annotated[str, Field(pattern=_QUANTITY.pattern)]


class ResourcesConfig(Section):
    requests: Quantities = Quantities(cpu="250m", memory="256Mi")
    limits: Quantities = Quantities(cpu="500m", memory="512Mi")


class AutoscalingConfig(Section):
    enabled: bool = False
    min_replicas: PositiveInt = 2
    max_replicas: PositiveInt = 10

    @model_validator(mode="after")
    def _bounds_are_ordered(self) -> Self:
        if self.min_replicas > self.max_replicas:
            raise ConfigConflictError("minReplicas", "must not exceed maxReplicas")
        return self


class AppConfig(Section):
    """The task API release."""

    image: ImageConfig
    replicas: PositiveInt = 2
    resources: ResourcesConfig = ResourcesConfig()
    autoscaling: AutoscalingConfig = AutoscalingConfig()
    host: Annotated[str, Field(max_length=253, pattern=_HOSTNAME.pattern)]
    ingress_class_name: str = "nginx"
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    web_concurrency: PositiveInt = 1
    cors_origins: tuple[Annotated[str, Field(pattern=r"^https://[^\s/]+$")], ...] = ()
    rate_limit_max: PositiveInt = 100
    rate_limit_window_seconds: PositiveInt = 900
    trusted_proxy_hops: NonNegativeInt = 2
    """Cloudflare, then the ingress controller, add one X-Forwarded-For hop each."""


class EdgeRateLimit(Section):
    requests_per_period: PositiveInt = 600
    period_seconds: Literal[10, 60, 120, 300, 600, 3600] = 60
    mitigation_timeout_seconds: Literal[0, 10, 60, 120, 300, 600, 3600, 86400] = 600


class EdgeConfig(Section):
    """Cloudflare in front of the API."""

    zone_id: Annotated[str, Field(pattern=r"^[0-9a-f]{32}$")]
    static_cache_ttl_seconds: PositiveInt = 86400
    waf_managed_rulesets: bool = True
    rate_limit: EdgeRateLimit = EdgeRateLimit()
    origin_certificate_days: Literal[7, 30, 90, 365, 730, 1095, 5475] = 5475
    hsts_max_age_seconds: Annotated[int, Field(ge=0, le=63072000)] = 31536000
    origin_hostname: Annotated[str, Field(max_length=253, pattern=_HOSTNAME.pattern)] | None = None
    """The load balancer the DNS record points at when the cluster brings its own ingress controller
    (cluster.ingressController: false); otherwise the program reads the one it installs."""


class DatadogConfig(Section):
    enabled: bool = False
    site: Literal["datadoghq.com", "datadoghq.eu", "us3.datadoghq.com", "us5.datadoghq.com"] = "datadoghq.com"
    chart_version: str = "3.110.0"


class SentryConfig(Section):
    enabled: bool = False
    traces_sample_rate: Annotated[float, Field(ge=0, le=1)] = 0.0
    """The share of requests traced (SENTRY_TRACES_SAMPLE_RATE); 0, errors and release health only, spares
    every request the transaction it would start (docs/benchmarks.md)."""


class ObservabilityConfig(Section):
    datadog: DatadogConfig = DatadogConfig()
    sentry: SentryConfig = SentryConfig()


class PolicySuppression(Section):
    """One policy waived for one resource, with the reason a reviewer reads in every policy report."""

    policy: str = Field(min_length=1)
    resource: str = Field(min_length=1)
    """The resource's logical name, or its whole URN."""
    reason: str = Field(min_length=1)


class StackConfig(Section):
    """Everything one stack sets."""

    environment: Environment
    protect_data_stores: bool
    """`protect` on the cache, the database and their secrets: `pulumi destroy` must be undone first."""
    network: NetworkConfig = NetworkConfig()
    cluster: ClusterConfig
    cache: CacheConfig = CacheConfig()
    database: DatabaseConfig
    app: AppConfig
    edge: EdgeConfig
    observability: ObservabilityConfig = ObservabilityConfig()
    policy_suppressions: tuple[PolicySuppression, ...] = ()
    """Read by `primetradeai policy` (and written into the pack's config), not by the program."""

    @model_validator(mode="before")
    @classmethod
    def _customer_key_on_by_default_in_prod(cls, data: Any) -> Any:
        database = data.get("database") if isinstance(data, dict) else None
        if isinstance(database, dict) and "customerManagedKey" not in database:
            return {**data, "database": {**database, "customerManagedKey": data.get("environment") == "prod"}}
        return data

    @model_validator(mode="after")
    def _prod_keeps_its_own_keys(self) -> Self:
        if self.environment == "prod" and not self.database.customer_managed_key:
            raise ConfigConflictError(
                "database.customerManagedKey",
                "must be true in prod: the data stays encrypted under the stack's own KMS key",
            )
        return self

    @model_validator(mode="after")
    def _prod_kubernetes_api_is_not_public(self) -> Self:
        if self.environment == "prod":
            refuse_public_kubernetes_api(self.cluster)
        return self

    @model_validator(mode="after")
    def _private_endpoint_or_egress(self) -> Self:
        if (
            self.network.mode == "existing"
            and not self.database.private_endpoint
            and not self.network.egress_cidrs
        ):
            raise ConfigConflictError(
                "network.egressCidrs",
                "the Atlas access list needs the VPC's egress addresses or a private endpoint",
            )
        return self

    @model_validator(mode="after")
    def _edge_has_one_origin(self) -> Self:
        if not self.cluster.ingress_controller and self.edge.origin_hostname is None:
            raise ConfigConflictError(
                "edge.originHostname", "is required when cluster.ingressController is false"
            )
        if self.cluster.ingress_controller and self.edge.origin_hostname is not None:
            raise ConfigConflictError(
                "edge.originHostname",
                "needs cluster.ingressController: false (else DNS points at the controller installed here)",
            )
        return self
