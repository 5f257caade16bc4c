"""`primetradeai preview` with its content cache: a hit prints and writes exactly what a fresh run does,
without running the program; `--no-cache` runs it and stores nothing."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from infra.toolkit.preview import run as preview_run
from infra.toolkit.preview_cache import CACHE_DIR_ENV
from infra.toolkit.preview_cache_limits import MAX_AGE_ENV, MAX_SIZE_ENV
from tests.infra.toolkit.commands.cli_run import run_cli
from tests.infra.toolkit.conftest import PLANTED_SECRET, REPOSITORY, write_project

SECURE_CIPHERTEXT = "v1:AAAABBBBCCCC"  # the `secure:` value write_project plants


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_project(tmp_path / "project")


@pytest.fixture
def program_runs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The stacks whose program really ran (the real preview_stack, counted)."""
    runs: list[str] = []
    real: Callable[..., Any] = preview_run.preview_stack

    def counted(stack: str, **kwargs: Any) -> Any:
        runs.append(stack)
        return real(stack, **kwargs)

    monkeypatch.setattr(preview_run, "preview_stack", counted)
    return runs


def _preview(
    project: Path, capsys: pytest.CaptureFixture[str], *options: str, out: Path | None = None
) -> tuple[str, bytes]:
    """stdout and the plan file's bytes of one `preview --stack prod` that must succeed."""
    out = out or project / "plan.json"
    code, stdout, stderr = run_cli(
        ["preview", "--stack", "prod", "--project-dir", str(project), "--out", str(out), *options], capsys
    )
    assert (code, stderr) == (0, "")
    return stdout, out.read_bytes()


def test_a_hit_prints_and_writes_byte_for_byte_what_a_fresh_run_does(
    project: Path, capsys: pytest.CaptureFixture[str], program_runs: list[str]
) -> None:
    fresh = _preview(project, capsys, "--no-cache")
    miss = _preview(project, capsys)
    hit = _preview(project, capsys)

    assert program_runs == ["prod", "prod"]  # the third came from the cache
    assert miss == fresh
    assert hit == fresh
    assert "Plan written to" in hit[0]


def test_a_hit_to_stdout_is_the_fresh_plan(
    project: Path, capsys: pytest.CaptureFixture[str], program_runs: list[str]
) -> None:
    command = ["preview", "--stack", "prod", "--project-dir", str(project), "--out", "-"]
    fresh = run_cli([*command, "--no-cache"], capsys)
    run_cli(command, capsys)
    hit = run_cli(command, capsys)

    assert len(program_runs) == 2
    assert hit == fresh


def test_no_cache_runs_the_program_and_stores_nothing(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], program_runs: list[str]
) -> None:
    cache = tmp_path / "cache"
    _preview(project, capsys, "--cache-dir", str(cache))
    stored = {path: path.read_bytes() for path in cache.iterdir()}

    _preview(project, capsys, "--cache-dir", str(cache), "--no-cache")

    assert len(program_runs) == 2
    assert {path: path.read_bytes() for path in cache.iterdir()} == stored


