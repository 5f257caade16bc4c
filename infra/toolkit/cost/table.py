"""The price table (prices.yaml): typed, so a broken entry fails with the key and the file named."""

from __future__ import annotations

import fnmatch
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.alias_generators import to_camel

from infra.toolkit.errors import ToolkitError

PRICES_FILE = Path(__file__).with_name("prices.yaml")

Category = Literal["database", "cache", "backend", "monitoring", "cdn", "frontend", "security"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", alias_generator=to_camel, populate_by_name=True)


class Price(_Model):
    """One price as read from its public page."""

    unit: Literal["hour", "month", "GB-month", "GB", "LCU-hour", "NLCU-hour", "10k requests"]
    usd: Annotated[Decimal, Field(ge=0)]
    region: str
    category: Category
    source: Annotated[str, Field(pattern=r"^https://")]
    read: date
    note: str = ""


class Assumptions(_Model):
    hours_per_month: Annotated[int, Field(gt=0)]
    region: str
    not_counted: tuple[str, ...]


class GuideLine(_Model):
    category: Category
    item: str
    usd: Decimal


class Guide(_Model):
    """The scaling guide's own monthly estimate."""

    source: str
    lines: tuple[GuideLine, ...]

    @property
    def total(self) -> Decimal:
        return sum((line.usd for line in self.lines), Decimal(0))


class PriceTable(_Model):
    """Everything `cost` knows about prices."""

    assumptions: Assumptions
    guide: Guide
    services: dict[str, Price]
    ec2_instances: dict[str, Price]
    elasticache_nodes: dict[str, Price]
    atlas_tiers: dict[str, Price]
    cloudflare_plans: dict[str, Price]
    usage: dict[str, Price] = {}
    """Prices per unit of use, applied to the quantities of a usage file."""
    free: dict[str, str]

    def free_reason(self, resource_type: str) -> str | None:
        """Why a type costs nothing by itself, or None when the table does not say it is free."""
        for pattern, reason in self.free.items():
            if fnmatch.fnmatchcase(resource_type, pattern):
                return reason
        return None

    def read_dates(self) -> tuple[date, date]:
        """The oldest and newest `read` dates in the table."""
        prices = [
            *self.services.values(),
            *self.ec2_instances.values(),
            *self.elasticache_nodes.values(),
            *self.atlas_tiers.values(),
            *self.cloudflare_plans.values(),
            *self.usage.values(),
        ]
        dates = sorted(p.read for p in prices)
        return dates[0], dates[-1]


def load_price_table(path: Path = PRICES_FILE) -> PriceTable:
    """Read and validate a price table; ToolkitError (one line, naming file and key) when it is broken."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ToolkitError(f"{path}: cannot be read: {error.strerror or error}") from None
    except yaml.YAMLError as error:
        raise ToolkitError(f"{path}: not YAML: {' '.join(str(error).split())}") from None
    try:
        return PriceTable.model_validate(data)
    except ValidationError as error:
        first = error.errors(include_url=False, include_input=False)[0]
        where = ".".join(str(part) for part in first["loc"]) or "table"
        raise ToolkitError(f"{path}: {where}: {first['msg']}") from None
