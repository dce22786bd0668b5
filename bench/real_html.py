"""How often the date shown for a real saved web page is its known publication day.

Usage: ``python -m bench.real_html [--verbose] [--folder PATH]``.

It reads every page of ``../shared/real-dev/html/`` (beside the repository) the way
the reader does (``tui.corpus.model.read_article``) and compares the date shown with
``expected.json`` (``NAME.html`` → ``{"date": "YYYY-MM-DD"}``). Beside it, on the
same pages, htmldate alone (``find_date`` with ``original_date``, in its fast and
its extensive mode), given the same parsed tree. Nothing of that set is part of the
project: when the folder is absent the script says so and exits 0.

* **exact**: the date shown is the known day.
* **wrong**: a date is shown that is not the known day, at whatever precision.
* **partial**: a right year or month shown alone; **none**: no date.

The targets (issue 14): exact ≥ 91 %, wrong ≤ 7 %.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

from bench.real_dates import DEFAULT_FOLDER, rates_line, verdict
from tui.corpus.dates import ArticleDate
from tui.corpus.model import read_article

TARGET_EXACT = 0.91
TARGET_WRONG = 0.07


def _as_date(iso: str | None) -> ArticleDate | None:
    if not iso:
        return None
    year, month, day = map(int, iso[:10].split("-"))
    return ArticleDate(year, month, day)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.real_html", description=__doc__)
    parser.add_argument(
        "--folder",
        type=Path,
        default=DEFAULT_FOLDER,
        help="a folder holding html/ and expected.json (default: ../shared/real-dev)",
    )
    parser.add_argument("--verbose", action="store_true", help="one line per page not exact")
    parser.add_argument(
        "--no-htmldate", action="store_true", help="measure Broadsheet only (faster)"
    )
    args = parser.parse_args(argv)
    folder: Path = args.folder
    expected_file = folder / "expected.json"
    pages = folder / "html"
    if not expected_file.is_file() or not pages.is_dir():
        print(f"skipped: {folder} not found (needs html/ and expected.json)")
        return 0
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    ours: Counter[str] = Counter()
    fast: Counter[str] = Counter()
    extensive: Counter[str] = Counter()
    origins: Counter[str] = Counter()
    spent = 0.0
    total = 0
    lines: list[str] = []
    for name in sorted(expected):
        path = pages / name
        if not path.is_file():
            continue
        known = expected[name].get("date")
        total += 1
        started = time.perf_counter()
        article = read_article(str(path))
        spent += time.perf_counter() - started
        shown = getattr(article, "date", None)
        result = verdict(shown, known)
        ours[result] += 1
        origins[getattr(article, "date_origin", None) or "none"] += 1
        if args.verbose and result != "exact":
            describe = article.describe_date() if hasattr(article, "describe_date") else article
            lines.append(f"{result:<8} {name}: known {known}, shown {describe}")
        if not args.no_htmldate:
            from htmldate import find_date

            from tui.corpus.webpage import read_page

            page = read_page(str(path))
            tree = getattr(page, "tree", None)
            for counts, extensive_search in ((fast, False), (extensive, True)):
                found = (
                    find_date(tree, extensive_search=extensive_search, original_date=True)
                    if tree is not None
                    else None
                )
                counts[verdict(_as_date(found), known)] += 1
    if not total:
        print(f"skipped: no pages under {pages}")
        return 0
    print(f"{total} pages from {folder}")
    print(rates_line(ours, total, "Broadsheet (read_article)", 34))
    if not args.no_htmldate:
        print(rates_line(fast, total, "htmldate alone, fast", 34))
        print(rates_line(extensive, total, "htmldate alone, extensive", 34))
    print("dates by origin: " + ", ".join(f"{k} {v}" for k, v in origins.most_common()))
    print(f"read_article: {spent / total * 1000:.1f} ms a page (mean, one process)")
    exact, wrong = ours["exact"] / total, ours["wrong"] / total
    met = exact >= TARGET_EXACT and wrong <= TARGET_WRONG
    print(
        f"target exact ≥ {TARGET_EXACT:.0%} and wrong ≤ {TARGET_WRONG:.0%}:"
        f" {'met' if met else 'MISSED'}"
    )
    for line in lines:
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
