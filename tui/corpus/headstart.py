"""The first rows, read by a child process while the reader starts.

Opening the reader costs ~0.1 s of importing Textual and building the screen before
the first frame, and the first rows cost ~35 ms more: compiling the parsers' regular
expressions on first use (~25 ms) and reading a few dozen files. That work does not
depend on Textual, so :meth:`HeadStart.start` forks a child to do it on the other
core, *before* the reader imports Textual, and the app takes the rows from a pipe
when it mounts (the child is done by then). The parser never runs on the UI thread.

Why fork, and why only here: the child is forked while this process has one thread
(the command line has parsed its arguments and nothing more), so no lock held by
another thread is copied (the hazard of forking a threaded process, which is why the
loader's pool uses a forkserver). It shares the modules already imported, so it
starts in ~1 ms. Wherever it cannot be used (no ``fork``, more than one thread, the
child fails or is slow), the app reads the first rows itself, as before: the head
start only ever makes the first frame earlier, never different.

Nothing here imports Textual.
"""

from __future__ import annotations

import itertools
import os
import pickle
import select
import signal
import threading
import time
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass

from .files import Skipped, discover
from .model import Article, read_found

__all__ = ["FIRST_BATCH", "FirstRows", "HeadStart", "read_first_rows"]

FIRST_BATCH = 64
"""Files read for the first frame: more than a tall terminal's rows (a few are
duplicates or skipped), and ~10 ms of parsing."""

FIRST_ROWS_SECONDS = 0.15
"""Reading the first rows stops after this long (once one file is read), about what
Textual takes to draw its first frame: 64 text files take ~35 ms, but a saved web page
~2.5 ms, after ~0.1 s of importing the HTML libraries, and the first frame should not
wait for 64 of them. The loader reads whatever was not read."""

WAIT_SECONDS = 5.0
"""How long the app waits for the child's rows before reading them itself (a child
stuck on a slow network folder would otherwise hold the first frame)."""


@dataclass(slots=True)
class FirstRows:
    """What the child read: the discovered entries, in order, and their items."""

    entries: list[str | Skipped]
    items: list[Article | Skipped]

    @property
    def paths(self) -> list[str]:
        return [entry.path if isinstance(entry, Skipped) else entry for entry in self.entries]


def read_first_rows(
    paths: Sequence[str], count: int = FIRST_BATCH, budget: float = FIRST_ROWS_SECONDS
) -> FirstRows:
    """The first *count* entries that discovery finds under *paths*, read and parsed,
    or as many as *budget* seconds allow (at least one): what the child runs, and the
    app's own way when there is no child."""
    started = time.monotonic()
    entries: list[str | Skipped] = []
    items: list[Article | Skipped] = []
    for entry in itertools.islice(discover(paths), count):
        entries.append(entry)
        items.append(read_found(entry))
        if time.monotonic() - started > budget:
            break
    return FirstRows(entries, items)


class HeadStart:
    """A child process reading the first rows; :meth:`rows` collects them."""

    def __init__(self, pid: int, read_end: int) -> None:
        self.pid = pid
        """The child's process id (reaped once :meth:`rows` or :meth:`close` returns)."""
        self._running = True
        self._read_end: int | None = read_end

    @classmethod
    def start(
        cls, paths: Sequence[str], count: int = FIRST_BATCH, *, single_thread: bool = True
    ) -> HeadStart | None:
        """Fork the child, or return None where it cannot be (see the module's notes).

        *single_thread* refuses to fork a process that runs other threads; tests that
        run inside a threaded test process turn it off.
        """
        if not hasattr(os, "fork") or (single_thread and threading.active_count() > 1):
            return None
        read_end, write_end = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            return None
        if pid == 0:  # the child: never returns
            status = 1
            try:
                os.close(read_end)
                # Ctrl-C while the reader starts is the parent's to handle; the child
                # is killed by the parent if it is not needed.
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                data = pickle.dumps(read_first_rows(paths, count), pickle.HIGHEST_PROTOCOL)
                view = memoryview(data)
                while view:
                    view = view[os.write(write_end, view) :]
                status = 0
            finally:
                # No atexit handlers, no flushing the parent's buffered output twice.
                os._exit(status)
        os.close(write_end)
        return cls(pid, read_end)

    def rows(self, timeout: float = WAIT_SECONDS) -> FirstRows | None:
        """The child's rows, or None if it failed or took longer than *timeout*."""
        read_end = self._read_end
        if read_end is None:
            return None
        chunks: list[bytes] = []
        deadline = time.monotonic() + timeout
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([read_end], [], [], left)[0]:
                    return None
                chunk = os.read(read_end, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
            if self._reap() != 0:
                return None
            rows = pickle.loads(b"".join(chunks))
            return rows if isinstance(rows, FirstRows) else None
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
            return None
        finally:
            self.close()

    def close(self) -> None:
        """Stop the child if it still runs, and reap it."""
        if self._read_end is not None:
            os.close(self._read_end)
            self._read_end = None
        if self._running:
            with suppress(OSError):  # already gone
                os.kill(self.pid, signal.SIGKILL)
            self._reap()

    def _reap(self) -> int | None:
        """Wait for the child to end; its exit status (None if it was reaped already)."""
        if not self._running:
            return None
        self._running = False
        try:
            return os.waitstatus_to_exitcode(os.waitpid(self.pid, 0)[1])
        except ChildProcessError:
            return None
