"""The persistent store: one SQLite file per collection, so a re-open is searchable at once.

It holds each file's identity (path, size, mtime_ns, inode), every article's fields and
cleaned body, and the FTS5 index on disk. The first launch parses and indexes in
memory as before; when the load ends, :meth:`Store.write_snapshot` copies the memory
index's pages (``serialize``) and the articles into the file in one transaction. A
re-open (:meth:`Store.read`) builds the corpus from it without reading a file; the
reader then checks the folder in the background and :meth:`Store.apply` brings the
file up to date with what changed, one transaction per round.

Failure never loses anything: the marks live in the state file, keyed by content
hash, and a store that cannot be used (corrupt, newer, read-only, full, locked) is a
:class:`StoreError` the caller reports in one line before it runs from memory.
Two instances share the file through WAL: one writes at a time, the other waits
(``busy_timeout``) or reads. Every write is one transaction, so ``kill -9`` at any
moment leaves the file as it was before the write or after it.

Pure Python and SQLite: no Textual here (import-linter keeps it so).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import itertools
import marshal
import os
import re
import sqlite3
import sys
import threading
import time
from array import array
from collections.abc import Callable, Collection, Iterable, Iterator, MutableSequence, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from .files import PathSpeller, Skipped, resolve_display_path
from .index import (
    _TABLE_SQL,
    IndexText,
    SearchIndex,
    fts_texts,
    prepare,
    relevance_columns,
    relevance_row,
    rowid_list,
    stored_rowid_texts,
)
from .model import (
    _SHARED_DATES,
    STORE_ROW_MASK,
    TITLE_NOT_STORED,
    Article,
    _shared_date,
    body_reader_slot,
    release_title,
    shared_int,
)
from .relevance import ROUND, RelevanceTable
from .safe import neutralise_line
from .wordrows import folded_word_form

_T = TypeVar("_T")

SCHEMA_VERSION = 7
"""Bumped whenever the tables below change shape: an older file is rebuilt."""

SHARDS = 2
"""FTS5 table pairs in the file: the load's index shards, copied one to one."""

BUSY_SECONDS = 5.0
"""How long a write waits for another instance's write before it gives up."""

RECENT_NS = 2_000_000_000
"""A file modified this close to (or after) the moment it was read may have changed
while it was read: its identity is stored as unknown, so the next check reads it."""


_BODY_FIELD = 11
"""Position of ``body`` in ``Article.__reduce__``'s fields (emptied in the record)."""
_SERIAL_FIELD = 13
_DATE_FIELD = 5
_TITLE_FIELD = 3
"""Position of ``title`` in a record: what :meth:`Store.read_titles` reads."""
_SHARED_FIELDS = (4, 6, 8, 9, 12, 18, 21)
"""title_source, date_text, source, author, encoding, date_origin, markup: few values."""
_TOP_ROWS = 2_000
"""Rows a re-open reads first, in the list's order: the top of the list."""
_WANTED_EVERY = 1_000
"""Rows a re-open reads between asking what a search wants read at once (~10 ms, so a
search's answer waits little for them)."""
_PROGRESS_EVERY = 24_000
"""Rows a re-open reads between two reports of how far it is (~0.1 s): the reader's
header counts them, and the loading thread gives way to keys between them."""
_ROWS_PER_QUERY = 500
"""Bodies read by one query (SQLite allows 32,766 parameters; 500 keeps each short)."""

