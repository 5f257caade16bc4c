"""A secret's text that reached a plain value by another path is still redacted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from infra.harness.records import RegisteredOptions, RegisteredResource, StackRun
from infra.pulumi_wire import secret
from infra.toolkit.plan import SECRET
from infra.toolkit.preview.scrub import SecretScrubber


def _run() -> StackRun:
    password = RegisteredResource(
        type="random:index/randomPassword:RandomPassword",
        name="db",
        urn="urn:pulumi:prod::p::pulumi:pulumi:Stack$random:index/randomPassword:RandomPassword::db",
        custom=True,
        parent=None,
        provider=None,
        dependencies=(),
        property_dependencies={},
        options=RegisteredOptions(additional_secret_outputs=("result",)),
        inputs={"length": 24.0},
        outputs={"result": "generated-Password-99"},
    )
    return StackRun(
        project="p",
        stack="prod",
        program_dir=Path("stacks"),
        config={"p:token": secret("token-Text-1234")},
        secret_config_keys=("p:token",),
        resources=[password],
        outputs={},
    )


def test_strings_containing_a_secret_text_are_replaced() -> None:
    scrub = SecretScrubber.from_run(_run())

    assert scrub.value("mongodb://app:generated-Password-99@host/db") == SECRET
    assert scrub.value({"header": ["Bearer token-Text-1234"], "port": 6379}) == {
        "header": [SECRET],
        "port": 6379,
    }


def test_plain_values_are_left_alone() -> None:
    scrub = SecretScrubber.from_run(_run())

    assert scrub.value({"name": "taskapi", "replicas": 3}) == {"name": "taskapi", "replicas": 3}


def test_the_scrubber_loads_without_the_harness_so_reading_state_does_not_import_pulumi() -> None:
    # infra.harness imports pulumi's runtime (0.5 s); state and plan readers use the scrubber alone.
    probe = "import sys, infra.toolkit.state; print(sorted({'infra.harness', 'pulumi'} & set(sys.modules)))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"
