"""The plain functions the components hand their decisions to."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pulumi_kubernetes.core.v1.outputs import LoadBalancerIngress, LoadBalancerStatus, ServiceStatus

from infra.components.app_secrets import reader_policy, secret_payload
from infra.components.atlas_database import (
    cluster_type,
    connection_string,
    primary_region,
    replication_specs,
    sharding_roles,
)
from infra.components.cluster import kubeconfig_for, namespace_labels, public_access_cidrs
from infra.components.edge import (
    load_balancer_hostname,
    rate_limit_rules,
    static_asset_expression,
    zone_rulesets,
    zone_settings,
)
from infra.components.network import nat_gateway_count, subnet_cidrs
from infra.components.redis_cache import parameter_family, redis_url, replication_for
from infra.components.task_api import CHART_DIR, chart_path, chart_values
from infra.config.cluster import ClusterConfig
from infra.config.schema import AppConfig, CacheConfig, DatabaseConfig, EdgeConfig


def _database(**values: Any) -> DatabaseConfig:
    return DatabaseConfig.model_validate({"orgId": "5f0c0ffee0c0ffee0c0ffee0", **values})


def test_subnets_do_not_overlap_and_private_ones_are_larger() -> None:
    public, private = subnet_cidrs("10.40.0.0/16", 3)
    assert private == ["10.40.0.0/19", "10.40.32.0/19", "10.40.64.0/19"]
    assert len(public) == 3
    assert all(cidr.endswith("/24") for cidr in public)
    assert not set(public) & set(private)


def test_a_vpc_too_small_for_its_zones_is_refused() -> None:
    with pytest.raises(ValueError, match="too small"):
        subnet_cidrs("10.0.0.0/24", 3)


def test_a_single_nat_gateway_is_a_choice_per_zone_is_the_default() -> None:
    assert nat_gateway_count("single", 3) == 1
    assert nat_gateway_count("perZone", 3) == 3


def test_multi_az_turns_on_automatic_failover() -> None:
    replication = replication_for(CacheConfig.model_validate({"numNodes": 3, "multiAz": True}))
    assert replication.automatic_failover
    assert replication.num_cache_clusters == 3
    assert not replication_for(CacheConfig()).automatic_failover


def test_redis_is_reached_over_tls_with_the_auth_token() -> None:
    assert redis_url("tok", "h.cache.amazonaws.com", 6379) == "rediss://:tok@h.cache.amazonaws.com:6379/0"
    assert parameter_family("7.1") == "redis7"


def test_the_connection_string_escapes_the_password() -> None:
    uri = connection_string("mongodb+srv://c.x.mongodb.net", "p@ss/word", "taskmanager")
    assert uri.startswith("mongodb+srv://taskapi:p%40ss%2Fword@c.x.mongodb.net/taskmanager?")
    assert "w=majority" in uri


def test_a_sharded_cluster_has_one_spec_per_shard() -> None:
    config = _database(topology="sharded", shards=3, instanceSize="M30")
    assert cluster_type(config) == "SHARDED"
    assert len(replication_specs(config)) == 3


def test_the_sharding_user_may_shard_and_read_the_catalog_but_write_only_the_api_database() -> None:
    roles = {(role.role_name, role.database_name) for role in sharding_roles("taskmanager")}
    assert roles == {("enableSharding", "admin"), ("clusterMonitor", "admin"), ("readWrite", "taskmanager")}


def test_the_sharding_user_connects_with_its_own_name() -> None:
    uri = connection_string("mongodb+srv://c.x.mongodb.net", "pw", "taskmanager", "taskapi-sharding")
    assert uri.startswith("mongodb+srv://taskapi-sharding:pw@c.x.mongodb.net/taskmanager?")


def test_the_private_endpoint_lives_where_the_primary_prefers() -> None:
    config = _database(
        regions=[
            {"name": "US_EAST_1", "electableNodes": 1, "priority": 7},
            {"name": "US_WEST_2", "electableNodes": 2, "priority": 6},
        ]
    )
    assert primary_region(config.regions) == "us-east-1"


def test_the_kubeconfig_holds_no_credential_of_its_own() -> None:
    config = json.loads(kubeconfig_for("prod-eks", "https://x", "Q0E=", "eu-west-1"))
    (user,) = config["users"]
    assert set(user["user"]) == {"exec"}
    assert user["user"]["exec"]["args"][-1] == "eu-west-1"


def test_the_api_namespace_enforces_the_restricted_pod_security_standard() -> None:
    assert namespace_labels("taskapi")["pod-security.kubernetes.io/enforce"] == "restricted"


def test_zone_settings_are_strict_tls_https_only_with_hsts() -> None:
    settings = zone_settings(EdgeConfig.model_validate({"zoneId": "0" * 32}))
    assert settings["ssl"] == "strict"
    assert settings["min_tls_version"] == "1.2"
    assert settings["security_header"]["strict_transport_security"]["max_age"] == 31536000


def test_static_assets_are_cached_but_never_under_the_api() -> None:
    expression = static_asset_expression()
    assert '"js"' in expression
    assert 'not starts_with(http.request.uri.path, "/api")' in expression


def test_the_edge_rate_limit_follows_config() -> None:
    config = EdgeConfig.model_validate(
        {"zoneId": "0" * 32, "rateLimit": {"requestsPerPeriod": 50, "periodSeconds": 10}}
    )
    (rule,) = rate_limit_rules(config)
    assert rule.ratelimit is not None


def test_each_ruleset_has_its_own_phase_and_the_waf_can_be_switched_off() -> None:
    on = zone_rulesets(EdgeConfig.model_validate({"zoneId": "0" * 32}))
    assert [r.phase for r in on.values()] == [
        "http_request_cache_settings",
        "http_request_firewall_managed",
        "http_ratelimit",
    ]
    off = zone_rulesets(EdgeConfig.model_validate({"zoneId": "0" * 32, "wafManagedRulesets": False}))
    assert "http_request_firewall_managed" not in {r.phase for r in off.values()}


def test_a_controller_without_an_address_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="no load balancer address yet"):
        load_balancer_hostname(ServiceStatus(load_balancer=LoadBalancerStatus(ingress=[])))
    status = ServiceStatus(
        load_balancer=LoadBalancerStatus(ingress=[LoadBalancerIngress(hostname="lb.example")])
    )
    assert load_balancer_hostname(status) == "lb.example"


def test_sentry_dsn_is_in_the_secret_only_when_enabled() -> None:
    assert "SENTRY_DSN" not in secret_payload("m", "r", "j", None)
    assert secret_payload("m", "r", "j", "d")["SENTRY_DSN"] == "d"


def test_the_reader_policy_decrypts_only_through_secrets_manager_in_its_region() -> None:
    policy = json.loads(reader_policy("arn:secret", "arn:key", "eu-west-1"))
    decrypt = policy["Statement"][1]
    assert decrypt["Condition"]["StringEquals"]["kms:ViaService"] == "secretsmanager.eu-west-1.amazonaws.com"


def test_chart_values_map_the_environment_and_omit_an_empty_digest() -> None:
    app = AppConfig.model_validate({"image": {"tag": "1.0.0"}, "host": "api.example.com"})
    values = chart_values(
        app,
        "prod",
        secret_name="s",
        tls_secret_name="t",
        service_account_role_arn=None,
        database_name="db",
        sentry_enabled=False,
        sentry_traces_sample_rate=0.25,
        secret_version="v1",
        data_store_cidrs=["10.40.0.0/16"],
        mongodb_over_internet=True,
    )
    assert values["config"]["appEnv"] == "production"
    assert values["config"]["sentryTracesSampleRate"] == 0.25
    assert "digest" not in values["image"]
    assert values["serviceAccount"]["annotations"] == {}
    assert (values["existingSecretVersion"], values["sentryEnabled"]) == ("v1", False)
    assert values["networkPolicy"] == {
        "allowHttpsEgress": False,
        "dataStoreCidrs": ["10.40.0.0/16"],
        "mongodbOverInternet": True,
    }


def test_the_chart_path_is_relative_to_where_pulumi_runs() -> None:
    assert chart_path(start=str(CHART_DIR.parent.parent)) == "charts/taskapi"
    assert not chart_path().startswith("/")


def _cluster(**values: Any) -> ClusterConfig:
    return ClusterConfig.model_validate(
        {"adminRoleArns": ["arn:aws:iam::123456789012:role/deploy"], **values}
    )


def test_the_public_endpoint_admits_the_configured_blocks_and_a_private_one_names_none() -> None:
    assert public_access_cidrs(_cluster(endpointPublicAccessCidrs=["192.0.2.0/24"])) == ["192.0.2.0/24"]
    # Left out rather than sent empty: EKS reads an empty list as 0.0.0.0/0.
    assert public_access_cidrs(_cluster(endpointPublicAccess=False)) is None
