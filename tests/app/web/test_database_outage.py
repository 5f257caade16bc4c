"""MongoDB stops answering while the API serves: clients get a 503 they can retry, never a 500."""

from __future__ import annotations

import contextlib
import logging

import httpx
import pytest
from asgi_lifespan import LifespanManager

from app.db.embedded_mongodb import embedded_mongodb
from app.errors import DATABASE_RETRY_AFTER_SECONDS
from app.main import create_app
from tests.app.taskapi_testing import make_settings

USER = {"name": "Ada", "email": "ada@example.com", "password": "correct-horse"}


@pytest.mark.usefixtures("quick_server_selection")
async def test_a_database_outage_answers_503_with_retry_after(caplog: pytest.LogCaptureFixture) -> None:
    # A server of its own, so that stopping it mid-test leaves the session's server to the other tests.
    with contextlib.ExitStack() as server:
        app = create_app(make_settings(mongodb_uri=server.enter_context(embedded_mongodb())))
        async with LifespanManager(app) as manager:
            transport = httpx.ASGITransport(app=manager.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://taskapi.test") as client:
                token = (await client.post("/api/auth/signup", json=USER)).json()["token"]
                auth = {"Authorization": f"Bearer {token}"}
                assert (await client.get("/api/tasks", headers=auth)).status_code == 200

                server.close()  # the database stops mid-service

                with caplog.at_level(logging.WARNING, logger="app"):
                    tasks = await client.get("/api/tasks", headers=auth)
                    login = await client.post("/api/auth/login", json=USER)
                ready = await client.get("/ready")
    for response in (tasks, login):
        assert response.status_code == 503
        assert set(response.json()) == {"message"}
        assert response.headers["Retry-After"] == str(DATABASE_RETRY_AFTER_SECONDS)
    assert ready.status_code == 503
    assert "database unreachable" in caplog.text
    assert "Traceback" not in caplog.text
