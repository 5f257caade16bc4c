"""The chart's README lists every value, and values.yaml, its comments and the schema agree."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.charts.taskapi_chart import CHART_DIR

SCRIPT = CHART_DIR.parent / "values_readme.py"


def leaves(tree: dict[str, Any], prefix: str = "") -> set[str]:
    paths: set[str] = set()
    for key, value in tree.items():
        if isinstance(value, dict) and value:
            paths |= leaves(value, f"{prefix}{key}.")
        else:
            paths.add(f"{prefix}{key}")
    return paths


def schema_leaves(node: dict[str, Any], prefix: str = "") -> set[str]:
    paths: set[str] = set()
    for key, child in node.get("properties", {}).items():
        if key == "global":
            continue  # Helm's own key, never set by this chart's values.yaml.
        if "properties" in child:
            paths |= schema_leaves(child, f"{prefix}{key}.")
        else:
            paths.add(f"{prefix}{key}")
    return paths


def run_script(chart: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(chart), *flags], capture_output=True, text=True, check=False
    )


def test_the_readme_values_table_is_up_to_date() -> None:
    result = run_script(CHART_DIR, "--check")

    assert result.returncode == 0, result.stderr


def test_the_readme_lists_every_value() -> None:
    readme = (CHART_DIR / "README.md").read_text()
    values = yaml.safe_load((CHART_DIR / "values.yaml").read_text())

    for path in leaves(values):
        assert f"| `{path}` |" in readme, path


def test_values_yaml_and_the_schema_describe_the_same_values() -> None:
    values = yaml.safe_load((CHART_DIR / "values.yaml").read_text())
    schema = json.loads((CHART_DIR / "values.schema.json").read_text())

    assert leaves(values) == schema_leaves(schema)


@pytest.fixture
def chart_copy(tmp_path: Path) -> Path:
    chart = tmp_path / "chart"
    chart.mkdir()
    for name in ("values.yaml", "README.md"):
        (chart / name).write_text((CHART_DIR / name).read_text())
    return chart


def test_the_check_fails_when_a_value_is_added_without_regenerating_the_readme(chart_copy: Path) -> None:
    values_file = chart_copy / "values.yaml"
    values_file.write_text(values_file.read_text() + "\n# newValue is a value added later.\nnewValue: 1\n")

    result = run_script(chart_copy, "--check")

    assert result.returncode == 1
    assert "out of date" in result.stderr
    assert run_script(chart_copy).returncode == 0
    assert "| `newValue` | `1` | newValue is a value added later. |" in (chart_copy / "README.md").read_text()


def test_an_undocumented_value_is_named(chart_copy: Path) -> None:
    values_file = chart_copy / "values.yaml"
    values_file.write_text(values_file.read_text() + "\nsilentValue: true\n")

    result = run_script(chart_copy, "--check")

    assert result.returncode == 2
    assert "silentValue needs a comment" in result.stderr
