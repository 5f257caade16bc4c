from __future__ import annotations

import httpx
from fastapi import FastAPI

from app.tasks.deps import task_repository
from app.tasks.repository import TaskQuery
from app.tasks.schemas import Task
from tests.app.taskapi_testing import Account


class CountingOnly:
    async def find_page(self, user_id: str, query: TaskQuery) -> tuple[list[Task], int]:
        return [], 42


async def test_dependency_overrides_reach_the_routes(
    app: FastAPI, client: httpx.AsyncClient, alice: Account
) -> None:
    # FastAPI's own seam for swapping a dependency: the routes are included, so it reaches them.
    async def counting_only() -> CountingOnly:
        return CountingOnly()

    app.dependency_overrides[task_repository] = counting_only
    try:
        response = await client.get("/api/tasks", headers=alice.headers)
    finally:
        app.dependency_overrides.clear()
    assert response.status_code == 200
    assert response.json() == []
    assert response.headers["X-Total-Count"] == "42"
