"""PickedRows: many matches in display order, picked only as far as they are read.

Every way the reader reads rows (by index from either end, slices, ``in``, ``index``,
iteration, equality) must give exactly what picking the whole order at once gives.
"""

from __future__ import annotations

import random
import threading
from array import array
from collections import Counter
from collections.abc import Callable, Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.corpus.bits import Bits, numpy
from tui.corpus.dates import ArticleDate
from tui.corpus.model import Article, Corpus
from tui.corpus.rows import PickedRows


def _order_and_matches(size: int, share: float, seed: int) -> tuple[list[int], set[int]]:
    rng = random.Random(seed)
    order = list(range(size))
    rng.shuffle(order)
    return order, {serial for serial in range(size) if rng.random() < share}


@settings(max_examples=60, deadline=None)
@given(
    size=st.integers(0, 3000),
    share=st.floats(0.0, 1.0),
    seed=st.integers(0, 2**16),
    reads=st.lists(st.integers(-3000, 3000), max_size=12),
)
def test_rows_read_in_any_order_are_the_whole_pick(
    size: int, share: float, seed: int, reads: list[int]
) -> None:
    order, matches = _order_and_matches(size, share, seed)
    want = [serial for serial in order if serial in matches]
    rows = PickedRows(order, matches)
    assert len(rows) == len(want)
    for position in reads:  # the list reads a row here and there, from either end
        if -len(want) <= position < len(want):
            assert rows[position] == want[position]
        else:
            with pytest.raises(IndexError):
                rows[position]
    assert list(rows) == want
    assert rows == want and want == rows
    assert rows != [*want, -1]


@settings(max_examples=40, deadline=None)
@given(
    size=st.integers(1, 2000),
    seed=st.integers(0, 2**16),
    start=st.integers(-2100, 2100) | st.none(),
    stop=st.integers(-2100, 2100) | st.none(),
    step=st.sampled_from([None, 1, 2, -1, -3]),
)
def test_slices_of_fresh_rows_are_the_whole_picks(
    size: int, seed: int, start: int | None, stop: int | None, step: int | None
) -> None:
    order, matches = _order_and_matches(size, 0.4, seed)
    want = [serial for serial in order if serial in matches]
    rows = PickedRows(order, matches)  # nothing picked yet: the slice picks
    assert rows[start:stop:step] == want[start:stop:step]


def test_membership_and_position_pick_only_as_far_as_the_row() -> None:
    order, matches = _order_and_matches(200_000, 0.5, 7)
    want = [serial for serial in order if serial in matches]
    rows = PickedRows(order, matches)
    assert rows.index(want[3]) == 3
    assert want[3] in rows
    assert "picked" in repr(rows) and int(repr(rows).split(", ")[1].split()[0]) < 10_000
    unmatched = next(serial for serial in order if serial not in matches)
    assert unmatched not in rows
    with pytest.raises(ValueError):
        rows.index(unmatched)
    assert rows.index(want[-1]) == len(want) - 1  # the last: everything picked by now
    with pytest.raises(ValueError):
        rows.index(want[5], 6)


def test_a_removed_match_is_neither_counted_nor_listed() -> None:
    order, matches = [4, 2, 0, 3], {0, 1, 2, 3, 4}  # 1 was removed: not in the order
    rows = PickedRows.of(order, matches, known=5, removed={1})
    assert rows is not None
    assert len(rows) == 4 and list(rows) == [4, 2, 0, 3]
    assert 1 not in rows
    with pytest.raises(ValueError):
        rows.index(1)


def test_rows_are_counted_by_value_from_the_matches_less_the_removed() -> None:
    order, matches = _order_and_matches(5000, 0.6, 11)
    removed = set(list(matches)[:40])
    order = [serial for serial in order if serial not in removed]
    periods = [serial % 13 for serial in range(5000)]
    rows = PickedRows.of(order, matches, known=5000, removed=removed)
    assert rows is not None
    counts = rows.counts_of(periods)
    assert counts == Counter(periods[serial] for serial in order if serial in matches)
    assert 0 not in counts.values()
    assert "0 picked" in repr(rows)  # counted without picking a row


def test_a_match_the_order_does_not_hold_yet_leaves_picking_to_the_caller() -> None:
    assert PickedRows.of([1, 0], {0, 1, 2}, known=2, removed=()) is None
    assert PickedRows.of([1, 0], {0, -1}, known=2, removed=()) is None


class _NotToLookThrough(frozenset[int]):
    """Matches that fail when looked through as a whole (``min``, ``max``)."""

    def __iter__(self) -> Iterator[int]:
        raise AssertionError("looked through")


