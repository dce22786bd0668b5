"""Parsing one file's text: header lines, dates, titles and cleaning (PRODUCT.md,
"Reading a corpus"). Each test builds the smallest text that shows one rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.corpus import load_corpus
from tui.corpus.dates import ArticleDate, DateProblem, infer_year, parse_stated_date
from tui.corpus.parse import TITLE_LIMIT, ParsedText, cut_title, parse_text

LONG = (
    "The delegation travelled by road from the capital to the border crossing, where"
    " officials from both countries inspected the new customs terminal and its scanners."
)


def parse(text: str) -> ParsedText:
    return parse_text(text, file_name="example")


def day(parsed: ParsedText) -> tuple[int, int | None, int | None] | None:
    if parsed.date is None:
        return None
    return (parsed.date.year, parsed.date.month, parsed.date.day)


# --- header lines -------------------------------------------------------------------


def test_header_block_title_published_source() -> None:
    parsed = parse(
        "Title: Talks in Tashkent\nPublished: 17 October 2024\nSource: Dawn\n\n"
        "The ministers met on Wednesday. They agreed to meet again.\n"
    )
    assert parsed.title == "Talks in Tashkent"
    assert parsed.title_source == "header"
    assert day(parsed) == (2024, 10, 17)
    assert parsed.date is not None and parsed.date.source == "stated"
    assert parsed.date_text == "17 October 2024"
    assert parsed.date_line == 2
    assert parsed.source == "Dawn"
    assert parsed.paragraphs == ["The ministers met on Wednesday. They agreed to meet again."]
    assert parsed.warnings == []


def test_date_header_with_colon() -> None:
    parsed = parse("Date: 2024-03-05\n\nBody text here.\n")
    assert day(parsed) == (2024, 3, 5)
    assert parsed.date_line == 1
    assert parsed.paragraphs == ["Body text here."]


def test_headers_are_case_insensitive_and_only_at_the_top() -> None:
    parsed = parse("TITLE: Loud\nDATE: 2020-01-02\n\nText.\n\nDate: 2024-01-01\n")
    assert parsed.title == "Loud"
    assert day(parsed) == (2020, 1, 2)
    # A "Date:" line in the body is text, not metadata.
    assert parsed.paragraphs == ["Text.", "Date: 2024-01-01"]


def test_bare_date_sharing_the_body_line_is_split() -> None:
    parsed = parse(" date 2024-10-08 In a move aimed at trade, the envoy met the minister.\n")
    assert day(parsed) == (2024, 10, 8)
    assert parsed.date_text == "2024-10-08"
    assert parsed.paragraphs == ["In a move aimed at trade, the envoy met the minister."]
    assert parsed.title == "In a move aimed at trade, the envoy met the minister."
    assert parsed.title_source == "first sentence"


def test_bare_date_alone_on_its_line() -> None:
    parsed = parse(" date 2022-01-10 \n\n\n\nThe meeting was postponed.\n")
    assert day(parsed) == (2022, 1, 10)
    assert parsed.paragraphs == ["The meeting was postponed."]


def test_line_that_is_only_a_date() -> None:
    parsed = parse("*2024-02-14*\n\nSome body text. Another sentence.\n")
    assert day(parsed) == (2024, 2, 14)
    assert parsed.date_text == "2024-02-14"
    assert parsed.paragraphs == ["Some body text. Another sentence."]


def test_bold_long_form_date_line() -> None:
    parsed = parse("**Tuesday, 8 October 2024**\n\nBody.\n")
    assert day(parsed) == (2024, 10, 8)


# --- dates ----------------------------------------------------------------------------


def test_day_over_twelve_means_day_first() -> None:
    assert day(parse("Date: 17/10/2024\n\nBody.\n")) == (2024, 10, 17)
    assert day(parse("17.10.2024\n\nBody.\n")) == (2024, 10, 17)


def test_ambiguous_numeric_date_reads_month_first() -> None:
    assert day(parse("Date: 10/08/2024\n\nBody.\n")) == (2024, 10, 8)


def test_month_precision() -> None:
    parsed = parse("Date: February 2024\n\nBody.\n")
    assert parsed.date == ArticleDate(2024, 2, None, "stated")
    assert parsed.date.precision == "month"
    assert parsed.date.iso() == "2024-02"


def test_year_precision_stated() -> None:
    parsed = parse("Date: 2019\n\nBody.\n")
    assert parsed.date == ArticleDate(2019, None, None, "stated")
    assert parsed.date.iso() == "2019"


@pytest.mark.parametrize(
    "text",
    ["Published: Oct 8, 2024", "Date: 8 Oct 2024", "Date: 2024-10-08T09:30:00Z",
     "Date: Tuesday, 8 October 2024 10:00 PKT", "Posted: October 8th, 2024"],
)
def test_common_written_forms(text: str) -> None:
    assert day(parse(text + "\n\nBody.\n")) == (2024, 10, 8)


def test_impossible_date_is_a_warning_not_a_crash() -> None:
    parsed = parse("Date: 2024-13-45\n\nThe text names no year at all.\n")
    assert parsed.date is None
    assert len(parsed.warnings) == 1
    assert "2024-13-45" in parsed.warnings[0]
    assert "impossible" in parsed.warnings[0]
    assert parsed.warnings[0].startswith("line 1:")


def test_impossible_date_falls_back_to_an_inferred_year() -> None:
    parsed = parse("2024-13-45\n\nTrade has risen 5% so far in 2023; it fell in 2021.\n")
    assert parsed.date == ArticleDate(2023, None, None, "inferred")
    assert parsed.warnings and "impossible" in parsed.warnings[0]


def test_relative_date_without_a_year_is_undated() -> None:
    parsed = parse(
        "On Tuesday the minister said that talks held in February had gone well.\n\n"
        "Officials will meet again next week.\n"
    )
    assert parsed.date is None
    assert parsed.date_text is None


def test_date_header_without_year_is_never_filled_from_today() -> None:
    parsed = parse("Date: Tuesday 8 October\n\nOfficials met.\n")
    assert parsed.date is None
    assert parsed.warnings and "year" in parsed.warnings[0]


def test_two_digit_year_is_not_guessed() -> None:
    """'17/10/24' could be 2017-10-24; dateutil would pivot it on today's year."""
    parsed = parse("Date: 17/10/24\n\nOfficials met.\n")
    assert parsed.date is None
    assert "four-digit year" in parsed.warnings[0]


