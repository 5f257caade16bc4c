"""No public data stores: Atlas access lists, cache security groups, publiclyAccessible; the EKS endpoint."""

from __future__ import annotations

import ipaddress
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping

from pulumi_policy import (
    EnforcementLevel,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

from infra.policy import tokens
from infra.policy.props import as_list, dig, environment_of

_ANY_ADDRESS = "0.0.0.0"  # noqa: S104 - an address compared against, never bound


def _atlas_access_list_not_world(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != tokens.ATLAS_ACCESS_LIST:
        return
    cidr = args.props.get("cidrBlock")
    if cidr in tokens.WORLD_CIDRS or args.props.get("ipAddress") == _ANY_ADDRESS:
        report(f"access list entry {cidr or _ANY_ADDRESS} opens the database to the whole internet", None)


def _nothing_publicly_accessible(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.props.get("publiclyAccessible") is True:
        report("publiclyAccessible is true: data stores stay inside the VPC", None)


def _is_world(cidr: object) -> bool:
    """0.0.0.0/0 or ::/0, however it is spelled (0.0.0.0/00, ::0/0...)."""
    if cidr in tokens.WORLD_CIDRS:
        return True
    try:
        return ipaddress.ip_network(str(cidr), strict=False).prefixlen == 0
    except ValueError:
        return False


def _public_to_the_world(vpc: object) -> str | None:
    """Why the public endpoint admits everyone, read with EKS's defaults (on, and open to 0.0.0.0/0 when the
    list is empty or absent); None when it does not."""
    if dig(vpc, "endpointPublicAccess") is False:
        return None
    cidrs = as_list(dig(vpc, "publicAccessCidrs")) or ["0.0.0.0/0"]
    world = [str(cidr) for cidr in cidrs if _is_world(cidr)]
    if not world:
        return None
    return (
        f"the Kubernetes API endpoint is public to {world[0]}: set vpcConfig.publicAccessCidrs "
        "(stack key cluster.endpointPublicAccessCidrs) or endpointPublicAccess: false"
    )


def _eks_endpoint_restricted(args: ResourceValidationArgs, report: ReportViolation) -> None:
    # Prod has its own, mandatory, policy; elsewhere an open endpoint is worth a note, not a stop.
    if args.resource_type != tokens.EKS_CLUSTER or environment_of(args.urn) == "prod":
        return
    problem = _public_to_the_world(args.props.get("vpcConfig"))
    if problem:
        report(problem, None)


def _prod_eks_endpoint_restricted(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != tokens.EKS_CLUSTER or environment_of(args.urn) != "prod":
        return
    vpc = args.props.get("vpcConfig")
    # EKS's default is no private endpoint: nodes and in-VPC clients would leave the VPC to reach the API.
    if dig(vpc, "endpointPrivateAccess") is not True:
        report(
            "endpointPrivateAccess must be true: the deploy runner and the nodes use the private endpoint",
            None,
        )
    problem = _public_to_the_world(vpc)
    if problem:
        report(problem, None)


def _world_ingress(resource: PolicyResource) -> Iterator[str]:
    """The world-open CIDRs a security group (inline rules) or a standalone ingress rule lets in."""
    props = resource.props
    if resource.resource_type == tokens.SECURITY_GROUP:
        for rule in as_list(props.get("ingress")):
            if isinstance(rule, Mapping):
                cidrs = as_list(rule.get("cidrBlocks")) + as_list(rule.get("ipv6CidrBlocks"))
                yield from (c for c in cidrs if c in tokens.WORLD_CIDRS)
    elif resource.resource_type == tokens.SECURITY_GROUP_RULE:
        if props.get("type") == "ingress":
            cidrs = as_list(props.get("cidrBlocks")) + as_list(props.get("ipv6CidrBlocks"))
            yield from (c for c in cidrs if c in tokens.WORLD_CIDRS)
    elif resource.resource_type == tokens.SECURITY_GROUP_INGRESS_RULE:
        yield from (
            str(props.get(key)) for key in ("cidrIpv4", "cidrIpv6") if props.get(key) in tokens.WORLD_CIDRS
        )


def _attached_by_group(resources: Iterable[PolicyResource]) -> dict[str, list[PolicyResource]]:
    """Security group URN -> the group itself and the standalone rules that name it, in stack order."""
    attached: dict[str, list[PolicyResource]] = defaultdict(list)
    for resource in resources:
        groups = {resource.urn, *(g.urn for g in resource.property_dependencies.get("securityGroupId", []))}
        for group in groups:
            attached[group].append(resource)
    return attached


def _cache_security_groups_closed(args: StackValidationArgs, report: ReportViolation) -> None:
    caches = [
        r for r in args.resources if r.resource_type in (tokens.REPLICATION_GROUP, tokens.CACHE_CLUSTER)
    ]
    if not caches:
        return
    # Indexed once so each cache looks up its groups instead of scanning the whole stack.
    attached = _attached_by_group(args.resources)
    for cache in caches:
        groups = {g.urn for g in cache.property_dependencies.get("securityGroupIds", [])}
        # A rule may name two of the cache's groups; each resource is checked once per cache.
        resources = {r.urn: r for group in groups for r in attached.get(group, [])}
        for resource in resources.values():
            for cidr in _world_ingress(resource):
                report(f"security group of cache {cache.name} admits {cidr}", resource.urn)


ATLAS_ACCESS_LIST_NOT_PUBLIC = ResourceValidationPolicy(
    name="atlas-access-list-not-public",
    description="No Atlas project access list entry admits 0.0.0.0/0 or ::/0.",
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=_atlas_access_list_not_world,
)
NOTHING_PUBLICLY_ACCESSIBLE = ResourceValidationPolicy(
    name="no-publicly-accessible-resources",
    description="No resource sets publiclyAccessible.",
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=_nothing_publicly_accessible,
)
EKS_ENDPOINT_RESTRICTED = ResourceValidationPolicy(
    name="eks-endpoint-restricted",
    description="Outside prod, the EKS API endpoint is private or limited to known CIDRs.",
    enforcement_level=EnforcementLevel.ADVISORY,
    validate=_eks_endpoint_restricted,
)
PROD_EKS_ENDPOINT_RESTRICTED = ResourceValidationPolicy(
    name="prod-eks-endpoint-restricted",
    description="In prod, the EKS API has its private endpoint and no public one open to 0.0.0.0/0 or ::/0.",
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=_prod_eks_endpoint_restricted,
)
CACHE_NOT_PUBLIC = StackValidationPolicy(
    name="cache-security-groups-not-public",
    description="Security groups attached to ElastiCache admit no traffic from 0.0.0.0/0 or ::/0.",
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=_cache_security_groups_closed,
)

POLICIES = [
    ATLAS_ACCESS_LIST_NOT_PUBLIC,
    NOTHING_PUBLICLY_ACCESSIBLE,
    EKS_ENDPOINT_RESTRICTED,
    PROD_EKS_ENDPOINT_RESTRICTED,
    CACHE_NOT_PUBLIC,
]
