"""Signup, login and profile over HTTP, with the Express service's bodies and error shapes."""

from __future__ import annotations

import httpx
import pytest
from bson import ObjectId
from fastapi import FastAPI

from tests.app.taskapi_testing import Account, SignUp


async def test_signup_returns_a_token_and_the_public_user(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/auth/signup", json={"name": " Ada ", "email": "Ada@Example.com", "password": "secret1"}
    )
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"token", "user"}
    assert set(body["user"]) == {"id", "name", "email", "createdAt"}
    assert body["user"]["name"] == "Ada"
    assert body["user"]["email"] == "ada@example.com"
    assert body["user"]["createdAt"].endswith("Z")


async def test_signup_never_returns_the_password_or_its_hash(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/auth/signup", json={"name": "Ada", "email": "ada@example.com", "password": "secret1"}
    )
    assert "secret1" not in response.text
    assert "$2b$" not in response.text


async def test_signup_with_a_taken_email_answers_400_with_a_message(
    client: httpx.AsyncClient, alice: Account
) -> None:
    response = await client.post(
        "/api/auth/signup", json={"name": "Other", "email": alice.email.upper(), "password": "secret1"}
    )
    assert response.status_code == 400
    assert response.json() == {"message": "User already exists"}


async def test_signup_reports_every_invalid_field(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/auth/signup", json={"name": "", "email": "nope", "password": "123"})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {error["path"] for error in errors} == {"name", "email", "password"}
    assert all(error["msg"] and error["location"] == "body" for error in errors)


async def test_signup_with_a_number_for_a_name_is_a_field_error(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/auth/signup", json={"name": 42, "email": "a@example.com", "password": "secret1"}
    )
    assert response.status_code == 400
    assert [error["path"] for error in response.json()["errors"]] == ["name"]


async def test_login_with_the_right_password_returns_a_working_token(
    client: httpx.AsyncClient, alice: Account
) -> None:
    response = await client.post("/api/auth/login", json={"email": alice.email, "password": alice.password})
    assert response.status_code == 200
    token = response.json()["token"]
    profile = await client.get("/api/auth/profile", headers={"Authorization": f"Bearer {token}"})
    assert profile.json()["id"] == alice.id


async def test_login_ignores_the_case_of_the_email(client: httpx.AsyncClient, alice: Account) -> None:
    response = await client.post(
        "/api/auth/login", json={"email": alice.email.upper(), "password": alice.password}
    )
    assert response.status_code == 200


async def test_login_with_a_wrong_password_answers_401(client: httpx.AsyncClient, alice: Account) -> None:
    response = await client.post("/api/auth/login", json={"email": alice.email, "password": "wrong-one"})
    assert response.status_code == 401
    assert response.json() == {"message": "Invalid credentials"}


async def test_login_with_an_unknown_email_answers_exactly_like_a_wrong_password(
    client: httpx.AsyncClient, alice: Account
) -> None:
    unknown = await client.post("/api/auth/login", json={"email": "nobody@example.com", "password": "x"})
    wrong = await client.post("/api/auth/login", json={"email": alice.email, "password": "x"})
    assert (unknown.status_code, unknown.json()) == (wrong.status_code, wrong.json())


async def test_login_without_a_password_is_a_field_error(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/auth/login", json={"email": "a@example.com"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["path"] == "password"


async def test_profile_returns_the_callers_public_user(client: httpx.AsyncClient, alice: Account) -> None:
    response = await client.get("/api/auth/profile", headers=alice.headers)
    assert response.status_code == 200
    assert response.json() == {
        "id": alice.id,
        "name": "Alice",
        "email": alice.email,
        "createdAt": response.json()["createdAt"],
    }


@pytest.mark.parametrize("path", ["/api/auth/profile", "/api/tasks"])
async def test_a_request_without_a_token_answers_401(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path)
    assert response.status_code == 401
    assert response.json() == {"message": "No token, authorization denied"}


@pytest.mark.parametrize("path", ["/api/auth/profile", "/api/tasks"])
@pytest.mark.parametrize("authorization", ["Basic {token}", "Bearer", "Bearer ", "{token}"])
async def test_a_token_not_sent_as_a_bearer_token_answers_401(
    client: httpx.AsyncClient, alice: Account, path: str, authorization: str
) -> None:
    response = await client.get(path, headers={"Authorization": authorization.format(token=alice.token)})
    assert response.status_code == 401
    assert response.json() == {"message": "No token, authorization denied"}


async def test_changing_the_name_shows_in_the_next_profile_read(
    client: httpx.AsyncClient, alice: Account
) -> None:
    await client.get("/api/auth/profile", headers=alice.headers)
    response = await client.put("/api/auth/profile", json={"name": "Alice B."}, headers=alice.headers)
    assert response.json()["name"] == "Alice B."
    profile = await client.get("/api/auth/profile", headers=alice.headers)
    assert profile.json()["name"] == "Alice B."


async def test_changing_the_email_to_a_taken_one_answers_400(
    client: httpx.AsyncClient, alice: Account, bob: Account
) -> None:
    response = await client.put("/api/auth/profile", json={"email": bob.email}, headers=alice.headers)
    assert response.status_code == 400
    assert response.json() == {"message": "User already exists"}


async def test_the_new_email_is_the_one_that_logs_in(client: httpx.AsyncClient, alice: Account) -> None:
    await client.put("/api/auth/profile", json={"email": "new@example.com"}, headers=alice.headers)
    old = await client.post("/api/auth/login", json={"email": alice.email, "password": alice.password})
    new = await client.post("/api/auth/login", json={"email": "new@example.com", "password": alice.password})
    assert (old.status_code, new.status_code) == (401, 200)


async def test_a_token_for_a_deleted_user_finds_no_profile(
    client: httpx.AsyncClient, sign_up: SignUp, app: FastAPI
) -> None:
    account = await sign_up()
    await app.state.store.users.delete_one({"_id": ObjectId(account.id)})
    response = await client.get("/api/auth/profile", headers=account.headers)
    assert response.status_code == 404
    assert response.json() == {"message": "User not found"}


@pytest.mark.parametrize("route", ["/api/auth/signup", "/api/auth/login"])
async def test_a_body_that_is_not_json_is_a_400_field_error(client: httpx.AsyncClient, route: str) -> None:
    response = await client.post(route, content=b"{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["msg"] == "Malformed JSON in request body"
