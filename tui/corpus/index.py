"""What makes search fast: a SQLite FTS5 word index and per-article date arrays.

Why FTS5 and not a dict of posting lists (both are built and measured by
``python -m bench.bench_query``): the dict index needs one Python dict look-up and
append per distinct word per article, and on the 2-core VM those cache-missing
operations cost ~0.5 µs each: 3.4 s per 10,000 synthetic articles (42 MB), 52 s and
0.37× the raw text per 100,000. FTS5 tokenises and inverts in C: 1.9 s and 31 s with
one shard, 0.14× the raw text. SQLite also releases the GIL while it works, so the
index is split into shards filled by parallel threads (1.6× faster when a core is
free), and an index fed from its own worker thread overlaps with the Python that
reads and parses files instead of adding to it.

Exactness: FTS5 only ever sees text already passed through :func:`query.normalise`
(:func:`prepare`, with runs of non-word characters made spaces), which its ``ascii``
tokenizer splits exactly as ``\\w+`` would, so its words are the scanner's words.
Three kinds of text get more (:func:`fts_form`, decided by a few ``in`` tests, so
plain text pays nothing): a run of Han or kana, which the scanner matches anywhere,
is given as its overlapping pairs and its last character (東京都 → 東京 京都 都), so
one or two characters are a prefix look-up and a longer run all its pairs, re-read;
currency signs are taken out of the words; and symbol terms (``£1bn``, ``#tag``,
``C++``) are added as extra tokens, their ASCII signs coded as private-use characters
that no folded text holds. With ``detail=none`` FTS5 keeps no positions: a phrase's
candidates are the articles having all its words, then each is re-read with the same
regex :meth:`Query.matches` uses (or, for many phrases of ASCII words, one
Aho-Corasick pass that finds exactly what those regexes find). Dates and ``is:`` are
evaluated from small per-article arrays; ``author:``, ``site:`` and ``tag:`` from a
map of their distinct values, built on the first such query. The result is, by
construction and by test, the same set that scanning every article would give.

Building (measured with ``python -m bench.bench_load``): normalising a whole body cost
~300 µs a 4 KB article, more than FTS5 itself; :func:`fold_body` folds each distinct
character once instead (~25 µs), and the loader runs it in its worker processes.
Articles are first *staged* (searchable by scanning their prepared text, ~30× cheaper
than ``Query.matches``) and moved into FTS5 by a :class:`BackgroundIndexer` thread a
round at a time, so indexing overlaps parsing and a search never waits for more than
one round. At 100k articles FTS5 takes 12-13 s of CPU of the ~35 s a load costs in
all (parsing is ~18 s, spread over the worker processes); ``prefix='1,2'`` is about
a quarter of it, kept because one- and two-letter prefixes (every first keystroke)
would otherwise merge thousands of terms (without the one-letter index, a one-letter
query took 100-230 ms at 100k instead of 20-30).

If this Python's SQLite lacks FTS5 the index falls back to scanning (correct, slower).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import json
import os
import re
import sqlite3
import tempfile
import threading
from array import array
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from operator import attrgetter
from typing import Any, Literal, NamedTuple, TypeVar

from .bits import BITS_FROM, Bits, ints_of, numpy, numpy_if_imported
from .model import Article, read_titles, read_word_forms
from .names import names_in
from .query import (
    MAX_ORDINAL,
    Clause,
    DateTerm,
    FieldTerm,
    Group,
    Query,
    StateTerm,
    StateView,
    Term,
    TextTerm,
    date_span,
    field_values,
    holds,
    state_matches,
)
from .text import (
    _SIGN_CODES,
    _fold_body,
    _fold_title,
    fold_body,
    fold_text,
    fts_form,
    is_cjk,
    is_symbol,
)
from .wordrows import WordRows, plain_word_form, word_form

__all__ = [
    "BackgroundIndexer",
    "IndexText",
    "SearchIndex",
    "fts5_available",
    "matches_prepared",
    "prepare",
]

Backend = Literal["fts5", "scan"]

_BROAD = re.compile(r'"\w{1,2}"\*|\("\w{1,2}"\*\)')
"""A one- or two-letter prefix alone (as :func:`_any_of` spells it, or bare): worth
counting before fetching."""

_COUNT_SAMPLE = 2_000
"""Rows counted before all of them when asking whether a letter is in most articles."""

_MOST = 0.75
"""The share of the articles from which a letter's answer is every article but those
that lack it (:meth:`SearchIndex._broad`). At a million (search and first rows, in one
process): ``p`` (all but 5) 208-224 ms instead of ~355, ``z`` (94 %) 108-116 instead of
~205; a letter 60 % have would fetch as many rows lacking it as having it."""

EVERY_ROW = "\ue000"
"""A token every row of the words tables begins with (:func:`fts_texts`), so that
FTS5 answers "every row but those that match" in C: ``"\ue000" NOT (…)``. No article
and no query holds it: folding makes private-use characters spaces."""

_UNREAD_HITS = 20_000
"""Store rows a re-open is asked to read first, at most: the matches of a rare word
(a common one matches too many for reading them first to show much sooner). A rare
word at a million articles matches ~10,000 (read first in ~0.2-0.5 s, where the whole
re-open takes 10-25 s); with 5,000 it waited for all of them."""

Matches = set[int] | frozenset[int] | Bits
"""A search's answer: the serials of the articles that match (:class:`Bits` when they
are many)."""

_T = TypeVar("_T")

_NOT_READ = -1
"""A store row's serial while its article is not read (or when it is not one of this
corpus's: a file read afresh)."""

_serial_of = attrgetter("serial")

_CACHE_ITEMS = 250_000
"""Serials held by the term-result cache, in total: ~17 MB at worst (a serial costs
~70 B in a frozenset, with its int). At 100k articles that is the last two or three
one-letter prefixes; with 1.5 million, typing two words there kept 41 MB more, and
the memory budget (1.5× the raw text + 100 MB) has no room for it."""

_TABLE_SQL = (
    "CREATE VIRTUAL TABLE {name} USING fts5(text, content='', detail=none, columnsize=0, "
    "tokenize=\"ascii tokenchars '_'\", prefix='1,2')"
)
# content='' keeps no copy of the text (the articles hold it); detail=none keeps no
# positions (phrases are verified by re-reading); prefix='1,2' keeps one- and two-letter
# prefix look-ups, the first keystrokes of every word, from merging thousands of words.

RELEVANCE_TABLE_SQL = (
    "CREATE VIRTUAL TABLE {name} USING fts5(title, body, content='', "
    "tokenize=\"ascii tokenchars '_'\")"
)
"""The relevance table (:mod:`corpus.relevance`): title and body, with positions (the
default detail=full), which bm25() needs; no copy of the text."""


NAMES_TABLE_SQL = "CREATE TABLE article_names(id INTEGER PRIMARY KEY, names TEXT NOT NULL)"
"""Beside the relevance table, filled with it: each article's names, one a line."""


def relevance_columns(text: IndexText) -> tuple[str, str]:
    """The title and body the relevance table is given: FTS5's form of each."""
    title = text.title if text.fts_title is None else text.fts_title
    body = text.body if text.fts_body is None else text.fts_body
    return title, body


def relevance_row(key: int, article: Article, text: IndexText) -> tuple[int, str, str, str]:
    """What the relevance table keeps of *article* under *key*: its title and body in
    FTS5's form, and its names (:func:`names.names_in`), one a line."""
    return (key, *relevance_columns(text), "\n".join(names_in(article.title, article.text)))


_AUTOMERGE = 8
"""Segments of one level FTS5 lets pile up before merging them (its default is 4).
Every round adds small segments, and merging them four at a time rewrote each
posting about log4(N) times. With 8, filling a shard takes ~14 % fewer instructions
(callgrind, 8,000 articles) and the index threads of a 100k load 12-13 s of CPU
instead of 14-16, while the index keeps its size (57 MB) and one- and two-letter
prefix queries their speed (3-6 ms a 50,000-article shard). 16 saved a little more
but grew the index by a quarter and slowed those queries by half."""


def fts5_available() -> bool:
    try:
        connection = sqlite3.connect(":memory:")
        try:
            connection.execute(_TABLE_SQL.format(name="probe"))
        finally:
            connection.close()
    except sqlite3.Error:
        return False
    return True


class IndexText(NamedTuple):
    """What the index needs from one article, computed where it is cheapest (a loader
    process): its title and body folded as :func:`query.normalise` would fold them."""

    title: str
    """``spaced(normalise(title))`` with each run of non-ASCII non-word characters (but
    currency signs) made a space."""
    body: str
    """The same for the body. The scan regexes see the same words and the same word
    boundaries in it as in ``spaced(normalise(text))``, so it serves scanning, and FTS5
    too unless :attr:`fts_body` is set."""
    plain: bool
    """The body is ASCII but for typographic punctuation (see ``SearchIndex._plain``)."""
    fts_title: str | None = None
    """What FTS5 is given for the title when it differs from ``title`` (:func:`fts_form`:
    text with Han or kana, currency signs or symbol terms)."""
    fts_body: str | None = None
    """The same for the body."""
    signs: str | None = None
    """The currency signs beyond ASCII in :attr:`body` (None: not known, the body having
    been folded the slow way), for :func:`wordrows.folded_word_form`."""


