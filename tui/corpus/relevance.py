"""Relevance: which of a query's matches are most about it, and which articles are alike.

Scores are FTS5's ``bm25()`` over a table of their own, with the title's words
weighted up (:data:`TITLE_WEIGHT`). The search index's tables cannot give them: they
keep no positions (``detail=none``), and without them ``bm25()`` scores every row 0,
since it needs how often each word occurs in each article and how long each is. This
table keeps both (``detail=full``), but no copy of the text (``content=''``).

Measured at 100,000 synthetic articles (``python -m bench.bench_relevance``): filling
it takes ~10 s of CPU, mostly in SQLite without the GIL, and ~220 MB on disk; the
scores of a word found in 53,000 articles take ~50 ms, the best 30 of them ~32 ms.
So it is filled after a load, never during one, and lives on disk: in the store's
file (written by the store's writer when it has nothing else to do, so a re-open
finds it ready), or without a store in a private temporary file SQLite deletes when
it is closed. Never in memory: at 100k it would double what the reader holds.

Its text is the search index's (:func:`index.relevance_columns`, FTS5's form),
tokenised the same way, so a query's words are found here as they are there; which
articles match is always the search's answer, never this table's: it only orders
them. What the table holds is decided in :mod:`corpus.index` (its shape and text),
so that a change to it makes stores stale; this module only asks it.
"""

from __future__ import annotations

import math
import re
import sqlite3
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .index import NAMES_TABLE_SQL, RELEVANCE_TABLE_SQL, _fts_expression, _term_key
from .query import Query, TextTerm

TITLE_WEIGHT = 4.0
"""How much more a word in the title counts than one in the body: a query's word in
the headline says more about what an article is about than one in passing."""

ROUND = 256
"""Articles added to the table per transaction (~25 ms of FTS5 work)."""

RELATED = 20
"""Articles a "related" list shows."""

_DISTINCTIVE = 12
"""Words of an article asked for to find the articles like it: enough to say what it
is about, few enough for FTS5 to answer in a few milliseconds."""

_CANDIDATES = 60
"""An article's most frequent words weighed for distinctiveness: each costs a look-up
of how many articles hold it (~0.05-1 ms, by how many)."""

_COMMON_SHARE = 0.2
"""A word in more than this share of a collection (of :data:`_COMMON_MINIMUM` or more)
tells too little about an article to find others like it: asked for, it would also
make FTS5 score most of the collection (67 ms at 100k, against ~10)."""

_COMMON_MINIMUM = 50

_STOPWORDS = frozenset(
    (
        "the",
        "and",
        "that",
        "with",
        "for",
        "from",
        "this",
        "have",
        "has",
        "had",
        "was",
        "were",
        "are",
        "been",
        "being",
        "its",
        "his",
        "her",
        "their",
        "they",
        "them",
        "she",
        "him",
        "who",
        "whom",
        "which",
        "what",
        "when",
        "where",
        "while",
        "will",
        "would",
        "shall",
        "should",
        "can",
        "could",
        "may",
        "might",
        "must",
        "not",
        "but",
        "nor",
        "yet",
        "also",
        "than",
        "then",
        "there",
        "here",
        "these",
        "those",
        "such",
        "into",
        "onto",
        "over",
        "under",
        "about",
        "after",
        "before",
        "since",
        "until",
        "upon",
        "said",
        "says",
        "say",
        "one",
        "two",
        "three",
        "more",
        "most",
        "other",
        "some",
        "any",
        "all",
        "each",
        "both",
        "few",
        "many",
        "much",
        "very",
        "just",
        "only",
        "own",
        "same",
        "too",
        "out",
        "off",
        "again",
        "further",
        "once",
        "why",
        "how",
        "our",
        "ours",
        "your",
        "yours",
    )
)
"""English words too common to say what an article is about (other languages' are
left out by how many articles hold them, in a collection large enough to tell)."""

_FREQUENCIES_KEPT = 100_000
"""Words whose frequencies are remembered, at most (~10 MB)."""

_WORD = re.compile(r"[0-9a-z_\u0080-\U0010ffff]+")
"""A token as FTS5's ``ascii`` tokenizer splits folded text: ASCII letters, digits and
``_``, and every character beyond ASCII."""

_INSERT_ROWS = 128
"""Rows per INSERT statement (3 parameters each, under SQLite's oldest limit of 999):
SQLite drops the GIL once for all of them."""


def ranking_terms(query: Query) -> list[TextTerm]:
    """The words and phrases the query asks for (not those it excludes), once each."""
    seen: dict[tuple[tuple[str, ...], bool, bool], TextTerm] = {}
    for clause in query.search_clauses:
        for term in clause:
            if isinstance(term, TextTerm) and not term.negated and term.tokens:
                seen.setdefault(_term_key(term), term)
    return list(seen.values())


def ranking_expression(query: Query) -> str | None:
    """FTS5's query whose bm25() ranks *query*'s matches: any of its positive words or
    phrases (a ``title:`` term in the title column); None when it asks for none (a
    date, a field or a mark alone: nothing to rank by)."""
    parts = []
    for term in ranking_terms(query):
        expression = _fts_expression(term)
        if not expression:
            continue
        parts.append(f"title : ({expression})" if term.title_only else f"({expression})")
    return " OR ".join(parts) or None


