"""The one jinja2 environment every report renders with (the diff comment, the policy and cost reports),
and the filters its templates use to format money, URNs and Markdown cells."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Final, Protocol

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from pydantic import JsonValue

CENT: Final = Decimal("0.01")
_VALUE_WIDTH: Final = 80


class Replacement(Protocol):
    """What the `why` filter reads of a diff's change."""

    @property
    def op(self) -> str: ...
    @property
    def replace_reasons(self) -> Sequence[str]: ...
    @property
    def delete_before_replace(self) -> bool: ...
    @property
    def protected(self) -> bool: ...
    @property
    def retain_on_delete(self) -> bool: ...


def usd(amount: Decimal | None) -> str:
    """`$1,234.56`, rounded half up to the cent; an em dash for no figure."""
    if amount is None:
        return "—"
    return f"${amount.quantize(CENT, rounding=ROUND_HALF_UP):,}"


def stack_figure(amount: Decimal | None, unpriced: int) -> str:
    """A category's figure for this stack: the sum, or a dash, plus how many unpriced resources it lacks."""
    if not unpriced:
        return usd(amount)
    return f"{unpriced} unpriced" if amount is None else f"{usd(amount)} + {unpriced} unpriced"


def usd_or_dash(amount: float | None) -> str:
    """A diff's monthly figure, `$1,234.56`; a hyphen when that side has none."""
    return "-" if amount is None else f"${amount:,.2f}"


def usd_delta(amount: float) -> str:
    """A signed monthly change, `+$12.00` or `-$3.50`."""
    return f"{'+' if amount >= 0 else '-'}${abs(amount):,.2f}"


def code(text: object) -> str:
    """Inline code in a Markdown table cell: HTML-escaped, pipes and newlines kept from breaking the row."""
    escaped = html.escape(str(text), quote=False).replace("|", "&#124;").replace("\n", "⏎")
    return f"<code>{escaped}</code>"


def cell(text: object) -> str:
    """Plain text in a Markdown table cell, on one line."""
    return html.escape(" ".join(str(text).split()), quote=False).replace("|", "&#124;")


def value(value: JsonValue) -> str:
    """A property value as short inline code; a hyphen for none."""
    if value is None:
        return "-"
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, ensure_ascii=False)
    if len(text) > _VALUE_WIDTH:
        text = text[: _VALUE_WIDTH - 1] + "…"
    return code(text)


def urn_name(urn: str) -> str:
    """The resource name at the end of a URN."""
    return urn.rsplit("::", 1)[-1]


def urn_resource(urn: str) -> str:
    """`name (Kind)`: names repeat across types (a NAT gateway and its address), so the kind goes along."""
    parts = urn.split("::")
    kind = parts[2].rsplit("$", 1)[-1].rsplit(":", 1)[-1] if len(parts) > 3 else ""
    return f"{parts[-1]} ({kind})" if kind else parts[-1]


def short_urn(urn: str) -> str:
    """`<type>::<name>` from a URN: enough to find the resource, short enough for a table."""
    parts = urn.split("::")
    return f"{parts[-2].rsplit('$', 1)[-1]}::{parts[-1]}" if len(parts) >= 4 else urn


def why(change: Replacement) -> str:
    """Why a replacement or deletion in a diff is risky, in a sentence."""
    if change.op == "delete":  # a rename is an update of the new URN, so a delete is a real removal
        if change.protected:
            return "removed from the program, but protected: the engine refuses to delete it (lift protect)"
        if change.retain_on_delete:
            return "removed from the program; retainOnDelete keeps it in the cloud, only the state forgets it"
        return "removed from the program" + (
            " (deleted before its replacement)" if change.delete_before_replace else ""
        )
    reasons = ", ".join(change.replace_reasons) or "the provider asked for it"
    order = " The old one is deleted first: expect downtime." if change.delete_before_replace else ""
    return f"changing {reasons} forces replacement.{order}"


@cache
def report_environment() -> Environment:
    """Templates from infra/toolkit/templates; a missing variable is an error, block tags leave no blank line.

    The reports are text and Markdown, so only an `.html` template would be escaped; Markdown values go
    through the `code`, `cell` and `value` filters, which escape what a table needs.
    """
    environment = Environment(
        loader=PackageLoader("infra.toolkit", "templates"),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=select_autoescape(("html",)),
    )
    environment.filters.update(
        usd=usd,
        usd_or_dash=usd_or_dash,
        usd_delta=usd_delta,
        code=code,
        cell=cell,
        value=value,
        urn_name=urn_name,
        urn_resource=urn_resource,
        short=short_urn,
        why=why,
    )
    environment.globals["stack_figure"] = stack_figure
    return environment
