"""What /proc says about a process tree: memory fields and the processes under a pid."""

from __future__ import annotations

import contextlib
import os


def status_kb(pid: int, field: str) -> int:
    """A ``kB`` field of /proc/PID/status, such as VmHWM (0 when the process is gone)."""
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def process_tree(root: int) -> list[int]:
    """*root* and every process under it (a parsing pool, say), parents first."""
    found = [root]
    index = 0
    while index < len(found):
        pid = found[index]
        index += 1
        with contextlib.suppress(OSError):
            for task in os.listdir(f"/proc/{pid}/task"):
                with (
                    contextlib.suppress(OSError),
                    open(f"/proc/{pid}/task/{task}/children") as handle,
                ):
                    found.extend(int(child) for child in handle.read().split())
    return found
