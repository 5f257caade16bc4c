from __future__ import annotations

from starlette.types import Scope

from app.web.client_ip import client_ip


def scope(*forwarded_for: str, peer: str = "10.0.0.9") -> Scope:
    headers = [(b"x-forwarded-for", value.encode()) for value in forwarded_for]
    return {"type": "http", "client": (peer, 51234), "headers": headers}


def test_without_trusted_proxies_the_socket_peer_counts() -> None:
    assert client_ip(scope("203.0.113.7"), trusted_proxy_hops=0) == "10.0.0.9"


def test_one_trusted_proxy_means_the_address_it_appended() -> None:
    assert client_ip(scope("198.51.100.1, 203.0.113.7"), trusted_proxy_hops=1) == "203.0.113.7"


def test_two_trusted_proxies_skip_the_address_the_inner_one_appended() -> None:
    forwarded = "198.51.100.1, 203.0.113.7, 10.1.0.4"
    assert client_ip(scope(forwarded), trusted_proxy_hops=2) == "203.0.113.7"


def test_repeated_headers_are_read_as_one_list() -> None:
    assert client_ip(scope("198.51.100.1", "203.0.113.7"), trusted_proxy_hops=1) == "203.0.113.7"


def test_a_chain_shorter_than_the_trusted_hops_falls_back_to_its_first_entry() -> None:
    assert client_ip(scope("203.0.113.7"), trusted_proxy_hops=3) == "203.0.113.7"


def test_a_trusted_proxy_that_sent_no_header_leaves_the_socket_peer() -> None:
    assert client_ip(scope(), trusted_proxy_hops=1) == "10.0.0.9"


def test_a_request_without_peer_information_is_counted_as_unknown() -> None:
    assert client_ip({"type": "http", "client": None, "headers": []}, trusted_proxy_hops=0) == "unknown"
