"""Many matches as one byte a serial: a search's set algebra done in C, through NumPy.

A keystroke of a broad query at a million articles matches hundreds of thousands of
them. As a frozenset, 598,311 serials (``za``) took ~100 ms to make out of FTS5's
rowids (each parsed, translated and hashed, most a cache miss) and ~32 MB to hold, on
every keystroke; taking 60,000 out of a million (``z``) took ~70 ms. As one byte a
serial they take ~10 ms and 1 MB, and an intersection, a union, a complement or a
count is done a machine word at a time.

:class:`Bits` is an immutable set of ints (a :class:`collections.abc.Set`): it is
equal to a set of the same serials, and every ``in``, ``len``, iteration and set
operator works as a frozenset's does, so whatever takes a search's answer reads it as
before. Only the paths a keystroke takes (the index's own algebra, the rows in display
order, the count) use the bytes as bytes.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator
from collections.abc import Set as AbstractSet
from typing import Any

BITS_FROM = 50_000
"""Matches from which a search's answer is made :class:`Bits` rather than a frozenset:
below this a set costs less than a byte for every article (at a million, 1 MB to clear
and count against ~3 MB of set), and the many small answers keep the set's speed."""


_NUMPY: list[Any] = []


def numpy() -> Any:
    """NumPy, imported on first use (~80 ms): never before the first frame."""
    if not _NUMPY:
        import numpy

        _NUMPY.append(numpy)  # once it is whole: see numpy_if_imported
    return _NUMPY[0]


def numpy_if_imported() -> Any | None:
    """NumPy when :func:`numpy` has imported it, else None: for work a Python loop does
    nearly as well where it is small, which is not worth waiting ~80 ms for (at 100k,
    a word typed as a re-open's first rows showed waited for the import)."""
    return _NUMPY[0] if _NUMPY else None


def _view(flags: bytearray | bytes) -> Any:
    """*flags* as a NumPy array of bytes, the same memory (held only while in use:
    a bytearray with a view cannot be resized)."""
    np = numpy()
    return np.frombuffer(flags, dtype=np.uint8)


def ints_of(values: array[int]) -> Any:
    """A NumPy copy of an array of ints (~1 ms for a million). A copy, not a view: an
    array another thread appends to cannot grow while a view of it is held."""
    # The slice is copied under the GIL; NumPy's type codes are the array module's.
    return numpy().frombuffer(values[:], dtype=values.typecode)


