"""Which property changes make the provider replace a resource, for the types our stacks use.

Sourced from the provider schemas: the Terraform providers' `ForceNew` attributes that Pulumi's bridged
providers (aws 7.x, mongodbatlas 4.x, random, tls) turn into replacements, the `RequiresReplace` plan
modifiers of the Cloudflare 6.x (framework) provider, and Kubernetes' immutable fields. A property
listed here forces replacement when it, or anything under it, changes. Keep it small and add a type
when the stacks start using it; a real `pulumi preview` always has the last word (its replaceReasons).
"""

from __future__ import annotations

import fnmatch
from typing import Final

# RandomPassword and RandomString share one schema (random_password wraps random_string).
_RANDOM_TEXT: Final = frozenset(
    {
        "length",
        "special",
        "upper",
        "lower",
        "numeric",
        "number",
        "minLower",
        "minUpper",
        "minNumeric",
        "minSpecial",
        "overrideSpecial",
        "keepers",
    }
)

REPLACE_ON_CHANGE: Final[dict[str, frozenset[str]]] = {
    type_token: frozenset(properties)
    for type_token, properties in {
        # AWS networking (hashicorp/terraform-provider-aws: aws_vpc, aws_subnet, ...)
        "aws:ec2/vpc:Vpc": {"cidrBlock", "ipv4IpamPoolId", "ipv4NetmaskLength"},
        "aws:ec2/subnet:Subnet": {
            "vpcId",
            "cidrBlock",
            "availabilityZone",
            "availabilityZoneId",
            "ipv6Native",
            "outpostArn",
        },
        "aws:ec2/securityGroup:SecurityGroup": {"name", "namePrefix", "vpcId", "description"},
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": {"securityGroupId"},
        "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": {"securityGroupId"},
        "aws:ec2/securityGroupRule:SecurityGroupRule": {
            "securityGroupId",
            "type",
            "protocol",
            "fromPort",
            "toPort",
            "cidrBlocks",
            "sourceSecurityGroupId",
        },
        "aws:ec2/eip:Eip": {"domain", "networkBorderGroup", "publicIpv4Pool", "address"},
        "aws:ec2/natGateway:NatGateway": {"allocationId", "subnetId", "connectivityType", "privateIp"},
        "aws:ec2/routeTable:RouteTable": {"vpcId"},
        "aws:ec2/routeTableAssociation:RouteTableAssociation": {"subnetId", "gatewayId"},
        "aws:ec2/internetGateway:InternetGateway": set(),
        # EKS
        "aws:eks/cluster:Cluster": {
            "name",
            "roleArn",
            "kubernetesNetworkConfig",
            "bootstrapSelfManagedAddons",
            "outpostConfig",
            "vpcConfig.securityGroupIds",
            "accessConfig.bootstrapClusterCreatorAdminPermissions",
        },
        "aws:eks/nodeGroup:NodeGroup": {
            "clusterName",
            "nodeGroupName",
            "nodeGroupNamePrefix",
            "nodeRoleArn",
            "subnetIds",
            "amiType",
            "capacityType",
            "diskSize",
            "instanceTypes",
            "remoteAccess",
        },
        "aws:eks/addon:Addon": {"clusterName", "addonName"},
        "aws:eks/accessEntry:AccessEntry": {"clusterName", "principalArn", "type"},
        "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": {
            "clusterName",
            "principalArn",
            "policyArn",
            "accessScope",
        },
        # IAM
        "aws:iam/role:Role": {"name", "namePrefix", "path"},
        "aws:iam/policy:Policy": {"name", "namePrefix", "path"},
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {"role", "policyArn"},
        "aws:iam/rolePolicy:RolePolicy": {"role", "name", "namePrefix"},
        "aws:iam/openIdConnectProvider:OpenIdConnectProvider": {"url"},
        # ElastiCache
        "aws:elasticache/replicationGroup:ReplicationGroup": {
            "replicationGroupId",
            "atRestEncryptionEnabled",
            "kmsKeyId",
            "port",
            "subnetGroupName",
            "preferredCacheClusterAzs",
            "snapshotArns",
            "snapshotName",
            "dataTieringEnabled",
            "globalReplicationGroupId",
            "networkType",
        },
        "aws:elasticache/subnetGroup:SubnetGroup": {"name"},
        "aws:elasticache/parameterGroup:ParameterGroup": {"name", "family", "description"},
        # KMS and Secrets Manager
        "aws:kms/key:Key": {
            "customerMasterKeySpec",
            "keyUsage",
            "multiRegion",
            "customKeyStoreId",
            "xksKeyId",
        },
        "aws:kms/alias:Alias": {"name", "namePrefix"},
        "aws:secretsmanager/secret:Secret": {"name", "namePrefix"},
        "aws:secretsmanager/secretVersion:SecretVersion": {"secretId"},
        # MongoDB Atlas (mongodb/terraform-provider-mongodbatlas)
        "mongodbatlas:index/project:Project": {"orgId"},
        "mongodbatlas:index/advancedCluster:AdvancedCluster": {"projectId", "name"},
        "mongodbatlas:index/projectIpAccessList:ProjectIpAccessList": {
            "projectId",
            "cidrBlock",
            "ipAddress",
            "awsSecurityGroup",
        },
        "mongodbatlas:index/databaseUser:DatabaseUser": {"projectId", "username", "authDatabaseName"},
        "mongodbatlas:index/cloudBackupSchedule:CloudBackupSchedule": {"projectId", "clusterName"},
        # The customer key chain: only the setup's provider and the encryption's project force a new one;
        # a changed role ARN re-authorizes in place.
        "mongodbatlas:index/cloudProviderAccessSetup:CloudProviderAccessSetup": {"providerName"},
        "mongodbatlas:index/cloudProviderAccessAuthorization:CloudProviderAccessAuthorization": set(),
        "mongodbatlas:index/encryptionAtRest:EncryptionAtRest": {"projectId"},
        # The program's one dynamic resource, the shard key: its provider's diff (IDENTITY in
        # infra/components/shard_key.py) replaces on these; a rotated connection string changes nothing.
        "pulumi-python:dynamic:Resource": {"database", "collection", "key"},
        # random and tls: every argument is ForceNew
        "random:index/randomPassword:RandomPassword": _RANDOM_TEXT,
        "random:index/randomString:RandomString": _RANDOM_TEXT,
        "tls:index/privateKey:PrivateKey": {"algorithm", "rsaBits", "ecdsaCurve"},
        "tls:index/certRequest:CertRequest": {"privateKeyPem", "subject", "dnsNames", "ipAddresses", "uris"},
        # Cloudflare 6.x
        "cloudflare:index/originCaCertificate:OriginCaCertificate": {
            "csr",
            "hostnames",
            "requestType",
            "requestedValidity",
        },
        "cloudflare:index/dnsRecord:DnsRecord": {"zoneId"},
        "cloudflare:index/zone:Zone": {"name", "account"},
        "cloudflare:index/ruleset:Ruleset": {"zoneId", "accountId", "kind", "phase"},
        "cloudflare:index/zoneSetting:ZoneSetting": {"zoneId", "settingId"},
        # Kubernetes: immutable fields (changing them makes the provider replace the object); the name
        # and namespace of every object are added below
        "kubernetes:core/v1:Namespace": set(),
        "kubernetes:core/v1:Secret": {"type", "immutable"},
        "kubernetes:core/v1:ConfigMap": {"immutable"},
        "kubernetes:apps/v1:Deployment": {"spec.selector"},
        "kubernetes:core/v1:Service": {"spec.clusterIP", "spec.clusterIPs"},
        "kubernetes:helm.sh/v3:Release": {"name", "namespace"},
    }.items()
}
"""Type token -> property paths whose change replaces the resource."""

# Any Kubernetes object is replaced when its name or namespace changes.
_KUBERNETES_IDENTITY: Final = frozenset({"metadata.name", "metadata.namespace"})


def known_type(type_token: str) -> bool:
    """Whether the table has an answer for this type (providers replace nothing of their own)."""
    return type_token in REPLACE_ON_CHANGE or type_token.startswith(("pulumi:providers:", "kubernetes:"))


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith((prefix + ".", prefix + "["))


def forces_replacement(type_token: str, path: str, replace_on_changes: tuple[str, ...] = ()) -> bool:
    """Whether changing `path` replaces a resource of `type_token` (the program's replaceOnChanges too)."""
    for pattern in replace_on_changes:
        prefix = pattern.removesuffix("[*]").removesuffix(".*")
        if pattern == "*" or _under(path, prefix) or fnmatch.fnmatchcase(path, pattern):
            return True
    kubernetes_object = type_token.startswith("kubernetes:") and "helm.sh/" not in type_token
    if kubernetes_object and any(_under(path, prefix) for prefix in _KUBERNETES_IDENTITY):
        return True
    return any(_under(path, prefix) for prefix in REPLACE_ON_CHANGE.get(type_token, ()))
