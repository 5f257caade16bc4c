"""One process hosting the embedded store for all the workers of a ``python -m app`` run.

Without it every worker would keep its own in-memory copy, and a user who signed up through one worker
could not log in through another. The server listens on a Unix socket in a fresh private directory
(mode 0700) and accepts only clients that know this run's random key. It stops, removing its socket,
when the process that started it goes away, however that happens: it watches a pipe whose only writer
is that parent, so even a killed parent leaves no server behind.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import pickle
import secrets
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection, Listener
from pathlib import Path
from typing import Any

import mongomock

from app.db.embedded_wire import Reply, SharedStoreAddress, error_reply

SOCKET_NAME = "store.sock"
# Generous: the server only closes its socket and exits once the parent lets go.
STOP_TIMEOUT_SECONDS = 10


def _find(collection: Any, filter: dict[str, Any], sort: list[Any] | None, skip: int, limit: int) -> Any:
    cursor = collection.find(filter)
    if sort:
        cursor = cursor.sort(sort)
    return list(cursor.skip(skip).limit(limit))


_OPERATIONS: dict[str, Callable[..., Any]] = {
    "find": _find,
    "find_one": lambda collection, filter: collection.find_one(filter),
    "insert_one": lambda collection, document: collection.insert_one(document).inserted_id,
    "insert_many": lambda collection, documents, ordered: (
        collection.insert_many(documents, ordered=ordered).inserted_ids
    ),
    "find_one_and_update": lambda collection, filter, update, return_document: collection.find_one_and_update(
        filter, update, return_document=return_document
    ),
    "delete_one": lambda collection, filter: collection.delete_one(filter).deleted_count,
    "count_documents": lambda collection, filter: collection.count_documents(filter),
    "create_index": lambda collection, keys, unique: collection.create_index(keys, unique=unique),
}


class StoreHost:
    """mongomock behind one lock: each client connection is served by its own thread, and mongomock
    is not thread-safe."""

    def __init__(self) -> None:
        self._client: Any = mongomock.MongoClient(tz_aware=True)
        self._lock = threading.Lock()

    def answer(self, request: Any) -> Reply:
        try:
            database, collection, operation, arguments = request
            if operation == "ping":
                return ("ok", None)
            run = _OPERATIONS.get(operation)
            if run is None:
                raise ValueError(f"unknown operation {operation!r}")
            with self._lock:
                return ("ok", run(self._client[database][collection], *arguments))
        except Exception as error:  # every failure goes back to the caller; none stops the server
            return error_reply(error)


def _serve_connection(connection: Connection, host: StoreHost) -> None:
    with connection:
        while True:
            try:
                request = connection.recv()
            except (EOFError, OSError):
                return  # the worker closed its end
            reply = host.answer(request)
            try:
                connection.send(reply)
            except (pickle.PicklingError, TypeError, AttributeError) as error:
                connection.send(error_reply(error))  # a value that cannot travel: say so, keep serving


def _accept_forever(listener: Listener, host: StoreHost) -> None:
    while True:
        try:
            connection = listener.accept()
        except (multiprocessing.AuthenticationError, EOFError, ConnectionError):
            continue  # a client without this run's key, or one that hung up during the handshake
        except OSError:
            return  # the listener was closed: the server is stopping
        threading.Thread(target=_serve_connection, args=(connection, host), daemon=True).start()


def _run_server(directory: str, authkey: bytes, parent: Connection, ready: Connection) -> None:
    # Ctrl-C, `timeout` or `kill -- -PGID` signal the whole process group: the store must outlive the
    # workers, which still finish their requests in flight, so only the parent's exit stops it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    listener = Listener(str(Path(directory) / SOCKET_NAME), family="AF_UNIX", authkey=authkey)
    try:
        threading.Thread(target=_accept_forever, args=(listener, StoreHost()), daemon=True).start()
        ready.send(True)
        ready.close()
        with contextlib.suppress(EOFError):
            parent.recv()  # the parent never writes: this ends (EOFError) when it has gone
    finally:
        listener.close()  # removes the socket
        shutil.rmtree(directory, ignore_errors=True)


class SharedStoreServer:
    """The running store server, as its parent sees it."""

    def __init__(self, address: SharedStoreAddress, process: multiprocessing.process.BaseProcess) -> None:
        self.address = address
        self.pid = process.pid


@contextmanager
def shared_embedded_store() -> Iterator[SharedStoreServer]:
    """Start the store server, yield where to reach it, and stop it (socket removed) on exit."""
    directory = tempfile.mkdtemp(prefix="taskapi-store-")  # private (0700), under $TMPDIR or /tmp
    authkey = secrets.token_bytes(32)
    # spawn, not fork: the server starts clean, holding no copy of the parent's pipe end or state.
    context = multiprocessing.get_context("spawn")
    parent_gone, parent_alive = context.Pipe(duplex=False)
    ready_reader, ready_writer = context.Pipe(duplex=False)
    process = context.Process(
        target=_run_server,
        args=(directory, authkey, parent_gone, ready_writer),
        name="taskapi-embedded-store",
        daemon=True,
    )
    try:
        process.start()
        parent_gone.close()
        ready_writer.close()
        try:
            ready_reader.recv()
        except EOFError:
            raise RuntimeError("the embedded store server stopped before it was ready") from None
        finally:
            ready_reader.close()
        address = SharedStoreAddress(socket=str(Path(directory) / SOCKET_NAME), authkey=authkey)
        yield SharedStoreServer(address, process)
    finally:
        parent_alive.close()  # the server sees the end of the pipe and stops
        if process.pid is not None:
            process.join(STOP_TIMEOUT_SECONDS)
            if process.is_alive():
                process.kill()
                process.join()
        shutil.rmtree(directory, ignore_errors=True)
