"""The primetradeai stack: network, cluster, data stores, secrets, the API, the edge, observability."""

import pulumi

from infra.app import AppArgs, TaskApi, chart_values
from infra.cache import CacheArgs, RedisCache
from infra.cluster import Cluster, ClusterArgs
from infra.config.loader import aws_region, load_stack_config
from infra.database import AtlasDatabase, DatabaseArgs
from infra.edge import Edge, EdgeArgs
from infra.network import Network, NetworkArgs
from infra.observability import Observability, ObservabilityArgs
from infra.secrets import AppSecrets, SecretsArgs
from infra.tagging import standard_tags

# 1. Config: validated as a whole before anything is registered.
config, secrets = load_stack_config()
region = aws_region()
env = config.environment
tags = standard_tags(env)
protect = config.protect_data_stores

# 2. Where things run.
network = Network(env, NetworkArgs(config.network, tags))
cluster = Cluster(
    env,
    ClusterArgs(
        config.cluster,
        tags,
        network.private_subnet_ids,
        network.public_subnet_ids,
        secrets.kubeconfig,
        region,
    ),
)

# 3. Data stores.
cache = RedisCache(
    env,
    CacheArgs(
        config.cache,
        tags,
        network.vpc_id,
        network.private_subnet_ids,
        cluster.node_security_group_id,
        protect,
    ),
)
database = AtlasDatabase(
    "taskapi",
    DatabaseArgs(
        config.database,
        env,
        tags,
        network.egress_cidrs,
        network.vpc_id,
        network.private_subnet_ids,
        cluster.node_security_group_id,
        protect,
    ),
)

# 4. Observability switches, then the secrets the API reads.
observability = Observability(
    env,
    ObservabilityArgs(
        config.observability,
        cluster.cluster_name,
        cluster.provider,
        secrets.datadog_api_key,
        secrets.sentry_dsn,
    ),
)
app_secrets = AppSecrets(
    env,
    SecretsArgs(
        env,
        tags,
        database.connection_string,
        cache.redis_url,
        observability.sentry_dsn,
        cluster.namespace,
        cluster.provider,
        cluster.oidc_provider_arn,
        cluster.oidc_issuer,
        region,
        protect,
    ),
)

# 5. The edge (DNS, TLS, WAF) and the API behind it.
edge = Edge(
    env, EdgeArgs(config.edge, config.app.host, cluster.namespace, cluster.provider, cluster.ingress_ready)
)
values = chart_values(
    config.app,
    env,
    secret_name=app_secrets.secret_name,
    tls_secret_name=edge.tls_secret_name,
    service_account_role_arn=app_secrets.reader_role_arn,
    database_name=config.database.database_name,
    sentry_enabled=observability.sentry_dsn is not None,
)
TaskApi(
    env,
    AppArgs(
        config.app,
        env,
        cluster.namespace,
        cluster.provider,
        values,
        [app_secrets, edge, *cluster.ingress_ready],
    ),
)

# 6. Outputs.
pulumi.export("apiUrl", edge.api_url)
pulumi.export("redisEndpoint", cache.primary_endpoint)
pulumi.export("atlasConnectionString", database.connection_string)
pulumi.export("clusterName", cluster.cluster_name)
if database.post_deploy is not None:
    pulumi.export("postDeploy", database.post_deploy)
