"""`diff --format json`: the same facts as the comment, untrimmed."""

from __future__ import annotations

from infra.toolkit.diff.checks import Unavailable
from infra.toolkit.diff.compare import compare
from infra.toolkit.diff.report import diff_report
from infra.toolkit.diff.sources import load_side
from tests.infra.toolkit.plans import captures_dir

CAPTURE = captures_dir() / "small_scale_10_replace.json"


def test_the_json_report_lists_every_change_with_its_properties() -> None:
    base, head = load_side(CAPTURE, "base"), load_side(CAPTURE, "head")
    report = diff_report(compare(base, head), Unavailable("no plans"), Unavailable("no plans"))

    assert report["format"] == "primetradeai-diff"
    assert report["counts"]["replace"] == 2
    first = report["changes"][0]
    assert first["op"] == "replace"
    assert first["replaceReasons"] == ["length", "special"]
    assert first["properties"][0] == {
        "path": "length",
        "kind": "update",
        "old": 32,
        "new": 16,
        "forcesReplacement": True,
    }
    assert report["policy"] == {"evaluated": False, "reason": "no plans"}
