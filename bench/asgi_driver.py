"""Drive one app over ASGI with no HTTP server: start it, sign a user up, and send it bare GETs."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator

import httpx
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from starlette.types import ASGIApp, Message

from bench.callers import ACCEPT_ENCODING, browser_origin
from bench.processes import BenchError

PROFILE = "/api/auth/profile"


async def call(asgi: ASGIApp, token: str, path: str = PROFILE) -> int:
    """One GET of ``path`` with ``token`` driven straight over ASGI; returns the response's status."""
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
        "headers": [
            (b"host", b"bench"),
            (b"authorization", f"Bearer {token}".encode()),
            (b"accept-encoding", ACCEPT_ENCODING.encode()),  # as the CDN in front of the API asks
            (b"origin", browser_origin().encode()),  # as the browser app calls it
        ],
        "client": ("127.0.0.1", 40000), "server": ("127.0.0.1", 8000),
    }  # fmt: skip
    status = 0

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await asyncio.wait_for(asgi(scope, receive, send), timeout=30)
    return status


@contextlib.asynccontextmanager
async def started_app(api: FastAPI) -> AsyncIterator[tuple[ASGIApp, str]]:
    """The app started, with a signed-up user whose profile is cached; yields (app, token)."""
    async with LifespanManager(api) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
            user = {
                "name": "Hot Path Bench",
                "email": f"{uuid.uuid4().hex}@example.com",
                "password": "bench-pw",
            }
            signup = await http.post("/api/auth/signup", json=user)
            if signup.status_code != 201:
                raise BenchError(f"signup answered {signup.status_code}: {signup.text}")
            token: str = signup.json()["token"]
            await http.get(PROFILE, headers={"Authorization": f"Bearer {token}"})
        yield manager.app, token
