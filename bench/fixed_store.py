"""A task repository that answers from memory without a store: the API's own cost, the store's left out.

Installed only by the benchmark's own app factory (``bench.served_app``), in its worker processes;
nothing in ``app/`` can select it, and the image does not ship ``bench/``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from bson import ObjectId

from app.tasks.repository import InsertFailure, TaskQuery
from app.tasks.schemas import Task, TaskCreate

PAGE_SIZE = 20
_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def fixed_task_id(number: int) -> str:
    """The id of the fixed page's ``number``-th task (from 0), the same for every caller and run."""
    return f"{number + 1:024x}"


def fixed_page(user_id: str) -> list[Task]:
    # Newest first, as the real repository sorts.
    return [
        Task(
            id=fixed_task_id(number),
            title=f"Fixed task {number}",
            description="served from memory by the benchmark",
            status="pending",
            priority="medium",
            userId=user_id,
            createdAt=_EPOCH - timedelta(minutes=number),
            updatedAt=_EPOCH - timedelta(minutes=number),
        )
        for number in range(PAGE_SIZE)
    ]


class FixedTaskRepository:
    """The same page of tasks for every caller, whatever was written; writes answer as if stored."""

    def __init__(self) -> None:
        self._pages: dict[str, list[Task]] = {}

    def _page(self, user_id: str) -> list[Task]:
        page = self._pages.get(user_id)
        if page is None:
            page = self._pages[user_id] = fixed_page(user_id)
        return page

    async def find_page(self, user_id: str, query: TaskQuery) -> tuple[list[Task], int]:
        page = self._page(user_id)
        return page[: query.limit], len(page)

    async def get(self, user_id: str, task_id: str) -> Task | None:
        return next((task for task in self._page(user_id) if task.id == task_id), None)

    async def create(self, user_id: str, task: TaskCreate) -> Task:
        now = datetime.now(UTC)
        return Task(id=str(ObjectId()), **task.model_dump(), userId=user_id, createdAt=now, updatedAt=now)

    async def create_many(
        self, user_id: str, tasks: Sequence[tuple[int, TaskCreate]]
    ) -> tuple[list[Task], list[InsertFailure]]:
        return [await self.create(user_id, task) for _, task in tasks], []

    async def update(self, user_id: str, task_id: str, changes: dict[str, Any]) -> Task | None:
        task = await self.get(user_id, task_id)
        if task is None:
            return None
        return task.model_copy(update={**changes, "updatedAt": datetime.now(UTC)})

    async def delete(self, user_id: str, task_id: str) -> bool:
        return await self.get(user_id, task_id) is not None
