"""Dates go out as JavaScript's Date.toJSON writes them, whatever time zone they come in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from bson.tz_util import utc as bson_utc

from app.serialization import js_iso


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2025, 1, 31, 9, 30, tzinfo=UTC), "2025-01-31T09:30:00.000Z"),
        (datetime(2025, 1, 31, 9, 30, 5, 999_999, tzinfo=UTC), "2025-01-31T09:30:05.999Z"),
        (datetime(2025, 1, 31, 9, 30, 5, 1_500), "2025-01-31T09:30:05.001Z"),  # naive: taken as UTC
        (datetime(2025, 3, 1, 0, 30, tzinfo=timezone(timedelta(hours=2))), "2025-02-28T22:30:00.000Z"),
        (datetime(2025, 1, 31, tzinfo=bson_utc), "2025-01-31T00:00:00.000Z"),  # what PyMongo hands back
        (datetime(5, 1, 2, 3, 4, 5, tzinfo=UTC), "0005-01-02T03:04:05.000Z"),
    ],
)
def test_a_date_is_written_in_utc_to_the_millisecond(value: datetime, expected: str) -> None:
    assert js_iso(value) == expected
