"""The command line: every subcommand registered, and mistakes are one line with exit code 2."""

from __future__ import annotations

import pytest

from infra.toolkit.cli import main


def test_every_toolkit_command_is_registered(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("preview", "diff", "policy", "cost"):
        with pytest.raises(SystemExit) as exited:
            main([command, "--help"])

        assert exited.value.code == 0
        assert capsys.readouterr().out.startswith(f"usage: primetradeai {command} ")


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
