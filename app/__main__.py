"""``python -m app``: run the API with uvicorn; no external service needed (see README)."""

from __future__ import annotations

import argparse
import contextlib
import logging
import logging.config
import os
import sys
import tempfile
from collections.abc import Sequence

import uvicorn
from pydantic import ValidationError

from app.db.embedded_server import shared_embedded_store
from app.observability.logs import uvicorn_log_config
from app.observability.metrics import MULTIPROC_ENV
from app.secret_files import SecretFileError
from app.settings import Settings

# Below Kubernetes' default 30 s grace period, so in-flight requests finish before SIGKILL.
GRACEFUL_SHUTDOWN_SECONDS = 25
# Longer than the load balancer's idle timeout (60 s on AWS load balancers and ingress-nginx), so the
# proxy, not the API, closes idle connections: otherwise it may reuse one the API just closed (a 502).
KEEP_ALIVE_SECONDS = 75

logger = logging.getLogger("app.main")


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m app", description="Run the primetradeai task API.")
    parser.add_argument("--workers", type=int, help="worker processes (default: $WEB_CONCURRENCY or 1)")
    parser.add_argument("--port", type=int, help="listen port (default: $PORT or 8000)")
    # All interfaces: inside a container the port is only reachable through the pod's network.
    parser.add_argument("--host", default="0.0.0.0", help="listen address (default: 0.0.0.0)")  # noqa: S104
    return parser.parse_args(argv)


def _explain(error: ValidationError) -> str:
    lines = ["The task API cannot start: its configuration is invalid."]
    for problem in error.errors():
        variable = ".".join(str(part) for part in problem["loc"]).upper()
        message = problem["msg"].removeprefix("Value error, ")
        lines.append(f"  {variable}: {message}" if variable else f"  {message}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as error:
        print(_explain(error), file=sys.stderr)
        return 2
    except SecretFileError as error:
        print(f"The task API cannot start: {error}", file=sys.stderr)
        return 2
    workers = args.workers if args.workers is not None else settings.web_concurrency
    if workers < 1:
        print("The task API cannot start: --workers must be at least 1.", file=sys.stderr)
        return 2
    if workers > 1 and not os.environ.get(MULTIPROC_ENV):
        # Workers inherit the environment, so they all write their metrics to this one directory.
        os.environ[MULTIPROC_ENV] = tempfile.mkdtemp(prefix="taskapi-metrics-", dir="/tmp")
    # The parent's own lines (the store server below) come out as the workers' do.
    logging.config.dictConfig(uvicorn_log_config(settings.log_level))
    with contextlib.ExitStack() as stack:
        if workers > 1 and settings.mongodb_uri is None:
            # Each worker would otherwise keep its own in-memory copy: one store server serves them all.
            try:
                server = stack.enter_context(shared_embedded_store())
            except (OSError, RuntimeError) as error:
                print(
                    f"The task API cannot start: the embedded store server failed: {error}", file=sys.stderr
                )
                return 1
            os.environ.update(server.address.environment())  # the workers inherit it; the key is never logged
            logger.info(
                "embedded store server started for the workers",
                extra={"pid": server.pid, "socket": server.address.socket, "workers": workers},
            )
        _serve(args, settings, workers)
    return 0


def _serve(args: argparse.Namespace, settings: Settings, workers: int) -> None:
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=args.host,
        port=args.port if args.port is not None else settings.port,
        workers=workers,
        log_config=uvicorn_log_config(settings.log_level),
        access_log=False,  # the app writes its own access line, carrying the request id
        # The client address is worked out from X-Forwarded-For with TRUSTED_PROXY_HOPS, not by uvicorn.
        proxy_headers=False,
        server_header=False,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
    )


if __name__ == "__main__":
    sys.exit(main())
