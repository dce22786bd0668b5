"""Run a program in a pseudo-terminal, watch its screen through a VT emulator, count its bytes.

Why a pty and not Textual's pilot: the pilot never writes to a terminal, so it can say
nothing about start-up time (imports, driver set-up), the bytes that cross an SSH link,
or what a person actually sees and when. Here the real command runs at a fixed size,
every byte it writes is timestamped as it is read, and pyte keeps the screen it would
draw, so a measurement can wait for "the screen shows X" instead of guessing with sleeps.

Timing model: a thread of its own reads the pty as output arrives and timestamps each
chunk right after ``os.read`` returns; pyte parses it later, on the caller's thread
(pyte is pure Python and slow: reading and parsing in turn timed the second half of a
6 KB frame ~10 ms late, after the first half had been parsed). A frame is
"done" when the output has been quiet for a window (30 ms by default) and the program
used almost no CPU in that window (so an app still computing a search is not taken for
finished); its time is the time of its last chunk, so the window is never counted.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import queue
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import pyte

from .procfs import process_tree, status_kb

ROW_DATE = re.compile(
    r"(?<![\w-])(?:\d{4}-\d{2}(?:-\d{2})?|c\. \d{4}(?:-\d{2}){0,2}|undated)(?![\w-])"
)
"""A list row's date column: ``2024-10-17``, ``2024-10``, ``c. 2022`` or ``undated``."""
ROW_DATE_COLUMNS = 24
"""The date column sits near the left edge; the reading pane's meta line (with a date of
its own) is far to the right, so only this many columns are searched."""
PANE_BORDER = re.compile(r"[▏│┃|]")
"""The rule between the list and the reading pane (Unicode or ASCII glyphs)."""
CURSOR_TO = re.compile(rb"\x1b\[(\d+);\d+H")
"""Absolute cursor moves: which screen lines a frame writes to."""
COUNT = re.compile(r"([\d,]+) of ([\d,]+)")


class SessionError(RuntimeError):
    """The program under test died, or a screen we waited for never came."""


@dataclass(slots=True)
class Frame:
    """What one input produced: when its effect showed, when output went quiet, how many bytes."""

    sent: float
    """perf_counter() just before the bytes were written to the pty."""
    shown: float | None
    """Seconds from ``sent`` to the chunk that made the awaited screen condition true."""
    done: float | None
    """Seconds from ``sent`` to the last chunk before the quiet window (None: no output)."""
    nbytes: int
    """Bytes the program wrote between ``sent`` and the end of the frame."""
    lines: int = 0
    """Distinct screen lines those bytes wrote to (a cursor move should need two)."""


