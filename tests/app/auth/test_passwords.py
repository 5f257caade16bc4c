"""Password hashes stay compatible with the Express service's bcryptjs."""

from __future__ import annotations

import bcrypt

from app.auth.passwords import hash_password, verify_password


async def test_a_hash_verifies_its_own_password_and_no_other() -> None:
    password_hash = await hash_password("correct horse")
    assert await verify_password("correct horse", password_hash)
    assert not await verify_password("correct horse!", password_hash)


async def test_a_bcryptjs_style_2a_hash_still_verifies() -> None:
    # bcryptjs writes the $2a$ prefix; the algorithm for such passwords is the same as $2b$.
    legacy = bcrypt.hashpw(b"express-user-pw", bcrypt.gensalt(10, prefix=b"2a")).decode()
    assert legacy.startswith("$2a$10$")
    assert await verify_password("express-user-pw", legacy)


async def test_passwords_longer_than_72_bytes_are_truncated_like_bcryptjs() -> None:
    long_password = "x" * 72
    password_hash = await hash_password(long_password + "ignored-tail")
    assert await verify_password(long_password, password_hash)


async def test_a_stored_value_that_is_not_a_bcrypt_hash_never_matches() -> None:
    assert not await verify_password("anything", "plain-text-from-a-bad-import")


async def test_hashes_are_salted() -> None:
    assert await hash_password("same") != await hash_password("same")
