"""Read a real `pulumi preview --json` document into the shapes diff compares.

A step's `op` is one of the engine's step operations (pulumi/pkg/resource/deploy/step.go); replacement
shows up as `replace` and, depending on the CLI version and flags, as `create-replacement` and
`delete-replaced` steps for the same URN. `detailedDiff` kinds carry a `-replace` suffix when that
property forces the replacement. Secrets are already "[secret]"; unknowns are the engine's sentinel.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from pydantic import BaseModel, ConfigDict, JsonValue, ValidationError
from pydantic.alias_generators import to_camel

from infra.toolkit.diff.model import EngineStep, Op, PropertyKind, State
from infra.toolkit.errors import ToolkitError
from infra.toolkit.plan import first_problem
from infra.toolkit.values import plan_value, redact_named

_REPLACEMENT_OPS: Final = frozenset(
    {
        "replace",
        "create-replacement",
        "delete-replaced",
        "import-replacement",
        "read-replacement",
        "discard-replaced",
    }
)
_PLAIN_OPS: Final[dict[str, Op]] = {
    "create": "create",
    "update": "update",
    "delete": "delete",
    "same": "same",
    "import": "import",
    "read": "read",
    "refresh": "refresh",
    "discard": "discard",
    "remove-pending-replace": "remove-pending-replace",
}
# Ops after which the resource is no longer in the stack's state.
_GONE: Final[frozenset[Op]] = frozenset({"delete", "discard", "remove-pending-replace"})
# A refresh step comes before the step that acts on the refreshed state (`preview --refresh`).
_BACKGROUND: Final[frozenset[Op]] = frozenset({"same", "refresh"})
_KINDS: Final[dict[str, tuple[PropertyKind, bool]]] = {
    "add": ("add", False),
    "add-replace": ("add", True),
    "delete": ("delete", False),
    "delete-replace": ("delete", True),
    "update": ("update", False),
    "update-replace": ("update", True),
}


class DocumentError(ToolkitError):
    """A file given to diff is neither a plan nor a `pulumi preview --json` document."""


class _Shape(BaseModel):
    # Only the keys this module reads are checked; the engine writes many more (stackTrace, outputs).
    model_config = ConfigDict(extra="ignore", alias_generator=to_camel)


class _StateShape(_Shape):
    type: str | None = None
    parent: str | None = None
    inputs: dict[str, Any] | None = None
    protect: bool | None = None
    delete_before_replace: bool | None = None
    replace_on_changes: list[str] | None = None
    additional_secret_outputs: list[str] | None = None


class _StepShape(_Shape):
    """The parts of a step `read_preview` relies on, so a malformed one is named rather than crashing."""

    old_state: _StateShape | None = None
    new_state: _StateShape | None = None
    replace_reasons: list[str] | None = None
    diff_reasons: list[str] | None = None


@dataclass(frozen=True)
class PreviewDocument:
    """A real preview: the state before, the state after, and the engine's step per URN."""

    stack: str | None
    before: dict[str, State]
    after: dict[str, State]
    steps: dict[str, EngineStep]
    unchanged: int | None = None
    """The engine's own count of unchanged resources (`changeSummary.same`), when the document has one."""
    diagnostics: tuple[str, ...] = ()
    """The engine's errors and warnings, one line each."""


def is_preview_document(data: object) -> bool:
    """Whether parsed JSON looks like `pulumi preview --json` output."""
    return isinstance(data, Mapping) and isinstance(data.get("steps"), list)


def _stack_of(urn: str) -> str:
    return urn.split("::", 1)[0].removeprefix("urn:pulumi:")


def _state(urn: str, state: Mapping[str, Any]) -> State:
    raw_inputs = state.get("inputs") or {}
    # `__defaults` and other double-underscore keys are engine bookkeeping, not the program's inputs.
    inputs = {k: plan_value(v) for k, v in raw_inputs.items() if not k.startswith("__")}
    # As in a plan: a property the program declared a secret output is hidden even when a preview run
    # with --show-secrets printed it.
    inputs = redact_named(inputs, tuple(state.get("additionalSecretOutputs") or ()))
    type_token = state.get("type") or urn.split("::")[2].split("$")[-1]
    return State(
        urn=urn,
        type=str(type_token),
        name=urn.rsplit("::", 1)[-1],
        inputs=inputs,
        parent=state.get("parent"),
        protect=bool(state.get("protect", False)),
        delete_before_replace=bool(state.get("deleteBeforeReplace", False)),
        replace_on_changes=tuple(state.get("replaceOnChanges") or ()),
    )


