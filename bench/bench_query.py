"""Benchmark the search index: build time, memory, and per-keystroke query time.

    python -m bench.bench_query                 # 10,000 and 100,000 synthetic articles
    python -m bench.bench_query --sizes 10000   # just one size
    python -m bench.bench_query --corpus DIR    # a real folder (or bench.make_corpus output)

Each (structure, size) runs in its own process so memory figures do not mix. Three
structures are compared:

- ``fts5``: :class:`tui.corpus.index.SearchIndex` (SQLite FTS5, what the app uses),
  with its default shards (one per core, at most two);
- ``fts5-1``: the same with one shard, to show what the parallel fill buys;
- ``scan``: the same class with ``backend="scan"``, reading every article per query
  (the baseline; run at the smallest size only, it is slow);
- ``dict``: a pure-Python inverted index (dict of ``array('I')`` posting lists, sorted
  vocabulary + bisect for prefixes), built here to measure what FTS5 replaced. Its
  query column times single-word prefix look-ups only, as it answers nothing else.

Typing is simulated one character at a time, as the filter bar does: a text that does
not parse keeps the last good result (its time is the parse attempt), and a query that
``narrows()`` the last good one searches ``within`` its result. Times are wall-clock
medians/p95 over all keystrokes of all queries; nothing here is asserted by tests.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import random
import re
import subprocess
import sys
import time
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Sequence

from tui.corpus.dates import ArticleDate
from tui.corpus.model import Article, load_corpus
from tui.corpus.query import Query, QueryError, parse_query
from tui.corpus.text import normalise

TYPED_QUERIES = [
    "pakistan russia",
    "zanzibarite",
    "sco -putin",
    "date:2024 trade",
    '"prime minister"',
    "sco putin OR xi",
    "title:moscow energy",
    "cafe after:2020",
]

_SYLLABLES = [
    "ka",
    "ri",
    "to",
    "man",
    "ser",
    "lo",
    "vi",
    "an",
    "dor",
    "pe",
    "qua",
    "zu",
    "el",
    "tin",
    "bra",
    "go",
    "mi",
    "nes",
    "ul",
    "cha",
    "re",
    "sto",
    "ph",
    "ay",
    "ben",
    "gor",
    "lit",
    "ova",
    "esh",
    "dra",
    "mun",
    "ti",
    "sa",
    "ro",
]
_COMMON = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "is",
    "that",
    "for",
    "on",
    "was",
    "with",
    "as",
    "by",
    "it",
    "said",
    "at",
    "from",
    "he",
    "his",
    "be",
    "has",
    "an",
    "are",
    "have",
    "not",
    "this",
    "which",
    "but",
    "were",
    "they",
    "their",
    "its",
    "who",
    "had",
    "been",
    "after",
    "also",
    "more",
    "than",
    "one",
]
_TOPICAL = [
    "pakistan",
    "russia",
    "russian",
    "china",
    "chinese",
    "putin",
    "xi",
    "sco",
    "trade",
    "minister",
    "prime",
    "president",
    "islamabad",
    "moscow",
    "beijing",
    "energy",
    "cooperation",
    "café",
    "Türkiye",
    "olympics",
    "winter",
    "naïve",
]


def synthesise(count: int, seed: int = 1) -> list[Article]:
    """Articles with a Zipfian vocabulary of 50,000 words, ~600 words each.

    Paragraphs are drawn from a shared pool plus one fresh paragraph per article
    (generating 60 million independent words would take longer than the benchmark).
    1% mention "zanzibarite", 5% "Prime Minister", a third use curly apostrophes
    (the non-ASCII path); 10% undated, the rest at day, month or year precision.
    """
    rng = random.Random(seed)
    words = list(_COMMON)
    seen = set(words)
    while len(words) < 50_000:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    for rank, word in enumerate(_TOPICAL):
        words.insert(150 + rank * 60, word)
    words = words[:50_000]
    weights = list(itertools.accumulate(1.0 / (rank + 1) for rank in range(len(words))))

    def paragraph(size: int) -> str:
        tokens = rng.choices(words, cum_weights=weights, k=size)
        sentences = []
        for start in range(0, size, 15):
            sentence = tokens[start : start + 15]
            sentence[0] = sentence[0].capitalize()
            sentences.append(" ".join(sentence) + ".")
        return " ".join(sentences)

    pool = [paragraph(100) for _ in range(min(20_000, max(200, count // 5)))]
    articles = []
    for serial in range(count):
        paragraphs = [*rng.sample(pool, 5), paragraph(100)]
        if rng.random() < 0.01:
            paragraphs[rng.randrange(6)] += " The zanzibarite deposits were noted."
        if rng.random() < 0.05:
            paragraphs[rng.randrange(6)] += " The Prime Minister met officials."
        if rng.random() < 0.33:
            paragraphs[0] = paragraphs[0].replace(" the ", " the country’s “main” ", 2)
        body = "\n".join(paragraphs)
        roll = rng.random()
        date: ArticleDate | None
        if roll < 0.1:
            date = None
        else:
            year = rng.randint(2000, 2025)
            if roll < 0.8:
                date = ArticleDate(year, rng.randint(1, 12), rng.randint(1, 28))
            elif roll < 0.9:
                date = ArticleDate(year, rng.randint(1, 12))
            else:
                date = ArticleDate(year, source="inferred")
        articles.append(
            Article(
                key=f"{serial:032x}",
                id=f"{serial:010x}",
                path=f"synthetic/{serial:06d}.txt",
                title=paragraphs[0][:80],
                title_source="headline",
                date=date,
                date_text=None,
                date_line=None,
                source=None,
                author=None,
                words=600,
                body=body.encode("utf-8"),
                serial=serial,
            )
        )
    return articles


class DictIndex:
    """The pure-Python alternative: normalised word → sorted serials, bisect for prefixes."""

    _WORD = re.compile(r"\w+")

    def __init__(self) -> None:
        self.postings: dict[str, array[int]] = {}
        self.vocabulary: list[str] = []

    def add(self, articles: Iterable[Article]) -> None:
        postings = self.postings
        for article in articles:
            serial = article.serial
            text = article.title + "\n" + article.text
            for word in set(self._WORD.findall(normalise(text))):
                found = postings.get(word)
                if found is None:
                    postings[word] = found = array("I")
                found.append(serial)
        self.vocabulary = sorted(postings)

    def prefix(self, prefix: str) -> set[int]:
        start = bisect_left(self.vocabulary, prefix)
        stop = bisect_left(self.vocabulary, prefix + "\U0010ffff")
        result: set[int] = set()
        for word in self.vocabulary[start:stop]:
            result.update(self.postings[word])
        return result


def _rss_mb() -> float:
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    except OSError:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


def _percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def _articles(size: int, corpus: str | None) -> list[Article]:
    if corpus:
        return load_corpus([corpus]).by_serial[:size]
    return synthesise(size)


def _typing(index: object, queries: list[str]) -> list[float]:
    """Per-keystroke seconds: parse, decide narrowing, search, as the app will."""
    from tui.corpus.index import SearchIndex

    assert isinstance(index, SearchIndex)
    times = []
    for text in queries:
        good: Query | None = None
        result: set[int] | None = None
        for end in range(1, len(text) + 1):
            started = time.perf_counter()
            try:
                query = parse_query(text[:end])
            except QueryError:
                times.append(time.perf_counter() - started)
                continue
            within = (
                result if good is not None and result is not None and query.narrows(good) else None
            )
            result = index.search(query, within=within)
            good = query
            times.append(time.perf_counter() - started)
    return times


def child(structure: str, size: int, corpus: str | None) -> dict[str, object]:
    articles = _articles(size, corpus)
    raw = sum(len(a.body) + len(a.title.encode("utf-8", "surrogatepass")) for a in articles)
    gc.collect()
    before = _rss_mb()
    started = time.perf_counter()
    if structure == "dict":
        dict_index = DictIndex()
        for start in range(0, len(articles), 1000):
            dict_index.add(articles[start : start + 1000])
        build = time.perf_counter() - started
        gc.collect()
        memory = _rss_mb() - before
        times = []
        for text in ("pakistan", "zanzibarite", "sco", "trade", "moscow"):
            for end in range(1, len(text) + 1):
                began = time.perf_counter()
                dict_index.prefix(normalise(text[:end]))
                times.append(time.perf_counter() - began)
        keys = sum(map(len, dict_index.postings.values()))
        note = f"{len(dict_index.postings)} words, {keys} postings; word prefixes only"
    else:
        from tui.corpus.index import SearchIndex

        if structure == "scan":
            index = SearchIndex(backend="scan")
        else:
            index = SearchIndex(backend="fts5", shards=1 if structure == "fts5-1" else None)
        for start in range(0, len(articles), 1000):
            index.add(articles[start : start + 1000])
        build = time.perf_counter() - started
        gc.collect()
        memory = _rss_mb() - before
        queries = TYPED_QUERIES if structure != "scan" else TYPED_QUERIES[:3]
        times = _typing(index, queries)
        shards = f"{len(index._shards)} shard(s), " if index._shards else ""
        note = f"{shards}{len(times)} keystrokes over {len(queries)} typed queries"
    return {
        "structure": structure,
        "size": len(articles),
        "raw_mb": raw / 1e6,
        "build_s": build,
        "memory_mb": memory,
        "p50_ms": _percentile(times, 0.5) * 1e3,
        "p95_ms": _percentile(times, 0.95) * 1e3,
        "max_ms": max(times) * 1e3,
        "note": note,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--structures", default="fts5,fts5-1,dict,scan")
    parser.add_argument("--corpus", help="a folder of articles instead of synthetic ones")
    parser.add_argument("--scan-max", type=int, default=10_000, help="largest size to scan")
    parser.add_argument("--child", nargs=2, metavar=("STRUCTURE", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child[0], int(args.child[1]), args.corpus)))
        return 0
    sizes = [int(size) for size in args.sizes.split(",")]
    rows = []
    columns = ["raw MB", "build s", "mem MB", "mem/raw", "p50 ms", "p95 ms", "max ms"]
    header = f"{'structure':9} {'articles':>8} " + " ".join(f"{c:>7}" for c in columns)
    print(header + "  note", flush=True)
    for size in sizes:
        for structure in args.structures.split(","):
            if structure == "scan" and size > args.scan_max:
                continue
            command = [sys.executable, "-m", "bench.bench_query", "--child", structure, str(size)]
            if args.corpus:
                command += ["--corpus", args.corpus]
            output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            row = json.loads(output.strip().splitlines()[-1])
            rows.append(row)
            print(
                f"{row['structure']:9} {row['size']:>8} {row['raw_mb']:>7.1f} "
                f"{row['build_s']:>7.2f} "
                f"{row['memory_mb']:>7.1f} {row['memory_mb'] / row['raw_mb']:>7.2f} "
                f"{row['p50_ms']:>7.2f} {row['p95_ms']:>7.2f} {row['max_ms']:>7.1f}  {row['note']}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
