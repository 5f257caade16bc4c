"""Progress on stderr: live on a terminal, timed plain lines when asked or in CI, otherwise nothing."""

from __future__ import annotations

import io
import re
import threading

import pytest
from rich.console import Console

from infra.toolkit.progress import Progress, choose_mode


@pytest.mark.parametrize(
    ("requested", "quiet", "terminal", "environ", "expected"),
    [
        ("auto", False, False, {}, "off"),
        ("auto", False, False, {"CI": "true"}, "plain"),
        ("auto", False, False, {"CI": "false"}, "off"),
        ("auto", False, True, {}, "live"),
        ("auto", False, True, {"CI": "true"}, "live"),
        ("plain", False, False, {}, "plain"),
        ("plain", False, True, {}, "plain"),
        ("off", False, True, {"CI": "true"}, "off"),
        ("auto", True, True, {"CI": "true"}, "off"),
        ("plain", True, False, {}, "off"),
    ],
)
def test_the_mode_follows_the_terminal_ci_and_the_options(
    requested: str, quiet: bool, terminal: bool, environ: dict[str, str], expected: str
) -> None:
    assert choose_mode(requested, quiet=quiet, stderr_is_terminal=terminal, environ=environ) == expected


def test_plain_mode_prints_one_line_per_phase_with_its_duration_and_count() -> None:
    stream = io.StringIO()
    progress = Progress("plain", Console(file=stream))

    with progress.phase("prod: running the program", lambda: 87):
        pass
    with progress.phase("prod: writing the plan"):
        pass

    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    assert re.fullmatch(r"prod: running the program — 87 resources \(\d+\.\d s\)", lines[0])
    assert re.fullmatch(r"prod: writing the plan \(\d+\.\d s\)", lines[1])


def test_a_failed_phase_prints_no_duration_and_lets_the_error_through() -> None:
    stream = io.StringIO()

    with pytest.raises(ValueError, match="boom"), Progress("plain", Console(file=stream)).phase("dev: x"):
        raise ValueError("boom")

    assert stream.getvalue() == ""


def test_off_mode_prints_nothing() -> None:
    stream = io.StringIO()

    with Progress("off", Console(file=stream)).phase("prod: running the program", lambda: 3):
        pass

    assert stream.getvalue() == ""


def _wait_for(text: str, stream: io.StringIO) -> bool:
    """Whether `text` reaches the stream; bounded so a status that never refreshes fails, not hangs."""
    pause = threading.Event()
    for _ in range(200):
        if text in stream.getvalue():
            return True
        pause.wait(0.05)
    return False


def test_a_terminal_shows_the_live_resource_count_as_it_grows() -> None:
    stream = io.StringIO()
    console = Console(file=stream, force_terminal=True, width=100)
    registered = [0]

    with Progress("live", console).phase("prod: running the program", lambda: registered[0]):
        saw_none = _wait_for("prod: running the program — 0 resources", stream)
        registered[0] = 87  # the program registers while the status refreshes on its own thread
        saw_count = _wait_for("prod: running the program — 87 resources", stream)

    assert saw_none, stream.getvalue()
    assert saw_count, stream.getvalue()
