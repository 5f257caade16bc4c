"""The Kubernetes cluster: EKS with a managed node group, or an existing cluster from a kubeconfig.

Everything inside the cluster is created through the one explicit `provider` this component exposes, so
nothing ever lands in whatever cluster the ambient kubeconfig points at.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s

from infra.components.outputs import secret_output
from infra.components.tagging import kubernetes_labels, with_name
from infra.config.cluster import ClusterConfig

_NODE_POLICIES = (
    "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
    "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
    "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
)
INGRESS_NAMESPACE = "ingress-nginx"
CLUSTER_ADMIN_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
INGRESS_CONTROLLER_SERVICE = "ingress-nginx-controller"


def assume_role_policy(service: str) -> str:
    """A trust policy that lets one AWS service assume a role."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}],
        }
    )


def kubeconfig_for(cluster_name: str, endpoint: str, ca_data: str, region: str) -> str:
    """A kubeconfig that authenticates with `aws eks get-token`: it holds no credential of its own."""
    return json.dumps(
        {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [
                {"name": cluster_name, "cluster": {"server": endpoint, "certificate-authority-data": ca_data}}
            ],
            "contexts": [{"name": cluster_name, "context": {"cluster": cluster_name, "user": cluster_name}}],
            "current-context": cluster_name,
            "users": [
                {
                    "name": cluster_name,
                    "user": {
                        "exec": {
                            "apiVersion": "client.authentication.k8s.io/v1beta1",
                            "command": "aws",
                            "args": ["eks", "get-token", "--cluster-name", cluster_name, "--region", region],
                        }
                    },
                }
            ],
        }
    )


def public_access_cidrs(config: ClusterConfig) -> list[str] | None:
    """The blocks the public endpoint admits; None (left out) when there is no public endpoint."""
    return list(config.endpoint_public_access_cidrs) if config.endpoint_public_access else None


def namespace_labels(namespace: str) -> dict[str, str]:
    """Pod Security Admission at `restricted`: the chart's pods already meet it, anything else is refused."""
    return {
        **kubernetes_labels(namespace, namespace),
        "kubernetes.io/metadata.name": namespace,
        "pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/audit": "restricted",
    }


def ingress_controller_values() -> dict[str, Any]:
    """ingress-nginx behind an internet-facing NLB; Cloudflare is the only client it should see."""
    return {
        "controller": {
            "replicaCount": 2,
            "service": {
                "annotations": {
                    "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
                    "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
                    "service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled": "true",
                }
            },
            # Cloudflare sets the client address; trust it only as far as the configured hop count.
            "config": {"use-forwarded-headers": "true", "enable-real-ip": "true"},
        }
    }


@dataclass(frozen=True)
class ClusterArgs:
    """What the cluster needs from the stack."""

    config: ClusterConfig
    tags: dict[str, str]
    private_subnet_ids: pulumi.Input[list[str]]
    public_subnet_ids: pulumi.Input[list[str]]
    kubeconfig: pulumi.Output[str] | None
    region: str