class PtySession:
    """One program in a pty of a fixed size, with its screen and byte count kept up to date."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        cols: int = 120,
        rows: int = 36,
        env: Mapping[str, str] | None = None,
        cwd: str | None = None,
    ) -> None:
        self.cols = cols
        self.rows = rows
        self.screen = pyte.Screen(cols, rows)
        self._stream = pyte.ByteStream(self.screen)
        self.total = 0
        """Bytes read from the program so far."""
        self.closed = False
        self.lines_written: set[bytes] = set()
        """Screen lines addressed since last cleared: how much of the screen a frame redraws."""
        self.capture: list[tuple[float, bytes]] | None = None
        """Set to a list to keep every chunk with its time (for finding what a frame holds)."""
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.started = time.perf_counter()
        try:
            self.proc = subprocess.Popen(
                list(argv),
                stdin=slave,
                stdout=slave,
                stderr=slave,
                cwd=cwd,
                env=dict(env) if env is not None else None,
                start_new_session=True,
                # The pty becomes the controlling terminal, as in a real login: SIGWINCH
                # and SIGHUP reach the program as they would for a user.
                preexec_fn=_take_controlling_terminal,
                close_fds=True,
            )
        except BaseException:
            os.close(master)
            os.close(slave)
            raise
        os.close(slave)
        self.fd = master
        os.set_blocking(master, False)
        self.last_output = self.started
        """perf_counter() of the latest chunk (the spawn time until the first one)."""
        self._chunks: queue.SimpleQueue[tuple[float, bytes]] = queue.SimpleQueue()
        self._stop_reading = threading.Event()
        # The reader thread must get the GIL as soon as output arrives, even while this
        # thread parses: with Python's default 5 ms switch interval a chunk's time could
        # be that late.
        sys.setswitchinterval(min(sys.getswitchinterval(), 0.0005))
        self._reader = threading.Thread(target=self._read_pty, name="pty-reader", daemon=True)
        self._reader.start()
        self.rss_samples: list[int] = []
        self.on_chunk: list[Callable[[float], None]] = []
        """Called with each chunk's time once the screen has it: moments that matter (the
        first row, the end of loading) are caught whoever happens to be reading."""

    # --- reading -----------------------------------------------------------------

    def _read_pty(self) -> None:
        """Read the pty as output arrives; queue each chunk with its time (own thread)."""
        poll = select.poll()
        poll.register(self.fd, select.POLLIN)
        while not self._stop_reading.is_set():
            if not poll.poll(100):
                continue
            try:
                data = os.read(self.fd, 1 << 16)
            except BlockingIOError:
                continue
            except OSError:  # EIO: the program exited and closed its side
                data = b""
            self._chunks.put((time.perf_counter(), data))
            if not data:
                return

    def read_chunk(self, timeout: float) -> float | None:
        """Wait up to *timeout* s for output; take one chunk; return its time (None: nothing)."""
        if self.closed:
            time.sleep(max(0.0, timeout))
            return None
        try:
            if timeout > 0:
                now, data = self._chunks.get(timeout=timeout)
            else:
                now, data = self._chunks.get_nowait()
        except queue.Empty:
            return None
        if not data:
            self.closed = True
            return None
        self.total += len(data)
        self.last_output = now
        if self.capture is not None:
            self.capture.append((now, data))
        self.lines_written.update(CURSOR_TO.findall(data))
        self._stream.feed(data)
        for hook in self.on_chunk:
            hook(now)
        return now

    def wait_for(self, condition: Callable[[], bool], timeout: float, what: str = "") -> float:
        """Read until *condition* holds on the screen; return the time of the chunk that did it."""
        if condition():
            return time.perf_counter()
        deadline = time.perf_counter() + timeout
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise SessionError(
                    f"timed out after {timeout:.1f} s waiting for {what or 'screen'}"
                )
            moment = self.read_chunk(min(remaining, 0.25))
            if moment is not None and condition():
                return moment
            if self.closed or self.proc.poll() is not None:
                self._drain()
                if condition():
                    return self.last_output
                raise SessionError(
                    f"program exited (status {self.proc.poll()}) "
                    f"while waiting for {what or 'screen'}"
                )

    def wait_quiet(
        self,
        quiet: float,
        timeout: float = 10.0,
        *,
        since: float | None = None,
        idle: float | None = None,
    ) -> float:
        """Read until no output came for *quiet* s; return the time of the last chunk.

        The quiet time counts from the last chunk, or from *since* if that is later (a
        rest that starts now must not be satisfied by silence before a key was sent).
        With *idle* (a share of one CPU), the program must also have used no more than
        that share of CPU during the quiet window: an app that is still computing (a
        search, say) has not finished its frame just because it has not written yet.
        Gives up after *timeout* (a program that never stops) and returns the last
        chunk's time anyway: the caller still gets a number, and the bytes show it.
        """
        deadline = time.perf_counter() + timeout
        window_start = max(self.last_output, since or 0.0)
        cpu_start = self.cpu_seconds() if idle is not None else 0.0
        while not self.closed:
            now = time.perf_counter()
            if self.last_output > window_start:
                window_start = self.last_output
                cpu_start = self.cpu_seconds() if idle is not None else 0.0
            wait = window_start + quiet - now
            if now >= deadline:
                break
            if wait <= 0:
                if idle is None:
                    break
                cpu_now = self.cpu_seconds()
                if cpu_now - cpu_start <= idle * (now - window_start):
                    break
                window_start, cpu_start = now, cpu_now
                continue
            self.read_chunk(min(wait, deadline - now))
        return self.last_output

    def pump(self, seconds: float) -> int:
        """Keep reading (the program must never block on a full pty) for *seconds*; return bytes."""
        before = self.total
        deadline = time.perf_counter() + seconds
        while (remaining := deadline - time.perf_counter()) > 0:
            self.read_chunk(remaining)
        return self.total - before

    def settle(self, quiet: float = 0.3, timeout: float = 10.0) -> None:
        """Rest: *quiet* s with no output, counted from now, so pending redraws (debounced
        previews, a key just sent) land before the next measurement, not in it."""
        self.wait_quiet(quiet, timeout, since=time.perf_counter(), idle=0.25)

    def _drain(self) -> None:
        while self.read_chunk(0.0) is not None:
            pass

    # --- writing and measuring ---------------------------------------------------

    def write(self, data: bytes) -> float:
        """Send keys; return perf_counter() taken just before the write."""
        sent = time.perf_counter()
        view = memoryview(data)
        while view:
            try:
                written = os.write(self.fd, view)
            except BlockingIOError:
                self.read_chunk(0.01)
                continue
            view = view[written:]
        return sent

    def measure(
        self,
        keys: bytes,
        *,
        until: Callable[[], bool] | None = None,
        quiet: float = 0.03,
        idle: float | None = 0.25,
        timeout: float = 10.0,
        what: str = "",
    ) -> Frame:
        """Send *keys*; wait for *until* (or any output), then for quiet (and, with *idle*, for
        the program to stop computing); time it and count bytes."""
        before = self.total
        self.lines_written.clear()
        sent = self.write(keys)
        shown: float | None = None
        try:
            moment = self.wait_for(
                until if until is not None else (lambda: self.total > before), timeout, what
            )
            shown = moment - sent
        except SessionError:
            if self.closed:
                raise
        end = self.wait_quiet(quiet, timeout, idle=idle)
        nbytes = self.total - before
        done = end - sent if nbytes else None
        return Frame(sent, shown, done, nbytes, len(self.lines_written))

    # --- the screen --------------------------------------------------------------

    def line(self, y: int) -> str:
        """Screen line *y* as text (wide characters take one string position)."""
        row = self.screen.buffer[y]
        return "".join(row[x].data for x in range(self.cols))

    def text(self) -> str:
        """The whole screen, trailing blanks dropped (for error messages)."""
        return "\n".join(self.line(y).rstrip() for y in range(self.rows)).rstrip()

    def list_rows(self, top: int = 2) -> list[int]:
        """Screen lines (from *top*) that look like article rows: a date near the left edge."""
        return [
            y for y in range(top, self.rows - 1) if ROW_DATE.search(self.line(y)[:ROW_DATE_COLUMNS])
        ]

    def has_rows(self) -> bool:
        return bool(self.list_rows())

    def highlighted(self) -> str | None:
        """The text of the list row drawn with the cursor's background, if one stands out."""
        rows = self.list_rows()
        if not rows:
            return None
        backgrounds = {y: self.screen.buffer[y][0].bg for y in rows}
        if len(rows) >= 3:
            usual: str | None = Counter(backgrounds.values()).most_common(1)[0][0]
        else:
            # Too few rows to vote: compare with the list's empty lines below them.
            blanks = [y for y in range(rows[-1] + 1, self.rows - 1)]
            usual = self.screen.buffer[blanks[0]][0].bg if blanks else None
        odd = [y for y in rows if backgrounds[y] != usual]
        if len(odd) != 1:
            return None
        return self.list_text(odd[0])

    def list_text(self, y: int) -> str:
        """Line *y* up to the pane border, so a preview redraw on the right is not a list change."""
        text = self.line(y)
        match = PANE_BORDER.search(text, ROW_DATE_COLUMNS)
        return text[: match.start()] if match else text[: self.cols // 2]

    def count(self) -> tuple[int, int] | None:
        """The filter bar's ``N of M`` (screen line 1), if shown."""
        found = COUNT.findall(self.line(1))
        if not found:
            return None
        shown, total = found[-1]
        return int(shown.replace(",", "")), int(total.replace(",", ""))

    # --- the process -------------------------------------------------------------

    def cpu_seconds(self) -> float:
        """CPU time used so far by all the program's threads (ns-precise where the kernel
        keeps schedstat; else clock ticks), to tell "idle" from "busy but silent"."""
        pid = self.proc.pid
        total = 0
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with (
                    contextlib.suppress(OSError, ValueError, IndexError),
                    open(f"/proc/{pid}/task/{task}/schedstat") as handle,
                ):
                    total += int(handle.read().split()[0])
        except OSError:
            return 0.0
        if total:
            return total / 1e9
        try:
            with open(f"/proc/{pid}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            return 0.0

    def descendants(self) -> list[int]:
        """The program's process and every process under it (a parsing pool, say)."""
        return process_tree(self.proc.pid)

    def sample_rss(self) -> int:
        """Current resident memory of the whole process tree, in bytes (kept as a sample)."""
        total = sum(status_kb(pid, "VmRSS") for pid in self.descendants()) * 1024
        self.rss_samples.append(total)
        return total

    def peak_rss(self) -> int:
        """The main process' high-water mark (VmHWM), in bytes: the kernel's own peak."""
        return status_kb(self.proc.pid, "VmHWM") * 1024

    def close(self, quit_keys: bytes = b"q", timeout: float = 5.0) -> int | None:
        """Ask the program to quit, then make sure it is gone; return its exit status."""
        if self.proc.poll() is None and not self.closed:
            with contextlib.suppress(OSError):
                self.write(quit_keys)
            deadline = time.perf_counter() + timeout
            while self.proc.poll() is None and time.perf_counter() < deadline:
                self.read_chunk(0.05)
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=3)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self._stop_reading.set()
        self._reader.join(timeout=1.0)  # before the fd is closed (and its number reused)
        self._drain()
        with contextlib.suppress(OSError):
            os.close(self.fd)
        self.closed = True
        return self.proc.returncode

    def __enter__(self) -> PtySession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _take_controlling_terminal() -> None:
    with contextlib.suppress(OSError):
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)
