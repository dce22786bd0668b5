"""Bits: a search's many matches as a byte a serial, which must act as a frozenset of
the same serials does, whatever it is combined with."""

from __future__ import annotations

from array import array
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.corpus.bits import Bits, ints_of, numpy

serial_sets = st.frozensets(st.integers(0, 199), max_size=120)


def bits(serials: frozenset[int], size: int = 200) -> Bits:
    return Bits.of(numpy().array(sorted(serials), dtype=numpy().int64), size)


@settings(deadline=None)  # the first example imports NumPy
@given(serial_sets, serial_sets, st.integers(120, 260), st.integers(120, 260))
def test_set_algebra_agrees_with_frozensets(
    a: frozenset[int], b: frozenset[int], size_a: int, size_b: int
) -> None:
    # Sizes differ: a Bits only holds serials below its size (a corpus that grew).
    a = frozenset(s for s in a if s < size_a)
    b = frozenset(s for s in b if s < size_b)
    x, y = bits(a, size_a), bits(b, size_b)
    assert x == a and a == x and len(x) == len(a) and list(x) == sorted(a)
    for other, plain in ((y, b), (b, b), (set(b), b)):
        assert x & other == a & plain
        assert other & x == a & plain
        assert x | other == a | plain
        assert other | x == a | plain
        assert x - other == a - plain
        assert other - x == plain - a
        assert x ^ other == a ^ plain
        assert (x <= other) == (a <= plain)
        assert x.isdisjoint(other) == a.isdisjoint(plain)
    assert all((serial in x) == (serial in a) for serial in range(-2, 270))
    assert "3" not in x and 3.0 not in x  # only ints are serials
    cut = size_a // 2
    assert x.below(cut) == {s for s in a if s < cut}
    assert x.from_(cut) == sorted(s for s in a if s >= cut)
    assert hash(x) == hash(a)


def test_a_set_is_never_changed_by_what_is_made_of_it() -> None:
    """Answers are shared and remembered: every operation makes a new one."""
    x = bits(frozenset({1, 5, 9}))
    before = list(x)
    for made in (x | {2, 300}, x - {5}, x & {1, 9}, x | bits(frozenset({7})), x - bits(x)):
        assert made is not x
    assert list(x) == before
    assert x | {1, 5} is x and x - {2} is x  # nothing to add or take: the same one
    grown = x | {300}
    assert isinstance(grown, Bits) and grown.size == 301 and 300 in grown


def test_negative_serials_make_a_frozenset_not_wrong_bytes() -> None:
    joined = bits(frozenset({1, 2})) | {-1}
    assert joined == {-1, 1, 2} and isinstance(joined, frozenset)


def test_every_serial_and_their_count() -> None:
    every = Bits.everything(1000)
    assert len(every) == 1000 and 999 in every and 1000 not in every
    assert every - {3, 4} == frozenset(range(1000)) - {3, 4}
    assert len(every - {3, 4}) == 998


def test_counts_of_values_agree_with_a_counter() -> None:
    values = array("i", [(serial * 7) % 5 for serial in range(300)])
    serials = frozenset(range(0, 300, 3))
    assert bits(serials, 300).counts_of(values) == Counter(values[s] for s in serials)


def test_ints_of_is_a_copy_so_the_array_can_still_grow() -> None:
    values = array("i", range(10))
    copied = ints_of(values)
    values.extend(range(5))  # a view would raise BufferError here
    assert copied.tolist() == list(range(10))


@pytest.mark.parametrize("other", [None, 3, "abc"])
def test_operators_with_what_is_not_a_set_are_not_implemented(other: object) -> None:
    x = bits(frozenset({1}))
    with pytest.raises(TypeError):
        x & other  # type: ignore[operator]
    assert x != other


def test_in_order_is_the_ranks_order_without_the_removed() -> None:
    ranks = array("q", [(serial * 37) % 101 for serial in range(101)])  # a permutation
    serials = frozenset(range(0, 120, 2))  # some beyond the ranks: not placed yet
    removed = {4, 10, 200}
    listed = bits(serials, 130).in_order(ranks, removed)
    expected = sorted((s for s in serials if s < 101 and s not in removed), key=ranks.__getitem__)
    assert listed == expected
