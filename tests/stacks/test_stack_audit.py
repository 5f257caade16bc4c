"""What an auditor checks: encryption, reachability, backups, protection, HA, privilege, secrets."""

from __future__ import annotations

import json

import pytest

from infra.harness import StackRun
from infra.harness.mocks import ACCOUNT_ID
from infra.pulumi_wire import is_secret, reveal
from tests.stacks.audit import (
    app_release,
    app_secret,
    managed,
    plain_strings,
    rotating_customer_key,
    secret_strings,
)

REDIS = "aws:elasticache/replicationGroup:ReplicationGroup"
ATLAS_CLUSTER = "mongodbatlas:index/advancedCluster:AdvancedCluster"
ATLAS_ENCRYPTION = "mongodbatlas:index/encryptionAtRest:EncryptionAtRest"
ATLAS_ACCESS_SETUP = "mongodbatlas:index/cloudProviderAccessSetup:CloudProviderAccessSetup"
ATLAS_ACCESS_AUTHORIZATION = (
    "mongodbatlas:index/cloudProviderAccessAuthorization:CloudProviderAccessAuthorization"
)
DATA_STORES = (
    REDIS,
    ATLAS_CLUSTER,
    "mongodbatlas:index/project:Project",
    "mongodbatlas:index/cloudBackupSchedule:CloudBackupSchedule",
)
# What the node and cluster roles may carry: AWS's EKS policies, never an administrator's.
EKS_MANAGED_POLICIES = {
    "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy",
    "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
    "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
    "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
}


# Encryption


def test_redis_encrypts_at_rest_and_in_transit_with_an_auth_token(run: StackRun) -> None:
    redis = run.one(REDIS).inputs
    assert redis["atRestEncryptionEnabled"] is True
    assert redis["transitEncryptionEnabled"] is True
    assert redis["transitEncryptionMode"] == "required"
    assert is_secret(redis["authToken"])
    assert len(reveal(redis["authToken"])) >= 32


def test_atlas_refuses_tls_below_1_2(run: StackRun) -> None:
    config = run.one(ATLAS_CLUSTER).inputs["advancedConfiguration"]
    assert config["minimumEnabledTlsProtocol"] == "TLS1_2"


def test_redis_encrypts_at_rest_with_its_own_rotating_customer_key(run: StackRun) -> None:
    key = rotating_customer_key(run, run.one(REDIS).inputs["kmsKeyId"])
    assert key.name == f"{run.stack}-redis-key"
    # Deleting the key would make the data and every snapshot unreadable: prod protects it too.
    assert key.options.protect is (run.stack == "prod")


def test_secrets_manager_uses_a_rotating_customer_key(run: StackRun) -> None:
    rotating_customer_key(run, run.one("aws:secretsmanager/secret:Secret").inputs["kmsKeyId"])


def test_kubernetes_secrets_are_envelope_encrypted_with_a_rotating_customer_key(run: StackRun) -> None:
    eks = run.one("aws:eks/cluster:Cluster").inputs
    (config,) = [eks["encryptionConfig"]]
    assert config["resources"] == ["secrets"]
    rotating_customer_key(run, config["provider"]["keyArn"])
    assert eks["version"] == "1.34"


def test_each_data_store_has_a_key_of_its_own(run: StackRun) -> None:
    keys = {k.outputs["keyId"]: k.outputs["arn"] for k in run.by_type("aws:kms/key:Key")}
    used = [
        run.one(REDIS).inputs["kmsKeyId"],
        run.one("aws:secretsmanager/secret:Secret").inputs["kmsKeyId"],
        run.one("aws:eks/cluster:Cluster").inputs["encryptionConfig"]["provider"]["keyArn"],
        *(keys[e.inputs["awsKmsConfig"]["customerMasterKeyId"]] for e in run.by_type(ATLAS_ENCRYPTION)),
    ]
    assert len(set(used)) == len(used) == (4 if run.stack == "prod" else 3)


