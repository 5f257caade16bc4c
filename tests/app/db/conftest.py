"""One store server for the db tests that need one, as ``python -m app`` starts it for its workers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.db.embedded_server import SharedStoreServer, shared_embedded_store


@pytest.fixture(scope="session")
def store_server() -> Iterator[SharedStoreServer]:
    # Each test uses its own database name, so one server (started once: it takes a second) serves all.
    with shared_embedded_store() as server:
        yield server
