"""Keep each test's logging setup and preview cache its own (see tests/logging_state.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import logging_state

_AT_START: logging_state.LoggingState | None = None


def pytest_sessionstart(session: pytest.Session) -> None:
    global _AT_START
    _AT_START = logging_state.save()


def pytest_collection_finish(session: pytest.Session) -> None:
    # Modules that build an app when they are collected (the OpenAPI fuzz test) must not leak it either.
    if _AT_START is not None:
        logging_state.restore(_AT_START)


@pytest.fixture(autouse=True)
def restored_logging() -> Iterator[None]:
    saved = logging_state.save()
    yield
    logging_state.restore(saved)


@pytest.fixture(autouse=True)
def own_preview_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A preview test runs the program unless it asks for the cache: no entry outlives the test.
    monkeypatch.setenv("PRIMETRADEAI_PREVIEW_CACHE_DIR", str(tmp_path / "preview-cache"))