_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE articles(
    id INTEGER PRIMARY KEY,
    undated INTEGER NOT NULL,
    day INTEGER NOT NULL,
    path BLOB NOT NULL,
    shard INTEGER,
    plain INTEGER NOT NULL,
    record BLOB NOT NULL
);
CREATE INDEX articles_newest ON articles(undated, day DESC, path);
CREATE TABLE bodies(id INTEGER PRIMARY KEY, body BLOB NOT NULL, words BLOB);
CREATE TABLE files(
    path BLOB PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    inode INTEGER NOT NULL,
    article INTEGER,
    reason TEXT
);
CREATE INDEX files_by_article ON files(article);
CREATE TABLE folders(path BLOB PRIMARY KEY, mtime_ns INTEGER NOT NULL) WITHOUT ROWID;
"""
# undated and day (YYYYMMDD) put the newest first, as the list does, for a re-open to
# read the top of the list first; shard is the FTS5 table pair that holds the article
# (NULL until the load that wrote it ends). Bodies have a table of their own: a
# re-open reads every article's record and no body, and with bodies inline it read a
# 4 KB page per article (0.5 s more at 100k). bodies.words is a body's word form
# (wordrows.folded_word_form) when it is not plain: a search of many phrases reads it
# instead of folding the body again (~15 µs a 4 KB article, 0.75 s at 50k); NULL for
# a plain body, whose form is one bytes.translate away.
# articles.path and files.path are absolute paths as bytes (a name need not be UTF-8);
# files.article is the articles.id the file gave (its own or as a duplicate), NULL when
# it was skipped (reason says why). folders.path is a folder's key with its separator
# at the end (a file key's prefix), and mtime_ns the folder's mtime when a check that
# the store holds the outcome of listed it (-1: not to be trusted): see
# session.quick_changed_files.


class StoreError(Exception):
    """The store cannot be used; the message is one line for the user."""


class StoreNotReady(StoreError):
    """The store stopped holding a full load between opening and reading it (another
    instance began writing it afresh): read the files instead."""


_NOT_READING = frozenset(
    {
        "session.py",
        "watch.py",
        "loader.py",
        "headstart.py",
        "foreground.py",
        "plaintext.py",
        "changes.py",
        "history.py",
        "settings.py",
        "export.py",
        "searches.py",
        "snippets.py",
        "relevance.py",
        "facets.py",
        "rows.py",
    }
)
"""Modules of the corpus package that do not shape what a file gives: a change to them
leaves the store as it is."""


def parser_version() -> str:
    """A digest of the corpus package's source, but for :data:`_NOT_READING`: any change
    to how files are read, parsed, cleaned, indexed or stored makes a store built by the
    old code stale."""
    digest = hashlib.blake2b(digest_size=12)
    folder = Path(__file__).parent
    for source in sorted(folder.glob("*.py")):
        if source.name in _NOT_READING:
            continue
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


def store_path(roots: Sequence[str], *, infer: bool, cache_dir: str) -> str:
    """The store's file for a collection: named by its folders (absolute, real) and by
    whether years are inferred (``--no-infer`` keeps other articles)."""
    absolute = sorted(os.path.realpath(root) for root in roots)
    key = "\0".join(absolute) + ("\0infer" if infer else "\0no-infer")
    digest = hashlib.blake2b(os.fsencode(key), digest_size=10).hexdigest()
    stem = os.path.basename(absolute[0].rstrip(os.sep)) if absolute else "corpus"
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.")[:40] or "corpus"
    return os.path.join(cache_dir, "collections", f"{stem}-{digest}.sqlite3")


def store_ready(roots: Sequence[str], *, infer: bool, cache_dir: str) -> bool:
    """Whether the collection's store holds a full load of the current format (a
    quick look, read-only: the reader then skips reading first rows from files)."""
    path = store_path(roots, infer=infer, cache_dir=cache_dir)
    meta = _look_into(path, lambda connection: dict(connection.execute(_META)))
    return (
        meta is not None
        and meta.get("schema") == str(SCHEMA_VERSION)
        and meta.get("parser") == parser_version()
        and meta.get("complete") == "1"
    )


class StoredFiles:
    """The files a store knows, asked for a folder at a time: the folder check
    compares each folder with its files alone, never holding every file's identity at
    once (as one dict, 32 MB at 100k articles, ten times that at a million, on top of
    the reader's). One read transaction: every folder is seen as of one moment."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def count(self) -> int:
        return int(self._connection.execute("SELECT count(*) FROM files").fetchone()[0])

    def in_folder(self, prefix: bytes) -> dict[bytes, tuple[int, int, int]]:
        """Name → (size, mtime_ns, inode) of the files right in the folder whose key
        is *prefix* (ending in the separator); files in its subfolders are left out."""
        after = len(prefix) + 1
        rows = self._connection.execute(_IN_FOLDER, (after, prefix, _after_all(prefix), after))
        return {name: (size, mtime, inode) for name, size, mtime, inode in rows}

    def outside(self, prefixes: Collection[bytes]) -> list[bytes]:
        """Keys of the files in none of the folders whose keys are *prefixes*."""
        rows = self._connection.execute("SELECT path FROM files")
        return [key for (key,) in rows if key[: key.rfind(b"/") + 1] not in prefixes]

    def under(self, prefix: bytes) -> list[bytes]:
        """Keys of the files in the folder whose key is *prefix*, and in its subfolders."""
        rows = self._connection.execute(_UNDER, (prefix, _after_all(prefix)))
        return [key for (key,) in rows]

    def subfolder_names(self, prefix: bytes) -> set[str]:
        """Names of the folders right in the one whose key is *prefix* that hold files
        the store knows (decoded as file names are)."""
        after = len(prefix) + 1
        rows = self._connection.execute(_SUBFOLDERS, (after, prefix, _after_all(prefix)))
        return {os.fsdecode(name) for (name,) in rows}

    def of_rows(self, rows: Collection[int]) -> list[tuple[bytes, tuple[int, int, int]]]:
        """Key and (size, mtime_ns, inode) of every file that gave one of the articles
        at *rows* (its own file, and any that repeats it)."""
        found: list[tuple[bytes, tuple[int, int, int]]] = []
        listed = list(rows)
        for start in range(0, len(listed), _ROWS_PER_QUERY):
            part = listed[start : start + _ROWS_PER_QUERY]
            marks = ", ".join("?" * len(part))
            found += [
                (key, (size, mtime, inode))
                for key, size, mtime, inode in self._connection.execute(
                    f"SELECT path, size, mtime_ns, inode FROM files WHERE article IN ({marks})",
                    part,
                )
            ]
        return found

    def folders(self) -> dict[bytes, int]:
        """The folders recorded (key → mtime_ns; see ``_SCHEMA``); empty when none
        are, or the store predates the record."""
        try:
            return dict(self._connection.execute("SELECT path, mtime_ns FROM folders"))
        except sqlite3.Error:
            return {}

    def everything(self) -> dict[bytes, tuple[int, int, int]]:
        """Key → (size, mtime_ns, inode) of every file (discover's walk needs them all)."""
        return _identities(self._connection)


_IN_FOLDER = (
    "SELECT substr(path, ?), size, mtime_ns, inode FROM files"
    " WHERE path >= ? AND path < ? AND instr(substr(path, ?), x'2f') = 0"
)
_UNDER = "SELECT path FROM files WHERE path >= ? AND path < ?"
_SUBFOLDERS = (
    "SELECT DISTINCT substr(rest, 1, instr(rest, x'2f') - 1) FROM"
    " (SELECT substr(path, ?) AS rest FROM files WHERE path >= ? AND path < ?)"
    " WHERE instr(rest, x'2f') > 0"
)


def _after_all(prefix: bytes) -> bytes:
    """The least key above every key that starts with *prefix* (which ends in the
    separator): the separator's next byte in its place."""
    return prefix[:-1] + bytes((prefix[-1] + 1,))


@contextlib.contextmanager
def open_stored_files(path: str, *, complete: bool = True) -> Iterator[StoredFiles | None]:
    """The files the store at *path* knows (:class:`StoredFiles`), read on a
    connection of its own; None when there is no such store or it cannot be read,
    or, with *complete*, when it is not complete (another instance writes it)."""
    if not os.path.isfile(path) or os.path.islink(path):
        yield None
        return
    try:
        connection = sqlite3.connect(f"file:{_uri_path(path)}?mode=ro", uri=True, timeout=0.2)
    except sqlite3.Error:
        yield None
        return
    try:
        try:
            connection.execute("BEGIN")
            ready = not complete or dict(connection.execute(_META)).get("complete") == "1"
        except sqlite3.Error:
            ready = False
        yield StoredFiles(connection) if ready else None
    finally:
        connection.close()


_META = "SELECT key, value FROM meta"


def _look_into(path: str, ask: Callable[[sqlite3.Connection], _T]) -> _T | None:
    """What *ask* finds in the store at *path*, opened read-only without waiting
    long; None when there is no such file or it cannot be read."""
    if not os.path.isfile(path) or os.path.islink(path):
        return None
    try:
        connection = sqlite3.connect(f"file:{_uri_path(path)}?mode=ro", uri=True, timeout=0.2)
        try:
            return ask(connection)
        finally:
            connection.close()
    except sqlite3.Error:
        return None


def _identities(connection: sqlite3.Connection) -> dict[bytes, tuple[int, int, int]]:
    found = connection.execute("SELECT path, size, mtime_ns, inode FROM files").fetchall()
    return {path: (size, mtime, inode) for path, size, mtime, inode in found}


def _uri_path(path: str) -> str:
    from urllib.parse import quote

    return quote(os.path.abspath(path))


@dataclass(slots=True)
class StoredBatch:
    """Articles a re-open read: plain data for the loading thread to add to the corpus."""

    articles: list[Article]
    """Bodies left in the store (:attr:`Article.stored`)."""
    rows: MutableSequence[int]
    """Each article's store row."""
    plains: list[bool]
    in_order: Sequence[int] | None = None
    """The articles' positions in the list's order as the store's index keeps it: a
    hint for the corpus (see :meth:`Corpus.add`)."""
    read: int = 0
    """Rows this read has made articles of so far, handed over or not: a batch with
    no articles says only that, every :data:`_PROGRESS_EVERY` rows."""
    asked: bool = False
    """The rows a search asked for (*wanted*), handed over at once: an answer the
    user waits for."""


def _rows_in(
    connection: sqlite3.Connection, select: str, rows: Sequence[int]
) -> Iterator[tuple[Any, ...]]:
    """``select … WHERE id IN (rows)``, a few hundred rows a query."""
    for start in range(0, len(rows), _ROWS_PER_QUERY):
        chunk = rows[start : start + _ROWS_PER_QUERY]
        marks = ",".join("?" * len(chunk))
        yield from connection.execute(f"{select} WHERE id IN ({marks})", chunk)


def _stored_words(text: IndexText) -> bytes | None:
    """What the bodies table keeps as a body's word form: None for a plain body (its
    form is cheap to make) or one folded the slow way (its currency signs unknown)."""
    if text.plain or text.signs is None:
        return None
    return folded_word_form(text.body, text.signs)


def identity_of(path: str, read_at_ns: int) -> tuple[int, int, int]:
    """(size, mtime_ns, inode) of *path* now; (-1, -1, -1) when it is gone or was
    modified too near *read_at_ns* (when it was read) to be sure what was read."""
    try:
        status = os.stat(path)
    except OSError:
        return (-1, -1, -1)
    if status.st_mtime_ns >= read_at_ns - RECENT_NS:
        return (-1, -1, -1)
    return (status.st_size, status.st_mtime_ns, status.st_ino)


def _record(article: Article) -> bytes:
    """The article's fields, body and serial left out, marshalled (its date as a tuple):
    marshal reads a tuple of plain values ~2.5× faster than pickle."""
    fields = list(article.__reduce__()[1])
    fields[_BODY_FIELD] = b""
    fields[_SERIAL_FIELD] = -1
    date = article.date
    fields[_DATE_FIELD] = None if date is None else (date.year, date.month, date.day, date.source)
    for position in _SHARED_FIELDS:
        value = fields[position]
        if isinstance(value, str) and len(value) <= 80:
            # Interned, marshal writes it as such and reads it back shared, in C: the
            # few values these fields take are held once, as _rebuild_article would.
            fields[position] = sys.intern(value)
    return marshal.dumps(tuple(fields))  # type: ignore[arg-type]  # (plain values, by design)


class Store:
    """One collection's SQLite file. Thread-safe: one lock per connection."""

    def __init__(self, path: str, connection: sqlite3.Connection, note: str) -> None:
        self.path = path
        self._connection = connection
        self._lock = threading.Lock()
        self.note = note
        """What opening did, for the user when it matters ("built afresh: …")."""
        self._reader: sqlite3.Connection | None = None
        self._reader_lock = threading.Lock()
        self._search: list[sqlite3.Connection] = []
        self._staged_shards: list[int] = []
        self._slot: int | None = None
        self._loading = False
        """A full load is being written (:meth:`write_batch` emptied the store first)."""
        self._abandoned = False
        """Another instance wrote the store, or took it over: this load writes no more."""
        self._relevance: RelevanceTable | None = None
        self._relevance_after = -1
        """Rows up to this one are all in the relevance table (see :meth:`fill_relevance`)."""
        self._token = f"{os.getpid()}-{os.urandom(6).hex()}"
        """Which load claimed the store (meta ``loader``)."""
        """Shards attached by :meth:`stage_index` (as ``shard0``…) for the snapshot."""

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(
        cls, roots: Sequence[str], *, infer: bool, cache_dir: str, rebuild: bool = False
    ) -> Store:
        """Open (or create) the collection's store; :class:`StoreError` if it cannot be
        used. *rebuild*: start afresh, whatever the file holds."""
        path = store_path(roots, infer=infer, cache_dir=cache_dir)
        try:
            os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        except OSError as error:
            raise StoreError(f"cannot make the cache folder ({error.strerror})") from None
        if os.path.islink(path) or (os.path.exists(path) and not os.path.isfile(path)):
            raise StoreError("the store is not a regular file")
        try:
            connection = sqlite3.connect(
                path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as error:
            raise StoreError(f"cannot open the store ({error})") from None
        try:
            note = cls._prepare(connection, rebuild=rebuild)
        except sqlite3.DatabaseError as error:
            connection.close()
            if "locked" in str(error) or "busy" in str(error):
                raise StoreError("the store is locked by another process") from None
            if rebuild or "readonly" in str(error) or "read-only" in str(error):
                raise StoreError(f"cannot use the store ({error})") from None
            # Corrupt (not a database, malformed): set it aside and start afresh once.
            _set_aside(path)
            try:
                connection = sqlite3.connect(
                    path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False
                )
                note = cls._prepare(connection, rebuild=True)
            except sqlite3.Error as again:
                raise StoreError(f"cannot use the store ({again})") from None
            note = "the store was damaged: set aside and built afresh"
        _remove_stale_copies(path)
        return cls(path, connection, note)

    @staticmethod
    def _prepare(connection: sqlite3.Connection, *, rebuild: bool) -> str:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        note = None if rebuild else Store._stale(connection)
        if note is None and not rebuild:
            return ""  # current: complete, or being written by a load (which empties it)
        # Decide again holding the write lock (another instance may have just built it),
        # and build in the same transaction.
        connection.execute("BEGIN IMMEDIATE")
        try:
            note = "asked to rebuild" if rebuild else Store._stale(connection)
            if note is not None:
                Store._build(connection)
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        if note is None:
            return ""
        return f"built afresh: {note}" if note else "built afresh"

    @staticmethod
    def _stale(connection: sqlite3.Connection) -> str | None:
        """Why the file cannot serve as it is (None: it can, or a load is filling it)."""
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        if "meta" not in tables:
            return "" if not tables else "it was not a Broadsheet store"
        meta = dict(connection.execute("SELECT key, value FROM meta"))
        schema = int(meta.get("schema", "0"))
        if schema > SCHEMA_VERSION:
            raise sqlite3.DatabaseError(
                f"readonly: made by a newer Broadsheet (schema {schema}, this one reads "
                f"{SCHEMA_VERSION})"
            )
        if schema != SCHEMA_VERSION:
            return "its format changed"
        if meta.get("parser") != parser_version():
            return "the reading code changed"
        return None

    @staticmethod
    def _build(connection: sqlite3.Connection) -> None:
        """Drop what is there and make the tables afresh (in the caller's transaction)."""
        for name, kind in list(
            connection.execute(
                "SELECT name, type FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
            )
        ):
            if (
                kind == "table"
                and not name.startswith("relevance_")  # went with its table
                and not any(
                    name.startswith(f"{table}_{number}_")
                    for table in ("words", "titles")
                    for number in range(SHARDS)
                )
            ):
                connection.execute(f'DROP TABLE IF EXISTS "{name}"')
        for statement in _SCHEMA.split(";"):
            if statement.strip():
                connection.execute(statement)
        for number in range(SHARDS):
            for table in ("words", "titles"):
                connection.execute(_TABLE_SQL.format(name=f"{table}_{number}"))
        RelevanceTable.create(connection)
        connection.executemany(
            "INSERT INTO meta(key, value) VALUES (?, ?)",
            [
                ("schema", str(SCHEMA_VERSION)),
                ("parser", parser_version()),
                ("complete", "0"),
                ("loader", ""),
            ],
        )

    @property
    def complete(self) -> bool:
        """Whether a snapshot was written: the store can answer a re-open."""
        with self._lock:
            row = self._connection.execute(
                "SELECT value FROM meta WHERE key = 'complete'"
            ).fetchone()
        return row is not None and row[0] == "1"

    def close(self) -> None:
        with self._lock:
            self._connection.close()
        with self._reader_lock:
            if self._reader is not None:
                self._reader.close()
                self._reader = None
        for connection in self._search:
            connection.close()
        self._search = []
        if self._relevance is not None:
            self._relevance.close_reader()
            self._relevance = None

    # ------------------------------------------------------------------ reading

    def read(
        self,
        *,
        skip: Iterable[str] = (),
        wanted: Callable[[], list[int]] | None = None,
        only: Collection[int] | None = None,
        keep_titles: bool = False,
    ) -> Iterator[StoredBatch]:
        """Every article the store holds, bodies left behind: first the top of the
        list (newest first as of the last full load), in its order; then, once every
        row is read, the rest in one batch. Files at the paths in *skip* (read afresh
        already) are left out.

        *wanted*: asked between reads of a few thousand rows for rows to hand over at
        once (a search's matches), which then come in a batch of their own. Batches
        with no articles say how far the read is (:attr:`StoredBatch.read`).
        *only*: the rows to read, in one batch, and no other (a query's candidates,
        :meth:`matching_rows`). Titles are left in the store, read when asked for
        (:data:`model._TITLE_SLOT`), unless *keep_titles*.
        """
        left_out = self._rows_of(skip)
        base = self.slot()
        respell = None if self._meta("cwd") == os.getcwd() else _Respeller()
        loads = marshal.loads
        make = Article
        shared_date = _shared_date
        dates = _SHARED_DATES
        columns = "SELECT id, plain, record, path FROM articles"
        with self._lock, self._read_transaction():
            # One read transaction: what another instance commits meanwhile (a load
            # claiming the store, a rebuild) is not half seen.
            connection = self._connection
            complete = connection.execute(
                "SELECT value FROM meta WHERE key = 'complete'"
            ).fetchone()
            if complete is None or complete[0] != "1":
                raise StoreNotReady("another instance is writing the store")
            last = connection.execute("SELECT coalesce(max(id), -1) FROM articles")
            rows_held = last.fetchone()[0] + 1
            # Rows already made, one byte each (a set of a million ints took ~60 MB).
            done = bytearray(rows_held)
            held: list[Article | None] = [None] * rows_held  # made, not handed over yet
            plain_of = bytearray(rows_held)

            def made(
                rows: Iterable[tuple[int, int, bytes, bytes]], batch: StoredBatch | None
            ) -> None:
                """Make the articles of *rows*: into *batch*, or held when None."""
                if batch is not None:
                    add_article, add_row, add_plain = (
                        batch.articles.append, batch.rows.append, batch.plains.append
                    )  # fmt: skip
                for row, plain, record, own in rows:
                    if row in left_out or done[row]:
                        continue
                    done[row] = 1
                    # The fields in Article's order (its shared strings interned); the
                    # date comes as a tuple, made an ArticleDate here.
                    article = make(*loads(record), stored=base | row)  # type: ignore[misc]
                    if not keep_titles:
                        release_title(article)
                    article.words = shared_int(article.words)
                    date = article.date
                    if date is not None:
                        # Its fields are _SHARED_DATES's key: a look-up, not a call.
                        article.date = dates.get(date) or shared_date(*date)  # type: ignore[misc, call-overload]
                    if respell is not None:  # records spell paths from the cwd then
                        respell(article, own)
                    if batch is None:
                        held[row] = article
                        plain_of[row] = plain
                    else:
                        add_article(article)
                        add_plain(bool(plain))
                        add_row(row)

            def handed(rows: Iterable[int]) -> StoredBatch:
                """The held articles of *rows*, in that order, handed over."""
                batch = StoredBatch([], [], [])
                for row in rows:
                    article = held[row]
                    if article is not None:
                        held[row] = None
                        batch.articles.append(article)
                        batch.rows.append(row)
                        batch.plains.append(bool(plain_of[row]))
                return batch

            if only is not None:
                chosen = StoredBatch([], [], [])
                made(_rows_in(connection, columns, sorted(only)), chosen)
                if chosen.articles:
                    chosen.read = len(chosen.articles)
                    yield chosen
                return
            # The top of the list in order (the index is only worth reading for that
            # much: an ordered scan of every row cost 2-3 s more at a million), then
            # the rest as the table lies.
            top = StoredBatch([], [], [])
            made(
                connection.execute(
                    f"{columns} ORDER BY undated, day DESC, path LIMIT ?", (_TOP_ROWS,)
                ).fetchall(),
                top,
            )
            if top.articles:
                top.read = len(top.articles)
                yield top
            cursor = connection.execute(columns)
            reported = 0
            while rows := cursor.fetchmany(_WANTED_EVERY):
                made(rows, None)
                asked = [r for r in wanted() if r < rows_held] if wanted is not None else []
                if asked:
                    found = handed(asked)
                    made(_rows_in(connection, columns, [r for r in asked if not done[r]]), found)
                    if found.articles:
                        found.read = done.count(1)
                        found.asked = True
                        yield found
                if (read := done.count(1)) >= reported + _PROGRESS_EVERY:
                    reported = read
                    yield StoredBatch([], [], [], read=read)
            # The rest in one batch, in the table's order (the order the articles were
            # made in, and so lie in memory, which the corpus then reads them in), with
            # their order in the list as the index has it: the corpus puts their keys
            # in that order, then sorts them in one pass. Batch after batch, each key
            # placed by binary search, cost 3.1 s at a million. Until this batch the
            # list holds the top and what searches asked for.
            rest = array("i", filter(held.__getitem__, range(rows_held)))
            if rest:
                yield StoredBatch(
                    list(map(held.__getitem__, rest)),  # type: ignore[arg-type]
                    rest,
                    list(map(bool, map(plain_of.__getitem__, rest))),
                    self._in_list_order(rest, held),
                    done.count(1),
                )

    def _in_list_order(self, rows: array[int], held: list[Article | None]) -> array[int]:
        """The positions in *rows* (ascending) of the *held* ones, in the list's order
        (newest first) as the store's index keeps it."""
        position_of = array("i", bytes(4 * len(held)))
        for position, row in enumerate(rows):
            position_of[row] = position
        joined = self._connection.execute(
            "SELECT group_concat(id) FROM "
            "(SELECT id FROM articles ORDER BY undated, day DESC, path)"
        ).fetchone()[0]
        # (Every row is below len(held): it was counted in this read transaction.)
        newest = rowid_list(joined) if joined else ()
        return array("i", map(position_of.__getitem__, filter(held.__getitem__, newest)))

    @contextlib.contextmanager
    def _read_transaction(self) -> Iterator[None]:
        self._connection.execute("BEGIN")
        try:
            yield
        finally:
            self._connection.execute("COMMIT")

    def extra_files(self) -> tuple[list[tuple[int, str]], list[Skipped]]:
        """Files that repeat a stored article (its row, the path spelt from here) and
        files skipped (as :class:`Skipped`)."""
        with self._lock:
            repeats = self._connection.execute(
                "SELECT f.article, f.path FROM files f JOIN articles a ON a.id = f.article "
                "WHERE f.path != a.path"
            ).fetchall()
            skipped = self._connection.execute(
                "SELECT path, reason FROM files WHERE article IS NULL"
            ).fetchall()
        return (
            [(row, _spelt(os.fsdecode(path))) for row, path in repeats],
            [
                Skipped(neutralise_line(_spelt(os.fsdecode(path))), reason or "skipped")
                for path, reason in skipped
            ],
        )

    def article_count(self) -> int:
        with self._lock:
            return int(self._connection.execute("SELECT count(*) FROM articles").fetchone()[0])

    def matching_rows(self, expression: str) -> set[int]:
        """Rows of the articles whose title and body FTS5 finds for *expression*."""
        rows: set[int] = set()
        for joined in stored_rowid_texts(self.search_tables(), "words", expression):
            rows.update(rowid_list(joined))
        return rows

    @contextlib.contextmanager
    def stored_files(self) -> Iterator[StoredFiles]:
        """The files the store knows (:class:`StoredFiles`), on a connection of its
        own so that writes go on meanwhile; on the store's own, writes waiting, when a
        second cannot be opened."""
        with open_stored_files(self.path, complete=False) as stored:
            if stored is not None:
                yield stored
                return
        with self._lock:
            yield StoredFiles(self._connection)

    def _rows_of(self, paths: Iterable[str]) -> set[int]:
        keys = [_key(path) for path in paths]
        if not keys:
            return set()
        with self._lock:
            return {
                row
                for key in keys
                for (row,) in self._connection.execute(
                    "SELECT article FROM files WHERE path = ? AND article IS NOT NULL", (key,)
                )
            }

    def _meta(self, key: str) -> str | None:
        with self._lock:
            row = self._connection.execute(
                "SELECT value FROM meta WHERE key = ?", (key,)
            ).fetchone()
        return None if row is None else row[0]

    def slot(self) -> int:
        """What this store's rows are or-ed with in :attr:`Article.stored`."""
        if self._slot is None:
            self._slot = body_reader_slot(self.read_bodies, self.read_word_forms, self.read_titles)
        return self._slot

    def read_bodies(self, rows: Sequence[int]) -> list[bytes]:
        """The bodies of *rows*, in order (any thread: a connection of its own)."""
        found = dict(self._read("SELECT id, body FROM bodies", rows))
        return [found.get(row, b"") for row in rows]

    def read_word_forms(self, rows: Sequence[int]) -> list[tuple[bytes | None, bytes | None]]:
        """Each row's word form, or None and its body when the store keeps no form (a
        plain body), in order (any thread)."""
        columns = "SELECT id, words, CASE WHEN words IS NULL THEN body END FROM bodies"
        found = {row: (words, body) for row, words, body in self._read(columns, rows)}
        return [found.get(row, (None, b"")) for row in rows]

    def read_titles(self, rows: Sequence[int]) -> list[str]:
        """The titles of *rows*, in order (any thread), from their records: a stand-in
        for a row gone (the store begun afresh) or not readable, since a title is read
        as the list is drawn."""
        loads = marshal.loads
        try:
            found = {row: loads(record)[_TITLE_FIELD] for row, record in self._read(
                "SELECT id, record FROM articles", rows
            )}  # fmt: skip
        except sqlite3.Error:
            found = {}
        return [found.get(row, TITLE_NOT_STORED) for row in rows]

    def _read(self, select: str, rows: Sequence[int]) -> list[tuple[Any, ...]]:
        with self._reader_lock:
            if self._reader is None:
                self._reader = sqlite3.connect(
                    self.path, timeout=BUSY_SECONDS, check_same_thread=False
                )
            return list(_rows_in(self._reader, select, rows))

    def relevance(self) -> RelevanceTable:
        """The table that ranks a query's matches (:mod:`corpus.relevance`), by row:
        written through the store's connection, read through one of its own."""
        if self._relevance is None:
            reader = sqlite3.connect(self.path, timeout=BUSY_SECONDS, check_same_thread=False)
            self._relevance = RelevanceTable(self._connection, reader, lock=self._lock)
        return self._relevance

    def relevance_missing(self) -> int:
        """Articles the relevance table does not hold yet (0 once it holds them all)."""
        with self._lock:
            connection = self._connection
            articles = connection.execute("SELECT count(*) FROM articles").fetchone()[0]
            held = connection.execute("SELECT count(*) FROM relevance_docsize").fetchone()[0]
        return max(0, int(articles) - int(held))

    def fill_relevance(self, limit: int = ROUND) -> int:
        """Give the relevance table up to *limit* articles it lacks, in one transaction;
        how many (0: it holds every article, or a load is being written).

        Rows are taken in order from the last one filled, so a fill from empty reads
        each row once (asking "not held" from the first row each time was quadratic)."""
        table = self.relevance()
        connection = self._connection
        with self._lock:
            if self._loading or self._abandoned:
                return 0
            connection.execute("BEGIN IMMEDIATE")
            try:
                complete = connection.execute(
                    "SELECT value FROM meta WHERE key = 'complete'"
                ).fetchone()
                if complete is None or complete[0] != "1":
                    connection.execute("ROLLBACK")
                    return 0
                missing = connection.execute(
                    "SELECT a.id, a.record, b.body FROM articles a JOIN bodies b ON b.id = a.id "
                    "WHERE a.id > ? AND a.id NOT IN (SELECT id FROM relevance_docsize) "
                    "ORDER BY a.id LIMIT ?",
                    (self._relevance_after, limit),
                ).fetchall()
                rows = []
                for row, record, body in missing:
                    article = Article(*marshal.loads(record))
                    article.body = body
                    rows.append(relevance_row(row, article, prepare(article)))
                table.insert_locked(rows)
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            if rows:
                self._relevance_after = rows[-1][0]
        return len(rows)

    def search_tables(self) -> list[tuple[sqlite3.Connection, int]]:
        """The FTS5 tables for the search index to query, each with a connection of its
        own (the store's lock is not taken): the shards are asked at once
        (:func:`corpus.index.each_at_once`)."""
        if not self._search:
            self._search = [
                sqlite3.connect(self.path, timeout=BUSY_SECONDS, check_same_thread=False)
                for _ in range(SHARDS)
            ]
        return list(zip(self._search, range(SHARDS), strict=True))

    # ------------------------------------------------------------------ writing

    def stage_index(self, index: SearchIndex) -> bool:
        """Copy the index's shards beside the store (files of their own, taken
        now, while they hold exactly the corpus just loaded) for the next
        :meth:`write_snapshot`. False when the index cannot be copied."""
        with self._lock:
            self._drop_staged()
            copied = index.copy_shards(self._shard_file)
            if copied is None:
                return False
            self._staged_shards = [number for number, _ in copied]
            return True

    def _shard_file(self, number: int) -> str:
        path = f"{self.path}.shard{number}.{self._token}"
        with contextlib.suppress(FileNotFoundError):
            os.remove(path)
        return path

    def _fast_writes(self, fast: bool) -> None:
        """While a first load writes (outside a transaction): no wait for the disk at
        each checkpoint. A crash of this process loses nothing the OS has; a crash of
        the machine mid-load leaves a store without its mark of completeness, built
        again at the next start. 0.86 s against 1.55 s to write 100k bodies."""
        self._connection.execute(f"PRAGMA synchronous={'OFF' if fast else 'NORMAL'}")

    def _copy_path(self, number: int) -> str:
        return f"{self.path}.shard{number}.{self._token}"

    def discard_staged(self) -> None:
        """Remove the copies :meth:`stage_index` made, when no snapshot will use them."""
        with self._lock:
            self._drop_staged()

    def _drop_staged(self) -> None:
        for number in self._staged_shards:
            with contextlib.suppress(OSError):
                os.remove(self._shard_file(number))
        self._staged_shards = []

    def write_batch(self, articles: Sequence[Article], texts: Sequence[IndexText]) -> bool:
        """Articles just loaded (row = serial), with their bodies, in one transaction:
        the load writes as it goes, so the bodies can leave memory (see
        :meth:`release_bodies`). The first batch of a load empties the store and claims
        it; a store another instance has completed meanwhile is left alone, and a load
        another instance claimed since stops writing. False: nothing was written."""
        connection = self._connection
        with self._lock:
            if self._abandoned:
                return False
            if not self._loading:
                self._fast_writes(True)
            connection.execute("BEGIN IMMEDIATE")
            try:
                meta = dict(connection.execute("SELECT key, value FROM meta"))
                if not self._loading:
                    if meta.get("complete") == "1":
                        self._abandoned = True  # another instance's load finished first
                        connection.execute("ROLLBACK")
                        return False
                    for table in ("articles", "bodies", "files"):
                        connection.execute(f"DELETE FROM {table}")
                    self.relevance().clear_locked()
                    self._relevance_after = -1
                    connection.execute(
                        "INSERT OR REPLACE INTO meta(key, value) VALUES ('loader', ?)",
                        (self._token,),
                    )
                    self._loading = True
                elif meta.get("loader") != self._token:
                    self._abandoned = True  # another instance's load took the store over
                    connection.execute("ROLLBACK")
                    return False
                spell = _Speller()
                connection.executemany(
                    "INSERT OR REPLACE INTO articles(id, undated, day, path, plain, record) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        (a.serial, *_newest_key(a), spell(a.file_path), t.plain, _record(a))
                        for a, t in zip(articles, texts, strict=True)
                    ),
                )
                connection.executemany(
                    "INSERT OR REPLACE INTO bodies(id, body, words) VALUES (?, ?, ?)",
                    (
                        (a.serial, a.read_body(), _stored_words(t))
                        for a, t in zip(articles, texts, strict=True)
                    ),
                )
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
        return True

    def write_snapshot(
        self,
        articles: Sequence[Article],
        shard_of: Sequence[int],
        duplicates: Iterable[tuple[str, Article]],
        skipped: Iterable[tuple[str, str]],
        read_at_ns: int,
    ) -> None:
        """The end of a full load whose *articles* (by serial) :meth:`write_batch` wrote:
        the index's shards as staged by :meth:`stage_index` and each article's
        shard among them, every file's identity (the articles', those that repeat an
        article (path, article), those skipped (path, reason)), and the mark that the
        store is complete. One transaction."""
        connection = self._connection
        with self._lock:
            shards = list(self._staged_shards)
            if self._abandoned or not self._loading:
                self._drop_staged()
                return
            for number in shards:
                connection.execute(f"ATTACH ? AS shard{number}", (self._copy_path(number),))
            self._fast_writes(False)  # the end of a load is made durable as any write
            try:
                connection.execute("BEGIN IMMEDIATE")
                try:
                    owner = connection.execute(
                        "SELECT value FROM meta WHERE key = 'loader'"
                    ).fetchone()
                    if owner is None or owner[0] != self._token:
                        connection.execute("ROLLBACK")
                        self._abandoned = True
                        return
                    connection.execute("DELETE FROM files")
                    # The load read the folders as they were when it began, not as
                    # any record says: the next check lists every one.
                    connection.execute("DELETE FROM folders")
                    for number in shards:
                        for table in ("words", "titles"):
                            for suffix in ("data", "idx", "config"):
                                target = f"{table}_{number}_{suffix}"
                                connection.execute(f"DELETE FROM main.{target}")
                                connection.execute(
                                    f"INSERT INTO main.{target} "
                                    f"SELECT * FROM shard{number}.{table}_{suffix}"
                                )
                    connection.executemany(
                        "UPDATE articles SET shard = ? WHERE id = ?",
                        ((shard_of[a.serial], a.serial) for a in articles),
                    )
                    # Made as SQLite takes them: a list of 100,000 rows was ~30 MB, the
                    # peak of a first launch's memory.
                    owned = itertools.chain(((a.file_path, a) for a in articles), duplicates)
                    file_rows: Iterator[tuple[object, ...]] = itertools.chain(
                        (
                            (_key(path), *identity_of(path, read_at_ns), a.serial, None)
                            for path, a in owned
                        ),
                        (
                            (_key(path), *identity_of(path, read_at_ns), None, reason)
                            for path, reason in skipped
                        ),
                    )
                    connection.executemany(
                        "INSERT OR REPLACE INTO files(path, size, mtime_ns, inode, article, "
                        "reason) VALUES (?, ?, ?, ?, ?, ?)",
                        file_rows,
                    )
                    connection.executemany(
                        "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
                        [("complete", "1"), ("cwd", os.getcwd()), ("written", str(time.time()))],
                    )
                    connection.execute("COMMIT")
                except BaseException:
                    connection.execute("ROLLBACK")
                    raise
            finally:
                for number in shards:
                    connection.execute(f"DETACH shard{number}")
                self._drop_staged()
                self._loading = False

    def release_bodies(self, articles: Iterable[Article], rows: Sequence[int]) -> None:
        """Let *articles* read their bodies from the store and drop them from memory."""
        base = self.slot()
        for article, row in zip(articles, rows, strict=False):
            # The first store's rows are their own ints: a first launch's are the
            # serials' objects (or-ed with 0, another int: 28 MB at a million).
            article.stored = base | row if base else row  # first: see Article.read_body
            article.body = b""
            release_title(article)

    def apply(
        self,
        added: Sequence[tuple[Article, IndexText | None]],
        removed: Sequence[Article],
        files: Iterable[tuple[str, Article | None, str | None]],
        gone: Iterable[str],
        read_at_ns: int,
    ) -> dict[int, int]:
        """One round of changes, in one transaction: articles *added* (with their index
        text when known) and *removed*; *files* read (path, the article it gave, or
        the reason it was skipped); paths *gone*. Returns serial → row of the added."""
        connection = self._connection
        rows: dict[int, int] = {}
        with self._lock:
            connection.execute("BEGIN IMMEDIATE")
            try:
                for article in removed:
                    self._delete(article)
                top = connection.execute("SELECT coalesce(max(id), -1) FROM articles").fetchone()[0]
                for article, text in added:
                    top += 1
                    if text is None:
                        text = prepare(article)
                    shard = top % SHARDS
                    title, words = fts_texts(text)
                    connection.execute(
                        "INSERT INTO articles(id, undated, day, path, shard, plain, record) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (
                            top,
                            *_newest_key(article),
                            _key(article.file_path),
                            shard,
                            text.plain,
                            _record(article),
                        ),  # fmt: skip
                    )
                    connection.execute(
                        "INSERT INTO bodies(id, body, words) VALUES (?, ?, ?)",
                        (top, article.read_body(), _stored_words(text)),
                    )
                    connection.execute(
                        f"INSERT INTO words_{shard}(rowid, text) VALUES (?, ?)", (top, words)
                    )
                    connection.execute(
                        f"INSERT INTO titles_{shard}(rowid, text) VALUES (?, ?)", (top, title)
                    )
                    rows[article.serial] = top
                for path, gave, reason in files:
                    row = None
                    if gave is not None:
                        row = rows.get(gave.serial)
                        if row is None:
                            row = self._row_of(gave)
                    connection.execute(
                        "INSERT OR REPLACE INTO files(path, size, mtime_ns, inode, article, "
                        "reason) VALUES (?, ?, ?, ?, ?, ?)",
                        (_key(path), *identity_of(path, read_at_ns), row, reason),
                    )
                for path in gone:
                    connection.execute("DELETE FROM files WHERE path = ?", (_key(path),))
                if added:
                    # Records spell paths from the cwd: from another, every path is
                    # spelt again from the absolute one on the next read.
                    connection.execute(
                        "UPDATE meta SET value = ? WHERE key = 'cwd' AND value != ?",
                        ("", os.getcwd()),
                    )
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
        return rows

    def confirm_unchanged(self, read: Sequence[tuple[str, str]], read_at_ns: int) -> int:
        """Files read again (path, the key of the text it gave) by a session that holds
        only some articles (:attr:`CorpusSession.partial`, which writes no change):
        those whose text is the one the store holds for them get their identity back,
        so the next check trusts them. Without this, files the store could not trust
        (modified near a load, as a copy or a sync just before it leaves thousands) were
        read again by every query on the command line (3.7 s instead of 0.6 s at 100k,
        18,000 files after a copy). Returns how many were confirmed; others wait for a
        full read."""
        connection = self._connection
        confirmed = 0
        with self._lock:
            connection.execute("BEGIN IMMEDIATE")
            try:
                for path, key in read:
                    found = connection.execute(
                        "SELECT a.record FROM files f JOIN articles a ON a.id = f.article "
                        "WHERE f.path = ?",
                        (_key(path),),
                    ).fetchone()
                    if found is None or Article(*marshal.loads(found[0])).key != key:
                        continue
                    connection.execute(
                        "UPDATE files SET size = ?, mtime_ns = ?, inode = ? WHERE path = ?",
                        (*identity_of(path, read_at_ns), _key(path)),
                    )
                    confirmed += 1
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
        return confirmed

    def record_folders(self, folders: dict[bytes, int]) -> None:
        """Keep *folders* (key → mtime_ns) as the record of every folder of the
        collection, in place of the last one: a check listed them, and what it found
        is in the store (see ``session.quick_changed_files``)."""
        connection = self._connection
        with self._lock:
            if dict(connection.execute("SELECT path, mtime_ns FROM folders")) == folders:
                return  # as recorded: no write (the command line's every query)
            connection.execute("BEGIN IMMEDIATE")
            try:
                connection.execute("DELETE FROM folders")
                connection.executemany(
                    "INSERT INTO folders(path, mtime_ns) VALUES (?, ?)", folders.items()
                )
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise

    def folders_recorded(self) -> bool:
        """Whether a full check recorded the folders (see :meth:`record_folders`)."""
        with self._lock:
            found = self._connection.execute("SELECT 1 FROM folders LIMIT 1").fetchone()
        return found is not None

    def _row_of(self, article: Article) -> int | None:
        stored = article.stored
        if stored >= 0:
            return stored & STORE_ROW_MASK
        found = self._connection.execute(
            "SELECT article FROM files WHERE path = ?", (_key(article.file_path),)
        ).fetchone()
        return None if found is None else found[0]

    def _delete(self, article: Article) -> None:
        """Take an article's row, its index entries and its files' rows out."""
        row = self._row_of(article)
        if row is None:
            return
        connection = self._connection
        found = connection.execute(
            "SELECT a.shard, b.body FROM articles a JOIN bodies b ON b.id = a.id WHERE a.id = ?",
            (row,),
        ).fetchone()
        if found is None:
            return
        shard, body = found
        # A contentless FTS5 table forgets a row only when told the text it was given.
        # Held in memory before the row goes: a removed article may still be on screen.
        article.title = article.title
        text = prepare(dataclasses.replace(article, body=body, stored=-1))
        title, words = fts_texts(text)
        self.relevance().remove_locked(row, *relevance_columns(text))
        connection.execute(
            f"INSERT INTO words_{shard}(words_{shard}, rowid, text) VALUES ('delete', ?, ?)",
            (row, words),
        )
        connection.execute(
            f"INSERT INTO titles_{shard}(titles_{shard}, rowid, text) VALUES ('delete', ?, ?)",
            (row, title),
        )
        connection.execute("DELETE FROM articles WHERE id = ?", (row,))
        connection.execute("DELETE FROM bodies WHERE id = ?", (row,))
        connection.execute("DELETE FROM files WHERE article = ?", (row,))


