"""Errors the harness raises: one base class, so a caller (the `preview` command) catches one thing."""

from __future__ import annotations


class HarnessError(Exception):
    """The stack program could not be run under the mock runtime; the message says why, on one line."""


class UnknownStackError(HarnessError):
    """There is no `Pulumi.<stack>.yaml` for the stack asked for."""


class StackConfigError(HarnessError):
    """A stack file or a config value is wrong; the message names the file and the key."""


class ProgramError(HarnessError):
    """The stack program itself failed; the original exception is chained as `__cause__`."""
