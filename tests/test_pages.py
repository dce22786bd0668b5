"""The page's own date on scraped pages the date finder was not tuned on.

``tests/data/pages/`` holds 60 scraped-page texts written for this test (not copied
from the web, and written without looking at ``datelines.py`` or the development
set): news and blog pages in 15 languages as a scraper that saves visible text writes
them, navigation, related links, comments and footers included. Eight more (a Ghost
blog with a read time, a German masthead, a French "Publié le … par", a product page
and an event page with no date of their own, Russian and Japanese sidebars, a
Portuguese page whose only dates are ``08/03/2022``) were written by the finder's
second-round engineer, without looking at the development set: measured once as
written, 7 of 8 were right and none wrong; one general fix (a day marked as a day,
"16 de março", tells the page's day order) made it 8. ``expected.json``
gives each page's true publication day, or null for a page with no date of its own
(a category page, an about page, a page whose only dates are decoys).

Verdicts, as ``bench/real_dates.py`` counts them:

* **exact**: the day shown is the true day.
* **partial**: a coarser date that agrees with the truth (a right year alone).
* **wrong**: any date shown that disagrees with the truth at the precision shown,
  inferred years included; on a page whose truth is null, any date at all.
* **none**: no date.

Run ``python -m tests.test_pages`` for the figures and one line per page not exact;
``--title-first`` measures the same pages with a "Headline - Site" first line added.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

import pytest

from bench.real_dates import verdict
from tui.corpus.model import read_article

PAGES = Path(__file__).resolve().parent / "data" / "pages"
EXPECTED: dict[str, str | None] = json.loads((PAGES / "expected.json").read_text("utf-8"))

# Floors. The targets are wrong <= 5 % and exact >= 80 %. On the first 60 pages, the
# first round of the finder got 30/60 exact (50.0 %), 3/60 wrong, 1 wrong on the 4 null
# pages; with a "Headline - Site" line added at the top, 47/60 and 2/60. The second
# round (the dateline is looked for under the headline and above the first paragraph
# of prose, not by a page-wide rule) gets 53/60 exact (88.3 %), 1/60 wrong (1.7 %,
# headers.py's doing: see FAILURES), none wrong on the null pages; 54/60 and 0/60
# title-first. With the 8 pages added since: 59/68 exact (86.8 %), 1/68 wrong, 0 on
# the 6 null pages; 60/68 and 0/68 title-first. These figures are asserted as floors
# that catch a regression; raise them as the finder improves, never lower them.
# FAILURES lists every dated page not exact, and why.
TARGET_EXACT = 0.80
TARGET_WRONG = 0.05
FLOOR_EXACT = 59  # pages of 68: above the 80 % target (55 pages)
CEILING_WRONG = 1  # pages of 68: within the 5 % target (3 pages)
CEILING_WRONG_ON_NULL = 0

FAILURES: dict[str, str] = {
    # wrong: a date is shown that is not the page's
    "en_us_local_tv_masthead.txt": "wrong: headers.py takes the masthead's save day "
    "('Friday, November 29, 2024', line 1) as a header date, so the dateline finder never "
    "runs; 'Posted: Nov 12, 2024' would be found (datelines drops a weekday date later "
    "than every other date on the page)",
    # none, and no way to do better: the text states no year or no date at all
    "en_uk_bbc_relative_only.txt": "none (expected): only '2 hours ago'",
    "nl_nos_noyear.txt": "none (expected): 'donderdag 17 oktober, 14:30' has no year",
}


def measure() -> tuple[Counter[str], dict[str, tuple[str, str]]]:
    """The verdicts over the set, and for each page its verdict and what was shown."""
    counts: Counter[str] = Counter()
    pages: dict[str, tuple[str, str]] = {}
    for name, known in sorted(EXPECTED.items()):
        article = read_article(str(PAGES / name))
        date = getattr(article, "date", None)
        result = verdict(date, known)
        counts[result] += 1
        if known is None:
            counts["null pages"] += 1
            if result == "wrong":
                counts["wrong on null"] += 1
        shown = (
            f"{date.iso()} ({getattr(article, 'date_origin', None)}, line"
            f" {getattr(article, 'date_line', None)}: {getattr(article, 'date_text', None)!r})"
            if date
            else "-"
        )
        pages[name] = (result, f"known {known}, shown {shown}")
    return counts, pages


@pytest.fixture(scope="module")
def measured() -> tuple[Counter[str], dict[str, tuple[str, str]]]:
    return measure()


def test_the_set_is_complete() -> None:
    files = {path.name for path in PAGES.glob("*.txt")}
    assert files == set(EXPECTED)
    assert 40 <= len(files) <= 80
    for path in PAGES.glob("*.txt"):
        assert path.stat().st_size < 4096, path.name


def test_no_date_on_pages_without_one(
    measured: tuple[Counter[str], dict[str, tuple[str, str]]],
) -> None:
    counts, pages = measured
    wrong = sorted(
        f"{name}: {detail}"
        for name, (result, detail) in pages.items()
        if EXPECTED[name] is None and result == "wrong"
    )
    # A section page listing "By Staff | October 14, 2024" items is a list, not a date.
    assert counts["wrong on null"] <= CEILING_WRONG_ON_NULL, wrong


def test_wrong_rate(measured: tuple[Counter[str], dict[str, tuple[str, str]]]) -> None:
    counts, pages = measured
    wrong = sorted(f"{name}: {d}" for name, (r, d) in pages.items() if r == "wrong")
    assert counts["wrong"] / len(EXPECTED) <= TARGET_WRONG, wrong
    assert counts["wrong"] <= CEILING_WRONG, wrong


def test_exact_rate(measured: tuple[Counter[str], dict[str, tuple[str, str]]]) -> None:
    counts, pages = measured
    missed = sorted(f"{name}: {d}" for name, (r, d) in pages.items() if r != "exact")
    assert counts["exact"] / len(EXPECTED) >= TARGET_EXACT, missed
    assert counts["exact"] >= FLOOR_EXACT, missed


def test_no_page_that_was_exact_regresses(
    measured: tuple[Counter[str], dict[str, tuple[str, str]]],
) -> None:
    _, pages = measured
    regressed = sorted(
        f"{name}: {detail}"
        for name, (result, detail) in pages.items()
        if result != "exact" and EXPECTED[name] is not None and name not in FAILURES
    )
    assert not regressed


# --- the title-first variant -------------------------------------------------------
# Many scrapers write the page's <title> ("Headline - Site") as the first line; these
# pages do not, and the finder anchors on that line. ``--title-first`` measures the
# same pages with such a line added, to show how much of the result is that anchor.

_HEADLINES = {  # where the first standalone line of five words or more is not it
    "de_derstandard_comments.txt": "Gemeinderat beschließt neue Parkpickerl-Zonen",
    "de_spiegel.txt": "GDL kündigt neuen Warnstreik im Fernverkehr an",
    "de_zeit_veroeffentlicht.txt": "Mieten in Großstädten steigen weiter",
    "en_about_page.txt": "About Northwind Review",
    "en_category_page.txt": "Business",
    "en_in_toi.txt": "BMC to resurface 400 km of roads before monsoon next year",
    "en_event_page_null.txt": "EuroData Summit - Programme",
    "en_product_page_null.txt": "Samsung Galaxy S24 Ultra",
    "en_prnewswire.txt": "Acme Robotics Announces Third Quarter 2024 Results",
    "en_uk_guardian.txt": "Passengers face weeks of disruption as signalling fault hits west "
    "coast mainline",
    "it_ansa_wire.txt": "Maltempo, allerta rossa in Liguria",
    "ja_ameblo.txt": "春のじゃがいも植え付け",
    "ja_news_related.txt": "日銀、金融緩和策を維持",
    "ru_lenta_sidebar.txt": "Центробанк сохранил ключевую ставку",
    "zh_people_daily.txt": "我国成功发射新一代气象卫星",
    "zh_tw_cna.txt": "台北捷運環狀線北環段 預計2030年通車",
}
_WIDE = re.compile(r"[\u3040-\u9fff\uac00-\ud7af]")


def headline_of(name: str, text: str) -> str:
    """The page's headline: the first line standing alone with five words or more."""
    if name in _HEADLINES:
        return _HEADLINES[name]
    lines = text.split("\n")
    for index in range(3, len(lines) - 1):
        line = lines[index]
        words = len(line) // 3 if _WIDE.search(line) else len(line.split())
        alone = not lines[index - 1].strip() and not lines[index + 1].strip()
        navigation = line.startswith(("By ", "Skip", "Exclusive"))
        if alone and words >= 5 and not re.search(r"\d{4}", line) and not navigation:
            return line
    raise ValueError(name)


