"""Mock outputs that look like what each provider would return, so the whole program runs offline.

Every value is derived from the resource's type and name, so the same program gives the same run.
Nothing here is a real credential: generated "secrets" are labelled as mock values.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from typing import Any

from pulumi.runtime import MockCallArgs, MockResourceArgs, Mocks

ACCOUNT_ID = "123456789012"
ATLAS_ACCOUNT_ID = "210987654321"
"""Stands for the AWS account MongoDB Atlas assumes roles from (a mock, like ACCOUNT_ID)."""
REGION = "us-east-1"
_NAT_BLOCK = "203.0.113"  # TEST-NET-3: documentation addresses, never routable
EXISTING_VPC_CIDR = "10.20.0.0/16"


def _digest(*parts: str, length: int = 17) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:length]


def _arn(service: str, kind: str, name: str) -> str:
    return f"arn:aws:{service}:{REGION}:{ACCOUNT_ID}:{kind}{name}"


def _region_of(inputs: dict[str, Any]) -> str:
    region = inputs.get("region")
    return region if isinstance(region, str) and region else REGION


def _vpc(name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    return {"arn": _arn("ec2", "vpc/", name), "defaultSecurityGroupId": f"sg-{_digest(name, 'default')}"}


def _eip(name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    octet = int(_digest(name, length=4), 16) % 250 + 1
    return {"publicIp": f"{_NAT_BLOCK}.{octet}", "allocationId": f"eipalloc-{_digest(name)}"}


def _eks_cluster(name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    cluster = inputs.get("name") or name
    host = _digest(name, length=32).upper()
    return {
        "name": cluster,
        "arn": _arn("eks", "cluster/", cluster),
        "endpoint": f"https://{host}.gr7.{REGION}.eks.amazonaws.com",
        "certificateAuthority": {"data": "bW9jay1jbHVzdGVyLWNhLWRhdGE="},
        "identities": [{"oidcs": [{"issuer": f"https://oidc.eks.{REGION}.amazonaws.com/id/{host}"}]}],
        "status": "ACTIVE",
        "version": inputs.get("version", "1.34"),
        "vpcConfig": {
            **inputs.get("vpcConfig", {}),
            "clusterSecurityGroupId": f"sg-{_digest(name, 'cluster')}",
        },
    }


def _replication_group(name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    group = inputs.get("replicationGroupId") or name
    suffix = f"{_digest(name, length=6)}.use1.cache.amazonaws.com"
    return {
        "arn": _arn("elasticache", "replicationgroup:", group),
        "primaryEndpointAddress": f"master.{group}.{suffix}",
        "readerEndpointAddress": f"replica.{group}.{suffix}",
        "port": inputs.get("port", 6379),
        "memberClusters": [f"{group}-00{i}" for i in range(1, int(inputs.get("numCacheClusters", 1)) + 1)],
    }


def _atlas_cluster(name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    cluster = str(inputs.get("name") or name)
    host = f"{cluster.lower()}.{_digest(name, length=5)}.mongodb.net"
    return {
        "clusterId": _digest(name, length=24),
        "stateName": "IDLE",
        "mongoDbVersion": "8.0.4",
        "connectionStrings": {
            "standard": f"mongodb://{host}:27017/?ssl=true&authSource=admin",
            "standardSrv": f"mongodb+srv://{host}",
            "privateSrv": f"mongodb+srv://{cluster.lower()}-pl-0.{_digest(name, length=5)}.mongodb.net",
        },
    }


def _cloud_provider_access_setup(name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    # Atlas answers with the AWS account it assumes roles from and an external id for this project.
    return {
        "roleId": _digest(name, "role", length=24),
        "awsConfigs": [
            {
                "atlasAwsAccountArn": f"arn:aws:iam::{ATLAS_ACCOUNT_ID}:root",
                "atlasAssumedRoleExternalId": str(uuid.UUID(_digest(name, "external-id", length=32))),
            }
        ],
        "createdDate": "2026-01-01T00:00:00Z",
    }


def _authorized(name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    return {"authorizedDate": "2026-01-01T00:00:00Z"}


def _random_password(name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    length = int(inputs.get("length", 32))
    text = ("mock" + _digest(name, "password", length=64)) * 4
    return {"result": text[:length], "bcryptHash": "$2a$10$mock"}


def _pem(label: str, body: str) -> str:
    return f"-----BEGIN {label}-----\n{body}\n-----END {label}-----\n"


def _origin_ca(name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    return {
        "certificate": _pem("CERTIFICATE", "bW9jayBvcmlnaW4gY2VydGlmaWNhdGU="),
        "expiresOn": "2041-01-01T00:00:00Z",
    }


def _private_key(name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    pem = "-----BEGIN PRIVATE KEY-----\nbW9jayBwcml2YXRlIGtleQ==\n-----END PRIVATE KEY-----\n"
    return {
        "privateKeyPem": pem,
        "publicKeyPem": "-----BEGIN PUBLIC KEY-----\nbW9jaw==\n-----END PUBLIC KEY-----\n",
    }


def _cert_request(name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    return {"certRequestPem": _pem("CERTIFICATE REQUEST", "bW9jayBjc3I=")}


def _named_arn(service: str, kind: str) -> Callable[[str, dict[str, Any]], dict[str, Any]]:
    def outputs(name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        given = inputs.get("name") or name
        return {"arn": _arn(service, kind, str(given)), "name": given}

    return outputs


def _kms_key(name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    key_id = f"{_digest(name, length=8)}-{_digest(name, 'k', length=4)}-mock"
    return {"arn": _arn("kms", "key/", key_id), "keyId": key_id}


def _oidc_provider(name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    return {
        "arn": f"arn:aws:iam::{ACCOUNT_ID}:oidc-provider/{str(inputs.get('url', '')).removeprefix('https://')}"
    }


def _iam_role(name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    given = inputs.get("name") or f"{name}-{_digest(name, length=7)}"
    return {
        "arn": f"arn:aws:iam::{ACCOUNT_ID}:role/{given}",
        "name": given,
        "uniqueId": f"AROA{_digest(name)}",
    }


def _service(name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    host = f"a{_digest(name, length=31)}-{_digest(name, 'nlb', length=16)}.elb.{REGION}.amazonaws.com"
    return {"status": {"loadBalancer": {"ingress": [{"hostname": host}]}}}


def _shard_key(name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    """infra.components.shard_key's provider: the namespace it sharded and the key, as it writes it."""
    key = inputs.get("key") or {}
    return {
        "namespace": f"{inputs.get('database')}.{inputs.get('collection')}",
        "shardKey": "{" + ", ".join(f'{field}: "{kind}"' for field, kind in key.items()) + "}",
    }


