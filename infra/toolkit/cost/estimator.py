"""The monthly estimate of a plan: one line per billable resource, the total, and what could not be priced.

Unpriced resources are listed with the reason, never counted as zero. Components, providers and the
stack itself are not cloud resources and are left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from infra.toolkit.cost.rules import RULES, UnpriceableError
from infra.toolkit.cost.table import Category, GuideLine, PriceTable, load_price_table
from infra.toolkit.plan import Plan, Resource


@dataclass(frozen=True)
class CostLine:
    """One priced resource."""

    urn: str
    type: str
    name: str
    monthly_usd: Decimal
    basis: str
    category: Category


@dataclass(frozen=True)
class UnpricedResource:
    """A resource that costs money (or may) but has no price: listed, never counted as zero."""

    urn: str
    type: str
    name: str
    reason: str
    category: Category | None = None


@dataclass(frozen=True)
class FreeResource:
    """A resource the table marks free, with the table's reason."""

    urn: str
    type: str
    name: str
    reason: str


@dataclass(frozen=True)
class GuideComparison:
    """One category: the guide's figure beside this stack's (None: nothing priced in it)."""

    category: str
    guide_item: str
    guide_usd: Decimal | None
    stack_usd: Decimal | None
    unpriced: int = 0


@dataclass(frozen=True)
class CostReport:
    """A stack's monthly estimate."""

    stack: str
    lines: tuple[CostLine, ...]
    unpriced: tuple[UnpricedResource, ...]
    free: tuple[FreeResource, ...]
    table: PriceTable

    @property
    def total_usd(self) -> Decimal:
        """The sum of the priced lines (unpriced resources are not in it, and are listed)."""
        return sum((line.monthly_usd for line in self.lines), Decimal(0))

    def by_category(self) -> dict[str, Decimal]:
        """Monthly totals per category, in the guide's order, then the rest."""
        totals: dict[str, Decimal] = {}
        for line in self.lines:
            totals[line.category] = totals.get(line.category, Decimal(0)) + line.monthly_usd
        return totals

    def guide_comparison(self) -> list[GuideComparison]:
        """The guide's lines beside this stack's category totals, then categories the guide lacks."""
        totals: dict[str, Decimal | None] = dict(self.by_category())
        unpriced: dict[str, int] = {}
        for item in self.unpriced:
            key = item.category or "uncategorised"
            unpriced[key] = unpriced.get(key, 0) + 1
            totals.setdefault(key, None)
        guide: dict[str, GuideLine] = {line.category: line for line in self.table.guide.lines}
        rows = [
            GuideComparison(c, g.item, g.usd, totals.get(c), unpriced.get(c, 0)) for c, g in guide.items()
        ]
        rows += [
            GuideComparison(c, "", None, usd, unpriced.get(c, 0))
            for c, usd in sorted(totals.items())
            if c not in guide
        ]
        return rows


def price_resource(resource: Resource, table: PriceTable) -> CostLine | UnpricedResource | FreeResource:
    """Price one custom resource."""
    billable = RULES.get(resource.type)
    try:
        priced = billable.price(resource, table) if billable else None
    except UnpriceableError as error:
        category = error.category or (billable.category if billable else None)
        return UnpricedResource(resource.urn, resource.type, resource.name, str(error), category)
    if priced is not None:
        return CostLine(
            resource.urn, resource.type, resource.name, priced.monthly, priced.basis, priced.category
        )
    reason = table.free_reason(resource.type)
    if reason is not None:
        return FreeResource(resource.urn, resource.type, resource.name, reason)
    return UnpricedResource(resource.urn, resource.type, resource.name, "no price rule for this type")


_REQUESTS_PER_PRICE = Decimal(10_000)  # request prices are quoted per 10,000


def usage_line(key: str, quantity: Decimal, table: PriceTable) -> CostLine:
    """One usage-billed charge: the usage file's monthly quantity at the table's unit price."""
    price = table.usage[key]
    per = _REQUESTS_PER_PRICE if price.unit == "10k requests" else Decimal(1)
    unit = "requests" if price.unit == "10k requests" else price.unit
    basis = f"{quantity:,f} {unit} x ${price.usd}/{price.unit} (usage file)"
    return CostLine(f"usage:{key}", "usage", key, quantity / per * price.usd, basis, price.category)


def estimate(
    plan: Plan, table: PriceTable | None = None, usage: Mapping[str, Decimal] | None = None
) -> CostReport:
    """The monthly estimate of every custom resource in the plan, plus the usage file's charges."""
    prices = table or load_price_table()
    lines: list[CostLine] = []
    unpriced: list[UnpricedResource] = []
    free: list[FreeResource] = []
    for resource in plan.resources:
        if not resource.custom or resource.type.startswith("pulumi:"):
            continue  # components, providers and the stack bill nothing themselves
        result = price_resource(resource, prices)
        if isinstance(result, CostLine):
            lines.append(result)
        elif isinstance(result, UnpricedResource):
            unpriced.append(result)
        else:
            free.append(result)
    lines += [usage_line(key, quantity, prices) for key, quantity in sorted((usage or {}).items())]
    return CostReport(plan.stack, tuple(lines), tuple(unpriced), tuple(free), prices)
