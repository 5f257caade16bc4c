"""Task CRUD over HTTP: the Express contract, validation, pagination, filters, search, ownership."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.app.taskapi_testing import Account


async def _create(client: httpx.AsyncClient, account: Account, **fields: Any) -> dict[str, Any]:
    response = await client.post(
        "/api/tasks", json={"title": "Write report", **fields}, headers=account.headers
    )
    assert response.status_code == 201, response.text
    task: dict[str, Any] = response.json()
    return task


async def test_a_new_task_gets_the_express_defaults(client: httpx.AsyncClient, alice: Account) -> None:
    task = await _create(client, alice)
    assert task["title"] == "Write report"
    assert task["description"] == ""
    assert task["status"] == "pending"
    assert task["priority"] == "medium"
    assert task["dueDate"] is None
    assert task["userId"] == alice.id
    assert set(task) == {
        "_id", "title", "description", "status", "priority", "dueDate", "userId", "createdAt", "updatedAt"
    }  # fmt: skip


async def test_a_due_date_given_as_a_plain_date_is_stored_as_midnight_utc(
    client: httpx.AsyncClient, alice: Account
) -> None:
    task = await _create(client, alice, dueDate="2025-01-31", priority="high")
    assert task["dueDate"] == "2025-01-31T00:00:00.000Z"
    assert task["priority"] == "high"


async def test_a_due_date_with_an_offset_is_converted_to_utc(
    client: httpx.AsyncClient, alice: Account
) -> None:
    task = await _create(client, alice, dueDate="2025-01-31T10:00:00+02:00")
    assert task["dueDate"] == "2025-01-31T08:00:00.000Z"


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({}, "title"),
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": 7}, "title"),
        ({"title": "ok", "description": "d" * 2001}, "description"),
        ({"title": "ok", "priority": "urgent"}, "priority"),
        ({"title": "ok", "status": "done"}, "status"),
        ({"title": "ok", "dueDate": "next tuesday"}, "dueDate"),
        ({"title": "ok", "dueDate": 1700000000}, "dueDate"),
    ],
)
async def test_an_invalid_task_is_a_400_naming_the_field(
    client: httpx.AsyncClient, alice: Account, body: dict[str, Any], path: str
) -> None:
    response = await client.post("/api/tasks", json=body, headers=alice.headers)
    assert response.status_code == 400
    assert [error["path"] for error in response.json()["errors"]] == [path]


async def test_limits_are_inclusive_at_200_and_2000_characters(
    client: httpx.AsyncClient, alice: Account
) -> None:
    task = await _create(client, alice, title="t" * 200, description="d" * 2000)
    assert len(task["title"]) == 200


async def test_a_json_array_instead_of_an_object_is_a_400(client: httpx.AsyncClient, alice: Account) -> None:
    response = await client.post("/api/tasks", json=["title"], headers=alice.headers)
    assert response.status_code == 400
    assert "errors" in response.json()


async def test_a_malformed_json_body_is_a_400(client: httpx.AsyncClient, alice: Account) -> None:
    response = await client.post(
        "/api/tasks", content=b'{"title": "x",', headers={**alice.headers, "Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["msg"] == "Malformed JSON in request body"


async def test_a_body_over_one_mebibyte_is_a_413(client: httpx.AsyncClient, alice: Account) -> None:
    huge = {"title": "x", "description": "d" * (1024 * 1024)}
    response = await client.post("/api/tasks", json=huge, headers=alice.headers)
    assert response.status_code == 413
    assert "message" in response.json()


async def test_a_chunked_body_over_one_mebibyte_is_a_413(client: httpx.AsyncClient, alice: Account) -> None:
    async def chunks() -> Any:
        yield b'{"title": "x", "description": "'
        for _ in range(20):
            yield b"d" * 65536
        yield b'"}'

    response = await client.post(
        "/api/tasks", content=chunks(), headers={**alice.headers, "Content-Type": "application/json"}
    )
    assert response.status_code == 413


async def test_creating_a_task_needs_a_token(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/tasks", json={"title": "x"})
    assert response.status_code == 401


async def test_the_list_is_a_plain_array_newest_first(client: httpx.AsyncClient, alice: Account) -> None:
    titles = [f"task {n}" for n in range(3)]
    for title in titles:
        await _create(client, alice, title=title)
    response = await client.get("/api/tasks", headers=alice.headers)
    assert response.status_code == 200
    assert [task["title"] for task in response.json()] == list(reversed(titles))


async def test_the_list_pages_with_the_total_in_a_header(client: httpx.AsyncClient, alice: Account) -> None:
    for n in range(5):
        await _create(client, alice, title=f"task {n}")
    response = await client.get("/api/tasks", params={"page": 2, "limit": 2}, headers=alice.headers)
    assert [task["title"] for task in response.json()] == ["task 2", "task 1"]
    assert response.headers["X-Total-Count"] == "5"
    links = response.headers["Link"]
    assert 'page=1&limit=2>; rel="first"' in links
    assert 'page=3&limit=2>; rel="last"' in links
    assert 'page=1&limit=2>; rel="prev"' in links
    assert 'page=3&limit=2>; rel="next"' in links


async def test_the_list_defaults_to_twenty_per_page(client: httpx.AsyncClient, alice: Account) -> None:
    batch = {"tasks": [{"title": f"task {n}"} for n in range(25)]}
    await client.post("/api/tasks/batch", json=batch, headers=alice.headers)
    response = await client.get("/api/tasks", headers=alice.headers)
    assert len(response.json()) == 20
    assert response.headers["X-Total-Count"] == "25"


async def test_a_page_past_the_end_is_an_empty_array(client: httpx.AsyncClient, alice: Account) -> None:
    await _create(client, alice)
    response = await client.get("/api/tasks", params={"page": 9}, headers=alice.headers)
    assert response.status_code == 200
    assert response.json() == []


@pytest.mark.parametrize(
    ("params", "path"),
    [
        ({"page": 0}, "page"),
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"page": "two"}, "page"),
        ({"status": "done"}, "status"),
        ({"priority": "urgent"}, "priority"),
    ],
)
async def test_invalid_list_parameters_are_a_400_naming_the_parameter(
    client: httpx.AsyncClient, alice: Account, params: dict[str, Any], path: str
) -> None:
    response = await client.get("/api/tasks", params=params, headers=alice.headers)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["path"], error["location"]) == (path, "query")


async def test_the_list_filters_by_status_and_priority(client: httpx.AsyncClient, alice: Account) -> None:
    await _create(client, alice, title="a", status="completed", priority="high")
    await _create(client, alice, title="b", status="completed", priority="low")
    await _create(client, alice, title="c", status="pending", priority="high")
    response = await client.get(
        "/api/tasks", params={"status": "completed", "priority": "high"}, headers=alice.headers
    )
    assert [task["title"] for task in response.json()] == ["a"]
    assert response.headers["X-Total-Count"] == "1"


async def test_search_matches_title_or_description_ignoring_case(
    client: httpx.AsyncClient, alice: Account
) -> None:
    await _create(client, alice, title="Quarterly REPORT")
    await _create(client, alice, title="Groceries", description="milk; see the report draft")
    await _create(client, alice, title="Unrelated")
    response = await client.get("/api/tasks", params={"search": "report"}, headers=alice.headers)
    assert sorted(task["title"] for task in response.json()) == ["Groceries", "Quarterly REPORT"]


async def test_search_treats_regex_characters_literally(client: httpx.AsyncClient, alice: Account) -> None:
    await _create(client, alice, title="fix a.b (urgent)")
    await _create(client, alice, title="fix axb urgent")
    response = await client.get("/api/tasks", params={"search": "a.b (u"}, headers=alice.headers)
    assert [task["title"] for task in response.json()] == ["fix a.b (urgent)"]
    pathological = await client.get("/api/tasks", params={"search": "(a+)+$"}, headers=alice.headers)
    assert pathological.json() == []


async def test_a_task_can_be_read_by_id(client: httpx.AsyncClient, alice: Account) -> None:
    task = await _create(client, alice)
    response = await client.get(f"/api/tasks/{task['_id']}", headers=alice.headers)
    assert response.json() == task


async def test_an_update_changes_only_the_fields_sent(client: httpx.AsyncClient, alice: Account) -> None:
    task = await _create(client, alice, description="keep me", dueDate="2025-02-01")
    response = await client.put(
        f"/api/tasks/{task['_id']}", json={"status": "in-progress"}, headers=alice.headers
    )
    assert response.status_code == 200
    updated = response.json()
    assert updated["status"] == "in-progress"
    assert (updated["description"], updated["dueDate"]) == ("keep me", task["dueDate"])
    assert updated["updatedAt"] >= task["updatedAt"]
    assert updated["createdAt"] == task["createdAt"]


async def test_an_update_with_a_null_due_date_clears_it(client: httpx.AsyncClient, alice: Account) -> None:
    task = await _create(client, alice, dueDate="2025-02-01")
    response = await client.put(f"/api/tasks/{task['_id']}", json={"dueDate": None}, headers=alice.headers)
    assert response.json()["dueDate"] is None


async def test_an_invalid_update_is_a_400_and_changes_nothing(
    client: httpx.AsyncClient, alice: Account
) -> None:
    task = await _create(client, alice)
    response = await client.put(
        f"/api/tasks/{task['_id']}", json={"title": "", "status": "done"}, headers=alice.headers
    )
    assert response.status_code == 400
    assert {error["path"] for error in response.json()["errors"]} == {"title", "status"}
    unchanged = await client.get(f"/api/tasks/{task['_id']}", headers=alice.headers)
    assert unchanged.json() == task


async def test_a_deleted_task_is_gone(client: httpx.AsyncClient, alice: Account) -> None:
    task = await _create(client, alice)
    response = await client.delete(f"/api/tasks/{task['_id']}", headers=alice.headers)
    assert (response.status_code, response.json()) == (200, {"message": "Task removed"})
    again = await client.get(f"/api/tasks/{task['_id']}", headers=alice.headers)
    assert again.status_code == 404


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
@pytest.mark.parametrize(
    "task_id", ["not-an-id", "6b05f4a2c7d8aafed5657d28", "%20", "{}", "batches", "batch.json"]
)
async def test_a_malformed_or_unknown_id_is_a_404(
    client: httpx.AsyncClient, alice: Account, method: str, task_id: str
) -> None:
    body = {"title": "x"} if method == "PUT" else None
    response = await client.request(method, f"/api/tasks/{task_id}", json=body, headers=alice.headers)
    assert (response.status_code, response.json()) == (404, {"message": "Task not found"})


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
async def test_another_users_task_is_a_404_and_stays_untouched(
    client: httpx.AsyncClient, alice: Account, bob: Account, method: str
) -> None:
    task = await _create(client, alice, title="alice's")
    body = {"title": "taken over"} if method == "PUT" else None
    response = await client.request(method, f"/api/tasks/{task['_id']}", json=body, headers=bob.headers)
    assert (response.status_code, response.json()) == (404, {"message": "Task not found"})
    still = await client.get(f"/api/tasks/{task['_id']}", headers=alice.headers)
    assert still.json() == task


async def test_a_user_lists_only_their_own_tasks(
    client: httpx.AsyncClient, alice: Account, bob: Account
) -> None:
    await _create(client, alice, title="alice's")
    await _create(client, bob, title="bob's")
    response = await client.get("/api/tasks", headers=bob.headers)
    assert [task["title"] for task in response.json()] == ["bob's"]
    assert response.headers["X-Total-Count"] == "1"


async def test_a_batch_stores_the_valid_tasks_and_reports_the_invalid_by_index(
    client: httpx.AsyncClient, alice: Account
) -> None:
    batch = {
        "tasks": [{"title": "one"}, {"title": ""}, {"title": "three", "priority": "nope"}, {"title": "four"}]
    }
    response = await client.post("/api/tasks/batch", json=batch, headers=alice.headers)
    assert response.status_code == 201
    body = response.json()
    assert [task["title"] for task in body["created"]] == ["one", "four"]
    assert [(error["index"], error["path"]) for error in body["errors"]] == [
        (1, "tasks[1].title"),
        (2, "tasks[2].priority"),
    ]
    listed = await client.get("/api/tasks", headers=alice.headers)
    assert listed.headers["X-Total-Count"] == "2"


async def test_a_batch_with_nothing_valid_is_a_400(client: httpx.AsyncClient, alice: Account) -> None:
    response = await client.post("/api/tasks/batch", json={"tasks": [{"title": 1}]}, headers=alice.headers)
    assert response.status_code == 400
    assert response.json()["created"] == []
    assert response.json()["errors"][0]["path"] == "tasks[0].title"


@pytest.mark.parametrize("count", [0, 101])
async def test_a_batch_must_hold_one_to_a_hundred_tasks(
    client: httpx.AsyncClient, alice: Account, count: int
) -> None:
    batch = {"tasks": [{"title": f"t{n}"} for n in range(count)]}
    response = await client.post("/api/tasks/batch", json=batch, headers=alice.headers)
    assert response.status_code == 400
    assert response.json()["errors"][0]["path"] == "tasks"


async def test_a_batch_of_a_hundred_is_accepted(client: httpx.AsyncClient, alice: Account) -> None:
    batch = {"tasks": [{"title": f"t{n}"} for n in range(100)]}
    response = await client.post("/api/tasks/batch", json=batch, headers=alice.headers)
    assert response.status_code == 201
    assert len(response.json()["created"]) == 100
