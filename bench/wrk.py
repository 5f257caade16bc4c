"""One wrk run per scenario, its Lua script generated, its figures read back as JSON."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from os import getloadavg
from pathlib import Path

from bench.callers import ACCEPT_ENCODING
from bench.processes import BenchError, require_binary

RESULT_MARKER = "BENCH_RESULT "

# wrk calls done() once with the merged statistics of all threads; latency is in microseconds.
_DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '%s{"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"non_2xx":%d,"socket_errors":%d}\\n',
    "{marker}", summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
"""


@dataclass(frozen=True)
class Scenario:
    name: str
    path: str
    method: str = "GET"
    body: str | None = None
    token: str | None = None
    origin: str | None = None  # a browser's cross-origin call

    def lua(self) -> str:
        # Long brackets quote the token and JSON body without any escaping.
        lines = [f"wrk.method = [[{self.method}]]", f'wrk.headers["Accept-Encoding"] = "{ACCEPT_ENCODING}"']
        if self.body is not None:
            lines += [f"wrk.body = [[{self.body}]]", 'wrk.headers["Content-Type"] = "application/json"']
        if self.token is not None:
            lines.append(f'wrk.headers["Authorization"] = [[Bearer {self.token}]]')
        if self.origin is not None:
            lines.append(f'wrk.headers["Origin"] = [[{self.origin}]]')
        return "\n".join(lines) + _DONE.replace("{marker}", RESULT_MARKER)


@dataclass(frozen=True)
class Result:
    scenario: Scenario
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx: int
    socket_errors: int
    load_before: float
    # The server's CPU time per request answered, where the caller measured it.
    cpu_us_per_request: float | None = None


@dataclass(frozen=True)
class Measured:
    """Every run of one scenario; the run with the median req/s stands for them."""

    runs: list[Result]

    @property
    def median(self) -> Result:
        ordered = sorted(self.runs, key=lambda result: result.requests_per_second)
        return ordered[(len(ordered) - 1) // 2]

    @property
    def scenario(self) -> Scenario:
        return self.runs[0].scenario

    @property
    def rps_range(self) -> tuple[float, float]:
        rates = [result.requests_per_second for result in self.runs]
        return min(rates), max(rates)

    @property
    def p99_range(self) -> tuple[float, float]:
        tails = [result.p99_ms for result in self.runs]
        return min(tails), max(tails)

    @property
    def non_2xx(self) -> int:
        return sum(result.non_2xx for result in self.runs)

    @property
    def socket_errors(self) -> int:
        return sum(result.socket_errors for result in self.runs)


def run_wrk(
    base_url: str, scenario: Scenario, script_dir: Path, *, threads: int, connections: int, seconds: int
) -> Result:
    wrk = require_binary("wrk", "wrk")
    load_before = getloadavg()[0]
    script = script_dir / f"{scenario.name.replace(' ', '_').replace('/', '_')}.lua"
    script.write_text(scenario.lua())
    command = [wrk, "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "-s", str(script)]
    completed = subprocess.run(
        [*command, base_url + scenario.path], capture_output=True, text=True, check=False
    )
    lines = [line for line in completed.stdout.splitlines() if line.startswith(RESULT_MARKER)]
    if completed.returncode != 0 or not lines:
        raise BenchError(f"wrk failed for {scenario.name}:\n{completed.stdout}\n{completed.stderr}")
    figures = json.loads(lines[-1].removeprefix(RESULT_MARKER))
    return Result(
        scenario=scenario,
        requests_per_second=figures["requests"] / (figures["duration_us"] / 1e6),
        p50_ms=figures["p50_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000,
        requests=figures["requests"],
        non_2xx=figures["non_2xx"],
        socket_errors=figures["socket_errors"],
        load_before=load_before,
    )