class Bits(AbstractSet[int]):
    """The serials whose byte is 1, of ``len(flags)`` (an immutable set of ints).

    The flags are never changed once a Bits holds them: a new Bits is made for each
    answer, as a frozenset would be, so an answer can be shared and remembered.
    """

    __slots__ = ("_flags", "_count")

    def __init__(self, flags: bytearray, count: int | None = None) -> None:
        """*flags*: one byte a serial, 1 when it is in the set, else 0 (taken, not
        copied: the caller lets it go). *count*: how many are 1, when known."""
        self._flags = flags
        self._count = count

    @classmethod
    def of(cls, serials: Any, size: int) -> Bits:
        """The set of *serials* (a NumPy array of ints, each in ``range(size)``)."""
        flags = bytearray(size)
        _view(flags)[serials] = 1
        return cls(flags)

    @classmethod
    def everything(cls, size: int) -> Bits:
        """Every serial below *size*."""
        return cls(bytearray(b"\x01") * size, size)

    @property
    def size(self) -> int:
        """The serials this set may hold are those below it."""
        return len(self._flags)

    def __len__(self) -> int:
        if self._count is None:
            self._count = int(numpy().count_nonzero(_view(self._flags)))
        return self._count

    def __contains__(self, serial: object) -> bool:
        flags = self._flags
        return isinstance(serial, int) and 0 <= serial < len(flags) and flags[serial] == 1

    def __iter__(self) -> Iterator[int]:
        return iter(self.serials().tolist())

    def __repr__(self) -> str:
        return f"Bits({len(self)} of {self.size})"

    def lookup(self, size: int) -> Callable[[int], int]:
        """``flags[serial]`` for any serial below *size*, looked up in C: 1 when it is
        held, else 0 (``in`` is a Python call: 132-135 ms against 97-102 to pick
        600,000 of a million shuffled serials)."""
        flags = self._flags
        if len(flags) < size:
            flags = flags + bytes(size - len(flags))
        return flags.__getitem__

    def serials(self) -> Any:
        """The serials held, ascending, as a NumPy array."""
        return numpy().flatnonzero(_view(self._flags))

    def below(self, bound: int) -> Bits:
        """The serials held that are below *bound*."""
        if bound >= len(self._flags):
            return self
        return Bits(self._flags[: max(0, bound)])

    def from_(self, bound: int) -> list[int]:
        """The serials held that are *bound* or above, ascending."""
        flags = self._flags[max(0, bound) :]
        return (numpy().flatnonzero(_view(flags)) + max(0, bound)).tolist()

    def counts_of(self, values: array[int]) -> Counter[int]:
        """How many of the serials held have each value of ``values[serial]`` (an
        ``array("i")`` with a value for every serial below :attr:`size`)."""
        np = numpy()
        found, counts = np.unique(ints_of(values)[self.serials()], return_counts=True)
        return Counter(dict(zip(found.tolist(), counts.tolist(), strict=True)))

    def in_order(self, ranks: array[int], removed: Collection[int]) -> list[int]:
        """The serials held that *ranks* places (``ranks[serial]``, a position in a
        display order), but the *removed*, in that order: sorted in NumPy, 15-17 ms
        for 100,000 of a million where ``sorted`` by their ranks took 21-24 (a
        micro-benchmark; the set they came from is not made)."""
        np = numpy()
        serials = self.serials()
        serials = serials[serials < len(ranks)]
        if removed:
            serials = serials[~np.isin(serials, np.fromiter(removed, dtype=np.int64))]
        places = ints_of(ranks)[serials]
        return serials[np.argsort(places, kind="stable")].tolist()

    # ------------------------------------------------------------------ set algebra

    @classmethod
    def _from_iterable(cls, iterable: Iterable[Any]) -> frozenset[Any]:
        # What the mixin methods (^, and any operator given a non-set) make.
        return frozenset(iterable)

    def __and__(self, other: object) -> Bits | frozenset[int]:
        if isinstance(other, Bits):
            size = min(self.size, other.size)
            return self._combined(other, size, numpy().bitwise_and)
        if isinstance(other, AbstractSet):
            return frozenset(filter(self.__contains__, other))
        return NotImplemented

    __rand__ = __and__

    def __or__(self, other: object) -> Bits | frozenset[int]:
        if isinstance(other, Bits):
            size = max(self.size, other.size)
            return self._combined(other, size, numpy().bitwise_or)
        if isinstance(other, AbstractSet):
            extra = [serial for serial in other if serial not in self]
            if not extra:
                return self
            if not all(isinstance(serial, int) and serial >= 0 for serial in extra):
                return frozenset(self).union(other)
            flags = self._flags + bytes(max(0, max(extra) + 1 - self.size))
            for serial in extra:
                flags[serial] = 1
            return Bits(flags, len(self) + len(extra))
        return NotImplemented

    __ror__ = __or__

    def __sub__(self, other: object) -> Bits | frozenset[int]:
        if isinstance(other, Bits):
            np = numpy()
            flags = bytearray(self._flags)
            common = min(self.size, other.size)
            mine = _view(flags)[:common]
            np.bitwise_and(mine, np.bitwise_xor(_view(other._flags)[:common], 1), out=mine)
            return Bits(flags)
        if isinstance(other, AbstractSet):
            taken = [serial for serial in other if serial in self]
            if not taken:
                return self
            flags = bytearray(self._flags)
            for serial in taken:
                flags[serial] = 0
            return Bits(flags, len(self) - len(taken))
        return NotImplemented

    def __rsub__(self, other: object) -> Bits | frozenset[int]:
        if isinstance(other, AbstractSet):
            return frozenset(serial for serial in other if serial not in self)
        return NotImplemented

    def _combined(self, other: Bits, size: int, operation: Any) -> Bits:
        """*operation* (a NumPy ufunc) of the two sets' bytes, over *size* serials."""
        flags = bytearray(size)
        out = _view(flags)
        mine, theirs = self._flags[:size], other._flags[:size]
        if len(mine) == len(theirs) == size:
            operation(_view(mine), _view(theirs), out=out)
        else:  # one is shorter: its missing bytes are 0
            out[: len(mine)] = _view(mine)
            operation(out[: len(theirs)], _view(theirs), out=out[: len(theirs)])
        return Bits(flags)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Bits):
            return self._flags.rstrip(b"\x00") == other._flags.rstrip(b"\x00")
        if isinstance(other, AbstractSet):
            return len(self) == len(other) and all(serial in self for serial in other)
        return NotImplemented

    def __hash__(self) -> int:
        return self._hash()  # a frozenset of the same serials hashes alike