class Cluster(pulumi.ComponentResource):
    """The cluster, its namespace for the API, and the provider that reaches it."""

    cluster_name: pulumi.Output[str]
    """The cluster's name."""
    provider: k8s.Provider
    """The one Kubernetes provider for everything in the cluster."""
    namespace: pulumi.Output[str]
    """The namespace the API runs in."""
    node_security_group_id: pulumi.Output[str]
    """The security group the nodes (and so the pods) carry."""
    oidc_provider_arn: pulumi.Output[str] | None
    """The IAM OIDC provider for service-account roles (None for an existing cluster)."""
    oidc_issuer: pulumi.Output[str] | None
    """The cluster's OIDC issuer host and path, without https:// (None for an existing cluster)."""
    ingress_ready: list[pulumi.Resource]
    """What must exist before an Ingress can get an address."""

    def __init__(self, name: str, args: ClusterArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("primetradeai:cluster:Cluster", name, None, opts)
        config = args.config
        child = pulumi.ResourceOptions(parent=self)
        self.oidc_provider_arn = None
        self.oidc_issuer = None
        if config.mode == "existing":
            assert args.kubeconfig is not None  # the config loader requires it for mode: existing
            assert config.name is not None
            assert config.node_security_group_id is not None
            kubeconfig: pulumi.Output[str] = args.kubeconfig
            self.cluster_name = pulumi.Output.from_input(config.name)
            self.node_security_group_id = pulumi.Output.from_input(config.node_security_group_id)
            depends: list[pulumi.Resource] = []
        else:
            kubeconfig, depends = self._eks(name, args, child)
        self.provider = k8s.Provider(
            f"{name}-k8s",
            kubeconfig=secret_output(kubeconfig),
            # Fail instead of guessing when a resource's namespace is not set explicitly.
            namespace=config.namespace,
            opts=pulumi.ResourceOptions(parent=self, depends_on=depends),
        )
        in_cluster = pulumi.ResourceOptions(parent=self, provider=self.provider)
        namespace = k8s.core.v1.Namespace(
            f"{name}-namespace",
            metadata=k8s.meta.v1.ObjectMetaArgs(
                name=config.namespace, labels=namespace_labels(config.namespace)
            ),
            opts=in_cluster,
        )
        self.namespace = namespace.metadata.apply(lambda m: str(m["name"] if isinstance(m, dict) else m.name))
        self.ingress_ready = []
        if config.ingress_controller:
            self.ingress_ready.append(
                k8s.helm.v3.Release(
                    f"{name}-ingress-nginx",
                    name="ingress-nginx",
                    chart="ingress-nginx",
                    version="4.13.3",
                    namespace=INGRESS_NAMESPACE,
                    create_namespace=True,
                    repository_opts=k8s.helm.v3.RepositoryOptsArgs(
                        repo="https://kubernetes.github.io/ingress-nginx"
                    ),
                    values=ingress_controller_values(),
                    atomic=True,
                    opts=in_cluster,
                )
            )
        self.register_outputs({"clusterName": self.cluster_name, "namespace": self.namespace})

    def _eks(
        self, name: str, args: ClusterArgs, child: pulumi.ResourceOptions
    ) -> tuple[pulumi.Output[str], list[pulumi.Resource]]:
        config, tags = args.config, args.tags
        cluster_role = aws.iam.Role(
            f"{name}-cluster-role",
            assume_role_policy=assume_role_policy("eks.amazonaws.com"),
            tags=tags,
            opts=child,
        )
        cluster_policy = aws.iam.RolePolicyAttachment(
            f"{name}-cluster-policy",
            role=cluster_role.name,
            policy_arn="arn:aws:iam::aws:policy/AmazonEKSClusterPolicy",
            opts=child,
        )
        secrets_key = aws.kms.Key(
            f"{name}-secrets-key",
            description=f"{name}: envelope encryption of Kubernetes Secrets",
            enable_key_rotation=True,
            deletion_window_in_days=30,
            tags=tags,
            opts=child,
        )
        cluster = aws.eks.Cluster(
            f"{name}-eks",
            name=f"{name}-eks",
            version=config.kubernetes_version,
            role_arn=cluster_role.arn,
            vpc_config=aws.eks.ClusterVpcConfigArgs(
                subnet_ids=pulumi.Output.all(args.private_subnet_ids, args.public_subnet_ids).apply(
                    lambda ids: [*ids[0], *ids[1]]
                ),
                # Nodes, pods and a runner inside the VPC reach the API privately whatever the public side is.
                endpoint_private_access=True,
                endpoint_public_access=config.endpoint_public_access,
                public_access_cidrs=public_access_cidrs(config),
            ),
            # Admins are exactly `adminRoleArns`: no implicit entry for whoever created the cluster, which
            # would also collide with an explicit entry for the same role (EKS answers 409).
            access_config=aws.eks.ClusterAccessConfigArgs(
                authentication_mode="API", bootstrap_cluster_creator_admin_permissions=False
            ),
            encryption_config=aws.eks.ClusterEncryptionConfigArgs(
                provider=aws.eks.ClusterEncryptionConfigProviderArgs(key_arn=secrets_key.arn),
                resources=["secrets"],
            ),
            enabled_cluster_log_types=["api", "audit", "authenticator"],
            tags=with_name(tags, f"{name}-eks"),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[cluster_policy]),
        )
        node_role = aws.iam.Role(
            f"{name}-node-role",
            assume_role_policy=assume_role_policy("ec2.amazonaws.com"),
            tags=tags,
            opts=child,
        )
        attachments = [
            aws.iam.RolePolicyAttachment(
                f"{name}-node-policy-{index}", role=node_role.name, policy_arn=arn, opts=child
            )
            for index, arn in enumerate(_NODE_POLICIES)
        ]
        nodes = aws.eks.NodeGroup(
            f"{name}-nodes",
            cluster_name=cluster.name,
            node_role_arn=node_role.arn,
            subnet_ids=args.private_subnet_ids,
            instance_types=list(config.node_instance_types),
            ami_type="AL2023_x86_64_STANDARD",
            disk_size=config.node_disk_gib,
            scaling_config=aws.eks.NodeGroupScalingConfigArgs(
                min_size=config.node_min, desired_size=config.node_desired, max_size=config.node_max
            ),
            update_config=aws.eks.NodeGroupUpdateConfigArgs(max_unavailable=1),
            tags=tags,
            opts=pulumi.ResourceOptions(
                parent=self,
                depends_on=attachments,
                # The cluster autoscaler moves desired size; a deploy must not undo that.
                ignore_changes=["scalingConfig.desiredSize"],
            ),
        )
        admins: list[pulumi.Resource] = []
        for index, arn in enumerate(config.admin_role_arns):
            entry = aws.eks.AccessEntry(
                f"{name}-admin-{index}",
                cluster_name=cluster.name,
                principal_arn=arn,
                type="STANDARD",
                tags=tags,
                opts=child,
            )
            admins.append(
                aws.eks.AccessPolicyAssociation(
                    f"{name}-admin-{index}",
                    cluster_name=cluster.name,
                    principal_arn=entry.principal_arn,
                    policy_arn=CLUSTER_ADMIN_POLICY,
                    access_scope=aws.eks.AccessPolicyAssociationAccessScopeArgs(type="cluster"),
                    opts=child,
                )
            )
        issuer = cluster.identities.apply(lambda ids: str(ids[0].oidcs[0].issuer))  # type: ignore[index]
        oidc = aws.iam.OpenIdConnectProvider(
            f"{name}-oidc", url=issuer, client_id_lists=["sts.amazonaws.com"], tags=tags, opts=child
        )
        self.cluster_name = cluster.name
        self.node_security_group_id = cluster.vpc_config.cluster_security_group_id
        self.oidc_provider_arn = oidc.arn
        self.oidc_issuer = issuer.apply(lambda url: url.removeprefix("https://"))
        kubeconfig = pulumi.Output.all(
            cluster.name, cluster.endpoint, cluster.certificate_authority.data
        ).apply(lambda parts: kubeconfig_for(str(parts[0]), str(parts[1]), str(parts[2]), args.region))
        return kubeconfig, [nodes, *admins]
