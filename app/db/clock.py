"""Timestamps at the precision MongoDB stores (milliseconds), so what a write returns equals what a
later read returns."""

from __future__ import annotations

from datetime import UTC, datetime


def stored_now() -> datetime:
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)