def fts_texts(text: IndexText) -> tuple[str, str]:
    """An article's rows in the titles and words tables: the index's own and the
    store's, and what a store's row is deleted by, which must be spelt the same."""
    title = text.title if text.fts_title is None else text.fts_title
    body = text.body if text.fts_body is None else text.fts_body
    return title, f"{EVERY_ROW}\n{title}\n{body}"


def prepare(article: Article) -> IndexText:
    """The index's text for *article*: pure, so a loader process can compute it."""
    raw = article.read_body()
    body, plain, kinds = _fold_body(raw)
    title = fold_text(article.title)
    if kinds is None:
        fts_body = fts_form(body)
    elif kinds[0] or kinds[1] or b"$" in raw or b"#" in raw or b"@" in raw or b"+" in raw:
        fts_body = fts_form(body, *kinds)
    else:
        fts_body = None  # the common case, told by four memchr() (b"++" would take 3 µs)
    signs = None if kinds is None else kinds[1]
    return IndexText(title, body, plain, fts_form(title), fts_body, signs)


_ROWS_PER_INSERT = 256
"""Rows per INSERT statement: 512 parameters, under SQLite's oldest limit of 999."""


@functools.lru_cache(maxsize=32)
def _insert_sql(table: str, rows: int) -> str:
    """``INSERT INTO table(rowid, text) VALUES (?, ?), …`` for *rows* rows."""
    return f"INSERT INTO {table}(rowid, text) VALUES " + ", ".join(["(?, ?)"] * rows)


def _fts_expression(term: TextTerm) -> str:
    """FTS5's query for a text term: every token, the last as a prefix.

    A run of Han or kana is indexed as overlapping pairs with its last character alone
    (:func:`fts_form`): one or two characters are found exactly as a prefix of those
    tokens, a longer run needs all its pairs (and a re-read: ``needs_verifying``).
    """
    parts: list[str] = []
    last = len(term.tokens) - 1
    for index, token in enumerate(term.tokens):
        if is_cjk(token):
            if len(token) <= 2:
                parts.append(f'"{token}"*')
            else:
                pairs = dict.fromkeys(token[i : i + 2] for i in range(len(token) - 1))
                parts.extend(f'"{pair}"' for pair in pairs)
            continue
        if is_symbol(token):
            token = token.translate(_SIGN_CODES)
        parts.append(f'"{token}"*' if term.prefix and index == last else f'"{token}"')
    return " AND ".join(parts)


def candidate_expression(query: Query) -> str | None:
    """An FTS5 expression on title and body that every article *query* matches
    satisfies, or None when no clause bounds the answer so (it negates, or asks for a
    date, a field or a mark).

    Built from the clauses of positive text terms alone: a phrase is asked as its
    words in any order, ``title:`` as a word anywhere, so the expression finds more
    articles than match, never fewer. The command line reads only those from the store.
    """
    clauses: list[list[TextTerm]] = []
    for clause in query.search_clauses:
        terms = [term for term in clause if isinstance(term, TextTerm) and not term.negated]
        if len(terms) < len(clause) or not all(map(_fts_expression, terms)):
            continue
        if len(terms) > _UNION_PHRASES and any(term.needs_verifying for term in terms):
            continue  # the search reads every article for these: asking FTS5 is waste
        clauses.append(terms)
    return _all_of(clauses) or None


def stored_rowid_texts(
    sources: Sequence[tuple[sqlite3.Connection, int]], table: str, expression: str
) -> list[str]:
    """The rowids a store's FTS5 tables (``table_N``, one a (connection, N) of
    *sources*) find for *expression*: see :func:`_rowid_texts`."""
    texts = _rowid_texts(
        [(connection, f"{table}_{number}") for connection, number in sources], expression
    )
    return [joined for joined in texts if joined]


def _rowid_texts(
    sources: Sequence[tuple[sqlite3.Connection, str]], expression: str
) -> list[str | None]:
    """The rowids the FTS5 tables of *sources* (connection, table name) find for
    *expression*: a ``group_concat`` of them a table, None where it finds none. The
    tables are asked at once (:func:`each_at_once`), each on its own connection."""
    return each_at_once(
        [
            functools.partial(
                _one_value,
                connection,
                f"SELECT group_concat(rowid) FROM {name} WHERE {name} MATCH ?",
                expression,
            )
            for connection, name in sources
        ]
    )


def _rowid_count(joined: str) -> int:
    """How many rowids a ``group_concat(rowid)`` holds (counted in C, not parsed)."""
    return joined.count(",") + 1


def _weight(found: frozenset[int] | Bits) -> int:
    """What a remembered answer counts against :data:`_CACHE_ITEMS`: its serials, or
    for :class:`Bits` a byte each of the corpus, as ~1/32 of a set's entry and int."""
    return found.size // 32 if isinstance(found, Bits) else len(found)


def _count(
    sources: Sequence[tuple[sqlite3.Connection, str, int]], expression: str, below: int = -1
) -> int:
    """How many rows of the FTS5 *sources* (connection, table, rows it may count: those
    below) *expression* matches; *below*, when given, lowers that bound for all. The
    sources are counted at once (:func:`each_at_once`)."""
    return sum(
        each_at_once(
            [
                functools.partial(
                    _one_value,
                    connection,
                    f"SELECT count(*) FROM {name} WHERE {name} MATCH ? AND rowid < ?",
                    expression,
                    limit if below < 0 else min(below, limit),
                )
                for connection, name, limit in sources
            ]
        )
    )


def _one_value(connection: sqlite3.Connection, sql: str, *parameters: object) -> Any:
    """The one value *sql* selects."""
    return connection.execute(sql, parameters).fetchone()[0]


def each_at_once(calls: Sequence[Callable[[], _T]]) -> list[_T]:
    """What each of *calls* returns, in order: the first in this thread, the others
    meanwhile in :func:`_shard_threads`. Each call is one SQLite statement on its own
    connection (one a shard), and SQLite lets the GIL go while it works, so two
    shards take the time of one on two cores: 383,382 rows of ``"paki"*`` at a
    million took 38 ms against 65, and their count 39 against 67. With one core, or
    one call, they run here one after the other."""
    if len(calls) < 2 or _SHARD_WORKERS < 1:
        return [call() for call in calls]
    others = [_shard_threads().submit(call) for call in calls[1:]]
    try:
        first = calls[0]()
    finally:
        wait(others)  # even when the first failed: nothing is left running on
    return [first, *(future.result() for future in others)]


def rowid_list(joined: str) -> list[int]:
    """The rowids of a ``group_concat(rowid)``. One string a shard, read in C, beats
    building a tuple a row; and the JSON parser reads it 1.8× faster than
    ``map(int, joined.split(","))`` (80 against 141 ms for 956,000 rowids, a broad
    first letter at a million articles)."""
    return json.loads(f"[{joined}]")


def _any_of(terms: Iterable[TextTerm]) -> str:
    """FTS5's query for a clause (one of *terms*); one spelling for every use, so
    that what one asked is found again in :attr:`SearchIndex._cache`."""
    return " OR ".join(f"({_fts_expression(term)})" for term in terms)


def _all_of(clauses: Sequence[Sequence[TextTerm]]) -> str:
    """FTS5's query for clauses that must all hold (a lone one spelt as :func:`_any_of`)."""
    if len(clauses) == 1:
        return _any_of(clauses[0])
    return " AND ".join(f"({_any_of(clause)})" for clause in clauses)


def _term_key(term: TextTerm) -> tuple[tuple[str, ...], bool, bool]:
    return term.tokens, term.prefix, term.title_only


def _shard_connection(folder: str | None) -> sqlite3.Connection:
    """An empty database for one shard: in memory, or with *folder* (the store's, when
    there is one) in a file there, gone from the folder once open (it lives as long as
    its connection; a crash leaves nothing behind). On disk only a small page cache is
    held in memory: at 100k articles the two shards' pages were ~50 MB of the first
    launch's peak memory, more than any other part of the index."""
    if folder is not None:
        try:
            return _shard_file(folder)
        except (OSError, sqlite3.Error):
            pass  # a folder not writable, a full disk: in memory, as without a store
    return sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)


def _shard_file(folder: str) -> sqlite3.Connection:
    with tempfile.NamedTemporaryFile(dir=folder, prefix=".index-", delete=False) as made:
        path = made.name
    try:
        connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        try:
            # No journal file (a round's rollback pages stay in memory), no wait for the
            # disk: the file is this process's scratch, never read after a crash.
            connection.execute("PRAGMA journal_mode=MEMORY")
            connection.execute("PRAGMA synchronous=OFF")
            connection.execute(f"PRAGMA cache_size=-{_SHARD_CACHE_KIB}")
        except BaseException:
            connection.close()
            raise
    finally:
        os.remove(path)
    return connection


_MOST_SHARDS = 2
"""Shards an index makes (fewer with fewer cores): two cores here, and the store copies
them one to one."""

_SHARD_CACHE_KIB = 2048
"""A file shard's page cache, SQLite's default: once queries had filled them, 8 MB
each kept 12 MB more resident at 100k, for no load time measured."""


