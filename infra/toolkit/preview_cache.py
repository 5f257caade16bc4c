"""A content cache for `primetradeai preview`: a stack whose inputs are unchanged gets its stored plan back.

The key is a SHA-256 over everything a preview's output depends on (docs/preview-cache.md): the Python
sources the command and the program import (read with `ast`, lazy imports included, never executed),
`Pulumi.yaml`, `Pulumi.<stack>.yaml`, the charts, `uv.lock`, the toolkit's version, the Python version,
the environment variables the Pulumi SDK and the providers read, and the stack name. Computing it imports
no provider SDK, so a hit costs the start of the CLI and reading one file.

An entry holds the scrubbed plan JSON exactly as a fresh run wrote it, its notes, and a digest of both:
an entry that is truncated, corrupt or of another format is a miss (the fresh run replaces it), never
an error. Entries are written to a temporary file and renamed into place, so a reader never sees half
of one. Each store prunes the folder: entries unused for longer than the age limit go, then the least
recently used until the folder is within its size limit (a hit renews an entry's time); the limits, their
settings and the pruning are in `preview_cache_limits.py`.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from infra.toolkit.errors import ToolkitError
from infra.toolkit.preview_cache_limits import CacheLimits, prune_folder

if TYPE_CHECKING:
    from infra.toolkit.preview.run import PreviewResult

CACHE_DIR_ENV = "PRIMETRADEAI_PREVIEW_CACHE_DIR"
DEFAULT_CACHE_DIR = Path(".cache") / "primetradeai" / "preview"
"""Under the project directory (gitignored), where CI's actions/cache can keep it."""

ENTRY_FORMAT = "primetradeai-preview-cache/1"
# Bumped when what the key covers changes, so keys made by an older rule never match.
KEY_FORMAT = "1"

TOOLKIT_ROOT = Path(__file__).resolve().parents[2]
"""The directory that holds the `infra` package (and the chart the components render)."""
COMMAND_MODULE = "infra.toolkit.commands.preview"

ENV_NAMES = frozenset(
    {
        # pulumi.runtime: config and its secret keys from the language host, and switches.
        "PULUMI_CONFIG",
        "PULUMI_CONFIG_SECRET_KEYS",
        "PULUMI_ENABLE_LEGACY_APPLY",
        "PULUMI_ERROR_ON_DEPENDENCY_CYCLES",
        "PULUMI_DISABLE_RESOURCE_REFERENCES",
        "PULUMI_ERROR_OUTPUT_STRING",
        # Provider defaults the SDKs fill in from the environment (pulumi_aws, pulumi_kubernetes).
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "KUBECONFIG",
    }
)
ENV_PREFIXES = (
    "PULUMI_CONFIG_",  # pulumi.Config falls back to PULUMI_CONFIG_<KEY> for each key
    "PULUMI_K8S_",  # pulumi_kubernetes.Provider's switches
)
NOT_ENV_INPUTS = frozenset({"PULUMI_CONFIG_PASSPHRASE", "PULUMI_CONFIG_PASSPHRASE_FILE"})
"""The secrets provider's passphrase: offline `secure:` values are never decrypted, so it changes nothing."""


def relevant_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """The variables of `environ` that can change a preview's output (values go into the key hashed)."""
    return {
        name: value
        for name, value in environ.items()
        if name not in NOT_ENV_INPUTS and (name in ENV_NAMES or name.startswith(ENV_PREFIXES))
    }


