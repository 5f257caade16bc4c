"""The one definition of how the store behaves: the repositories' queries against a MongoDB wire server.

It runs on the session's MongoDB (tests/app/mongodb_server.py): the embedded SecantusDB server by
default, a real MongoDB when TEST_MONGODB_URI is set. Nothing is skipped either way.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Mapping
from datetime import UTC, datetime
from typing import Any

import pytest
from bson import ObjectId, Regex
from pymongo.errors import BulkWriteError

from app.auth.repository import EmailTakenError, UserRepository
from app.db.indexes import ensure_indexes
from app.db.store import Store, open_store
from app.tasks.repository import TaskQuery, TaskRepository, task_filter
from app.tasks.schemas import TaskCreate
from tests.app.taskapi_testing import make_settings

pytestmark = pytest.mark.mongodb


@pytest.fixture
async def store() -> AsyncIterator[Store]:
    opened = open_store(make_settings())
    await ensure_indexes(opened)
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
def users(store: Store) -> UserRepository:
    return UserRepository(store.users)


@pytest.fixture
def tasks(store: Store) -> TaskRepository:
    return TaskRepository(store.tasks)


OWNER = str(ObjectId())
STRANGER = str(ObjectId())


async def test_the_unique_email_index_refuses_a_second_account(users: UserRepository) -> None:
    await users.create("Ada", "ada@example.com", "hash")
    with pytest.raises(EmailTakenError):
        await users.create("Another Ada", "ada@example.com", "hash")


async def test_ensuring_indexes_twice_is_harmless(store: Store, users: UserRepository) -> None:
    await ensure_indexes(store)
    await users.create("Ada", "ada@example.com", "hash")
    with pytest.raises(EmailTakenError):
        await users.create("Ada", "ada@example.com", "hash")


async def test_a_user_is_found_by_email_and_by_id(users: UserRepository) -> None:
    created = await users.create("Ada", "ada@example.com", "hash")
    assert await users.by_email("ada@example.com") == created
    assert await users.by_id(created.id) == created
    assert created.created_at.tzinfo is not None


@pytest.mark.parametrize("user_id", ["nope", "", str(ObjectId())])
async def test_a_malformed_or_unknown_user_id_finds_nobody(users: UserRepository, user_id: str) -> None:
    assert await users.by_id(user_id) is None


async def test_changing_to_a_taken_email_is_refused(users: UserRepository) -> None:
    await users.create("Ada", "ada@example.com", "hash")
    grace = await users.create("Grace", "grace@example.com", "hash")
    with pytest.raises(EmailTakenError):
        await users.update_profile(grace.id, name=None, email="ada@example.com")


async def test_a_profile_update_returns_the_new_values(users: UserRepository) -> None:
    ada = await users.create("Ada", "ada@example.com", "hash")
    updated = await users.update_profile(ada.id, name="Ada L.", email=None)
    assert updated is not None
    assert (updated.name, updated.email) == ("Ada L.", "ada@example.com")


async def _add(tasks: TaskRepository, title: str, owner: str = OWNER, **fields: str) -> str:
    task = await tasks.create(owner, TaskCreate.model_validate({"title": title, **fields}))
    return task.id


async def test_pages_come_newest_first_with_the_total(tasks: TaskRepository) -> None:
    for n in range(5):
        await _add(tasks, f"t{n}")
    page, total = await tasks.find_page(OWNER, TaskQuery(page=2, limit=2))
    assert [task.title for task in page] == ["t2", "t1"]
    assert total == 5


async def test_filters_combine_and_count_only_matches(tasks: TaskRepository) -> None:
    await _add(tasks, "a", status="completed", priority="high")
    await _add(tasks, "b", status="completed", priority="low")
    await _add(tasks, "c", status="pending", priority="high")
    page, total = await tasks.find_page(OWNER, TaskQuery(status="completed", priority="high"))
    assert ([task.title for task in page], total) == (["a"], 1)


async def test_search_is_literal_and_case_insensitive_over_title_and_description(
    tasks: TaskRepository,
) -> None:
    await _add(tasks, "Budget (Q1) v2.0")
    await _add(tasks, "Other", description="see budget (q1) V2.0 notes")
    await _add(tasks, "Budget Q1 v2x0")
    page, total = await tasks.find_page(OWNER, TaskQuery(search="budget (q1) v2.0"))
    assert sorted(task.title for task in page) == ["Budget (Q1) v2.0", "Other"]
    assert total == 2


async def test_another_owners_tasks_are_invisible(tasks: TaskRepository) -> None:
    task_id = await _add(tasks, "mine")
    assert await tasks.get(STRANGER, task_id) is None
    assert await tasks.update(STRANGER, task_id, {"title": "theirs"}) is None
    assert await tasks.delete(STRANGER, task_id) is False
    assert (await tasks.find_page(STRANGER, TaskQuery()))[1] == 0
    still = await tasks.get(OWNER, task_id)
    assert still is not None
    assert still.title == "mine"


async def test_an_update_sets_the_fields_and_the_update_time(tasks: TaskRepository) -> None:
    task_id = await _add(tasks, "before")
    before = await tasks.get(OWNER, task_id)
    due = datetime(2025, 3, 1, tzinfo=UTC)
    updated = await tasks.update(OWNER, task_id, {"title": "after", "dueDate": due})
    assert before is not None
    assert updated is not None
    assert updated.title == "after"
    assert updated.dueDate == due
    assert updated.updatedAt >= before.updatedAt


async def test_a_batch_keeps_the_callers_indexes(tasks: TaskRepository) -> None:
    items = [(0, TaskCreate(title="zero")), (3, TaskCreate(title="three"))]
    created, failures = await tasks.create_many(OWNER, items)
    assert [task.title for task in created] == ["zero", "three"]
    assert failures == []


async def test_an_unordered_insert_stores_the_rest_and_reports_each_failure(store: Store) -> None:
    """What batch create relies on: one bad document does not stop the others, and each is named."""
    duplicate = ObjectId()
    documents: list[dict[str, Any]] = [
        {"_id": duplicate, "n": 0},
        {"_id": duplicate, "n": 1},
        {"n": 2},
        {"_id": duplicate, "n": 3},
    ]
    with pytest.raises(BulkWriteError) as raised:
        await store.tasks.insert_many(documents, ordered=False)
    assert sorted(error["index"] for error in raised.value.details["writeErrors"]) == [1, 3]
    assert await store.tasks.count_documents({"n": {"$in": [0, 2]}}) == 2


async def test_a_batch_reports_database_refusals_at_the_callers_indexes(
    store: Store, tasks: TaskRepository
) -> None:
    # No production index can refuse a task, so this test adds one that refuses a repeated title.
    await store.tasks.create_index([("title", 1)], unique=True)
    items = [(0, TaskCreate(title="same")), (2, TaskCreate(title="other")), (5, TaskCreate(title="same"))]
    created, failures = await tasks.create_many(OWNER, items)
    assert [task.title for task in created] == ["same", "other"]
    assert [failure.index for failure in failures] == [5]
    assert failures[0].message == "The task duplicates one that already exists"


def _compiled_patterns(value: object) -> list[object]:
    if isinstance(value, re.Pattern | Regex):
        return [value]
    if isinstance(value, Mapping):
        return [found for item in value.values() for found in _compiled_patterns(item)]
    if isinstance(value, list | tuple):
        return [found for item in value for found in _compiled_patterns(item)]
    return []


def test_a_search_sends_the_regex_operator_and_never_a_compiled_pattern() -> None:
    """SecantusDB matches nothing for a BSON regex literal on an indexed field; {"$regex": ...} works."""
    conditions = task_filter(ObjectId(), TaskQuery(search="budget (q1)"))
    assert _compiled_patterns(conditions) == []
    assert conditions["$or"] == [
        {field: {"$regex": re.escape("budget (q1)"), "$options": "i"}} for field in ("title", "description")
    ]
