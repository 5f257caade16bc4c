"""Login costs one bcrypt comparison whether or not the email exists, so timing reveals nothing."""

from __future__ import annotations

import httpx
import pytest

from app.auth import router as auth_router
from app.auth.passwords import dummy_hash, verify_password
from tests.app.taskapi_testing import Account


@pytest.fixture
def comparisons(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    compared: list[str] = []

    async def recording_verify(password: str, password_hash: str) -> bool:
        compared.append(password_hash)
        return await verify_password(password, password_hash)

    monkeypatch.setattr(auth_router, "verify_password", recording_verify)
    return compared


async def test_an_unknown_email_is_still_checked_against_a_bcrypt_hash(
    client: httpx.AsyncClient, comparisons: list[str]
) -> None:
    await client.post("/api/auth/login", json={"email": "ghost@example.com", "password": "whatever"})
    assert comparisons == [await dummy_hash()]


async def test_a_known_email_is_checked_against_its_own_hash_once(
    client: httpx.AsyncClient, alice: Account, comparisons: list[str]
) -> None:
    await client.post("/api/auth/login", json={"email": alice.email, "password": "wrong"})
    assert len(comparisons) == 1
    assert comparisons[0] != await dummy_hash()
    assert comparisons[0].startswith("$2b$10$")
