"""A usage file (`cost --usage FILE`): the monthly quantities of what is billed per GB or per request.

Like Infracost's usage file, it holds what a plan cannot know: traffic and request volumes. Each key is
a `usage` entry of the price table, each value the monthly quantity in that entry's unit; a key left
out counts as 0 and stays in the report's "not counted" list.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from infra.toolkit.cost.table import PriceTable
from infra.toolkit.errors import ToolkitError


def load_usage(path: Path, table: PriceTable) -> dict[str, Decimal]:
    """Usage key -> monthly quantity; a one-line ToolkitError naming the file and key for anything wrong."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise ToolkitError(f"{path}: not UTF-8 text (byte {error.start})") from None
    except OSError as error:
        raise ToolkitError(f"{path}: cannot be read: {error.strerror or error}") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise ToolkitError(f"{path}: not YAML{f' (line {mark.line + 1})' if mark else ''}") from None
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise ToolkitError(f"{path}: a usage file maps usage keys to monthly quantities")
    quantities: dict[str, Decimal] = {}
    for key, value in data.items():
        if key not in table.usage:
            raise ToolkitError(f"{path}: {key}: unknown usage (known: {', '.join(sorted(table.usage))})")
        quantities[str(key)] = _quantity(path, str(key), value, table.usage[key].unit)
    return quantities


def _quantity(path: Path, key: str, value: object, unit: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ToolkitError(f"{path}: {key}: must be a number of {unit} per month")
    try:
        quantity = Decimal(str(value))
    except InvalidOperation:
        raise ToolkitError(f"{path}: {key}: must be a number of {unit} per month") from None
    if not quantity.is_finite() or quantity < 0:
        raise ToolkitError(f"{path}: {key}: must be a number of {unit} per month, 0 or more")
    return quantity
