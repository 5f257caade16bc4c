"""How much the preview cache keeps: entries unused for longer than the age limit go when one is stored,
then the least recently used over the size limit, and a bad limit is an error naming its setting."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from infra.toolkit.errors import ToolkitError
from infra.toolkit.preview.run import PreviewResult
from infra.toolkit.preview_cache import Entry, KeyInputs, PreviewCache, preview_key
from infra.toolkit.preview_cache_limits import MAX_AGE_ENV, MAX_SIZE_ENV, CacheLimits, cache_limits

DAY = 86400


@pytest.fixture
def run(counted: tuple[list[int], Callable[[], PreviewResult]]) -> Callable[[], PreviewResult]:
    return counted[1]


def _filler(cache: PreviewCache, name: str, size: int, days_unused: float) -> Path:
    """An entry-named file of `size` bytes, last used `days_unused` days ago."""
    path = cache.directory / f"{hashlib.sha256(name.encode()).hexdigest()}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x" * size)
    used = time.time() - days_unused * DAY
    os.utime(path, (used, used))
    return path


def _version(name: str) -> KeyInputs:
    """This process's inputs under another toolkit version: another key for the same stack."""
    return KeyInputs(toolkit_version=name)


@pytest.mark.parametrize("hit", [True, False], ids=["hit renews", "no hit"])
def test_the_least_recently_used_entry_is_evicted_and_a_hit_makes_an_entry_recent(
    tmp_path: Path, project_dir: Path, counted: tuple[list[int], Callable[[], PreviewResult]], hit: bool
) -> None:
    calls, run = counted
    folder = tmp_path / "cache"
    PreviewCache(folder).preview("prod", project_dir, run, _version("a"))
    first = PreviewCache(folder).path(preview_key("prod", project_dir, _version("a")))
    size = first.stat().st_size
    os.utime(first, (time.time() - 3 * 3600,) * 2)  # used three hours ago
    other = _filler(PreviewCache(folder), "other", size, days_unused=2 / 24)  # two hours ago
    if hit:
        PreviewCache(folder).preview("prod", project_dir, run, _version("a"))
        assert len(calls) == 1

    room_for_two = CacheLimits(max_bytes=2 * size + size // 2)
    newest = PreviewCache(folder, room_for_two).preview("prod", project_dir, run, _version("b"))

    assert newest.problems == ()
    kept = {path.name for path in folder.iterdir()}
    assert preview_key("prod", project_dir, _version("b")) + ".json" in kept
    assert (first.name in kept, other.name in kept) == ((True, False) if hit else (False, True))


def test_entries_unused_for_longer_than_the_age_limit_are_removed_when_one_is_stored(
    tmp_path: Path, project_dir: Path, run: Callable[[], PreviewResult]
) -> None:
    cache = PreviewCache(tmp_path / "cache", CacheLimits(max_age_days=7))
    stale = _filler(cache, "stale", 10, days_unused=8)
    recent = _filler(cache, "recent", 10, days_unused=6)
    left_behind = cache.directory / f".{stale.stem}.abc123.tmp"  # a write that never finished
    left_behind.write_bytes(b"{")
    os.utime(left_behind, (time.time() - 8 * DAY,) * 2)
    foreign = cache.directory / "notes.json"  # not the cache's: never touched, however old
    foreign.write_text("{}", encoding="utf-8")
    os.utime(foreign, (time.time() - 400 * DAY,) * 2)

    cache.preview("prod", project_dir, run)

    assert sorted(path.name for path in cache.directory.iterdir()) == sorted(
        [recent.name, foreign.name, cache.path(preview_key("prod", project_dir)).name]
    )


def test_the_entry_just_stored_stays_even_when_it_alone_is_over_the_size_limit(
    tmp_path: Path, project_dir: Path, run: Callable[[], PreviewResult]
) -> None:
    cache = PreviewCache(tmp_path / "cache", CacheLimits(max_bytes=1))
    older = _filler(cache, "older", 10, days_unused=0.5)

    stored = cache.preview("prod", project_dir, run)

    assert not older.exists()
    assert cache.load(preview_key("prod", project_dir)) == Entry(stored.result.json, stored.result.notes)


def test_an_entry_that_cannot_be_removed_is_one_warning_and_the_preview_succeeds(
    tmp_path: Path,
    project_dir: Path,
    run: Callable[[], PreviewResult],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cache = PreviewCache(tmp_path / "cache", CacheLimits(max_age_days=1))
    stale = [_filler(cache, name, 10, days_unused=5) for name in ("a", "b")]

    def refuse(path: Path, missing_ok: bool = False) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "unlink", refuse)
    cached = cache.preview("prod", project_dir, run)

    assert cached.result.json == run().json
    assert len(cached.problems) == 1
    assert cached.problems[0].startswith(f"{cache.directory}: not pruned: ")
    assert cached.problems[0].endswith(": Permission denied")
    assert all(path.exists() for path in stale)


def test_the_limits_come_from_the_option_then_the_variable_then_the_defaults() -> None:
    environ = {MAX_AGE_ENV: "14", MAX_SIZE_ENV: "2G"}

    assert cache_limits(None, None, {}) == CacheLimits(max_age_days=30, max_bytes=100 * 1024**2)
    assert cache_limits(None, None, environ) == CacheLimits(max_age_days=14, max_bytes=2 * 1024**3)
    assert cache_limits("3", "500M", environ) == CacheLimits(max_age_days=3, max_bytes=500 * 1024**2)


@pytest.mark.parametrize(
    ("size", "size_bytes"),
    [("4096", 4096), ("64K", 64 * 1024), ("500m", 500 * 1024**2), ("10MiB", 10 * 1024**2), ("1GB", 1024**3)],
)
def test_a_size_is_bytes_or_a_whole_number_with_k_m_or_g(size: str, size_bytes: int) -> None:
    assert cache_limits(None, size, {}).max_bytes == size_bytes


@pytest.mark.parametrize(
    ("age", "size", "environ", "named"),
    [
        ("0", None, {}, "--cache-max-age-days 0: give a whole number of days, at least 1"),
        ("1.5", None, {}, "--cache-max-age-days 1.5: give a whole number of days"),
        ("²", None, {}, "--cache-max-age-days ²: give a whole number of days"),
        (None, None, {MAX_AGE_ENV: "soon"}, f"${MAX_AGE_ENV}=soon: give a whole number of days"),
        (None, "12XB", {}, "--cache-max-size 12XB: give a size above 0, in bytes or with K, M or G"),
        (None, "0M", {}, "--cache-max-size 0M: give a size above 0"),
        (None, "-5", {}, "--cache-max-size -5: give a size above 0"),
        (None, None, {MAX_SIZE_ENV: "big"}, f"${MAX_SIZE_ENV}=big: give a size above 0"),
    ],
)
def test_a_bad_limit_is_an_error_naming_the_setting(
    age: str | None, size: str | None, environ: dict[str, str], named: str
) -> None:
    with pytest.raises(ToolkitError) as caught:
        cache_limits(age, size, environ)

    assert str(caught.value).startswith(named)
    assert len(str(caught.value).splitlines()) == 1
