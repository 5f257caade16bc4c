"""A Mermaid flowchart of what changes: changed resources under their parents, coloured by operation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from infra.toolkit.diff.model import Change, ChangeSet

MAX_NODES: Final = 40
_STYLES: Final = {
    "create": "fill:#dafbe1,stroke:#1a7f37",
    "update": "fill:#fff8c5,stroke:#9a6700",
    "replace": "fill:#ffebe9,stroke:#cf222e,stroke-width:2px",
    "delete": "fill:#ffebe9,stroke:#82071e,stroke-dasharray:4 3",
    "import": "fill:#ddf4ff,stroke:#0969da",
    "context": "fill:#f6f8fa,stroke:#8c959f",
}
# The engine's own prefixes (pulumi/pkg/resource/deploy/step.go, `Prefix`).
_SIGNS: Final = {
    "create": "+",
    "update": "~",
    "replace": "+-",
    "delete": "-",
    "import": "=",
    "read": ">",
    "refresh": "~",
    "discard": "<",
    "remove-pending-replace": "-",
}


# Mermaid writes entities as `#name;`, so a literal `#` is one too. A backtick opens a Markdown label
# (three close the comment's code fence); quotes, angle brackets and line breaks end the label.
_ENTITIES: Final = str.maketrans(
    {"#": "#35;", "`": "#96;", "&": "#amp;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "\n": " ", "\r": " "}
)


def _label(text: str) -> str:
    return text.translate(_ENTITIES)


def _short_type(type_token: str) -> str:
    return type_token.rsplit(":", 1)[-1]


def diagram(change_set: ChangeSet, max_nodes: int = MAX_NODES) -> str | None:
    """The flowchart text, or None when nothing changes; at most `max_nodes` changed resources."""
    shown: Sequence[Change] = change_set.changes[:max_nodes]
    if not shown:
        return None
    states = {**change_set.base.resources, **change_set.head.resources}
    ids: dict[str, str] = {}
    lines = ["flowchart LR"]

    def node(urn: str, text: str, style: str) -> str:
        if urn not in ids:
            ids[urn] = f"n{len(ids)}"
            lines.append(f'    {ids[urn]}["{text}"]:::{style}')
        return ids[urn]

    for change in shown:
        node(
            change.urn,
            f"{_SIGNS[change.op]} {_label(change.name)}<br/>{_label(_short_type(change.type))}",
            change.op if change.op in _STYLES else "context",
        )
    edges: list[str] = []
    for change in shown:
        parent = states.get(change.parent) if change.parent else None
        if parent is not None and parent.type != "pulumi:pulumi:Stack":
            parent_id = node(
                parent.urn, f"{_label(parent.name)}<br/>{_label(_short_type(parent.type))}", "context"
            )
            edges.append(f"    {parent_id} --> {ids[change.urn]}")
    lines.extend(dict.fromkeys(edges))
    hidden = len(change_set.changes) - len(shown)
    if hidden:
        lines.append(f'    more["… and {hidden} more changes"]:::context')
    lines.extend(f"    classDef {name} {style}" for name, style in _STYLES.items())
    return "\n".join(lines)
