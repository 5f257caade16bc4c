"""Observability switches: the Datadog agent (its Helm chart) and Sentry error tracking.

Sentry needs nothing in the cluster: its DSN, a secret, reaches the app through the API's Secret
(SENTRY_DSN); this component decides whether it is passed on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from infra.components.tagging import kubernetes_labels
from infra.config.schema import ObservabilityConfig

DATADOG_NAMESPACE = "datadog"
DATADOG_SECRET = "datadog-api-key"


def datadog_values(site: str, cluster_name: str) -> dict[str, Any]:
    """The agent reads its API key from a Secret, never from values; logs, APM and the cluster agent on."""
    return {
        "datadog": {
            "site": site,
            "apiKeyExistingSecret": DATADOG_SECRET,
            "clusterName": cluster_name,
            "logs": {"enabled": True, "containerCollectAll": True},
            "apm": {"portEnabled": True},
            "prometheusScrape": {"enabled": True},
        },
        "clusterAgent": {"enabled": True, "replicas": 2},
    }


@dataclass(frozen=True)
class ObservabilityArgs:
    """What observability needs from the stack."""

    config: ObservabilityConfig
    cluster_name: pulumi.Input[str]
    provider: k8s.Provider
    datadog_api_key: pulumi.Output[str] | None
    sentry_dsn: pulumi.Output[str] | None


class Observability(pulumi.ComponentResource):
    """Monitoring and error tracking, each behind its own switch."""

    sentry_dsn: pulumi.Output[str] | None
    """The DSN for the API's Secret when Sentry is on, else None."""

    def __init__(
        self, name: str, args: ObservabilityArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("primetradeai:observability:Observability", name, None, opts)
        config = args.config
        if config.sentry.enabled and args.sentry_dsn is None:
            raise ValueError("observability.sentry.enabled needs the sentryDsn secret")
        self.sentry_dsn = args.sentry_dsn if config.sentry.enabled else None
        if config.datadog.enabled:
            if args.datadog_api_key is None:
                # The config loader refuses such a stack; a caller that skips it gets an error, not a no-op.
                raise ValueError("observability.datadog.enabled needs the datadogApiKey secret")
            in_cluster = pulumi.ResourceOptions(parent=self, provider=args.provider)
            namespace = k8s.core.v1.Namespace(
                f"{name}-datadog-namespace",
                metadata=k8s.meta.v1.ObjectMetaArgs(
                    name=DATADOG_NAMESPACE, labels=kubernetes_labels("datadog", DATADOG_NAMESPACE)
                ),
                opts=in_cluster,
            )
            secret = k8s.core.v1.Secret(
                f"{name}-datadog-api-key",
                metadata=k8s.meta.v1.ObjectMetaArgs(
                    name=DATADOG_SECRET,
                    namespace=DATADOG_NAMESPACE,
                    labels=kubernetes_labels("datadog-api-key", "datadog"),
                ),
                type="Opaque",
                string_data={"api-key": args.datadog_api_key},
                opts=pulumi.ResourceOptions(parent=self, provider=args.provider, depends_on=[namespace]),
            )
            k8s.helm.v3.Release(
                f"{name}-datadog",
                name="datadog",
                chart="datadog",
                version=config.datadog.chart_version,
                namespace=DATADOG_NAMESPACE,
                repository_opts=k8s.helm.v3.RepositoryOptsArgs(repo="https://helm.datadoghq.com"),
                values=pulumi.Output.from_input(args.cluster_name).apply(
                    lambda cluster: datadog_values(config.datadog.site, cluster)
                ),
                atomic=True,
                opts=pulumi.ResourceOptions(parent=self, provider=args.provider, depends_on=[secret]),
            )
        self.register_outputs({"datadog": config.datadog.enabled, "sentry": config.sentry.enabled})
