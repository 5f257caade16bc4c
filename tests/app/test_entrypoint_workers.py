"""``python -m app --workers 2`` with no external service: the workers share one embedded MongoDB server."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.app.live_server import SAFETY_DEADLINE_SECONDS, running_api

pytestmark = pytest.mark.slow

STORE_STARTED = "MONGODB_URI is not set: started an embedded MongoDB server (SecantusDB) for this run"
WORKER_STORE = "using the embedded MongoDB server that `python -m app` started, data in memory"


def _children(parent: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
                found.append(int(entry))
    return found


def _serving_process(connection: http.client.HTTPConnection, api_port: int, candidates: list[int]) -> int:
    """Which process holds the server side of this (already answered, so accepted) connection."""
    assert connection.sock is not None
    client_port = connection.sock.getsockname()[1]
    inodes = [
        fields[9]
        for fields in (line.split() for line in Path("/proc/net/tcp").read_text().splitlines()[1:])
        if int(fields[1].split(":")[1], 16) == api_port and int(fields[2].split(":")[1], 16) == client_port
    ]
    assert len(inodes) == 1
    for pid in candidates:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}") == f"socket:[{inodes[0]}]":
                    return pid
            except OSError:
                continue
    raise AssertionError(f"no worker holds the connection from port {client_port}")


def _call(
    connection: http.client.HTTPConnection, method: str, path: str, body: object = None, token: str = ""
) -> tuple[int, Any]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    connection.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
    response = connection.getresponse()
    return response.status, json.loads(response.read())


def _connect(port: int) -> http.client.HTTPConnection:
    return http.client.HTTPConnection("127.0.0.1", port, timeout=SAFETY_DEADLINE_SECONDS)


@pytest.fixture
def private_tmpdir() -> Iterator[Path]:
    directory = Path(tempfile.mkdtemp(prefix="tw-", dir="/tmp"))
    yield directory
    for leftover in directory.iterdir():
        leftover.rmdir() if leftover.is_dir() else leftover.unlink()
    directory.rmdir()


def test_a_user_signed_up_through_one_worker_is_served_by_every_worker_and_stop_leaves_nothing(
    private_tmpdir: Path,
) -> None:
    with running_api(workers=2, TMPDIR=str(private_tmpdir), RATE_LIMIT_MAX="100000") as (process, port):
        assert process.stdout is not None
        # /health answered, but maybe from one worker only: wait until both have started.
        early = []
        for line in process.stdout:
            early.append(line)
            if sum("Application startup complete" in seen for seen in early) == 2:
                break
        started = [json.loads(line) for line in early if STORE_STARTED in line]
        assert len(started) == 1  # one server, started by the supervisor before the workers
        store_uri = started[0]["uri"]
        # The workers, and multiprocessing's resource tracker, which holds no connection.
        workers = _children(process.pid)

        # Keep connections open until each worker holds one, so both are known to serve below.
        by_worker: dict[int, http.client.HTTPConnection] = {}
        opened: list[http.client.HTTPConnection] = []
        while len(by_worker) < 2 and len(opened) < 200:
            # Several connections at once, so both workers race to accept them.
            batch = [_connect(port) for _ in range(8)]
            for connection in batch:
                connection.connect()
            for connection in batch:
                assert _call(connection, "GET", "/api/health")[0] == 200
                by_worker.setdefault(_serving_process(connection, port, workers), connection)
            opened.extend(batch)
        assert len(by_worker) == 2, "the kernel gave every connection to one worker"
        first, second = by_worker.values()

        account = {"name": "Ada", "email": "ada@example.com", "password": "s3cret-pass"}
        status, signed_up = _call(first, "POST", "/api/auth/signup", account)
        assert status == 201
        status, _ = _call(first, "POST", "/api/tasks", {"title": "shared"}, signed_up["token"])
        assert status == 201

        credentials = {"email": account["email"], "password": account["password"]}
        for connection in [second, first, *(_connect(port) for _ in range(12))]:
            status, logged_in = _call(connection, "POST", "/api/auth/login", credentials)
            assert status == 200
            status, tasks = _call(connection, "GET", "/api/tasks", token=logged_in["token"])
            assert status == 200
            assert [task["title"] for task in tasks] == ["shared"]
            connection.close()
        for connection in opened:
            connection.close()

        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=SAFETY_DEADLINE_SECONDS) == 0
        output = "".join(early) + process.stdout.read()

    assert "Stopping parent process" in output
    assert output.count(WORKER_STORE) == 2
    assert "It is NOT durable" in output
    host, port_text = store_uri.removeprefix("mongodb://").rstrip("/").split(":")
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((host, int(port_text)), timeout=5).close()
    assert list(private_tmpdir.iterdir()) == []
