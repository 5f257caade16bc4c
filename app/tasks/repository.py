"""Every query on the tasks collection; ownership is part of each filter, never checked afterwards."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bson import ObjectId
from pymongo import ReturnDocument
from pymongo.errors import BulkWriteError

from app.db.clock import stored_now
from app.db.collection import Document, DocumentCollection, Filter
from app.db.ids import parse_object_id
from app.tasks.schemas import Priority, Status, Task, TaskCreate

NEWEST_FIRST = [("createdAt", -1), ("_id", -1)]


@dataclass(frozen=True)
class TaskQuery:
    status: Status | None = None
    priority: Priority | None = None
    search: str | None = None
    page: int = 1
    limit: int = 20


@dataclass(frozen=True)
class InsertFailure:
    index: int
    message: str


def _task(document: Document) -> Task:
    return Task.model_validate({**document, "_id": str(document["_id"]), "userId": str(document["userId"])})


def task_filter(owner: ObjectId, query: TaskQuery) -> Filter:
    conditions: dict[str, Any] = {"userId": owner}
    if query.status is not None:
        conditions["status"] = query.status
    if query.priority is not None:
        conditions["priority"] = query.priority
    if query.search:
        # Escaped, so the search is literal text: no regex injection, no catastrophic patterns. The
        # $regex operator, not a compiled pattern (a BSON regex literal): on an indexed field SecantusDB,
        # the embedded development server, matches nothing for the literal.
        pattern = {"$regex": re.escape(query.search), "$options": "i"}
        conditions["$or"] = [{"title": pattern}, {"description": pattern}]
    return conditions


class TaskRepository:
    def __init__(self, tasks: DocumentCollection) -> None:
        self._tasks = tasks

    async def find_page(self, user_id: str, query: TaskQuery) -> tuple[list[Task], int]:
        owner = parse_object_id(user_id)
        if owner is None:
            return [], 0
        conditions = task_filter(owner, query)
        cursor = self._tasks.find(conditions).sort(NEWEST_FIRST).skip((query.page - 1) * query.limit)
        documents = await cursor.limit(query.limit).to_list()
        total = await self._tasks.count_documents(conditions)
        return [_task(document) for document in documents], total

    async def get(self, user_id: str, task_id: str) -> Task | None:
        ids = _ids(user_id, task_id)
        if ids is None:
            return None
        document = await self._tasks.find_one({"_id": ids[1], "userId": ids[0]})
        return _task(document) if document is not None else None

    async def create(self, user_id: str, task: TaskCreate) -> Task:
        document = _new_document(user_id, task, stored_now())
        result = await self._tasks.insert_one(document)
        return _task({**document, "_id": result.inserted_id})

    async def create_many(
        self, user_id: str, tasks: Sequence[tuple[int, TaskCreate]]
    ) -> tuple[list[Task], list[InsertFailure]]:
        """Unordered insert: every valid task is stored even when others fail; failures keep their index."""
        if not tasks:
            return [], []
        now = stored_now()
        documents = [_new_document(user_id, task, now) for _, task in tasks]
        failed: dict[int, str] = {}
        try:
            await self._tasks.insert_many(documents, ordered=False)
        except BulkWriteError as error:
            for write_error in error.details.get("writeErrors", []):
                failed[int(write_error["index"])] = _refusal(write_error)
        created = [_task(document) for position, document in enumerate(documents) if position not in failed]
        failures = [InsertFailure(tasks[position][0], message) for position, message in failed.items()]
        return created, failures

    async def update(self, user_id: str, task_id: str, changes: dict[str, Any]) -> Task | None:
        ids = _ids(user_id, task_id)
        if ids is None:
            return None
        document = await self._tasks.find_one_and_update(
            {"_id": ids[1], "userId": ids[0]},
            {"$set": {**changes, "updatedAt": stored_now()}},
            return_document=ReturnDocument.AFTER,
        )
        return _task(document) if document is not None else None

    async def delete(self, user_id: str, task_id: str) -> bool:
        ids = _ids(user_id, task_id)
        if ids is None:
            return False
        result = await self._tasks.delete_one({"_id": ids[1], "userId": ids[0]})
        return result.deleted_count == 1


DUPLICATE_KEY = 11000


def _refusal(write_error: dict[str, object]) -> str:
    # The server's own message names collections and indexes: clients get a plain reason instead.
    if write_error.get("code") == DUPLICATE_KEY:
        return "The task duplicates one that already exists"
    return "The task could not be stored"


def _ids(user_id: str, task_id: str) -> tuple[ObjectId, ObjectId] | None:
    owner, task = parse_object_id(user_id), parse_object_id(task_id)
    return (owner, task) if owner is not None and task is not None else None


def _new_document(user_id: str, task: TaskCreate, now: datetime) -> Document:
    owner = parse_object_id(user_id)
    if owner is None:
        raise ValueError(f"user id {user_id!r} is not an ObjectId")
    # _id is assigned here so a batch can tell which documents an unordered insert stored.
    return {"_id": ObjectId(), **task.model_dump(), "userId": owner, "createdAt": now, "updatedAt": now}
