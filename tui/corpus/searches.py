"""Saved searches (issue 15, item 2): named queries, kept in the state folder as plain
TOML a person may edit::

    # Broadsheet's saved searches: name = "query"
    [searches]
    pakistan = "pakistan -cricket"
    "talks in 2024" = 'talks date:2024'

``--query @name`` runs one on the command line; the reader lists them (``'``) with
their live counts and adds the current query under a name (palette: Save search).

The file is read as the other state files are (:mod:`corpus.state`: no link, no FIFO,
at most :data:`MAX_SEARCHES_BYTES`) and with :mod:`tomllib`; a name or query that is
not a plain string, or holds a control character, is skipped with a warning. Written
atomically, by hand (TOML's basic strings, every special character escaped): the
standard library reads TOML but does not write it, and the file is one table of
strings.
"""

from __future__ import annotations

import os
import tomllib

from .history import acceptable_query
from .safe import neutralise_line
from .state import _Unreadable, read_regular_file, state_directory, write_atomically

__all__ = ["SEARCHES_FILENAME", "SavedSearches", "toml_string"]

SEARCHES_FILENAME = "searches.toml"
MAX_SEARCHES_BYTES = 1 << 20
MAX_NAME = 80


class SavedSearches:
    """Name → query, in the order the file gives them (new ones last)."""

    def __init__(self, path: str | None) -> None:
        self.path = path
        self.queries: dict[str, str] = {}
        self.warnings: list[str] = []

    @classmethod
    def open(cls, *, enabled: bool) -> SavedSearches:
        """The saved searches in the state folder, read now (a small file; the
        command line's ``@name`` needs them before anything else)."""
        searches = cls(os.path.join(state_directory(), SEARCHES_FILENAME) if enabled else None)
        searches.load()
        return searches

    def load(self) -> None:
        if self.path is None:
            return
        try:
            found = read_regular_file(self.path, MAX_SEARCHES_BYTES)
            if found is None:
                return
            document = tomllib.loads(found[0].decode("utf-8"))
        except (_Unreadable, OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as problem:
            self._warn(f"saved searches not read: {problem}")
            return
        table = document.get("searches", {})
        if not isinstance(table, dict):
            self._warn('saved searches not read: "searches" is not a table')
            return
        for name, query in table.items():
            if acceptable_name(name) and isinstance(query, str) and acceptable_query(query):
                self.queries[name] = query
            else:
                self._warn(f"saved search skipped: {neutralise_line(str(name))[:MAX_NAME]}")

    def save(self, name: str, query: str) -> None:
        """Keep *query* under *name* (replacing one of that name) and write the file.
        Raises ValueError for a name or query that cannot be kept, OSError when it
        cannot be written."""
        name = name.strip()
        if not acceptable_name(name):
            raise ValueError("a name is one line of at most 80 characters, no control character")
        if not acceptable_query(query):
            raise ValueError("there is no query to save")
        self.queries.pop(name, None)
        self.queries[name] = query
        if self.path is None:
            return
        lines = ['# Broadsheet\'s saved searches: name = "query" (--query @name)', "[searches]"]
        lines += [f"{toml_string(n)} = {toml_string(q)}" for n, q in self.queries.items()]
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        write_atomically(self.path, [("\n".join(lines) + "\n").encode("utf-8")])

    def resolve(self, text: str) -> str:
        """*text* if it is a query; the saved query if it is ``@name``. Raises
        KeyError (with the name) for an unknown one."""
        if not text.startswith("@"):
            return text
        name = text[1:].strip()
        if name not in self.queries:
            raise KeyError(name)
        return self.queries[name]

    def _warn(self, message: str) -> None:
        self.warnings.append(neutralise_line(f"{message} ({self.path})"))


def acceptable_name(name: object) -> bool:
    return (
        isinstance(name, str)
        and 0 < len(name.strip()) <= MAX_NAME
        and name.isprintable()
        and acceptable_query(name)
    )


def toml_string(text: str) -> str:
    """*text* as a TOML basic string: quotes, backslashes and every control character
    escaped (``tomllib`` reads back exactly *text*)."""
    escaped = []
    for char in text:
        if char in ('"', "\\"):
            escaped.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            escaped.append(f"\\u{ord(char):04X}")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'
