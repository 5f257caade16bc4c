"""Subcommands of `primetradeai`: each module exposes `register(subparsers)` (see infra.toolkit.cli)."""

from __future__ import annotations

import argparse
from typing import TypeAlias

SubParsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