def test_the_cache_directory_comes_from_the_option_or_the_variable(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from_variable = Path(os.environ[CACHE_DIR_ENV])  # tests/conftest.py sets it per test
    _preview(project, capsys)
    _preview(project, capsys, "--cache-dir", str(tmp_path / "chosen"))

    assert len(list(from_variable.glob("*.json"))) == 1
    assert len(list((tmp_path / "chosen").glob("*.json"))) == 1
    assert not (project / ".cache").exists()


def test_a_changed_stack_file_is_previewed_again(
    project: Path, capsys: pytest.CaptureFixture[str], program_runs: list[str]
) -> None:
    _, before = _preview(project, capsys)
    stack_file = project / "Pulumi.prod.yaml"
    stack_file.write_text(
        stack_file.read_text(encoding="utf-8").replace("replicas: 3", "replicas: 4"), encoding="utf-8"
    )

    _, after = _preview(project, capsys)

    assert len(program_runs) == 2
    assert after != before


def test_the_cache_holds_nothing_the_scrubbed_plan_does_not(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = tmp_path / "cache"
    stdout, plan = _preview(project, capsys, "--cache-dir", str(cache))
    assert PLANTED_SECRET in (project / "Pulumi.prod.yaml").read_text(encoding="utf-8")

    files = [path for path in cache.rglob("*") if path.is_file()]
    stored = b"".join(path.name.encode() + path.read_bytes() for path in files)
    [entry] = [json.loads(path.read_bytes()) for path in files]

    assert PLANTED_SECRET.encode() not in stored
    assert SECURE_CIPHERTEXT.encode() not in stored
    assert entry["plan"].encode() == plan
    assert set(entry) == {"format", "sha256", "plan", "notes"}
    assert all(f"note: {note}" in stdout for note in entry["notes"])


def test_a_file_given_as_the_cache_directory_is_one_line(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "file").write_text("", encoding="utf-8")

    code, out, err = run_cli(
        ["preview", "--project-dir", str(project), "--cache-dir", str(tmp_path / "file")], capsys
    )

    assert (code, out) == (2, "")
    where = tmp_path / "file"
    assert err == f"primetradeai preview: error: cache directory {where}: exists and is not a directory\n"


_HIT_IN_A_NEW_PROCESS = """
import sys
from infra.toolkit.cli import main
code = main(sys.argv[1:])
sys.stderr.write(repr(sorted(m for m in sys.modules if m.split(".")[0].startswith("pulumi"))))
raise SystemExit(code)
"""


def test_a_hit_in_a_new_process_imports_no_pulumi_sdk(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = _preview(project, capsys)
    command = [
        "preview",
        "--stack",
        "prod",
        "--project-dir",
        str(project),
        "--out",
        str(project / "plan.json"),
    ]

    done = subprocess.run(
        [sys.executable, "-c", _HIT_IN_A_NEW_PROCESS, *command],
        cwd=REPOSITORY,
        capture_output=True,
        check=True,
    )

    assert done.stderr == b"[]"
    assert (done.stdout.decode(), (project / "plan.json").read_bytes()) == expected


def test_a_failed_preview_stores_nothing(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "Pulumi.bare.yaml").write_text("config: {}\n", encoding="utf-8")
    command = [
        "preview",
        "--stack",
        "bare",
        "--project-dir",
        str(project),
        "--cache-dir",
        str(tmp_path / "c"),
    ]

    first, second = run_cli(command, capsys), run_cli(command, capsys)

    assert first[0] == second[0] == 2
    assert first == second
    assert list((tmp_path / "c").glob("*")) == []


def test_a_cache_that_cannot_be_written_warns_once_per_stack_and_every_stack_succeeds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = write_project(tmp_path / "project")
    write_project(tmp_path / "dev-source", stack="dev", replicas=2)
    (project / "Pulumi.dev.yaml").write_bytes((tmp_path / "dev-source" / "Pulumi.dev.yaml").read_bytes())
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    unwritable = tmp_path / "a-file" / "cache"  # cannot be created (root may write anywhere else)
    command = ["preview", "--stack", "dev", "--stack", "prod", "--project-dir", str(project)]
    plans = str(tmp_path / "{stack}.json")

    code, out, err = run_cli([*command, "--out", plans, "--cache-dir", str(unwritable)], capsys)

    warning = f"primetradeai preview: warning: cache {unwritable}: not stored: Not a directory\n"
    assert (code, err) == (0, warning * 2)
    assert "dev: Plan written to" in out
    assert "prod: Plan written to" in out


def _unused_entry(folder: Path, name: str, days: float) -> Path:
    """A file named like an entry, last used `days` days ago."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{hashlib.sha256(name.encode()).hexdigest()}.json"
    path.write_text("{}", encoding="utf-8")
    used = time.time() - days * 86400
    os.utime(path, (used, used))
    return path


def test_entries_unused_for_longer_than_the_age_given_are_removed(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = tmp_path / "cache"
    stale, recent = _unused_entry(cache, "stale", 10), _unused_entry(cache, "recent", 3)

    _preview(project, capsys, "--cache-dir", str(cache), "--cache-max-age-days", "7")

    assert (stale.exists(), recent.exists()) == (False, True)
    assert len(list(cache.glob("*.json"))) == 2


def test_beyond_the_size_in_the_variable_the_least_recently_used_entries_are_removed(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = Path(os.environ[CACHE_DIR_ENV])
    older, newer = _unused_entry(cache, "older", 2), _unused_entry(cache, "newer", 1)
    _, plan = _preview(project, capsys)  # within the default limits: nothing removed
    assert (older.exists(), newer.exists()) == (True, True)
    [stored] = set(cache.glob("*.json")) - {older, newer}
    stored.unlink()
    monkeypatch.setenv(MAX_SIZE_ENV, f"{len(plan) + 1024}")  # the new entry and little else

    _preview(project, capsys)

    assert (older.exists(), newer.exists()) == (False, False)
    assert [json.loads(path.read_bytes())["plan"].encode() for path in cache.glob("*.json")] == [plan]


_NOT_A_SIZE = "give a size above 0, in bytes or with K, M or G (e.g. 500M)"
_NOT_DAYS = "give a whole number of days, at least 1"


@pytest.mark.parametrize(
    ("options", "variables", "line"),
    [
        (["--cache-max-size", "lots"], {}, f"--cache-max-size lots: {_NOT_A_SIZE}"),
        (["--cache-max-age-days", "-1"], {}, f"--cache-max-age-days -1: {_NOT_DAYS}"),
        (["--no-cache"], {MAX_AGE_ENV: "a week"}, f"${MAX_AGE_ENV}=a week: {_NOT_DAYS}"),
        ([], {MAX_SIZE_ENV: "0"}, f"${MAX_SIZE_ENV}=0: {_NOT_A_SIZE}"),
    ],
    ids=["size option", "age option", "age variable, even with --no-cache", "size variable"],
)
def test_a_bad_cache_limit_is_one_line_naming_the_setting_before_any_stack_runs(
    project: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    program_runs: list[str],
    options: list[str],
    variables: dict[str, str],
    line: str,
) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)

    code, out, err = run_cli(["preview", "--project-dir", str(project), *options], capsys)

    assert (code, out, err) == (2, "", f"primetradeai preview: error: {line}\n")
    assert program_runs == []
