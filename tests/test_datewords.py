"""Dates written in words and numbers, in many languages and scripts."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.corpus.dates import ArticleDate, DateProblem, parse_stated_date
from tui.corpus.datewords import MONTHS, find_dates, parse_date_words


def day(year: int, month: int, day: int) -> ArticleDate:
    return ArticleDate(year, month, day, "stated")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # English
        ("October 17, 2024", day(2024, 10, 17)),
        ("Oct. 8, 2024", day(2024, 10, 8)),
        ("17 October 2024", day(2024, 10, 17)),
        ("3rd Nov 2023, 09:25 GMT", day(2023, 11, 3)),
        ("Jun 18th 2018", day(2018, 6, 18)),
        ("Thursday, November 9, 2023 4:41AM", day(2023, 11, 9)),
        # German
        ("17. Oktober 2024", day(2024, 10, 17)),
        ("Samstag, 19.  Oktober 2019 um 11:14 Uhr", day(2019, 10, 19)),
        ("5. März 2023", day(2023, 3, 5)),
        ("3. Jänner 2022", day(2022, 1, 3)),
        ("31 Okt 2023", day(2023, 10, 31)),
        # French
        ("le 17 octobre 2024", day(2024, 10, 17)),
        ("1er janvier 2020", day(2020, 1, 1)),
        ("lundi 9 décembre 2019 à 09h08", day(2019, 12, 9)),
        ("13 août 2021", day(2021, 8, 13)),
        # Spanish
        ("17 de octubre de 2024", day(2024, 10, 17)),
        ("2 de septiembre del 2021", day(2021, 9, 2)),
        # Italian
        ("17 ottobre 2024", day(2024, 10, 17)),
        ("3 dicembre 2022", day(2022, 12, 3)),
        # Portuguese
        ("17 de outubro de 2024", day(2024, 10, 17)),
        ("5 de março de 2023", day(2023, 3, 5)),
        # Dutch
        ("17 oktober 2024", day(2024, 10, 17)),
        ("3 mei 2021", day(2021, 5, 3)),
        # Russian (genitive)
        ("17 октября 2024 г.", day(2024, 10, 17)),
        ("1 марта 2020 года", day(2020, 3, 1)),
        # Numbers
        ("17.10.2024", day(2024, 10, 17)),
        ("05.11.2021, 10:39 Uhr", day(2021, 11, 5)),
        ("17/10/2024", day(2024, 10, 17)),
        ("10/17/2024", day(2024, 10, 17)),
        ("2024-10-17", day(2024, 10, 17)),
        ("2020-09-18T14:37:41+02:00", day(2020, 9, 18)),
        ("2024. 10. 17.", day(2024, 10, 17)),
        # Chinese / Japanese, with ASCII and full-width digits; Korean
        ("2024年10月17日", day(2024, 10, 17)),
        ("２０２４年１０月１７日", day(2024, 10, 17)),
        ("2024 年 3 月 5 日 10:00", day(2024, 3, 5)),
        ("2024년 10월 17일", day(2024, 10, 17)),
        # Month precision
        ("October 2024", ArticleDate(2024, 10, None, "stated")),
        ("в октябре 2024 года", ArticleDate(2024, 10, None, "stated")),
        ("2024年10月", ArticleDate(2024, 10, None, "stated")),
    ],
)
def test_forms(text: str, expected: ArticleDate) -> None:
    assert parse_date_words(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "3 hours ago",
        "vor 3 Tagen",
        "yesterday",
        "today at 10:14",
        "il y a 2 jours",
        "10/11/2024",  # day or month first? Not settled without the page's language.
        "31 February 2024",
        "2024-13-45",
        "rev 2020.1.20.35817",  # a version number, not a date
        "17 Octember 2024",
        "Version 5.2, 2019",
        "12 items 2024",
        "",
        "x" * 200,
    ],
)
def test_no_date(text: str) -> None:
    assert parse_date_words(text) is None


def test_ambiguous_numeric_follows_the_language_hint() -> None:
    assert parse_date_words("10/11/2024", day_first=True) == day(2024, 11, 10)
    assert parse_date_words("10/11/2024", day_first=False) == day(2024, 10, 11)
    # Dotted dates are day-first whatever the hint.
    assert parse_date_words("10.11.2024", day_first=False) == day(2024, 11, 10)


def test_dateparser_reads_other_languages() -> None:
    pytest.importorskip("dateparser")
    assert parse_date_words("17 października 2024") == day(2024, 10, 17)  # Polish
    assert parse_date_words("17 Ekim 2024") == day(2024, 10, 17)  # Turkish


def test_the_year_must_be_written() -> None:
    # dateparser would complete a day and month with a year of its own: never.
    assert parse_date_words("17 octobre") is None
    assert parse_date_words("17 października") is None


def test_find_dates_gives_every_date_and_where_it_stands() -> None:
    line = "Published: 3 March 2023, 10:14 · Updated: 5 March 2023"
    found = list(find_dates(line))
    assert [f.date for f in found] == [day(2023, 3, 3), day(2023, 3, 5)]
    assert [line[f.start : f.end] for f in found] == ["3 March 2023", "5 March 2023"]


def test_month_tables_have_no_conflicts() -> None:
    assert MONTHS["mai"] == 5 and MONTHS["mag"] == 5 and MONTHS["maio"] == 5
    assert MONTHS["октября"] == 10 and MONTHS["out"] == 10 and MONTHS["okt"] == 10
    assert set(MONTHS.values()) == set(range(1, 13))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("17. Oktober 2024", day(2024, 10, 17)),
        ("le 17 octobre 2024", day(2024, 10, 17)),
        ("17 de octubre de 2024", day(2024, 10, 17)),
        ("17 ottobre 2024", day(2024, 10, 17)),
        ("17 de outubro de 2024", day(2024, 10, 17)),
        ("17 октября 2024 г.", day(2024, 10, 17)),
        ("2024年10月17日", day(2024, 10, 17)),
        ("2024년 10월 17일", day(2024, 10, 17)),
        ("2024. 10. 17.", day(2024, 10, 17)),
        ("05.11.2021", day(2021, 11, 5)),  # dotted: day first
        ("October 17, 2024", day(2024, 10, 17)),
        ("Tue, 15 Oct 2024 10:00:00 +0000", day(2024, 10, 15)),
    ],
)
def test_stated_header_dates_in_words(text: str, expected: ArticleDate) -> None:
    assert parse_stated_date(text) == expected


def test_stated_header_date_problems_stay_problems() -> None:
    for text in ("31 février 2024", "2024-13-45", "17 octobre", "il y a 3 jours"):
        with pytest.raises(DateProblem):
            parse_stated_date(text)


_DATEISH = st.lists(
    st.sampled_from(
        list("0123456789 ./-,年月日년월일:T０１２")
        + ["October", "octobre", "октября", "März", "de", "2024", "1999", "19", "20", "31"]
    ),
    max_size=16,
).map("".join)


def _in_range(date: ArticleDate | None) -> bool:
    return date is None or 1900 <= date.year <= 2099


@pytest.mark.heavy
@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=60), _DATEISH))
def test_parse_date_words_never_raises_and_stays_in_range(text: str) -> None:
    assert _in_range(parse_date_words(text))
    for found in find_dates(text):
        assert _in_range(found.date)
        assert 0 <= found.start < found.end <= len(text)


@pytest.mark.heavy
@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=60), _DATEISH))
def test_parse_stated_date_raises_only_date_problems(text: str) -> None:
    try:
        date = parse_stated_date(text)
    except DateProblem:
        return
    assert _in_range(date)


def test_dateparser_runs_at_most_once_per_value(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("dateparser")
    from dateparser.date import DateDataParser

    calls = 0
    original = DateDataParser.get_date_data

    def counted(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        return original(self, *args, **kwargs)

    monkeypatch.setattr(DateDataParser, "get_date_data", counted)
    for value, expected in [
        ("2024. október 17.", ArticleDate(2024, 10, 17, "stated")),  # Hungarian: dateparser
        ("urria 2024", ArticleDate(2024, 10, None, "stated")),  # Basque, a month, no day
    ]:
        calls = 0
        try:
            result: ArticleDate | None = parse_stated_date(value)
        except DateProblem:
            result = None
        assert (result, calls) == (expected, 1), value
    # A candidate that names no month in any language dateparser has is not asked.
    for value in ("hello 2024 world", "Version 5.2, 2019", "12 items 2024"):
        calls = 0
        assert parse_date_words(value) is None
        assert calls == 0, value
    # The tables read these without dateparser.
    for value in (
        "17 Ekim 2024",
        "17 października 2024",
        "17. října 2024",
        "17 أكتوبر 2024",
        "17 жовтня 2024",
        "17 octombrie 2024",
        "17 Οκτωβρίου 2024",
        "17. lokakuuta 2024",
    ):
        calls = 0
        assert parse_stated_date(value) == ArticleDate(2024, 10, 17, "stated")
        assert calls == 0, value


def test_dateparser_is_asked_only_in_the_languages_that_name_the_month() -> None:
    # With no language given, dateparser builds all 205 of its languages for the first
    # candidate none reads (4.5-5 s a process); only those naming a month are asked.
    pytest.importorskip("dateparser")
    from tui.corpus.datewords import _languages_naming_a_month

    hungarian = _languages_naming_a_month("2024. október 17.")
    assert "hu" in hungarian and len(hungarian) < 30  # "oktober", folded, is in many
    assert "eu" in _languages_naming_a_month("urria 2024")
    # Folded as dateparser folds: case and accents do not matter.
    assert "fr" in _languages_naming_a_month("3 FEVRIER 2024")
    assert _languages_naming_a_month("hello 2024 world") == ()
    assert parse_date_words("31 February 2024") is None


def test_listopad_after_a_dotted_day_is_no_date() -> None:
    # Croatian writes October so ("3. listopada 2021"); Polish, whose November it is,
    # writes no dot. It was read as November.
    assert list(find_dates("Objavljeno: 3. listopada 2021.")) == []
    assert [found.date for found in find_dates("3 listopada 2021")] == [day(2021, 11, 3)]
    assert [found.date for found in find_dates("3. listopadu 2021")] == [day(2021, 11, 3)]
