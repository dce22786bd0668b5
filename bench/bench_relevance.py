"""Relevance in the reader at scale (issue 15, items 3-5): best first, snippets, related
articles and facets, measured in a headless reader on a collection's store.

    python -m bench.bench_relevance bench/.corpora/100000-seed2024-0df93c78f6

The collection's store is used (made first if there is none: minutes at 100k) and its
relevance table filled before anything is timed (reported apart: it is done once).
Each query is typed as a keystroke is: the reader's screen runs it with the order set
to best first, then every line of the list is drawn, snippets included: the work of
that keystroke's frame, without the terminal. A list move is the cursor stepping one
row and its two rows (four lines) drawn again. Related and facets are asked as the
keys ask them (facets in their worker's place, off the UI thread).

Queries default to single words found in about 40 % of the articles (FTS5's own
count), the issue's "40,000 matches at 100k".
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _words_near(session: object, share: float, count: int) -> list[str]:
    """Words held by about *share* of the articles (the relevance table's own count)."""
    table = session._relevance()  # type: ignore[attr-defined]
    total = table.count()
    reader = table._reader
    reader.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.bench_vocabulary "
        "USING fts5vocab(main, relevance, 'row')"
    )
    low, high = int(total * (share - 0.03)), int(total * (share + 0.03))
    rows = reader.execute(
        "SELECT term FROM temp.bench_vocabulary WHERE doc BETWEEN ? AND ? AND length(term) > 4",
        (low, high),
    ).fetchall()
    return [term for (term,) in rows[:count]]


async def measure(paths: Sequence[str], queries: list[str], moves: int) -> int:
    from tui.app import BroadsheetApp
    from tui.corpus.query import parse_query
    from tui.corpus.state import ReadState

    app = BroadsheetApp(
        list(paths), state=ReadState.open(enabled=False), relevance=True, watch=False
    )
    async with app.run_test(size=(120, 36)) as pilot:
        await app.loaded.wait()
        await pilot.pause(0.5)
        session = app.session
        started = time.perf_counter()
        await asyncio.to_thread(session.fill_relevance)
        print(f"relevance table ready: {time.perf_counter() - started:.1f} s (once a store)")
        if not queries:
            queries = _words_near(session, 0.4, 5)
        screen = app.reader_screen
        article_list = app.article_list
        height = article_list.size.height
        print(f"articles: {len(session.corpus):,}; list: {height} lines at 120x36")
        for text in queries:
            firsts = []
            for _ in range(3):
                screen.set_query("")
                started = time.perf_counter()
                screen.set_query(text)  # the keystroke: search, rank, show
                for y in range(height):  # its frame: every line, snippets too
                    article_list.render_line(y)
                firsts.append(time.perf_counter() - started)
            matches = len(screen.matches or ())
            print(f"  best first {text!r}: {matches:,} matches, first screen {_ms(min(firsts))}"
                  f" (runs: {', '.join(_ms(t) for t in firsts)})")
        times = []
        article_list.cursor = 0
        for _ in range(moves):
            started = time.perf_counter()
            row = article_list.cursor
            article_list.cursor = row + 1
            for y in range(row * 2, row * 2 + 4):  # the two rows' four lines
                article_list.render_line(y - round(article_list.scroll_offset.y))
            times.append(time.perf_counter() - started)
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        print(f"  list move with snippets: median {_ms(statistics.median(times))}, p95 {_ms(p95)}"
              f", worst {_ms(times[-1])} ({moves} moves)")
        serials = session.rows("newest", None)[:10]
        related = []
        for serial in serials:
            started = time.perf_counter()
            session.related(serial)
            related.append(time.perf_counter() - started)
        print(f"  related (10 articles, first asking): median {_ms(statistics.median(related))}"
              f", worst {_ms(max(related))}")
        started = time.perf_counter()
        await asyncio.to_thread(session.facets, None)
        first = time.perf_counter() - started
        started = time.perf_counter()
        await asyncio.to_thread(session.facets, None)
        again = time.perf_counter() - started
        matches = session.search(parse_query(queries[0])) if queries else None
        started = time.perf_counter()
        await asyncio.to_thread(session.facets, matches)
        narrowed = time.perf_counter() - started
        print(f"  facets, every article: {_ms(again)} ({_ms(first)} the first time: the"
              f" names read from the store); {len(matches or ()):,} matches: {_ms(narrowed)}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", help="the collection")
    parser.add_argument("--query", action="append", default=[], help="a query (repeatable)")
    parser.add_argument("--moves", type=int, default=200)
    args = parser.parse_args(argv)
    if not os.path.isdir(args.path):
        print(f"no folder {args.path}", file=sys.stderr)
        return 2
    os.environ.setdefault("BROADSHEET_STATE_DIR", tempfile.mkdtemp(prefix="bench-state-"))
    return asyncio.run(measure([args.path], args.query, args.moves))


if __name__ == "__main__":
    sys.exit(main())
