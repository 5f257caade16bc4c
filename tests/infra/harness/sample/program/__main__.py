"""A small program that uses what the harness must record: a component, options, secrets, exports."""

import os

import pulumi
import pulumi_aws as aws
import pulumi_random as random

from infra.config.errors import InvalidStackConfigError

config = pulumi.Config()
size = config.require_int("size")
if size < 1:
    raise InvalidStackConfigError(f"Pulumi.{pulumi.get_stack()}.yaml: sample:size: must be at least 1")
if config.get_bool("crash"):
    raise ZeroDivisionError("the program divided by zero")


class Vault(pulumi.ComponentResource):
    def __init__(self, name: str, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("sample:vault:Vault", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.key = aws.kms.Key(f"{name}-key", description=config.require_secret("token"), opts=child)
        self.password = random.RandomPassword(
            f"{name}-password",
            length=size * 8,
            opts=pulumi.ResourceOptions(
                parent=self, protect=True, depends_on=[self.key], aliases=[pulumi.Alias(name="old-password")]
            ),
        )
        self.register_outputs({"keyArn": self.key.arn})


vault = Vault("vault")
pulumi.export("keyArn", vault.key.arn)
pulumi.export("password", vault.password.result)
pulumi.export("shape", config.require("shape"))
pulumi.export("cwd", os.getcwd())
