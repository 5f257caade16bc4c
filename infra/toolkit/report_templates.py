"""The jinja2 environment the plain-text and Markdown reports (policy, cost) are rendered with."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape


def report_environment(package: str) -> Environment:
    """Templates from `<package>/templates`: a missing variable is an error, block tags leave no blank lines.

    The reports are text and Markdown, so only an `.html` template would be escaped.
    """
    return Environment(
        loader=PackageLoader(package, "templates"),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=select_autoescape(("html",)),
    )
