"""The toolkit's user-facing error: the CLI prints its message as one line and exits with code 2."""

from __future__ import annotations


class ToolkitError(Exception):
    """A problem with the user's input (stack, config, file), explained in one line."""

    exit_code = 2


def first_line(message: str) -> str:
    """The first non-blank line of `message` ("failed" when there is none): what a one-line error shows."""
    stripped = message.strip()
    return stripped.splitlines()[0] if stripped else "failed"
