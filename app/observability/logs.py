"""JSON log lines on stdout, each carrying the request id of the request that wrote it."""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import orjson

from app.observability.request_id import request_id_var

# Attributes every LogRecord has; anything else was passed through ``extra=`` and belongs in the line.
# color_message is uvicorn's terminal variant of the message.
_STANDARD_ATTRS = frozenset(vars(logging.makeLogRecord({}))) | {
    "message",
    "asctime",
    "taskName",
    "requestId",
    "color_message",
}


def json_line(
    created: float, level: str, logger: str, message: str, request_id: str | None, fields: Mapping[str, Any]
) -> str:
    """One log line: the common keys first, then the line's own fields."""
    line: dict[str, Any] = {
        "time": datetime.fromtimestamp(created, UTC).isoformat(timespec="milliseconds"),
        "level": level,
        "logger": logger,
        "message": message,
        "requestId": request_id,
        **fields,
    }
    return orjson.dumps(line, default=str).decode()


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        fields = {
            key: value
            for key, value in vars(record).items()
            if key not in _STANDARD_ATTRS and not key.startswith("_")
        }
        if record.exc_info:
            fields["exception"] = self.formatException(record.exc_info)
        return json_line(
            record.created,
            record.levelname.lower(),
            record.name,
            record.getMessage(),
            getattr(record, "requestId", None),
            fields,
        )


class JsonHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stdout`` is at the time of each line.

    Holding on to the stream it was created with breaks when that stream is replaced and closed
    (test runners capture output that way); the class also marks the handler this module installs,
    so reconfiguring replaces it and leaves others alone.
    """

    def __init__(self, stream: object = None) -> None:
        super().__init__()

    @property
    def stream(self) -> Any:
        return sys.stdout

    @stream.setter
    def stream(self, _: object) -> None:
        pass


def _stamp_request_id(factory: Any) -> Any:
    if getattr(factory, "stamps_request_id", False):
        return factory

    def make_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record: logging.LogRecord = factory(*args, **kwargs)
        # Stamped when the record is made, i.e. inside the request's context, whoever formats it later.
        record.requestId = request_id_var.get()
        return record

    make_record.stamps_request_id = True  # type: ignore[attr-defined]
    return make_record


def configure_logging(level: str) -> None:
    """Route our loggers and uvicorn's through one JSON handler; idempotent for repeated app creation."""
    logging.setLogRecordFactory(_stamp_request_id(logging.getLogRecordFactory()))
    handler = JsonHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers = [existing for existing in root.handlers if not isinstance(existing, JsonHandler)]
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error"):
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers = []
        uvicorn_logger.propagate = True
    # The app's own access line replaces uvicorn's, which would lack the request id.
    logging.getLogger("uvicorn.access").disabled = True


def uvicorn_log_config(level: str) -> dict[str, Any]:
    """Handed to uvicorn so its own lines (startup, shutdown) are JSON from the first one."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {
            "stdout": {
                "class": "app.observability.logs.JsonHandler",
                "formatter": "json",
                "stream": "ext://sys.stdout",
            }
        },
        "root": {"handlers": ["stdout"], "level": level.upper()},
        "loggers": {
            "uvicorn": {"handlers": [], "propagate": True},
            "uvicorn.error": {"handlers": [], "propagate": True},
            "uvicorn.access": {"handlers": [], "propagate": False},
        },
    }