def title_first_copy(folder: Path) -> Path:
    """A copy of the set in *folder*, each page headed by "Headline - Site"."""
    for name in EXPECTED:
        text = (PAGES / name).read_text("utf-8")
        site = name.split("_")[1].upper() + " News"
        (folder / name).write_text(f"{headline_of(name, text)} - {site}\n\n{text}", "utf-8")
    (folder / "expected.json").write_text(json.dumps(EXPECTED), "utf-8")
    return folder


FLOOR_EXACT_TITLE_FIRST = 60  # pages of 68
CEILING_WRONG_TITLE_FIRST = 0


def test_title_first_floors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.modules[__name__], "PAGES", title_first_copy(tmp_path))
    counts, pages = measure()
    missed = sorted(f"{name}: {d}" for name, (r, d) in pages.items() if r != "exact")
    assert counts["exact"] >= FLOOR_EXACT_TITLE_FIRST, missed
    assert counts["wrong"] <= CEILING_WRONG_TITLE_FIRST, missed


def main(argv: list[str]) -> int:
    global PAGES
    if "--title-first" in argv:
        with tempfile.TemporaryDirectory(prefix="pages-title-") as folder:
            PAGES = title_first_copy(Path(folder))
            return report()
    return report()


def report() -> int:
    counts, pages = measure()
    total = len(EXPECTED)

    def rate(key: str) -> str:
        return f"{counts[key]:3d} ({counts[key] / total:6.1%})"

    print(f"{total} pages in {PAGES}")
    print(
        f"exact {rate('exact')}  wrong {rate('wrong')}  partial {rate('partial')}"
        f"  none {rate('none')}  (wrong on the {counts['null pages']} null pages:"
        f" {counts['wrong on null']})"
    )
    for name, (result, detail) in pages.items():
        if result != "exact" and not (result == "none" and EXPECTED[name] is None):
            print(f"{result:<7} {name}: {detail}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
