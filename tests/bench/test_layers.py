"""bench.layers measures the deployed app with one layer left out, and says what that layer saved."""

from __future__ import annotations

from bench.asgi_driver import PROFILE
from bench.fresh_runs import Figures, run_hotpath
from bench.layers import MIDDLEWARE, ROUTE_ALONE, SHIPPED, VARIANTS, report


def test_a_middleware_layer_left_out_saves_its_python_calls(shipped_profile_calls: int) -> None:
    without_gzip_calls, _ = run_hotpath(["--route", PROFILE, "--without", "gzip"], requests=64)
    # Calls per request do not move with the machine's load; Starlette's gzip layer makes dozens.
    assert 20 < shipped_profile_calls - without_gzip_calls < shipped_profile_calls / 4


def test_the_report_gives_each_layer_its_saving_against_the_lowest_shipped_run() -> None:
    figures = {
        SHIPPED: Figures(calls=[1000, 1000], cpu=[200, 180]),
        "sentry": Figures(calls=[800, 800], cpu=[150, 135]),
    }
    lines = report(PROFILE, figures).splitlines()
    assert (
        lines[0]
        == "/api/auth/profile, as shipped: 1000 Python calls and 180 CPU µs per request (lowest of 200/180)"
    )
    assert lines[2].split() == ["sentry", "200", "45", "25%", "135", "(150/135)"]


def test_every_layer_it_can_leave_out_is_one_the_app_composes() -> None:
    import app.web.middleware

    assert all(hasattr(app.web.middleware, layer) for layer in MIDDLEWARE.values())


def test_the_route_alone_leaves_out_sentry_and_every_layer(shipped_profile_calls: int) -> None:
    alone_calls, _ = run_hotpath(["--route", PROFILE, *VARIANTS[ROUTE_ALONE]], requests=64)
    all_layers_calls, _ = run_hotpath(["--route", PROFILE, *VARIANTS["all middleware"]], requests=64)
    # Sentry's request handling (about 200 calls) comes off on top of the layers' (about 420).
    assert alone_calls < all_layers_calls - 100
    assert alone_calls < shipped_profile_calls * 0.6
