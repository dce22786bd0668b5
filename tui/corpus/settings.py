"""What the reader remembers between runs besides marks and queries (issue 15, item 8):
the theme, the sort order and the last query, as ``settings.json`` in the state
folder::

    {"version":1,"theme":"nord","sort":"oldest","order":"relevance","query":"pakistan"}

Read and written as ``state.json`` is (:mod:`corpus.state`). Every field is
untrusted: a theme that is not a plain name, a sort that is not one of the two, or a
query that holds a control character or is too long is ignored (the default stands).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from .history import acceptable_query
from .model import SortOrder
from .safe import neutralise_line
from .state import _Unreadable, read_json_document, state_directory, write_json_document

__all__ = ["POSITIONS_FILENAME", "SETTINGS_FILENAME", "ReadingPositions", "Settings"]

SETTINGS_FILENAME = "settings.json"
MAX_SETTINGS_BYTES = 1 << 20
VERSION = 1
_THEME_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}\Z")


@dataclass
class Settings:
    """The reader's remembered choices; *path* None: remembered for this run only."""

    path: str | None
    theme: str | None = None
    sort: SortOrder | None = None
    relevance: bool = False
    """A query's matches best first (``"order": "relevance"``), not by date."""
    query: str | None = None
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def open(cls, *, enabled: bool) -> Settings:
        """The settings in the state folder (``--no-state``: none kept), read now:
        the file is small, and the first frame needs the theme and the sort."""
        settings = cls(os.path.join(state_directory(), SETTINGS_FILENAME) if enabled else None)
        settings.load()
        return settings

    def load(self) -> None:
        if self.path is None:
            return
        try:
            document = read_json_document(self.path, MAX_SETTINGS_BYTES, VERSION)
        except (_Unreadable, OSError) as problem:
            self.warnings.append(neutralise_line(f"settings not read: {problem} ({self.path})"))
            return
        if document is None:
            return
        theme, sort, query = document.get("theme"), document.get("sort"), document.get("query")
        self.theme = theme if isinstance(theme, str) and _THEME_NAME.match(theme) else None
        self.sort = "newest" if sort == "newest" else "oldest" if sort == "oldest" else None
        self.query = query if isinstance(query, str) and acceptable_query(query) else None
        self.relevance = document.get("order") == "relevance"

    def save(self) -> None:
        """Write the settings now (a worker thread: it fsyncs); a failure is a warning."""
        if self.path is None:
            return
        document: dict[str, object] = {"version": VERSION}
        for name in ("theme", "sort", "query"):
            value = getattr(self, name)
            if value:
                document[name] = value
        document["order"] = "relevance" if self.relevance else "date"
        try:
            write_json_document(self.path, document)
        except OSError as error:
            message = f"settings not saved: {error.strerror or error} ({self.path})"
            self.warnings.append(neutralise_line(message))


POSITIONS_FILENAME = "positions.json"
MAX_POSITIONS = 2000
"""Articles whose reading position is kept: the ones left most recently."""
_ARTICLE_KEY = re.compile(r"[0-9a-f]{32}\Z")


class ReadingPositions:
    """Where the reader was in each article (the block, a paragraph or heading, at the
    top of the view: the same place at any width), by the article's content key, kept
    as ``positions.json`` in the state folder: showing it again, in this run or the
    next, goes back there."""

    def __init__(self, path: str | None) -> None:
        self.path = path
        self.blocks: dict[str, int] = {}
        self.warnings: list[str] = []

    @classmethod
    def open(cls, *, enabled: bool) -> ReadingPositions:
        return cls(os.path.join(state_directory(), POSITIONS_FILENAME) if enabled else None)

    def get(self, key: str) -> int:
        return self.blocks.get(key, 0)

    def note(self, key: str, block: int) -> None:
        """The reader left article *key* at *block* (0: its top, nothing to keep)."""
        self.blocks.pop(key, None)
        if block > 0:
            self.blocks[key] = block
            if len(self.blocks) > MAX_POSITIONS:
                del self.blocks[next(iter(self.blocks))]  # the one left longest ago

    def load(self) -> None:
        if self.path is None:
            return
        try:
            document = read_json_document(self.path, MAX_SETTINGS_BYTES * 4, VERSION)
        except (_Unreadable, OSError) as problem:
            self.warnings.append(
                neutralise_line(f"reading positions not read: {problem} ({self.path})")
            )
            return
        found = document.get("positions") if document is not None else None
        if not isinstance(found, dict):
            return
        kept = {
            key: line
            for key, line in found.items()
            if _ARTICLE_KEY.match(key) and type(line) is int and 0 < line < 10_000_000
        }
        self.blocks = {**dict(list(kept.items())[-MAX_POSITIONS:]), **self.blocks}

    def save(self) -> None:
        if self.path is None:
            return
        try:
            write_json_document(self.path, {"version": VERSION, "positions": self.blocks})
        except OSError as error:
            message = f"reading positions not saved: {error.strerror or error} ({self.path})"
            self.warnings.append(neutralise_line(message))
