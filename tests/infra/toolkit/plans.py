"""Small plans built in code for the diff tests."""

from __future__ import annotations

from pathlib import Path

from pydantic import JsonValue

from infra.toolkit.plan import Plan, Resource, ResourceOptions, dump_plan

STACK_URN = "urn:pulumi:prod::primetradeai::pulumi:pulumi:Stack::primetradeai-prod"

_HERE_CAPTURES = Path(__file__).parent / "captures"


def captures_dir() -> Path:
    """The real `pulumi preview --json` captures kept next to these tests."""
    return _HERE_CAPTURES


def urn(type_token: str, name: str, stack: str = "prod") -> str:
    return f"urn:pulumi:{stack}::primetradeai::{type_token}::{name}"


def resource(
    type_token: str,
    name: str,
    inputs: dict[str, JsonValue] | None = None,
    *,
    protect: bool = False,
    aliases: tuple[str, ...] = (),
    delete_before_replace: bool = False,
    stack: str = "prod",
) -> Resource:
    return Resource(
        urn=urn(type_token, name, stack),
        type=type_token,
        name=name,
        custom=True,
        parent=f"urn:pulumi:{stack}::primetradeai::pulumi:pulumi:Stack::primetradeai-{stack}",
        inputs=inputs or {},
        options=ResourceOptions(
            protect=protect, aliases=aliases, delete_before_replace=delete_before_replace
        ),
    )


def make_plan(*resources: Resource, stack: str = "prod") -> Plan:
    stack_resource = Resource(
        urn=f"urn:pulumi:{stack}::primetradeai::pulumi:pulumi:Stack::primetradeai-{stack}",
        type="pulumi:pulumi:Stack",
        name=f"primetradeai-{stack}",
        custom=False,
    )
    return Plan(project="primetradeai", stack=stack, resources=(stack_resource, *resources))


def write_plan(directory: Path, name: str, plan: Plan) -> Path:
    path = directory / name
    path.write_text(dump_plan(plan), encoding="utf-8")
    return path
