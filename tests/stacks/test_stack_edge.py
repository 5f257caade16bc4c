"""The edge: Cloudflare DNS, TLS and WAF in front of the origin, and the ingress certificate."""

from __future__ import annotations

from infra.harness import StackRun
from infra.pulumi_wire import is_secret, reveal
from tests.stacks.audit import app_release


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