def toolkit_version() -> str:
    """The installed toolkit's version (the `primetradeai` distribution)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("primetradeai")
    except PackageNotFoundError:
        return "unknown"


# --- which source files a preview runs -----------------------------------------------------------


def _imports(path: Path, module: str) -> set[str]:
    """Every module name `path` imports anywhere in its body (function-level imports included)."""
    try:
        tree = ast.parse(path.read_bytes(), str(path))
    except (SyntaxError, ValueError):
        return set()  # the run will report it; the file's bytes are still in the key
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".") if package else []
                base = parts[: len(parts) - node.level + 1]
                origin = ".".join([*base, *([node.module] if node.module else [])])
            else:
                origin = node.module or ""
            found.add(origin)
            # `from infra import policy` may import the module infra.policy.
            found.update(f"{origin}.{alias.name}" for alias in node.names if alias.name != "*")
    return {name for name in found if name}


def _module_file(name: str, roots: Iterable[Path]) -> Path | None:
    parts = name.split(".")
    for root in roots:
        package, module = root.joinpath(*parts, "__init__.py"), root.joinpath(*parts[:-1], f"{parts[-1]}.py")
        for candidate in (package, module):
            if candidate.is_file():
                return candidate
    return None


def source_closure(entries: Iterable[tuple[Path, str]], roots: tuple[Path, ...]) -> list[Path]:
    """The Python files under `roots` that the entry files import, transitively, and their packages'
    `__init__.py` files; imports that resolve outside `roots` (the standard library, the SDKs) are
    covered by the lock file and the Python version instead."""
    seen: dict[Path, str] = {}
    pending = list(entries)
    while pending:
        path, module = pending.pop()
        path = path.resolve()
        if path in seen or not path.is_file():
            continue
        seen[path] = module
        names = _imports(path, module)
        # Importing a.b.c runs a/__init__.py and a/b/__init__.py first.
        parents = {".".join(name.split(".")[:i]) for name in names for i in range(1, name.count(".") + 1)}
        parents |= {".".join(module.split(".")[:i]) for i in range(1, module.count(".") + 1)}
        for name in sorted(names | parents):
            found = _module_file(name, roots)
            if found is not None and found.resolve() not in seen:
                pending.append((found, name))
    return sorted(seen)


# --- the key -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyInputs:
    """What a preview's output depends on besides the files (defaults: this process)."""

    toolkit_version: str = field(default_factory=toolkit_version)
    python_version: str = sys.version
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    options: Mapping[str, str] = field(default_factory=dict)
    """Command options that change the plan (besides the stack), by name."""
    toolkit_root: Path = TOOLKIT_ROOT
    """Where the `infra` package the preview runs lives."""


