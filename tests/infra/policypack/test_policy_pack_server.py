"""The pack directory is a real Pulumi policy pack: its __main__.py serves the analyzer the CLI talks to."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import grpc  # type: ignore[import-untyped]
import pytest
import yaml
from google.protobuf import empty_pb2, struct_pb2  # type: ignore[import-untyped]
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc

from infra.policy import POLICIES

PACK = Path(__file__).resolve().parents[3] / "infra" / "policypack"
CACHE = "aws:elasticache/replicationGroup:ReplicationGroup"


@contextmanager
def _serve() -> Iterator[analyzer_pb2_grpc.AnalyzerStub]:
    # The language host runs the pack's __main__.py and reads the port from its first line of output.
    # Isolated mode (-I) keeps the script's directory and PYTHONPATH off sys.path: the policies must come
    # from the installed project, as in the pack's own virtualenv. It also ignores PYTHONUNBUFFERED: -u.
    # The context manager closes the pipes and reaps the process once it is killed.
    with subprocess.Popen(
        [sys.executable, "-I", "-u", str(PACK / "__main__.py")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=PACK,
    ) as server:
        try:
            assert server.stdout is not None
            port = int(server.stdout.readline().decode().strip())
            channel = grpc.insecure_channel(f"127.0.0.1:{port}")
            yield analyzer_pb2_grpc.AnalyzerStub(channel)
            channel.close()
        finally:
            server.kill()


@pytest.fixture(scope="module")
def analyzer() -> Iterator[analyzer_pb2_grpc.AnalyzerStub]:
    with _serve() as stub:
        yield stub


def _analyze(
    stub: analyzer_pb2_grpc.AnalyzerStub, stack: str, props: Mapping[str, object]
) -> list[tuple[str, str]]:
    struct = struct_pb2.Struct()
    struct.update(props)
    urn = f"urn:pulumi:{stack}::primetradeai::{CACHE}::redis"
    response = stub.Analyze(analyzer_pb2.AnalyzeRequest(type=CACHE, properties=struct, urn=urn, name="redis"))
    # The analyzer prefixes each message with the policy's description line.
    return [(d.policyName, d.message.splitlines()[-1]) for d in response.diagnostics]


def test_the_pack_descriptor_names_the_python_runtime() -> None:
    descriptor = yaml.safe_load((PACK / "PulumiPolicy.yaml").read_text(encoding="utf-8"))
    assert descriptor["runtime"]["name"] == "python"
    assert descriptor["version"]


def test_the_served_pack_lists_every_policy_with_its_enforcement(
    analyzer: analyzer_pb2_grpc.AnalyzerStub,
) -> None:
    info = analyzer.GetAnalyzerInfo(empty_pb2.Empty())
    assert info.name == "primetradeai"
    assert [p.name for p in info.policies] == [p.name for p in POLICIES]


def test_the_served_pack_reports_an_unencrypted_prod_cache(analyzer: analyzer_pb2_grpc.AnalyzerStub) -> None:
    found = _analyze(analyzer, "prod", {"atRestEncryptionEnabled": False, "transitEncryptionEnabled": True})
    assert (
        "elasticache-encryption",
        "atRestEncryptionEnabled must be true (off by default in pulumi-aws 7)",
    ) in found
    assert {name for name, _ in found} >= {"prod-backups", "prod-data-stores-protected"}


def test_the_served_pack_applies_prod_rules_only_to_prod(analyzer: analyzer_pb2_grpc.AnalyzerStub) -> None:
    found = _analyze(analyzer, "dev", {"atRestEncryptionEnabled": True, "transitEncryptionEnabled": True})
    assert not {name for name, _ in found} & {
        "prod-backups",
        "prod-data-stores-protected",
        "elasticache-high-availability",
    }


def test_the_served_pack_checks_the_whole_stack_for_a_pdb(analyzer: analyzer_pb2_grpc.AnalyzerStub) -> None:
    labels = {"app.kubernetes.io/name": "taskapi", "app.kubernetes.io/instance": "taskapi"}
    manifest = struct_pb2.Struct()
    manifest.update(
        {
            "metadata": {"name": "taskapi", "namespace": "taskapi", "labels": labels},
            "spec": {"replicas": 3, "template": {"metadata": {"labels": labels}}},
        }
    )
    urn = "urn:pulumi:prod::primetradeai::kubernetes:apps/v1:Deployment::taskapi/taskapi"
    deployment = analyzer_pb2.AnalyzerResource(
        type="kubernetes:apps/v1:Deployment", properties=manifest, urn=urn, name="taskapi/taskapi"
    )
    response = analyzer.AnalyzeStack(analyzer_pb2.AnalyzeStackRequest(resources=[deployment]))
    found = [(d.policyName, d.urn, d.message.splitlines()[-1]) for d in response.diagnostics]
    assert found == [
        (
            "prod-workload-high-availability",
            urn,
            "no PodDisruptionBudget selects these pods: a node drain may stop them all",
        )
    ]


def test_the_served_pack_waives_what_the_policy_pack_config_suppresses(tmp_path: Path) -> None:
    # The file `primetradeai policy --write-pack-config` writes, as `pulumi preview --policy-pack-config`
    # hands it to the analyzer: each policy's settings, checked by the engine against its config schema.
    from infra.config.schema import PolicySuppression
    from infra.toolkit.policy.suppressions import pack_config

    waiver = PolicySuppression(policy="elasticache-encryption", resource="redis", reason="sidecar TLS")
    unencrypted = {"atRestEncryptionEnabled": False, "transitEncryptionEnabled": True}
    with _serve() as stub:
        info = stub.GetAnalyzerInfo(empty_pb2.Empty())
        schema = {p.name: p.configSchema for p in info.policies}["elasticache-encryption"]
        before = _analyze(stub, "prod", unencrypted)
        request = analyzer_pb2.ConfigureAnalyzerRequest()
        for name, settings in pack_config([waiver]).items():
            request.policyConfig[name].enforcementLevel = analyzer_pb2.MANDATORY
            request.policyConfig[name].properties.update(settings)
        stub.Configure(request)
        after = _analyze(stub, "prod", unencrypted)

    assert "suppressions" in schema.properties
    assert "elasticache-encryption" in {name for name, _ in before}
    assert "elasticache-encryption" not in {name for name, _ in after}
    assert {name for name, _ in after} == {name for name, _ in before} - {"elasticache-encryption"}
