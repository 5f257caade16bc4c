"""Stack files derived from the committed ones, written into a scratch project that runs the real program."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

PROJECT_DIR = Path(__file__).resolve().parents[2]


def scratch_project(
    tmp_path: Path, stack: str, edit: Callable[[dict[str, Any]], None], base: str = "dev"
) -> Path:
    """A project in `tmp_path` running the real stacks/ program with `Pulumi.<base>.yaml` edited by `edit`."""
    (tmp_path / "Pulumi.yaml").write_text(
        yaml.safe_dump({"name": "primetradeai", "runtime": "python", "main": str(PROJECT_DIR / "stacks")})
    )
    document = yaml.safe_load((PROJECT_DIR / f"Pulumi.{base}.yaml").read_text())
    config = copy.deepcopy(document)
    edit(config["config"])
    (tmp_path / f"Pulumi.{stack}.yaml").write_text(yaml.safe_dump(config))
    return tmp_path
