"""Rows in display order for many matches, picked only as far as they are read.

Kept apart from :mod:`corpus.model` because it shapes nothing a file gives: a change
here leaves the stores as they are (:data:`corpus.store._NOT_READING`).
"""

from __future__ import annotations

import contextlib
import itertools
import threading
from array import array
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Sequence
from typing import Any

from .bits import Bits


class PickedRows(Sequence[int]):
    """The serials of many matches in display order, picked out of the order only as
    far as they are read.

    Picking a million-article order for 400,000 matches tests a million serials
    against the set (~150-250 ms, each a cache miss), on every keystroke of a broad
    query, though the list then draws one screenful. Here a keystroke costs the count
    (known from the set) and the rows drawn; scrolling further, or reading every row
    (the timeline, an export), picks the rest then, as fast as the full pick.

    *order* is the order's serial list, which the corpus never changes in place.
    *matches* may gain serials afterwards: the reader adds articles that came later,
    which *order* does not hold, and then lists new rows. (Were one of *order*'s
    added, the rows after it would shift by one until then; the count stays.) Rows
    are picked on any thread.
    """

    __slots__ = (
        "_order",
        "_matches",
        "_held",
        "_gone",
        "_length",
        "_picked",
        "_scanned",
        "_lock",
    )

    PICK_AT_LEAST = 2048
    """Order serials tested per pick at least: fewer calls for a row-by-row reader."""

    def __init__(
        self,
        order: list[int],
        matches: Collection[int],
        gone: Collection[int] = (),
        held: Callable[[int], object] | None = None,
    ) -> None:
        """*gone*: the matches *order* leaves out (removed articles). *held*: whether a
        serial of *order* is one of *matches* (truthy when it is), when faster than
        ``in``."""
        self._order = order
        self._matches = matches
        self._held = matches.__contains__ if held is None else held
        self._gone = tuple(gone)
        self._length = len(matches) - len(self._gone)
        self._picked: list[int] = []
        self._scanned = 0
        self._lock = threading.Lock()

    @classmethod
    def of(
        cls,
        order: list[int],
        matches: Collection[int],
        known: int,
        removed: Collection[int],
        *,
        below: int | None = None,
    ) -> PickedRows | None:
        """The rows of *matches* in *order* (which holds every serial below *known* but
        the *removed*), or None when *matches* holds a serial *order* cannot place (the
        caller picks them all at once then). *below*: a bound the caller knows every
        serial of *matches* to be under, none negative: when it is *known* or less, they
        are not looked through for their least and greatest."""
        if isinstance(matches, Bits):  # no serial of theirs is negative or as high
            below = matches.size if below is None else min(below, matches.size)
        bounded = below is not None and below <= known
        if not bounded and matches and (min(matches) < 0 or max(matches) >= known):
            return None
        # Bits' bytes are looked up in C: its ``in`` is a Python call (~1.3× slower).
        held = matches.lookup(known) if isinstance(matches, Bits) else None
        return cls(order, matches, [serial for serial in removed if serial in matches], held)

    def __len__(self) -> int:
        return self._length

    def __repr__(self) -> str:
        return f"PickedRows({self._length} rows, {len(self._picked)} picked)"

    def __getitem__(self, index: int | slice) -> Any:  # int → int, slice → list[int]
        if isinstance(index, slice):
            start, stop, step = index.indices(self._length)
            if step > 0 and stop > start:
                self._pick(stop - 1)
            elif step < 0 and start > stop:
                self._pick(start)
            if step > 0:
                return self._picked[start:stop:step]
            picked = self._picked
            return [picked[position] for position in range(start, stop, step)]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError("row out of range")
        picked = self._picked
        if index >= len(picked):
            self._pick(index)
        return picked[index]

    def counts_of(self, values: Sequence[int]) -> Counter[int]:
        """How many rows have each value of ``values[serial]``, counted over the
        matches, whose order does not matter, rather than by picking every row: the
        timeline's months of 383,382 rows at a million take ~27 ms so, against
        ~250 ms picked."""
        if isinstance(self._matches, Bits) and isinstance(values, array):
            counts = self._matches.counts_of(values)  # in NumPy: 8-9 ms for 598,000, not ~50
        else:
            counts = Counter(map(values.__getitem__, self._matches))
        for serial in self._gone:
            value = values[serial]
            counts[value] -= 1
            if not counts[value]:
                del counts[value]
        return counts

    def __contains__(self, serial: object) -> bool:
        # Every match but the removed (left out when the order was made) is listed.
        if serial not in self._matches:
            return False
        return self._found(serial) >= 0

    def __iter__(self) -> Iterator[int]:
        self._pick(self._length - 1)
        return itertools.islice(self._picked, self._length)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, (str, bytes)):
            return len(other) == self._length and list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # equal to lists, which are unhashable

    def index(self, serial: Any, start: int = 0, stop: int | None = None) -> int:
        position = self._found(serial) if serial in self._matches else -1
        if position < start or (stop is not None and position >= stop):
            raise ValueError(f"{serial!r} is not in the rows")
        return position

    def _found(self, serial: Any) -> int:
        """Where *serial* (a match) is listed, picking as far as it; -1: not listed."""
        picked = self._picked
        with contextlib.suppress(ValueError):
            return picked.index(serial)
        while self._scanned < len(self._order):
            before = len(picked)
            self._pick(before)  # one more pick
            with contextlib.suppress(ValueError):
                return picked.index(serial, before)
        return -1

    def _pick(self, index: int) -> None:
        """Pick until row *index* is known (or the order is used up)."""
        with self._lock:
            picked, order, held = self._picked, self._order, self._held
            while len(picked) <= index and self._scanned < len(order):
                # The matches' share of the order says how far the wanted rows reach.
                wanted = index + 1 - len(picked)
                share = self._length / len(order) if order else 1.0
                reach = max(self.PICK_AT_LEAST, int(wanted / max(share, 1e-9) * 1.25))
                end = min(len(order), self._scanned + reach)
                picked.extend(filter(held, order[self._scanned : end]))
                self._scanned = end
