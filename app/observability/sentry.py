"""Sentry error tracking, switched on only when SENTRY_DSN is set."""

from __future__ import annotations

import sentry_sdk

from app.settings import Settings


def init_sentry(settings: Settings) -> bool:
    if settings.sentry_dsn is None:
        return False
    sentry_sdk.init(
        dsn=settings.sentry_dsn.get_secret_value(),
        environment=settings.app_env,
        # Requests carry passwords and tokens, and so do local variables in a handler's frames:
        # ship neither, nor any user identity.
        data_collection={"user_info": False, "http_bodies": [], "stack_frame_variables": False},
        max_request_body_size="never",
        traces_sample_rate=0.0,
    )
    return True
