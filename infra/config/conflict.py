"""An impossible combination, reported against the one key that has to change."""

from __future__ import annotations


class ConfigConflictError(ValueError):
    """Raised inside a model validator; `key` is the camelCase key (dotted below the section) to name."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key
        self.message = message
