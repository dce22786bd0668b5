"""What makes search fast: an in-memory SQLite FTS5 word index and per-article date arrays.

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
(or pure-ASCII text, which its ``ascii`` tokenizer folds and splits exactly as
``\\w+`` over ``text.lower()`` would), so its words are the scanner's words. With
``detail=none`` it keeps no positions: a phrase's candidates are the articles having
all its words, then each is re-read with the same regex :meth:`Query.matches` uses.
Dates and ``is:`` are evaluated from small per-article arrays. The result is, by
construction and by test, the same set that scanning every article would give.

If this Python's SQLite lacks FTS5 the index falls back to scanning (correct, slower).
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import re
import sqlite3
import threading
from array import array
from collections import OrderedDict
from collections.abc import Collection, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Literal

from .model import Article
from .query import (
    MAX_ORDINAL,
    Clause,
    DateTerm,
    Query,
    StateTerm,
    StateView,
    Term,
    TextTerm,
    article_span,
    normalise,
    state_matches,
)

__all__ = ["SearchIndex", "fts5_available"]

Backend = Literal["fts5", "scan"]

_NON_WORD = re.compile(r"[^\w\x00-\x7f]+")
"""Non-ASCII characters that are not word characters: FTS5's ascii tokenizer would
otherwise keep them inside words (it treats every non-ASCII character as a letter)."""

_BROAD = re.compile(r'"\w{1,2}"\*')
"""A one- or two-letter prefix alone: worth counting before fetching."""

_CACHE_ITEMS = 1_500_000
"""Serials held by the term-result cache, in total (about 60 MB at worst)."""

_TABLE_SQL = (
    "CREATE VIRTUAL TABLE {name} USING fts5(text, content='', detail=none, columnsize=0, "
    "tokenize=\"ascii tokenchars '_'\", prefix='1,2')"
)
# content='' keeps no copy of the text (the articles hold it); detail=none keeps no
# positions (phrases are verified by re-reading); prefix='1,2' keeps one- and two-letter
# prefix look-ups, the first keystrokes of every word, from merging thousands of words.


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


def fts_text(text: str) -> str:
    """Text for FTS5 whose ascii-tokenizer words are exactly ``tokenise(text)``."""
    if text.isascii():
        return text
    return _NON_WORD.sub(" ", normalise(text))


_SPACED_OUT = tuple(
    char.encode("utf-8") for char in "\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u00a0"
)
"""Typographic quotes, dashes, ellipsis and no-break space: the usual reason a news text
is not ASCII. None holds a word character even after normalising, so turning each into
a space leaves the words alone and lets most articles take the ASCII path."""


def _ascii_body(article: Article) -> bytes | None:
    """The body as ASCII bytes with the same words, or None if it has non-ASCII letters."""
    body = article.body
    if not body.isascii():
        for sequence in _SPACED_OUT:
            if sequence in body:
                body = body.replace(sequence, b" ")
        if not body.isascii():
            return None
    return body


_SPACED_OUT_TEXT = str.maketrans(
    dict.fromkeys("\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u00a0", " ")
)


def _fold_title(title: str) -> str:
    """``normalise(title)`` up to typographic punctuation, which no pattern can match."""
    if not title.isascii():
        spaced = title.translate(_SPACED_OUT_TEXT)
        if spaced.isascii():
            return spaced.lower()
    return normalise(title)


def _body_text(article: Article) -> tuple[str, bool]:
    """The words-table text, and whether the body is plain (ASCII bar typography)."""
    body = _ascii_body(article)
    text = body.decode("ascii") if body is not None else fts_text(article.text)
    return fts_text(article.title) + "\n" + text, body is not None


def _fts_expression(term: TextTerm) -> str:
    parts = [f'"{token}"' for token in term.tokens]
    if term.prefix:
        parts[-1] += "*"
    return " AND ".join(parts)


def _term_key(term: TextTerm) -> tuple[tuple[str, ...], bool, bool]:
    return term.tokens, term.prefix, term.title_only


class SearchIndex:
    """Serials of the articles matching a :class:`Query`, fast, for a growing corpus.

    ``add`` may run in one thread while ``search`` runs in another: a lock serialises
    them a chunk of articles at a time, so a search waits for at most one chunk.
    """

    chunk_size = 256
    """Articles per insert transaction and shard: a search waits for at most one round."""

    def __init__(self, *, backend: Backend | None = None, shards: int | None = None) -> None:
        if backend is None:
            backend = "fts5" if fts5_available() else "scan"
        self.backend: Backend = backend
        self._lock = threading.RLock()
        self._articles: list[Article] = []
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
        self._all: frozenset[int] | None = None
        self._cache: OrderedDict[tuple[str, str], frozenset[int]] = OrderedDict()
        self._cached_items = 0
        self._verified: dict[tuple[tuple[str, ...], bool, bool], dict[int, bool]] = {}
        self._previous: tuple[set[int], int] | None = None
        self._shards: list[sqlite3.Connection] = []
        """Independent FTS5 databases, each holding every n-th chunk of articles. SQLite
        drops the GIL while it indexes, so two shards fill two cores (1.6× faster here);
        a query asks each and joins the answers."""
        self._pool: ThreadPoolExecutor | None = None
        if backend == "fts5":
            count = shards if shards is not None else min(2, os.cpu_count() or 1)
            for _ in range(max(1, count)):
                connection = sqlite3.connect(
                    ":memory:", check_same_thread=False, isolation_level=None
                )
                connection.execute(_TABLE_SQL.format(name="words"))
                connection.execute(_TABLE_SQL.format(name="titles"))
                self._shards.append(connection)

    def __len__(self) -> int:
        return len(self._articles)

    # ------------------------------------------------------------------ building

    def add(self, articles: Iterable[Article]) -> None:
        """Index a batch; serials must continue from ``len(self)`` (the Corpus's load order).

        Chunks go to the shards in turn and a round of them is indexed in parallel.
        """
        batch = list(articles)
        size = self.chunk_size
        per_round = size * max(1, len(self._shards))
        for start in range(0, len(batch), per_round):
            chunks = [
                batch[offset : offset + size]
                for offset in range(start, min(len(batch), start + per_round), size)
            ]
            self._add_round(chunks)

    def _add_round(self, chunks: list[list[Article]]) -> None:
        with self._lock:
            expected = len(self._articles)
            for article in itertools.chain.from_iterable(chunks):
                if article.serial != expected:
                    raise ValueError(
                        f"article serial {article.serial} out of order: expected {expected}"
                    )
                expected += 1
            if not self._shards:
                plain = [
                    bytearray(_ascii_body(article) is not None for article in chunk)
                    for chunk in chunks
                ]
            elif len(chunks) == 1:
                plain = [self._insert(self._shards[0], chunks[0])]
            else:
                if self._pool is None:
                    self._pool = ThreadPoolExecutor(
                        len(self._shards), thread_name_prefix="search-index"
                    )
                futures = [
                    self._pool.submit(self._insert, shard, chunk)
                    for shard, chunk in zip(self._shards, chunks, strict=False)
                ]
                plain = [future.result() for future in futures]
            for chunk, flags in zip(chunks, plain, strict=True):
                self._plain.extend(flags)
                self._register(chunk)
            self._all = None
            self._cache.clear()
            self._cached_items = 0
            # Verified phrase results stay valid: they are per article, and articles
            # never change once added.

    @staticmethod
    def _insert(shard: sqlite3.Connection, chunk: list[Article]) -> bytearray:
        """Prepare and insert one chunk into one shard; runs in a pool thread.

        Preparing holds the GIL, inserting does not: two shards' threads interleave.
        """
        plain = bytearray(len(chunk))
        words: list[tuple[int, str]] = []
        titles: list[tuple[int, str]] = []
        for offset, article in enumerate(chunk):
            text, plain[offset] = _body_text(article)
            words.append((article.serial, text))
            titles.append((article.serial, fts_text(article.title)))
        shard.execute("BEGIN")
        try:
            shard.executemany("INSERT INTO words(rowid, text) VALUES (?, ?)", words)
            shard.executemany("INSERT INTO titles(rowid, text) VALUES (?, ?)", titles)
        except BaseException:
            shard.execute("ROLLBACK")
            raise
        shard.execute("COMMIT")
        return plain

    def _register(self, chunk: list[Article]) -> None:
        for article in chunk:
            serial = article.serial
            span = article_span(article)
            if span is None or article.date is None:
                self._first.append(0)
                self._last.append(0)
                self._undated.add(serial)
            else:
                self._first.append(span[0])
                self._last.append(span[1])
                self._by_year.setdefault(article.date.year, []).append(serial)
                if article.date.source == "inferred":
                    self._inferred.add(serial)
            self._articles.append(article)

    # ------------------------------------------------------------------ searching

    def search(
        self,
        query: Query,
        state: StateView | None = None,
        within: Collection[int] | None = None,
    ) -> set[int] | None:
        """Serials of the indexed articles matching *query*; ``None`` for an empty query.

        *within*, when given, limits the answer to those serials: pass the previous
        result when ``query.narrows(previous_query)``. If it is the set this index
        returned last, articles added since are searched too.
        """
        if query.is_empty():
            return None
        with self._lock:
            count = len(self._articles)
            candidates = self._start(within, count)
            clauses = list(query.clauses)
            if self._shards:
                candidates, clauses = self._pushed_down(clauses, candidates)
            clauses.sort(key=_clause_cost)
            for clause in clauses:
                if candidates is not None and not candidates:
                    break
                candidates = self._clause(clause, candidates, state)
            if candidates is None:
                result = set(range(count))
            elif isinstance(candidates, frozenset) or candidates is within:
                result = set(candidates)
            else:
                result = candidates
            self._previous = (result, count)
            return result

    def _start(
        self, within: Collection[int] | None, count: int
    ) -> set[int] | frozenset[int] | None:
        if within is None:
            return None
        previous = self._previous
        if previous is not None and within is previous[0] and previous[1] < count:
            extended = set(within)
            extended.update(range(previous[1], count))
            return extended
        if isinstance(within, (set, frozenset)):
            return within
        return set(within)

    def _everything(self) -> frozenset[int]:
        if self._all is None or len(self._all) != len(self._articles):
            self._all = frozenset(range(len(self._articles)))
        return self._all

    def _pushed_down(
        self, clauses: list[Clause], candidates: set[int] | frozenset[int] | None
    ) -> tuple[set[int] | frozenset[int] | None, list[Clause]]:
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
                expression = " OR ".join(f"({_fts_expression(t)})" for t in negative)
                excluded = self._match("words", expression)
                base = candidates if candidates is not None else self._everything()
                candidates = base - excluded
            return candidates, rest
        parts = [
            "(" + " OR ".join(f"({_fts_expression(t)})" for t in clause) + ")"  # type: ignore[arg-type]
            for clause in positive
        ]
        expression = " AND ".join(parts)
        if negative:
            expression += " NOT (" + " OR ".join(f"({_fts_expression(t)})" for t in negative) + ")"
        found = self._match("words", expression)
        if candidates is None or found is not self._all:
            candidates = found if candidates is None else _intersect(candidates, found)
        for clause in positive:
            term = clause[0]
            if len(clause) == 1 and isinstance(term, TextTerm) and term.needs_verifying:
                candidates = {s for s in candidates if self._verify(term, s)}
        return candidates, rest

    def _clause(
        self, clause: Clause, candidates: set[int] | frozenset[int] | None, state: StateView | None
    ) -> set[int] | frozenset[int]:
        if len(clause) == 1:
            return self._term(clause[0], candidates, state)
        union: set[int] = set()
        for term in clause:
            union |= self._term(term, candidates, state)
        return union

    def _term(
        self, term: Term, candidates: set[int] | frozenset[int] | None, state: StateView | None
    ) -> set[int] | frozenset[int]:
        found = self._positive(term, candidates, state)
        if not term.negated:
            return found
        base = candidates if candidates is not None else self._everything()
        return base - found

    def _positive(
        self, term: Term, candidates: set[int] | frozenset[int] | None, state: StateView | None
    ) -> set[int] | frozenset[int]:
        """Serials (within *candidates*, if given) matching *term* taken as positive."""
        if isinstance(term, TextTerm):
            return self._text(term, candidates)
        if isinstance(term, DateTerm):
            return self._dates(term, candidates)
        return self._state(term, candidates, state)

    def _text(
        self, term: TextTerm, candidates: set[int] | frozenset[int] | None
    ) -> set[int] | frozenset[int]:
        if not self._shards:
            base = candidates if candidates is not None else range(len(self._articles))
            return {s for s in base if self._verify(term, s)}
        found: set[int] | frozenset[int] = self._match(
            "titles" if term.title_only else "words", _fts_expression(term)
        )
        if candidates is not None:
            found = candidates if found is self._all else _intersect(candidates, found)
        if term.needs_verifying:
            found = {s for s in found if self._verify(term, s)}
        return found

    def _dates(
        self, term: DateTerm, candidates: set[int] | frozenset[int] | None
    ) -> set[int] | frozenset[int]:
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

    def _state(
        self, term: StateTerm, candidates: set[int] | frozenset[int] | None, state: StateView | None
    ) -> set[int] | frozenset[int]:
        if term.name == "undated":
            found: set[int] | frozenset[int] = self._undated
        elif term.name == "inferred":
            found = self._inferred
        else:
            articles = self._articles
            base = candidates if candidates is not None else range(len(articles))
            return {s for s in base if state_matches(term.name, articles[s], state)}
        return set(found) if candidates is None else _intersect(candidates, found)

    # ------------------------------------------------------------------ primitives

    def _match(self, table: str, expression: str) -> frozenset[int]:
        """Serials FTS5 finds for *expression*, remembered until the next add."""
        key = (table, expression)
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        sql = f"SELECT {{}} FROM {table} WHERE {table} MATCH ?"
        found: frozenset[int] | None = None
        if _BROAD.fullmatch(expression):
            # The first keystroke of a word matches almost everything: counting in C is
            # ten times cheaper than fetching every serial, and often says "all".
            count = sum(
                shard.execute(sql.format("count(*)"), (expression,)).fetchone()[0]
                for shard in self._shards
            )
            if count == len(self._articles):
                found = self._everything()
        if found is None:
            # One string per shard, parsed in C, beats building a tuple per row.
            parts = [
                shard.execute(sql.format("group_concat(rowid)"), (expression,)).fetchone()[0]
                for shard in self._shards
            ]
            joined = ",".join(part for part in parts if part)
            found = frozenset(map(int, joined.split(","))) if joined else frozenset()
        self._cache[key] = found
        self._cached_items += len(found)
        while self._cached_items > _CACHE_ITEMS and len(self._cache) > 1:
            _, dropped = self._cache.popitem(last=False)
            self._cached_items -= len(dropped)
        return found

    def _verify(self, term: TextTerm, serial: int) -> bool:
        """Re-read one article for a text term (a phrase, or anything when scanning)."""
        key = _term_key(term)
        known = self._verified.get(key)
        if known is None:
            if len(self._verified) > 64:
                self._verified.clear()
            known = self._verified[key] = {}
        hit = known.get(serial)
        if hit is not None:
            return hit
        article = self._articles[serial]
        pattern = _patterns(term)
        found = pattern[0].search(_fold_title(article.title)) is not None
        if not found and not term.title_only:
            if pattern[1] is not None and self._plain[serial]:
                found = pattern[1].search(article.body.lower()) is not None
            else:
                found = pattern[0].search(normalise(article.text)) is not None
        if self._shards:  # scanning keeps no per-article memo: it would grow to N
            known[serial] = found
        return found


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


def _intersect(
    a: set[int] | frozenset[int], b: set[int] | frozenset[int]
) -> set[int] | frozenset[int]:
    return a & b if len(a) <= len(b) else b & a


def _clause_cost(clause: Clause) -> int:
    """Cheap, selective clauses first, so the costly ones see fewer candidates."""
    cost = 0
    for term in clause:
        if isinstance(term, TextTerm):
            cost = max(cost, 2 if term.needs_verifying else 1)
        elif isinstance(term, DateTerm):
            cost = max(cost, 3)
        else:
            cost = max(cost, 4 if term.uses_state else 1)
    return cost