def test_years_named_without_evidence_leave_the_article_undated() -> None:
    """The latest year named is not the year of writing (issue 11): only a hint."""
    parsed = parse("Trade talks began in 1998 and resumed in 2015; by 2012 little was left.\n")
    assert parsed.date is None
    assert parsed.years_named == (2015, 2012, 1998)


def test_inferred_year_ignores_money_and_numbers() -> None:
    text = "Exports reached US$2099 million; 2,050 tonnes were shipped, up 2030% on 1/2/2031.\n"
    assert parse(text).date is None


def test_inferred_year_may_come_from_the_headline() -> None:
    parsed = parse("Exports so far in 2024: what changed\n\nThe minister presented the plan.\n")
    assert parsed.title == "Exports so far in 2024: what changed"
    assert parsed.date == ArticleDate(2024, None, None, "inferred")


def test_parse_stated_date_directly() -> None:
    assert parse_stated_date("17 October 2024") == ArticleDate(2024, 10, 17)
    with pytest.raises(DateProblem):
        parse_stated_date("2024-02-30")
    with pytest.raises(DateProblem):
        parse_stated_date("1850-01-01")
    with pytest.raises(DateProblem):
        parse_stated_date("next Tuesday")
    assert infer_year("no years here") is None


# --- HTML ---------------------------------------------------------------------------


