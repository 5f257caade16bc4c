"""An embedded MongoDB wire server (SecantusDB) for local runs and tests, when MONGODB_URI is not set.

The API reaches it exactly as it reaches MongoDB, through PyMongo's async client: there is one data
path. SecantusDB is a development dependency (beta, GPL-2.0) and is never installed in the image, so it
is imported only when a server is started.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# SecantusDB's storage path for a server whose data lives in memory and goes when it stops.
IN_MEMORY = ":memory:"
# Set by ``python -m app`` for its workers: where the embedded server it started keeps its data.
STORAGE_ENV = "TASKAPI_EMBEDDED_MONGODB_STORAGE"


class EmbeddedMongoDBError(RuntimeError):
    """The embedded server could not start; the message says why and what to do."""


def describe(storage: str) -> str:
    return "in memory (lost when it stops)" if storage == IN_MEMORY else f"in {storage}"


@contextlib.contextmanager
def embedded_mongodb(storage: str = IN_MEMORY, port: int = 0) -> Iterator[str]:
    """Run a SecantusDB server on 127.0.0.1 (a free port unless ``port`` is given), yield its URI, and
    stop it on exit. ``storage`` is a folder, created if missing and reopened intact, or IN_MEMORY."""
    try:
        from secantus import SecantusDBServer
    except ImportError:
        raise EmbeddedMongoDBError(
            "MONGODB_URI is not set and the embedded MongoDB server (the secantusdb package, a development "
            "dependency) is not installed: set MONGODB_URI, or run from a checkout after `uv sync`"
        ) from None
    if storage != IN_MEMORY:
        storage = str(Path(storage).resolve())
    try:
        if storage != IN_MEMORY:
            Path(storage).mkdir(parents=True, exist_ok=True)
        # Standalone (no replica-set advertisement): no oplog is written, as the API uses no change
        # streams or transactions. Test-only commands stay off, as on mongod.
        server = SecantusDBServer(
            host="127.0.0.1",
            port=port,
            storage_path=storage,
            replica_set_name=None,
            enable_test_commands=False,
        )
    except Exception as error:  # WiredTiger's errors (a folder in use by another run) share no base class
        raise _not_started(storage, error) from None
    try:
        server.start()
    except OSError as error:  # the port is taken
        server.stop()  # closes the storage it opened
        raise _not_started(storage, error) from None
    try:
        yield str(server.uri)
    finally:
        _stop(server)


def _stop(server: Any) -> None:
    # stop() closes the listening socket, which does not wake the thread blocked in accept() on Linux:
    # it would wait out a 2 s join. Shutting the socket down first wakes it (secantusdb is pinned).
    listening = getattr(server, "_socket", None)
    if isinstance(listening, socket.socket):
        with contextlib.suppress(OSError):
            listening.shutdown(socket.SHUT_RDWR)
    server.stop()


def _not_started(storage: str, error: Exception) -> EmbeddedMongoDBError:
    return EmbeddedMongoDBError(
        f"the embedded MongoDB server could not start with its data {describe(storage)}: "
        f"{type(error).__name__}: {error}"
    )