class SearchIndex:
    """Serials of the articles matching a :class:`Query`, fast, for a growing corpus.

    Articles are *staged* first (:meth:`stage`: searchable at once, by scanning their
    prepared text) and then moved into FTS5 a round at a time (:meth:`index_staged`),
    usually by a :class:`BackgroundIndexer` thread while the loader parses the next
    files. ``add`` does both at once. Staging, indexing and ``search`` may run in
    different threads: a lock serialises them a round at a time, so a search waits for
    at most one round, and always answers for every article staged so far.
    """

    chunk_size = 128
    """Articles per shard per round: a search waits for at most one round (~15 ms of
    FTS5 work)."""

    def __init__(
        self,
        *,
        backend: Backend | None = None,
        shards: int | None = None,
        folder: str | None = None,
    ) -> None:
        if backend is None:
            backend = "fts5" if fts5_available() else "scan"
        self.backend: Backend = backend
        self._lock = threading.RLock()
        self._hits_lock = threading.Lock()
        self._articles: list[Article] = []
        """Articles in FTS5 (all of them, when scanning), by serial."""
        self._serials: list[int] = []
        """Their serials, the articles' own int objects: what a search's matches are made
        of, so that a million matches share them (made afresh, from rowids or ``range``,
        each match held 28 bytes more: ~28 MB for a first letter at a million, each time
        a set of them is held)."""
        self._staged: list[tuple[Article, IndexText]] = []
        """Articles searchable by scanning, next in line for FTS5: serials from
        ``len(self._articles)`` on, with their prepared text."""
        self._first = array("i")
        """First day of each article's date (proleptic ordinal), 0 when undated."""
        self._last = array("i")
        self._undated: set[int] = set()
        self._inferred: set[int] = set()
        self._by_year: dict[int, list[int]] = {}
        """Dated serials by year: a date term reads only the years it overlaps."""
        self._plain = bytearray()
        """1 where the body is ASCII but for typographic punctuation: a phrase can then be
        checked on the raw bytes (where such punctuation is non-word, as it should be)."""
        self._all: Bits | None = None
        self._field_values: dict[str, dict[str, array[int]]] = {
            "author": {},
            "site": {},
            "tag": {},
        }
        """Field → normalised value → serials having it: few distinct values, so a
        ``site:`` or ``author:`` term tests each once instead of every article."""
        self._field_done = {"author": 0, "site": 0, "tag": 0}
        """Articles already in :attr:`_field_values`, per field."""
        self._cache: OrderedDict[tuple[str, str], frozenset[int] | Bits] = OrderedDict()
        self._cached_items = 0
        self._verified: dict[tuple[tuple[str, ...], bool, bool], dict[int, bool]] = {}
        """Phrase → serial → whether re-reading found it (FTS5 keeps no positions)."""
        self._verified_items = 0
        self._previous: tuple[Matches, int, _Words | None] | None = None
        """The last answer, the serials it covered, and its words (:func:`_words_of`)
        when it holds every article below those that has them."""
        self._shards: list[sqlite3.Connection] = []
        """Independent FTS5 databases, each holding every n-th chunk of articles. SQLite
        drops the GIL while it indexes, so two shards fill two cores (1.6× faster here);
        a query asks each and joins the answers."""
        self._next_shard = 0
        self._shard_of = bytearray()
        """The shard each FTS5-indexed article is in, by serial (the store copies them)."""
        self._stored: list[tuple[sqlite3.Connection, int]] = []
        """The store's FTS5 tables (:mod:`corpus.store`), when a re-open registered its
        articles: (a connection of its own, table number) each. They answer for those
        articles, by store row."""
        self._unread_hits: set[int] = set()
        """Store rows FTS5 found that no registered article holds yet (a re-open still
        reading): for it to read next (:meth:`take_unread_hits`)."""
        self._serial_of_row = array("i")
        """Store row → serial (-1: not in this corpus, such as a file read afresh): an
        array, so that NumPy translates many rows at once (:meth:`_bits_of`)."""
        self._registered_whole = (-1, False)
        """(articles registered, whether no store row below the last is left out)."""
        self._rows_counted = ((-1, -1), -1)
        """((articles registered, store rows mapped), the words rows they have), for
        :meth:`_one_row_each`."""
        self._pool: ThreadPoolExecutor | None = None
        if backend == "fts5":
            count = shards if shards is not None else min(_MOST_SHARDS, os.cpu_count() or 1)
            for _ in range(max(1, count)):
                connection = _shard_connection(folder)
                for table in ("words", "titles"):
                    connection.execute(_TABLE_SQL.format(name=table))
                    connection.execute(
                        f"INSERT INTO {table}({table}, rank) VALUES ('automerge', ?)",
                        (_AUTOMERGE,),
                    )
                self._shards.append(connection)

    def __len__(self) -> int:
        """Articles searchable: indexed and staged."""
        return len(self._articles) + len(self._staged)

    @property
    def staged(self) -> int:
        """Articles answered by scanning until FTS5 has them (0 once it has caught up)."""
        return len(self._staged)

    # ------------------------------------------------------------------ building

    def add(self, articles: Iterable[Article]) -> None:
        """Index a batch now; serials must continue from ``len(self)`` (the Corpus's load
        order). The text is prepared here: loaders that prepared it in another process
        call :meth:`add_prepared`."""
        batch = list(articles)
        self.add_prepared(batch, [prepare(article) for article in batch])

    def add_prepared(self, articles: Sequence[Article], texts: Sequence[IndexText]) -> None:
        """Index a batch whose :func:`prepare` texts are already computed, now."""
        self.stage(articles, texts)
        self.index_staged()

    def stage(self, articles: Sequence[Article], texts: Sequence[IndexText]) -> None:
        """Make a batch searchable at once (by scanning) and queue it for FTS5.

        Cheap (no text is read): the loader thread calls it before telling the UI that
        the articles exist, so a search never misses an article the list shows.
        """
        if len(articles) != len(texts):
            raise ValueError("one prepared text per article")
        with self._lock:
            expected = len(self)
            for article in articles:
                if article.serial != expected:
                    raise ValueError(
                        f"article serial {article.serial} out of order: expected {expected}"
                    )
                expected += 1
            self._staged.extend(zip(articles, texts, strict=True))

    def index_staged(self, rounds: int | None = None) -> int:
        """Move staged articles into FTS5, a round at a time; return how many moved.

        Stops after *rounds* rounds, else when none are staged. The lock is released
        between rounds, so searches interleave.
        """
        moved = done = 0
        size = self.chunk_size
        per_round = size * max(1, len(self._shards))
        while rounds is None or done < rounds:
            with self._lock:
                batch = self._staged[:per_round]
                if not batch:
                    break
                chunks = [batch[offset : offset + size] for offset in range(0, len(batch), size)]
                self._add_round(chunks)
                del self._staged[: len(batch)]
            moved += len(batch)
            done += 1
        return moved

    def _add_round(self, chunks: list[list[tuple[Article, IndexText]]]) -> None:
        """Insert one chunk per shard (in parallel) and register the chunks; under the lock."""
        if len(chunks) == 1 and len(self._shards) > 1:
            # A lone chunk goes to the shards in turn, so small batches stay balanced.
            numbers = [self._next_shard]
            self._next_shard = (self._next_shard + 1) % len(self._shards)
        else:
            numbers = list(range(len(self._shards)))
        if not numbers:
            pass
        elif len(chunks) == 1:
            self._insert(numbers[0], chunks[0])
        else:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(
                    len(self._shards), thread_name_prefix="search-index"
                )
            futures = [
                self._pool.submit(self._insert, number, chunk)
                for number, chunk in zip(numbers, chunks, strict=False)
            ]
            errors = [future.exception() for future in futures]  # wait for every shard
            for error in errors:
                if error is not None:
                    raise error
        for number, chunk in zip(numbers or [0] * len(chunks), chunks, strict=False):
            self._plain.extend(text.plain for _, text in chunk)
            self._shard_of.extend(bytes([number]) * len(chunk))
            self._register([article for article, _ in chunk])
        self._all = None
        self._cache.clear()
        self._cached_items = 0
        # Verified phrase results stay valid: they are per article, and articles
        # never change once added.

    def _insert(self, number: int, chunk: list[tuple[Article, IndexText]]) -> None:
        """Insert one chunk into one shard, in one transaction; runs in a pool thread,
        without the GIL while SQLite tokenises (:func:`prepare` did the Python work).

        Measured at 100k (FTS5 writes a segment whenever its 1 MB pending-data hash
        fills, at every COMMIT and at every SAVEPOINT): a transaction per chunk costs
        the same as one per 16k rows, as the hash fills within a chunk anyway; a
        savepoint per chunk inside a longer transaction cost 35 % more; an 8 MB hash
        (``hashsize``) saved nothing measurable next to the parsing processes and
        kept 20 MB more.
        """
        shard = self._shards[number]
        try:
            shard.execute("BEGIN")
            try:
                # One statement per up to 256 rows, not one per row: SQLite drops the
                # GIL once for all of them. Per row (``executemany``) the thread had to
                # win the GIL back after every article, and behind a busy UI thread
                # each win could take the 5 ms switch interval: with a thread spinning
                # in Python, 10k articles took 10-28 s to load instead of 6.5.
                for start in range(0, len(chunk), _ROWS_PER_INSERT):
                    part = chunk[start : start + _ROWS_PER_INSERT]
                    words: list[object] = []
                    titles: list[object] = []
                    for article, text in part:
                        title, row = fts_texts(text)
                        words += (article.serial, row)
                        titles += (article.serial, title)
                    shard.execute(_insert_sql("words", len(part)), words)
                    shard.execute(_insert_sql("titles", len(part)), titles)
            except BaseException:
                shard.execute("ROLLBACK")
                raise
            shard.execute("COMMIT")
        except BaseException:
            # Out of memory, or the like: when one shard of a round fails the others
            # may have committed theirs. Stop trusting FTS5 and scan, slower but never
            # wrong; the round stays staged, so its articles are still found.
            self._degrade()
            raise

    def _degrade(self) -> None:
        # Not closed here: another pool thread may still be inserting into its shard.
        # The connections close when the last reference goes.
        self._shards = []
        self.backend = "scan"

    def _register(self, chunk: list[Article]) -> None:
        # Bound once: this loop runs for every article of a million's re-open.
        first, last = self._first.append, self._last.append
        undated, inferred, by_year = self._undated.add, self._inferred.add, self._by_year
        for article in chunk:
            date = article.date
            span = None if date is None else date_span(date)
            if span is None or date is None:
                first(0)
                last(0)
                undated(article.serial)
            else:
                first(span[0])
                last(span[1])
                year = by_year.get(date.year)
                if year is None:
                    year = by_year[date.year] = []
                year.append(article.serial)
                if date.source == "inferred":
                    inferred(article.serial)
        self._articles += chunk
        self._serials += map(_serial_of, chunk)

    def register_stored(
        self,
        tables: Sequence[tuple[sqlite3.Connection, int]],
        articles: Sequence[Article],
        plains: Sequence[bool],
        rows: Sequence[int],
    ) -> None:
        """Make articles the store already indexed searchable without indexing them
        again: its FTS5 tables (*tables*: the connection to ask each on, and its number)
        answer for them, by store row. Serials continue from ``len(self)``; nothing may
        be staged."""
        with self._lock:
            if self._staged:
                raise ValueError("stored articles come after the staged ones are indexed")
            self._stored = list(tables)
            translation = self._serial_of_row
            if rows:
                top = max(rows)
                if top >= len(translation):
                    translation.extend([_NOT_READ] * (top + 1 - len(translation)))
            expected = len(self._articles)
            for article, plain, row in zip(articles, plains, rows, strict=True):
                if article.serial != expected:
                    raise ValueError(f"article serial {article.serial}: expected {expected}")
                expected += 1
                translation[row] = article.serial
                self._plain.append(plain)
                self._shard_of.append(255)  # not in a shard of this index
            self._register(list(articles))
            self._all = None
            self._cache.clear()
            self._cached_items = 0

    def serial_of_stored_row(self, row: int) -> int:
        """The serial of the article :meth:`register_stored` gave store row *row*
        (-1: none)."""
        translation = self._serial_of_row
        return translation[row] if 0 <= row < len(translation) else -1

    def remember_stored_match(self, expression: str, rows: Collection[int]) -> None:
        """Take what the store's FTS5 found for *expression* on title and body (*rows*,
        asked before its articles were registered: :func:`candidate_expression`), so
        that a search asking the same does not ask again (0.35 s for 64 common words
        at 50k). Forgotten, as every match is, when articles are added."""
        with self._lock:
            translation = self._serial_of_row
            size = len(translation)
            found = frozenset(translation[row] for row in rows if row < size) - {-1}
            self._cache[("words", expression)] = found
            self._cached_items += len(found)

    def copy_shards(self, paths: Callable[[int], str]) -> list[tuple[int, str]] | None:
        """Copy each shard into the file *paths* names for it (SQLite's backup:
        page by page, never a second copy in memory), when every article is in them in
        serial order (the load has just ended): the store takes the index from there
        rather than build it twice. None when that is not so."""
        with self._lock:
            if self._staged or self._stored or not self._shards:
                return None
            copied = []
            for number, shard in enumerate(self._shards):
                path = paths(number)
                target = sqlite3.connect(path)
                try:
                    shard.backup(target)
                finally:
                    target.close()
                copied.append((number, path))
            return copied

    def is_plain(self, serial: int) -> bool:
        return bool(self._plain[serial])

    def shard_of(self, serial: int) -> int:
        """The shard of this index that indexed *serial* (255: none)."""
        return self._shard_of[serial]

    # ------------------------------------------------------------------ searching

    def search(
        self,
        query: Query,
        state: StateView | None = None,
        within: Collection[int] | None = None,
    ) -> Matches | None:
        """Serials of the articles matching *query*; ``None`` for an empty query. A
        frozenset or :class:`Bits` is shared (a remembered answer), a set is the
        caller's own.

        *within*, when given, limits the answer to those serials: pass the previous
        result when ``query.narrows(previous_query)``. If it is the set this index
        returned last, articles added since are searched too, and it must still hold
        every serial it was returned with (grown, never shrunk): a narrower query of
        plain words then takes FTS5's answer as it is (see :func:`_implied`). Staged
        articles (not yet in FTS5) are scanned, so the answer always covers every
        article staged.
        """
        if query.is_empty():
            return None
        with self._lock:
            count = len(self._articles)
            total = count + len(self._staged)
            candidates = self._start(within, total)
            words = _words_of(query)
            previous = self._previous
            # Narrowed from the last answer, a whole one, by words that imply its words
            # ("paki" → "pakis"): FTS5's answer lies within it (see _implied).
            holds_found = (
                words is not None
                and previous is not None
                and within is previous[0]
                and previous[2] is not None
                and _implied(previous[2], words)
            )
            tail: Iterable[int] = ()
            if total > count:
                if candidates is None:
                    tail = range(count, total)
                else:
                    tail = _from(candidates, count)
                    if tail:
                        candidates = _below(candidates, count)
            result = self._search_indexed(query, state, candidates, within, count, holds_found)
            if tail:
                staged = self._staged
                found = [
                    serial
                    for serial in tail
                    if matches_prepared(query, *staged[serial - count], state)
                ]
                if isinstance(result, set):
                    result.update(found)
                elif found:
                    result = result | frozenset(found)  # a shared answer is not changed
            # Its words are kept when the answer is whole: every article that has them,
            # not those of a few asked about (within=added) that have them.
            self._previous = (result, total, words if within is None or holds_found else None)
            return result

    def _search_indexed(
        self,
        query: Query,
        state: StateView | None,
        candidates: Matches | None,
        within: Collection[int] | None,
        count: int,
        holds_found: bool = False,
    ) -> Matches:
        """The search proper, over the articles in FTS5 (serials below *count*).
        *holds_found*: *candidates* hold every article below *count* that FTS5 finds
        for the query's words, so that its answer need not be intersected with them."""
        clauses = list(query.search_clauses)  # repeats and clauses always true left out
        if self._shards:
            candidates, clauses = self._pushed_down(clauses, candidates, holds_found)
        else:
            # Scanning: every text term re-reads; read each article once for all the
            # clauses that are one positive text term.
            texts = [c[0] for c in clauses if len(c) == 1 and isinstance(c[0], TextTerm)]
            texts = [term for term in texts if not term.negated]
            if texts:
                clauses = [c for c in clauses if not (len(c) == 1 and c[0] in texts)]
                base = candidates if candidates is not None else self._serials[:count]
                candidates = {s for s in base if self._verify_all(texts, s)}
        excluded = [
            c[0]
            for c in clauses
            if len(c) == 1 and isinstance(c[0], TextTerm) and c[0].negated
            if c[0].needs_verifying or not self._shards
        ]
        if len(excluded) > 1:
            # -"a b" -"c d" …: each article read once for all of them, as for an OR.
            clauses = [c for c in clauses if not (len(c) == 1 and c[0] in excluded)]
            base = candidates if candidates is not None else self._everything()
            candidates = set(base) - self._any_phrase(excluded, base, set())
        clauses.sort(key=_clause_cost)
        for clause in clauses:
            if candidates is not None and not candidates:
                break
            candidates = self._clause(clause, candidates, state)
        if candidates is None:
            return set(self._serials[:count])
        if isinstance(candidates, (frozenset, Bits)):
            # A remembered term's matches, or every article: no one can change them, so
            # they are not copied (a first letter's million took ~30 MB and ~25 ms more).
            return candidates
        if candidates is within:
            return set(candidates)  # the caller's own set: it may change it
        return candidates

    def _start(self, within: Collection[int] | None, count: int) -> Matches | None:
        if within is None:
            return None
        previous = self._previous
        if previous is not None and within is previous[0] and previous[1] < count:
            if isinstance(within, Bits):
                return within | frozenset(range(previous[1], count))
            extended = set(within)
            extended.update(range(previous[1], count))
            return extended
        if isinstance(within, (set, frozenset, Bits)):
            return within
        return set(within)

    def _everything(self) -> Bits:
        """Every article in FTS5 (serials are their places: 0, 1, 2, …)."""
        if self._all is None or self._all.size != len(self._articles):
            self._all = Bits.everything(len(self._articles))
        return self._all

    def _pushed_down(
        self,
        clauses: list[Clause],
        candidates: Matches | None,
        holds_found: bool = False,
    ) -> tuple[Matches | None, list[Clause]]:
        """Answer every plain word clause with one FTS5 query, so big sets stay in C.

        ``pakistan r`` asks FTS5 for ``"pakistan"* AND "r"*`` and gets the few thousand
        articles with both, rather than fetching the 100,000 with an r-word.
        """
        positive: list[Clause] = []
        negative: list[TextTerm] = []
        rest: list[Clause] = []
        for clause in clauses:
            if all(
                isinstance(t, TextTerm) and not t.negated and not t.title_only for t in clause
            ) and (len(clause) == 1 or not any(t.needs_verifying for t in clause)):  # type: ignore[union-attr]
                positive.append(clause)
            elif (
                len(clause) == 1
                and isinstance(clause[0], TextTerm)
                and clause[0].negated
                and not clause[0].title_only
                and not clause[0].needs_verifying
            ):
                negative.append(clause[0])
            else:
                rest.append(clause)
        if not positive:
            if negative:
                # Negations alone: exclude their union (one query), keep the rest.
                expression = _any_of(negative)
                excluded = self._match("words", expression)
                base = candidates if candidates is not None else self._everything()
                candidates = base - excluded
            return candidates, rest
        expression = _all_of(positive)  # type: ignore[arg-type]
        if negative:
            if len(positive) == 1:
                expression = f"({expression})"
            expression += f" NOT ({_any_of(negative)})"
        found = self._match("words", expression)
        if candidates is None or (holds_found and found is not self._all):
            # At a million, intersecting 383,382 matches with the last answer's took
            # ~90 ms of each letter after "paki" (and a third set of them, ~30 MB).
            candidates = found
        elif found is not self._all:
            candidates = _intersect(candidates, found)
        phrases = [
            clause[0]
            for clause in positive
            if len(clause) == 1 and isinstance(clause[0], TextTerm) and clause[0].needs_verifying
        ]
        if phrases:
            candidates = self._all_phrases(phrases, candidates)
        return candidates, rest

    def _all_phrases(self, phrases: list[TextTerm], candidates: Matches) -> Matches:
        """The *candidates* where every one of *phrases* holds.

        Many candidates (a phrase of common words: 41,000 of 100,000 for "foreign
        office", each body folded and searched: 1.4 s) are read a batch at a time in
        one automaton pass per phrase (~6 µs a 4 KB article), when the phrases are of
        ASCII words; otherwise each is read once for all the phrases.
        """
        if len(candidates) >= _PASS_CANDIDATES:
            groups = [_PhraseGroup([phrase]) for phrase in phrases]
            if all(group.one_pass for group in groups):
                held = set(candidates)
                for group in groups:
                    if held:
                        held = self._held_in_one_pass(group, held)
                return held
        return {s for s in candidates if self._verify_all(phrases, s)}

    def _clause(
        self, clause: Clause, candidates: Matches | None, state: StateView | None
    ) -> Matches:
        if len(clause) == 1:
            return self._term(clause[0], candidates, state)
        phrases = [t for t in clause if isinstance(t, TextTerm) and t.needs_verifying]
        phrases = [t for t in phrases if not t.negated]
        union: Matches = set()
        for term in clause:
            if not (isinstance(term, TextTerm) and term in phrases):
                union |= self._term(term, candidates, state)
        if phrases:
            union |= self._any_phrase(phrases, candidates, union)
        return union

    def _any_phrase(
        self,
        phrases: list[TextTerm],
        candidates: Matches | None,
        known: Matches,
    ) -> set[int]:
        """Serials (within *candidates*, not in *known*) where one of *phrases* holds.

        Each candidate article is read once, for all the phrases it may hold, not once
        per phrase (64 phrases joined by OR took 40 s at 50k). Three phrases or more,
        all of ASCII words, are looked for in one automaton pass over each article
        (:meth:`_held_in_one_pass`, ~6 µs a 4 KB article whatever their number).
        Otherwise the phrases that held most often so far are tried alone first (a
        phrase's regex opens with a literal, ~3-6 µs), and if the article may hold
        others, one regex for all of them decides (:class:`_PhraseGroup`).
        """
        group = _PhraseGroup(phrases)
        if self._shards and len(phrases) > _TRY_ALONE and group.one_pass:
            if len(phrases) <= _UNION_PHRASES:
                pool = set(self._union(phrases))
                if candidates is not None:
                    pool &= candidates
            else:  # fetching what FTS5 finds would cost more than reading everything
                pool = set(candidates) if candidates is not None else set(self._everything())
            return self._held_in_one_pass(group, pool - known)
        entries: list[_Phrase] = []
        pool = set()
        many = self._shards and len(phrases) > _TRY_ALONE
        if many:
            # The articles that may hold any, from one FTS5 query (64 sets of 50,000
            # serials took 0.8 s to fetch); in each, the phrases are tried in the order
            # learnt, and the group decides.
            pool = set(self._union(phrases))
            if candidates is not None:
                pool &= candidates
        for term in phrases:
            found: Collection[int] | None = None
            if self._shards and not many:
                table = "titles" if term.title_only else "words"
                matched = self._match(table, _fts_expression(term))
                found = matched if candidates is None else _intersect(candidates, matched)
                pool |= found
            entries.append(_Phrase(term, found, self._verified.get(_term_key(term))))
        if not self._shards:
            pool = set(candidates) if candidates is not None else set(range(len(self._articles)))
        # Until some have held, the phrases whose words are in most articles first.
        entries.sort(key=lambda entry: -len(entry.found) if entry.found is not None else 0)
        search = _PhraseSearch(entries, group)
        return {s for s in pool - known if self._verify_any(search, s)}

    def _held_in_one_pass(self, group: _PhraseGroup, pool: set[int]) -> set[int]:
        """Serials in *pool* where one of *group*'s phrases (all of ASCII words) holds.

        Articles are read a few hundred at a time (stored bodies in one query) and
        searched in one automaton pass, but for those :func:`word_form` cannot put
        as it reads them: one at a time (:meth:`_PhraseGroup.search`).
        """
        rows = group.word_rows()
        held: set[int] = set()
        order = sorted(pool)
        # The automaton drops the GIL: it reads one batch in a thread of its own while
        # this one reads and folds the next (0.85 -> ~0.6 s for 64 phrases at 50k).
        passes: list[Future[set[int]]] = []
        for start in range(0, len(order), _PASS_ARTICLES):
            serials = order[start : start + _PASS_ARTICLES]
            articles = [self._articles[serial] for serial in serials]
            texts: list[bytes] = []
            owners: list[int] = []
            forms = read_word_forms(articles)
            titles = read_titles(articles)
            for serial, article, (form, body), held_title in zip(
                serials, articles, forms, titles, strict=True
            ):
                text = _Text(article, bool(self._plain[serial]), body or None, form, held_title)
                if rows.bodies is rows.titles:
                    title, words = text.title_words(), text.body_words()
                    if title is not None and words is not None:
                        texts.append(title + b" \0 " + words)  # as held() joins texts
                        owners.append(serial)
                        continue
                if group.search(text):
                    held.add(serial)
            if texts:
                if len(passes) >= 2:  # at most two batches waiting: bounded memory
                    held.update(passes.pop(0).result())
                passes.append(_pass_thread().submit(rows.titles.held, texts, owners))
        for future in passes:
            held.update(future.result())
        return held

    def _union(self, phrases: list[TextTerm]) -> frozenset[int] | Bits:
        """Serials FTS5 finds for any of *phrases* (each as its words)."""
        found: frozenset[int] | Bits = frozenset()
        for table, title_only in (("words", False), ("titles", True)):
            terms = [t for t in phrases if t.title_only == title_only]
            if terms:
                found |= self._match(table, _any_of(terms))
        return found

    def _verify_any(self, search: _PhraseSearch, serial: int) -> bool:
        """Whether one of a clause's phrases holds in one article, read at most once."""
        text: _Text | None = None
        tried = 0
        for entry in search.entries:
            found = entry.found
            if found is not None and serial not in found:
                continue
            memo = entry.memo
            hit = memo.get(serial) if memo is not None else None
            if hit is None:
                if tried == _TRY_ALONE and text is not None:
                    return search.group.search(text)
                if text is None:
                    text = self._read(serial)
                hit = text.search(entry.pattern, entry.twin, entry.term.title_only)
                tried += 1
            if hit:
                search.held(entry)
                return True
        search.missed()
        return False

    def _verify_all(self, terms: list[TextTerm], serial: int) -> bool:
        """Whether every one of *terms* (phrases) holds in one article, read at most once."""
        text: _Text | None = None
        for term in terms:
            hit = self._known(term, serial)
            if hit is None:
                if text is None:
                    text = self._read(serial)
                hit = self._verify(term, serial, text)
            if not hit:
                return False
        return True

    def _term(self, term: Term, candidates: Matches | None, state: StateView | None) -> Matches:
        found = self._positive(term, candidates, state)
        if not term.negated:
            return found
        base = candidates if candidates is not None else self._everything()
        return base - found

    def _positive(self, term: Term, candidates: Matches | None, state: StateView | None) -> Matches:
        """Serials (within *candidates*, if given) matching *term* taken as positive."""
        if isinstance(term, TextTerm):
            return self._text(term, candidates)
        if isinstance(term, DateTerm):
            return self._dates(term, candidates)
        if isinstance(term, FieldTerm):
            return self._field(term, candidates)
        return self._state(term, candidates, state)

    def _text(self, term: TextTerm, candidates: Matches | None) -> Matches:
        if not self._shards:
            base = candidates if candidates is not None else range(len(self._articles))
            return {s for s in base if self._verify(term, s)}
        found: Matches = self._match(
            "titles" if term.title_only else "words", _fts_expression(term)
        )
        if candidates is not None:
            found = candidates if found is self._all else _intersect(candidates, found)
        if term.needs_verifying:
            found = {s for s in found if self._verify(term, s)}
        return found

    def _dates(self, term: DateTerm, candidates: Matches | None) -> Matches:
        first, last = self._first, self._last
        lo, hi = max(term.lo, 1), term.hi  # undated articles have first == 0: never in
        if candidates is not None and len(candidates) * 8 < len(self._articles):
            return {s for s in candidates if lo <= first[s] and last[s] <= hi}
        hi = min(hi, MAX_ORDINAL)
        if lo > hi:
            return set()  # e.g. before:0001-01-01 or after:9999-12-31
        low_year, high_year = dt.date.fromordinal(lo).year, dt.date.fromordinal(hi).year
        found: set[int] = set()
        for year, serials in self._by_year.items():
            if low_year <= year <= high_year:
                found.update(s for s in serials if lo <= first[s] and last[s] <= hi)
        return found if candidates is None else _intersect(candidates, found)

    def _field(self, term: FieldTerm, candidates: Matches | None) -> Matches:
        """Serials whose author, host or tags satisfy *term*, from a map of the distinct
        values (built on the first field query: loading never pays for it)."""
        articles = self._articles
        if candidates is not None and len(candidates) * 8 < len(articles):
            return {s for s in candidates if term.matches_article(articles[s])}
        values = self._field_values[term.name]
        for serial in range(self._field_done[term.name], len(articles)):
            for value in field_values(articles[serial], term.name):
                values.setdefault(value, array("i")).append(serial)
        self._field_done[term.name] = len(articles)
        found: set[int] = set()
        for value, serials in values.items():
            if term.value_matches(value):
                found.update(serials)
        return found if candidates is None else _intersect(candidates, found)

    def _state(
        self, term: StateTerm, candidates: Matches | None, state: StateView | None
    ) -> Matches:
        if term.name == "undated":
            found: Matches = self._undated
        elif term.name == "inferred":
            found = self._inferred
        else:
            articles = self._articles
            base = candidates if candidates is not None else range(len(articles))
            return {s for s in base if state_matches(term.name, articles[s], state)}
        return set(found) if candidates is None else _intersect(candidates, found)

    # ------------------------------------------------------------------ primitives

    def _match(self, table: str, expression: str) -> frozenset[int] | Bits:
        """Serials FTS5 finds for *expression*, remembered until the next add."""
        key = (table, expression)
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        found: frozenset[int] | Bits | None = None
        if _BROAD.fullmatch(expression):
            # The first keystrokes of a word match most articles: counting in C is ten
            # times cheaper than fetching every serial, and often says "all", or "all
            # but a few".
            found = self._broad(table, expression)
        if found is None:
            found = self._fetch(table, expression)
        self._cache[key] = found
        self._cached_items += _weight(found)
        while self._cached_items > _CACHE_ITEMS and len(self._cache) > 1:
            _, dropped = self._cache.popitem(last=False)
            self._cached_items -= _weight(dropped)
        return found

    def _fetch(self, table: str, expression: str) -> frozenset[int] | Bits:
        """Serials FTS5 finds for *expression*, fetched: this index's own shards' and the
        store's (rows translated); :class:`Bits` when they are many."""
        # One string per shard, parsed in C, beats building a tuple per row (rowid =
        # serial in this index's own shards). Every shard, stored and own, is asked in
        # one round; the store's first, so that its two (a re-open's own are empty)
        # go one to each thread (each_at_once runs the first here).
        stored_shards = [(connection, f"{table}_{n}") for connection, n in self._stored]
        texts = _rowid_texts(stored_shards + [(shard, table) for shard in self._shards], expression)
        stored = [joined for joined in texts[: len(stored_shards)] if joined]
        own = [joined for joined in texts[len(stored_shards) :] if joined]
        if sum(map(_rowid_count, own + stored)) >= BITS_FROM:
            return self._bits_of(own, stored)
        serials = self._serials.__getitem__
        found = frozenset(
            itertools.chain.from_iterable(map(serials, rowid_list(joined)) for joined in own)
        )
        if stored:
            matched = self._translated(stored)
            # A re-open's own shards are empty until a file changes: no copy then.
            found = found | matched if found else matched
        return found

    def _bits_of(self, own: list[str], stored: list[str]) -> Bits:
        """The serials of FTS5's rowids, parsed, translated and set in NumPy: *own*,
        this index's shards' (rowid = serial); *stored*, the store's (rows translated,
        those not read yet noted as :meth:`_translated` does)."""
        np = numpy()
        parts = [np.fromstring(joined, dtype=np.int64, sep=",") for joined in own]
        if stored:
            translation = self._serial_of_row
            known = len(translation)
            serial_of_row = ints_of(translation)
            for joined in stored:
                rows = np.fromstring(joined, dtype=np.int64, sep=",")
                if len(rows) <= _UNREAD_HITS:
                    self._note_unread(rows.tolist(), translation, known)
                serials = serial_of_row[rows[rows < known]]
                parts.append(serials[serials >= 0])  # -1: not read yet
        return Bits.of(np.concatenate(parts), len(self._articles))

    def _broad(self, table: str, expression: str) -> frozenset[int] | Bits | None:
        """The matches of *expression* when most articles have them (:data:`_MOST`),
        from a count and from the rows that lack them; None when fewer do, or when the
        rows cannot be counted as articles.

        A store's rows count only when each row below the last one registered is one
        article (:meth:`_rows_all_registered`), and rows written since are left out:
        then the count is of distinct articles, and equal to their number only when
        it is all of them. Otherwise (a re-open still reading, a row left out) no
        count is taken: the matches are fetched.

        The first :data:`_COUNT_SAMPLE` rows are counted first: a letter that many
        articles lack (``z`` in 6%) is told in a fraction of a millisecond, where the
        whole count costs ~9 ms at 100k and ~90 ms at a million before the fetch.
        """
        sources = self._countable(table)
        if sources is None:
            return None
        # Every row below the first sample is an article: its serial (this index's own
        # shards) or its store row (a re-open's, each registered; its own rows, serials
        # after the store's, are seldom among them).
        share = _MOST if table == "words" else 1  # only words rows hold EVERY_ROW
        sample = min(_COUNT_SAMPLE, sources[0][2]) if sources else 0
        if sample and _count(sources, expression, sample) < sample * share:
            return None
        size = len(self._articles)
        if share < 1 and self._one_row_each(sources, size):
            # Exact without a count of this letter's rows (~30 ms of ~100 at a
            # million): every article but those whose one row lacks it.
            lacking = self._fetch(table, f'"{EVERY_ROW}" NOT ({expression})')
            return self._everything() - lacking if lacking else self._everything()
        count = _count(sources, expression)
        if count == size:
            return self._everything()
        if count < size * share:
            return None
        # Every article but those that lack the letter: a few thousand rowids to
        # fetch and take out, not most of a million to fetch and set.
        found = self._everything() - self._fetch(table, f'"{EVERY_ROW}" NOT ({expression})')
        # Each article one row, each row one article, so the two agree; were they not
        # to (a row not written yet), the matches are fetched.
        return found if len(found) == count else None

    def _one_row_each(
        self, sources: Sequence[tuple[sqlite3.Connection, str, int]], size: int
    ) -> bool:
        """Whether the words rows of *sources* are as many as the articles, one each:
        counted once until the next registration (each row is a distinct article, see
        :meth:`_countable`, so as many rows as articles is one row each).

        A row deleted since (another instance updating the store for a file changed)
        is then not noticed: that article, out of date, is still among a broad letter's
        matches until this instance reads its file again."""
        state = (size, len(self._serial_of_row))
        if self._rows_counted[0] != state:
            self._rows_counted = (state, _count(sources, f'"{EVERY_ROW}"'))
        return self._rows_counted[1] == size

    def _countable(self, table: str) -> list[tuple[sqlite3.Connection, str, int]] | None:
        """The FTS5 tables whose rows below a bound are each one article, and together
        every article: the store's first (rows written since it was read left out),
        then this index's own; None while a store row below the last one registered
        is not an article (a re-open reading, a file read afresh)."""
        size = len(self._articles)
        own = [(shard, table, size) for shard in self._shards]
        if not self._stored:
            return own
        if not self._rows_all_registered():
            return None
        below = len(self._serial_of_row)
        return [(connection, f"{table}_{n}", below) for connection, n in self._stored] + own

    def _rows_all_registered(self) -> bool:
        """No store row below the last one registered is left out (a file read afresh,
        a gap where an article was taken out): worked out once per registration."""
        size = len(self._articles)
        if self._registered_whole[0] != size:
            if numpy_if_imported() is None:
                whole = _NOT_READ not in self._serial_of_row  # ~2 ms at 100k
            else:  # ``in`` makes an int of each row: ~19 ms at a million
                whole = not (ints_of(self._serial_of_row) == _NOT_READ).any()
            self._registered_whole = (size, whole)
        return self._registered_whole[1]

    def _translated(self, stored: list[str]) -> frozenset[int]:
        """The serials of the store's rows in *stored* (a ``group_concat`` of them a
        shard, fewer than :data:`BITS_FROM` in all): each the article's own int (see
        :attr:`_serials`). Rows not read yet, or written since the map was made (a
        re-open reading), are left out, and noted for the re-open to read next."""
        translation, serials = self._serial_of_row, self._serials
        size = len(translation)

        def each_shard() -> Iterator[Iterable[int]]:
            for rows in map(rowid_list, stored):
                if len(rows) <= _UNREAD_HITS:
                    self._note_unread(rows, translation, size)  # a re-open reading
                yield (
                    serials[serial]
                    for row in rows
                    if row < size and (serial := translation[row]) != _NOT_READ
                )

        return frozenset(itertools.chain.from_iterable(each_shard()))

    def _note_unread(self, rows: list[int], translation: Sequence[int], size: int) -> None:
        unread = [row for row in rows if row >= size or translation[row] < 0]
        if not unread:
            return
        with self._hits_lock:
            if len(self._unread_hits) + len(unread) <= _UNREAD_HITS:
                self._unread_hits.update(unread)

    def warm(self) -> None:
        """Ready now, at the end of a load or a re-open, what the first broad
        keystroke would otherwise wait for: NumPy (~80 ms to import) and the count of
        the store's rows (~25 ms at a million, :meth:`_one_row_each`). Any thread; none
        of it for an index smaller than :data:`BITS_FROM`."""
        if len(self) < BITS_FROM:
            return  # no answer this small is Bits: NumPy is not needed
        numpy()
        with self._lock:
            sources = self._countable("words")
            if sources is not None and self._stored:
                self._one_row_each(sources, len(self._articles))

    def bound_of(self, matches: Collection[int]) -> int | None:
        """A bound every serial of *matches* is below (and none negative), when they are
        this index's last answer and a frozenset or Bits, which no one can add to; else
        None.
        The list then need not find their least and greatest (~22 ms a keystroke for
        a first letter's million)."""
        previous = self._previous
        if (
            previous is not None
            and previous[0] is matches
            and isinstance(matches, (frozenset, Bits))
        ):
            return previous[1]
        return None

    def take_unread_hits(self) -> list[int]:
        """Store rows a search found that are not registered yet, once each: a re-open
        reads them next, so a rare word's every match is shown before the rest of the
        collection is read (100,000 articles take ~1 s). Any thread."""
        with self._hits_lock:
            taken, self._unread_hits = self._unread_hits, set()
        return sorted(taken)

    def _read(self, serial: int) -> _Text:
        """One article's text, folded for the scan regexes as they need it."""
        return _Text(self._articles[serial], bool(self._plain[serial]))

    def _known(self, term: TextTerm, serial: int) -> bool | None:
        """What an earlier search found re-reading *serial* for *term*, if it did."""
        known = self._verified.get(_term_key(term))
        return None if known is None else known.get(serial)

    def _verify(self, term: TextTerm, serial: int, text: _Text | None = None) -> bool:
        """Re-read one article for a text term (a phrase, or anything when scanning);
        *text*: the article already read, for another term."""
        hit = self._known(term, serial)
        if hit is not None:
            return hit
        if text is None:
            text = self._read(serial)
        pattern, twin = _patterns(term)
        found = text.search(pattern, twin, term.title_only)
        if self._shards:  # scanning keeps no per-article memo: it would grow to N
            key = _term_key(term)
            known = self._verified.get(key)
            if known is None:
                known = self._verified[key] = {}
            if self._verified_items >= _VERIFIED_ITEMS:
                self._verified.clear()
                self._verified_items = 0
                known = self._verified[key] = {}
            known[serial] = found
            self._verified_items += 1
        return found


