"""Least privilege: IAM roles, the database user, who administers the cluster."""

from __future__ import annotations

import json

from infra.harness import StackRun
from infra.pulumi_wire import is_secret, reveal

# What the node and cluster roles may carry: AWS's EKS policies, never an administrator's.
EKS_MANAGED_POLICIES = {
    "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy",
    "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
    "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
    "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
}


def test_the_database_user_can_only_read_and_write_the_app_database(run: StackRun) -> None:
    user = run.one("mongodbatlas:index/databaseUser:DatabaseUser").inputs
    assert user["roles"] == [{"roleName": "readWrite", "databaseName": "taskmanager"}]
    assert [s["type"] for s in user["scopes"]] == ["CLUSTER"]
    assert is_secret(user["password"])


def test_the_api_role_reads_only_its_own_secret(run: StackRun) -> None:
    (reader,) = [p for p in run.by_type("aws:iam/rolePolicy:RolePolicy") if p.name == f"{run.stack}-reader"]
    policy = json.loads(reveal(reader.inputs["policy"]))
    secret_arn = run.one("aws:secretsmanager/secret:Secret").outputs["arn"]
    actions = {(tuple(s["Action"]), s["Resource"]) for s in policy["Statement"]}
    assert (("secretsmanager:GetSecretValue",), secret_arn) in actions
    assert all(
        "*" not in s["Resource"] and all("*" not in a for a in s["Action"]) for s in policy["Statement"]
    )


def test_no_role_is_given_more_than_the_eks_managed_policies(run: StackRun) -> None:
    attached = {
        a.inputs["policyArn"] for a in run.by_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
    }
    assert attached == EKS_MANAGED_POLICIES
    inline = run.by_type("aws:iam/rolePolicy:RolePolicy")
    atlas = ["taskapi-encryption-atlas-key-use"] if run.stack == "prod" else []
    assert [p.name for p in inline] == [*atlas, f"{run.stack}-reader"]


def test_only_the_api_service_account_may_assume_its_role(run: StackRun) -> None:
    reader = next(r for r in run.by_type("aws:iam/role:Role") if r.name.endswith("-reader"))
    trust = json.loads(reveal(reader.inputs["assumeRolePolicy"]))
    (statement,) = trust["Statement"]
    subjects = [v for k, v in statement["Condition"]["StringEquals"].items() if k.endswith(":sub")]
    assert subjects == ["system:serviceaccount:taskapi:taskapi"]


def test_only_the_configured_roles_administer_the_cluster(run: StackRun) -> None:
    access = run.one("aws:eks/cluster:Cluster").inputs["accessConfig"]
    assert access["bootstrapClusterCreatorAdminPermissions"] is False
    entries = run.by_type("aws:eks/accessEntry:AccessEntry")
    assert [e.inputs["principalArn"] for e in entries] == [
        "arn:aws:iam::123456789012:role/primetradeai-ci-deploy"
    ]
    (association,) = run.by_type("aws:eks/accessPolicyAssociation:AccessPolicyAssociation")
    assert association.inputs["accessScope"] == {"type": "cluster"}
