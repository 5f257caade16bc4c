"""Verified tokens are remembered until they expire, and remembering never lets a forgery through."""

from __future__ import annotations

import time

import pytest

from app.auth.tokens import TokenVerifier, issue_token
from app.errors import UnauthorizedError
from tests.app.taskapi_testing import make_settings

USER_ID = "6b05f4a2c7d8aafed5657d28"


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_a_remembered_token_still_expires_on_time() -> None:
    settings = make_settings(jwt_expires_seconds=60)
    token = issue_token(USER_ID, settings)
    clock = Clock(time.time())
    verifier = TokenVerifier(settings, clock=clock)
    assert verifier.user_id(token) == USER_ID
    clock.now += 61
    with pytest.raises(UnauthorizedError, match="expired"):
        verifier.user_id(token)


def test_a_token_one_byte_away_from_a_remembered_one_is_refused() -> None:
    settings = make_settings()
    token = issue_token(USER_ID, settings)
    verifier = TokenVerifier(settings)
    verifier.user_id(token)
    last = token[-1]
    tampered = token[:-1] + ("A" if last != "A" else "B")
    with pytest.raises(UnauthorizedError):
        verifier.user_id(tampered)


def test_a_token_from_another_secret_is_refused_even_with_a_warm_cache() -> None:
    verifier = TokenVerifier(make_settings())
    verifier.user_id(issue_token(USER_ID, make_settings()))
    foreign = issue_token(USER_ID, make_settings(jwt_secret="another-secret-that-is-long-enough-0123456789"))
    with pytest.raises(UnauthorizedError):
        verifier.user_id(foreign)


def test_the_memory_is_bounded() -> None:
    settings = make_settings()
    verifier = TokenVerifier(settings, kept=2)
    tokens = [issue_token(f"6b05f4a2c7d8aafed5657d2{n}", settings) for n in range(3)]
    for token in tokens:
        verifier.user_id(token)
    assert verifier.remembered() == 2
