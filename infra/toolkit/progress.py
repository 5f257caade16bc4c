"""What a long-running command shows on stderr while it works; stdout is never touched.

Three modes, chosen once per command by `choose_mode`:

- "live": stderr is a terminal; a rich status line shows the phase and, while the program runs, the
  count of resources registered so far ("prod: running the program — 87 resources").
- "plain": asked for (`--progress plain`) or in CI (the environment sets `CI=true`, as GitHub Actions
  does); one line per finished phase with its duration, so a CI log is never silent for a whole preview.
- "off": stderr is not a terminal and nobody asked, or `--quiet`: nothing at all.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

Mode = Literal["live", "plain", "off"]
Counter = Callable[[], int]

PROGRESS_CHOICES = ("auto", "plain", "off")
"""The values of `--progress`: auto (live on a terminal, plain lines in CI, else nothing), plain, off."""


def choose_mode(requested: str, *, quiet: bool, stderr_is_terminal: bool, environ: Mapping[str, str]) -> Mode:
    """The progress mode for `--progress requested` and `--quiet`, on this stderr, in this environment."""
    if quiet or requested == "off":
        return "off"
    if requested == "plain":
        return "plain"
    if stderr_is_terminal:
        return "live"
    return "plain" if environ.get("CI", "").lower() == "true" else "off"


def _describe(label: str, count: Counter | None) -> str:
    if count is None:
        return label
    total = count()
    return f"{label} — {total} resource{'' if total == 1 else 's'}"


class _LiveLabel:
    """Re-read at every refresh of the status, so the count moves while the program registers."""

    def __init__(self, label: str, count: Counter | None) -> None:
        self.label, self.count = label, count

    def __rich__(self) -> Text:
        from rich.text import Text

        return Text(_describe(self.label, self.count))


class Progress:
    """Phases of work reported on stderr in one of the modes above."""

    def __init__(self, mode: Mode, console: Console | None = None) -> None:
        self.mode = mode
        self._console = console

    @classmethod
    def off(cls) -> Progress:
        """Reports nothing (library callers and tests that do not ask)."""
        return cls("off")

    @property
    def console(self) -> Console:
        """The stderr console progress writes to."""
        if self._console is None:
            from rich.console import Console

            self._console = Console(stderr=True)
        return self._console

    @contextmanager
    def phase(self, label: str, count: Counter | None = None) -> Iterator[None]:
        """Report `label` (and `count()` of resources, when given) for the duration of the block."""
        if self.mode == "off":
            yield
            return
        started = time.perf_counter()
        if self.mode == "live":
            with self.console.status(_LiveLabel(label, count)):
                yield
            return
        yield
        elapsed = time.perf_counter() - started
        # Plain text, no markup, colour or wrapping: CI logs keep it verbatim.
        print(f"{_describe(label, count)} ({elapsed:.1f} s)", file=self.console.file, flush=True)
