"""Secret settings read from the file a ``<NAME>_FILE`` variable names, as the official database images do.

A mounted Secret keeps its values out of the process environment, where ``/proc/<pid>/environ``, crash
dumps and child processes would expose them. The plain variables still work for local runs; naming both
is refused, so a deployment never silently prefers one of two values.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

FILE_SUFFIX = "_FILE"


class SecretFileError(ValueError):
    """A ``<NAME>_FILE`` variable that cannot be honoured; the message names the variable and the path,
    never the file's content."""


def read_secret_file(variable: str, path: str) -> str:
    """The file's text without its trailing line break (editors and `echo` add one)."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise SecretFileError(f"{variable}={path}: cannot read the file ({reason})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        # The decoder's own message quotes a byte of the content.
        raise SecretFileError(f"{variable}={path}: the file is not UTF-8 text") from None
    value = text.rstrip("\r\n")
    if not value:
        raise SecretFileError(f"{variable}={path}: the file is empty")
    return value


def secret_values(field_names: tuple[str, ...], environ: Mapping[str, str]) -> dict[str, str]:
    """The value of each field whose ``<NAME>_FILE`` variable is set (names matched case-insensitively,
    like the settings themselves; empty variables count as unset)."""
    present = {key.upper(): value for key, value in environ.items() if value}
    values: dict[str, str] = {}
    for field_name in field_names:
        name = field_name.upper()
        variable = name + FILE_SUFFIX
        path = present.get(variable)
        if path is None:
            continue
        if name in present:
            raise SecretFileError(f"{name} and {variable} are both set: set only one of them")
        values[field_name] = read_secret_file(variable, path)
    return values


class SecretFilesSource(PydanticBaseSettingsSource):
    """Settings source for the secret fields, ahead of the plain environment."""

    def __init__(self, settings_cls: type[BaseSettings], field_names: tuple[str, ...]) -> None:
        super().__init__(settings_cls)
        self._field_names = field_names

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        # Unused: __call__ reads every field at once, so that a conflict is found before any value is used.
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        return secret_values(self._field_names, os.environ)
