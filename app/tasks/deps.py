"""``OwnedTask``: the task named in the path, if and only if it belongs to the caller; else 404."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request

from app.auth.deps import CurrentUserId
from app.deps import prepared_store
from app.errors import NotFoundError
from app.tasks.repository import TaskRepository
from app.tasks.schemas import Task

TASK_NOT_FOUND = "Task not found"
# Any path segment but the batch route's: a malformed id still reaches the routes and answers 404.
TASK_ID_REGEX = r"(?!batch$)[^/]+"


def tasks_of(request: Request) -> TaskRepository:
    return TaskRepository(prepared_store(request).tasks)


async def task_repository(request: Request) -> TaskRepository:
    return tasks_of(request)


Tasks = Annotated[TaskRepository, Depends(task_repository)]


async def owned_task(
    user_id: CurrentUserId,
    tasks: Tasks,
    task_id: Annotated[
        str,
        # Declared, not validated: the router's task_id convertor already refuses "batch".
        Path(alias="id", description="The task's _id", json_schema_extra={"pattern": f"^{TASK_ID_REGEX}$"}),
    ],
) -> Task:
    # Someone else's task, an unknown id and a malformed id all look the same: 404, nothing leaked.
    task = await tasks.get(user_id, task_id)
    if task is None:
        raise NotFoundError(TASK_NOT_FOUND)
    return task


OwnedTask = Annotated[Task, Depends(owned_task)]