def test_prod_atlas_encrypts_at_rest_with_its_own_rotating_customer_key(prod: StackRun) -> None:
    cluster, encryption = prod.one(ATLAS_CLUSTER), prod.one(ATLAS_ENCRYPTION)
    assert cluster.inputs["encryptionAtRestProvider"] == "AWS"
    # Atlas refuses a cluster that names a key provider its project has not configured yet.
    assert encryption.urn in cluster.dependencies
    kms = encryption.inputs["awsKmsConfig"]
    assert (kms["enabled"], kms["region"]) == (True, "US_EAST_1")
    keys = {k.outputs["keyId"]: k for k in prod.by_type("aws:kms/key:Key")}
    key = rotating_customer_key(prod, keys[kms["customerMasterKeyId"]].outputs["arn"])
    assert key.name == "taskapi-encryption-key"
    assert encryption.inputs["projectId"] == prod.one("mongodbatlas:index/project:Project").id


def test_only_atlas_presenting_the_projects_external_id_may_assume_the_key_role(prod: StackRun) -> None:
    setup = prod.one(ATLAS_ACCESS_SETUP)
    (atlas_side,) = setup.outputs["awsConfigs"]
    role = next(r for r in prod.by_type("aws:iam/role:Role") if r.name == "taskapi-encryption-atlas-role")
    (statement,) = json.loads(role.inputs["assumeRolePolicy"])["Statement"]
    assert statement["Principal"] == {"AWS": atlas_side["atlasAwsAccountArn"]}
    assert statement["Action"] == "sts:AssumeRole"
    assert statement["Condition"] == {
        "StringEquals": {"sts:ExternalId": atlas_side["atlasAssumedRoleExternalId"]}
    }
    authorization = prod.one(ATLAS_ACCESS_AUTHORIZATION).inputs
    assert authorization["roleId"] == setup.outputs["roleId"]
    assert authorization["aws"] == {"iamAssumedRoleArn": role.outputs["arn"]}
    assert prod.one(ATLAS_ENCRYPTION).inputs["awsKmsConfig"]["roleId"] == setup.outputs["roleId"]


def test_the_atlas_key_is_administered_by_the_account_and_only_used_by_the_atlas_role(prod: StackRun) -> None:
    role = next(r for r in prod.by_type("aws:iam/role:Role") if r.name == "taskapi-encryption-atlas-role")
    key = next(k for k in prod.by_type("aws:kms/key:Key") if k.name == "taskapi-encryption-key")
    statements = {s["Sid"]: s for s in json.loads(key.inputs["policy"])["Statement"]}
    assert statements["AccountAdministersTheKey"]["Principal"] == {"AWS": f"arn:aws:iam::{ACCOUNT_ID}:root"}
    atlas = statements["AtlasEncryptsWithTheKey"]
    assert atlas["Principal"] == {"AWS": role.outputs["arn"]}
    assert atlas["Action"] == ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"]
    assert set(statements) == {"AccountAdministersTheKey", "AtlasEncryptsWithTheKey"}
    (use,) = [
        p
        for p in prod.by_type("aws:iam/rolePolicy:RolePolicy")
        if p.name == "taskapi-encryption-atlas-key-use"
    ]
    assert use.inputs["role"] == role.outputs["name"]
    (grant,) = json.loads(use.inputs["policy"])["Statement"]
    assert (grant["Action"], grant["Resource"]) == (atlas["Action"], key.outputs["arn"])


@pytest.mark.parametrize("stack", ["dev", "staging"])
def test_dev_and_staging_keep_atlas_managed_keys(stack_runs: dict[str, StackRun], stack: str) -> None:
    run = stack_runs[stack]
    assert "encryptionAtRestProvider" not in run.one(ATLAS_CLUSTER).inputs
    assert run.by_type(ATLAS_ENCRYPTION) == run.by_type(ATLAS_ACCESS_SETUP) == []


