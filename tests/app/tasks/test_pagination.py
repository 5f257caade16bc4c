"""The Link header names each page by the request's own URL with only ``page`` and ``limit`` changed."""

from __future__ import annotations

import pytest
from starlette.datastructures import URL

from app.tasks.pagination import link_header

URLS = [
    "http://api.example.com/api/tasks",
    "http://api.example.com/api/tasks?page=2&limit=5",
    "https://api.example.com/api/tasks?status=pending&page=3&search=caf%C3%A9+%26+co&limit=10",
    "http://127.0.0.1:8000/api/tasks?limit=10&priority=high&priority=low&empty=&page=2",
    "http://api.example.com/api/tasks?search=a%2Bb%3Dc&sort=-createdAt",
]


def _as_starlette_builds_it(url: URL, *, page: int, limit: int, total: int) -> dict[str, str]:
    last = max(1, -(-total // limit))
    pages = {"first": 1, "last": last} | ({"prev": min(page - 1, last)} if page > 1 else {})
    pages |= {"next": page + 1} if page < last else {}
    return {rel: str(url.include_query_params(page=number, limit=limit)) for rel, number in pages.items()}


def _links(header: str) -> dict[str, str]:
    links = {}
    for link in header.split(", "):
        target, rel = link.split("; ")
        links[rel.removeprefix('rel="').removesuffix('"')] = target.removeprefix("<").removesuffix(">")
    return links


@pytest.mark.parametrize("address", URLS)
@pytest.mark.parametrize(
    ("page", "limit", "total"), [(1, 20, 0), (1, 20, 45), (2, 5, 11), (3, 10, 30), (9, 10, 30)]
)
def test_each_link_is_the_url_starlette_would_build(address: str, page: int, limit: int, total: int) -> None:
    url = URL(address)
    header = link_header(url, page=page, limit=limit, total=total)
    assert _links(header) == _as_starlette_builds_it(url, page=page, limit=limit, total=total)


def test_the_links_come_first_last_prev_next() -> None:
    header = link_header(URL("http://h/api/tasks?page=2&limit=2"), page=2, limit=2, total=5)
    assert header == (
        '<http://h/api/tasks?page=1&limit=2>; rel="first", <http://h/api/tasks?page=3&limit=2>; rel="last", '
        '<http://h/api/tasks?page=1&limit=2>; rel="prev", <http://h/api/tasks?page=3&limit=2>; rel="next"'
    )
