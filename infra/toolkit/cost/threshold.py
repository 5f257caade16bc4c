"""`cost --fail-above`: fail a pipeline when the monthly estimate is too high, as Infracost's policies do.

`300` (or `$300`) is an absolute ceiling on the monthly total; `10%` caps the increase over a base
plan's total (`--base FILE`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

PERCENT = "%"


@dataclass(frozen=True)
class Threshold:
    """A ceiling: dollars a month, or a percentage increase over the base."""

    amount: Decimal
    percent: bool
    text: str

    def exceeded(self, total: Decimal, base: Decimal | None) -> str | None:
        """Why `total` breaks the ceiling, or None when it does not."""
        if not self.percent:
            if total > self.amount:
                return f"${total:,.2f} a month is above ${self.amount:,.2f}"
            return None
        assert base is not None  # the command requires --base with a percentage
        if base == 0:
            return f"${total:,.2f} a month against a base of $0.00" if total > 0 else None
        increase = (total - base) / base * 100
        if increase > self.amount:
            return f"${total:,.2f} a month is {increase:.1f}% above the base's ${base:,.2f}"
        return None


def parse_threshold(text: str) -> Threshold:
    """`250`, `$250` or `10%`; ValueError with the reason for anything else."""
    raw = text.strip().removeprefix("$").replace(",", "")
    percent = raw.endswith(PERCENT)
    try:
        amount = Decimal(raw.removesuffix(PERCENT))
    except InvalidOperation:
        raise ValueError(f"{text!r} is neither dollars (250) nor a percentage (10%)") from None
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"{text!r} must be 0 or more")
    return Threshold(amount, percent, text)
