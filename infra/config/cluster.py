"""The EKS cluster's config: the node group, who reaches the Kubernetes API and from where, and the
existing-cluster mode; plus the check only the whole stack can make (prod keeps the API off the internet).
"""

from __future__ import annotations

import ipaddress
from typing import Annotated, Literal, Self

from pydantic import Field, PositiveInt, field_validator, model_validator

from infra.config.conflict import ConfigConflictError
from infra.config.section import Section

_EKS_PUBLIC_CIDRS_MAX = 40
"""EKS accepts at most this many public access CIDR blocks per cluster."""


def parse_cidr(cidr: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    """A network in CIDR notation with host bits clear (`10.0.0.0/16`, not `10.0.0.1/16`), else ValueError."""
    if "/" not in cidr:
        raise ValueError(f"{cidr!r} is not a CIDR block (address/prefix, e.g. 192.0.2.0/24)")
    try:
        return ipaddress.ip_network(cidr, strict=True)
    except ValueError as exc:
        if "host bits set" in str(exc):
            network = ipaddress.ip_network(cidr, strict=False)
            raise ValueError(f"{cidr!r} has host bits set; the block is {network}") from None
        raise ValueError(f"{cidr!r} is not a CIDR block (address/prefix, e.g. 192.0.2.0/24)") from None


def is_whole_internet(cidr: str) -> bool:
    """Whether a CIDR block is every address (0.0.0.0/0, ::/0, in any spelling)."""
    try:
        return ipaddress.ip_network(cidr, strict=False).prefixlen == 0
    except ValueError:
        return False


class ClusterConfig(Section):
    """An EKS cluster with a managed node group, or an existing cluster reached by a kubeconfig secret."""

    mode: Literal["eks", "existing"] = "eks"
    kubernetes_version: Literal["1.34"] = "1.34"
    node_instance_types: tuple[str, ...] = ("t3.medium",)
    node_min: PositiveInt = 2
    node_desired: PositiveInt = 2
    node_max: PositiveInt = 4
    node_disk_gib: Annotated[int, Field(ge=20, le=1000)] = 20
    namespace: Annotated[str, Field(pattern=r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")] = "taskapi"
    endpoint_public_access: bool = True
    """Give the Kubernetes API a public endpoint (besides the private one inside the VPC, always on)."""
    endpoint_public_access_cidrs: tuple[str, ...] = ("0.0.0.0/0",)
    """Who may reach the public endpoint. Prod must narrow it: 0.0.0.0/0 and ::/0 are refused there."""
    admin_role_arns: tuple[Annotated[str, Field(pattern=r"^arn:aws:iam::\d{12}:role/.+$")], ...] = ()
    """IAM roles given cluster-admin through EKS access entries (CI's deploy role, operators): the only way
    into a cluster the program creates, so the role that runs `pulumi up` must be one of them."""
    ingress_controller: bool = True
    """Install ingress-nginx (the chart's default IngressClass) behind an AWS Network Load Balancer."""
    name: str | None = None
    """The existing cluster's name (mode: existing)."""
    node_security_group_id: str | None = None
    """The existing cluster's node security group, the only source the cache accepts (mode: existing)."""

    @field_validator("endpoint_public_access_cidrs")
    @classmethod
    def _cidrs_are_networks(cls, cidrs: tuple[str, ...]) -> tuple[str, ...]:
        for cidr in cidrs:
            parse_cidr(cidr)
        if len(cidrs) > _EKS_PUBLIC_CIDRS_MAX:
            raise ValueError(f"EKS accepts at most {_EKS_PUBLIC_CIDRS_MAX} CIDR blocks (got {len(cidrs)})")
        return cidrs

    @model_validator(mode="after")
    def _public_endpoint_names_its_clients(self) -> Self:
        if self.endpoint_public_access and not self.endpoint_public_access_cidrs:
            # EKS reads an empty list as its default, 0.0.0.0/0.
            raise ConfigConflictError(
                "endpointPublicAccessCidrs",
                "needs at least one CIDR block while endpointPublicAccess is true "
                "(EKS opens an empty list to 0.0.0.0/0); set endpointPublicAccess: false for a private API",
            )
        if not self.endpoint_public_access and "endpoint_public_access_cidrs" in self.model_fields_set:
            raise ConfigConflictError(
                "endpointPublicAccessCidrs", "is set but endpointPublicAccess is false (no public endpoint)"
            )
        return self

    @model_validator(mode="after")
    def _node_bounds_are_ordered(self) -> Self:
        if not self.node_min <= self.node_desired <= self.node_max:
            raise ConfigConflictError("nodeDesired", "needs nodeMin <= nodeDesired <= nodeMax")
        if self.mode == "eks" and not self.admin_role_arns:
            raise ConfigConflictError(
                "adminRoleArns", "needs the role that runs `pulumi up` when mode is eks"
            )
        if self.mode == "existing":
            if not self.name:
                raise ConfigConflictError("name", "is required when mode is existing")
            if not self.node_security_group_id:
                raise ConfigConflictError("nodeSecurityGroupId", "is required when mode is existing")
        return self


def refuse_public_kubernetes_api(cluster: ClusterConfig) -> None:
    """Refuse a prod cluster whose public Kubernetes API endpoint is open to the whole internet (raised
    from the stack's model, so the key names the section)."""
    if cluster.mode != "eks" or not cluster.endpoint_public_access:
        return
    world = [cidr for cidr in cluster.endpoint_public_access_cidrs if is_whole_internet(cidr)]
    if world:
        default = "" if "endpoint_public_access_cidrs" in cluster.model_fields_set else " (the default)"
        raise ConfigConflictError(
            "cluster.endpointPublicAccessCidrs",
            f"{world[0]}{default} opens prod's Kubernetes API to the whole internet; list the addresses "
            "that administer it, or set endpointPublicAccess: false for a private endpoint only",
        )
