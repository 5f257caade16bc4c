"""The garbage collector of a long-running server process, set up once the app has started.

Almost every object in the process is built at import and startup (routes, schemas, validators, the
clients) and lives as long as the process; ``gc.freeze()`` moves them out of the collector's reach,
so a full collection no longer walks them. Under 64 concurrent connections those walks were the
slowest requests: freezing alone cut the profile route's p99 from about 90 ms to 35-40 ms.

A request allocates a few hundred objects that reference counting frees; at the default threshold
of 700 allocations the youngest generation was collected every couple of requests for almost no
garbage. At 10,000 the collector still runs many times a second under load, bounding what cyclic
garbage can pile up, and throughput rose by about a tenth (docs/benchmarks.md).
"""

from __future__ import annotations

import gc

YOUNGEST_GENERATION_THRESHOLD = 10_000


def settle_garbage_collector() -> None:
    """Freeze what startup built and collect the youngest generation less often."""
    gc.collect()  # garbage from startup goes now rather than being frozen with the rest
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNGEST_GENERATION_THRESHOLD, middle, oldest)
