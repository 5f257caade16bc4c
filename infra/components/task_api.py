"""The task API: the charts/taskapi chart as a Helm release, with values computed from stack config.

helm.v3.Release rather than helm.v4.Chart: the chart carries a `helm test` hook and relies on Helm's
atomic upgrade and rollback, which only a real Helm release provides (v4.Chart renders objects
client-side and leaves no release to roll back); and a Release shows its computed `values` as one
input in a preview, which is what a reviewer reads.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pulumi
import pulumi_kubernetes as k8s
import yaml

from infra.components.app_secrets import APP_SERVICE_ACCOUNT
from infra.config.schema import AppConfig, Environment

RELEASE_NAME = "taskapi"
CHART_DIR = Path(__file__).resolve().parents[2] / "charts" / "taskapi"
APP_ENV: dict[Environment, str] = {"dev": "development", "staging": "staging", "prod": "production"}
CHART_ENV_FILE: dict[Environment, str] = {
    "dev": "values-dev.yaml",
    "staging": "values-staging.yaml",
    "prod": "values-prod.yaml",
}


def environment_values(environment: Environment) -> dict[str, Any]:
    """The chart's own values file for the environment (PDB, spread, probes...), as its authors tuned it."""
    loaded = yaml.safe_load((CHART_DIR / CHART_ENV_FILE[environment]).read_text(encoding="utf-8"))
    return loaded if isinstance(loaded, dict) else {}


def merge_values(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Helm's merge of two values layers: maps merge key by key, anything else is replaced."""
    merged = dict(base)
    for key, value in override.items():
        current = merged.get(key)
        merged[key] = (
            merge_values(current, value) if isinstance(value, dict) and isinstance(current, dict) else value
        )
    return merged


def chart_path(start: str | None = None) -> str:
    """The chart directory relative to the working directory (Pulumi runs the program from `stacks/`), so a
    preview does not depend on where the repository is checked out."""
    return os.path.relpath(CHART_DIR, start or os.getcwd())


def chart_values(
    config: AppConfig,
    environment: Environment,
    *,
    secret_name: str,
    tls_secret_name: str,
    service_account_role_arn: pulumi.Input[str] | None,
    database_name: str,
    sentry_enabled: bool,
    sentry_traces_sample_rate: float,
    secret_version: pulumi.Input[str],
    data_store_cidrs: list[pulumi.Input[str]],
    mongodb_over_internet: bool,
) -> dict[str, Any]:
    """The chart's environment file overlaid with what the program sets (docs/interfaces.md), as one
    `values` input: a preview shows every value the release gets, and nothing depends on file order."""
    image: dict[str, Any] = {"repository": config.image.repository, "tag": config.image.tag}
    if config.image.digest:
        image["digest"] = config.image.digest
    annotations: dict[str, Any] = {}
    if service_account_role_arn is not None:
        annotations["eks.amazonaws.com/role-arn"] = service_account_role_arn
    return merge_values(
        environment_values(environment),
        {
            "image": image,
            "replicaCount": config.replicas,
            "resources": {
                "requests": {
                    "cpu": config.resources.requests.cpu,
                    "memory": config.resources.requests.memory,
                },
                "limits": {"cpu": config.resources.limits.cpu, "memory": config.resources.limits.memory},
            },
            "autoscaling": {
                "enabled": config.autoscaling.enabled,
                "minReplicas": config.autoscaling.min_replicas,
                "maxReplicas": config.autoscaling.max_replicas,
            },
            "ingress": {
                "enabled": True,
                "className": config.ingress_class_name,
                "host": config.host,
                "tlsSecretName": tls_secret_name,
            },
            "existingSecret": secret_name,
            "existingSecretVersion": secret_version,
            "sentryEnabled": sentry_enabled,
            "serviceAccount": {"create": True, "name": APP_SERVICE_ACCOUNT, "annotations": annotations},
            "config": {
                "appEnv": APP_ENV[environment],
                "webConcurrency": config.web_concurrency,
                "logLevel": config.log_level,
                "corsOrigins": list(config.cors_origins),
                "rateLimitMax": config.rate_limit_max,
                "rateLimitWindowSeconds": config.rate_limit_window_seconds,
                "trustedProxyHops": config.trusted_proxy_hops,
                "mongodbDatabase": database_name,
                "sentryTracesSampleRate": sentry_traces_sample_rate,
            },
            "networkPolicy": {
                # Sentry is reached over HTTPS; without it the pods need no egress to the internet.
                "allowHttpsEgress": sentry_enabled,
                "dataStoreCidrs": data_store_cidrs,
                # Atlas's public addresses are not known in advance: only a private endpoint has a CIDR.
                "mongodbOverInternet": mongodb_over_internet,
            },
        },
    )


@dataclass(frozen=True)
class AppArgs:
    """What the release needs from the stack."""

    config: AppConfig
    environment: Environment
    namespace: pulumi.Input[str]
    provider: k8s.Provider
    values: dict[str, Any]
    depends_on: list[pulumi.Resource]


class TaskApi(pulumi.ComponentResource):
    """The task API running in the cluster."""

    release_status: pulumi.Output[Any]
    """Helm's status of the release."""

    def __init__(self, name: str, args: AppArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("primetradeai:app:TaskApi", name, None, opts)
        release = k8s.helm.v3.Release(
            f"{name}-release",
            name=RELEASE_NAME,
            chart=chart_path(),
            namespace=args.namespace,
            values=args.values,
            atomic=True,  # a failed upgrade rolls back instead of leaving half-rolled pods
            cleanup_on_fail=True,
            wait_for_jobs=True,
            timeout=600,
            max_history=10,
            opts=pulumi.ResourceOptions(parent=self, provider=args.provider, depends_on=args.depends_on),
        )
        self.release_status = release.status
        self.register_outputs({"releaseStatus": self.release_status})
