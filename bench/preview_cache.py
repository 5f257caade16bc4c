"""Benchmark `uv run primetradeai preview --stack prod` served from the content cache against a fresh run.

Each measurement is a fresh process started the way a developer or CI starts it (`uv run primetradeai
...` from the repository), wall time from start to exit and peak RSS from the kernel's rusage:

- "miss": an empty cache folder: the program runs, the key is computed and the entry stored;
- "hit": the entry of the run before is in the folder: the key is computed and the plan read back;
- "--no-cache": the program runs, no key, nothing stored (what the command cost before the cache);
- "floor": `uv run primetradeai --help`, the cost of starting the CLI at all.

Bytecode is as the calling shell has it (this machine's sets PYTHONDONTWRITEBYTECODE=1, so every process
compiles from source); the line "bytecode:" says which.

The three are interleaved so all see the same machine load. Every hit's plan file is checked byte for
byte against the miss's. The in-process cost of the key alone (hashing the inputs, no SDK imported) is
measured too.

    uv run python -m bench.preview_cache [--runs 3] [--stack prod]
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench.preview import REPO_ROOT, Sample, measure, median, start
from infra.toolkit.preview_cache import input_files, preview_key

TARGET_HIT_SECONDS = 1.0


def _key_seconds(stack: str, repeats: int = 5) -> tuple[float, int]:
    """Median in-process seconds to compute the key, and how many files it reads."""
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        preview_key(stack, REPO_ROOT)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), len(input_files(stack, REPO_ROOT))


def main() -> int:
    args = start(__doc__, runs=3, runs_help="measurements of each case", per="case")

    env = {name: value for name, value in os.environ.items() if name != "PRIMETRADEAI_PREVIEW_CACHE_DIR"}
    samples: dict[str, list[Sample]] = {"miss": [], "hit": [], "--no-cache": [], "floor (--help)": []}
    with tempfile.TemporaryDirectory(prefix="bench-preview-cache-") as tmp:
        work = Path(tmp)
        cache, miss_plan, hit_plan = work / "cache", work / "miss.json", work / "hit.json"

        def command(out: Path, *options: str) -> list[str]:
            return [
                "uv",
                "run",
                "primetradeai",
                "preview",
                "--stack",
                args.stack,
                "--out",
                str(out),
                *options,
            ]

        measure(command(work / "warm-up.json", "--no-cache"), env)  # page cache (and bytecode, if written)
        for _ in range(args.runs):
            shutil.rmtree(cache, ignore_errors=True)
            samples["miss"].append(measure(command(miss_plan, "--cache-dir", str(cache)), env))
            samples["hit"].append(measure(command(hit_plan, "--cache-dir", str(cache)), env))
            if hit_plan.read_bytes() != miss_plan.read_bytes():
                raise SystemExit("the hit's plan differs from the fresh run's")
            samples["--no-cache"].append(measure(command(work / "plain.json", "--no-cache"), env))
            samples["floor (--help)"].append(measure(["uv", "run", "primetradeai", "--help"], env))
        entry_kib = sum(path.stat().st_size for path in cache.glob("*.json")) / 1024

    key_seconds, key_files = _key_seconds(args.stack)
    print(
        "| `uv run primetradeai preview --stack prod` | wall (s), median | wall (s), range | peak RSS (MiB) |"
    )
    print("|---|---:|---:|---:|")
    for case, runs in samples.items():
        walls = [sample.wall_seconds for sample in runs]
        print(
            f"| {case} | {median(runs, 'wall_seconds'):.2f} | {min(walls):.2f}-{max(walls):.2f} |"
            f" {median(runs, 'peak_rss_mib'):.0f} |"
        )
    hit, miss = median(samples["hit"], "wall_seconds"), median(samples["miss"], "wall_seconds")
    print(f"\nhit / miss: {hit / miss:.3f} ({miss / hit:.1f}x faster); plans byte-identical in every run")
    print(f"key in-process: {key_seconds * 1000:.0f} ms over {key_files} files; entry {entry_kib:.0f} KiB")
    print(
        f"load average {os.getloadavg()[0]:.2f} at the end; target: a hit in about {TARGET_HIT_SECONDS:.0f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
