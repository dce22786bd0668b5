"""Time queries of every shape at 50,000 articles against the 1 s budget (issue 12, item 10).

    python -m bench.bench_queries_shape                 # 50,000 synthetic articles
    python -m bench.bench_queries_shape --size 10000    # another size

Issue 12 timed, at 50k files: 1,000 terms joined by OR 41 s on the command line,
1,000 negated terms 42 s, 5,000 terms over 60 s, and ``is:read OR is:unread`` repeated
200 times 2.2 s in the filter bar. A query now has at most ``MAX_TERMS`` terms and is
compiled to a bounded plan (``tui.corpus.query.compile_plan``). Each shape below is
timed two ways, parsing included:

- ``bar``: ``SearchIndex.search`` on a full FTS5 index, as a filter-bar keystroke; the
  command line answers the same way (``--list --query`` asks the store's index, or
  with ``--no-cache`` the index it builds as it loads);
- ``scan``: ``matches_prepared`` over every article's prepared text: how the index
  answers for articles not in FTS5 yet, while a load is on (one core).

Articles come from ``bench.bench_query.synthesise`` (Zipfian words, ~4 KB each).
Queries past the limits are refused, and the time to refuse them is shown. Figures
are wall-clock, best of ``--repeat``; nothing here is asserted by tests.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable

from tui.corpus.index import SearchIndex, matches_prepared, prepare
from tui.corpus.query import MAX_TERMS, Query, QueryError, parse_query

from .bench_query import synthesise

BUDGET_S = 1.0


class _State:
    """A third of the articles read, a tenth flagged."""

    def is_read(self, key: str) -> bool:
        return hash(key) % 3 == 0

    def is_flagged(self, key: str) -> bool:
        return hash(key) % 10 == 0


def shapes(common: list[str], absent: list[str]) -> list[tuple[str, str]]:
    """(name, query text) of the issue's shapes and the worst ones within the limits."""
    n = MAX_TERMS
    pairs = list(zip(common[:n], common[1 : n + 1], strict=True))
    # Words in most articles, side by side in few: every article is a candidate for
    # many of these phrases and holds none (the worst case of re-reading).
    rarer = list(zip(common[30 : 30 + n], common[31 : 31 + n], strict=True))
    years = [f"date:{2000 + i // 12}-{i % 12 + 1:02d}" for i in range(n)]
    return [
        ("issue: 1,000 terms joined by OR", " OR ".join(absent[:1000])),
        ("issue: 1,000 negated terms", " ".join("-" + w for w in absent[:1000])),
        ("issue: 5,000 terms", " ".join(common[i % len(common)] for i in range(5000))),
        ("issue: is:read OR is:unread x200", " ".join(["is:read OR is:unread"] * 200)),
        ("one word (reference)", common[5]),
        (f"{n} absent words joined by OR", " OR ".join(absent[:n])),
        (f"{n} common words joined by OR", " OR ".join(common[:n])),
        (f"{n} negated absent words", " ".join("-" + w for w in absent[:n])),
        (f"{n} negated common words", " ".join("-" + w for w in common[:n])),
        (f"{n} common words (AND)", " ".join(common[:n])),
        (f"{n} prefixes of common words (AND)", " ".join(w[:2] for w in common[:n])),
        (f"{n} phrases joined by OR", " OR ".join(f'"{a} {b}"' for a, b in pairs)),
        (f"{n} rarely met phrases joined by OR", " OR ".join(f'"{a} {b}"' for a, b in rarer)),
        (f"{n} phrases (AND)", " ".join(f'"{a} {b}"' for a, b in pairs)),
        (f"{n} negated phrases", " ".join(f'-"{a} {b}"' for a, b in pairs)),
        (f"{n} title: words joined by OR", " OR ".join("title:" + w for w in absent[:n])),
        (f"{n} months joined by OR", " OR ".join(years)),
        (f"{n} negated months", " ".join("-" + y for y in years)),
        (f"{n // 2} x (is:read OR is:unread)", " ".join(["is:read OR is:unread"] * (n // 2))),
        (f"{n} x is:flagged", " ".join(["is:flagged"] * n)),
        (f"{n} author: terms joined by OR", " OR ".join("author:" + w for w in absent[:n])),
        (f"{n} site: terms joined by OR", " OR ".join(f"site:{w}.com" for w in absent[:n])),
        (
            f"{n} mixed terms in OR clauses of 8",
            " ".join(
                " OR ".join(
                    [common[i + j], "-" + absent[i + j], "title:" + absent[i + 2 * j]][j % 3]
                    for j in range(8)
                )
                for i in range(0, n, 8)
            ),
        ),
    ]  # fmt: skip


def _best(function: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--cli-corpus",
        metavar="DIR",
        help="also time the command line end to end on this folder (bench.make_corpus output)",
    )
    args = parser.parse_args(argv)

    print(f"building {args.size:,} synthetic articles and their FTS5 index…", flush=True)
    started = time.perf_counter()
    articles = synthesise(args.size)
    texts = [prepare(article) for article in articles]
    index = SearchIndex()
    for start in range(0, len(articles), 1000):
        index.add_prepared(articles[start : start + 1000], texts[start : start + 1000])
    print(f"built in {time.perf_counter() - started:.1f} s", flush=True)

    counts: dict[str, int] = {}
    for article in articles[:2000]:
        for word in article.text.lower().split():
            if word.isalpha():
                counts[word] = counts.get(word, 0) + 1
    common = sorted(counts, key=counts.__getitem__, reverse=True)
    rng = random.Random(12)
    absent: list[str] = []
    while len(absent) < 1000:
        word = "".join(rng.choice("bdfgkmprtvz") + rng.choice("aeiou") for _ in range(4)) + "q"
        if word not in counts:
            absent.append(word)
    state = _State()

    print(f"\n{'query':46} {'terms':>6} {'bar s':>8} {'scan s':>8} {'matches':>8}  verdict")
    worst = 0.0
    for name, text in shapes(common, absent):
        try:
            parse_query(text)
        except QueryError as error:
            refused = _best(lambda text=text: _refuse(text), args.repeat)
            print(
                f"{name:46} {'-':>6} {refused:8.4f} {refused:8.4f} {'-':>8}  refused: {error}"[:160]
            )
            worst = max(worst, refused)
            continue

        def bar(text: str = text) -> set[int] | None:
            _forget(index)  # a pasted query: nothing cached from the last run
            return index.search(parse_query(text), state)

        def cli(text: str = text) -> int:
            query = parse_query(text)
            return sum(
                1
                for a, t in zip(articles, texts, strict=True)
                if matches_prepared(query, a, t, state)
            )

        query: Query = parse_query(text)
        terms = sum(len(clause) for clause in query.clauses)
        bar_s = _best(bar, args.repeat)
        cli_s = _best(cli, max(1, args.repeat - 1))
        found = bar()
        matched = args.size if found is None else len(found)
        if found is not None and cli() != len(found):
            raise SystemExit(f"{name}: the index and the scan disagree")
        worst = max(worst, bar_s, cli_s)
        verdict = "ok" if max(bar_s, cli_s) <= BUDGET_S else "OVER BUDGET"
        print(f"{name:46} {terms:6} {bar_s:8.3f} {cli_s:8.3f} {matched:8}  {verdict}", flush=True)
    print(f"\nworst: {worst:.3f} s against a budget of {BUDGET_S:.1f} s at {args.size:,} articles")
    if args.cli_corpus:
        # The folder's own most common words: phrases of them are its worst case.
        own = _common_words(args.cli_corpus)
        _command_line(
            args.cli_corpus, [("no query (start-up)", ""), *shapes(own, absent)], args.repeat
        )
    return 0


def _common_words(corpus: str, files: int = 2000) -> list[str]:
    """A folder's words by how many of its first *files* files (in name order) hold them."""
    from pathlib import Path

    counts: dict[str, int] = {}
    paths = sorted(path for path in Path(corpus).rglob("*") if path.is_file())[:files]
    for path in paths:
        words = set(path.read_text("utf-8", "replace").lower().split())
        for word in words:
            if word.isalpha() and word.isascii():
                counts[word] = counts.get(word, 0) + 1
    return sorted(counts, key=lambda word: (-counts[word], word))  # the same every run


def _forget(index: SearchIndex) -> None:
    """Drop the index's caches of term results and verified phrases."""
    index._cache.clear()
    index._cached_items = 0
    index._verified.clear()
    index._previous = None


def _command_line(corpus: str, shapes: list[tuple[str, str]], repeat: int) -> None:
    """Run ``broadsheet --list --query Q`` on a real folder: what a user waits for (its
    store written by a first run, so each answers from it, as a user's would)."""
    import os
    import subprocess
    import sys
    import tempfile

    print(f"\nbroadsheet --list --query Q {corpus} (wall-clock, best of {repeat})")
    with tempfile.TemporaryDirectory(prefix="broadsheet-bench-cache-") as cache:
        environment = {**os.environ, "BROADSHEET_CACHE_DIR": cache}
        run = [sys.executable, "-m", "tui", "--list", corpus]
        subprocess.run(run, capture_output=True, check=False, env=environment)
        _run_shapes(corpus, shapes, repeat, environment)
        print(f"\nthe search alone, in this process, from the store (best of {repeat})")
        _search_stored(corpus, shapes, repeat, cache)


def _search_stored(corpus: str, shapes: list[tuple[str, str]], repeat: int, cache: str) -> None:
    """Time ``CorpusSession.search`` on the folder's store, re-opened: the filter bar's
    answer, without the command line's start-up (reading every record, checking every
    file)."""
    import os

    from tui.corpus.session import CorpusSession

    os.environ["BROADSHEET_CACHE_DIR"] = cache
    session = CorpusSession([corpus], infer=True, cache=True)
    session.open_store(on_error=print)
    if not (session.can_reopen and session.reopen(lambda *_, **__: None)):
        print("the store could not be re-opened")
        return
    try:
        for name, text in shapes:
            if not text:
                continue
            try:
                parse_query(text)
            except QueryError:
                continue

            def search(text: str = text) -> set[int] | None:
                assert session.index is not None
                _forget(session.index)
                return session.search(parse_query(text), None)

            seconds = _best(search, repeat)
            found = search()
            matched = len(session.corpus) if found is None else len(found)
            print(f"{name:46} {seconds:8.3f} s  {matched:8} matches", flush=True)
    finally:
        session.close(store_seconds=None)


def _run_shapes(
    corpus: str, shapes: list[tuple[str, str]], repeat: int, environment: dict[str, str]
) -> None:
    import subprocess
    import sys

    for name, text in shapes:
        times = []
        query = ["--query", text] if text else []
        for _ in range(repeat):
            started = time.perf_counter()
            result = subprocess.run(
                [sys.executable, "-m", "tui", "--list", "--no-state", *query, corpus],
                capture_output=True,
                text=True,
                check=False,
                env=environment,
            )
            times.append(time.perf_counter() - started)
        rows = len(result.stdout.splitlines())
        print(f"{name:46} {min(times):8.2f} s  exit {result.returncode}, {rows} rows", flush=True)


def _refuse(text: str) -> None:
    try:
        parse_query(text)
    except QueryError:
        return
    raise AssertionError("expected a refusal")


if __name__ == "__main__":
    raise SystemExit(main())
