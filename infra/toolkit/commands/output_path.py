"""Check an output path before the work that fills it, so a typo costs a second, not a whole preview."""

from __future__ import annotations

from pathlib import Path

from infra.toolkit.errors import ToolkitError


def check_writable(path: Path) -> None:
    """Raise a one-line ToolkitError unless `path` can be written (its directories are created)."""
    if path.is_dir():
        raise ToolkitError(f"cannot write {path}: a directory, not a file")
    existing = next(parent for parent in path.parents if parent.exists())
    if not existing.is_dir():
        raise ToolkitError(f"cannot write {path}: {existing} is a file, not a directory")
    existed = path.exists()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8"):
            pass
    except OSError as error:
        raise ToolkitError(f"cannot write {path}: {error.strerror or error}") from None
    if not existed:
        path.unlink()  # only probed: a failed run must not leave an empty file behind


def write_text(path: Path, text: str) -> None:
    """Write `text` to `path`, creating its directories; a one-line ToolkitError when that fails."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise ToolkitError(f"cannot write {path}: {error.strerror or error}") from None
