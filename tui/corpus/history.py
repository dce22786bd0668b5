"""The filter bar's query history (issue 15, item 1): ↑ and ↓ walk it, ctrl+r searches
it, and it is kept between runs as ``history.json`` in the state folder::

    {"version":1,"queries":["oldest",...,"newest"]}

At most :data:`MAX_ENTRIES` queries, each once (a query used again moves to the end).
The file is read and written as ``state.json`` is (:mod:`corpus.state`): never through
a link, never a FIFO or a device, never more than :data:`MAX_HISTORY_BYTES`, written
atomically. Nothing in it is trusted: a query that is not a string, is too long to be a
query, or holds a control character is dropped; a file that is not a history is left
where it is, with a warning, and overwritten by the next save. Two instances each add
their own queries to what the file holds when they save (one may lose the other's last
query if both save in the same moment: a history entry, never a mark).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable

from .query import MAX_QUERY_LENGTH
from .safe import is_safe, neutralise_line
from .state import _Unreadable, read_json_document, state_directory, write_json_document

__all__ = ["HISTORY_FILENAME", "MAX_ENTRIES", "HistoryWalk", "QueryHistory", "acceptable_query"]

HISTORY_FILENAME = "history.json"
MAX_ENTRIES = 500
MAX_HISTORY_BYTES = 8 << 20
"""Larger than any history written here (500 queries of at most 4,000 characters)."""
VERSION = 1


class QueryHistory:
    """The queries used, oldest first; kept in *path* (None: this session only)."""

    def __init__(self, path: str | None) -> None:
        self.path = path
        self.entries: list[str] = []
        self.warnings: list[str] = []
        self._lock = threading.Lock()
        """Loading and saving run on a worker thread; adding runs on the UI thread."""
        self._added: list[str] = []
        """Queries this session added since the last save: a save adds these, and only
        these, to what the file holds then."""

    @classmethod
    def open(cls, *, enabled: bool) -> QueryHistory:
        """The history in the state folder (``--no-state``: none kept)."""
        return cls(os.path.join(state_directory(), HISTORY_FILENAME) if enabled else None)

    def add(self, text: str) -> bool:
        """Note *text* as the newest query; False when there is nothing to note."""
        text = text.strip()
        if not acceptable_query(text):
            return False
        with self._lock:
            if self.entries and self.entries[-1] == text:
                return False
            self.entries = _merged(self.entries, [text])
            self._added = _merged(self._added, [text])
        return True

    def matching(self, needle: str) -> list[str]:
        """The queries holding *needle* (case aside), newest first."""
        folded = needle.casefold()
        return [entry for entry in reversed(self.entries) if folded in entry.casefold()]

    def load(self) -> None:
        """Read the file (a worker thread): its queries, then those added meanwhile."""
        found = self._read()
        with self._lock:
            self.entries = _merged(found, self.entries)

    def save(self) -> None:
        """Write the queries added since the last save after those the file holds now
        (a worker thread). Nothing is written when nothing was added."""
        if self.path is None:
            return
        with self._lock:
            added, self._added = self._added, []
        if not added:
            return
        merged = _merged(self._read(), added)
        try:
            write_json_document(self.path, {"version": VERSION, "queries": merged})
        except OSError as error:
            self._warn(f"cannot save the query history: {error.strerror or error}")
            with self._lock:
                self._added = _merged(added, self._added)  # the next save tries again
            return
        with self._lock:
            self.entries = _merged(merged, self.entries)

    def _read(self) -> list[str]:
        if self.path is None:
            return []
        try:
            document = read_json_document(self.path, MAX_HISTORY_BYTES, VERSION)
        except (_Unreadable, OSError) as problem:
            self._warn(f"the query history was not read: {problem}")
            return []
        queries = document.get("queries", []) if document is not None else []
        if not isinstance(queries, list):
            self._warn('the query history was not read: its "queries" is not a list')
            return []
        return _merged([], (q for q in queries if isinstance(q, str) and acceptable_query(q)))

    def _warn(self, message: str) -> None:
        shown = neutralise_line(f"{message} ({self.path})")
        with self._lock:
            if shown not in self.warnings:
                self.warnings.append(shown)


class HistoryWalk:
    """↑ and ↓ through a history from the text being typed (the draft), and ctrl+r
    through the queries that hold what was typed, older at each press."""

    def __init__(self, entries: list[str], draft: str) -> None:
        self._entries = entries
        self._draft = draft
        self._place = len(entries)  # len(entries): the draft
        self._found: list[str] | None = None
        self._found_place = -1

    def older(self) -> str | None:
        """The query before the one shown, passing one that is the text shown (the
        newest query is often what the bar holds: ↑ showed it again); None at the
        oldest."""
        shown = self._shown()
        place = self._place - 1
        while place >= 0 and self._entries[place] == shown:
            place -= 1
        if place < 0:
            return None
        self._place = place
        return self._entries[place]

    def newer(self) -> str | None:
        """The query after the one shown, then the draft; None past the draft. The
        newest query when it is the draft (passed on the way up) is passed again."""
        last = len(self._entries)
        if self._place >= last:
            return None
        self._place += 1
        if self._place == last - 1 and self._entries[self._place] == self._draft:
            self._place = last
        return self._shown()

    def _shown(self) -> str:
        return self._entries[self._place] if self._place < len(self._entries) else self._draft

    def search(self) -> str | None:
        """The next older query holding the draft; None when there is no other."""
        if self._found is None:
            folded = self._draft.casefold()
            self._found = [
                entry
                for entry in reversed(self._entries)
                if folded in entry.casefold() and entry != self._draft
            ]
        if self._found_place + 1 >= len(self._found):
            return None
        self._found_place += 1
        return self._found[self._found_place]


def acceptable_query(text: str) -> bool:
    """Whether *text* may be kept as a query: not empty, not longer than a query may
    be, and nothing a terminal would take for a control (the state folder is
    untrusted, and what is kept is shown again)."""
    return bool(text) and len(text) <= MAX_QUERY_LENGTH and is_safe(text) and text.isprintable()


def _merged(first: list[str], then: Iterable[str]) -> list[str]:
    """*first* then *then*, each query once (at its last place), the newest
    :data:`MAX_ENTRIES`."""
    order: dict[str, None] = {}
    for text in (*first, *then):
        order.pop(text, None)
        order[text] = None
    merged = list(order)
    return merged[-MAX_ENTRIES:]