# Reachability


def test_redis_is_reachable_only_from_the_cluster_nodes(run: StackRun) -> None:
    redis = run.one(REDIS)
    node_group = run.one("aws:eks/cluster:Cluster").outputs["vpcConfig"]["clusterSecurityGroupId"]
    (cache_group,) = redis.inputs["securityGroupIds"]
    rules = [
        r
        for r in run.by_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
        if r.inputs["securityGroupId"] == cache_group
    ]
    assert [r.inputs["referencedSecurityGroupId"] for r in rules] == [node_group]
    assert all("cidrIpv4" not in r.inputs for r in rules)
    assert rules[0].inputs["fromPort"] == rules[0].inputs["toPort"] == 6379


def test_redis_lives_only_in_the_private_subnets(run: StackRun) -> None:
    private = {s.id for s in run.by_type("aws:ec2/subnet:Subnet") if "-private-" in s.name}
    group = run.one("aws:elasticache/subnetGroup:SubnetGroup").inputs
    assert len(private) == 3
    assert set(group["subnetIds"]) == private


def test_the_nodes_run_only_in_the_private_subnets(run: StackRun) -> None:
    private = {s.id for s in run.by_type("aws:ec2/subnet:Subnet") if "-private-" in s.name}
    assert set(run.one("aws:eks/nodeGroup:NodeGroup").inputs["subnetIds"]) == private


def test_no_security_group_accepts_traffic_from_an_address_range(run: StackRun) -> None:
    groups = run.by_type("aws:ec2/securityGroup:SecurityGroup")
    assert groups
    assert all(not g.inputs.get("ingress") for g in groups)
    rules = run.by_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
    assert rules
    assert all(r.inputs.get("referencedSecurityGroupId") for r in rules)
    assert not any(key in r.inputs for r in rules for key in ("cidrIpv4", "cidrIpv6", "prefixListId"))


def test_atlas_accepts_only_the_nat_addresses(run: StackRun) -> None:
    nat_ips = {f"{e.outputs['publicIp']}/32" for e in run.by_type("aws:ec2/eip:Eip")}
    entries = {
        e.inputs["cidrBlock"]
        for e in run.by_type("mongodbatlas:index/projectIpAccessList:ProjectIpAccessList")
    }
    assert entries == nat_ips
    assert "0.0.0.0/0" not in entries


def test_no_subnet_hands_out_public_addresses(run: StackRun) -> None:
    subnets = run.by_type("aws:ec2/subnet:Subnet")
    assert len(subnets) == 6
    assert all(s.inputs.get("mapPublicIpOnLaunch", False) is False for s in subnets)


def test_the_network_spans_three_zones(run: StackRun) -> None:
    zones = {s.inputs["availabilityZone"] for s in run.by_type("aws:ec2/subnet:Subnet")}
    assert len(zones) == 3


def test_the_dns_record_is_proxied_so_the_origin_stays_hidden(run: StackRun) -> None:
    record = run.one("cloudflare:index/dnsRecord:DnsRecord").inputs
    assert record["proxied"] is True
    assert record["content"].endswith(".elb.us-east-1.amazonaws.com")


def test_the_edge_verifies_the_origin_and_enforces_https(run: StackRun) -> None:
    settings = {
        s.inputs["settingId"]: s.inputs["value"]
        for s in run.by_type("cloudflare:index/zoneSetting:ZoneSetting")
    }
    assert settings["ssl"] == "strict"
    assert settings["min_tls_version"] == "1.2"
    assert settings["always_use_https"] == "on"
    assert settings["security_header"]["strict_transport_security"]["enabled"] is True