_OUTPUTS: dict[str, Callable[[str, dict[str, Any]], dict[str, Any]]] = {
    "aws:ec2/vpc:Vpc": _vpc,
    "aws:ec2/eip:Eip": _eip,
    "aws:ec2/natGateway:NatGateway": lambda name, inputs: {"publicIp": _eip(name, inputs)["publicIp"]},
    "aws:eks/cluster:Cluster": _eks_cluster,
    "aws:eks/nodeGroup:NodeGroup": _named_arn("eks", "nodegroup/"),
    "aws:iam/role:Role": _iam_role,
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": _oidc_provider,
    "aws:iam/policy:Policy": _named_arn("iam", "policy/"),
    "aws:elasticache/replicationGroup:ReplicationGroup": _replication_group,
    "aws:kms/key:Key": _kms_key,
    "aws:secretsmanager/secret:Secret": _named_arn("secretsmanager", "secret:"),
    # Secrets Manager names each version with a UUID.
    "aws:secretsmanager/secretVersion:SecretVersion": lambda name, inputs: {
        "versionId": str(uuid.UUID(_digest(name, "version", length=32)))
    },
    "mongodbatlas:index/advancedCluster:AdvancedCluster": _atlas_cluster,
    "mongodbatlas:index/cloudProviderAccessSetup:CloudProviderAccessSetup": _cloud_provider_access_setup,
    "mongodbatlas:index/cloudProviderAccessAuthorization:CloudProviderAccessAuthorization": _authorized,
    "random:index/randomPassword:RandomPassword": _random_password,
    "tls:index/privateKey:PrivateKey": _private_key,
    "tls:index/certRequest:CertRequest": _cert_request,
    "cloudflare:index/originCaCertificate:OriginCaCertificate": _origin_ca,
    "kubernetes:core/v1:Service": _service,
    "pulumi-python:dynamic:Resource": _shard_key,
}

