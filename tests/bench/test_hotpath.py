"""bench.hotpath builds the app as deployed, and a --set value wins over what the benchmark deploys."""

from __future__ import annotations

from bench.asgi_driver import PROFILE
from bench.fresh_runs import run_hotpath


def test_a_set_value_overrides_a_deployed_setting(shipped_profile_calls: int) -> None:
    # No allowed origin: the browser app's Origin gets no CORS headers written into the answer.
    without_origins, _ = run_hotpath(["--route", PROFILE, "--set", "cors_origins="], requests=64)
    assert without_origins < shipped_profile_calls