def _newest_key(article: Article) -> tuple[int, int]:
    """(undated, YYYYMMDD): the list's newest-first order, as the store indexes it."""
    date = article.date
    if date is None:
        return (1, 0)
    year, month, day = date.sort_key
    return (0, (year * 100 + month) * 100 + day)


_DOT_PARTS = re.compile(r"/\.\.?(?:/|$)")


class _Speller:
    """:func:`_key` for many paths: the working folder joined once, ``normpath`` only
    where a path needs it (``abspath`` per path cost 0.2 s at 100k)."""

    def __init__(self) -> None:
        self.here = os.getcwd() + os.sep

    def __call__(self, path: str) -> bytes:
        absolute = path if path.startswith("/") else self.here + path
        # Only a path with a "." or ".." part, or "//", needs normpath: not one under a
        # hidden folder (".corpora"), which had every path of a collection pay it.
        if "//" in absolute or ("/." in absolute and _DOT_PARTS.search(absolute)):
            absolute = os.path.normpath(absolute)
        return os.fsencode(absolute)


def _key(path: str) -> bytes:
    return os.fsencode(os.path.abspath(path))


def _spelt(absolute: str) -> str:
    """An absolute path spelt as the loader spells it (relative inside the cwd)."""
    return resolve_display_path(absolute)


class _Respeller:
    """Gives stored articles the paths of their files (absolute, as bytes) as seen
    from this working folder (:class:`files.PathSpeller`)."""

    def __init__(self) -> None:
        self._spell = PathSpeller()

    def __call__(self, article: Article, real: bytes) -> None:
        spelt = self._spell(real)
        shown = neutralise_line(spelt)
        article.path = shown
        article.real_path = None if shown == spelt else spelt


STALE_COPY_SECONDS = 600
"""A copy of the index left beside the store this long ago was left by a run that
ended while writing it (:meth:`Store.stage_index`): removed at the next open."""


def _remove_stale_copies(path: str) -> None:
    now = time.time()
    folder, name = os.path.split(path)
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(f"{name}.shard"):
            with contextlib.suppress(OSError):
                if now - entry.stat(follow_symlinks=False).st_mtime > STALE_COPY_SECONDS:
                    os.remove(entry.path)


def _set_aside(path: str) -> None:
    """Move a damaged store out of the way (kept, not deleted: it may be looked at)."""
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            os.replace(path + suffix, f"{path}.damaged{suffix}")