def test_html_entities_unescaped_and_tags_dropped() -> None:
    parsed = parse(
        "<p>Tom &amp; Jerry met &quot;friends&quot; at the caf&eacute;.</p>\n"
        "<p>They talked <b>at length</b> about&nbsp;trade&#8217;s future.</p>\n"
    )
    text = "\n".join(parsed.paragraphs)
    assert "Tom & Jerry met \"friends\" at the café." in text
    assert "They talked at length about trade’s future." in text
    assert "<" not in text and "&amp;" not in text and "\u00a0" not in text


def test_script_and_style_blocks_dropped() -> None:
    parsed = parse(
        "Kept before.\n\n<script type='text/javascript'>var secret = 'hidden';</script>\n\n"
        "<style>p { color: red }</style>Kept after.\n"
    )
    text = "\n".join(parsed.paragraphs)
    assert "Kept before." in text and "Kept after." in text
    assert "secret" not in text and "color" not in text


def test_many_unclosed_script_tags_are_dropped() -> None:
    """A lazy regex once rescanned the rest of the text from every opener: this input
    took minutes. No clock here (speed belongs to `make bench`); a regression shows as
    a suite that stalls on this test."""
    parsed = parse("<script>" * 20_000 + "\n\nText.\n")
    assert parsed.paragraphs == ["Text."]


def test_entity_that_spells_a_control_character_is_neutralised() -> None:
    parsed = parse("Before &#27;[31m after &#x9b; and &#x202e; end.\n")
    text = parsed.paragraphs[0]
    assert "\x1b" not in text and "\x9b" not in text and "\u202e" not in text
    assert text.startswith("Before ") and text.endswith(" end.")


# --- paragraphs ---------------------------------------------------------------------


def test_hard_wrapped_lines_are_rejoined() -> None:
    parsed = parse(
        "This is a hard wrapped line of text that goes on and\n"
        "on and on until it reaches the end of the paragraph\n"
        "which is here.\n\n"
        "Second paragraph starts here and is\n"
        "also wrapped, with a multi-\n"
        "faceted word.\n"
    )
    assert parsed.paragraphs == [
        "This is a hard wrapped line of text that goes on and on and on until it reaches"
        " the end of the paragraph which is here.",
        "Second paragraph starts here and is also wrapped, with a multi-faceted word.",
    ]


def test_long_one_line_paragraphs_without_blank_lines_stay_apart() -> None:
    lines = [f"Paragraph {n}: {LONG}" for n in range(3)]
    parsed = parse("\n".join(lines) + "\n")
    assert parsed.paragraphs == lines


def test_list_items_and_headings_stand_alone() -> None:
    parsed = parse("Intro line that is the lead.\n\n## Points\n- first point\n- second point\n")
    assert parsed.paragraphs[-3:] == ["Points", "- first point", "- second point"]


def test_a_line_repeated_right_after_itself_is_collapsed() -> None:
    parsed = parse(f"{LONG}\n\n{LONG}\n\nA different closing line.\n")
    assert parsed.paragraphs == [LONG, "A different closing line."]


def test_a_line_repeated_later_is_kept() -> None:
    parsed = parse(f"{LONG}\n\nSomething else entirely.\n\n{LONG}\n")
    assert parsed.paragraphs.count(LONG) == 2


@pytest.mark.parametrize(
    "noise",
    [
        "[Related: China blames NSA for cyber-attack on its military research university]",
        "You need to be a member to post comments. Become a member for free today!",
        "Powered by MOMENTUM MEDIA",
        "defence connect logo",
        "==============",
        "-----",
        "Advertisement",
    ],
)
def test_boilerplate_lines_are_dropped(noise: str) -> None:
    parsed = parse(f"{LONG}\n\n{noise}\n\nThe talks ended on Friday.\n")
    assert parsed.paragraphs == [LONG, "The talks ended on Friday."]


def test_boilerplate_rules_spare_real_sentences() -> None:
    sentence = (
        "The company unveiled its new logo at a ceremony attended by the minister, who"
        " said the design was powered by local talent and would be used on every product"
        " the firm sells abroad from next year onwards."
    )
    parsed = parse(f"{LONG}\n\n{sentence}\n")
    assert parsed.paragraphs == [LONG, sentence]


