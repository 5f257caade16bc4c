"""The replace-on-change table answers for the types the stacks use."""

from __future__ import annotations

from infra.toolkit.diff.replace_rules import forces_replacement


def test_a_listed_property_and_anything_under_it_forces_replacement() -> None:
    cluster = "aws:eks/cluster:Cluster"

    assert forces_replacement(cluster, "name")
    assert forces_replacement(cluster, "vpcConfig.securityGroupIds[0]")
    assert not forces_replacement(cluster, "vpcConfig.subnetIds[0]")
    assert not forces_replacement(cluster, "nameSuffix")


def test_kubernetes_objects_are_replaced_when_their_name_or_namespace_changes() -> None:
    assert forces_replacement("kubernetes:apps/v1:Deployment", "metadata.name")
    assert forces_replacement("kubernetes:core/v1:ConfigMap", "metadata.namespace")
    assert forces_replacement("kubernetes:apps/v1:Deployment", "spec.selector.matchLabels.app")
    assert not forces_replacement("kubernetes:apps/v1:Deployment", "spec.replicas")


def test_the_programs_replace_on_changes_patterns_apply() -> None:
    assert forces_replacement("aws:ec2/vpc:Vpc", "tags.Name", ("tags.*",))
    assert forces_replacement("aws:ec2/vpc:Vpc", "anything", ("*",))
    assert not forces_replacement("aws:ec2/vpc:Vpc", "tags.Name", ("enableDnsSupport",))


def test_the_atlas_customer_key_is_replaced_only_where_the_provider_forces_it() -> None:
    encryption = "mongodbatlas:index/encryptionAtRest:EncryptionAtRest"
    authorization = "mongodbatlas:index/cloudProviderAccessAuthorization:CloudProviderAccessAuthorization"
    setup = "mongodbatlas:index/cloudProviderAccessSetup:CloudProviderAccessSetup"

    assert forces_replacement(encryption, "projectId")
    # A new key or role is an update of the project's configuration, not a new configuration.
    assert not forces_replacement(encryption, "awsKmsConfig.customerMasterKeyId")
    assert not forces_replacement(authorization, "aws.iamAssumedRoleArn")
    assert forces_replacement(setup, "providerName")