def test_the_edge_runs_managed_waf_rules_a_rate_limit_and_never_caches_the_api(run: StackRun) -> None:
    rulesets = {r.inputs["phase"]: r.inputs["rules"] for r in run.by_type("cloudflare:index/ruleset:Ruleset")}
    executed = {rule["actionParameters"]["id"] for rule in rulesets["http_request_firewall_managed"]}
    assert executed == {"efb7b8c949ac4650a09736fc376e9aee", "4814384a9e5d4991b9815dcfc25d2f1f"}
    (limit,) = rulesets["http_ratelimit"]
    assert limit["action"] == "block"
    assert limit["ratelimit"]["requestsPerPeriod"] > 0
    bypass = next(r for r in rulesets["http_request_cache_settings"] if r["ref"] == "bypass_api")
    assert bypass["actionParameters"]["cache"] is False
    assert "/api" in bypass["expression"]


def test_the_ingress_presents_the_origin_ca_certificate(run: StackRun) -> None:
    tls = next(s for s in run.by_type("kubernetes:core/v1:Secret") if s.inputs["type"] == "kubernetes.io/tls")
    assert is_secret(tls.inputs["stringData"])
    assert set(reveal(tls.inputs["stringData"])) == {"tls.crt", "tls.key"}
    release = app_release(run)
    assert release.inputs["values"]["ingress"]["tlsSecretName"] == tls.inputs["metadata"]["name"]


# Backups and protection


def test_every_stack_backs_up_the_database(run: StackRun) -> None:
    assert run.one(ATLAS_CLUSTER).inputs["backupEnabled"] is True
    schedule = run.one("mongodbatlas:index/cloudBackupSchedule:CloudBackupSchedule").inputs
    assert schedule["policyItemDaily"]["retentionValue"] >= 1
    assert run.one(REDIS).inputs["snapshotRetentionLimit"] >= 1


def test_prod_has_point_in_time_restore_and_longer_retention(prod: StackRun) -> None:
    cluster = prod.one(ATLAS_CLUSTER).inputs
    assert cluster["pitEnabled"] is True
    assert cluster["terminationProtectionEnabled"] is True
    assert cluster["retainBackupsEnabled"] is True
    schedule = prod.one("mongodbatlas:index/cloudBackupSchedule:CloudBackupSchedule").inputs
    assert schedule["restoreWindowDays"] >= 1
    assert schedule["policyItemDaily"]["retentionValue"] >= 7
    assert prod.one(REDIS).inputs["snapshotRetentionLimit"] >= 7
    assert prod.one(REDIS).inputs["finalSnapshotIdentifier"]


@pytest.mark.parametrize("type_token", DATA_STORES)
def test_prod_protects_every_data_store(prod: StackRun, type_token: str) -> None:
    stores = prod.by_type(type_token)
    assert stores, f"prod has no {type_token}"
    assert all(r.options.protect for r in stores)


def test_prod_protects_every_link_the_atlas_data_needs_to_stay_readable(prod: StackRun) -> None:
    chain = [r for r in prod.resources if r.custom and "AtlasEncryption" in r.urn]
    assert {r.type for r in chain} == {
        "aws:kms/key:Key",
        "aws:iam/role:Role",
        "aws:iam/rolePolicy:RolePolicy",
        ATLAS_ACCESS_SETUP,
        ATLAS_ACCESS_AUTHORIZATION,
        ATLAS_ENCRYPTION,
    }
    assert all(r.options.protect for r in chain)


def test_prod_protects_the_generated_credentials_that_data_depends_on(prod: StackRun) -> None:
    passwords = prod.by_type("random:index/randomPassword:RandomPassword")
    assert {p.name for p in passwords if p.options.protect} == {
        "prod-auth-token",
        "taskapi-app-password",
        "prod-jwt",
    }


def test_dev_protects_nothing_so_it_can_be_torn_down(dev: StackRun) -> None:
    assert not any(r.options.protect for r in dev.resources)


