"""Secrets in state are never decrypted and never shown: each becomes "[secret]" and a keyed digest.

A state holds a secret as `{"4dabf...": "1b47...", "ciphertext": ...}`, or, in an export made with
`--show-secrets`, with `"plaintext": <JSON text>` instead. The digest lets two states be compared
without revealing anything: it is an HMAC under a key drawn once per process, so it cannot be looked
up or guessed from outside, and it is never written anywhere. Equal ciphertexts mean an unchanged
secret; different ciphertexts may hide an equal value (encryption is salted), so they only "may change".
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets as random_source
from collections.abc import Iterator
from typing import Final

from pydantic import JsonValue

from infra.pulumi_wire import is_secret

_KEY: Final = random_source.token_bytes(32)
CIPHERTEXT: Final = "ciphertext"
PLAINTEXT: Final = "plaintext"


def digest(form: str, text: str) -> str:
    """`<form>:<hmac>` of a secret's text; comparable within this process only."""
    mac = hmac.new(_KEY, text.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"{form}:{mac}"


def secret_digest(value: dict[str, object]) -> str:
    """The digest of a state secret: of its ciphertext, or of its plaintext in a --show-secrets export."""
    if isinstance(value.get(CIPHERTEXT), str):
        return digest(CIPHERTEXT, str(value[CIPHERTEXT]))
    if PLAINTEXT in value:
        return digest(PLAINTEXT, str(value[PLAINTEXT]))
    return digest(PLAINTEXT, json.dumps(value.get("value"), sort_keys=True))


def value_digest(value: object) -> str:
    """The digest of a plain value the program declared a secret output."""
    return digest(PLAINTEXT, json.dumps(value, sort_keys=True, default=str))


def plaintexts(value: object) -> Iterator[str]:
    """The texts inside a --show-secrets secret (its JSON-encoded value's strings), for scrubbing."""
    if not is_secret(value):
        return
    assert isinstance(value, dict)
    raw = value.get(PLAINTEXT)
    if not isinstance(raw, str):
        return
    try:
        decoded: JsonValue = json.loads(raw)
    except json.JSONDecodeError:
        decoded = raw
    yield from _strings(decoded)


def _strings(value: JsonValue) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
