"""JSON log lines, and the access line's direct path through the app's one JSON handler."""

from __future__ import annotations

import contextlib
import json
import logging
import random
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from app.observability.logs import JsonFormatter, JsonHandler, configure_logging, iso_time, sole_json_handler

# What differs between two requests that are otherwise the same.
PER_REQUEST = ("time", "durationMs")


class Collecting(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextlib.contextmanager
def only_the_json_handler() -> Iterator[JsonHandler]:
    """The root logger as the app leaves it in production: its JSON handler alone.

    Entered inside each test, since pytest attaches its capture handlers when the test's body starts.
    """
    configure_logging("info")
    root = logging.getLogger()
    saved = root.handlers
    [handler] = [handler for handler in saved if isinstance(handler, JsonHandler)]
    root.handlers = [handler]
    try:
        yield handler
    finally:
        root.handlers = saved


def access_lines(output: str) -> list[dict[str, Any]]:
    # The test client logs its own requests too.
    lines = [json.loads(line) for line in output.splitlines()]
    return [line for line in lines if line["logger"] == "app.access"]


def without_per_request_values(line: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in line.items() if key not in PER_REQUEST}


async def test_the_access_line_written_directly_is_the_line_its_record_would_give(
    client: httpx.AsyncClient, capsys: pytest.CaptureFixture[str]
) -> None:
    headers = {"X-Request-ID": "same-request"}
    collecting = Collecting()
    made: list[str] = []
    factory = logging.getLogRecordFactory()

    def counting_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        made.append(record.name)
        return record

    with only_the_json_handler():
        capsys.readouterr()
        logging.setLogRecordFactory(counting_factory)
        try:
            await client.get("/api/health", headers=headers)
        finally:
            logging.setLogRecordFactory(factory)
        [direct] = access_lines(capsys.readouterr().out)
        assert "app.access" not in made  # written straight through the handler, no record made
        # With a second handler attached the line must go through the logging module, as before.
        logging.getLogger().addHandler(collecting)
        await client.get("/api/health", headers=headers)
        [through_logging] = access_lines(capsys.readouterr().out)
    [record] = [record for record in collecting.records if record.name == "app.access"]

    assert list(direct) == list(through_logging)  # same keys, same order
    assert without_per_request_values(direct) == without_per_request_values(through_logging)
    assert through_logging == json.loads(JsonFormatter().format(record))
    assert direct["requestId"] == "same-request"
    assert (direct["logger"], direct["message"], direct["status"]) == ("app.access", "request", 200)


async def test_no_access_line_is_written_below_the_configured_level(
    client: httpx.AsyncClient, capsys: pytest.CaptureFixture[str]
) -> None:
    access = logging.getLogger("app.access")
    access.setLevel(logging.WARNING)
    try:
        with only_the_json_handler():
            capsys.readouterr()
            await client.get("/api/health")
    finally:
        access.setLevel(logging.NOTSET)
    assert access_lines(capsys.readouterr().out) == []


def test_the_json_handler_is_used_directly_only_when_it_alone_would_see_the_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    access = logging.getLogger("app.access")
    with only_the_json_handler() as handler:
        assert sole_json_handler(access, logging.INFO) is handler
        handler.setLevel(logging.WARNING)  # the handler would drop the line: log as usual
        assert sole_json_handler(access, logging.INFO) is None
        handler.setLevel(logging.NOTSET)

        other = Collecting()
        access.addHandler(other)
        assert sole_json_handler(access, logging.INFO) is None
        access.removeHandler(other)

        quiet = logging.Filter("somewhere.else")
        handler.addFilter(quiet)
        assert sole_json_handler(access, logging.INFO) is None
        handler.removeFilter(quiet)

        # Sentry's logging integration, for one, hooks in by replacing Logger.callHandlers.
        monkeypatch.setattr(logging.Logger, "callHandlers", lambda self, record: None)
        assert sole_json_handler(access, logging.INFO) is None


EDGE_TIMES = [
    0.0,
    1_790_000_000.0,
    1_790_000_000.0004994,  # rounds down to the microsecond
    1_790_000_000.0009995,  # rounds up into the next millisecond
    1_790_000_000.9999996,  # rounds up into the next second
    1_798_761_599.9995,  # the last millisecond of 2026
    1_798_761_599.99999975,  # rounds into 2027
    4_102_444_800.123456,
]


@pytest.mark.parametrize("created", EDGE_TIMES)
def test_a_log_time_is_what_datetime_writes(created: float) -> None:
    expected = datetime.fromtimestamp(created, UTC).isoformat(timespec="milliseconds")
    assert iso_time(created) == expected


def test_log_times_across_many_seconds_are_what_datetime_writes() -> None:
    generator = random.Random(20261125)
    times = sorted(generator.uniform(1_700_000_000, 1_700_000_300) for _ in range(20_000))
    for created in [*times, *reversed(times)]:  # forwards and back, through the cached second each way
        assert iso_time(created) == datetime.fromtimestamp(created, UTC).isoformat(timespec="milliseconds")
