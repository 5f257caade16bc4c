"""Run `primetradeai` in-process and collect what a user would see: exit code, stdout, stderr."""

from __future__ import annotations

import pytest

from infra.toolkit.cli import main


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """The exit code (a SystemExit counts), stdout and stderr of one command."""
    try:
        code = main(args)
    except SystemExit as exited:
        code = int(exited.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err
