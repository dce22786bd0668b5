"""The ledger of what the folder did while the reader was open (tui/corpus/changes.py):
which article took whose place, and the header's tally. Pure data, no terminal."""

from __future__ import annotations

from dataclasses import dataclass, field

from tui.corpus.changes import ChangeLedger
from tui.corpus.model import Removal


@dataclass
class _Article:
    serial: int
    file_path: str
    key: str


@dataclass
class _Corpus:
    """What the ledger asks of a corpus: the article now at a path, or of a text."""

    articles: list[_Article] = field(default_factory=list)

    def at_path(self, path: str) -> _Article | None:
        return next((a for a in self.articles if a.file_path == path), None)

    def by_key(self, key: str) -> _Article | None:
        return next((a for a in self.articles if a.key == key), None)


def test_a_round_is_counted_as_new_changed_and_removed() -> None:
    old_a, old_b = _Article(1, "a.txt", "ka"), _Article(2, "b.txt", "kb")
    changed_a = _Article(10, "a.txt", "ka2")  # the same file, a new text
    fresh = _Article(11, "c.txt", "kc")
    corpus = _Corpus([changed_a, fresh])
    ledger = ChangeLedger()
    added = ledger.record(
        corpus,  # type: ignore[arg-type]
        [changed_a, fresh],  # type: ignore[list-item]
        Removal([old_a, old_b], []),  # type: ignore[list-item]
        again=False,
    )
    assert added == [10, 11]
    assert ledger.replaced == {1: 10}
    assert ledger.counts == {"new": 1, "changed": 1, "removed": 1}
    assert ledger.note() == "1 new, 1 changed, 1 removed"
    # A round read again (the duplicates of a removed article) completes one counted.
    ledger.record(corpus, [], Removal([], []), again=True)  # type: ignore[arg-type]
    assert ledger.note() == "1 new, 1 changed, 1 removed"
    assert ledger.seen() is True
    assert ledger.note() == "" and ledger.seen() is False


def test_the_successor_follows_replacements_then_the_rows() -> None:
    ledger = ChangeLedger()
    ledger.replaced = {1: 5, 5: 7}
    assert ledger.successor(None, [], set()) is None
    assert ledger.successor(1, [], set()) == 7  # replaced twice
    assert ledger.successor(3, [2, 3, 4], set()) == 3  # still there
    assert ledger.successor(3, [2, 3, 4, 6], {3, 4}) == 6  # gone: the next row left
    assert ledger.successor(3, [2, 3, 4], {3, 4}) == 2  # else the one before
    assert ledger.successor(3, [3], {3}) is None
    ledger.replaced = {1: 2, 2: 1}  # a cycle ends
    assert ledger.successor(1, [], set()) in (1, 2)
    ledger.shown()
    assert ledger.replaced == {}
