"""The task list's query shortcut (app.tasks.list_query) answers exactly as FastAPI's own parameters do.

FastAPI's declared parameters are the oracle: two apps on one database, one with FAST_LIST_QUERY on
(as shipped) and one with it off, are put the same list requests, good and bad, and must answer
alike: status, body, and every header in the order sent.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import Request

from app.main import create_app
from app.settings import Settings
from app.tasks import router
from app.tasks.list_query import list_query
from app.tasks.repository import TaskQuery
from tests.app.taskapi_testing import Account

QUERIES = [
    "",
    "page=2&limit=5",
    "limit=1",
    "limit=100",
    "limit=101",
    "limit=0",
    "limit=",
    "limit=5.0",
    "limit=5.5",
    "limit=+5",
    "limit=%205",
    "limit=1e1",
    "page=0",
    "page=-1",
    "page=abc",
    "page=1000000",
    "page=1000001",
    "page=2&page=3",
    "limit=3&limit=x",
    "status=pending",
    "status=in-progress",
    "status=bogus",
    "status=",
    "priority=high",
    "priority=HIGH",
    "search=Task%201",
    "search=",
    "search=" + "x" * 200,
    "search=" + "x" * 201,
    "unknown=1&page=1",
    "page=abc&limit=0&status=bad&priority=bad&search=" + "y" * 201,
    "status=completed&priority=low&search=task&page=1&limit=3",
]


@pytest.fixture
async def apps(settings: Settings) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    """Clients of the app as shipped and of the app without the shortcut, on the same database."""
    shipped = create_app(settings)
    declared = create_app(settings.model_copy(update={"fast_list_query": False}))
    async with LifespanManager(shipped) as one, LifespanManager(declared) as other:
        transports = [httpx.ASGITransport(app=manager.app) for manager in (one, other)]
        async with (
            httpx.AsyncClient(transport=transports[0], base_url="http://testserver") as fast,
            httpx.AsyncClient(transport=transports[1], base_url="http://testserver") as slow,
        ):
            yield fast, slow


# Each app counts its own requests in its own window, so these values tell the test's history apart, not
# the routes: compared by name and place only.
COUNTER_HEADERS = frozenset({b"ratelimit-remaining", b"ratelimit-reset"})
# Both apps are sent the same id, so it is compared with the rest.
SAME_REQUEST_ID = {"X-Request-ID": "list-parity"}


def _answer(response: httpx.Response) -> tuple[int, bytes, list[tuple[bytes, bytes]]]:
    """Status, body and every header in the order sent, the rate-limit counters' values left out."""
    headers = [(name, b"" if name in COUNTER_HEADERS else value) for name, value in response.headers.raw]
    return response.status_code, response.content, headers


async def test_every_list_request_is_answered_as_fastapi_answers_it(
    apps: tuple[httpx.AsyncClient, httpx.AsyncClient], alice: Account
) -> None:
    fast, slow = apps
    for number in range(7):
        created = await fast.post(
            "/api/tasks",
            json={
                "title": f"Task {number}",
                # Quotes, markup, accents and an emoji: written byte for byte as FastAPI writes them.
                "description": ["", 'say "hi" <b>&</b>', "café ☕ 🚀", "line\nbreak\ttab"][number % 4],
                "status": ("pending", "in-progress", "completed")[number % 3],
                "priority": ("low", "medium", "high")[number % 3],
                **({"dueDate": "2025-01-31T09:30:00.123456+02:00"} if number % 2 else {}),
            },
            headers=alice.headers,
        )
        assert created.status_code == 201, created.text
    for query in QUERIES:
        url = f"/api/tasks?{query}" if query else "/api/tasks"
        headers = {**alice.headers, **SAME_REQUEST_ID}
        shortcut = _answer(await fast.get(url, headers=headers))
        assert shortcut == _answer(await slow.get(url, headers=headers)), query


@pytest.mark.parametrize(
    "authorization", [None, "Bearer", "Bearer not-a-token", "Basic dXNlcjpwYXNz", "bearer  "]
)
async def test_without_a_valid_token_both_refuse_before_reading_the_query(
    apps: tuple[httpx.AsyncClient, httpx.AsyncClient], authorization: str | None
) -> None:
    fast, slow = apps
    headers = {"Authorization": authorization} if authorization is not None else {}
    headers.update(SAME_REQUEST_ID)
    for url in ("/api/tasks?page=abc", "/api/tasks"):
        answer = _answer(await fast.get(url, headers=headers))
        assert answer == _answer(await slow.get(url, headers=headers))
        assert answer[0] == 401


async def test_the_shortcut_reads_the_query_unless_turned_off(
    apps: tuple[httpx.AsyncClient, httpx.AsyncClient], alice: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast, slow = apps
    read: list[TaskQuery] = []

    def reading(request: Request) -> TaskQuery:
        read.append(list_query(request))
        return read[-1]

    monkeypatch.setattr(router, "list_query", reading)
    assert (await slow.get("/api/tasks?limit=3", headers=alice.headers)).status_code == 200
    assert read == []
    assert (await fast.get("/api/tasks?limit=3", headers=alice.headers)).status_code == 200
    assert read == [TaskQuery(limit=3)]


def test_the_openapi_document_is_the_one_fastapi_writes_for_the_declared_parameters(
    settings: Settings,
) -> None:
    documented = settings.model_copy(update={"docs_enabled": True})
    shipped = create_app(documented).openapi()
    declared = create_app(documented.model_copy(update={"fast_list_query": False})).openapi()
    assert shipped == declared
    names = [parameter["name"] for parameter in shipped["paths"]["/api/tasks"]["get"]["parameters"]]
    assert names == ["page", "limit", "status", "priority", "search"]
