"""The network: a new VPC over several zones (public and private subnets, NAT) or an existing VPC."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from infra.components.tagging import with_name
from infra.config.schema import NetworkConfig


def subnet_cidrs(vpc_cidr: str, zones: int) -> tuple[list[str], list[str]]:
    """Split the VPC into `zones` small public and `zones` large private subnets.

    Private subnets hold the nodes, pods (VPC CNI gives each pod an address) and the cache, so they get
    /19s of a /16; public subnets only hold NAT gateways and load balancers, so /24s suffice.
    """
    network = ipaddress.IPv4Network(vpc_cidr)
    private_prefix = network.prefixlen + 3
    if private_prefix > 26 or zones > 6:
        raise ValueError(f"{vpc_cidr} is too small for {zones} zones")
    halves = list(network.subnets(new_prefix=private_prefix))
    private = [str(s) for s in halves[:zones]]
    public_block = halves[-1]
    public = [str(s) for s in list(public_block.subnets(new_prefix=min(private_prefix + 5, 28)))[:zones]]
    return public, private


def nat_gateway_count(mode: str, zones: int) -> int:
    """One NAT gateway per zone keeps egress up when a zone fails; `single` trades that for cost."""
    return 1 if mode == "single" else zones


@dataclass(frozen=True)
class NetworkArgs:
    """What the network needs from the stack."""

    config: NetworkConfig
    tags: dict[str, str]


class Network(pulumi.ComponentResource):
    """The VPC the cluster and the cache live in."""

    vpc_id: pulumi.Output[str]
    """The VPC's id."""
    cidr_block: pulumi.Output[str]
    """The VPC's IPv4 CIDR: where the cache and the database's private endpoint are reached."""
    private_subnet_ids: pulumi.Output[list[str]]
    """Subnets for nodes, pods and the cache (no route from the internet)."""
    public_subnet_ids: pulumi.Output[list[str]]
    """Subnets for load balancers and NAT gateways."""
    egress_cidrs: list[pulumi.Output[str]]
    """The /32 addresses the private subnets reach the internet from (the Atlas access list), one each
    so that the database can register one access-list entry per address."""

    def __init__(self, name: str, args: NetworkArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("primetradeai:network:Network", name, None, opts)
        config = args.config
        if config.mode == "existing":
            assert config.vpc_id is not None  # the schema requires it for mode: existing
            self.vpc_id = pulumi.Output.from_input(config.vpc_id)
            self.cidr_block = aws.ec2.get_vpc_output(
                id=config.vpc_id, opts=pulumi.InvokeOutputOptions(parent=self)
            ).cidr_block
            self.private_subnet_ids = pulumi.Output.from_input(list(config.private_subnet_ids))
            self.public_subnet_ids = pulumi.Output.from_input(list(config.public_subnet_ids))
            self.egress_cidrs = [pulumi.Output.from_input(cidr) for cidr in config.egress_cidrs]
        else:
            self._create(name, config, args.tags)
        self.register_outputs(
            {
                "vpcId": self.vpc_id,
                "cidrBlock": self.cidr_block,
                "privateSubnetIds": self.private_subnet_ids,
                "publicSubnetIds": self.public_subnet_ids,
                "egressCidrs": self.egress_cidrs,
            }
        )

    def _create(self, name: str, config: NetworkConfig, tags: dict[str, str]) -> None:
        child = pulumi.ResourceOptions(parent=self)
        zones = aws.get_availability_zones_output(
            state="available", opts=pulumi.InvokeOutputOptions(parent=self)
        )
        public_cidrs, private_cidrs = subnet_cidrs(config.cidr_block, config.availability_zones)
        vpc = aws.ec2.Vpc(
            f"{name}-vpc",
            cidr_block=config.cidr_block,
            enable_dns_hostnames=True,  # EKS nodes and the cache endpoints need DNS names
            enable_dns_support=True,
            tags=with_name(tags, f"{name}-vpc"),
            opts=child,
        )
        igw = aws.ec2.InternetGateway(
            f"{name}-igw", vpc_id=vpc.id, tags=with_name(tags, f"{name}-igw"), opts=child
        )
        public_routes = aws.ec2.RouteTable(
            f"{name}-public",
            vpc_id=vpc.id,
            routes=[aws.ec2.RouteTableRouteArgs(cidr_block="0.0.0.0/0", gateway_id=igw.id)],
            tags=with_name(tags, f"{name}-public"),
            opts=child,
        )
        public: list[aws.ec2.Subnet] = []
        private: list[aws.ec2.Subnet] = []
        for index, (public_cidr, private_cidr) in enumerate(zip(public_cidrs, private_cidrs, strict=True)):
            zone = zones.names[index]
            subnet = aws.ec2.Subnet(
                f"{name}-public-{index}",
                vpc_id=vpc.id,
                cidr_block=public_cidr,
                availability_zone=zone,
                map_public_ip_on_launch=False,  # nothing in a public subnet gets an address by accident
                tags={**with_name(tags, f"{name}-public-{index}"), "kubernetes.io/role/elb": "1"},
                opts=child,
            )
            aws.ec2.RouteTableAssociation(
                f"{name}-public-{index}", subnet_id=subnet.id, route_table_id=public_routes.id, opts=child
            )
            public.append(subnet)
            private.append(
                aws.ec2.Subnet(
                    f"{name}-private-{index}",
                    vpc_id=vpc.id,
                    cidr_block=private_cidr,
                    availability_zone=zone,
                    tags={
                        **with_name(tags, f"{name}-private-{index}"),
                        "kubernetes.io/role/internal-elb": "1",
                    },
                    opts=child,
                )
            )
        eips = self._nat(name, config, tags, vpc, public, private, child)
        self.vpc_id = vpc.id
        self.cidr_block = vpc.cidr_block
        self.private_subnet_ids = pulumi.Output.all(*[s.id for s in private]).apply(list)
        self.public_subnet_ids = pulumi.Output.all(*[s.id for s in public]).apply(list)
        self.egress_cidrs = [eip.public_ip.apply(lambda ip: f"{ip}/32") for eip in eips]

    def _nat(
        self,
        name: str,
        config: NetworkConfig,
        tags: dict[str, str],
        vpc: aws.ec2.Vpc,
        public: Sequence[aws.ec2.Subnet],
        private: Sequence[aws.ec2.Subnet],
        child: pulumi.ResourceOptions,
    ) -> list[aws.ec2.Eip]:
        count = nat_gateway_count(config.nat_gateways, len(public))
        eips: list[aws.ec2.Eip] = []
        gateways: list[aws.ec2.NatGateway] = []
        for index in range(count):
            eip = aws.ec2.Eip(
                f"{name}-nat-{index}", domain="vpc", tags=with_name(tags, f"{name}-nat-{index}"), opts=child
            )
            gateways.append(
                aws.ec2.NatGateway(
                    f"{name}-nat-{index}",
                    allocation_id=eip.allocation_id,
                    subnet_id=public[index].id,
                    tags=with_name(tags, f"{name}-nat-{index}"),
                    opts=child,
                )
            )
            eips.append(eip)
        for index, subnet in enumerate(private):
            table = aws.ec2.RouteTable(
                f"{name}-private-{index}",
                vpc_id=vpc.id,
                routes=[
                    aws.ec2.RouteTableRouteArgs(
                        cidr_block="0.0.0.0/0", nat_gateway_id=gateways[index % count].id
                    )
                ],
                tags=with_name(tags, f"{name}-private-{index}"),
                opts=child,
            )
            aws.ec2.RouteTableAssociation(
                f"{name}-private-{index}", subnet_id=subnet.id, route_table_id=table.id, opts=child
            )
        return eips
