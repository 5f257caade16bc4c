"""The plan: the typed model of `primetradeai preview` output, and its stable JSON form.

See docs/plan-format.md. `load_plan` refuses anything that is not a plan with one line naming the file
and the first thing wrong; `dump_plan` gives byte-identical JSON for equal plans.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    JsonValue,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    computed_field,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel

from infra.toolkit.errors import ToolkitError

PLAN_FORMAT: Final = "primetradeai-plan"
PLAN_VERSION: Final = 1
SECRET = "[secret]"
"""What a secret value becomes anywhere in a plan (the same text a real preview shows)."""
UNKNOWN = "[unknown]"
"""What a value not known until apply becomes."""
_PARSED_JSON: Final = "parsed-json"
"""Validation context key: the data is what `json.loads` returned."""


class PlanFormatError(ToolkitError, ValueError):
    """A file is not a plan; the message names the file and what is wrong, on one line."""


class _Model(BaseModel):
    # Frozen so a plan read by diff, policy and cost cannot be changed under them; camelCase on disk.
    model_config = ConfigDict(
        frozen=True, extra="forbid", alias_generator=to_camel, populate_by_name=True, strict=False
    )


class ResourceOptions(_Model):
    """The resource options that change what the engine does with a resource."""

    protect: bool = False
    delete_before_replace: bool = False
    retain_on_delete: bool = False
    ignore_changes: tuple[str, ...] = ()
    replace_on_changes: tuple[str, ...] = ()
    additional_secret_outputs: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()


class Resource(_Model):
    """One resource the program registers (or one object rendered from a Helm chart)."""

    urn: str
    type: str
    name: str
    custom: bool
    parent: str | None = None
    provider: str | None = None
    dependencies: tuple[str, ...] = ()
    property_dependencies: dict[str, tuple[str, ...]] = {}
    options: ResourceOptions = ResourceOptions()
    inputs: dict[str, JsonValue] = {}
    rendered: bool = False

    @field_validator("inputs", mode="wrap")
    @classmethod
    def _parsed_json_is_json(
        cls, value: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo
    ) -> Any:
        # What json.loads returns is JSON by construction: checking every value again was most of the
        # time it took to validate a plan read from a file.
        if info.context and info.context.get(_PARSED_JSON) and type(value) is dict:
            return value
        return handler(value)


class PlanSummary(_Model):
    """Counts a reader sees first: all resources, and resources per type token."""

    resources: int
    by_type: dict[str, int]


class Plan(_Model):
    """A whole stack as the offline preview saw it."""

    format: Literal["primetradeai-plan"] = PLAN_FORMAT
    version: Literal[1] = PLAN_VERSION
    project: str
    stack: str
    config: dict[str, JsonValue] = {}
    resources: tuple[Resource, ...]
    outputs: dict[str, JsonValue] = {}

    @model_validator(mode="before")
    @classmethod
    def _drop_summary(cls, data: Any) -> Any:
        # The summary is derived from the resources; a stored one is recomputed, never trusted.
        if isinstance(data, Mapping) and "summary" in data:
            return {key: value for key, value in data.items() if key != "summary"}
        return data

    @field_validator("resources")
    @classmethod
    def _sorted_and_unique(cls, resources: tuple[Resource, ...]) -> tuple[Resource, ...]:
        ordered = tuple(sorted(resources, key=lambda r: r.urn))
        for before, after in itertools.pairwise(ordered):
            if before.urn == after.urn:
                raise ValueError(f"duplicate resource URN {after.urn}")
        return ordered

    @computed_field  # type: ignore[prop-decorator]
    @property
    def summary(self) -> PlanSummary:
        by_type = Counter(r.type for r in self.resources)
        return PlanSummary(resources=len(self.resources), by_type=dict(sorted(by_type.items())))

    def by_urn(self) -> dict[str, Resource]:
        """Resources keyed by URN."""
        return {r.urn: r for r in self.resources}

    def children_of(self, urn: str) -> list[Resource]:
        """Direct children of the resource with this URN, in URN order."""
        return [r for r in self.resources if r.parent == urn]


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The plan as JSON-ready data, camelCase keys."""
    return plan.model_dump(mode="json", by_alias=True)


def dump_plan(plan: Plan) -> str:
    """The plan's stable JSON text: sorted keys, two-space indent, trailing newline."""
    return json.dumps(plan_to_dict(plan), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def is_plan_document(data: object) -> bool:
    """Whether parsed JSON says it is a plan (it may still be a broken one)."""
    return isinstance(data, Mapping) and data.get("format") == PLAN_FORMAT


def plan_from_data(data: object, source: str, *, parsed_json: bool = False) -> Plan:
    """Validate data as a plan; `source` names where it came from in the error.

    `parsed_json`: the data is what `json.loads` returned, so resource inputs are JSON already and are
    not checked value by value again (the plan is the same either way).
    """
    if not isinstance(data, Mapping):
        raise PlanFormatError(f"{source}: not a plan: expected a JSON object, found {_json_kind(data)}")
    if data.get("format") != PLAN_FORMAT:
        raise PlanFormatError(f'{source}: not a plan: "format" is not "{PLAN_FORMAT}"')
    if data.get("version") != PLAN_VERSION:
        raise PlanFormatError(
            f"{source}: unsupported plan version {data.get('version')!r}"
            f" (this tool reads version {PLAN_VERSION})"
        )
    try:
        return Plan.model_validate(data, context={_PARSED_JSON: True} if parsed_json else None)
    except ValidationError as error:
        raise PlanFormatError(f"{source}: not a valid plan: {first_problem(error)}") from None


def load_plan(path: str | Path) -> Plan:
    """Read a plan file; PlanFormatError (one line, naming the file) for anything else."""
    return plan_from_data(read_json(path), str(path), parsed_json=True)


def read_json(path: str | Path) -> object:
    """Read and parse a JSON file; PlanFormatError naming the file for anything unreadable or not JSON."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PlanFormatError(f"{source}: no such file") from None
    except IsADirectoryError:
        raise PlanFormatError(f"{source}: a directory, not a file") from None
    except UnicodeDecodeError as error:
        raise PlanFormatError(f"{source}: not UTF-8 text (byte {error.start})") from None
    except OSError as error:
        raise PlanFormatError(f"{source}: cannot be read: {error.strerror or error}") from None
    return parse_json(text, source)


def parse_json(text: str, source: str) -> object:
    """Parse JSON text; PlanFormatError naming the file and the line for anything else."""
    if not text.strip():
        raise PlanFormatError(f"{source}: empty file, not JSON")
    try:
        data: object = json.loads(text)
    except json.JSONDecodeError as error:
        raise PlanFormatError(
            f"{source}: not JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    except RecursionError:  # the parser recurses per level: a hostile file must not crash the reader
        raise PlanFormatError(f"{source}: JSON nested too deeply to read") from None
    return data


def first_problem(error: ValidationError, root: str = "") -> str:
    """The first validation problem as `where: what`, `where` a path under `root` (`steps[3].inputs`)."""
    first = error.errors(include_url=False, include_input=False)[0]
    where = root + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in first["loc"])
    more = error.error_count() - 1
    suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return f"{where.lstrip('.') or 'plan'}: {first['msg']}{suffix}"


def _json_kind(data: object) -> str:
    if isinstance(data, list):
        return "an array"
    if isinstance(data, str):
        return "a string"
    if data is None:
        return "null"
    return "a number" if isinstance(data, int | float) and not isinstance(data, bool) else "a boolean"
