"""How much the preview cache keeps: its age and size limits, where they are set, and pruning.

Each store prunes the cache's folder: entries unused for longer than the age limit go, then the least
recently used until the folder is within its size limit (a hit renews an entry's time). The limits come
from `--cache-max-age-days` and `--cache-max-size`, else $PRIMETRADEAI_PREVIEW_CACHE_MAX_AGE_DAYS and
$PRIMETRADEAI_PREVIEW_CACHE_MAX_SIZE, else the defaults.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from infra.toolkit.errors import ToolkitError

MAX_AGE_ENV = "PRIMETRADEAI_PREVIEW_CACHE_MAX_AGE_DAYS"
MAX_SIZE_ENV = "PRIMETRADEAI_PREVIEW_CACHE_MAX_SIZE"
DEFAULT_MAX_AGE_DAYS = 30
DEFAULT_MAX_BYTES = 100 * 1024**2
"""About 500 entries of the prod stack (181 KiB each)."""

_SIZE = re.compile(r"(?P<number>[0-9]+)(?P<unit>[KMG]i?B?)?", re.IGNORECASE)
_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}


@dataclass(frozen=True)
class CacheLimits:
    """How much the cache keeps: entries unused for longer than `max_age_days` are removed, then the least
    recently used until the entries total at most `max_bytes` (the entry just stored always stays)."""

    max_age_days: int = DEFAULT_MAX_AGE_DAYS
    max_bytes: int = DEFAULT_MAX_BYTES


def _setting(
    option: str | None, flag: str, env_name: str, environ: Mapping[str, str]
) -> tuple[str, str] | None:
    """The value given for a setting and how to name it in an error: the flag first, then the variable."""
    if option is not None:
        return option, f"{flag} {option}"
    from_env = environ.get(env_name)
    return (from_env, f"${env_name}={from_env}") if from_env else None


def cache_limits(
    max_age_days: str | None, max_size: str | None, environ: Mapping[str, str] | None = None
) -> CacheLimits:
    """The limits `--cache-max-age-days` and `--cache-max-size` set, else their variables, else the
    defaults; a value that is not one is a ToolkitError naming the setting."""
    environ = os.environ if environ is None else environ
    limits = CacheLimits()
    age = _setting(max_age_days, "--cache-max-age-days", MAX_AGE_ENV, environ)
    if age is not None:
        value, name = age
        if not re.fullmatch(r"[0-9]+", value.strip()) or int(value) < 1:
            raise ToolkitError(f"{name}: give a whole number of days, at least 1")
        limits = replace(limits, max_age_days=int(value))
    size = _setting(max_size, "--cache-max-size", MAX_SIZE_ENV, environ)
    if size is not None:
        value, name = size
        match = _SIZE.fullmatch(value.strip())
        number = int(match["number"]) * _UNITS[(match["unit"] or "")[:1].upper()] if match else 0
        if number < 1:
            raise ToolkitError(f"{name}: give a size above 0, in bytes or with K, M or G (e.g. 500M)")
        limits = replace(limits, max_bytes=number)
    return limits


# An entry is named by its key (hex SHA-256), a write in progress by a dot, the key and `.tmp`: pruning
# removes only these, so a --cache-dir that holds other files never loses them.
_ENTRY_NAME = re.compile(r"[0-9a-f]{64}\.json")
_TEMPORARY_NAME = re.compile(r"\.[0-9a-f]{64}\..*\.tmp")


def prune_folder(directory: Path, limits: CacheLimits, keep: str | None = None) -> tuple[str, ...]:
    """Remove the cache's entries in `directory` (and writes left behind) unused for longer than the age
    limit, then the least recently used entries until all fit the size limit; `keep`'s entry stays whatever
    its size or age. Returns why something could not be removed (one line)."""
    keep_name = f"{keep}.json" if keep is not None else None
    oldest = time.time() - limits.max_age_days * 86400
    problems: list[str] = []
    entries: list[tuple[float, str, int]] = []
    for name, status in _files(directory):
        if name != keep_name and status.st_mtime < oldest:
            _remove(directory, name, problems)
        elif _ENTRY_NAME.fullmatch(name):
            entries.append((status.st_mtime, name, status.st_size))
    total = sum(size for _, _, size in entries)
    for _, name, size in sorted(entries):  # least recently used first
        if total <= limits.max_bytes:
            break
        if name != keep_name:
            _remove(directory, name, problems)
            total -= size
    return tuple(problems[:1])  # the rest fail for the same reason


def _files(directory: Path) -> list[tuple[str, os.stat_result]]:
    """The cache's own regular files in the folder (entries and writes in progress), with their stat."""
    found = []
    with contextlib.suppress(OSError), os.scandir(directory) as listing:
        for item in listing:
            if not (_ENTRY_NAME.fullmatch(item.name) or _TEMPORARY_NAME.fullmatch(item.name)):
                continue
            with contextlib.suppress(OSError):  # removed meanwhile by another preview
                status = item.stat(follow_symlinks=False)
                if stat.S_ISREG(status.st_mode):
                    found.append((item.name, status))
    return found


def _remove(directory: Path, name: str, problems: list[str]) -> None:
    try:
        (directory / name).unlink()
    except FileNotFoundError:  # another preview pruned it first
        pass
    except OSError as error:
        problems.append(f"{directory}: not pruned: {name}: {error.strerror or error}")
