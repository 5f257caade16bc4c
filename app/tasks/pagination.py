"""RFC 8288 Link header for a page of results (first, prev, next, last)."""

from __future__ import annotations

import math

from starlette.datastructures import URL


def link_header(url: URL, *, page: int, limit: int, total: int) -> str:
    last = max(1, math.ceil(total / limit))
    pages = {"first": 1, "last": last}
    if page > 1:
        pages["prev"] = min(page - 1, last)
    if page < last:
        pages["next"] = page + 1
    return ", ".join(
        f'<{url.include_query_params(page=number, limit=limit)}>; rel="{rel}"'
        for rel, number in pages.items()
    )