def test_prod_runs_an_m10_replica_set_of_three(prod: StackRun) -> None:
    cluster = prod.one(ATLAS_CLUSTER).inputs
    assert cluster["clusterType"] == "REPLICASET"
    (spec,) = cluster["replicationSpecs"]
    assert [c["electableSpecs"]["instanceSize"] for c in spec["regionConfigs"]] == ["M10"]
    assert sum(c["electableSpecs"]["nodeCount"] for c in spec["regionConfigs"]) == 3
    assert spec["regionConfigs"][0]["priority"] == 7


# High availability


def test_every_database_elects_from_an_odd_number_of_at_least_three_members(run: StackRun) -> None:
    cluster = run.one(ATLAS_CLUSTER).inputs
    for spec in cluster["replicationSpecs"]:
        members = sum(c["electableSpecs"]["nodeCount"] for c in spec["regionConfigs"])
        assert members >= 3
        assert members % 2 == 1
        assert max(c["priority"] for c in spec["regionConfigs"]) == 7


def test_staging_and_prod_redis_fails_over_across_zones(ha_run: StackRun) -> None:
    redis = ha_run.one(REDIS).inputs
    assert redis["multiAzEnabled"] is True
    assert redis["automaticFailoverEnabled"] is True
    assert redis["numCacheClusters"] >= 2


def test_staging_and_prod_spread_at_least_two_nodes_over_three_zones(ha_run: StackRun) -> None:
    nodes = ha_run.one("aws:eks/nodeGroup:NodeGroup").inputs
    assert nodes["scalingConfig"]["minSize"] >= 2
    assert nodes["updateConfig"]["maxUnavailable"] == 1
    zones = {s.id: s.inputs["availabilityZone"] for s in ha_run.by_type("aws:ec2/subnet:Subnet")}
    assert len({zones[subnet] for subnet in nodes["subnetIds"]}) == 3


def test_staging_and_prod_have_a_nat_gateway_per_zone(ha_run: StackRun) -> None:
    assert len(ha_run.by_type("aws:ec2/natGateway:NatGateway")) == 3


def test_staging_and_prod_autoscale_the_api(ha_run: StackRun) -> None:
    release = app_release(ha_run)
    autoscaling = release.inputs["values"]["autoscaling"]
    assert autoscaling["enabled"] is True
    assert autoscaling["minReplicas"] >= 2


# Least privilege


def test_the_database_user_can_only_read_and_write_the_app_database(run: StackRun) -> None:
    user = run.one("mongodbatlas:index/databaseUser:DatabaseUser").inputs
    assert user["roles"] == [{"roleName": "readWrite", "databaseName": "taskmanager"}]
    assert [s["type"] for s in user["scopes"]] == ["CLUSTER"]
    assert is_secret(user["password"])


def test_the_api_role_reads_only_its_own_secret(run: StackRun) -> None:
    (reader,) = [p for p in run.by_type("aws:iam/rolePolicy:RolePolicy") if p.name == f"{run.stack}-reader"]
    policy = json.loads(reveal(reader.inputs["policy"]))
    secret_arn = run.one("aws:secretsmanager/secret:Secret").outputs["arn"]
    actions = {(tuple(s["Action"]), s["Resource"]) for s in policy["Statement"]}
    assert (("secretsmanager:GetSecretValue",), secret_arn) in actions
    assert all(
        "*" not in s["Resource"] and all("*" not in a for a in s["Action"]) for s in policy["Statement"]
    )


def test_no_role_is_given_more_than_the_eks_managed_policies(run: StackRun) -> None:
    attached = {
        a.inputs["policyArn"] for a in run.by_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
    }
    assert attached == EKS_MANAGED_POLICIES
    inline = run.by_type("aws:iam/rolePolicy:RolePolicy")
    atlas = ["taskapi-encryption-atlas-key-use"] if run.stack == "prod" else []
    assert [p.name for p in inline] == [*atlas, f"{run.stack}-reader"]


