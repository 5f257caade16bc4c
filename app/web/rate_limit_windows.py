"""Fixed-window request counters: one in Redis shared by every process, one per process for fallback.

A fixed window (count per key, reset when the key expires) is what the guide's express-rate-limit
with rate-limit-redis does, so clients see the same headers and reset behaviour as before.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from redis.asyncio import Redis
from redis.exceptions import NoScriptError

KEY_PREFIX = "taskapi:ratelimit:"

# Increment and read the expiry in one step on the server, so concurrent workers never race between
# INCR and PEXPIRE; a key left without expiry (e.g. by a crash between commands elsewhere) is repaired.
_HIT_SCRIPT = """
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
"""
_HIT_SCRIPT_SHA = hashlib.sha1(_HIT_SCRIPT.encode(), usedforsecurity=False).hexdigest()


@dataclass(frozen=True, slots=True)
class WindowState:
    """Where a client stands after one more request."""

    count: int
    limit: int
    reset_seconds: int

    @property
    def allowed(self) -> bool:
        return self.count <= self.limit

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.count)


class RedisWindow:
    def __init__(self, limit: int, window_seconds: int) -> None:
        self.limit = limit
        self._window_ms = window_seconds * 1000

    async def hit(self, client: Redis, key: str) -> WindowState:
        """Count one request for ``key``; raises the client's errors when Redis is unreachable."""
        full_key = KEY_PREFIX + key
        try:
            count, ttl_ms = await client.evalsha(_HIT_SCRIPT_SHA, 1, full_key, self._window_ms)
        except NoScriptError:
            # First use on this server (or after a restart): EVAL runs it and caches it for EVALSHA.
            count, ttl_ms = await client.eval(_HIT_SCRIPT, 1, full_key, self._window_ms)
        return WindowState(int(count), self.limit, max(1, math.ceil(int(ttl_ms) / 1000)))


class LocalWindow:
    """The same counting in this process's memory: the limit when Redis is absent or down."""

    # Beyond this many clients, expired windows are swept; past MAX_CLIENTS live ones, the oldest are
    # dropped (those clients start a fresh window), so memory stays bounded whatever the traffic.
    SWEEP_THRESHOLD = 10_000
    MAX_CLIENTS = 100_000

    def __init__(self, limit: int, window_seconds: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self._window = float(window_seconds)
        self._clock = clock
        self._windows: dict[str, tuple[float, int]] = {}

    def __len__(self) -> int:
        return len(self._windows)

    def hit(self, key: str) -> WindowState:
        now = self._clock()
        ends_at, count = self._windows.pop(key, (0.0, 0))
        if ends_at <= now:
            if len(self._windows) >= self.SWEEP_THRESHOLD:
                self._sweep(now)
            ends_at, count = now + self._window, 0
        count += 1
        # Re-inserted last, so the dict stays ordered from least to most recently seen.
        self._windows[key] = (ends_at, count)
        return WindowState(count, self.limit, max(1, math.ceil(ends_at - now)))

    def _sweep(self, now: float) -> None:
        live = [(key, entry) for key, entry in self._windows.items() if entry[0] > now]
        self._windows = dict(live[-(self.MAX_CLIENTS - 1) :])
