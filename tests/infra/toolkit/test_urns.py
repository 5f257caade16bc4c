"""URNs in the engine's form."""

from __future__ import annotations

from infra.toolkit.urns import child_urn, default_provider_urn, provider_urn, stack_urn, strip_stack_prefix


def test_the_stack_urn_is_named_after_project_and_stack() -> None:
    assert (
        stack_urn("prod", "primetradeai")
        == "urn:pulumi:prod::primetradeai::pulumi:pulumi:Stack::primetradeai-prod"
    )


def test_a_child_urn_extends_its_parents_type_chain() -> None:
    parent = "urn:pulumi:prod::p::a:b:C$d:e:F::web"

    assert child_urn(parent, "kubernetes:apps/v1:Deployment", "ns/web") == (
        "urn:pulumi:prod::p::a:b:C$d:e:F$kubernetes:apps/v1:Deployment::ns/web"
    )


def test_the_mock_stack_prefix_is_removed() -> None:
    mock = "urn:pulumi:prod::p::pulumi:pulumi:Stack$aws:ec2/vpc:Vpc::main"

    assert strip_stack_prefix(mock) == "urn:pulumi:prod::p::aws:ec2/vpc:Vpc::main"


def test_a_provider_reference_loses_its_id_and_a_default_provider_is_named_after_its_package() -> None:
    assert provider_urn("urn:pulumi:s::p::pulumi:providers:aws::east::1234-id") == (
        "urn:pulumi:s::p::pulumi:providers:aws::east"
    )
    assert (
        provider_urn("urn:pulumi:s::p::pulumi:providers:aws::east")
        == "urn:pulumi:s::p::pulumi:providers:aws::east"
    )
    assert default_provider_urn("s", "p", "kubernetes:apps/v1:Deployment") == (
        "urn:pulumi:s::p::pulumi:providers:kubernetes::default"
    )
