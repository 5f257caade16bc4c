"""One-time setup of an AWS account: the Pulumi state backend, the stack-secrets key, and CI's roles."""
