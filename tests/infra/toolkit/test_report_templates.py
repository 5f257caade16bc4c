"""Every report renders with one jinja2 environment: one set of settings, one template folder."""

from __future__ import annotations

import ast
from pathlib import Path

from infra.toolkit.report_templates import report_environment

INFRA = Path(__file__).resolve().parents[3] / "infra"


def test_every_report_template_is_found_by_the_one_environment() -> None:
    environment = report_environment()
    assert environment is report_environment()
    assert set(environment.list_templates()) == {"diff.md.j2", "cost.md.j2", "policy.md.j2"}


def test_no_other_module_builds_a_jinja_environment() -> None:
    builders = set()
    for path in INFRA.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if (func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")) == "Environment":
                builders.add(path.relative_to(INFRA).as_posix())
    assert builders == {"toolkit/report_templates.py"}
