"""A checkpoint in an S3 state bucket, read with credentials that can read that bucket and nothing else.

moto's server plays S3 and IAM, with IAM authorisation on while the toolkit reads: a missing key, a
bucket the credentials may not read, or an object that is not state is one line naming the address.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import boto3
import pytest
from moto.core.authorization import enable_iam_authentication
from moto.server import ThreadedMotoServer

from infra.toolkit.plan import dump_plan
from infra.toolkit.state import read_state_plan
from tests.infra.toolkit.commands.cli_run import run_cli
from tests.infra.toolkit.state.state_docs import PLANTED_CIPHERTEXT, cache_stack, checkpoint, export

BUCKET = "primetradeai-state"
KEY = ".pulumi/stacks/primetradeai/prod.json"
REGION: Final = "eu-west-1"


@dataclass(frozen=True)
class StateBucket:
    endpoint: str
    reader_key: str
    reader_secret: str


@pytest.fixture(scope="module")
def state_bucket() -> Iterator[StateBucket]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    admin = boto3.Session(aws_access_key_id="admin", aws_secret_access_key="admin", region_name=REGION)
    s3 = admin.client("s3", endpoint_url=endpoint)
    for bucket in (BUCKET, "another-team-state"):
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    document = json.dumps(checkpoint(cache_stack())).encode()
    s3.put_object(Bucket=BUCKET, Key=KEY, Body=document)
    s3.put_object(
        Bucket=BUCKET,
        Key=KEY.replace("prod.json", "staging.json.gz"),
        Body=gzip.compress(json.dumps(checkpoint(cache_stack(stack="staging"), stack="staging")).encode()),
    )
    s3.put_object(Bucket=BUCKET, Key=".pulumi/meta.yaml", Body=b"version: 1\n")
    s3.put_object(Bucket="another-team-state", Key=KEY, Body=document)
    iam = admin.client("iam", endpoint_url=endpoint)
    iam.create_user(UserName="state-reader")
    policy = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{BUCKET}/*"}],
    }
    iam.put_user_policy(UserName="state-reader", PolicyName="read-state", PolicyDocument=json.dumps(policy))
    keys = iam.create_access_key(UserName="state-reader")["AccessKey"]
    yield StateBucket(endpoint, keys["AccessKeyId"], keys["SecretAccessKey"])
    server.stop()


@pytest.fixture
def as_reader(state_bucket: StateBucket, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Only the read-only user's credentials in the environment, and IAM enforced."""
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", state_bucket.endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", state_bucket.reader_key)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", state_bucket.reader_secret)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    with enable_iam_authentication():
        yield


def test_a_checkpoint_in_the_state_bucket_reads_as_the_same_plan_as_its_export(
    as_reader: None, tmp_path: Path
) -> None:
    local = tmp_path / "prod.json"
    local.write_text(json.dumps(export(cache_stack())))

    from_s3 = read_state_plan(f"s3://{BUCKET}/{KEY}")

    assert dump_plan(from_s3.plan) == dump_plan(read_state_plan(str(local)).plan)


def test_a_gzipped_checkpoint_in_the_bucket_reads_too(
    as_reader: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    staging = f"s3://{BUCKET}/{KEY.replace('prod.json', 'staging.json.gz')}"
    report = tmp_path / "diff.json"

    code, out, err = run_cli(
        ["diff", f"s3://{BUCKET}/{KEY}", staging, "--format", "json", "--out", str(report)], capsys
    )

    assert code == 0, err
    text = report.read_text(encoding="utf-8")
    assert "The two sides are different stacks: prod and staging." in json.loads(text)["notes"]
    assert PLANTED_CIPHERTEXT not in text + out + err


@pytest.mark.parametrize(
    ("location", "problem"),
    [
        (f"s3://another-team-state/{KEY}", "cannot be read from S3: AccessDenied"),
        (f"s3://{BUCKET}/.pulumi/stacks/primetradeai/gone.json", "cannot be read from S3: NoSuchKey"),
        (f"s3://{BUCKET}/.pulumi/meta.yaml", "not JSON"),
        (f"s3://{BUCKET}", "expected s3://bucket/key of a checkpoint file"),
    ],
)
def test_an_unreadable_address_is_one_line_naming_it(
    as_reader: None, location: str, problem: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(["policy", "--plan", location], capsys)

    # stdout is not checked to be empty: app tests leave a JSON log handler on the root logger, which
    # would print botocore's INFO lines there; the toolkit prints its error on stderr only.
    assert code == 2
    assert "Policy pack" not in out
    assert err.startswith(f"primetradeai policy: error: {location}: ")
    assert problem in err
    assert err.count("\n") == 1
