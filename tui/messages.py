"""The messages the reader's threads post to the app: plain data, never live objects
shared with the thread that made them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from textual.message import Message

from .corpus import Skipped

if TYPE_CHECKING:
    from .corpus.facets import Facet
    from .corpus.index import Matches
    from .corpus.watch import FolderChanges


class CorpusBatch(Message):
    """The loader read more articles (already in the corpus and searchable in the index;
    ``done`` comes once the index has them all, after the last rows)."""

    def __init__(
        self,
        added: list[int],
        skipped: list[Skipped],
        read: int,
        done: bool,
        *,
        answers: bool = False,
    ) -> None:
        self.added = added
        self.skipped = skipped
        self.read = read
        self.done = done
        self.answers = answers
        """The articles a search asked for (a re-open reads them first): shown at once,
        not when typing rests."""
        super().__init__()

    def can_replace(self, message: Message) -> bool:
        # Called on a queued batch with the one queued after it: a batch that only
        # counts files read is superseded by any later one (the count only grows); a
        # batch with rows, skips or the end is never dropped.
        only_counts = not (self.added or self.skipped or self.done)
        return only_counts and isinstance(message, CorpusBatch)


class SkippedChecked(Message):
    """After a re-open, the folder checked against the store: the files skipped as it
    now has them (a re-open's end says none: the store's list may be out of date)."""

    def __init__(self, skipped: list[Skipped]) -> None:
        self.skipped = skipped
        super().__init__()


class FolderChanged(Message):
    """The watcher read a round of changes in the collection (see corpus/watch.py)."""

    def __init__(self, changes: FolderChanges) -> None:
        self.changes = changes
        super().__init__()


class WatchFailed(Message):
    """The folder cannot be followed (the reader goes on without it), or, *following*,
    one change could not be (the watch goes on)."""

    def __init__(self, reason: str, *, following: bool = False) -> None:
        self.reason = reason
        self.following = following
        super().__init__()


class StoreFailed(Message):
    """The store cannot be used or written (the reader goes on from memory), or, as
    information, it was built afresh."""

    def __init__(
        self, reason: str, severity: Literal["warning", "information"] = "warning"
    ) -> None:
        self.reason = reason
        self.severity: Literal["warning", "information"] = severity
        super().__init__()


class StateLoaded(Message):
    """The read/flag marks on disk are in (the state worker read and merged them)."""


class StateSaved(Message):
    """A save of the read/flag marks ended (written, or a warning says why not)."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, StateSaved)  # the later end says all the earlier did


class RelevanceFilled(Message):
    """The relevance ranking now knows every article (it was filled while a ranked
    list waited for it)."""


class RelatedFound(Message):
    """The articles most like article ``serial``, (serial, score) best first (None:
    not yet, the relevance table is being filled)."""

    def __init__(self, serial: int, found: list[tuple[int, float]] | None) -> None:
        self.serial = serial
        self.found = found
        super().__init__()


class FacetsCounted(Message):
    """The facets of the list are counted (``facets`` None: not yet, the names of
    some articles are still being read)."""

    def __init__(self, facets: list[Facet] | None, matched: int) -> None:
        self.facets = facets
        self.matched = matched
        super().__init__()


class SearchAnswered(Message):
    """The search thread answered query ``number`` (see ``ReaderScreen.set_query``):
    its matches, its rows in the order asked (None: not worked out there; many rows are
    picked out of the matches as they are read, which the thread leaves alone once
    posted), and the corpus's :attr:`~tui.corpus.model.Corpus.version` they were worked
    out at; or the reason it failed."""

    def __init__(
        self,
        number: int,
        matches: Matches | None,
        rows: Sequence[int] | None,
        version: tuple[int, int],
        seconds: float,
        error: str | None = None,
    ) -> None:
        self.number = number
        self.matches = matches
        self.rows = rows
        self.version = version
        self.seconds = seconds
        self.error = error
        super().__init__()