def test_matches_their_maker_bounds_are_not_looked_through() -> None:
    """Matches whose maker vouches for a bound at most what the order holds (a search's
    last answer) are picked without finding their least and greatest first (~22 ms for
    a million); a bound beyond it, or none, has them looked through."""
    matches = _NotToLookThrough({0, 3})
    rows = PickedRows.of([2, 0, 1, 3], matches, known=4, removed=(), below=4)
    assert rows is not None and list(rows) == [0, 3] and len(rows) == 2
    for below in (5, None):
        with pytest.raises(AssertionError, match="looked through"):
            PickedRows.of([2, 0, 1, 3], matches, known=4, removed=(), below=below)


def test_two_threads_reading_at_once_see_one_pick() -> None:
    order, matches = _order_and_matches(300_000, 0.3, 3)
    want = [serial for serial in order if serial in matches]
    rows = PickedRows(order, matches)
    seen: list[list[int]] = []

    def read(stride: int) -> None:
        seen.append([rows[position] for position in range(0, len(want), stride)])

    threads = [threading.Thread(target=read, args=(stride,)) for stride in (1, 7)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(map(len, seen)) == sorted([len(want[::7]), len(want)])
    assert all(found in (want, want[::7]) for found in seen)


def _corpus(count: int, date_of: Callable[[int], ArticleDate | None]) -> Corpus:
    """*count* articles, article *serial* dated ``date_of(serial)``, at ``p/NNNNN.txt``."""
    corpus = Corpus("x")
    corpus.add(
        Article(
            key=f"k{serial}", id=f"i{serial}", path=f"p/{serial:05d}.txt", title="t",
            title_source="header", date_text=None, date_line=None, source=None,
            date=date_of(serial), author=None, words=1, body=b"x",
        )
        for serial in range(count)
    )  # fmt: skip
    return corpus


def test_the_corpus_picks_many_matches_lazily_and_few_at_once() -> None:
    corpus = _corpus(
        1000,
        lambda serial: (
            None if serial % 5 == 0 else ArticleDate(2020 + serial % 3, 1 + serial % 2, None)
        ),
    )
    everything = corpus.serials()
    many = set(range(0, 1000, 2))
    rows = corpus.in_order(many)
    assert isinstance(rows, PickedRows)
    assert rows == [serial for serial in everything if serial in many]
    few = {3, 1, 998, 500}  # sorted by their keys: the positions are not made yet
    assert not corpus._order("newest").has_ranks
    assert corpus.in_order(few) == [serial for serial in everything if serial in few]
    assert corpus.in_order(few, "oldest") == [s for s in corpus.serials("oldest") if s in few]
    corpus.ranks()  # made now: sorted by position, the same rows
    assert corpus.in_order(few) == [serial for serial in everything if serial in few]
    unknown = many | {1000}  # not in the corpus yet: left out, all picked at once
    assert corpus.in_order(unknown) == rows and not isinstance(corpus.in_order(unknown), PickedRows)


@settings(max_examples=40, deadline=None)
@given(
    size=st.integers(1, 3000),
    grown=st.integers(0, 500),
    share=st.floats(0.0, 1.0),
    seed=st.integers(0, 2**16),
)
def test_bits_are_listed_and_counted_as_their_set_would_be(
    size: int, grown: int, share: float, seed: int
) -> None:
    """Bits (many matches) are looked up through their bytes, not ``in``: the rows are
    the set's, also when the order holds articles added after the Bits were made (its
    serials reach beyond its bytes) and when some matches were removed."""
    order, matches = _order_and_matches(size + grown, share, seed)
    matches = {serial for serial in matches if serial < size}  # made before the growth
    removed = set(sorted(matches)[:3])
    order = [serial for serial in order if serial not in removed]
    bits = Bits.of(numpy().array(sorted(matches), dtype=numpy().int64), size)
    as_bits = PickedRows.of(order, bits, known=size + grown, removed=removed)
    as_set = PickedRows.of(order, frozenset(matches), known=size + grown, removed=removed)
    assert as_bits is not None and as_set is not None
    assert len(as_bits) == len(as_set)
    assert list(as_bits[: len(as_bits) // 2]) == list(as_set[: len(as_set) // 2])
    assert list(as_bits) == list(as_set)
    periods = array("i", [serial % 7 for serial in range(size + grown)])
    assert as_bits.counts_of(periods) == as_set.counts_of(periods)


@pytest.mark.parametrize("with_numpy", [True, False])
def test_ranks_are_each_articles_place_also_after_a_removal(
    with_numpy: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Made in NumPy once it is imported, else by a loop (not worth the import): the
    same ranks either way."""
    from tui.corpus import bits as bits_module

    if with_numpy:
        numpy()
    else:
        monkeypatch.setattr(bits_module, "_NUMPY", [])
    corpus = _corpus(
        300, lambda serial: ArticleDate(2000 + serial % 7, 1 + serial % 12, 1 + serial % 28)
    )
    corpus.remove(["p/00007.txt", "p/00100.txt"])
    for order in ("newest", "oldest"):
        serials = corpus.serials(order)
        assert len(serials) == 298
        ranks = corpus.ranks(order)
        assert all(ranks[serial] == place for place, serial in enumerate(serials)), order
