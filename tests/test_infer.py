"""Inferred years you can trust (issue 11): a year is inferred from an undated text only
where its words make it the year of writing; otherwise the article is undated and the
years it names are a hint. The sentences here are written for the tests, in the forms
real news uses."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tui.corpus import Corpus, load_corpus
from tui.corpus.dates import MAX_YEAR, MIN_YEAR, ArticleDate
from tui.corpus.dates import infer_year as old_import_infer_year
from tui.corpus.infer import (
    YEAR_IN_TEXT,
    YEARS_NAMED_LIMIT,
    infer_year,
    read_years,
    year_mentions,
    years_named,
)
from tui.corpus.parse import ParsedText, parse_text

REPO = Path(__file__).resolve().parent.parent

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def latest_named(text: str) -> int | None:
    """The rule before issue 11, to show each case fooled it."""
    years = [int(year) for year in YEAR_IN_TEXT.findall(text)]
    return max(years) if years else None


# --- what must not fool it -----------------------------------------------------------

NOT_THE_YEAR_OF_WRITING = {
    "forecast": "The government aims to cut emissions to net zero by 2050, officials said.",
    "forecast, will": "The new line will open in 2027 and carry 40,000 passengers a day.",
    "forecast, expected": "Growth is expected to pick up in 2026, the central bank said.",
    "forecast, German": "Die Regierung will bis 2030 aus der Kohle aussteigen.",
    "history, German": "2015 hatte er bereits gekündigt; seit 2016 lebt er in Wien.",
    "history, since": "Prices have risen every year since 1997, the survey found.",
    "history, plain": "In 2008 the bank collapsed, and thousands lost their savings.",
    "history, founded": "The company, founded in 1962, employs 300 people in the town.",
    "age": "Born in 1961, she joined the paper in 1985 as a reporter.",
    "quantity": "The plant will cut 1999 jobs, and about 2000 workers may move.",
    "quantity, comma": "More than 2,000 people marched; 1,999 signed the petition.",
    "range": "The 2004-05 season was his best; he played from 2001 to 2006.",
    "range, dash": "Output fell in 2004–2005, the ministry said.",
    "fiscal": "FY2024 results beat forecasts; the 2024/25 budget and fiscal 2023 lagged.",
    "election": "Polls for the 2024 election show a close race.",
    "event": "Fans are already planning for the 2026 World Cup in North America.",
    "name": "Euro 2004 was won by Greece; Tokyo 2020 was held in 2021 without fans.",
    "decade": "The 1990s were kind to the firm, and the 2000s less so; 1980's hits sold.",
    "work": "The film Troy (2004) was shown on television on Tuesday.",
    "copyright": "The council met on Monday.\nCopyright © 2023 Example Media. All rights reserved.",
    "last year": "Sales rose by a fifth last year. In 2004 the firm made its first profit.",
    "last year, named": "Profits for 2004, last year, were the highest on record.",
    "next year": "The games come to the city next year, in 2008, and hotels are full.",
    "part of a year ahead": "Growth is expected to slow in the first half of 2005.",
    "earlier in": "Earlier in 2004, the firm had cut 300 jobs.",
    "past quarter": "'My family cut me off' in the first quarter of 2020, he added.",
    "later year reported": "So far in 2019 sales are up. In 2021 the shop closed for good.",
    "same year as past": "Imports have risen so far in 2019, the highest since 2019 began.",
    "perfect, a year just ended": "The airline has returned to profit in 2004, it said.",
    "year as subject": "2004 has been a record year; 2004 will be remembered for it.",
    "already, German": "Im Jahr 2023 haben bereits 200.000 Menschen Asyl beantragt.",
    "a year before only ahead": "Exports have grown so far in 2022; by 2016 a port will open.",
}


@pytest.mark.parametrize("case", sorted(NOT_THE_YEAR_OF_WRITING))
def test_no_inferred_year_where_the_year_named_is_not_the_year_of_writing(case: str) -> None:
    text = NOT_THE_YEAR_OF_WRITING[case]
    assert infer_year(text) is None, case
    evidence = read_years(text)
    assert evidence.year is None
    # The years are still named, for the reading pane's hint.
    assert set(evidence.named) == {int(year) for year in YEAR_IN_TEXT.findall(text)}


def test_the_old_rule_was_fooled_by_most_of_these() -> None:
    fooled = [text for text in NOT_THE_YEAR_OF_WRITING.values() if latest_named(text)]
    assert len(fooled) >= len(NOT_THE_YEAR_OF_WRITING) - 3


# --- where the words make it the year of writing ----------------------------------

THE_YEAR_OF_WRITING = {
    "so far in": ("So far in 2024, 300 migrants have drowned, the agency said.", 2024),
    "part of a year, perfect": (
        "Trade hit US$140 billion in 2021, and has already reached $93 billion in the"
        " first seven months of 2022.",
        2022,
    ),
    "to date": ("Exports in 2023 to date are 8% higher than a year before.", 2023),
    "done and ahead": (
        "The economy grew 2% in 2020 before the lockdown. Forecasters say it will"
        " shrink by 8% in 2020 as a whole.",
        2020,
    ),
    "this year": ("This year, 2005, the festival moved to the park.", 2005),
    "rest of the year": ("Shops expect weak demand for the rest of 2009.", 2009),
    "with history and forecasts": (
        "Since 1997 the port has doubled. Traffic has risen 4% so far in 2019, and"
        " the owners want to double it again by 2030.",
        2019,
    ),
    "words that point either way": (
        "She ran the firm until 2004. Figures from 2019 and the plan from 2030 aside,"
        " sales are up 3% so far in 2024.",
        2024,
    ),
    "German": ("In diesem Jahr 2023 sind die Preise gestiegen.", 2023),
    "German, so far": ("Im Jahr 2023 haben bisher 200.000 Menschen Asyl beantragt.", 2023),
}


@pytest.mark.parametrize("case", sorted(THE_YEAR_OF_WRITING))
def test_inferred_year_where_the_words_make_it_the_year_of_writing(case: str) -> None:
    text, year = THE_YEAR_OF_WRITING[case]
    assert infer_year(text) == ArticleDate(year, None, None, "inferred")
    assert read_years(text).year == year


def test_dates_module_still_offers_infer_year() -> None:
    text, year = THE_YEAR_OF_WRITING["so far in"]
    assert old_import_infer_year(text) == ArticleDate(year, None, None, "inferred")
    assert old_import_infer_year("no years here") is None


# --- the lower bound --------------------------------------------------------------


def test_not_before_is_the_latest_year_reported_as_past_or_current() -> None:
    evidence = read_years("Since 2015 he has led the party; by 2030 he wants a majority.")
    assert evidence.year is None
    assert evidence.not_before == 2015
    assert read_years("Profits for 2004, last year, were a record.").not_before == 2005
    assert read_years("Sales have risen so far in 2019.").not_before == 2019
    # A year told in the past tense is behind the writer…
    assert read_years("The bank collapsed in 2008; by 2030 it may be forgotten.").not_before == 2008
    # …but not one that was only ever ahead, nor one only named or only ahead.
    for text in (
        "The line was due to open in 2025.",
        "The talks were to resume in 2024.",
        "Crossrail was delayed again to autumn 2021.",
        "The museum may have to stay closed until spring 2021.",
        "In 2008 the bank fails, in the novel; by 2030 it may be forgotten.",
    ):
        assert read_years(text).not_before is None, text


# --- years named: the hint --------------------------------------------------------


def test_years_named_newest_first_deduplicated_and_capped() -> None:
    text = " ".join(f"In {year} it rained." for year in range(1990, 2020)) + " In 1995 too."
    assert read_years(text).named == tuple(range(2019, 2019 - YEARS_NAMED_LIMIT, -1))
    assert years_named([text]) == read_years(text).named
    assert years_named(["Talks in 2004.", "More in 1999 and 2004."]) == (2004, 1999)
    assert years_named(["No year here.", "Nor here: 2,000 and $2021."]) == ()


def parse(text: str) -> ParsedText:
    return parse_text(text, file_name="example")


def test_an_undated_article_names_the_years_of_its_text() -> None:
    parsed = parse(
        "Climate plan unveiled\n\nThe city wants to be carbon neutral by 2050. It has"
        " tracked emissions since 1997.\n"
    )
    assert parsed.date is None
    assert parsed.years_named == (2050, 1997)
    assert parsed.not_before == 1997


def test_a_dated_article_needs_no_hint() -> None:
    """The years named are a hint shown for undated articles only: a dated article is
    not scanned for them (a tenth of parsing time on the benchmark corpus)."""
    parsed = parse("Date: 2024-10-17\n\nThe plan, first drafted in 1997, runs to 2050.\n")
    assert parsed.date == ArticleDate(2024, 10, 17)
    assert parsed.years_named == ()
    assert parsed.not_before is None  # only undated articles need a bound


def test_reading_pane_says_which_years_the_text_names(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "Climate plan unveiled\n\nThe city wants to be carbon neutral by 2050. It has"
        " tracked emissions since 1997.\n",
        encoding="utf-8",
    )
    (tmp_path / "b.txt").write_text("Nothing dated\n\nNo year is named here.\n", "utf-8")
    by_name = {Path(a.path).name: a for a in load_corpus([str(tmp_path)])}
    assert by_name["a.txt"].describe_date() == (
        "undated (no date stated; the text names 2050, 1997)"
    )
    assert by_name["b.txt"].describe_date() == (
        "undated (no date stated, no year named in the text)"
    )


# --- properties -------------------------------------------------------------------

YEARISH = st.lists(
    st.sampled_from([*"0123456789 -–/.,:$'’s%_aZé\n", "19", "20", "٢", "²"]), max_size=60
).map("".join)
WORDS = st.lists(
    st.sampled_from(
        [
            "in",
            "since",
            "by",
            "so far in",
            "will",
            "has risen",
            "last year",
            "next year",
            "the first half of",
            "2004",
            "2019",
            "1999",
            "2,000",
            "2004-05",
            "FY2024",
            "Euro",
            "World Cup",
            "election",
            "people",
            "(",
            ")",
            ",",
            ".",
            "this year",
            "to date",
            "has been",
            "grew",
            "was",
            "©",
            "seit",
            "bis",
            "2099",
            "1900",
        ]
    ),
    max_size=30,
).map(" ".join)


@FAST
@given(st.text(max_size=300) | YEARISH | WORDS)
@example("In 1899 and 2100, then so far in 2024.")
@example("2099, last year, was long. Next year, 1900, is ahead.")
def test_any_text_never_raises_and_stays_in_range(text: str) -> None:
    evidence = read_years(text)
    for year in (evidence.year, evidence.not_before):
        assert year is None or MIN_YEAR <= year <= MAX_YEAR
    if evidence.year is not None:
        assert str(evidence.year) in text  # inferred from a year the text names
    regex_years = {int(year) for year in YEAR_IN_TEXT.findall(text)}
    # years_named is consistent with the text: the newest years it names, in order.
    assert list(evidence.named) == sorted(regex_years, reverse=True)[:YEARS_NAMED_LIMIT]
    assert years_named([text]) == evidence.named
    # Never "no year named in the text" when one is.
    assert bool(evidence.named) == bool(regex_years)


@FAST
@given(st.text(max_size=200) | YEARISH | WORDS)
@example("1990's 1990’s 1990's_ 2004-05 2004–2005 US$2021 x2021 2021.5 2021. (2021) _2021")
@example("20٢1 ٢2021 2021٢ é2021 2021é 2021% 1/2/2020 2020s 12021 20211 2021.²")
def test_year_mentions_agree_with_the_regex(text: str) -> None:
    found = [(match.start(), int(match.group())) for match in YEAR_IN_TEXT.finditer(text)]
    assert year_mentions(text) == found


# --- the corpus: --no-infer and the header's span -------------------------------------


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


FILES = {
    "stated_old.txt": "Date: 2021-03-04\n\nTalks were held in the capital.\n",
    "stated_new.txt": "Date: 2023-05-06\n\nThe talks resumed.\n",
    "inferred.txt": "Port traffic\n\nTraffic has risen 4% so far in 2024 at the port.\n",
    "forecast.txt": "Climate plan\n\nThe city wants to be carbon neutral by 2050.\n",
}


def test_date_span_uses_stated_dates_only(tmp_path: Path) -> None:
    corpus = load_corpus([str(write(tmp_path / "a", FILES))])
    inferred = next(a for a in corpus if a.path.endswith("inferred.txt"))
    assert inferred.date == ArticleDate(2024, None, None, "inferred")
    span = corpus.date_span()
    assert span is not None
    assert (span[0].iso(), span[1].iso()) == ("2021-03-04", "2023-05-06")


def test_date_span_is_kept_as_batches_arrive(tmp_path: Path) -> None:
    articles = list(load_corpus([str(write(tmp_path / "a", FILES))]))
    corpus = Corpus("x")
    assert corpus.date_span() is None
    corpus.add([a for a in articles if a.date is None or a.date.inferred])
    assert corpus.date_span() is None  # nothing stated yet
    corpus.add([a for a in articles if a.path.endswith("stated_new.txt")])
    span = corpus.date_span()
    assert span is not None and span[0] == span[1] == ArticleDate(2023, 5, 6)
    corpus.add([a for a in articles if a.path.endswith("stated_old.txt")])
    span = corpus.date_span()
    assert span is not None and (span[0].year, span[1].year) == (2021, 2023)


def test_corpus_without_inference_keeps_no_inferred_year(tmp_path: Path) -> None:
    articles = list(load_corpus([str(write(tmp_path / "a", FILES))]))
    corpus = Corpus("x", infer=False)
    corpus.add(articles)
    inferred = next(a for a in corpus if a.path.endswith("inferred.txt"))
    assert inferred.date is None and inferred.date_origin is None
    assert inferred.describe_date() == "undated (no date stated; the text names 2024)"
    assert all(a.date is None or not a.date.inferred for a in corpus)
    assert corpus.period_counts()[-1] == 2  # both undated in the timeline too


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def test_no_infer_on_the_command_line(tmp_path: Path) -> None:
    folder = str(write(tmp_path / "a", FILES))
    rows = [json.loads(line) for line in cli("--list", "--json", folder).stdout.splitlines()]
    by_name = {Path(row["path"]).name: row for row in rows}
    assert (by_name["inferred.txt"]["date"], by_name["inferred.txt"]["date_source"]) == (
        "2024",
        "inferred",
    )
    assert by_name["forecast.txt"]["date"] is None
    result = cli("--list", "--json", "--no-infer", folder)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert all(row["date_source"] != "inferred" for row in rows)
    by_name = {Path(row["path"]).name: row for row in rows}
    assert by_name["inferred.txt"]["date"] is None
    assert Path(rows[-1]["path"]).name in ("inferred.txt", "forecast.txt")  # undated last
    plain = cli("--list", "--no-infer", folder).stdout
    assert "(inferred)" not in plain and "2024 (inferred)" in cli("--list", folder).stdout
    shown = cli("--show", str(tmp_path / "a" / "inferred.txt"), "--no-infer", folder).stdout
    assert "Date:     undated (no date stated; the text names 2024)" in shown
    assert "--no-infer" in cli("--help").stdout


def test_the_app_passes_no_infer_to_its_corpus() -> None:
    from tui.app import BroadsheetApp

    assert BroadsheetApp(["seeds"], infer=False).corpus.infer is False
    assert BroadsheetApp(["seeds"]).corpus.infer is True


# --- the benchmark's labelled sets -----------------------------------------------------


def test_bench_skips_a_set_that_is_absent(tmp_path: Path) -> None:
    from bench import infer_years

    assert infer_years.real_dev_set(tmp_path / "nowhere") is None
    assert infer_years.real_dev_prose(tmp_path / "nowhere") is None


def test_bench_removes_lines_that_state_a_full_date() -> None:
    from bench.infer_years import without_full_dates

    text = "\n".join(
        [
            "Published: October 19, 2019",
            "17.10.2024 | Politik",
            "Aktualisiert am 3. März 2023",
            "2024年10月17日",
            "Updated 10:14",
            "The ministry said exports rose in 2019.",
            "© 2023 Example Media",
        ]
    )
    assert without_full_dates(text).split("\n") == [
        "The ministry said exports rose in 2019.",
        "© 2023 Example Media",
    ]
