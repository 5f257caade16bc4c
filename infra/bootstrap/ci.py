"""CI's way into the account: GitHub's OIDC provider and two roles, so no AWS key is ever stored in CI.

- the preview role (`AWS_PREVIEW_ROLE_ARN`): read-only, for `pulumi preview` on any branch or pull
  request of the repository;
- the deploy role (`AWS_DEPLOY_ROLE_ARN`): for `pulumi up`, only from the repository's dev, staging and
  prod GitHub environments (prod's requires a reviewer's approval).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

if TYPE_CHECKING:
    from mypy_boto3_iam import IAMClient

GITHUB_ISSUER = "token.actions.githubusercontent.com"
ENVIRONMENTS = ("dev", "staging", "prod")
PREVIEW_ROLE = "primetradeai-ci-preview"
DEPLOY_ROLE = "primetradeai-ci-deploy"
_REPOSITORY = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")

# The program creates IAM roles for EKS, its nodes and the API's service account; PowerUserAccess
# covers everything else but IAM, so the deploy role gets exactly these IAM actions on top.
DEPLOY_IAM_ACTIONS = (
    "iam:CreateRole",
    "iam:DeleteRole",
    "iam:GetRole",
    "iam:TagRole",
    "iam:UntagRole",
    "iam:UpdateAssumeRolePolicy",
    "iam:AttachRolePolicy",
    "iam:DetachRolePolicy",
    "iam:PutRolePolicy",
    "iam:GetRolePolicy",
    "iam:DeleteRolePolicy",
    "iam:ListRolePolicies",
    "iam:ListAttachedRolePolicies",
    "iam:ListInstanceProfilesForRole",
    "iam:PassRole",
    "iam:CreateOpenIDConnectProvider",
    "iam:DeleteOpenIDConnectProvider",
    "iam:GetOpenIDConnectProvider",
    "iam:TagOpenIDConnectProvider",
    "iam:CreateServiceLinkedRole",
)


@dataclass(frozen=True)
class CiRoles:
    """The ARNs to store as the repository's AWS_PREVIEW_ROLE_ARN and AWS_DEPLOY_ROLE_ARN variables."""

    provider_arn: str
    preview_role_arn: str
    deploy_role_arn: str


def check_repository(repository: str) -> str:
    """`owner/name`, or a ValueError that says what is expected."""
    if not _REPOSITORY.fullmatch(repository):
        raise ValueError(f"repository {repository!r} must look like owner/name")
    return repository


def github_trust(provider_arn: str, subjects: Sequence[str]) -> str:
    """Trust GitHub's tokens for this audience and only these `sub` claims."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Federated": provider_arn},
                    "Action": "sts:AssumeRoleWithWebIdentity",
                    "Condition": {
                        "StringEquals": {f"{GITHUB_ISSUER}:aud": "sts.amazonaws.com"},
                        "StringLike": {f"{GITHUB_ISSUER}:sub": list(subjects)},
                    },
                }
            ],
        }
    )


def secrets_key_policy(key_arn: str) -> str:
    """Decrypt and encrypt stack secrets with the one key (preview needs it to read config)."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
                    "Resource": key_arn,
                }
            ],
        }
    )


def deploy_iam_policy() -> str:
    """The IAM actions the program needs beyond PowerUserAccess."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": list(DEPLOY_IAM_ACTIONS), "Resource": "*"}],
        }
    )


def ensure_github_provider(iam: IAMClient) -> str:
    """The account's GitHub OIDC provider, created if missing."""
    for provider in iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]:
        arn = provider.get("Arn", "")
        if arn.endswith(f"/{GITHUB_ISSUER}"):
            return arn
    created = iam.create_open_id_connect_provider(
        Url=f"https://{GITHUB_ISSUER}",
        ClientIDList=["sts.amazonaws.com"],
        # AWS no longer checks this thumbprint for GitHub, but the API still requires one.
        ThumbprintList=["6938fd4d98bab03faadb97b34396831e3780aea1"],
        Tags=[{"Key": "project", "Value": "primetradeai"}],
    )
    return created["OpenIDConnectProviderArn"]


def _ensure_role(iam: IAMClient, name: str, trust: str, description: str) -> str:
    try:
        iam.update_assume_role_policy(RoleName=name, PolicyDocument=trust)
        return iam.get_role(RoleName=name)["Role"]["Arn"]
    except ClientError as error:
        if error.response["Error"]["Code"] != "NoSuchEntity":
            raise
    created = iam.create_role(
        RoleName=name,
        AssumeRolePolicyDocument=trust,
        Description=description,
        MaxSessionDuration=3600,
        Tags=[{"Key": "project", "Value": "primetradeai"}],
    )
    return created["Role"]["Arn"]


def ensure_ci_roles(iam: IAMClient, repository: str, secrets_key_arn: str) -> CiRoles:
    """Create (or update) the provider and both roles for `owner/name`."""
    repository = check_repository(repository)
    provider = ensure_github_provider(iam)
    preview = _ensure_role(
        iam,
        PREVIEW_ROLE,
        github_trust(provider, [f"repo:{repository}:*"]),
        "primetradeai CI: pulumi preview (read-only)",
    )
    iam.attach_role_policy(RoleName=PREVIEW_ROLE, PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    iam.put_role_policy(
        RoleName=PREVIEW_ROLE, PolicyName="stack-secrets", PolicyDocument=secrets_key_policy(secrets_key_arn)
    )
    deploy = _ensure_role(
        iam,
        DEPLOY_ROLE,
        github_trust(provider, [f"repo:{repository}:environment:{env}" for env in ENVIRONMENTS]),
        "primetradeai CI: pulumi up from the dev, staging and prod environments",
    )
    iam.attach_role_policy(RoleName=DEPLOY_ROLE, PolicyArn="arn:aws:iam::aws:policy/PowerUserAccess")
    iam.put_role_policy(RoleName=DEPLOY_ROLE, PolicyName="program-iam", PolicyDocument=deploy_iam_policy())
    iam.put_role_policy(
        RoleName=DEPLOY_ROLE, PolicyName="stack-secrets", PolicyDocument=secrets_key_policy(secrets_key_arn)
    )
    return CiRoles(provider_arn=provider, preview_role_arn=preview, deploy_role_arn=deploy)
