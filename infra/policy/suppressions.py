"""Waive a policy for one resource, with a reason, the way cdk-nag's suppressions do.

A suppression names the policy, the resource (its logical name, or its whole URN) and why. The pack
reads them from `pulumi preview --policy-pack-config FILE` (`{"<policy>": {"suppressions": [...]}}`,
validated by the engine against each policy's config schema); `primetradeai policy` reads the same file
or the stack's `primetradeai:policySuppressions` and lists every waived violation, never hiding one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pulumi_policy import (
    Policy,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

from infra.config.schema import PolicySuppression

SUPPRESSIONS_KEY = "suppressions"


SUPPRESSIONS_SCHEMA: dict[str, Any] = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "resource": {"type": "string", "minLength": 1},
            "reason": {"type": "string", "minLength": 1},
        },
        "required": ["resource", "reason"],
        "additionalProperties": False,
    },
}
"""The JSON schema of a policy's `suppressions` setting, as the engine checks the pack config file."""


def waiver_for(waivers: Iterable[PolicySuppression], urn: str) -> PolicySuppression | None:
    """The first waiver that names `urn`'s resource (by logical name or by URN), if any."""
    name = urn.rsplit("::", 1)[-1]
    return next((w for w in waivers if w.resource in (name, urn)), None)


def waivers_in(policy: str, config: Mapping[str, Any]) -> tuple[PolicySuppression, ...]:
    """The waivers of one policy's config (already checked against SUPPRESSIONS_SCHEMA by the engine)."""
    return tuple(
        PolicySuppression.model_validate({**entry, "policy": policy})
        for entry in config.get(SUPPRESSIONS_KEY) or ()
    )


def _schema(schema: PolicyConfigSchema | None) -> PolicyConfigSchema:
    properties = dict(schema.properties) if schema is not None else {}
    required = list(schema.required or ()) if schema is not None else None
    return PolicyConfigSchema(
        properties={**properties, SUPPRESSIONS_KEY: SUPPRESSIONS_SCHEMA}, required=required
    )


def _honouring(
    waivers: Sequence[PolicySuppression], report: ReportViolation, default_urn: str | None
) -> ReportViolation:
    def filtered(message: str, urn: str | None = None) -> None:
        target = urn or default_urn
        if target is None or waiver_for(waivers, target) is None:
            report(message, urn)

    return filtered


def waivable(policy: Policy) -> Policy:
    """`policy` with a `suppressions` setting that keeps waived violations from being reported."""
    if isinstance(policy, ResourceValidationPolicy):
        inner = policy

        def validate_resource(args: ResourceValidationArgs, report: ReportViolation) -> Any:
            waivers = waivers_in(policy.name, args.get_config())
            return inner.validate(args, _honouring(waivers, report, args.urn))

        wrapped: Policy = ResourceValidationPolicy(
            policy.name,
            policy.description,
            validate_resource,
            policy.enforcement_level,
            _schema(policy.config_schema),
        )
        wrapped.unwaived = policy  # type: ignore[attr-defined]
        return wrapped
    if isinstance(policy, StackValidationPolicy):
        stack_inner = policy

        def validate_stack(args: StackValidationArgs, report: ReportViolation) -> Any:
            waivers = waivers_in(policy.name, args.get_config())
            return stack_inner.validate(args, _honouring(waivers, report, None))

        wrapped = StackValidationPolicy(
            policy.name,
            policy.description,
            validate_stack,
            policy.enforcement_level,
            _schema(policy.config_schema),
        )
        wrapped.unwaived = policy  # type: ignore[attr-defined]
        return wrapped
    return policy


def unwaived(policy: Policy) -> Policy:
    """The policy `waivable` wrapped (itself if it is not a wrapper): for a caller that applies the
    suppressions itself and passes no config, the wrapper would pass every report through unchanged."""
    inner = getattr(policy, "unwaived", policy)
    assert isinstance(inner, Policy)
    return inner
