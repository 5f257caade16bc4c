"""What the shared embedded store's server and the worker processes exchange.

A request names the database, the collection, the operation and its arguments; a reply is
``("ok", value)`` or ``("error", tag, payload)``. Errors travel as tagged tuples rather than pickled
exceptions (not every pymongo exception survives pickling) and are rebuilt on the worker's side as the
same pymongo types, so the repositories catch ``DuplicateKeyError`` and ``BulkWriteError`` exactly as they
do on MongoDB.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pymongo.errors import (
    BulkWriteError,
    DuplicateKeyError,
    OperationFailure,
    WriteError,
)

# Set by ``python -m app`` for its workers; not configuration an operator sets.
SOCKET_ENV = "TASKAPI_EMBEDDED_STORE_SOCKET"
AUTHKEY_ENV = "TASKAPI_EMBEDDED_STORE_KEY"

Request = tuple[str, str, str, tuple[Any, ...]]
Reply = tuple[Any, ...]

_OPERATION_FAILURES: dict[str, type[OperationFailure]] = {
    cls.__name__: cls for cls in (DuplicateKeyError, WriteError, OperationFailure)
}


class EmbeddedStoreError(RuntimeError):
    """The store server failed in a way MongoDB has no error for (a bug, or an unsupported query)."""


@dataclass(frozen=True)
class SharedStoreAddress:
    """Where the workers reach the store server, and the key that proves they belong to this run."""

    socket: str
    authkey: bytes = field(repr=False)

    def environment(self) -> dict[str, str]:
        return {SOCKET_ENV: self.socket, AUTHKEY_ENV: self.authkey.hex()}

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> SharedStoreAddress | None:
        socket, authkey = environ.get(SOCKET_ENV), environ.get(AUTHKEY_ENV)
        if not socket or not authkey:
            return None
        return cls(socket=socket, authkey=bytes.fromhex(authkey))


def error_reply(error: Exception) -> Reply:
    if isinstance(error, BulkWriteError):
        return ("error", "BulkWriteError", (error.details,))
    if isinstance(error, OperationFailure):
        name = type(error).__name__ if type(error).__name__ in _OPERATION_FAILURES else "OperationFailure"
        details = error.details
        # str(error) carries the details again ("..., full error: {...}"): keep only the server's message.
        message = details.get("errmsg", str(error)) if details else str(error)
        return ("error", name, (message, error.code, details))
    return ("error", "unexpected", (type(error).__name__, str(error)))


def rebuild_error(reply: Reply) -> Exception:
    _, tag, payload = reply
    if tag == "BulkWriteError":
        return BulkWriteError(payload[0])
    if tag in _OPERATION_FAILURES:
        message, code, details = payload
        return _OPERATION_FAILURES[tag](message, code, details)
    name, message = payload
    return EmbeddedStoreError(f"{name}: {message}")
