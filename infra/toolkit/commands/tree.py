"""The human view of a plan: the resource tree and the count of resources per type."""

from __future__ import annotations

from collections import defaultdict

from rich.console import Console, Group
from rich.markup import escape
from rich.table import Table
from rich.tree import Tree

from infra.toolkit.plan import Plan, Resource


def _label(resource: Resource) -> str:
    flags = []
    if resource.options.protect:
        flags.append("[bold yellow]protected[/]")
    if resource.rendered:
        flags.append("[dim]rendered[/]")
    suffix = f"  {' '.join(flags)}" if flags else ""
    kind = "cyan" if resource.custom else "magenta"
    return f"[{kind}]{escape(resource.type)}[/] [bold]{escape(resource.name)}[/]{suffix}"


def resource_tree(plan: Plan) -> Tree:
    """Every resource under its parent, the stack at the root, siblings in URN order."""
    children: dict[str | None, list[Resource]] = defaultdict(list)
    for resource in plan.resources:
        children[resource.parent].append(resource)
    known = {resource.urn for resource in plan.resources}
    # The stack, plus anything whose parent is missing from the plan (shown rather than lost).
    roots = children[None] + [
        r for parent, kids in children.items() if parent is not None and parent not in known for r in kids
    ]
    tree = Tree(f"[bold]{escape(plan.project)}[/] stack [bold]{escape(plan.stack)}[/]")

    def add(node: Tree, resource: Resource) -> None:
        branch = node.add(_label(resource))
        for child in children.get(resource.urn, []):
            add(branch, child)

    for root in roots:
        add(tree, root)
    return tree


def type_counts(plan: Plan, title: str | None = None) -> Table:
    """Resources per type token, most common first, with the total."""
    table = Table(title=title or "Resources per type", title_justify="left", show_footer=True)
    table.add_column("type", footer="total")
    table.add_column("count", justify="right", footer=str(plan.summary.resources))
    by_type = sorted(plan.summary.by_type.items(), key=lambda item: (-item[1], item[0]))
    for type_token, count in by_type:
        table.add_row(escape(type_token), str(count))
    return table


def print_plan(plan: Plan, console: Console, title: str | None = None) -> None:
    """Print the tree and the counts (under `title`, default "Resources per type")."""
    console.print(Group(resource_tree(plan), "", type_counts(plan, title)))
