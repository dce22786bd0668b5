"""How often the date shown for a real scraped page is its known publication day.

Usage: ``python -m bench.real_dates [--verbose] [--folder PATH]``.

It runs the whole parse (``tui.corpus.model.read_article``) over the visible text of
real news and blog pages, ``../shared/real-dev/text/NAME.txt`` beside the repository,
and compares each date shown with ``expected.json`` (``NAME.html`` → ``{"date":
"YYYY-MM-DD"}``). Nothing of that set is part of the project: when the folder is
absent the script says so and exits 0.

* **exact**: the date shown is the known day.
* **wrong**: a date is shown that is not the known day, at whatever precision it is
  shown (a year or month that disagrees with the known date is wrong; a right year
  shown alone is neither exact nor wrong, it is counted as ``partial``).
* **none**: no date.

Rates are given twice: counting every date shown, and counting stated dates only
(as if inferred years were off), since the two come from different parts of parsing.

``--cost FOLDER ...`` instead times the dateline finder where parsing calls it: every
``.txt`` file under each folder goes through ``parse_text``, and the time spent in
``find_dateline`` is reported per page (mean, p95, max) and as a share of the parse.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from tui.corpus.dates import ArticleDate
from tui.corpus.model import read_article

REPO = Path(__file__).resolve().parent.parent
DEFAULT_FOLDER = REPO.parent / "shared" / "real-dev"


def verdict(shown: ArticleDate | None, known: str | None) -> str:
    """``exact``, ``partial`` (right, at a coarser precision), ``wrong`` or ``none``.

    *known* None is a page with no date of its own: any date shown there is wrong.
    """
    if shown is None:
        return "none"
    if known is None:
        return "wrong"
    iso = shown.iso()
    if iso == known:
        return "exact"
    if known.startswith(iso):
        return "partial"
    return "wrong"


def rates_line(counts: Counter[str], total: int, label: str, width: int = 28) -> str:
    """One line of verdict counts and rates (bench.real_html prints the same lines)."""

    def rate(key: str) -> str:
        return f"{counts[key]:4d} ({counts[key] / total:6.1%})"

    return (
        f"{label:<{width}} exact {rate('exact')}  wrong {rate('wrong')}"
        f"  partial {rate('partial')}  none {rate('none')}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.real_dates", description=__doc__)
    parser.add_argument(
        "--folder",
        type=Path,
        default=DEFAULT_FOLDER,
        help="the set: a folder holding text/ and expected.json (default: ../shared/real-dev)",
    )
    parser.add_argument("--verbose", action="store_true", help="one line per page not exact")
    parser.add_argument(
        "--cost",
        type=Path,
        nargs="+",
        metavar="FOLDER",
        help="time find_dateline on every .txt file under these folders instead",
    )
    args = parser.parse_args(argv)
    if args.cost:
        return cost(args.cost)
    folder: Path = args.folder
    expected_path = folder / "expected.json"
    text_folder = folder / "text"
    if not expected_path.is_file() or not text_folder.is_dir():
        print(f"skipped: {folder} not found (needs text/ and expected.json)")
        return 0
    expected: dict[str, dict[str, str]] = json.loads(expected_path.read_text(encoding="utf-8"))

    all_dates: Counter[str] = Counter()
    stated_only: Counter[str] = Counter()
    origins: Counter[str] = Counter()
    failures: list[str] = []
    total = 0
    for name, entry in sorted(expected.items()):
        path = text_folder / (name.removesuffix(".html") + ".txt")
        if not path.is_file():
            continue
        total += 1
        known = entry["date"]
        article = read_article(str(path))
        date = getattr(article, "date", None)
        origin = getattr(article, "date_origin", None)
        first = verdict(date, known)
        all_dates[first] += 1
        stated = date if date is not None and not date.inferred else None
        stated_only[verdict(stated, known)] += 1
        origins[f"{origin or 'undated'}: {first}"] += 1
        if args.verbose and first != "exact":
            line = getattr(article, "date_line", None)
            shown = date.iso() if date else "-"
            written = getattr(article, "date_text", None)
            failures.append(
                f"{first:<7} {path.name}: known {known}, shown {shown}"
                f" ({origin or 'undated'}, line {line}: {written!r})"
            )
    if not total:
        print(f"skipped: no text file of {expected_path} found in {text_folder}")
        return 0
    print(f"{total} pages in {folder}")
    print(rates_line(all_dates, total, "every date shown"))
    print(rates_line(stated_only, total, "stated dates only"))
    print("by origin: " + ", ".join(f"{key} {count}" for key, count in sorted(origins.items())))
    for failure in failures:
        print(failure)
    return 0


def cost(folders: list[Path]) -> int:
    """Print the time find_dateline takes per page, as parse_text calls it."""
    import time

    from tui.corpus import parse

    spent: list[float] = []
    original = parse.find_dateline

    def timed(lines: list[str], title_line: int | None) -> object:
        start = time.perf_counter()
        try:
            return original(lines, title_line)
        finally:
            spent.append(time.perf_counter() - start)

    parse.find_dateline = timed  # type: ignore[assignment]
    try:
        for folder in folders:
            paths = sorted(folder.rglob("*.txt"))
            if not paths:
                print(f"skipped: no .txt file under {folder}")
                continue
            texts = [path.read_text("utf-8", "replace") for path in paths]
            spent.clear()
            start = time.perf_counter()
            for path, text in zip(paths, texts, strict=True):
                parse.parse_text(text, path.name, path=str(path))
            total = time.perf_counter() - start
            if not spent:
                print(f"{folder}: {len(paths)} files, find_dateline never called")
                continue
            ordered = sorted(spent)
            p95 = ordered[int(0.95 * (len(ordered) - 1))]
            print(
                f"{folder}: {len(paths)} files, find_dateline called {len(spent)} times:"
                f" mean {sum(spent) / len(spent) * 1e6:.0f} µs, p95 {p95 * 1e6:.0f} µs,"
                f" max {ordered[-1] * 1e3:.1f} ms; {sum(spent) / total:.0%} of parse_text"
                f" ({total / len(paths) * 1e6:.0f} µs a file)"
            )
    finally:
        parse.find_dateline = original
    return 0


if __name__ == "__main__":
    sys.exit(main())