def words_of(text: str) -> list[str]:
    """The tokens FTS5 makes of folded *text*."""
    return _WORD.findall(text)


def distinctive_words(
    title: str, body: str, frequency: Callable[[list[str]], dict[str, int]], total: int
) -> list[str]:
    """The words that most say what an article is about: frequent in it, rare in the
    collection (tf·idf, the title's words counted :data:`TITLE_WEIGHT` times).
    *frequency* gives how many articles hold each word; *total* how many there are."""
    counts: Counter[str] = Counter()
    for text, each in ((body, 1.0), (title, TITLE_WEIGHT)):
        for word in words_of(text):
            if len(word) > 2 and not word.isdigit() and word not in _STOPWORDS:
                counts[word] += each  # type: ignore[assignment]
    if not counts:
        return []
    candidates = [word for word, _ in counts.most_common(_CANDIDATES)]
    held = frequency(candidates)
    common = total * _COMMON_SHARE if total >= _COMMON_MINIMUM else total

    def distinctiveness(word: str) -> float:
        documents = held.get(word, 0)
        if documents <= 1 or documents > common:  # only this one, or nearly every one
            return 0.0
        return counts[word] * math.log(1 + total / documents)

    ranked = sorted(candidates, key=distinctiveness, reverse=True)
    return [word for word in ranked[:_DISTINCTIVE] if distinctiveness(word) > 0]


@dataclass(frozen=True, slots=True)
class Ranking:
    """A query's matches, best first."""

    rows: list[int]
    """Serials: those the scores rank, best first (ties newest first), then the rest
    in date order."""
    scores: dict[int, float]
    """Serial → score (higher is better): bm25's, made positive."""
    unranked: int = 0
    """Matches without a score (listed last, in date order): the query's words are not
    in their text (a date or field term matched), or the table does not hold them yet."""


def share(score: float, best: float) -> int:
    """*score* as a percentage of the *best*: how it is shown. bm25's own numbers mean
    little alone, and in a small collection a word in most articles scores ~1e-6
    (FTS5 floors a negative idf), so every raw score would read 0.00."""
    return round(100 * score / best) if best > 0 else 0


def rank(date_rows: Sequence[int], scores: dict[int, float]) -> Ranking:
    """*date_rows* (the matches in date order) best first by *scores*; a stable sort,
    so equal scores keep their date order, and those without a score come last."""
    scored = [serial for serial in date_rows if serial in scores]
    scored.sort(key=scores.__getitem__, reverse=True)
    rest: list[int] = []
    if len(scored) < len(date_rows):
        rest = [serial for serial in date_rows if serial not in scores]
    return Ranking(scored + rest, scores, len(rest))


