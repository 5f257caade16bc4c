"""JSON forms shared by every response: dates the way JavaScript's Date.toJSON writes them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import PlainSerializer


def js_iso(value: datetime) -> str:
    """``2025-01-31T09:30:00.000Z``: UTC, millisecond precision, what the Express clients parse."""
    if value.tzinfo is not UTC:
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    # Formatted field by field: a page of 20 tasks writes 40 dates, and this takes under half the time
    # of isoformat() and its rewriting.
    return "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ" % (  # noqa: UP031
        value.year,
        value.month,
        value.day,
        value.hour,
        value.minute,
        value.second,
        value.microsecond // 1000,
    )


JsDateTime = Annotated[datetime, PlainSerializer(js_iso, return_type=str, when_used="json")]
