"""Hardened pods: each weakness in a rendered Deployment is its own mandatory violation."""

from __future__ import annotations

from typing import Any

import pytest

from tests.infra.policy.policy_plans import container, deployment, violations

HARDENED = container()["securityContext"]


def _problems(**overrides: Any) -> list[str]:
    found = violations(deployment(containers=[container(**overrides)]), policy="hardened-pods")
    assert all(v.enforcement == "mandatory" for v in found)
    return [v.message for v in found]


def test_the_hardened_baseline_passes() -> None:
    assert _problems() == []


@pytest.mark.parametrize(
    ("context", "expected"),
    [
        ({**HARDENED, "runAsNonRoot": False}, "runAsNonRoot is not true"),
        ({**HARDENED, "readOnlyRootFilesystem": None}, "readOnlyRootFilesystem is not true"),
        ({**HARDENED, "capabilities": {"drop": ["NET_RAW"]}}, "capabilities.drop does not include ALL"),
        ({**HARDENED, "allowPrivilegeEscalation": True}, "allowPrivilegeEscalation is not false"),
        ({**HARDENED, "seccompProfile": {"type": "Unconfined"}}, "seccompProfile.type is not RuntimeDefault"),
        ({**HARDENED, "privileged": True}, "runs privileged"),
    ],
)
def test_each_missing_hardening_setting_is_named(context: dict[str, Any], expected: str) -> None:
    assert _problems(securityContext=context) == [f"container api: {expected}"]


def test_missing_limits_are_named() -> None:
    assert _problems(resources={"limits": {"memory": "512Mi"}}) == [
        "container api: no resource limit for cpu"
    ]


@pytest.mark.parametrize(
    "image", ["ghcr.io/primetradeai/taskapi:latest", "ghcr.io/primetradeai/taskapi", "localhost:5000/taskapi"]
)
def test_latest_or_untagged_images_are_flagged(image: str) -> None:
    assert len(_problems(image=image)) == 1


def test_digest_pinned_image_passes() -> None:
    assert _problems(image="ghcr.io/primetradeai/taskapi@sha256:" + "a" * 64) == []


def test_pod_level_non_root_and_seccomp_count_for_every_container() -> None:
    context = {k: v for k, v in HARDENED.items() if k not in {"runAsNonRoot", "seccompProfile"}}
    workload = deployment(containers=[container(securityContext=context)])
    workload["inputs"]["spec"]["template"]["spec"]["securityContext"] = {
        "runAsNonRoot": True,
        "runAsUser": 10001,
        "seccompProfile": {"type": "RuntimeDefault"},
    }
    assert violations(workload, policy="hardened-pods") == []


def test_init_containers_are_checked_too() -> None:
    workload = deployment()
    workload["inputs"]["spec"]["template"]["spec"]["initContainers"] = [
        container(name="migrate", image="busybox")
    ]
    assert [v.message for v in violations(workload, policy="hardened-pods")] == [
        "container migrate: image busybox has no tag (means latest)"
    ]
