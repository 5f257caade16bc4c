"""Command tests see the environment a developer's shell has, whatever CI the suite itself runs in."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    # GitHub sets CI=true, which turns plain progress lines on; tests that want them set it themselves.
    monkeypatch.delenv("CI", raising=False)
