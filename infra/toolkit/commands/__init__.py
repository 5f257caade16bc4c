"""The command layer of `primetradeai`: one module per verb (preview, diff, policy, cost), each exposing
`register(subparsers)` (see infra.toolkit.cli). Commands parse arguments, call the use cases (preview,
diff, policy, cost) and print; nothing outside this package and infra.toolkit.cli imports it.
"""

from __future__ import annotations

import argparse
from typing import TypeAlias

SubParsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