def _detailed(raw: Any) -> tuple[tuple[str, PropertyKind, bool], ...] | None:
    if not isinstance(raw, Mapping):
        return None
    entries: list[tuple[str, PropertyKind, bool]] = []
    for path, detail in raw.items():
        kind_text = detail.get("kind", "update") if isinstance(detail, Mapping) else "update"
        kind, replaces = _KINDS.get(str(kind_text), ("update", False))
        entries.append((str(path), kind, replaces))
    return tuple(sorted(entries))


def _merged_op(ops: list[str]) -> Op:
    if any(op in _REPLACEMENT_OPS for op in ops):
        return "replace"
    plain = [_PLAIN_OPS[op] for op in ops]
    acting = [op for op in plain if op not in _BACKGROUND]
    if acting:
        return acting[0]
    return "refresh" if "refresh" in plain else "same"


def read_preview(data: Mapping[str, Any], source: str) -> PreviewDocument:
    """Normalise a parsed preview document; DocumentError names the step that is wrong."""
    grouped: dict[str, list[Mapping[str, Any]]] = {}
    for index, step in enumerate(data["steps"]):
        if not isinstance(step, Mapping) or not isinstance(step.get("urn"), str):
            raise DocumentError(f'{source}: steps[{index}] is not a preview step (no "urn")')
        op = step.get("op")
        if op not in _PLAIN_OPS and op not in _REPLACEMENT_OPS:
            raise DocumentError(f"{source}: steps[{index}]: unknown step op {op!r}")
        for key in ("oldState", "newState"):
            if step.get(key) is not None and not isinstance(step.get(key), Mapping):
                raise DocumentError(f"{source}: steps[{index}].{key} is not an object")
        try:
            _StepShape.model_validate(step)
        except ValidationError as error:
            raise DocumentError(f"{source}: {first_problem(error, f'steps[{index}]')}") from None
        grouped.setdefault(step["urn"], []).append(step)

    before: dict[str, State] = {}
    after: dict[str, State] = {}
    steps: dict[str, EngineStep] = {}
    for urn, urn_steps in grouped.items():
        old = next((s["oldState"] for s in urn_steps if s.get("oldState")), None)
        new = next((s["newState"] for s in urn_steps if s.get("newState")), None)
        op = _merged_op([str(s["op"]) for s in urn_steps])
        if old is not None:
            before[urn] = _state(urn, old)
        if new is not None and op not in _GONE:
            after[urn] = _state(urn, new)
        reasons = [r for s in urn_steps for r in (s.get("replaceReasons") or ())]
        diff_reasons = [r for s in urn_steps for r in (s.get("diffReasons") or ())]
        detailed = next(
            (d for d in (_detailed(s.get("detailedDiff")) for s in urn_steps) if d is not None), None
        )
        old_inputs: Mapping[str, JsonValue] | None = before[urn].inputs if urn in before else None
        steps[urn] = EngineStep(
            op=op,
            old_inputs=old_inputs,
            replace_reasons=tuple(dict.fromkeys(str(r) for r in reasons)),
            diff_reasons=tuple(dict.fromkeys(str(r) for r in diff_reasons)),
            detailed_diff=detailed,
        )
    stack = _stack_of(next(iter(grouped))) if grouped else None
    summary = data.get("changeSummary")
    same = summary.get("same") if isinstance(summary, Mapping) else None
    unchanged = same if isinstance(same, int) and not isinstance(same, bool) else None
    return PreviewDocument(
        stack=stack,
        before=before,
        after=after,
        steps=steps,
        unchanged=unchanged,
        diagnostics=_diagnostics(data.get("diagnostics")),
    )


_DIAGNOSTIC_WIDTH: Final = 300


def _diagnostics(raw: Any) -> tuple[str, ...]:
    """Errors and warnings (the engine masks secrets in them), first line each, shortened."""
    if not isinstance(raw, list):
        return ()
    lines: list[str] = []
    for item in raw:
        if not isinstance(item, Mapping) or item.get("severity") not in ("error", "warning"):
            continue
        message = str(item.get("message", "")).strip().splitlines()
        if not message:
            continue
        where = str(item.get("urn", "")).rsplit("::", 1)[-1]
        text = f"{item['severity']}{f' ({where})' if where else ''}: {message[0]}"
        lines.append(text if len(text) <= _DIAGNOSTIC_WIDTH else text[: _DIAGNOSTIC_WIDTH - 1] + "…")
    return tuple(dict.fromkeys(lines))
