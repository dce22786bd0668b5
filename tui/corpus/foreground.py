"""Letting the user's keys go first: background threads stand aside while the UI works.

A 100k load keeps three threads of this process busy with Python next to the UI
thread (the loader unpickling and merging batches, the index feeder, the index's shard
threads binding rows), and there is one GIL. CPython hands it over only when the
holder has run for the switch interval, and a frame is dozens of hand-overs (every
turn of the event loop calls ``select``, which releases it): a cursor move that takes
2 ms alone took 10-20 ms, and 50-120 ms now and then, while a corpus loaded. No
setting gives a thread priority, so the background threads ask instead: between
small steps they call :meth:`Foreground.pause`, which returns at once unless the UI
said it is answering an input, and then waits until its frame is out.

The wait is bounded: :meth:`Foreground.busy` lasts *seconds* at most, so a UI that
never says it is done (another screen, a key that changes nothing) slows loading
down for a moment but never stops it.

Nothing here imports Textual.
"""

from __future__ import annotations

import threading
import time

__all__ = ["Foreground"]

POLL = 0.002
"""Seconds between checks of the busy spell's end while pausing (it can be shortened)."""


class Foreground:
    """A flag the UI thread raises while it answers an input; background threads pause."""

    __slots__ = ("_idle", "_until", "_owner", "_last_input")

    def __init__(self) -> None:
        self._idle = threading.Event()
        self._idle.set()
        self._until = 0.0
        """When the current busy spell ends at the latest (``time.monotonic()``)."""
        self._owner: int | None = None
        """The thread that said it is busy: it never waits for itself."""
        self._last_input = 0.0
        """When the UI last said it was answering an input (``time.monotonic()``)."""

    @property
    def is_busy(self) -> bool:
        return not self._idle.is_set() and time.monotonic() < self._until

    def busy(self, seconds: float) -> None:
        """The UI thread is answering an input: background steps wait until
        :meth:`idle`, or for *seconds* at most."""
        self._owner = threading.get_ident()
        self.input_seen()
        self._until = self._last_input + seconds
        self._idle.clear()

    def input_seen(self) -> None:
        """The UI thread is answering an input (loading or not): the rest that
        :meth:`rest_left` waits for counts from now."""
        self._last_input = time.monotonic()

    def idle(self, after: float = 0.0) -> None:
        """The UI thread's answer is drawn: background steps go on, *after* seconds from
        now (time for the terminal writer thread to take the frame out)."""
        if after <= 0:
            self._idle.set()
        else:
            self._until = min(self._until, time.monotonic() + after)

    def rest_left(self, seconds: float) -> float:
        """Seconds until the UI will have answered no input for *seconds* (0: it has):
        for work that can wait for the user to stop (filling the relevance table), not
        merely for the frame (its Python would still share the GIL with the next
        keystroke). The caller waits, and can stop waiting when it has other work."""
        if self.is_busy:
            return seconds
        return max(0.0, seconds - (time.monotonic() - self._last_input))

    def pause(self) -> None:
        """Between two steps of background work: wait while the UI is busy (unless
        this is the UI's own thread: it returns at once there)."""
        if threading.get_ident() == self._owner:
            return
        while not self._idle.is_set():
            left = self._until - time.monotonic()
            if left <= 0 or self._idle.wait(min(left, POLL)):
                return