def _program_dir(project_dir: Path) -> Path | None:
    """The program directory `Pulumi.yaml` names (`main:`), read without the harness's YAML loader."""
    import yaml

    try:
        doc = yaml.safe_load((project_dir / "Pulumi.yaml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    main = doc.get("main", ".") if isinstance(doc, dict) else None
    return (project_dir / main).resolve() if isinstance(main, str) else None


def _tree_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        return []
    return sorted(path for path in directory.rglob("*") if path.is_file() and "__pycache__" not in path.parts)


def input_files(stack: str, project_dir: Path, toolkit_root: Path = TOOLKIT_ROOT) -> list[Path]:
    """Every file whose bytes are in the key of `stack`'s preview."""
    project_dir, toolkit_root = project_dir.resolve(), toolkit_root.resolve()
    files = [project_dir / "Pulumi.yaml", project_dir / f"Pulumi.{stack}.yaml"]
    entries = [(toolkit_root.joinpath(*COMMAND_MODULE.split(".")).with_suffix(".py"), COMMAND_MODULE)]
    program_dir = _program_dir(project_dir)
    roots: tuple[Path, ...] = (toolkit_root,)
    if program_dir is not None:
        entries.append((program_dir / "__main__.py", "__main__"))
        roots = (program_dir, toolkit_root)
    files += source_closure(entries, roots)
    for root in dict.fromkeys((toolkit_root, project_dir)):
        files += _tree_files(root / "charts")
        files.append(root / "uv.lock")
    return files


def preview_key(stack: str, project_dir: Path, inputs: KeyInputs | None = None) -> str:
    """The cache key of previewing `stack` of the project at `project_dir` (hex SHA-256)."""
    inputs = inputs or KeyInputs()
    project_dir = project_dir.resolve()
    digest = hashlib.sha256()

    def add(label: str, data: bytes) -> None:
        # Length-prefixed, so no two different sequences of inputs hash the same bytes.
        for part in (label.encode(), data):
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)

    add("key-format", KEY_FORMAT.encode())
    add("stack", stack.encode())
    add("toolkit-version", inputs.toolkit_version.encode())
    add("python-version", inputs.python_version.encode())
    for name, value in sorted(relevant_environment(inputs.environ).items()):
        add(f"env:{name}", value.encode())
    for name, value in sorted(inputs.options.items()):
        add(f"option:{name}", value.encode())
    toolkit_root = inputs.toolkit_root.resolve()
    for path in dict.fromkeys(input_files(stack, project_dir, toolkit_root)):
        label = _label(path, project_dir, toolkit_root)
        try:
            add(f"file:{label}", path.read_bytes())
        except OSError:
            add(f"missing:{label}", b"")
    return digest.hexdigest()


def _label(path: Path, project_dir: Path, toolkit_root: Path) -> str:
    # Relative names, so two checkouts of the same commit share keys (CI's base and head directories).
    for root, tag in ((project_dir, "project"), (toolkit_root, "toolkit")):
        if path.is_relative_to(root):
            return f"{tag}/{path.relative_to(root).as_posix()}"
    return path.as_posix()


# --- the store -----------------------------------------------------------------------------------


def cache_dir(option: Path | None, project_dir: Path, environ: Mapping[str, str] | None = None) -> Path:
    """Where entries live: `--cache-dir`, else $PRIMETRADEAI_PREVIEW_CACHE_DIR, else under the project."""
    if option is not None:
        return option
    from_env = (os.environ if environ is None else environ).get(CACHE_DIR_ENV)
    return Path(from_env) if from_env else project_dir / DEFAULT_CACHE_DIR


@dataclass(frozen=True)
class Entry:
    """A stored preview: the plan's JSON text as written, and the notes printed under the tree."""

    json: str
    notes: tuple[str, ...]


@dataclass(frozen=True)
class CachedPreview:
    """A stack's preview, stored or fresh, and what the cache could not do on the way (store the entry,
    prune an old one): the preview itself succeeded."""

    result: PreviewResult
    problems: tuple[str, ...] = ()


def _digest(json_text: str, notes: tuple[str, ...]) -> str:
    return hashlib.sha256(json.dumps([json_text, list(notes)]).encode()).hexdigest()


class PreviewCache:
    """Entries in one directory, one file per key."""

    def __init__(self, directory: Path, limits: CacheLimits | None = None) -> None:
        if directory.exists() and not directory.is_dir():
            raise ToolkitError(f"cache directory {directory}: exists and is not a directory")
        self.directory = directory
        self.limits = limits or CacheLimits()

    def path(self, key: str) -> Path:
        return self.directory / f"{key}.json"

    def load(self, key: str) -> Entry | None:
        """The entry stored under `key`, or None when there is none or it is damaged in any way."""
        try:
            document = json.loads(self.path(key).read_bytes())
            if not isinstance(document, dict) or document.get("format") != ENTRY_FORMAT:
                return None
            plan_json, notes = document["plan"], document["notes"]
            if not isinstance(plan_json, str) or not isinstance(notes, list):
                return None
            if not all(isinstance(note, str) for note in notes):
                return None
            entry = Entry(json=plan_json, notes=tuple(notes))
            if document.get("sha256") != _digest(entry.json, entry.notes):
                return None
            return entry
        except (OSError, ValueError, KeyError):  # missing, unreadable, truncated, not JSON, not UTF-8
            return None

    def _mark_used(self, key: str) -> None:
        # A hit renews the entry's time, so CI can drop what a run did not use before saving the folder.
        with contextlib.suppress(OSError):
            os.utime(self.path(key))

    def store(self, key: str, entry: Entry) -> None:
        """Write the entry atomically: a temporary file in the same directory, renamed over the key's."""
        document = {
            "format": ENTRY_FORMAT,
            "sha256": _digest(entry.json, entry.notes),
            "plan": entry.json,
            "notes": list(entry.notes),
        }
        self.directory.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.directory, prefix=f".{key}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                json.dump(document, file)
            os.replace(temporary, self.path(key))
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def prune(self, keep: str | None = None) -> tuple[str, ...]:
        """Remove entries (and writes left behind) unused for longer than the age limit, then the least
        recently used entries until all fit the size limit; `keep`'s entry stays whatever its size or age.
        Returns why something could not be removed (one line)."""
        return prune_folder(self.directory, self.limits, keep)

    def preview(
        self,
        stack: str,
        project_dir: Path,
        run: Callable[[], PreviewResult],
        inputs: KeyInputs | None = None,
    ) -> CachedPreview:
        """`stack`'s stored preview when its inputs are unchanged; otherwise `run()`, stored for next time."""
        from infra.toolkit.preview.run import PreviewResult

        key = preview_key(stack, project_dir, inputs)
        entry = self.load(key)
        if entry is not None:
            from infra.toolkit.plan import PlanFormatError, parse_json, plan_from_data

            try:
                plan = plan_from_data(parse_json(entry.json, str(self.path(key))), str(self.path(key)))
            except PlanFormatError:
                plan = None
            if plan is not None:
                self._mark_used(key)
                return CachedPreview(PreviewResult(plan=plan, json=entry.json, notes=entry.notes))
        result = run()
        try:
            self.store(key, Entry(json=result.json, notes=result.notes))
        except OSError as error:  # a read-only or full cache must not fail the preview
            return CachedPreview(result, (f"{self.directory}: not stored: {error.strerror or error}",))
        return CachedPreview(result, self.prune(keep=key))