def test_boilerplate_goes_a_sentence_at_a_time() -> None:
    # A line that mixes boilerplate with article text keeps the article text (it was
    # dropped whole, so its words were neither shown nor found).
    parsed = parse(
        f"{LONG}\n\nShare this article. The minister said on Tuesday that talks would go on."
        " Advertisement. Click here to subscribe. Prices rose 3 %.\n"
    )
    assert parsed.paragraphs == [
        LONG,
        "The minister said on Tuesday that talks would go on. Prices rose 3 %.",
    ]


def test_very_long_line_is_split_and_reported() -> None:
    text = ("The committee met again. " * 40_000).strip()
    parsed = parse(text + "\n")
    assert len(parsed.paragraphs) > 100
    assert max(len(p) for p in parsed.paragraphs) <= 5000
    assert "".join(parsed.paragraphs).replace(" ", "") == text.replace(" ", "")
    assert any("split" in warning for warning in parsed.warnings)


# --- titles ---------------------------------------------------------------------------


def test_title_from_first_sentence_cut_at_a_word_boundary() -> None:
    parsed = parse(LONG + " More follows.\n")
    assert parsed.title_source == "first sentence"
    assert len(parsed.title) <= TITLE_LIMIT + 1
    assert parsed.title.endswith("…")
    stem = parsed.title[:-1]
    assert LONG.startswith(stem)
    assert LONG[len(stem)] == " "  # cut between words, not inside one


def test_short_first_sentence_is_the_whole_title() -> None:
    parsed = parse("Mr. Khan met Dr. Ahmed in St. Petersburg. They talked.\n")
    assert parsed.title == "Mr. Khan met Dr. Ahmed in St. Petersburg."


def test_cut_title_keeps_short_text() -> None:
    assert cut_title("Short title") == "Short title"
    assert len(cut_title("word " * 50)) <= TITLE_LIMIT + 1


def test_short_first_line_is_a_headline() -> None:
    parsed = parse("Pakistan and Russia sign energy deal\n\nThe deal was signed today.\n")
    assert parsed.title == "Pakistan and Russia sign energy deal"
    assert parsed.title_source == "headline"
    assert parsed.paragraphs == ["The deal was signed today."]


def test_markdown_heading_is_the_title() -> None:
    parsed = parse("# Talks resume in Moscow\n\nThe talks resumed on Monday.\n")
    assert parsed.title == "Talks resume in Moscow"
    assert parsed.title_source == "headline"
    assert parsed.paragraphs == ["The talks resumed on Monday."]


def test_headline_repeated_below_is_shown_once() -> None:
    parsed = parse("Ports deal signed\n\nPorts deal signed\n\nThe deal covers two ports.\n")
    assert parsed.title == "Ports deal signed"
    assert parsed.paragraphs == ["The deal covers two ports."]


def test_one_line_file_is_body_not_just_a_title() -> None:
    parsed = parse("Ministers meet in 2020\n")
    assert parsed.paragraphs == ["Ministers meet in 2020"]
    assert parsed.title == "Ministers meet in 2020"
    assert parsed.date is None  # a year named is not the year of writing
    assert parsed.years_named == (2020,)


def test_boilerplate_first_line_is_not_the_title() -> None:
    parsed = parse("Powered by MOMENTUM MEDIA\nsite logo\n\nReal headline here\n\nBody text.\n")
    assert parsed.title == "Real headline here"


def test_file_with_no_text_left_is_named_after_the_file() -> None:
    parsed = parse("=====\nPowered by X\n")
    assert parsed.title == "example"
    assert parsed.title_source == "file name"
    assert parsed.paragraphs == []


# --- duplicates (through the model) -------------------------------------------------


