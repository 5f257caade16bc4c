"""What the API's production callers send with every request, so the benchmarks send it too.

Behind Cloudflare every request reaches the API asking for compression, and the browser app, served
from its own origin, calls it cross-origin: each of its requests carries that origin and gets the CORS
answer the prod stack configures (``corsOrigins`` in Pulumi.prod.yaml).
"""

from __future__ import annotations

from functools import cache

import yaml

from bench.processes import REPO_ROOT, BenchError

# What Cloudflare asks the origin for on every request (its content-compression documentation).
ACCEPT_ENCODING = "gzip, br"
PROD_STACK_FILE = REPO_ROOT / "Pulumi.prod.yaml"


@cache
def prod_cors_origins() -> tuple[str, ...]:
    """The origins the prod stack lets browsers call the API from, as its stack file sets them."""
    document = yaml.safe_load(PROD_STACK_FILE.read_text())
    try:
        origins = document["config"]["primetradeai:app"]["corsOrigins"]
    except (KeyError, TypeError):
        origins = None
    if not origins:
        raise BenchError(
            f"{PROD_STACK_FILE.name}: primetradeai:app corsOrigins is not set; the benchmarks call the API "
            "as the browser app the prod stack allows does"
        )
    return tuple(origins)


def browser_origin() -> str:
    """The origin of the browser app: the first the prod stack allows."""
    return prod_cors_origins()[0]
