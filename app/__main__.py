"""``python -m app``: run the API with uvicorn; no external service needed (see README)."""

from __future__ import annotations

import argparse
import contextlib
import logging
import logging.config
import os
import signal
import sys
import tempfile
from collections.abc import Sequence
from types import FrameType

import uvicorn
from pydantic import ValidationError

from app.db.embedded_mongodb import IN_MEMORY, STORAGE_ENV, EmbeddedMongoDBError, describe, embedded_mongodb
from app.observability.logs import uvicorn_log_config
from app.observability.metrics import MULTIPROC_ENV, serve_metrics
from app.secret_files import SecretFileError
from app.settings import Settings

# Below Kubernetes' default 30 s grace period, so in-flight requests finish before SIGKILL.
GRACEFUL_SHUTDOWN_SECONDS = 25
# Longer than the load balancer's idle timeout (60 s on AWS load balancers and ingress-nginx), so the
# proxy, not the API, closes idle connections: otherwise it may reuse one the API just closed (a 502).
KEEP_ALIVE_SECONDS = 75
# Where the embedded MongoDB server keeps its data when MONGODB_URI is not set (gitignored).
DEFAULT_DATA_DIR = ".taskapi-data"

logger = logging.getLogger("app.main")


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m app", description="Run the primetradeai task API.")
    parser.add_argument("--workers", type=int, help="worker processes (default: $WEB_CONCURRENCY or 1)")
    parser.add_argument("--port", type=int, help="listen port (default: $PORT or 8000)")
    parser.add_argument("--host", help="listen address (default: $HOST or 127.0.0.1)")
    store = parser.add_mutually_exclusive_group()
    store.add_argument(
        "--data-dir",
        default=DEFAULT_DATA_DIR,
        help=f"without MONGODB_URI: the embedded MongoDB server's data (default: ./{DEFAULT_DATA_DIR})",
    )
    store.add_argument(
        "--ephemeral",
        action="store_true",
        help="without MONGODB_URI: keep the embedded MongoDB server's data in memory only",
    )
    return parser.parse_args(argv)


def _explain(error: ValidationError) -> str:
    lines = ["The task API cannot start: its configuration is invalid."]
    for problem in error.errors():
        variable = ".".join(str(part) for part in problem["loc"]).upper()
        message = problem["msg"].removeprefix("Value error, ")
        lines.append(f"  {variable}: {message}" if variable else f"  {message}")
    return "\n".join(lines)


APP_FACTORY = "app.main:create_app"


def main(argv: Sequence[str] | None = None, app_factory: str = APP_FACTORY) -> int:
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
    host = args.host if args.host is not None else settings.host
    port = args.port if args.port is not None else settings.port
    if settings.metrics_port == port:
        print(f"The task API cannot start: METRICS_PORT and PORT are both {port}.", file=sys.stderr)
        return 2
    if workers > 1 and not os.environ.get(MULTIPROC_ENV):
        # Workers inherit the environment, so they all write their metrics to this one directory.
        os.environ[MULTIPROC_ENV] = tempfile.mkdtemp(prefix="taskapi-metrics-", dir="/tmp")
    # The parent's own lines (the embedded server below) come out as the workers' do.
    logging.config.dictConfig(uvicorn_log_config(settings.log_level))
    try:
        serve_metrics(host, settings.metrics_port)
    except OSError as error:
        print(
            f"The task API cannot start: METRICS_PORT {settings.metrics_port}: {error.strerror}",
            file=sys.stderr,
        )
        return 1
    try:
        return _run(args, settings, workers, host, port, app_factory)
    except _TerminatedError:
        # The embedded server has stopped: now end the way SIGTERM ends a process.
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.raise_signal(signal.SIGTERM)
        return 0  # not reached


class _TerminatedError(Exception):
    """SIGTERM, raised as an exception so that the embedded MongoDB server is stopped on the way out."""


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise _TerminatedError


def _run(
    args: argparse.Namespace, settings: Settings, workers: int, host: str, port: int, app_factory: str
) -> int:
    with contextlib.ExitStack() as stack:
        if settings.mongodb_uri is None:
            # uvicorn ends a clean shutdown by raising SIGTERM again, which under the default handler
            # ends the process before the embedded server has closed its files (its last writes lost).
            signal.signal(signal.SIGTERM, _raise_terminated)
            # Started here, before uvicorn spawns the workers: they all reach this one server.
            storage = IN_MEMORY if args.ephemeral else os.path.abspath(args.data_dir)
            try:
                uri = stack.enter_context(embedded_mongodb(storage))
            except EmbeddedMongoDBError as error:
                print(f"The task API cannot start: {error}", file=sys.stderr)
                return 1
            os.environ.update({"MONGODB_URI": uri, STORAGE_ENV: storage})  # the workers inherit both
            logger.warning(
                f"MONGODB_URI is not set: started an embedded MongoDB server (SecantusDB) for this run, "
                f"data {describe(storage)}. Development only.",
                extra={"uri": uri, "workers": workers},
            )
        _serve(settings, workers, host, port, app_factory)
    return 0


def _serve(settings: Settings, workers: int, host: str, port: int, app_factory: str) -> None:
    uvicorn.run(
        app_factory,
        factory=True,
        host=host,
        port=port,
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
