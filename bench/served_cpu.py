"""CPU seconds that a server's worker processes spend, read from /proc around a load run.

Divided by the requests answered, this is the CPU a request costs as served: every layer from the
socket to the response, in the processes that do the work, whatever else runs on the machine. Under a
fixed number of connections req/s moves with the machine's load; CPU per request moves much less.
"""

from __future__ import annotations

import os
from pathlib import Path

_TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")
_LISTENING = "0A"  # the TCP state of a listening socket in /proc/net/tcp


def worker_pids(server_pid: int, port: int) -> list[int]:
    """The processes under ``server_pid`` that serve ``port``: uvicorn's workers, or the server itself.

    A worker holds the listening socket its supervisor bound; another child (a store server the
    entry point started, say) does not, and its CPU is not the API's.
    """
    listening = _listening_socket(port)
    children = [
        int(pid) for pid in Path(f"/proc/{server_pid}/task/{server_pid}/children").read_text().split()
    ]
    workers = [pid for pid in children if listening in _open_sockets(pid)]
    return workers or [server_pid]


def _listening_socket(port: int) -> str:
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[1].endswith(f":{port:04X}") and fields[3] == _LISTENING:
            return f"socket:[{fields[9]}]"
    raise RuntimeError(f"nothing listens on port {port}")


def _open_sockets(pid: int) -> set[str]:
    links = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            links.add(os.readlink(fd))
        except OSError:
            continue  # closed meanwhile
    return links


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time of ``pids`` so far."""
    total = 0
    for pid in pids:
        # Fields after the command name (which may hold spaces) start at state, the third field.
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / _TICKS_PER_SECOND
