"""The pack runs in the repository's locked environment and reaches the policies as an installed package."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

PACK = Path(__file__).resolve().parents[3] / "infra" / "policypack"
REPOSITORY = PACK.parents[1]


def test_the_pack_uses_the_uv_toolchain_with_the_nearest_lock() -> None:
    runtime = yaml.safe_load((PACK / "PulumiPolicy.yaml").read_text(encoding="utf-8"))["runtime"]
    # Without a `virtualenv` option, Pulumi's uv toolchain uses the environment of the nearest uv.lock up.
    assert runtime["options"] == {"toolchain": "uv"}
    nearest = next(d for d in (PACK, *PACK.parents) if (d / "uv.lock").is_file())
    assert nearest == REPOSITORY
    assert not (PACK / "requirements.txt").exists()


def test_the_lock_holds_the_repository_project_with_the_policy_sdk() -> None:
    lock = tomllib.loads((REPOSITORY / "uv.lock").read_text(encoding="utf-8"))
    packages = {package["name"]: package for package in lock["package"]}
    project = packages["primetradeai"]
    assert project["source"] == {"editable": "."}
    assert "pulumi-policy" in {dep["name"] for dep in project["dev-dependencies"]["infra"]}
    project_file = tomllib.loads((REPOSITORY / "pyproject.toml").read_text(encoding="utf-8"))
    assert "infra" in project_file["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"]


def test_the_policies_import_without_the_toolkit_or_the_pack_directory_on_the_path() -> None:
    # -I: neither the working directory nor PYTHONPATH is on sys.path, only what is installed.
    probe = (
        "import sys, infra.policy as p; "
        "print(len(p.POLICIES), sorted({m.split('.')[1] for m in sys.modules if m.startswith('infra.')}))"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", probe], cwd=PACK, capture_output=True, text=True, check=True
    )
    count, packages = result.stdout.split(" ", 1)
    assert int(count) > 0
    # The rules, the listing of pulumi_policy's private names they use, and the stack's config model
    # (whose PolicySuppression the pack's suppressions use), no more.
    assert packages.strip() == "['config', 'policy', 'pulumi_policy_internals']"
