"""Small plans built from the plan model, with resources as the real SDKs register them."""

from __future__ import annotations

from typing import Any

from infra.toolkit.policy.engine import Violation, evaluate
from tests.infra.toolkit.plan_data import atlas_replica_set, make_plan, resource, urn

__all__ = ["make_plan", "resource", "urn"]  # the policy tests import the plan builders from here


def violations(*resources: dict[str, Any], stack: str = "prod", policy: str | None = None) -> list[Violation]:
    found = evaluate(make_plan(*resources, stack=stack))
    return [v for v in found if policy is None or v.policy == policy]


TAGS = {"project": "primetradeai", "environment": "prod", "managed-by": "pulumi"}

REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup"
ATLAS_CLUSTER = "mongodbatlas:index/advancedCluster:AdvancedCluster"


def redis_inputs(**overrides: Any) -> dict[str, Any]:
    inputs: dict[str, Any] = {
        "description": "taskapi cache",
        "engine": "redis",
        "nodeType": "cache.t4g.small",
        "numCacheClusters": 2,
        "atRestEncryptionEnabled": True,
        "transitEncryptionEnabled": True,
        "authToken": "[secret]",
        "automaticFailoverEnabled": True,
        "multiAzEnabled": True,
        "snapshotRetentionLimit": 7,
        "tags": TAGS,
    }
    inputs.update(overrides)
    return {k: v for k, v in inputs.items() if v is not None}


def atlas_inputs(**overrides: Any) -> dict[str, Any]:
    inputs: dict[str, Any] = {
        "projectId": "[unknown]",
        "name": "prod-taskapi",
        "clusterType": "REPLICASET",
        "backupEnabled": True,
        "pitEnabled": True,
        "encryptionAtRestProvider": "AWS",
        "replicationSpecs": atlas_replica_set("M10"),
    }
    inputs.update(overrides)
    return {k: v for k, v in inputs.items() if v is not None}


def container(**overrides: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "name": "api",
        "image": "ghcr.io/primetradeai/taskapi:1.4.2",
        "resources": {
            "limits": {"cpu": "500m", "memory": "512Mi"},
            "requests": {"cpu": "100m", "memory": "256Mi"},
        },
        "securityContext": {
            "runAsNonRoot": True,
            "readOnlyRootFilesystem": True,
            "allowPrivilegeEscalation": False,
            "capabilities": {"drop": ["ALL"]},
            "seccompProfile": {"type": "RuntimeDefault"},
        },
    }
    spec.update(overrides)
    return spec


LABELS = {"app.kubernetes.io/name": "taskapi", "app.kubernetes.io/instance": "taskapi"}


def deployment(
    *, replicas: int | None = 3, containers: list[dict[str, Any]] | None = None, stack: str = "prod"
) -> dict[str, Any]:
    manifest: dict[str, Any] = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "taskapi", "namespace": "taskapi", "labels": LABELS},
        "spec": {
            "selector": {"matchLabels": LABELS},
            "template": {
                "metadata": {"labels": LABELS},
                "spec": {"containers": containers or [container()]},
            },
        },
    }
    if replicas is not None:
        manifest["spec"]["replicas"] = replicas
    return resource("kubernetes:apps/v1:Deployment", "taskapi/taskapi", manifest, stack=stack, rendered=True)


def pdb(match_labels: dict[str, str] | None = None, stack: str = "prod") -> dict[str, Any]:
    manifest = {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": {"name": "taskapi", "namespace": "taskapi", "labels": LABELS},
        "spec": {"minAvailable": 1, "selector": {"matchLabels": match_labels or LABELS}},
    }
    return resource(
        "kubernetes:policy/v1:PodDisruptionBudget", "taskapi/taskapi", manifest, stack=stack, rendered=True
    )


def hpa(min_replicas: int, stack: str = "prod") -> dict[str, Any]:
    manifest = {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "taskapi", "namespace": "taskapi", "labels": LABELS},
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "taskapi"},
            "minReplicas": min_replicas,
            "maxReplicas": 10,
        },
    }
    return resource(
        "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
        "taskapi/taskapi",
        manifest,
        stack=stack,
        rendered=True,
    )
