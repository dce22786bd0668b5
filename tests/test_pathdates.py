"""Dates in file and folder names (issue 11): strict, at the precision the path gives,
used only when the text states no date."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.corpus.dates import MAX_YEAR, MIN_YEAR
from tui.corpus.parse import parse_text
from tui.corpus.pathdates import date_from_path

UNDATED_BODY = "The committee met again and agreed to publish its findings soon.\n"


@pytest.mark.parametrize(
    ("path", "iso", "origin", "text"),
    [
        ("notes/2024-10-17-talks-resume.md", "2024-10-17", "file name", "2024-10-17"),
        ("notes/20241017_talks.txt", "2024-10-17", "file name", "20241017"),
        ("notes/talks_2024-10-17.txt", "2024-10-17", "file name", "2024-10-17"),
        ("notes/talks.2024.10.17.txt", "2024-10-17", "file name", "2024.10.17"),
        ("notes/IMG_20241017_093000.txt", "2024-10-17", "file name", "20241017"),
        ("site/2024/10/17/talks.txt", "2024-10-17", "folder", "2024/10/17"),
        ("site/2024/10/talks.txt", "2024-10", "folder", "2024/10"),
        ("site/2024-10-17/talks.txt", "2024-10-17", "folder", "2024-10-17"),
        ("content/posts/2024-10-17-talks/index.md", "2024-10-17", "folder", "2024-10-17"),
        ("site/2024/10/17/talks/index.md", "2024-10-17", "folder", "2024/10/17"),
        ("C:\\Users\\me\\news\\2024\\10\\talks.txt", "2024-10", "folder", "2024/10"),
        # The name is nearer the file than its folders: it wins.
        ("site/2023/01/2024-10-17-talks.txt", "2024-10-17", "file name", "2024-10-17"),
        ("1999-12-31.txt", "1999-12-31", "file name", "1999-12-31"),
    ],
)
def test_dates_in_paths(path: str, iso: str, origin: str, text: str) -> None:
    found = date_from_path(path)
    assert found is not None
    assert found.date.iso() == iso
    assert found.date.precision == ("month" if len(iso) == 7 else "day")
    assert found.origin == origin
    assert found.text == text


@pytest.mark.parametrize(
    "path",
    [
        None,
        "",
        "notes/talks.txt",
        "notes/budget-2024.txt",  # a year alone is not a date
        "2024/talks.txt",  # nor is a year folder alone
        "notes/2024_report.txt",
        "notes/20241017123456.txt",  # a 14-digit id
        "notes/ab20241017cd.txt",  # inside a hash
        "notes/a3b08d5341e94a04_20241017f.txt",
        "notes/120241017.txt",  # part of a longer number
        "notes/20241345.txt",  # no 45th of a 13th month
        "notes/2024-02-30.txt",
        "notes/1899-12-31.txt",
        "notes/2100-01-01.txt",
        "notes/21000101.txt",
        "site/2024/13/talks.txt",
        "site/2024/02/30/talks.txt",  # not a day: no guess at the month either
        "site/2024/1/talks.txt",  # one-digit months are too loose to trust
        "site/2024/10/a/b/c/talks.txt",  # too far above the file
        "notes/2019-01-01_to_2020-12-31.txt",  # two dates: which one?
        "seeds/000_b74df8e798ca1580.txt",
        "bench/.corpora/10000-seed2024-a359e25db6/part-00/batch-004/article-004816.txt",
    ],
)
def test_not_dates(path: str | None) -> None:
    assert date_from_path(path) is None


def test_the_same_date_twice_in_a_name_is_fine() -> None:
    found = date_from_path("2024-10-17-talks-20241017.txt")
    assert found is not None and found.date.iso() == "2024-10-17"


def test_parse_text_uses_the_path_when_the_text_states_no_date() -> None:
    parsed = parse_text(UNDATED_BODY, "talks", path="notes/2024/10/talks.txt")
    assert parsed.date is not None
    assert parsed.date.iso() == "2024-10"
    assert parsed.date.precision == "month"
    assert parsed.date.source == "stated"
    assert parsed.date_origin == "folder"
    assert parsed.date_text == "2024/10"
    assert parsed.date_line is None


def test_the_path_comes_before_an_inferred_year() -> None:
    text = "Trade rose in 2019 and fell in 2021, the ministry said on Tuesday.\n"
    parsed = parse_text(text, "x", path="news/2024-10-17-trade.txt")
    assert parsed.date is not None and parsed.date.iso() == "2024-10-17"
    assert parsed.date_origin == "file name"


def test_a_stated_date_beats_the_path() -> None:
    parsed = parse_text("Date: 2023-03-05\n\n" + UNDATED_BODY, "x", path="news/2024-10-17-x.txt")
    assert parsed.date is not None and parsed.date.iso() == "2023-03-05"
    assert parsed.date_origin == "header"
    front = parse_text("---\ndate: 2022-01-02\n---\n" + UNDATED_BODY, "x", path="2024/10/x.md")
    assert front.date is not None and front.date.iso() == "2022-01-02"
    assert front.date_origin == "front matter"


def test_a_path_without_a_date_changes_nothing() -> None:
    parsed = parse_text(UNDATED_BODY, "x", path="notes/talks.txt")
    assert parsed.date is None
    assert parsed.date_origin is None


@given(st.text(max_size=300))
def test_any_path_never_raises_and_stays_in_range(path: str) -> None:
    found = date_from_path(path)
    if found is not None:
        assert MIN_YEAR <= found.date.year <= MAX_YEAR
        assert found.origin in ("file name", "folder")
        found.date.last_day()  # a real calendar day (raises if not)


_PIECE = st.one_of(
    st.from_regex(r"(19|20|21|18)\d\d[-_./]?\d\d[-_./]?\d\d", fullmatch=True),
    st.from_regex(r"\d{1,4}", fullmatch=True),
    st.sampled_from(["talks", "index", "a3b0", "_", "-", ".md", ".txt"]),
)


@given(st.lists(st.lists(_PIECE, min_size=1, max_size=4).map("".join), min_size=1, max_size=7))
def test_date_like_paths_never_raise_and_stay_in_range(parts: list[str]) -> None:
    found = date_from_path("/".join(parts))
    if found is not None:
        assert MIN_YEAR <= found.date.year <= MAX_YEAR
        found.date.last_day()
