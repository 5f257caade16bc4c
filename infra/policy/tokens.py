"""The type tokens the policies look at, as the real provider SDKs register them."""

from __future__ import annotations

REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup"
CACHE_CLUSTER = "aws:elasticache/cluster:Cluster"
SECRET = "aws:secretsmanager/secret:Secret"
KMS_KEY = "aws:kms/key:Key"
EKS_CLUSTER = "aws:eks/cluster:Cluster"
SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup"
SECURITY_GROUP_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule"
SECURITY_GROUP_INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"

ATLAS_ADVANCED_CLUSTER = "mongodbatlas:index/advancedCluster:AdvancedCluster"
ATLAS_CLUSTER = "mongodbatlas:index/cluster:Cluster"
ATLAS_ACCESS_LIST = "mongodbatlas:index/projectIpAccessList:ProjectIpAccessList"
ATLAS_ENCRYPTION_AT_REST = "mongodbatlas:index/encryptionAtRest:EncryptionAtRest"

K8S_DEPLOYMENT = "kubernetes:apps/v1:Deployment"
K8S_HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler"
K8S_PDB = "kubernetes:policy/v1:PodDisruptionBudget"
K8S_SECRET = "kubernetes:core/v1:Secret"

DATA_STORES = frozenset(
    {
        REPLICATION_GROUP,
        CACHE_CLUSTER,
        ATLAS_ADVANCED_CLUSTER,
        ATLAS_CLUSTER,
        "aws:rds/instance:Instance",
        "aws:rds/cluster:Cluster",
        "aws:dynamodb/table:Table",
        "aws:s3/bucket:Bucket",
        "aws:s3/bucketV2:BucketV2",
    }
)
"""Resources whose deletion loses data: protected and backed up in prod."""

WORLD_CIDRS = frozenset({"0.0.0.0/0", "::/0"})
