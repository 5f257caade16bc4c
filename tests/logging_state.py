"""The process-wide logging settings an app's startup changes, saved and put back.

`create_app` routes every logger through its JSON handler on stdout at the app's level (as a worker
should); left in place, a later test's libraries (botocore, say) would print their INFO lines.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

# The loggers whose handlers, propagation and switch the app's logging setup rewires.
_REWIRED = ("uvicorn", "uvicorn.error", "uvicorn.access")


@dataclass(frozen=True)
class _LoggerState:
    handlers: tuple[logging.Handler, ...]
    level: int
    propagate: bool
    disabled: bool


@dataclass(frozen=True)
class LoggingState:
    record_factory: Callable[..., logging.LogRecord]
    loggers: dict[str, _LoggerState]


def _name(logger: logging.Logger) -> str:
    return "" if logger is logging.getLogger() else logger.name


def save() -> LoggingState:
    """What the root logger and the rewired loggers are now."""
    loggers = [logging.getLogger(), *(logging.getLogger(name) for name in _REWIRED)]
    return LoggingState(
        record_factory=logging.getLogRecordFactory(),
        loggers={
            _name(logger): _LoggerState(
                tuple(logger.handlers), logger.level, logger.propagate, logger.disabled
            )
            for logger in loggers
        },
    )


def restore(state: LoggingState) -> None:
    """Put the saved settings back."""
    logging.setLogRecordFactory(state.record_factory)
    for name, saved in state.loggers.items():
        logger = logging.getLogger(name or None)
        logger.handlers = list(saved.handlers)
        logger.setLevel(saved.level)
        logger.propagate = saved.propagate
        logger.disabled = saved.disabled
