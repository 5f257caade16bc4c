"""Every forged, expired or incomplete token is refused with 401 {message}."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest

from app.settings import Settings
from tests.app.taskapi_testing import TEST_JWT_SECRET, Account


def _claims(account: Account, settings: Settings, **changes: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    claims: dict[str, Any] = {
        "sub": account.id,
        "iat": now,
        "exp": now + timedelta(hours=1),
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
    }
    claims.update(changes)
    return {key: value for key, value in claims.items() if value is not None}


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


# The profile route checks its token itself, the other routes through a dependency: both are attacked.
@pytest.fixture(params=["/api/auth/profile", "/api/tasks"])
def protected_path(request: pytest.FixtureRequest) -> str:
    path: str = request.param
    return path


async def _status(client: httpx.AsyncClient, path: str, token: str) -> tuple[int, Any]:
    response = await client.get(path, headers={"Authorization": f"Bearer {token}"})
    return response.status_code, response.json()


async def test_a_correctly_signed_token_is_accepted(
    client: httpx.AsyncClient, protected_path: str, alice: Account, settings: Settings
) -> None:
    token = jwt.encode(_claims(alice, settings), TEST_JWT_SECRET, algorithm="HS256")
    assert (await _status(client, protected_path, token))[0] == 200


async def test_a_token_with_alg_none_is_refused(
    client: httpx.AsyncClient, protected_path: str, alice: Account, settings: Settings
) -> None:
    claims = _claims(alice, settings)
    claims["iat"], claims["exp"] = int(claims["iat"].timestamp()), int(claims["exp"].timestamp())
    token = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."
    assert await _status(client, protected_path, token) == (401, {"message": "Token is not valid"})


async def test_a_token_signed_with_another_key_is_refused(
    client: httpx.AsyncClient, protected_path: str, alice: Account, settings: Settings
) -> None:
    token = jwt.encode(
        _claims(alice, settings), "another-key-of-sufficient-length-0123456789", algorithm="HS256"
    )
    assert (await _status(client, protected_path, token))[0] == 401


async def test_a_token_signed_with_another_algorithm_is_refused(
    client: httpx.AsyncClient, protected_path: str, alice: Account, settings: Settings
) -> None:
    token = jwt.encode(_claims(alice, settings), TEST_JWT_SECRET, algorithm="HS384")
    assert (await _status(client, protected_path, token))[0] == 401


async def test_an_expired_token_is_refused(
    client: httpx.AsyncClient, protected_path: str, alice: Account, settings: Settings
) -> None:
    past = datetime.now(UTC) - timedelta(hours=2)
    claims = _claims(alice, settings, iat=past, exp=past + timedelta(hours=1))
    token = jwt.encode(claims, TEST_JWT_SECRET, algorithm="HS256")
    assert await _status(client, protected_path, token) == (401, {"message": "Token expired"})


@pytest.mark.parametrize("missing", ["exp", "iat", "sub", "iss", "aud"])
async def test_a_token_without_a_required_claim_is_refused(
    client: httpx.AsyncClient, protected_path: str, alice: Account, settings: Settings, missing: str
) -> None:
    claims = _claims(alice, settings)
    del claims[missing]
    token = jwt.encode(claims, TEST_JWT_SECRET, algorithm="HS256")
    assert (await _status(client, protected_path, token))[0] == 401


@pytest.mark.parametrize(("claim", "value"), [("iss", "someone-else"), ("aud", "another-audience")])
async def test_a_token_for_another_issuer_or_audience_is_refused(
    client: httpx.AsyncClient, protected_path: str, alice: Account, settings: Settings, claim: str, value: str
) -> None:
    token = jwt.encode(_claims(alice, settings, **{claim: value}), TEST_JWT_SECRET, algorithm="HS256")
    assert (await _status(client, protected_path, token))[0] == 401


async def test_a_token_with_a_changed_payload_is_refused(
    client: httpx.AsyncClient, protected_path: str, alice: Account
) -> None:
    header, _, signature = alice.token.split(".")
    forged = _b64({"sub": "0" * 24, "exp": 4_102_444_800, "iss": "x", "aud": "y", "iat": 0})
    assert (await _status(client, protected_path, f"{header}.{forged}.{signature}"))[0] == 401


async def test_a_garbage_token_is_refused(client: httpx.AsyncClient, protected_path: str) -> None:
    assert (await _status(client, protected_path, "not.a.token"))[0] == 401
