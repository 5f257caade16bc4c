"""JSON forms shared by every response: dates the way JavaScript's Date.toJSON writes them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import PlainSerializer


def js_iso(value: datetime) -> str:
    """``2025-01-31T09:30:00.000Z``: UTC, millisecond precision, what the Express clients parse."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


JsDateTime = Annotated[datetime, PlainSerializer(js_iso, return_type=str, when_used="json")]
