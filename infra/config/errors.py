"""The one error a bad stack config raises."""

from __future__ import annotations

from pulumi import RunError


class InvalidStackConfigError(RunError):
    """A stack's config is wrong. The message names the stack file and the key, e.g.
    `Pulumi.prod.yaml: primetradeai:cache.numNodes: ...`. A RunError, so `pulumi up` prints the
    message without a stack trace."""
