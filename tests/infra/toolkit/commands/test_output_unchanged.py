"""diff, policy and cost print, byte for byte, what they printed before the speed work on large plans.

The plans in `unchanged/` are the dev and prod plans of `primetradeai preview` and a small pair of
bench.diff's synthetic plans; `unchanged/expected/<case>.out` holds the exit code and the stdout each
command gave on the code before that work (commit bf74d70), so a faster path that changes one character
of a report, or an exit code, fails here. Regenerate only for an intended change of output:
`uv run python -m tests.infra.toolkit.commands.test_output_unchanged`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from infra.toolkit.cli import main
from tests.infra.toolkit.commands.cli_run import run_cli

HERE = Path(__file__).parent / "unchanged"
EXPECTED = HERE / "expected"

CASES: dict[str, list[str]] = {
    "diff-dev-prod.md": ["diff", "dev.json", "prod.json"],
    "diff-dev-prod.json": ["diff", "dev.json", "prod.json", "--format", "json"],
    "diff-prod-dev-fail-on.md": ["diff", "prod.json", "dev.json", "--fail-on", "replace,delete"],
    "diff-synthetic.md": ["diff", "synthetic-base.json", "synthetic-head.json"],
    "diff-synthetic-trimmed.md": [
        *("diff", "synthetic-base.json", "synthetic-head.json", "--max-chars", "4000"),
    ],
    "diff-synthetic.json": ["diff", "synthetic-base.json", "synthetic-head.json", "--format", "json"],
    "diff-synthetic-urn.md": ["diff", "synthetic-head.json", "synthetic-base.json", "--match", "urn"],
    "policy-prod.txt": ["policy", "--plan", "prod.json", "--quiet"],
    "policy-prod.json": ["policy", "--plan", "prod.json", "--quiet", "--format", "json"],
    "policy-prod.sarif": ["policy", "--plan", "prod.json", "--quiet", "--format", "sarif"],
    "policy-dev.md": ["policy", "--plan", "dev.json", "--quiet", "--format", "markdown"],
    "policy-synthetic.txt": ["policy", "--plan", "synthetic-head.json", "--quiet"],
    "policy-synthetic.json": ["policy", "--plan", "synthetic-base.json", "--quiet", "--format", "json"],
    "cost-prod.txt": ["cost", "--plan", "prod.json", "--quiet"],
    "cost-dev-prod.md": [
        *("cost", "--plan", "prod.json", "--base", "dev.json", "--quiet", "--format", "markdown"),
    ],
    "cost-synthetic.json": ["cost", "--plan", "synthetic-head.json", "--quiet", "--format", "json"],
}


def _record(code: int, out: str) -> str:
    return f"exit {code}\n{out}"


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_command_prints_what_it_printed_before(
    case: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(HERE)  # relative names, so no temporary path reaches a report

    code, out, err = run_cli(CASES[case], capsys)

    assert code in (0, 1), err
    expected = (EXPECTED / case).read_text(encoding="utf-8")
    assert _record(code, out) == expected


def _regenerate() -> None:
    import contextlib
    import io
    import os

    EXPECTED.mkdir(exist_ok=True)
    os.chdir(HERE)
    for case, args in sorted(CASES.items()):
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            try:
                code = main(args)
            except SystemExit as exited:
                code = int(exited.code or 0)
        (EXPECTED / case).write_text(_record(code, buffer.getvalue()), encoding="utf-8")
        print(f"{case}: exit {code}, {len(buffer.getvalue())} characters", file=sys.stderr)


if __name__ == "__main__":
    _regenerate()
