"""The edge: Cloudflare in front of the ingress (DNS, TLS, cache rules, WAF, rate limit) and the
Origin CA certificate the ingress presents, so Cloudflare can verify the origin (SSL "strict")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_cloudflare as cloudflare
import pulumi_kubernetes as k8s
import pulumi_tls as tls

from infra.components.cluster import INGRESS_CONTROLLER_SERVICE, INGRESS_NAMESPACE
from infra.components.tagging import kubernetes_labels
from infra.config.schema import EdgeConfig

ORIGIN_TLS_SECRET = "taskapi-origin-tls"
# Cloudflare's managed rulesets, by their fixed ids.
CLOUDFLARE_MANAGED_RULESET = "efb7b8c949ac4650a09736fc376e9aee"
OWASP_CORE_RULESET = "4814384a9e5d4991b9815dcfc25d2f1f"
STATIC_EXTENSIONS = ("css", "js", "mjs", "png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "woff", "woff2")
API_PATH = 'starts_with(http.request.uri.path, "/api")'


def load_balancer_hostname(status: k8s.core.v1.outputs.ServiceStatus | None) -> str:
    """The AWS load balancer's DNS name from the ingress controller Service's status."""
    ingress = status.load_balancer.ingress if status and status.load_balancer else None
    if not ingress or not ingress[0].hostname:
        raise ValueError(
            f"{INGRESS_NAMESPACE}/{INGRESS_CONTROLLER_SERVICE} has no load balancer address yet; "
            "check the ingress controller, then run `pulumi up` again"
        )
    return str(ingress[0].hostname)


def zone_settings(config: EdgeConfig) -> dict[str, Any]:
    """Setting id -> value: verify the origin's certificate, TLS 1.2+, HTTPS only, HSTS."""
    return {
        "ssl": "strict",
        "min_tls_version": "1.2",
        "always_use_https": "on",
        "automatic_https_rewrites": "on",
        "security_header": {
            "strict_transport_security": {
                "enabled": True,
                "max_age": config.hsts_max_age_seconds,
                "include_subdomains": True,
                "preload": False,
                "nosniff": True,
            }
        },
    }


def static_asset_expression() -> str:
    """Requests for static files, outside the API."""
    extensions = " ".join(f'"{ext}"' for ext in STATIC_EXTENSIONS)
    return f"(http.request.uri.path.extension in {{{extensions}}} and not {API_PATH})"


def cache_rules(config: EdgeConfig) -> list[cloudflare.RulesetRuleArgs]:
    """Never cache the API (responses are per user); cache static assets at the edge."""
    return [
        cloudflare.RulesetRuleArgs(
            ref="bypass_api",
            description="The API is per user: never cache it",
            expression=API_PATH,
            action="set_cache_settings",
            action_parameters=cloudflare.RulesetRuleActionParametersArgs(cache=False),
        ),
        cloudflare.RulesetRuleArgs(
            ref="cache_static",
            description="Cache static assets at the edge",
            expression=static_asset_expression(),
            action="set_cache_settings",
            action_parameters=cloudflare.RulesetRuleActionParametersArgs(
                cache=True,
                edge_ttl=cloudflare.RulesetRuleActionParametersEdgeTtlArgs(
                    mode="override_origin", default=config.static_cache_ttl_seconds
                ),
                browser_ttl=cloudflare.RulesetRuleActionParametersBrowserTtlArgs(mode="respect_origin"),
            ),
        ),
    ]


def waf_rules() -> list[cloudflare.RulesetRuleArgs]:
    """Run Cloudflare's managed ruleset and the OWASP core ruleset on every request."""
    return [
        cloudflare.RulesetRuleArgs(
            ref=f"managed_{ruleset_id[:8]}",
            description=description,
            expression="true",
            action="execute",
            action_parameters=cloudflare.RulesetRuleActionParametersArgs(id=ruleset_id),
        )
        for ruleset_id, description in (
            (CLOUDFLARE_MANAGED_RULESET, "Cloudflare Managed Ruleset"),
            (OWASP_CORE_RULESET, "OWASP Core Ruleset"),
        )
    ]


def rate_limit_rules(config: EdgeConfig) -> list[cloudflare.RulesetRuleArgs]:
    """Block a client that floods the API at the edge, before it reaches the app's own limiter."""
    limit = config.rate_limit
    return [
        cloudflare.RulesetRuleArgs(
            ref="api_rate_limit",
            description=f"{limit.requests_per_period} API requests per {limit.period_seconds} s per IP",
            expression=API_PATH,
            action="block",
            ratelimit=cloudflare.RulesetRuleRatelimitArgs(
                characteristics=["cf.colo.id", "ip.src"],
                period=limit.period_seconds,
                requests_per_period=limit.requests_per_period,
                mitigation_timeout=limit.mitigation_timeout_seconds,
            ),
        )
    ]


