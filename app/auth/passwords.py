"""bcrypt hashes, readable by and for the Express service's bcryptjs ($2a$/$2b$, cost 10)."""

from __future__ import annotations

import asyncio
import functools
import secrets

import bcrypt

# The cost bcryptjs used for the existing hashes; OWASP's floor for bcrypt.
BCRYPT_ROUNDS = 10
# bcrypt reads at most 72 bytes; bcryptjs silently truncates, so we truncate the same way to keep
# existing long passwords valid (the bcrypt package raises instead).
BCRYPT_MAX_BYTES = 72


def _secret(password: str) -> bytes:
    return password.encode()[:BCRYPT_MAX_BYTES]


def _hash(password: str) -> str:
    return bcrypt.hashpw(_secret(password), bcrypt.gensalt(BCRYPT_ROUNDS)).decode()


def _verify(password: str, password_hash: str) -> bool:
    try:
        return bcrypt.checkpw(_secret(password), password_hash.encode())
    except ValueError:  # a stored value that is not a bcrypt hash never matches
        return False


@functools.cache
def _dummy_hash() -> str:
    # A hash of a random throwaway password, made once per process on first use (not at import).
    return _hash(secrets.token_urlsafe(24))


async def dummy_hash() -> str:
    """Compared against when the email is unknown, so that path costs the same as a wrong password."""
    return await asyncio.to_thread(_dummy_hash)


async def hash_password(password: str) -> str:
    # bcrypt is deliberately slow: keep it off the event loop so other requests keep flowing.
    return await asyncio.to_thread(_hash, password)


async def verify_password(password: str, password_hash: str) -> bool:
    return await asyncio.to_thread(_verify, password, password_hash)
