"""The command line: every subcommand registered, and mistakes are one line with exit code 2."""

from __future__ import annotations

import pytest

from infra.toolkit.cli import build_parser, main


def test_preview_and_diff_are_registered() -> None:
    help_text = build_parser().format_help()

    assert "preview" in help_text
    assert "diff" in help_text


def test_an_unknown_subcommand_is_one_line_and_exit_code_two(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["previwe"])

    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "invalid choice: 'previwe'" in err


def test_a_missing_argument_is_one_line_and_exit_code_two(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["diff"])

    assert exited.value.code == 2
    assert capsys.readouterr().err.count("\n") == 1