@dataclass(frozen=True)
class ZoneRuleset:
    """One zone ruleset: Cloudflare allows one per phase, so the phase says what the rules do."""

    title: str
    phase: str
    rules: list[cloudflare.RulesetRuleArgs]


def zone_rulesets(config: EdgeConfig) -> dict[str, ZoneRuleset]:
    """Resource-name suffix -> ruleset: cache rules, the managed WAF (unless switched off), the rate limit."""
    rulesets = {
        "cache-rules": ZoneRuleset("taskapi cache rules", "http_request_cache_settings", cache_rules(config)),
    }
    if config.waf_managed_rulesets:
        rulesets["waf"] = ZoneRuleset("taskapi managed WAF", "http_request_firewall_managed", waf_rules())
    rulesets["rate-limit"] = ZoneRuleset("taskapi rate limit", "http_ratelimit", rate_limit_rules(config))
    return rulesets


@dataclass(frozen=True)
class EdgeArgs:
    """What the edge needs from the stack."""

    config: EdgeConfig
    host: str
    namespace: pulumi.Input[str]
    provider: k8s.Provider
    ingress_ready: list[pulumi.Resource]


class Edge(pulumi.ComponentResource):
    """Everything between the internet and the ingress controller."""

    api_url: str
    """The public URL of the API."""
    tls_secret_name: str
    """The Secret with the Origin CA certificate, for the chart's `ingress.tlsSecretName`."""

    def __init__(self, name: str, args: EdgeArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("primetradeai:edge:Edge", name, None, opts)
        config = args.config
        child = pulumi.ResourceOptions(parent=self)
        zone = config.zone_id
        origin: pulumi.Input[str] = (
            config.origin_hostname
            if config.origin_hostname is not None
            else self._installed_controller_address(name, args)
        )
        cloudflare.DnsRecord(
            f"{name}-dns",
            zone_id=zone,
            name=args.host,
            type="CNAME",
            content=origin,
            proxied=True,  # clients see Cloudflare's addresses, never the load balancer's
            ttl=1,  # "automatic", required for proxied records
            comment="task API, managed by Pulumi",
            opts=child,
        )
        for setting_id, value in zone_settings(config).items():
            cloudflare.ZoneSetting(
                f"{name}-{setting_id.replace('_', '-')}",
                zone_id=zone,
                setting_id=setting_id,
                value=value,
                opts=child,
            )
        for suffix, ruleset in zone_rulesets(config).items():
            cloudflare.Ruleset(
                f"{name}-{suffix}",
                zone_id=zone,
                kind="zone",
                name=ruleset.title,
                phase=ruleset.phase,
                rules=ruleset.rules,
                opts=child,
            )
        self._origin_certificate(name, args, child)
        self.api_url = f"https://{args.host}"
        self.tls_secret_name = ORIGIN_TLS_SECRET
        self.register_outputs({"apiUrl": self.api_url})

    def _installed_controller_address(self, name: str, args: EdgeArgs) -> pulumi.Output[str]:
        # Only read when the program installed ingress-nginx: another cluster's controller has another
        # Service name, and reading a missing one fails the whole deploy.
        controller = k8s.core.v1.Service.get(
            f"{name}-ingress-service",
            f"{INGRESS_NAMESPACE}/{INGRESS_CONTROLLER_SERVICE}",
            opts=pulumi.ResourceOptions(parent=self, provider=args.provider, depends_on=args.ingress_ready),
        )
        return controller.status.apply(load_balancer_hostname)

    def _origin_certificate(self, name: str, args: EdgeArgs, child: pulumi.ResourceOptions) -> None:
        key = tls.PrivateKey(f"{name}-origin-key", algorithm="RSA", rsa_bits=2048, opts=child)
        request = tls.CertRequest(
            f"{name}-origin-csr",
            private_key_pem=key.private_key_pem,
            subject=tls.CertRequestSubjectArgs(common_name=args.host, organization="primetradeai"),
            dns_names=[args.host],
            opts=child,
        )
        certificate = cloudflare.OriginCaCertificate(
            f"{name}-origin-cert",
            csr=request.cert_request_pem,
            hostnames=[args.host],
            request_type="origin-rsa",
            requested_validity=args.config.origin_certificate_days,
            opts=child,
        )
        k8s.core.v1.Secret(
            f"{name}-origin-tls",
            metadata=k8s.meta.v1.ObjectMetaArgs(
                name=ORIGIN_TLS_SECRET,
                namespace=args.namespace,
                labels=kubernetes_labels("taskapi-origin-tls", "taskapi"),
            ),
            type="kubernetes.io/tls",
            string_data={"tls.crt": certificate.certificate, "tls.key": key.private_key_pem},
            opts=pulumi.ResourceOptions(parent=self, provider=args.provider),
        )
