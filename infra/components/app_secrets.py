"""The API's secrets: generated or assembled here, kept in AWS Secrets Manager under a KMS key, and
mirrored into the Kubernetes Secret the chart reads (keys exactly as docs/interfaces.md names them)."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s
import pulumi_random as random

from infra.components.outputs import secret_output
from infra.components.tagging import kubernetes_labels

APP_SECRET_NAME = "taskapi-secrets"
APP_SERVICE_ACCOUNT = "taskapi"


def secret_payload(
    mongodb_uri: str, redis_url: str, jwt_secret: str, sentry_dsn: str | None
) -> dict[str, str]:
    """The Secret's keys are the environment variable names the app reads."""
    payload = {"MONGODB_URI": mongodb_uri, "REDIS_URL": redis_url, "JWT_SECRET": jwt_secret}
    if sentry_dsn is not None:
        payload["SENTRY_DSN"] = sentry_dsn
    return payload


def secrets_manager_name(environment: str) -> str:
    """Where the API's secrets live in Secrets Manager."""
    return f"primetradeai/{environment}/taskapi"


def reader_policy(secret_arn: str, key_arn: str, region: str) -> str:
    """Read this one secret, and decrypt with its key only through Secrets Manager: nothing else."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"], "Resource": secret_arn},
                {
                    "Effect": "Allow",
                    "Action": ["kms:Decrypt"],
                    "Resource": key_arn,
                    "Condition": {
                        "StringEquals": {"kms:ViaService": f"secretsmanager.{region}.amazonaws.com"}
                    },
                },
            ],
        }
    )


def service_account_trust(oidc_provider_arn: str, issuer: str, namespace: str) -> str:
    """Only the API's service account, in its namespace, may assume the role."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Federated": oidc_provider_arn},
                    "Action": "sts:AssumeRoleWithWebIdentity",
                    "Condition": {
                        "StringEquals": {
                            f"{issuer}:sub": f"system:serviceaccount:{namespace}:{APP_SERVICE_ACCOUNT}",
                            f"{issuer}:aud": "sts.amazonaws.com",
                        }
                    },
                }
            ],
        }
    )


@dataclass(frozen=True)
class SecretsArgs:
    """What the secrets need from the stack."""

    environment: str
    tags: dict[str, str]
    mongodb_uri: pulumi.Output[str]
    redis_url: pulumi.Output[str]
    sentry_dsn: pulumi.Output[str] | None
    namespace: pulumi.Input[str]
    provider: k8s.Provider
    oidc_provider_arn: pulumi.Output[str] | None
    oidc_issuer: pulumi.Output[str] | None
    region: str
    protect: bool


class AppSecrets(pulumi.ComponentResource):
    """The JWT key, the connection strings and, when enabled, the Sentry DSN."""

    secret_name: str
    """The Kubernetes Secret the chart's `existingSecret` names."""
    secret_arn: pulumi.Output[str]
    """The Secrets Manager secret's ARN."""
    secret_version: pulumi.Output[str]
    """The Secrets Manager version of the current values: a new one each time a value changes, so the chart
    rolls the pods on rotation without ever seeing a value."""
    reader_role_arn: pulumi.Output[str] | None
    """The IAM role the API's service account assumes (None without an OIDC provider)."""

    def __init__(self, name: str, args: SecretsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("primetradeai:secrets:AppSecrets", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        # Regenerating the key would sign every user out: it survives `destroy` attempts where data does.
        jwt = random.RandomPassword(
            f"{name}-jwt",
            length=64,
            special=False,
            opts=pulumi.ResourceOptions(parent=self, protect=args.protect),
        )
        key = aws.kms.Key(
            f"{name}-key",
            description=f"{name}: the task API's secrets in Secrets Manager",
            enable_key_rotation=True,
            deletion_window_in_days=30,
            tags=args.tags,
            opts=child,
        )
        aws.kms.Alias(
            f"{name}-key-alias",
            name=f"alias/primetradeai-{args.environment}-taskapi",
            target_key_id=key.key_id,
            opts=child,
        )
        stored = aws.secretsmanager.Secret(
            f"{name}-secret",
            name=secrets_manager_name(args.environment),
            description="MONGODB_URI, REDIS_URL, JWT_SECRET and SENTRY_DSN of the task API",
            kms_key_id=key.arn,
            recovery_window_in_days=30 if args.protect else 7,
            tags=args.tags,
            opts=child,
        )
        sentry = args.sentry_dsn if args.sentry_dsn is not None else pulumi.Output.from_input("")
        payload: pulumi.Output[dict[str, str]] = secret_output(
            pulumi.Output.all(args.mongodb_uri, args.redis_url, jwt.result, sentry).apply(
                lambda parts: secret_payload(
                    str(parts[0]),
                    str(parts[1]),
                    str(parts[2]),
                    str(parts[3]) if args.sentry_dsn is not None else None,
                )
            )
        )
        version = aws.secretsmanager.SecretVersion(
            f"{name}-secret-version",
            secret_id=stored.id,
            secret_string=payload.apply(lambda data: json.dumps(data, sort_keys=True)),
            opts=child,
        )
        k8s.core.v1.Secret(
            f"{name}-k8s-secret",
            metadata=k8s.meta.v1.ObjectMetaArgs(
                name=APP_SECRET_NAME,
                namespace=args.namespace,
                labels=kubernetes_labels("taskapi-secrets", "taskapi"),
            ),
            type="Opaque",
            string_data=payload,
            opts=pulumi.ResourceOptions(parent=self, provider=args.provider),
        )
        self.secret_name = APP_SECRET_NAME
        self.secret_arn = stored.arn
        self.secret_version = version.version_id
        self.reader_role_arn = None
        if args.oidc_provider_arn is not None and args.oidc_issuer is not None:
            role = aws.iam.Role(
                f"{name}-reader",
                assume_role_policy=pulumi.Output.all(
                    args.oidc_provider_arn, args.oidc_issuer, args.namespace
                ).apply(lambda parts: service_account_trust(str(parts[0]), str(parts[1]), str(parts[2]))),
                tags=args.tags,
                opts=child,
            )
            aws.iam.RolePolicy(
                f"{name}-reader",
                role=role.id,
                policy=pulumi.Output.all(stored.arn, key.arn).apply(
                    lambda arns: reader_policy(str(arns[0]), str(arns[1]), args.region)
                ),
                opts=child,
            )
            self.reader_role_arn = role.arn
        self.register_outputs({"secretName": self.secret_name, "secretArn": self.secret_arn})
