from __future__ import annotations

import pytest

from app.web.rate_limit_windows import LocalWindow


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_each_client_is_counted_on_its_own() -> None:
    window = LocalWindow(limit=2, window_seconds=60)
    assert [window.hit("a").allowed for _ in range(3)] == [True, True, False]
    assert window.hit("b").allowed


def test_remaining_and_reset_describe_the_window() -> None:
    clock = FakeClock()
    window = LocalWindow(limit=3, window_seconds=60, clock=clock)
    window.hit("a")
    clock.now += 20
    state = window.hit("a")
    assert (state.count, state.remaining, state.reset_seconds) == (2, 1, 40)


def test_a_new_window_starts_once_the_old_one_ends() -> None:
    clock = FakeClock()
    window = LocalWindow(limit=1, window_seconds=60, clock=clock)
    window.hit("a")
    assert not window.hit("a").allowed
    clock.now += 60
    assert window.hit("a").allowed


def test_memory_stays_bounded_however_many_clients_appear(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(LocalWindow, "SWEEP_THRESHOLD", 10)
    monkeypatch.setattr(LocalWindow, "MAX_CLIENTS", 20)
    clock = FakeClock()
    window = LocalWindow(limit=5, window_seconds=60, clock=clock)
    for number in range(500):
        window.hit(f"10.0.{number // 256}.{number % 256}")
    assert len(window) <= 20
    clock.now += 61
    window.hit("late")
    assert len(window) <= 20
