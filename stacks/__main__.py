"""The primetradeai stack: network, cluster, data stores, secrets, the API, the edge, observability."""

import pulumi

from infra.config.loader import aws_region, load_stack_config

# 1. Config: validated as a whole before anything is registered, and before the provider SDKs load
#    (pulumi_cloudflare alone takes seconds), so a mistake in the stack file is reported at once.
config, secrets = load_stack_config()
region = aws_region()

from infra.components.app_secrets import AppSecrets, SecretsArgs
from infra.components.atlas_database import AtlasDatabase, DatabaseArgs
from infra.components.cluster import Cluster, ClusterArgs
from infra.components.edge import Edge, EdgeArgs
from infra.components.monitoring import Observability, ObservabilityArgs
from infra.components.network import Network, NetworkArgs
from infra.components.redis_cache import CacheArgs, RedisCache
from infra.components.tagging import standard_tags
from infra.components.task_api import AppArgs, TaskApi, chart_values

env = config.environment
tags = standard_tags(env)
protect = config.protect_data_stores

# 2. Where things run.
network = Network(env, NetworkArgs(config=config.network, tags=tags))
cluster = Cluster(
    env,
    ClusterArgs(
        config=config.cluster,
        tags=tags,
        private_subnet_ids=network.private_subnet_ids,
        public_subnet_ids=network.public_subnet_ids,
        kubeconfig=secrets.kubeconfig,
        region=region,
    ),
)

# 3. Data stores, reachable only from the cluster.
cache = RedisCache(
    env,
    CacheArgs(
        config=config.cache,
        tags=tags,
        vpc_id=network.vpc_id,
        subnet_ids=network.private_subnet_ids,
        node_security_group_id=cluster.node_security_group_id,
        protect=protect,
    ),
)
database = AtlasDatabase(
    "taskapi",
    DatabaseArgs(
        config=config.database,
        environment=env,
        tags=tags,
        egress_cidrs=network.egress_cidrs,
        vpc_id=network.vpc_id,
        subnet_ids=network.private_subnet_ids,
        node_security_group_id=cluster.node_security_group_id,
        protect=protect,
        aws_region=region,
    ),
)

# 4. Observability switches, then the Secret the API reads.
observability = Observability(
    env,
    ObservabilityArgs(
        config=config.observability,
        cluster_name=cluster.cluster_name,
        provider=cluster.provider,
        datadog_api_key=secrets.datadog_api_key,
        sentry_dsn=secrets.sentry_dsn,
    ),
)
app_secrets = AppSecrets(
    env,
    SecretsArgs(
        environment=env,
        tags=tags,
        mongodb_uri=database.connection_string,
        redis_url=cache.redis_url,
        sentry_dsn=observability.sentry_dsn,
        namespace=cluster.namespace,
        provider=cluster.provider,
        oidc_provider_arn=cluster.oidc_provider_arn,
        oidc_issuer=cluster.oidc_issuer,
        region=region,
        protect=protect,
    ),
)

# 5. The edge (DNS, TLS, WAF) and the API behind it.
edge = Edge(
    env,
    EdgeArgs(
        config=config.edge,
        host=config.app.host,
        namespace=cluster.namespace,
        provider=cluster.provider,
        ingress_ready=cluster.ingress_ready,
    ),
)
TaskApi(
    env,
    AppArgs(
        config=config.app,
        environment=env,
        namespace=cluster.namespace,
        provider=cluster.provider,
        values=chart_values(
            config.app,
            env,
            secret_name=app_secrets.secret_name,
            tls_secret_name=edge.tls_secret_name,
            service_account_role_arn=app_secrets.reader_role_arn,
            database_name=config.database.database_name,
            sentry_enabled=observability.sentry_dsn is not None,
            sentry_traces_sample_rate=config.observability.sentry.traces_sample_rate,
            secret_version=app_secrets.secret_version,
            data_store_cidrs=[network.cidr_block],
            mongodb_over_internet=not config.database.private_endpoint,
        ),
        depends_on=[app_secrets, edge, *cluster.ingress_ready],
    ),
)

# 6. Outputs.
pulumi.export("apiUrl", edge.api_url)
pulumi.export("redisEndpoint", cache.primary_endpoint)
pulumi.export("atlasConnectionString", database.connection_string)
pulumi.export("clusterName", cluster.cluster_name)
if database.sharded_collection is not None:
    pulumi.export("shardedCollection", database.sharded_collection)
