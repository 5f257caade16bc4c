"""``python -m app`` with the benchmark's app factory: the same server, workers, settings and log lines.

    python -m bench.api_server [python -m app's options]

Kept apart from the factory's module on purpose: each worker process imports this module first, and
uvicorn stops a worker that does not answer its supervisor within seconds of starting, so what it
imports must stay as light as ``app/__main__.py``.
"""

from __future__ import annotations

import sys

from app.__main__ import main

FACTORY = "bench.served_app:create_app"

if __name__ == "__main__":
    sys.exit(main(app_factory=FACTORY))