def test_identical_cleaned_texts_are_one_article(tmp_path: Path) -> None:
    body = f"Ports deal signed\n\n{LONG}\n"
    (tmp_path / "a.txt").write_text(body, encoding="utf-8")
    # Same cleaned text: boilerplate, extra blank lines and CRLF endings do not count.
    (tmp_path / "b.txt").write_bytes(
        f"Powered by Scraper\r\nPorts deal signed\r\n\r\n\r\n{LONG}\r\n=====\r\n".encode()
    )
    (tmp_path / "c.txt").write_text(f"Other headline\n\n{LONG}\n", encoding="utf-8")
    corpus = load_corpus([str(tmp_path)])
    assert len(corpus) == 2
    first = corpus.find(str(tmp_path / "a.txt"))
    assert first is not None
    assert [Path(path).name for path in first.duplicates] == ["b.txt"]
    assert corpus.find(str(tmp_path / "b.txt")) is first
    other = corpus.find(str(tmp_path / "c.txt"))
    assert other is not None and other is not first and other.duplicates == ()
    assert first.to_json()["duplicates"] == list(first.duplicates)


def test_colon_date_header_shares_its_line_with_the_body() -> None:
    parsed = parse_text(
        "Date: 2024-01-01 The talks began in Geneva on Monday with both sides present.\n\n"
        "A second paragraph follows.\n"
    )
    assert parsed.date is not None and parsed.date.iso() == "2024-01-01"
    assert parsed.paragraphs[0].startswith("The talks began in Geneva")
    # A short tail is part of the header, not the body.
    tail = parse_text("Date: 2024-01-01 | 10:32\n\nBody text goes here and is long enough.\n")
    assert tail.paragraphs == ["Body text goes here and is long enough."]


def test_a_chinese_sentence_is_no_headline_and_its_full_stop_ends_the_title() -> None:
    """Chinese puts no space after 。: the title is the first sentence, not the whole line,
    and a line ending in 。 is a sentence, not a headline."""
    parsed = parse_text(
        "北京大学的研究人员发现了新的方法。上海交通大学也参与了研究。\n\n第二段。\n"
    )
    assert parsed.title == "北京大学的研究人员发现了新的方法。"
    assert parsed.title_source == "first sentence"
    assert parsed.paragraphs[0].startswith("北京大学")


# --- a headline right above its dateline ------------------------------------------

_TALKS = "The ministers met in Tashkent and agreed to meet again in spring, officials said."


@pytest.mark.parametrize(
    ("under", "expected"),
    [
        ("March 3, 2021", (2021, 3, 3)),
        ("Published: March 3, 2021 at 5:00 p.m. ET", (2021, 3, 3)),
        ("By Jane Doe | March 3, 2021", (2021, 3, 3)),
        ("3 mars 2021 à 17h00", (2021, 3, 3)),
        ("26-FEB-1987 15:01:01.79", (1987, 2, 26)),  # Reuters-21578's form
        ("By JANE DOE, Associated Press\nMarch 3, 2021", (2021, 3, 3)),
    ],
)
@pytest.mark.parametrize("gap", ["\n", "\n\n"])
def test_a_headline_right_above_its_dateline_is_the_title_alone(
    under: str, expected: tuple[int, int, int], gap: str
) -> None:
    """Copied from a page, a headline often has its dateline (or byline) on the next
    line: the two were joined into one paragraph, and the title ran on into the date."""
    parsed = parse(f"Ministers agree to meet again\n{under}{gap}{_TALKS}\n")
    assert parsed.title == "Ministers agree to meet again"
    assert parsed.title_source == "headline"
    assert day(parsed) == expected and parsed.date_origin == "dateline"
    assert parsed.paragraphs[-1] == _TALKS
    assert not any(p.startswith("Ministers agree") for p in parsed.paragraphs)


@pytest.mark.parametrize(
    "second",
    [
        "3 March 2021 and agreed to meet again in spring.",  # a sentence, wrapped
        "March 2021",  # a month alone may end a wrapped sentence
        "by the end of the week, officials said",
    ],
)
def test_a_short_first_line_above_a_date_in_a_sentence_is_still_joined(second: str) -> None:
    parsed = parse(f"The ministers met in Tashkent on\n{second}\n\n{_TALKS}\n")
    assert parsed.title_source == "first sentence"
    assert parsed.paragraphs[0] == f"The ministers met in Tashkent on {second}"
