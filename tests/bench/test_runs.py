"""The benchmarks' shared measuring: medians and spreads of fresh-process samples."""

from __future__ import annotations

import subprocess
import sys

from bench.runs import Sample, median_sample, spread
from tests.infra.toolkit.conftest import REPOSITORY


def test_the_median_sample_takes_each_field_on_its_own() -> None:
    samples = [Sample(wall_seconds=s, peak_rss_mib=100 - s) for s in (3.0, 1.0, 2.0)]

    assert median_sample(samples) == Sample(wall_seconds=2.0, peak_rss_mib=98.0)


def test_the_spread_is_the_fastest_and_slowest_wall_time() -> None:
    samples = [Sample(wall_seconds=s, peak_rss_mib=1.0) for s in (1.234, 0.5, 2.0)]

    assert spread(samples) == "0.50-2.00"


_MEASURE_TWO = """
import sys
from bench.runs import measure
small = measure([sys.executable, "-c", "pass"])
touch_200_mib = "block = bytearray(200 << 20); block[::4096] = bytes(len(block[::4096]))"
large = measure([sys.executable, "-c", touch_200_mib])
print(small.peak_rss_mib, large.peak_rss_mib)
"""


def test_a_measured_process_reports_its_own_peak_memory() -> None:
    # Measured from a small process of its own: Linux starts a child's peak RSS at its parent's size,
    # and this test process may be far larger than the 200 MiB child.
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE_TWO], cwd=REPOSITORY, capture_output=True, text=True, check=True
    )
    small, large = (float(figure) for figure in done.stdout.split())

    assert small < 100
    assert large >= 200
