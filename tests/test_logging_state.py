"""An app's logging setup is undone between tests, so a later test's libraries stay quiet."""

from __future__ import annotations

import logging

from app.observability.logs import JsonHandler, configure_logging
from tests import logging_state


def test_restore_undoes_what_an_apps_logging_setup_changes() -> None:
    root = logging.getLogger()
    before = logging_state.save()

    configure_logging("info")
    assert any(isinstance(handler, JsonHandler) for handler in root.handlers)
    logging_state.restore(before)

    assert not any(isinstance(handler, JsonHandler) for handler in root.handlers)
    assert root.level == before.loggers[""].level
    assert logging.getLogRecordFactory() is before.record_factory
    assert logging.getLogger("uvicorn.access").disabled == before.loggers["uvicorn.access"].disabled


def test_no_app_logging_setup_reaches_this_test() -> None:
    # Runs after app tests and after the fuzz module built its app at collection time.
    assert not any(isinstance(handler, JsonHandler) for handler in logging.getLogger().handlers)
