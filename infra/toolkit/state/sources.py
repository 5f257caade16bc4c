"""Fetch a state document's bytes from a file or from `s3://bucket/key`, gunzipping when needed.

A DIY backend on S3 keeps each stack's checkpoint as an object; reading it needs only `s3:GetObject`
on that key (no provider credentials, no secrets provider). boto3 finds credentials and the region
the usual way (environment, profile, role), and `AWS_ENDPOINT_URL_S3` points it elsewhere.
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path
from typing import Final

from infra.toolkit.errors import ToolkitError

S3_SCHEME: Final = "s3://"
_GZIP_MAGIC: Final = b"\x1f\x8b"


class StateReadError(ToolkitError):
    """A state document cannot be fetched or decoded; the message names where it is and why."""


def is_s3_location(location: str) -> bool:
    """Whether `location` is an `s3://bucket/key` address."""
    return location.startswith(S3_SCHEME)


def read_bytes(location: str) -> bytes:
    """The document at a path or `s3://` address, decompressed if it is gzipped."""
    raw = _read_s3(location) if is_s3_location(location) else _read_file(location)
    return _gunzip(raw, location) if raw.startswith(_GZIP_MAGIC) else raw


def _read_file(location: str) -> bytes:
    try:
        return Path(location).read_bytes()
    except FileNotFoundError:
        raise StateReadError(f"{location}: no such file") from None
    except IsADirectoryError:
        raise StateReadError(f"{location}: a directory, not a file") from None
    except OSError as error:
        raise StateReadError(f"{location}: cannot be read: {error.strerror or error}") from None


def _gunzip(raw: bytes, location: str) -> bytes:
    try:
        return gzip.decompress(raw)
    except EOFError:
        raise StateReadError(f"{location}: gzip data ends early (a truncated file)") from None
    except (OSError, zlib.error) as error:
        raise StateReadError(f"{location}: not valid gzip data ({error})") from None


def split_s3(location: str) -> tuple[str, str]:
    """(bucket, key) of `s3://bucket/key`; StateReadError when either is missing."""
    bucket, _, key = location.removeprefix(S3_SCHEME).partition("/")
    if not bucket or not key or key.endswith("/"):
        raise StateReadError(f"{location}: expected s3://bucket/key of a checkpoint file")
    return bucket, key


def _read_s3(location: str) -> bytes:
    bucket, key = split_s3(location)
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        # A session of its own: the environment's credentials now, not ones a default session cached earlier.
        response = boto3.session.Session().client("s3").get_object(Bucket=bucket, Key=key)
        body: bytes = response["Body"].read()
    except ClientError as error:
        details = error.response.get("Error", {})
        code = details.get("Code", "error")
        message = details.get("Message") or code
        raise StateReadError(f"{location}: cannot be read from S3: {code}: {message}") from None
    except BotoCoreError as error:  # no credentials, no region, endpoint unreachable
        raise StateReadError(f"{location}: cannot be read from S3: {error}") from None
    return body
