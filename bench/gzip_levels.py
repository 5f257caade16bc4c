"""What Starlette's gzip costs per answer at each compression level, on the page of 20 tasks the list sends.

uv run python -m bench.gzip_levels

The answer is the benchmark's fixed page of 20 tasks, serialized as the list route writes it
(``TASK_LIST.dump_json``), sent through ``GZipMiddleware`` with the app's minimum size to a caller that
asks for ``gzip, br`` as Cloudflare does. The floor is the same answer with no gzip layer. Levels and
floor alternate, round after round, and the lowest CPU figure of each stands.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Sequence

from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.tasks.router import TASK_LIST
from app.web.middleware import GZIP_LEVEL, GZIP_MINIMUM_BYTES
from bench.callers import ACCEPT_ENCODING
from bench.fixed_store import fixed_page
from bench.machine import describe_machine
from bench.runs import load_average, run_header

LEVELS = (1, 4, 6, 9)
ROUNDS = 15
ANSWERS = 500
SCOPE: Scope = {
    "type": "http",
    "method": "GET",
    "path": "/api/tasks",
    "query_string": b"",
    "headers": [(b"accept-encoding", ACCEPT_ENCODING.encode())],
}


def page_body() -> bytes:
    return TASK_LIST.dump_json(fixed_page("0" * 24), by_alias=True)


def answering(body: bytes) -> ASGIApp:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await Response(body, media_type="application/json")(scope, receive, send)

    return app


async def _receive() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


async def cpu_per_answer(app: ASGIApp, answers: int) -> tuple[float, int]:
    """CPU µs per answer over ``answers`` answers, and the size of the body sent."""
    sent = 0

    async def send(message: Message) -> None:
        nonlocal sent
        if message["type"] == "http.response.body":
            sent += len(message["body"])

    started = time.process_time()
    for _ in range(answers):
        await app(SCOPE, _receive, send)
    return (time.process_time() - started) / answers * 1e6, sent // answers


async def measure(body: bytes, rounds: int = ROUNDS, answers: int = ANSWERS) -> dict[str, tuple[float, int]]:
    """The lowest CPU µs per answer, and the bytes sent, of the floor and of each level."""
    variants: dict[str, ASGIApp] = {"no gzip layer": answering(body)}
    for level in LEVELS:
        variants[f"level {level}"] = GZipMiddleware(
            answering(body), minimum_size=GZIP_MINIMUM_BYTES, compresslevel=level
        )
    best: dict[str, tuple[float, int]] = {}
    for _ in range(rounds):
        for name, app in variants.items():
            cpu, size = await cpu_per_answer(app, answers)
            if name not in best or cpu < best[name][0]:
                best[name] = (cpu, size)
    return best


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.gzip_levels", description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS, help=f"alternating rounds (default {ROUNDS})")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    machine, started_load = describe_machine(), load_average()
    body = page_body()
    best = asyncio.run(measure(body, rounds=args.rounds))
    print(run_header(machine, started_load))
    print(f"a page of 20 tasks: {len(body)} bytes of JSON; the app compresses at level {GZIP_LEVEL}")
    print(f"{'':14} {'CPU µs per answer':>17} {'bytes sent':>10}")
    for name, (cpu, size) in best.items():
        print(f"{name:14} {cpu:17.1f} {size:10}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
