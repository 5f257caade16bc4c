"""`python -m infra.bootstrap`: set up the state backend, the secrets key and CI's roles in one account."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from infra.bootstrap.backend import DEFAULT_KEY_ALIAS, check_alias, ensure_state_backend
from infra.bootstrap.ci import check_repository, ensure_ci_roles


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m infra.bootstrap", description=__doc__)
    parser.add_argument("--bucket", required=True, help="S3 bucket for Pulumi state (globally unique)")
    parser.add_argument("--region", default="us-east-1", help="AWS region (default: us-east-1)")
    parser.add_argument(
        "--key-alias", default=DEFAULT_KEY_ALIAS, help=f"KMS alias (default: {DEFAULT_KEY_ALIAS})"
    )
    parser.add_argument("--github-repository", help="owner/name: also create GitHub OIDC roles for CI")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    session = boto3.session.Session(region_name=args.region)
    try:
        # Check what can be checked before anything is created.
        check_alias(args.key_alias)
        if args.github_repository:
            check_repository(args.github_repository)
        backend = ensure_state_backend(
            session.client("s3"), session.client("kms"), args.bucket, args.region, args.key_alias
        )
        print(f"state backend:    pulumi login '{backend.login_url}'")
        print(f"secrets provider: {backend.secrets_provider}")
        if args.github_repository:
            roles = ensure_ci_roles(session.client("iam"), args.github_repository, backend.key_arn)
            print(f"AWS_PREVIEW_ROLE_ARN={roles.preview_role_arn}")
            print(f"AWS_DEPLOY_ROLE_ARN={roles.deploy_role_arn}")
    except ValueError as error:
        print(f"bootstrap: {error}", file=sys.stderr)
        return 2
    except ClientError as error:
        detail = error.response.get("Error", {})
        print(
            f"bootstrap: AWS refused {error.operation_name}: {detail.get('Code')}: {detail.get('Message')}",
            file=sys.stderr,
        )
        return 1
    except BotoCoreError as error:
        print(f"bootstrap: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
