"""A small stack in the shape of the real one: nested components, a protected data store, secrets,
an alias, an explicit provider and the taskapi chart deployed with Helm."""

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s
import pulumi_random as random

config = pulumi.Config()
redis_password = config.require_secret("redisPassword")
chart_path = config.require("chartPath")


class RedisCache(pulumi.ComponentResource):
    def __init__(self, name: str, opts: pulumi.ResourceOptions) -> None:
        super().__init__("primetradeai:cache:RedisCache", name, None, opts)
        subnets = aws.elasticache.SubnetGroup(
            f"{name}-subnets", subnet_ids=["subnet-a", "subnet-b"], opts=pulumi.ResourceOptions(parent=self)
        )
        self.group = aws.elasticache.ReplicationGroup(
            name,
            description="profile cache and rate limits",
            node_type="cache.t4g.small",
            num_cache_clusters=2,
            port=6379,
            auth_token=redis_password,
            at_rest_encryption_enabled=True,
            subnet_group_name=subnets.name,
            opts=pulumi.ResourceOptions(parent=self, protect=True),
        )
        # The mocks return no configuration endpoint, so under preview this value is unknown.
        aws.ssm.Parameter(
            f"{name}-config-endpoint",
            type="String",
            value="see description",
            description=self.group.configuration_endpoint_address,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.register_outputs({"endpoint": self.group.primary_endpoint_address})


class Platform(pulumi.ComponentResource):
    def __init__(self, name: str) -> None:
        super().__init__("primetradeai:platform:Platform", name, None)
        self.cache = RedisCache(f"{name}-redis", pulumi.ResourceOptions(parent=self))
        self.register_outputs({})


stack = pulumi.get_stack()
platform = Platform(stack)
jwt = random.RandomPassword(
    "jwt-secret",
    length=48,
    special=False,
    opts=pulumi.ResourceOptions(aliases=[pulumi.Alias(name="jwt")]),
)
cluster = k8s.Provider("cluster", kubeconfig="{}")
namespace = k8s.core.v1.Namespace(
    "taskapi", metadata={"name": "taskapi"}, opts=pulumi.ResourceOptions(provider=cluster)
)
k8s.helm.v4.Chart(
    "taskapi",
    chart=chart_path,
    namespace="taskapi",
    values={
        "replicaCount": config.require_int("replicas"),
        "existingSecret": "taskapi-secrets",
        "image": {"repository": "ghcr.io/primetradeai/taskapi", "tag": "1.4.2"},
        # A secret that lost its marker on the way into chart values, and one that kept it: the preview
        # must hide both, and nothing else in the values.
        "podAnnotations": {
            "cache-auth": pulumi.Output.unsecret(redis_password).apply(lambda p: f"auth={p}"),
            "cache-token": redis_password,
        },
    },
    opts=pulumi.ResourceOptions(provider=cluster, depends_on=[namespace]),
)

pulumi.export("redisEndpoint", platform.cache.group.primary_endpoint_address)
pulumi.export("redisUrl", pulumi.Output.concat("rediss://:", redis_password, "@cache:6379"))
pulumi.export("jwtSecret", jwt.result)
pulumi.export("replicas", config.require_int("replicas"))
