"""Run the stack program under Pulumi's mock runtime: what `pulumi preview` would register, offline."""

from infra.harness.errors import HarnessError, ProgramError, StackConfigError, UnknownStackError
from infra.harness.records import RegisteredOptions, RegisteredResource, StackRun
from infra.harness.run import run_stack

__all__ = [
    "HarnessError",
    "ProgramError",
    "RegisteredOptions",
    "RegisteredResource",
    "StackConfigError",
    "StackRun",
    "UnknownStackError",
    "run_stack",
]
