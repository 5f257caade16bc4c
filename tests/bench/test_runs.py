"""The benchmarks' shared measuring: medians and spreads of fresh-process samples."""

from __future__ import annotations

import sys

from bench.runs import Sample, measure, median_sample, spread


def test_the_median_sample_takes_each_field_on_its_own() -> None:
    samples = [Sample(wall_seconds=s, peak_rss_mib=100 - s) for s in (3.0, 1.0, 2.0)]

    assert median_sample(samples) == Sample(wall_seconds=2.0, peak_rss_mib=98.0)


def test_the_spread_is_the_fastest_and_slowest_wall_time() -> None:
    samples = [Sample(wall_seconds=s, peak_rss_mib=1.0) for s in (1.234, 0.5, 2.0)]

    assert spread(samples) == "0.50-2.00"


def test_a_measured_process_reports_its_own_peak_memory() -> None:
    small = measure([sys.executable, "-c", "pass"])
    large = measure(
        [
            sys.executable,
            "-c",
            "block = bytearray(200 * 1024 * 1024); block[::4096] = b'x' * len(block[::4096])",
        ]
    )

    # The small child's figure also holds this test process's memory (folded in at exec), hence a bound
    # rather than a difference.
    assert small.peak_rss_mib < 200 <= large.peak_rss_mib