class BackgroundIndexer:
    """Moves staged articles into FTS5 on its own thread.

    SQLite drops the GIL while it tokenises, so the index fills on one core while the
    loader thread unpickles and stages the next batch from the parsing processes, and
    the UI thread stays free. :meth:`put` stages at once (the batch is searchable by
    scanning straight away) and blocks while more than *max_staged* articles wait, so
    prepared text never piles up faster than FTS5 takes it, and the scan a keystroke
    does over the staged articles stays short.
    """

    def __init__(
        self,
        index: SearchIndex,
        *,
        max_staged: int = 2048,
        pause: Callable[[], None] | None = None,
    ) -> None:
        self.index = index
        self.max_staged = max_staged
        self.pause = pause
        """Called before each round (``Foreground.pause``: the UI goes first)."""
        self._wake = threading.Condition()
        self._closing = False
        self._cancelled = False
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="search-index-feeder", daemon=True)
        self._thread.start()

    def put(self, articles: Sequence[Article], texts: Sequence[IndexText]) -> None:
        """Stage a batch and wake the indexing thread; wait while too many are staged."""
        self.index.stage(articles, texts)
        with self._wake:
            self._wake.notify_all()
            while (
                self.index.staged > self.max_staged
                and self._error is None
                and not self._cancelled
                and self._thread.is_alive()
            ):
                self._wake.wait(0.5)
        self._raise()

    def close(self, *, cancel: bool = False) -> None:
        """Index everything staged (or, with *cancel*, just stop), then join."""
        with self._wake:
            self._closing = True
            self._cancelled = cancel
            self._wake.notify_all()
        self._thread.join()
        if not cancel:
            self._raise()
            self.index.index_staged()  # nothing, unless the thread died early

    def _raise(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def _run(self) -> None:
        index = self.index
        try:
            while True:
                with self._wake:
                    while not index.staged and not self._closing:
                        self._wake.wait()
                    if self._cancelled or (self._closing and not index.staged):
                        return
                if self.pause is not None:
                    self.pause()
                index.index_staged(rounds=1)
                with self._wake:
                    self._wake.notify_all()
        except BaseException as error:  # handed to the loader thread by put()/close()
            self._error = error
            with self._wake:
                self._wake.notify_all()


def matches_prepared(
    query: Query, article: Article, text: IndexText, state: StateView | None = None
) -> bool:
    """``query.matches(article, state)``, reading the prepared (already folded) text.

    The scan regexes see the same words and boundaries in :class:`IndexText` as in
    ``normalise(text)`` (only runs of non-word characters differ), so this agrees with
    ``Query.matches`` while skipping its per-article normalising: ~4 µs a 4 KB article
    instead of ~120. The index answers for staged articles with it.
    """
    return holds(query, article, text, state)


_PATTERNS: dict[
    tuple[tuple[str, ...], bool, bool], tuple[re.Pattern[str], re.Pattern[bytes] | None]
] = {}


def _patterns(term: TextTerm) -> tuple[re.Pattern[str], re.Pattern[bytes] | None]:
    """The scan regex, and a bytes twin for pure-ASCII bodies (no decode, no normalise)."""
    key = _term_key(term)
    found = _PATTERNS.get(key)
    if found is None:
        text = term.pattern_text()
        # Searched in ``body.lower()``: bytes.lower() and bytes-mode \w are ASCII-only,
        # exactly what normalise() does to ASCII, and UTF-8 punctuation bytes are
        # non-word, as they should be. (re.IGNORECASE would be 6× slower: no literal scan.)
        ascii_twin = re.compile(text.encode("ascii")) if text.isascii() else None
        if len(_PATTERNS) > 256:
            _PATTERNS.clear()
        found = _PATTERNS[key] = (re.compile(text), ascii_twin)
    return found


_VERIFIED_ITEMS = 250_000
"""Re-read results a :class:`SearchIndex` remembers, in total (~25 MB at worst)."""


class _Text:
    """One article read for the phrase regexes: the title folded, the body folded (or,
    when plain, lowered as bytes) on first need, then kept for the next phrase."""

    __slots__ = ("_body", "_form", "_lowered", "_raw", "article", "plain", "title")

    def __init__(
        self,
        article: Article,
        plain: bool,
        raw: bytes | None = None,
        form: bytes | None = None,
        title: str | None = None,
    ) -> None:
        self.article = article
        self.plain = plain
        self.title = _fold_title(article.title if title is None else title)
        """Folded; *title*: the article's, when the caller read it (several at once)."""
        self._raw = raw
        """The body as read, when the caller read it (several at once)."""
        self._form = form
        """Its word form, when the store keeps it (see :func:`word_form`)."""
        self._body: str | None = None
        self._lowered: bytes | None = None

    def raw(self) -> bytes:
        if self._raw is None:
            self._raw = self.article.read_body()
        return self._raw

    def folded(self) -> str:
        if self._body is None:
            # The loader's fold (the index's text): the scan regexes see in it what
            # they see in spaced(normalise(text)), 9× faster.
            self._body = fold_body(self.raw())[0]
        return self._body

    def body_words(self) -> bytes | None:
        """The body as :class:`WordRows` reads it (:func:`word_form`), if it can be."""
        if self._form is not None:
            return self._form
        return word_form(self.raw(), self.plain)

    def title_words(self) -> bytes | None:
        """The folded title as :class:`WordRows` reads it, if it can be."""
        title = self.title
        if title.isascii():
            return plain_word_form(title.encode("ascii"))
        return word_form(title.encode("utf-8", "surrogatepass"), False)

    def search(
        self, pattern: re.Pattern[str], twin: re.Pattern[bytes] | None, title_only: bool
    ) -> bool:
        """Whether *pattern* is in the title or (unless *title_only*) the body; *twin*
        is its bytes form, for a plain body."""
        if pattern.search(self.title) is not None:
            return True
        if title_only:
            return False
        return self.search_body(pattern, twin)

    def search_body(self, pattern: re.Pattern[str], twin: re.Pattern[bytes] | None) -> bool:
        if twin is not None and self.plain:
            if self._lowered is None:
                self._lowered = self.raw().lower()
            return twin.search(self._lowered) is not None
        return pattern.search(self.folded()) is not None


_TRY_ALONE = 2
"""Phrases tried alone on an article before one regex for all of them decides."""

_PASS_THREAD: list[ThreadPoolExecutor] = []


_SHARD_WORKERS = min(_MOST_SHARDS, os.cpu_count() or 1) - 1
"""Threads that ask the other shards while a search asks the first: none on one core."""
_SHARD_THREADS: list[ThreadPoolExecutor] = []


def _shard_threads() -> ThreadPoolExecutor:
    """The threads :func:`each_at_once` asks shards in (not the automaton's: a pass
    there would hold a shard's query up)."""
    return _made_once(_SHARD_THREADS, _SHARD_WORKERS, "broadsheet-shard")


def _pass_thread() -> ThreadPoolExecutor:
    """The one thread automaton passes run in."""
    return _made_once(_PASS_THREAD, 1, "broadsheet-pass")


def _made_once(held: list[ThreadPoolExecutor], workers: int, name: str) -> ThreadPoolExecutor:
    """The pool *held* keeps, made on first use and left to the end."""
    if not held:
        held.append(ThreadPoolExecutor(workers, thread_name_prefix=name))
    return held[0]


_PASS_ARTICLES = 256
"""Articles read and searched together by :meth:`SearchIndex._held_in_one_pass`."""

_PASS_CANDIDATES = 512
"""Candidates from which a phrase is looked for in automaton passes, a batch of
articles at a time, rather than by reading each article alone (see
:meth:`SearchIndex._all_phrases`)."""
_UNION_PHRASES = 16
"""Phrases beyond which a clause's articles are not first narrowed by FTS5: fetching
what it finds for 64 phrases of common words took 0.6 s at 50k articles, more than
reading every article in one pass."""


class _Phrase:
    """A phrase of an OR clause: the serials FTS5 found it may be in (None: any), and
    what re-reading found before."""

    __slots__ = ("found", "hits", "memo", "pattern", "term", "twin")

    def __init__(
        self, term: TextTerm, found: Collection[int] | None, memo: dict[int, bool] | None
    ) -> None:
        self.term = term
        self.found = found
        self.memo = memo
        self.pattern, self.twin = _patterns(term)
        self.hits = 0


class _PhraseSearch:
    """The phrases of one clause in the order to try them: those that held most often
    in the articles read so far first, re-sorted now and then (any order gives the
    same answer)."""

    __slots__ = ("_left", "entries", "group")

    def __init__(self, entries: list[_Phrase], group: _PhraseGroup) -> None:
        self.entries = entries
        self.group = group
        self._left = 64

    def held(self, entry: _Phrase) -> None:
        entry.hits += 1
        self.missed()

    def missed(self) -> None:
        self._left -= 1
        if not self._left:
            self.entries = sorted(self.entries, key=lambda entry: -entry.hits)
            self._left = 1024


class _PhraseGroup:
    """Phrases of one clause searched together (title-only ones apart), compiled on
    first use: regexes that find whatever any of the phrases finds, as
    :meth:`query.Group.search` does (a trie after a non-word character, or at the
    start), with bytes twins for plain bodies; and, when every phrase is of ASCII
    words, one :class:`WordRows` automaton for plain bodies and ASCII titles."""

    def __init__(self, phrases: list[TextTerm]) -> None:
        self.phrases = phrases
        self._compiled: list[tuple[re.Pattern[str], re.Pattern[bytes] | None, bool]] | None = None
        self._rows: _Rows | None = None
        """For titles (every phrase) and bodies (those not ``title:``); None: not built."""

    @property
    def one_pass(self) -> bool:
        """Whether every phrase is of ASCII words, so :class:`WordRows` can find them."""
        return bool(self.word_rows().titles)

    def word_rows(self) -> _Rows:
        if self._rows is None:
            titles = WordRows([(t.tokens, t.prefix) for t in self.phrases])
            in_bodies = [(t.tokens, t.prefix) for t in self.phrases if not t.title_only]
            if len(in_bodies) == len(self.phrases):
                self._rows = _Rows(titles, titles)
            else:
                self._rows = _Rows(titles, WordRows(in_bodies) or None)
        return self._rows

    def search(self, text: _Text) -> bool:
        """Whether any phrase is in the article: automaton passes where the text
        allows (see :func:`word_form`), else the regexes."""
        titles, bodies = self.word_rows()
        if not titles:
            return self._search_regexes(text, "both")
        title = text.title_words()
        body = None if bodies is None else text.body_words()
        if title is not None and body is not None and bodies is titles:
            return titles.search(title, body)  # no title: phrase, so one pass over both
        if title is not None:
            if titles.search(title):
                return True
        elif self._search_regexes(text, "title"):
            return True
        if bodies is None:
            return False
        if body is not None:
            return bodies.search(body)
        return self._search_regexes(text, "body")

    def _search_regexes(self, text: _Text, where: Literal["title", "body", "both"]) -> bool:
        if self._compiled is None:
            self._compiled = []
            for title_only in (False, True):
                terms = tuple(t for t in self.phrases if t.title_only == title_only)
                if not terms:
                    continue
                trie, others = Group("text", terms, title_only=title_only).sources
                sources = [] if others is None else [others]
                if trie is not None:
                    sources += [r"\A(?:" + trie + ")", r"\W(?:" + trie + ")"]
                for source in sources:
                    twin = re.compile(source.encode("ascii")) if source.isascii() else None
                    self._compiled.append((re.compile(source), twin, title_only))
        if where == "title":
            return any(pattern.search(text.title) for pattern, _, _ in self._compiled)
        if where == "body":
            return any(
                text.search_body(pattern, twin)
                for pattern, twin, title_only in self._compiled
                if not title_only
            )
        return any(text.search(*compiled) for compiled in self._compiled)


class _Rows(NamedTuple):
    titles: WordRows
    """Every phrase of the group (a ``title:`` one too), for titles."""
    bodies: WordRows | None
    """Those not ``title:``, for bodies: the same object when that is all of them."""


def _intersect(a: Matches, b: Matches) -> Matches:
    return a & b if len(a) <= len(b) else b & a


def _from(matches: Matches, bound: int) -> Collection[int]:
    """The serials of *matches* that are *bound* or above."""
    if isinstance(matches, Bits):
        return matches.from_(bound)
    return {serial for serial in matches if serial >= bound}


def _below(matches: Matches, bound: int) -> Matches:
    """The serials of *matches* below *bound*."""
    if isinstance(matches, Bits):
        return matches.below(bound)
    return {serial for serial in matches if serial < bound}


_Words = frozenset[tuple[str, bool]]
"""A query whose every clause is one word: the words as FTS5 is asked them, each with
whether it is a prefix."""

_ONE_WORD = re.compile(r'"([^"]+)"(\*?)')


def _words_of(query: Query) -> _Words | None:
    """The words of *query* when it asks FTS5 for words alone (every clause one plain
    word, neither negated nor of the title), else None."""
    words: list[tuple[str, bool]] = []
    for clause in query.search_clauses:
        if len(clause) != 1:
            return None
        term = clause[0]
        if not isinstance(term, TextTerm) or term.negated or term.title_only:
            return None
        if term.needs_verifying:
            return None
        word = _ONE_WORD.fullmatch(_fts_expression(term))
        if word is None:
            return None
        words.append((word[1], bool(word[2])))
    return frozenset(words) if words else None


def _implied(before: _Words, now: _Words) -> bool:
    """Whether every article that has the words *now* has the words *before*: each
    prefix before begins a word now, and each whole word before is one now."""
    return all(
        any(word.startswith(old) for word, _ in now) if prefix else (old, False) in now
        for old, prefix in before
    )


def _clause_cost(clause: Clause) -> int:
    """Cheap, selective clauses first, so the costly ones see fewer candidates."""
    cost = 0
    for term in clause:
        if isinstance(term, TextTerm):
            cost = max(cost, 2 if term.needs_verifying else 1)
        elif isinstance(term, DateTerm):
            cost = max(cost, 3)
        elif isinstance(term, FieldTerm):
            cost = max(cost, 1)
        else:
            cost = max(cost, 4 if term.uses_state else 1)
    return cost
