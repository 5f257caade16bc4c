"""The preview cache: every input a preview depends on changes its key, nothing else does, and a damaged
entry is a miss that the fresh run replaces."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from infra.toolkit.errors import ToolkitError
from infra.toolkit.preview.run import PreviewResult
from infra.toolkit.preview_cache import (
    CACHE_DIR_ENV,
    DEFAULT_CACHE_DIR,
    Entry,
    KeyInputs,
    PreviewCache,
    cache_dir,
    input_files,
    preview_key,
    relevant_environment,
)
from tests.infra.toolkit.conftest import PLANTED_SECRET, REPOSITORY

CHECKOUT = (
    "Pulumi.yaml",
    "Pulumi.dev.yaml",
    "Pulumi.prod.yaml",
    "uv.lock",
    "infra",
    "stacks",
    "charts",
    "app",
)


def _checkout(target: Path) -> Path:
    """The files of this repository a preview could read, copied to `target` (project and toolkit)."""
    for name in CHECKOUT:
        source = REPOSITORY / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _checkout(tmp_path_factory.mktemp("template") / "repo")


@pytest.fixture
def root(template: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(template, tmp_path / "repo"))


def _inputs(root: Path) -> KeyInputs:
    return KeyInputs(
        toolkit_version="0.1.0",
        python_version="3.11.7 (main) [GCC 12]",
        environ={"HOME": "/home/ci", "AWS_REGION": "us-east-1"},
        toolkit_root=root,
    )


def _touch(relative: str) -> Callable[[Path, KeyInputs], KeyInputs]:
    def change(root: Path, inputs: KeyInputs) -> KeyInputs:
        path = root / relative
        assert path.is_file(), relative  # a renamed file must not turn this case into a no-op
        path.write_bytes(path.read_bytes() + b"\n# changed\n")
        return inputs

    return change


def _env(name: str, value: str) -> Callable[[Path, KeyInputs], KeyInputs]:
    return lambda root, inputs: replace(inputs, environ={**inputs.environ, name: value})


INVALIDATING = {
    "program source file": _touch("infra/components/redis_cache.py"),
    "program entry point": _touch("stacks/__main__.py"),
    "stack config model": _touch("infra/config/schema.py"),
    "preview code (lazily imported)": _touch("infra/toolkit/preview/scrub.py"),
    "harness": _touch("infra/harness/mocks.py"),
    "stack file": _touch("Pulumi.prod.yaml"),
    "project file": _touch("Pulumi.yaml"),
    "chart template": _touch("charts/taskapi/templates/deployment.yaml"),
    "chart values": _touch("charts/taskapi/values-prod.yaml"),
    "lock file": _touch("uv.lock"),
    "toolkit version": lambda root, inputs: replace(inputs, toolkit_version="0.2.0"),
    "python version": lambda root, inputs: replace(inputs, python_version="3.12.1 (main) [GCC 12]"),
    "env AWS_REGION value": _env("AWS_REGION", "eu-west-1"),
    "env KUBECONFIG": _env("KUBECONFIG", "/home/ci/.kube/config"),
    "env PULUMI_CONFIG": _env("PULUMI_CONFIG", '{"primetradeai:replicas": "5"}'),
    "env PULUMI_CONFIG_<KEY>": _env("PULUMI_CONFIG_PRIMETRADEAI_REPLICAS", "5"),
    "env PULUMI_K8S_ switch": _env("PULUMI_K8S_ENABLE_SERVER_SIDE_APPLY", "false"),
    "option": lambda root, inputs: replace(inputs, options={"show-sames": "true"}),
}

NOT_INVALIDATING = {
    "a toolkit module the preview does not import": _touch("infra/toolkit/cost/estimator.py"),
    "the API": _touch("app/main.py"),
    "another stack's file": _touch("Pulumi.dev.yaml"),
    "the passphrase": _env("PULUMI_CONFIG_PASSPHRASE", "correct horse battery staple"),
    "the passphrase file": _env("PULUMI_CONFIG_PASSPHRASE_FILE", "/run/secrets/passphrase"),
    "an unrelated variable": _env("HOME", "/root"),
}


@pytest.mark.parametrize("change", INVALIDATING.values(), ids=INVALIDATING.keys())
def test_each_input_changes_the_key(root: Path, change: Callable[[Path, KeyInputs], KeyInputs]) -> None:
    inputs = _inputs(root)
    before = preview_key("prod", root, inputs)
    assert preview_key("prod", root, inputs) == before  # stable when nothing changed

    assert preview_key("prod", root, change(root, inputs)) != before


@pytest.mark.parametrize("change", NOT_INVALIDATING.values(), ids=NOT_INVALIDATING.keys())
def test_what_a_preview_does_not_read_keeps_the_key(
    root: Path, change: Callable[[Path, KeyInputs], KeyInputs]
) -> None:
    inputs = _inputs(root)
    before = preview_key("prod", root, inputs)

    assert preview_key("prod", root, change(root, inputs)) == before


def test_each_stack_has_its_own_key(root: Path) -> None:
    assert preview_key("prod", root, _inputs(root)) != preview_key("dev", root, _inputs(root))


def test_two_checkouts_of_the_same_files_share_a_key(root: Path, tmp_path: Path) -> None:
    # CI previews base and head from different directories; an unchanged stack must still hit.
    other = Path(shutil.copytree(root, tmp_path / "elsewhere" / "head"))

    assert preview_key("prod", other, _inputs(other)) == preview_key("prod", root, _inputs(root))


def test_the_key_covers_the_program_and_the_toolkit_code_that_builds_the_plan() -> None:
    names = {path.relative_to(REPOSITORY).as_posix() for path in input_files("prod", REPOSITORY)}

    assert {
        "stacks/__main__.py",
        "infra/components/task_api.py",
        "infra/config/loader.py",
        "infra/harness/run.py",
        "infra/toolkit/preview/build.py",
        "infra/toolkit/preview/helm_render.py",
        "infra/toolkit/commands/tree.py",
        "charts/taskapi/values.yaml",
        "Pulumi.prod.yaml",
        "uv.lock",
    } <= names
    assert not {
        name for name in names if name.startswith(("app/", "tests/", "bench/", "infra/toolkit/cost/"))
    }


def test_a_program_module_beside_the_entry_point_is_in_the_key(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "program").mkdir(parents=True)
    (project / "Pulumi.yaml").write_text("name: p\nruntime: python\nmain: program/\n", encoding="utf-8")
    (project / "Pulumi.prod.yaml").write_text("config: {}\n", encoding="utf-8")
    (project / "program" / "__main__.py").write_text("def f():\n    import sizing\n", encoding="utf-8")
    (project / "program" / "sizing.py").write_text("NODES = 3\n", encoding="utf-8")

    assert project / "program" / "sizing.py" in input_files("prod", project)


def test_secret_environment_values_are_hashed_not_stored(root: Path, tmp_path: Path) -> None:
    inputs = replace(
        _inputs(root), environ={"PULUMI_CONFIG": json.dumps({"primetradeai:token": PLANTED_SECRET})}
    )
    cache = PreviewCache(tmp_path / "cache")
    key = preview_key("prod", root, inputs)
    cache.store(key, Entry(json="{}\n", notes=()))

    assert PLANTED_SECRET not in key
    assert [
        PLANTED_SECRET in path.name or PLANTED_SECRET in path.read_text()
        for path in cache.directory.iterdir()
    ] == [False]


def test_only_the_variables_that_change_a_preview_are_inputs() -> None:
    environ = {
        "PATH": "/usr/bin",
        "PULUMI_CONFIG_PASSPHRASE": "s3cret",
        "PULUMI_ACCESS_TOKEN": "pul-123",
        "AWS_SECRET_ACCESS_KEY": "abc",
        "AWS_DEFAULT_REGION": "us-east-1",
        "PULUMI_CONFIG_SECRET_KEYS": "[]",
        "PULUMI_K8S_DELETE_UNREACHABLE": "true",
    }

    assert relevant_environment(environ) == {
        "AWS_DEFAULT_REGION": "us-east-1",
        "PULUMI_CONFIG_SECRET_KEYS": "[]",
        "PULUMI_K8S_DELETE_UNREACHABLE": "true",
    }


def test_computing_the_key_imports_no_pulumi_sdk() -> None:
    script = (
        "import sys; from pathlib import Path; from infra.toolkit.preview_cache import preview_key;"
        f" preview_key('prod', Path({str(REPOSITORY)!r}));"
        " print(sorted(m for m in sys.modules if m.split('.')[0].startswith('pulumi')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPOSITORY, capture_output=True, text=True, check=True
    )

    assert done.stdout == "[]\n"


# --- the store ------------------------------------------------------------------------------------


def test_the_cache_directory_is_the_option_then_the_variable_then_the_project(tmp_path: Path) -> None:
    project = tmp_path / "project"

    assert cache_dir(tmp_path / "opt", project, {CACHE_DIR_ENV: "/env"}) == tmp_path / "opt"
    assert cache_dir(None, project, {CACHE_DIR_ENV: "/env"}) == Path("/env")
    assert (
        cache_dir(None, project, {}) == project / DEFAULT_CACHE_DIR == project / ".cache/primetradeai/preview"
    )


def test_the_default_cache_directory_is_ignored_by_git() -> None:
    done = subprocess.run(
        ["git", "check-ignore", "-q", str(DEFAULT_CACHE_DIR / "k.json")], cwd=REPOSITORY, check=False
    )

    assert done.returncode == 0


def test_a_file_where_the_cache_directory_should_be_is_named(tmp_path: Path) -> None:
    (tmp_path / "cache").write_text("", encoding="utf-8")

    with pytest.raises(ToolkitError, match=r"cache directory .*cache: exists and is not a directory"):
        PreviewCache(tmp_path / "cache")


def test_a_second_preview_with_the_same_inputs_is_served_from_the_store(
    tmp_path: Path, project_dir: Path, counted: tuple[list[int], Callable[[], PreviewResult]]
) -> None:
    calls, run = counted
    cache = PreviewCache(tmp_path / "cache")

    first = cache.preview("prod", project_dir, run).result
    second = PreviewCache(tmp_path / "cache").preview("prod", project_dir, run).result

    assert len(calls) == 1
    assert second.json == first.json
    assert second.notes == first.notes
    assert second.plan == first.plan


def test_a_hit_renews_the_entry_time_so_unused_entries_can_be_pruned(
    tmp_path: Path, project_dir: Path, counted: tuple[list[int], Callable[[], PreviewResult]]
) -> None:
    _, run = counted
    cache = PreviewCache(tmp_path / "cache")
    cache.preview("prod", project_dir, run)
    entry = cache.path(preview_key("prod", project_dir))
    os.utime(entry, (1_000_000_000, 1_000_000_000))

    cache.preview("prod", project_dir, run)

    assert entry.stat().st_mtime > 1_000_000_000


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _edit_plan(path: Path) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    document["plan"] = document["plan"].replace('"prod"', '"dev"')
    path.write_text(json.dumps(document), encoding="utf-8")


def _set(field: str, value: object) -> Callable[[Path], None]:
    def change(path: Path) -> None:
        document = json.loads(path.read_text(encoding="utf-8"))
        document[field] = value
        path.write_text(json.dumps(document), encoding="utf-8")

    return change


def _directory(path: Path) -> None:
    path.unlink()
    path.mkdir()


DAMAGE: dict[str, Callable[[Path], object]] = {
    "truncated": _truncate,
    "empty": lambda path: path.write_bytes(b""),
    "not JSON": lambda path: path.write_bytes(b"\x00\xff garbage"),
    "not an object": lambda path: path.write_text("[1, 2]", encoding="utf-8"),
    "plan edited (digest no longer matches)": _edit_plan,
    "another entry format": _set("format", "primetradeai-preview-cache/0"),
    "plan not a string": _set("plan", 7),
    "notes not strings": _set("notes", [1]),
    "a directory in its place": _directory,
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_entry_is_run_again_and_replaced(
    tmp_path: Path,
    project_dir: Path,
    counted: tuple[list[int], Callable[[], PreviewResult]],
    damage: Callable[[Path], object],
) -> None:
    calls, run = counted
    cache = PreviewCache(tmp_path / "cache")
    first = cache.preview("prod", project_dir, run).result
    entry = cache.path(preview_key("prod", project_dir))
    damage(entry)

    again = cache.preview("prod", project_dir, run)

    assert len(calls) == 2
    assert again.result.json == first.json
    if entry.is_file():
        assert cache.load(preview_key("prod", project_dir)) == Entry(json=first.json, notes=first.notes)
        assert again.problems == ()
    else:  # a directory in the way: the run still succeeds and says why nothing was stored
        assert again.problems


def test_a_valid_entry_that_is_not_a_plan_is_run_again(
    tmp_path: Path, project_dir: Path, counted: tuple[list[int], Callable[[], PreviewResult]]
) -> None:
    calls, run = counted
    cache = PreviewCache(tmp_path / "cache")
    key = preview_key("prod", project_dir)
    cache.store(key, Entry(json='{"format": "something-else"}', notes=()))

    result = cache.preview("prod", project_dir, run).result

    assert calls == [1]
    assert result.json == cache.load(key).json  # type: ignore[union-attr]


def test_a_failed_write_leaves_the_previous_entry_whole_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = PreviewCache(tmp_path / "cache")
    cache.store("k", Entry(json="old\n", notes=()))

    def fail(source: str, target: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="No space left"):
        cache.store("k", Entry(json="new\n" * 1000, notes=()))

    assert cache.load("k") == Entry(json="old\n", notes=())
    assert [path.name for path in cache.directory.iterdir()] == ["k.json"]


def test_a_cache_that_cannot_be_written_does_not_fail_the_preview(
    tmp_path: Path, project_dir: Path, counted: tuple[list[int], Callable[[], PreviewResult]]
) -> None:
    _, run = counted
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    directory = tmp_path / "a-file" / "cache"  # cannot be created (root may write anywhere else)
    cache = PreviewCache(directory)

    cached = cache.preview("prod", project_dir, run)

    assert cached.result.json == run().json
    assert cached.problems == (f"{directory}: not stored: Not a directory",)


def test_problems_belong_to_the_preview_that_met_them(
    tmp_path: Path, project_dir: Path, counted: tuple[list[int], Callable[[], PreviewResult]]
) -> None:
    _, run = counted
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    cache = PreviewCache(tmp_path / "a-file" / "cache")
    unstored = cache.preview("prod", project_dir, run)
    (tmp_path / "a-file").unlink()  # the folder can be created now

    stored = cache.preview("prod", project_dir, run)

    assert len(unstored.problems) == 1
    assert stored.problems == ()
    assert cache.load(preview_key("prod", project_dir)) == Entry(
        json=stored.result.json, notes=stored.result.notes
    )
