"""Every pod the chart makes meets the Pod Security Standards "restricted" profile."""

from __future__ import annotations

from typing import Any

import pytest

from infra.toolkit.preview.helm_render import is_test_hook
from tests.charts.taskapi_chart import ENVIRONMENTS, minimal_values, only, render, stack_values

UID = 10001


def pod_specs(objects: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The Deployment's pod template and the `helm test` Pod, by name."""
    specs = {"deployment": only(objects, "Deployment")["spec"]["template"]["spec"]}
    specs.update({obj["metadata"]["name"]: obj["spec"] for obj in objects if is_test_hook(obj)})
    assert len(specs) == 2
    return specs


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_every_pod_runs_as_uid_10001_with_runtime_default_seccomp(environment: str) -> None:
    for name, spec in pod_specs(render(stack_values(environment))).items():
        pod = spec["securityContext"]
        assert pod["runAsNonRoot"] is True, name
        assert (pod["runAsUser"], pod["runAsGroup"]) == (UID, UID), name
        assert pod["seccompProfile"] == {"type": "RuntimeDefault"}, name
        assert spec["automountServiceAccountToken"] is False, name


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_every_container_is_read_only_unprivileged_and_drops_all_capabilities(environment: str) -> None:
    for name, spec in pod_specs(render(stack_values(environment))).items():
        for container in spec["containers"]:
            context = container["securityContext"]
            assert context["allowPrivilegeEscalation"] is False, name
            assert context["privileged"] is False, name
            assert context["readOnlyRootFilesystem"] is True, name
            assert context["capabilities"] == {"drop": ["ALL"]}, name
            assert context["runAsNonRoot"] is True, name
            assert context["runAsUser"] == UID, name
            assert context["seccompProfile"] == {"type": "RuntimeDefault"}, name
            assert "add" not in context["capabilities"], name


def test_pods_use_no_host_namespaces_ports_or_paths() -> None:
    for spec in pod_specs(render(minimal_values())).values():
        assert not {"hostNetwork", "hostPID", "hostIPC"} & spec.keys()
        assert all("hostPath" not in volume for volume in spec.get("volumes", []))
        for container in spec["containers"]:
            assert all("hostPort" not in port for port in container.get("ports", []))


def test_the_only_writable_path_is_an_empty_dir_on_tmp() -> None:
    spec = only(render(minimal_values()), "Deployment")["spec"]["template"]["spec"]
    volumes = {volume["name"]: volume for volume in spec["volumes"]}
    mounts = spec["containers"][0]["volumeMounts"]

    assert [mount for mount in mounts if not mount.get("readOnly")] == [{"name": "tmp", "mountPath": "/tmp"}]
    assert "emptyDir" in volumes["tmp"]
    assert {mount["name"] for mount in mounts} == {"tmp", "secrets"}


def test_the_service_account_does_not_automount_a_token_but_carries_the_iam_role() -> None:
    account = only(render(stack_values("prod")), "ServiceAccount")

    assert account["automountServiceAccountToken"] is False
    assert account["metadata"]["annotations"] == {
        "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/taskapi"
    }


def test_the_image_runs_by_tag() -> None:
    container = only(render(minimal_values()), "Deployment")["spec"]["template"]["spec"]["containers"][0]

    assert container["image"] == "ghcr.io/primetradeai/taskapi:1.4.2"


def test_a_digest_pins_the_image_of_the_api_and_of_the_test_pod() -> None:
    digest = "sha256:" + "0123456789abcdef" * 4
    values = minimal_values()
    values["image"]["digest"] = digest
    objects = render(values)
    images = {name: spec["containers"][0]["image"] for name, spec in pod_specs(objects).items()}

    assert set(images.values()) == {f"ghcr.io/primetradeai/taskapi@{digest}"}


# The volume types the "restricted" profile allows.
RESTRICTED_VOLUME_TYPES = {
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "persistentVolumeClaim",
    "projected",
    "secret",
}


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_pods_mount_only_volume_types_the_restricted_profile_allows(environment: str) -> None:
    for name, spec in pod_specs(render(stack_values(environment))).items():
        for volume in spec.get("volumes", []):
            assert set(volume) - {"name"} <= RESTRICTED_VOLUME_TYPES, name
