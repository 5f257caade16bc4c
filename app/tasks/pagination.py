"""RFC 8288 Link header for a page of results (first, prev, next, last)."""

from __future__ import annotations

import math
from urllib.parse import parse_qsl, urlencode

from starlette.datastructures import URL

_PAGING = ("page", "limit")


def link_header(url: URL, *, page: int, limit: int, total: int) -> str:
    """Each link is ``url`` with ``page`` and ``limit`` set as Starlette's ``include_query_params`` sets
    them (the other parameters kept in their order, these two last), the query parsed once for all four
    rather than once per link."""
    last = max(1, math.ceil(total / limit))
    pages = {"first": 1, "last": last}
    if page > 1:
        pages["prev"] = min(page - 1, last)
    if page < last:
        pages["next"] = page + 1
    kept = [(key, value) for key, value in parse_qsl(url.query, keep_blank_values=True) if key not in _PAGING]
    without_query = str(url.replace(query=""))
    return ", ".join(
        f'<{without_query}?{urlencode([*kept, ("page", number), ("limit", limit)])}>; rel="{rel}"'
        for rel, number in pages.items()
    )