class RelevanceTable:
    """One FTS5 table with positions in a SQLite file, keyed by the owner's keys (store
    rows, or serials). Reads and writes may come from any thread: each takes the lock
    of the connection it uses."""

    def __init__(
        self,
        writer: sqlite3.Connection,
        reader: sqlite3.Connection,
        *,
        lock: threading.Lock | None = None,
        name: str = "relevance",
    ) -> None:
        self.name = name
        self._writer = writer
        self._write_lock = lock if lock is not None else threading.Lock()
        self._reader = reader
        # One connection for both (a temporary file has no second): one lock.
        self._read_lock = self._write_lock if reader is writer else threading.Lock()
        self._vocabulary = False
        self._frequency: dict[str, int] = {}
        """Rows holding each word, as last looked up: a related list asked again, or
        of a similar article, asks again mostly for the same words. Close enough while
        the table grows (an idf moves little), and dropped when it has grown large."""

    @classmethod
    def temporary(cls) -> RelevanceTable:
        """A table in a private file of its own, deleted when closed (no store)."""
        # "": a temporary database on disk, not in memory (SQLite's own rule), so a
        # 100k collection's ~220 MB of positions stay out of the reader's memory.
        connection = sqlite3.connect("", check_same_thread=False, isolation_level=None)
        cls.create(connection)
        return cls(connection, connection)

    @staticmethod
    def create(connection: sqlite3.Connection, name: str = "relevance") -> None:
        """Make the table, and the one beside it that keeps each article's names (the
        facets' people, places and organisations: :func:`names.names_in`)."""
        connection.execute(RELEVANCE_TABLE_SQL.format(name=name))
        connection.execute(NAMES_TABLE_SQL)

    # ------------------------------------------------------------------ writing

    def insert(self, rows: Sequence[tuple[int, str, str, str]]) -> None:
        """Add (key, title, body, names) rows, in one transaction."""
        with self._write_lock:
            self._writer.execute("BEGIN IMMEDIATE")
            try:
                self.insert_locked(rows)
            except BaseException:
                self._writer.execute("ROLLBACK")
                raise
            self._writer.execute("COMMIT")

    def insert_locked(self, rows: Sequence[tuple[int, str, str, str]]) -> None:
        """Add rows in the caller's transaction (it holds the writer's lock); names are
        one a line."""
        for start in range(0, len(rows), _INSERT_ROWS):
            part = rows[start : start + _INSERT_ROWS]
            values: list[object] = []
            for key, title, body, _ in part:
                values += (key, title, body)
            self._writer.execute(
                f"INSERT INTO {self.name}(rowid, title, body) VALUES "
                + ", ".join(["(?, ?, ?)"] * len(part)),
                values,
            )
        self._writer.executemany(
            "INSERT OR REPLACE INTO article_names(id, names) VALUES (?, ?)",
            ((key, names) for key, _, _, names in rows),
        )

    def remove_locked(self, key: int, title: str, body: str) -> None:
        """Forget *key* (the caller holds the writer and its transaction). A
        contentless table forgets a row only when told the text it was given, and
        telling it about a row it does not hold would corrupt it: so it is asked first."""
        held = self._writer.execute(
            f"SELECT 1 FROM {self.name}_docsize WHERE id = ?", (key,)
        ).fetchone()
        if held is not None:
            self._writer.execute(
                f"INSERT INTO {self.name}({self.name}, rowid, title, body) "
                "VALUES ('delete', ?, ?, ?)",
                (key, title, body),
            )
        self._writer.execute("DELETE FROM article_names WHERE id = ?", (key,))

    def clear_locked(self) -> None:
        self._writer.execute(f"INSERT INTO {self.name}({self.name}) VALUES ('delete-all')")
        self._writer.execute("DELETE FROM article_names")

    # ------------------------------------------------------------------ reading

    def count(self) -> int:
        with self._read_lock:
            return int(
                self._reader.execute(f"SELECT count(*) FROM {self.name}_docsize").fetchone()[0]
            )

    def scores(self, expression: str) -> list[tuple[int, float]]:
        """(key, score) of every row *expression* finds; the higher, the better."""
        # A tuple a row: joining them into strings in SQL (bm25() cannot be asked in
        # an aggregate's subquery unless it is materialised) cost more, formatting
        # 79,000 floats, than the tuples did (102 ms against 80).
        sql = (
            f"SELECT rowid, -bm25({self.name}, {TITLE_WEIGHT}, 1.0) FROM {self.name} "
            f"WHERE {self.name} MATCH ?"
        )
        with self._read_lock:
            try:
                return self._reader.execute(sql, (expression,)).fetchall()
            except sqlite3.OperationalError:
                return []  # a word FTS5 will not take as written: nothing to rank by

    def best(self, expression: str, limit: int) -> list[tuple[int, float]]:
        """The *limit* best (key, score) *expression* finds, best first."""
        sql = (
            f"SELECT rowid, -bm25({self.name}, {TITLE_WEIGHT}, 1.0) AS score FROM {self.name} "
            f"WHERE {self.name} MATCH ? ORDER BY score DESC LIMIT ?"
        )
        with self._read_lock:
            try:
                return self._reader.execute(sql, (expression, limit)).fetchall()
            except sqlite3.OperationalError:
                return []

    def names(self) -> list[tuple[int, str]]:
        """(key, its names one a line) of every article the table holds."""
        with self._read_lock:
            return self._reader.execute("SELECT id, names FROM article_names").fetchall()

    def frequencies(self, words: Iterable[str]) -> dict[str, int]:
        """How many rows hold each of *words*.

        One look-up a word: fts5vocab counts a word's rows by reading its list of
        them, and asked ``term IN (…)`` it read every word's (0.33 s at 100k)."""
        found: dict[str, int] = {}
        known = self._frequency
        with self._read_lock:
            if not self._vocabulary:
                self._reader.execute(
                    f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{self.name}_vocabulary "
                    f"USING fts5vocab(main, {self.name}, 'row')"
                )
                self._vocabulary = True
            ask = f"SELECT doc FROM temp.{self.name}_vocabulary WHERE term = ?"
            for word in words:
                count = known.get(word)
                if count is None:
                    row = self._reader.execute(ask, (word,)).fetchone()
                    count = known[word] = row[0] if row is not None else 0
                found[word] = count
        if len(known) > _FREQUENCIES_KEPT:
            known.clear()
        return found

    def related(self, title: str, body: str, exclude: int) -> list[tuple[int, float]]:
        """The :data:`RELATED` rows most like the article of that title and body (not
        *exclude*, its own key): bm25 over its most distinctive words."""
        words = distinctive_words(title, body, self.frequencies, max(1, self.count()))
        if not words:
            return []
        expression = " OR ".join(f'"{word}"' for word in words)
        found = self.best(expression, RELATED + 1)
        return [(key, score) for key, score in found if key != exclude][:RELATED]

    def close_reader(self) -> None:
        """Close the connection it reads through (a store closes its own)."""
        with self._read_lock:
            self._reader.close()

    def close(self) -> None:
        """Close both connections (a temporary table: its file goes)."""
        self.close_reader()
        if self._writer is not self._reader:
            with self._write_lock:
                self._writer.close()
