"""The preview benchmarks' shared start: `--runs` and `--stack`, then the machine they measure on."""

from __future__ import annotations

import platform
import re
import subprocess
import sys

import pytest

from bench.preview import Sample, median, start
from tests.infra.toolkit.conftest import REPOSITORY


def test_the_header_names_the_machine_the_date_the_load_and_the_runs(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = start("Title.\n\nBody.", runs=3, runs_help="each case", per="case", argv=["--runs", "7"])

    machine, date, blank, end = capsys.readouterr().out.split("\n")
    assert (args.runs, args.stack) == (7, "prod")
    assert re.fullmatch(
        rf"machine: \d+ CPUs, .+; memory .+; Python {re.escape(platform.python_version())}", machine
    )
    assert re.fullmatch(
        r"date: \d{4}-\d\d-\d\d \d\d:\d\d UTC; load average \d+\.\d\d at start; 7 runs per case", date
    )
    assert (blank, end) == ("", "")


def test_the_defaults_are_the_callers(capsys: pytest.CaptureFixture[str]) -> None:
    args = start(None, runs=5, runs_help="each command per mode", per="mode", argv=["--stack", "dev"])

    assert (args.runs, args.stack) == (5, "dev")
    assert "; 5 runs per mode\n" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("module", "first_line", "runs_help"),
    [
        ("bench.preview", "Benchmark `primetradeai preview --stack prod` against", "each command per mode"),
        ("bench.preview_cache", "Benchmark `uv run primetradeai preview --stack prod` served", "each case"),
    ],
)
def test_each_benchmark_describes_itself_from_its_docstring(
    module: str, first_line: str, runs_help: str
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", module, "--help"], cwd=REPOSITORY, capture_output=True, text=True, check=True
    )

    assert first_line in done.stdout
    assert f"measurements of {runs_help}" in " ".join(done.stdout.split())
    assert "--stack STACK" in done.stdout


def test_the_median_reads_the_field_named() -> None:
    samples = [Sample(wall_seconds=s, peak_rss_mib=100 - s) for s in (3.0, 1.0, 2.0)]

    assert (median(samples, "wall_seconds"), median(samples, "peak_rss_mib")) == (2.0, 98.0)
