"""The store server that lets the workers of one ``python -m app`` run share the embedded store."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator
from multiprocessing import AuthenticationError
from multiprocessing.connection import Client
from pathlib import Path
from typing import Any

import pytest
from bson import ObjectId
from pymongo.errors import ConnectionFailure, DuplicateKeyError, OperationFailure

from app.db.embedded_client import SharedEmbeddedDatabase
from app.db.embedded_server import SharedStoreServer, shared_embedded_store
from app.db.embedded_wire import EmbeddedStoreError
from tests.app.live_server import REPO_ROOT, SAFETY_DEADLINE_SECONDS


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A stopped child of this process stays a zombie until reaped: that is not a running server.
    state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    return state != "Z"


@pytest.fixture
async def two_workers(store_server: SharedStoreServer) -> AsyncIterator[tuple[SharedEmbeddedDatabase, ...]]:
    """Two clients of one server, as two worker processes hold them."""
    name = f"shared_{uuid.uuid4().hex[:12]}"
    first = SharedEmbeddedDatabase(name, store_server.address)
    second = SharedEmbeddedDatabase(name, store_server.address)
    yield first, second
    first.close()
    second.close()


async def test_what_one_worker_writes_another_reads(two_workers: tuple[SharedEmbeddedDatabase, ...]) -> None:
    first, second = two_workers
    document: dict[str, Any] = {"email": "ada@example.com"}
    await first.collection("users").insert_one(document)
    found = await second.collection("users").find_one({"email": "ada@example.com"})
    assert found == document
    assert isinstance(document["_id"], ObjectId)


async def test_a_unique_index_holds_across_workers(two_workers: tuple[SharedEmbeddedDatabase, ...]) -> None:
    first, second = two_workers
    await first.collection("users").create_index([("email", 1)], unique=True)
    await first.collection("users").insert_one({"email": "ada@example.com"})
    with pytest.raises(DuplicateKeyError) as raised:
        await second.collection("users").insert_one({"email": "ada@example.com"})
    assert raised.value.code == 11000


async def test_a_refused_query_arrives_as_the_error_mongodb_would_raise(
    two_workers: tuple[SharedEmbeddedDatabase, ...],
) -> None:
    with pytest.raises(OperationFailure, match=r"\$nope"):
        await two_workers[0].collection("tasks").find_one({"$nope": 1})


async def test_a_query_the_embedded_store_cannot_run_is_named_and_the_server_keeps_serving(
    two_workers: tuple[SharedEmbeddedDatabase, ...],
) -> None:
    tasks = two_workers[0].collection("tasks")
    with pytest.raises(EmbeddedStoreError, match=r"NotImplementedError: The \$where operator"):
        await tasks.find_one({"$where": "true"})
    assert await tasks.count_documents({}) == 0


async def test_the_cursor_applies_sort_skip_and_limit_in_one_query(
    two_workers: tuple[SharedEmbeddedDatabase, ...],
) -> None:
    tasks = two_workers[0].collection("tasks")
    await tasks.insert_many([{"n": n} for n in range(6)], ordered=True)
    page = await tasks.find({}).sort([("n", -1)]).skip(1).limit(3).to_list()
    assert [document["n"] for document in page] == [4, 3, 2]
    assert [document["n"] for document in await tasks.find({}).sort([("n", 1)]).to_list(2)] == [0, 1]


def test_a_client_without_the_runs_key_is_refused(store_server: SharedStoreServer) -> None:
    with pytest.raises(AuthenticationError):
        Client(store_server.address.socket, family="AF_UNIX", authkey=b"not-this-run's-key")


def test_the_key_stays_out_of_the_address_repr(store_server: SharedStoreServer) -> None:
    assert store_server.address.authkey.hex() not in repr(store_server.address)
    assert str(store_server.address.authkey) not in repr(store_server.address)


async def test_signals_to_the_process_group_leave_the_store_serving(store_server: SharedStoreServer) -> None:
    """Ctrl-C or `kill -- -PGID` reaches the server too, while the workers still drain their requests."""
    assert store_server.pid is not None
    os.kill(store_server.pid, signal.SIGINT)
    os.kill(store_server.pid, signal.SIGTERM)
    database = SharedEmbeddedDatabase("signals", store_server.address)
    try:
        await database.ping()
    finally:
        database.close()
    assert _alive(store_server.pid)


def test_the_server_stops_and_removes_its_socket_when_its_parent_lets_go() -> None:
    with shared_embedded_store() as server:
        database = SharedEmbeddedDatabase("short_lived", server.address)
        asyncio.run(database.ping())
        socket = Path(server.address.socket)
        assert socket.is_socket()
    assert server.pid is not None
    assert not _alive(server.pid)
    assert not socket.exists()
    assert not socket.parent.exists()
    with pytest.raises(ConnectionFailure, match="not reachable"):
        asyncio.run(database.ping())
    database.close()


def test_a_killed_parent_still_stops_the_server() -> None:
    """The server watches a pipe only its parent holds, so even SIGKILL leaves nothing running."""
    script = (
        "import time\n"
        "from app.db.embedded_server import shared_embedded_store\n"
        "with shared_embedded_store() as server:\n"
        "    print(server.pid, server.address.socket, flush=True)\n"
        "    time.sleep(600)\n"
    )
    with subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=REPO_ROOT
    ) as parent:
        assert parent.stdout is not None
        pid_text, socket_text = parent.stdout.readline().split()
        parent.kill()
    pid, socket = int(pid_text), Path(socket_text)
    # The orphaned server is re-parented to init: wait for it to go (the deadline only guards a hang).
    deadline = time.monotonic() + SAFETY_DEADLINE_SECONDS
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(pid)
    assert not socket.exists()
    assert not socket.parent.exists()
