"""bench.gzip_levels: the list's page through Starlette's gzip at each level, beside a floor without it."""

from __future__ import annotations

import asyncio
import json

from app.web.middleware import GZIP_MINIMUM_BYTES
from bench.gzip_levels import LEVELS, measure, page_body


def test_the_page_is_twenty_tasks_large_enough_to_compress() -> None:
    body = page_body()
    assert len(json.loads(body)) == 20
    assert len(body) > GZIP_MINIMUM_BYTES


def test_each_level_sends_the_page_compressed_and_the_floor_sends_it_whole() -> None:
    body = page_body()
    figures = asyncio.run(measure(body, rounds=1, answers=3))
    assert list(figures) == ["no gzip layer", *(f"level {level}" for level in LEVELS)]
    assert figures["no gzip layer"][1] == len(body)
    sizes = [figures[f"level {level}"][1] for level in LEVELS]
    assert all(size < len(body) / 5 for size in sizes)
    assert sizes[0] >= sizes[-1]  # the fastest level never compresses better than the slowest
