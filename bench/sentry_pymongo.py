"""CPU that Sentry's PyMongo integration adds to each MongoDB command with tracing off.

uv run python -m bench.sentry_pymongo

The integration's command listener is driven on its own, as PyMongo drives it (started, then succeeded)
for the commands the task routes send: a page's find and a create's insert. The lowest of seven loops of
2,000 commands stands. ``app/observability/sentry.py`` leaves the integration off for this cost.
"""

from __future__ import annotations

import sys
import time
import types
from datetime import UTC, datetime
from typing import Any

import sentry_sdk
from bson import ObjectId
from sentry_sdk.integrations.pymongo import CommandTracer, PyMongoIntegration

LOOPS = 7
COMMANDS_PER_LOOP = 2000


def _commands() -> dict[str, dict[str, Any]]:
    user = ObjectId()
    now = datetime.now(UTC)
    session = {"lsid": {"id": b"\x00" * 16}, "$db": "taskmanager"}
    task = {
        "_id": ObjectId(), "title": "Write report", "description": "", "status": "pending",
        "priority": "medium", "dueDate": None, "userId": user, "createdAt": now, "updatedAt": now,
    }  # fmt: skip
    return {
        "find": {
            "find": "tasks",
            "filter": {"userId": user},
            "sort": {"createdAt": -1},
            "limit": 20,
            **session,
        },
        "insert": {"insert": "tasks", "ordered": True, "documents": [task], **session},
    }


def per_command(name: str, command: dict[str, Any]) -> float:
    tracer = CommandTracer()
    best = float("inf")
    for _ in range(LOOPS):
        with sentry_sdk.isolation_scope():
            started = time.process_time()
            for number in range(COMMANDS_PER_LOOP):
                event = types.SimpleNamespace(
                    command=command, command_name=name, database_name="taskmanager", request_id=number,
                    operation_id=number, connection_id=("127.0.0.1", 27017), duration_micros=100,
                    reply={"ok": 1},
                )  # fmt: skip
                tracer.started(event)  # type: ignore[arg-type]
                tracer.succeeded(event)  # type: ignore[arg-type]
            best = min(best, (time.process_time() - started) / COMMANDS_PER_LOOP * 1e6)
    return best


def main() -> int:
    # A DSN nothing listens on: nothing is sent, as no event is captured.
    sentry_sdk.init(
        dsn="http://bench@127.0.0.1:9/1",
        traces_sample_rate=0.0,
        default_integrations=False,
        integrations=[PyMongoIntegration()],
    )
    for name, command in _commands().items():
        print(f"{name}: {per_command(name, command):.1f} µs of CPU per command (lowest of {LOOPS} loops)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
