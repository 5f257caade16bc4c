"""What several bench tests compare against, measured once for the session."""

from __future__ import annotations

import pytest

from bench.asgi_driver import PROFILE
from bench.fresh_runs import run_hotpath


@pytest.fixture(scope="session")
def shipped_profile_calls() -> int:
    """Python calls per cached profile read as shipped, from one fresh bench.hotpath process."""
    return run_hotpath(["--route", PROFILE], requests=64)[0]