_ID_PREFIX = {
    "aws:ec2/vpc:Vpc": "vpc-",
    "aws:ec2/subnet:Subnet": "subnet-",
    "aws:ec2/securityGroup:SecurityGroup": "sg-",
    "aws:ec2/internetGateway:InternetGateway": "igw-",
    "aws:ec2/natGateway:NatGateway": "nat-",
    "aws:ec2/eip:Eip": "eipalloc-",
    "aws:ec2/routeTable:RouteTable": "rtb-",
}


def _resource_id(type_token: str, name: str, inputs: dict[str, Any]) -> str:
    if type_token.startswith("mongodbatlas:"):
        return _digest(type_token, name, length=24)
    for key in ("name", "replicationGroupId", "clusterName"):
        value = inputs.get(key)
        if isinstance(value, str) and value and not type_token.startswith("cloudflare:"):
            return value
    return _ID_PREFIX.get(type_token, f"{name}-id-") + _digest(type_token, name)


class PlausibleMocks(Mocks):
    """Returns each resource's inputs plus the outputs its provider would compute."""

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        inputs = dict(args.inputs)
        if args.custom is False:  # a component; reads (`Resource.get`) arrive with custom unset
            return None, inputs
        if args.typ.startswith("pulumi:providers:"):
            return _digest(args.typ, args.name, length=36), inputs
        extra = _OUTPUTS.get(args.typ)
        state = {**inputs, **(extra(args.name, inputs) if extra else {})}
        state.setdefault("arn", _arn(args.typ.split(":")[1].split("/")[0], "", args.name))
        if not args.typ.startswith(("kubernetes:", "cloudflare:", "tls:", "random:")):
            # The engine auto-names resources whose name is not set: a random suffix on the logical name.
            state.setdefault("name", f"{args.name}-{_digest(args.typ, args.name, length=7)}")
        return _resource_id(args.typ, args.name, inputs), state

    def call(self, args: MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        token = args.token
        if token == "aws:index/getAvailabilityZones:getAvailabilityZones":
            names = [f"{REGION}{z}" for z in "abcdef"]
            return {"names": names, "zoneIds": [f"use1-az{i}" for i in range(1, 7)], "id": REGION}, []
        if token == "aws:index/getCallerIdentity:getCallerIdentity":
            return {
                "accountId": ACCOUNT_ID,
                "arn": f"arn:aws:iam::{ACCOUNT_ID}:root",
                "userId": ACCOUNT_ID,
            }, []
        if token in ("aws:index/getRegion:getRegion", "aws:index/getRegion:getRegion"):
            return {"name": REGION, "region": REGION, "id": REGION}, []
        if token == "aws:ec2/getVpc:getVpc":
            return {"id": args.args.get("id"), "cidrBlock": EXISTING_VPC_CIDR}, []
        if token == "aws:iam/getPolicyDocument:getPolicyDocument":
            return {"json": json.dumps({"Version": "2012-10-17", "Statement": []}), "id": "mock"}, []
        return {}, []