def test_only_the_api_service_account_may_assume_its_role(run: StackRun) -> None:
    reader = next(r for r in run.by_type("aws:iam/role:Role") if r.name.endswith("-reader"))
    trust = json.loads(reveal(reader.inputs["assumeRolePolicy"]))
    (statement,) = trust["Statement"]
    subjects = [v for k, v in statement["Condition"]["StringEquals"].items() if k.endswith(":sub")]
    assert subjects == ["system:serviceaccount:taskapi:taskapi"]


def test_only_the_configured_roles_administer_the_cluster(run: StackRun) -> None:
    access = run.one("aws:eks/cluster:Cluster").inputs["accessConfig"]
    assert access["bootstrapClusterCreatorAdminPermissions"] is False
    entries = run.by_type("aws:eks/accessEntry:AccessEntry")
    assert [e.inputs["principalArn"] for e in entries] == [
        "arn:aws:iam::123456789012:role/primetradeai-ci-deploy"
    ]
    (association,) = run.by_type("aws:eks/accessPolicyAssociation:AccessPolicyAssociation")
    assert association.inputs["accessScope"] == {"type": "cluster"}


# Secrets


def test_the_app_secret_has_exactly_the_keys_the_chart_reads(run: StackRun) -> None:
    secret = app_secret(run)
    assert is_secret(secret.inputs["stringData"])
    keys = set(reveal(secret.inputs["stringData"]))
    expected = {"MONGODB_URI", "REDIS_URL", "JWT_SECRET"}
    assert keys == (expected | {"SENTRY_DSN"} if run.stack != "dev" else expected)
    data = reveal(secret.inputs["stringData"])
    assert data["REDIS_URL"].startswith("rediss://:")
    assert data["MONGODB_URI"].startswith("mongodb+srv://taskapi:")
    assert len(data["JWT_SECRET"]) >= 32


def test_secrets_manager_holds_the_same_values_as_a_secret(run: StackRun) -> None:
    version = run.one("aws:secretsmanager/secretVersion:SecretVersion").inputs
    assert is_secret(version["secretString"])
    stored = json.loads(reveal(version["secretString"]))
    mirrored = app_secret(run)
    assert stored == reveal(mirrored.inputs["stringData"])


def test_the_connection_string_output_is_secret(run: StackRun) -> None:
    assert is_secret(run.outputs["atlasConnectionString"])
    assert not any(is_secret(v) for k, v in run.outputs.items() if k != "atlasConnectionString")


def test_no_secret_value_appears_anywhere_in_plain_text(run: StackRun) -> None:
    secrets = {s for r in run.resources for s in secret_strings(r.inputs) if len(s) >= 12}
    secrets |= {s for s in secret_strings(run.outputs) if len(s) >= 12}
    assert secrets, "the run should contain secrets to check"
    plain = [s for r in run.resources for s in plain_strings(r.inputs)] + list(plain_strings(run.outputs))
    plain += [s for value in run.config.values() for s in plain_strings(value)]
    leaks = [p for p in plain for s in secrets if s in p]
    assert leaks == []


def test_the_chart_values_carry_only_the_secret_name(run: StackRun) -> None:
    release = app_release(run)
    values = release.inputs["values"]
    assert values["existingSecret"] == "taskapi-secrets"
    dumped = json.dumps(values)
    assert "mongodb+srv" not in dumped
    assert "rediss://" not in dumped


def test_secure_config_reaches_the_program_only_as_secrets(prod: StackRun) -> None:
    assert set(prod.secret_config_keys) == {"primetradeai:sentryDsn", "primetradeai:datadogApiKey"}
    for key in prod.secret_config_keys:
        assert is_secret(prod.config[key])


def test_managed_resources_exclude_what_the_program_only_reads(run: StackRun) -> None:
    assert managed(run, "kubernetes:core/v1:Service") == []
    assert [r.read for r in run.by_type("kubernetes:core/v1:Service")] == [True]
