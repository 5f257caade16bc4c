"""The README's example comment is what `primetradeai diff` prints for a real `pulumi preview --json`."""

from __future__ import annotations

import re
from pathlib import Path

from infra.toolkit.diff.checks import cost_delta, policy_delta
from infra.toolkit.diff.compare import compare
from infra.toolkit.diff.markdown import render_comment
from infra.toolkit.diff.sources import load_side
from tests.infra.toolkit.conftest import REPOSITORY
from tests.infra.toolkit.plans import captures_dir

CAPTURE = captures_dir() / "small_scale_10_replace.json"
_BLOCK = re.compile(
    r"<!-- review-example:start -->\n````markdown\n(?P<comment>.*?)````\n<!-- review-example:end -->",
    re.DOTALL,
)


def example_comment(capture: Path = CAPTURE) -> str:
    """`primetradeai diff small_scale_10_replace.json`, as a reviewer reads it."""
    base, head = load_side(capture, "base"), load_side(capture, "head")
    change_set = compare(base, head)
    return render_comment(
        change_set, policy_delta(base, head, change_set.paired), cost_delta(base, head, change_set.paired)
    )


def test_the_readme_shows_the_comment_diff_renders_from_the_real_capture() -> None:
    readme = (REPOSITORY / "README.md").read_text(encoding="utf-8")

    found = _BLOCK.search(readme)

    assert found is not None, "README.md lost its review-example block"
    # To refresh it: uv run primetradeai diff tests/infra/toolkit/captures/small_scale_10_replace.json
    assert found["comment"] == example_comment()
