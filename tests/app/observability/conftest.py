"""A local Sentry: a DSN on loopback whose envelopes the test reads back."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from bench import sentry_sink as local_sentry


@dataclass
class SentrySink:
    """What reached the sink: one entry per envelope item, its header with its payload under "payload"."""

    received: local_sentry.SentrySink

    @property
    def dsn(self) -> str:
        return self.received.dsn

    @property
    def items(self) -> list[dict[str, Any]]:
        with self.received.lock:
            bodies = list(self.received.envelopes)
        return [item for body in bodies for item in _envelope_items(body)]

    def of_type(self, item_type: str) -> list[dict[str, Any]]:
        return [item for item in self.items if item["type"] == item_type]


def _envelope_items(body: bytes) -> list[dict[str, Any]]:
    # An envelope: its own header line, then a header line and a payload line per item.
    lines = body.split(b"\n")
    items = []
    for header, payload in zip(lines[1::2], lines[2::2], strict=False):
        item: dict[str, Any] = json.loads(header)
        item["payload"] = json.loads(payload) if payload.startswith(b"{") else payload.decode()
        items.append(item)
    return items


@pytest.fixture
def sentry_sink() -> Iterator[SentrySink]:
    """A Sentry ingest endpoint on a free loopback port, so a test's Sentry sends nowhere else."""
    with local_sentry.sentry_sink(public_key="test-public-key") as received:
        yield SentrySink(received)
