"""JSON log lines: one object per line, the request id in each, the time in UTC to the millisecond."""

from __future__ import annotations

import contextlib
import json
import logging
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from app.observability.logs import JsonFormatter, JsonHandler, configure_logging


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


async def test_the_access_line_is_one_json_object_with_the_request_and_its_answer(
    client: httpx.AsyncClient, capsys: pytest.CaptureFixture[str]
) -> None:
    collecting = Collecting()
    with only_the_json_handler():
        logging.getLogger().addHandler(collecting)
        capsys.readouterr()
        await client.get("/api/health", headers={"X-Request-ID": "same-request"})
        [line] = access_lines(capsys.readouterr().out)
    [record] = [record for record in collecting.records if record.name == "app.access"]

    assert line == json.loads(JsonFormatter().format(record))
    assert list(line)[:5] == ["time", "level", "logger", "message", "requestId"]
    assert line["requestId"] == "same-request"
    assert (line["logger"], line["message"], line["method"], line["path"], line["status"]) == (
        "app.access",
        "request",
        "GET",
        "/api/health",
        200,
    )
    assert line["durationMs"] >= 0
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", line["time"])  # UTC, to the ms


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
