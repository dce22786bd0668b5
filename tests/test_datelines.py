"""The page's own date in a scraped page: bylines and datelines, and the decoys."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench import real_dates
from tui.corpus.datelines import find_dateline
from tui.corpus.dates import ArticleDate
from tui.corpus.parse import parse_text


def page(text: str) -> list[str]:
    return text.strip("\n").split("\n")


def found(text: str, title_line: int | None = 1) -> tuple[str, str, int] | None:
    dateline = find_dateline(page(text), title_line)
    if dateline is None:
        return None
    return dateline.date.iso(), dateline.text, dateline.line


NAV = "\n\nHome\n\nNews\n\nSport\n\nContact\n\nSearch\n"
BODY = (
    "\n\nThe council met on Tuesday evening to discuss the budget, and after a long debate"
    " it agreed to spend more on the harbour and less on the old town hall.\n\n"
    "Residents said they had waited for years for the decision.\n"
)


# --- the forms ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # English byline
            "Harbour plan approved\n\nBy Staff Reporter | October 17, 2024" + BODY,
            ("2024-10-17", "October 17, 2024", 3),
        ),
        (  # the original wins over the update
            "Harbour plan approved\n\nPublished: 3 March 2023, 10:14 · Updated: 5 March 2023"
            + BODY,
            ("2023-03-03", "3 March 2023", 3),
        ),
        (  # …in either order
            "Harbour plan approved\n\nUpdated 5 March 2023 | Published 3 March 2023" + BODY,
            ("2023-03-03", "3 March 2023", 3),
        ),
        (  # a date on its own line under the title
            "Harbour plan approved\n\n17.10.2024" + BODY,
            ("2024-10-17", "17.10.2024", 3),
        ),
        (  # a markdown heading, then a date line
            "# Harbour plan approved\n\n*October 17, 2024*" + BODY,
            ("2024-10-17", "October 17, 2024", 3),
        ),
        (
            "Harbour plan approved\n\nPosted on September 21, 2020 by Adi" + BODY,
            ("2020-09-21", "September 21, 2020", 3),
        ),
        (  # German
            "Hafenplan beschlossen\n\nVeröffentlicht am 17.10.2024" + BODY,
            ("2024-10-17", "17.10.2024", 3),
        ),
        (  # French
            "Le port s'agrandit\n\nPublié le 9 juin 2019 à 10h08" + BODY,
            ("2019-06-09", "9 juin 2019", 3),
        ),
        (  # Spanish
            "El puerto crece\n\nPublicado el 17 de octubre de 2024" + BODY,
            ("2024-10-17", "17 de octubre de 2024", 3),
        ),
        (  # Italian
            "Il porto cresce\n\nPubblicato il 17 ottobre 2024" + BODY,
            ("2024-10-17", "17 ottobre 2024", 3),
        ),
        (  # Portuguese
            "O porto cresce\n\nPublicado em 17 de outubro de 2024" + BODY,
            ("2024-10-17", "17 de outubro de 2024", 3),
        ),
        (  # Russian (Cyrillic)
            "Порт расширяется\n\nОпубликовано 17 октября 2024 г." + BODY,
            ("2024-10-17", "17 октября 2024", 3),
        ),
        (  # Chinese (CJK)
            "港口扩建计划获批\n\n发布时间：2024年10月17日 10:14" + BODY,
            ("2024-10-17", "2024年10月17日", 3),
        ),
        (  # Japanese, full-width digits
            "港の拡張計画\n\n公開日 ２０２４年１０月１７日" + BODY,
            ("2024-10-17", "２０２４年１０月１７日", 3),
        ),
        (  # Korean (Hangul)
            "항만 확장 계획 승인\n\n입력 2024년 10월 17일" + BODY,
            ("2024-10-17", "2024년 10월 17일", 3),
        ),
        (  # Korean numeric
            "항만 확장 계획 승인\n\n2024. 10. 17. 09:30" + BODY,
            ("2024-10-17", "2024. 10. 17.", 3),
        ),
    ],
)
def test_dateline_forms(text: str, expected: tuple[str, str, int]) -> None:
    assert found(text) == expected


def test_last_update_is_an_update_not_a_publication() -> None:
    text = "Harbour plan approved\n\nLast update: 06.10.2023\n\nPublished 05.10.2023" + BODY
    assert found(text) == ("2023-10-05", "05.10.2023", 5)
    # An update alone, right under the headline, is the best the page says.
    assert found("Harbour plan approved\n\nAktualisiert am 07.11.2023" + BODY) == (
        "2023-11-07",
        "07.11.2023",
        3,
    )


def test_two_digit_years_only_when_dotted_and_this_century() -> None:
    german = "Hafenplan beschlossen\n\nVeröffentlicht am 19.10.19 um 14:34 Uhr" + BODY
    assert found(german) == ("2019-10-19", "19.10.19", 3)
    # 1998 or 2098? No date rather than a guess; and slashes leave the order open.
    assert found("Hafenplan beschlossen\n\n19.10.98" + BODY) is None
    assert found("Harbour plan approved\n\n10/11/19" + BODY) is None


def test_relative_dates_are_not_dates() -> None:
    assert found("Harbour plan approved\n\nBy Staff — 3 hours ago" + BODY) is None
    assert found("Hafenplan beschlossen\n\nvor 2 Tagen aktualisiert" + BODY) is None


# --- scraped pages with decoys --------------------------------------------------------

SCRAPED_EN = (
    "Harbour plan approved after long debate – The Daily Example\n"
    + NAV
    + "\nThursday, November 9, 2023\n"  # the day the page was saved, in the site's header
    + "\nHarbour plan approved after long debate\n"
    + "\nBy Jane Doe\n\nNovember 8, 2023 | 6:03 pm\n"
    + BODY
    + "\nThe festival will take place on 12 August 2024 at the harbour.\n"
    + "\nRelated articles\n\nNew ferry line opens\n\nOctober 2, 2023\n"
    + "\nBudget vote delayed\n\nSeptember 28, 2023\n"
    + "\n3 Comments\n\nMark says:\n\nNovember 9, 2023 at 8:14 am\n\nGreat news.\n"
    + "\nLast updated: November 10, 2023\n"
    + "\n© 2023 The Daily Example. All rights reserved.\n"
)

SCRAPED_DE = (
    "Hafenplan beschlossen – Beispielzeitung\n"
    + NAV
    + "\nDienstag, 7. November 2023\n"
    + "\nLokales\n\nHafenplan beschlossen\n"
    + "\nVon Max Mustermann\n\n06.11.2023, 14:10 Uhr\n"
    + "\nAktualisiert am 07.11.2023, 09:00 Uhr\n"
    + "\nDer Stadtrat hat am Montag lange über den Hafen beraten und am Ende mit großer"
    " Mehrheit zugestimmt, wie der Bürgermeister am 5. November 2023 angekündigt hatte.\n"
    + "\nDas könnte Sie auch interessieren\n\n01.11.2023 · Lokales\n\n28.10.2023 · Sport\n"
    + "\nKommentare\n\nAntworten\n\n07.11.2023, 08:12 von Leser\n"
    + "\n© 2023 Beispielzeitung\n"
)

SCRAPED_FR = (
    "Le port s'agrandit : le conseil a voté - Journal Exemple\n"
    + NAV
    + "\nLe port s'agrandit : le conseil a voté\n"
    + "\nPar Jean Dupont\n\nPublié le 2 novembre 2023 à 16h17\n"
    + "\nMis à jour le 3 novembre 2023\n"
    + "\nLe conseil municipal a voté mardi soir, après un long débat, pour agrandir le"
    " port avant l'été 2025, comme annoncé le 12 octobre 2023.\n"
    + "\nÀ lire aussi\n\n30 octobre 2023\n\nLe ferry reprend du service\n"
)


def line_of(text: str, start: str) -> int:
    return next(i for i, line in enumerate(page(text), 1) if line.startswith(start))


def test_scraped_english_page_with_decoys() -> None:
    expected_line = line_of(SCRAPED_EN, "November 8, 2023 | 6:03 pm")
    assert found(SCRAPED_EN) == ("2023-11-08", "November 8, 2023", expected_line)


def test_scraped_german_page_with_decoys() -> None:
    assert found(SCRAPED_DE) == (
        "2023-11-06",
        "06.11.2023",
        line_of(SCRAPED_DE, "06.11.2023, 14:10"),
    )


def test_scraped_french_page_with_decoys() -> None:
    assert found(SCRAPED_FR) == (
        "2023-11-02",
        "2 novembre 2023",
        line_of(SCRAPED_FR, "Publié le 2 novembre"),
    )


def test_saved_day_in_the_sites_header_is_not_the_pages() -> None:
    text = (
        "Grenzen zu: der Partner wird zum Fremden\n\nMittwoch, 8. Juli 2020\n"
        + NAV
        + "\nEine ganz andere Überschrift als der Titel der Seite\n\nThomas Muster\n"
        + "\n27.04.2020 - 18:50 Uhr\n"
        + BODY
        + "\nKommentare\n\n28.04.2020, 10:27 Uhr\n\n27.04.2020, 20:10 Uhr\n"
    )
    # The masthead's day is dropped; the date just above the text is the page's.
    assert found(text) == ("2020-04-27", "27.04.2020", 20)


def test_only_decoys_give_no_date() -> None:
    text = (
        "Harbour plan approved after long debate – The Daily Example\n"
        + NAV
        + "\nHarbour plan approved after long debate\n"
        + BODY
        + "\nThe festival will take place on 12 August 2024 at the harbour.\n"
        + "\n3 Comments\n\nMark says:\n\nReply\n\nNovember 9, 2023 at 8:14 am\n"
        + "\n© 2023 The Daily Example. All rights reserved.\n"
    )
    assert found(text) is None


def test_related_list_far_from_the_headline_gives_no_date() -> None:
    lines = ["Harbour plan approved after long debate – The Daily Example", ""]
    lines += ["Harbour plan approved after long debate", ""]
    lines += ["A long paragraph of the article that goes on and on about the harbour."] * 60
    lines += ["Related", "October 2, 2023", "New ferry", "September 28, 2023", "Budget"]
    assert find_dateline(lines, 1) is None


def test_event_dates_in_sentences_are_not_the_pages() -> None:
    text = (
        "Harbour plan approved\n\nThe vote, held on 17 October 2024 after months of talks,"
        " was close.\n\nThe works start in spring.\n"
    )
    assert found(text) is None


def test_copyright_and_date_ranges_are_not_the_pages() -> None:
    text = "Harbour festival\n\n© 12.01.2023 Example\n\nFestival 12.10. - 15.10.2023\n" + BODY
    assert found(text) is None


def test_ambiguous_numeric_date_follows_the_page() -> None:
    day_first = "Le port\n\n06/11/2023\n\nAutres : 17.10.2023, 30 octobre 2023" + BODY
    assert found(day_first) == ("2023-11-06", "06/11/2023", 3)
    unsettled = "Harbour\n\n06/11/2023" + BODY
    assert found(unsettled) is None


def test_no_title_and_no_lines() -> None:
    assert find_dateline([], None) is None
    assert find_dateline([""], 1) is None
    # An out-of-range title line is ignored; the date above the text is still found.
    prose = "The council approved the harbour plan after a long debate on Tuesday night."
    assert find_dateline(["17.10.2024", prose, prose], 5) is not None
    # A lone date with no text to date is no page's date.
    assert find_dateline(["17.10.2024"], 5) is None


# --- the whole parse --------------------------------------------------------------------


def test_parse_text_takes_the_dateline_when_the_header_has_no_date() -> None:
    parsed = parse_text(SCRAPED_EN)
    assert parsed.date == ArticleDate(2023, 11, 8, "stated")
    assert parsed.date_origin == "dateline"
    assert parsed.date_text == "November 8, 2023"
    assert parsed.date_line == line_of(SCRAPED_EN, "November 8, 2023 | 6:03 pm")
    assert SCRAPED_EN.split("\n")[parsed.date_line - 1].startswith(parsed.date_text)


def test_parse_text_header_date_wins_over_a_dateline() -> None:
    parsed = parse_text("Date: 2024-01-05\nTitle: Harbour\n\nBy Staff | October 17, 2024" + BODY)
    assert parsed.date == ArticleDate(2024, 1, 5, "stated")
    assert parsed.date_origin != "dateline"


def test_parse_text_headline_then_dateline() -> None:
    parsed = parse_text("# Harbour plan approved\n\n17 октября 2024 г." + BODY, path="a.txt")
    assert (parsed.date, parsed.date_origin, parsed.date_line) == (
        ArticleDate(2024, 10, 17, "stated"),
        "dateline",
        3,
    )


# --- decoys found on pages the finder was not tuned on -----------------------------------

PROSE = (
    "\n\nThe council met on Tuesday evening to discuss the budget, and after a long debate"
    " it agreed to spend more on the harbour and less on the old town hall.\n\n"
    "Residents said they had waited for years for the decision, and many of them came.\n\n"
    "The works are to start in spring and take two years, the mayor told reporters.\n"
)


@pytest.mark.parametrize(
    "headline",
    [
        "Windows 11 October 2024 update breaks printers",
        "Top 10 October 2024 releases",
        "Galaxy S24 January 2024 patch notes",
    ],
)
def test_a_number_before_a_month_is_not_a_day(headline: str) -> None:
    # As the headline, in a teaser list under it, or as a short line: never a day.
    assert found(f"{headline}\n\nBy Staff" + PROSE) is None
    assert found(f"Tech news\n\n{headline}\n\nMore news" + PROSE) is None
    # ... and it does not make "3/4/2024" day-first either.
    assert found(f"{headline}\n\n3/4/2024" + PROSE) is None
    # "on 11 October 2024", "Thu 11 October 2024", "Sa 13 Jul 2019" are days.
    assert found("Harbour plan\n\nPosted on 11 October 2024" + PROSE) == (
        "2024-10-11",
        "11 October 2024",
        3,
    )
    assert found("Harbour plan\n\nSa  13 Jul 2019" + PROSE) == ("2019-07-13", "13 Jul 2019", 3)


@pytest.mark.parametrize(
    "line", ["Linux 6.1.10 released", "Firmware 1.2.24", "Version 10.12.19", "Build 6.12.23"]
)
def test_version_numbers_are_not_dates(line: str) -> None:
    assert found(f"Kernel news\n\n{line}" + PROSE) is None
    assert found(f"{line}\n\nKernel news" + PROSE, None) is None


def test_two_digit_year_alone_on_a_short_line() -> None:
    assert found("Hafenplan beschlossen\n\nArtikel vom 31.10.23" + PROSE) == (
        "2023-10-31",
        "31.10.23",
        3,
    )


def test_comment_timestamps_are_not_the_pages() -> None:
    # A page whose only dates are its comments' ("Reply" under, "says:" above).
    text = (
        "Harbour plan approved after long debate" + PROSE + "\n3 Comments\n\nMark Miller"
        "\n\nNovember 9, 2023 at 8:14 am\n\nReply\n\nAnna says:\n\nNovember 10, 2023\n"
    )
    assert found(text) is None
    # A comment under a short article, right after the headline's window.
    short = (
        "Harbour plan approved\n\nThe council approved the plan on Tuesday after a long"
        " debate that lasted well into the night.\n\nNovember 9, 2023 at 8:14 am\n\nReply\n"
    )
    assert found(short) is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("March 3, 2023 – 5 min read", ("2023-03-03", "March 3, 2023", 3)),
        ("17 Oct 2024 - 14.30 BST", ("2024-10-17", "17 Oct 2024", 3)),
        ("14:30 - 17.10.2024", ("2024-10-17", "17.10.2024", 3)),
        ("12.10. - 15.10.2023", None),
        ("3 March 2023 to 5 March 2023", None),
        ("1 - 3 March 2023", None),
    ],
)
def test_a_read_time_or_a_clock_is_no_range(
    line: str, expected: tuple[str, str, int] | None
) -> None:
    assert found(f"Harbour plan approved\n\n{line}" + PROSE) == expected


@pytest.mark.parametrize(
    "line",
    [
        "By Sarah Osborne | 3 March 2023",  # "born"
        "Seventeen | 3 March 2023",  # "event"
        "Essays | 3 March 2023",  # "says"
        "Bloomberg Terminal | 3 March 2023",  # "termin"
    ],
)
def test_decoy_words_are_whole_words(line: str) -> None:
    assert found(f"Harbour plan approved\n\n{line}" + PROSE) == (
        "2023-03-03",
        "3 March 2023",
        3,
    )


def test_reporting_from_a_place_is_no_decoy() -> None:
    text = "Harbour plan approved\n\nBy Rachel Adams\n\nReporting from Harlan, Ky.\n\nOct. 17, 2024"
    assert found(text + PROSE) == ("2024-10-17", "Oct. 17, 2024", 7)


@pytest.mark.parametrize(
    "line",
    [
        "Vote set for March 3, 2025",
        "Applications due March 3, 2025",
        "Tickets on sale until March 3, 2025",
        "The exhibition opens 3 March 2025",
        "Festival: events from 3 March 2025",
        "Tarifvertrag vom 31.10.2023 bis zum 31.12.2025",
    ],
)
def test_future_events_and_deadlines_are_not_the_pages(line: str) -> None:
    assert found(f"Harbour plan approved\n\n{line}" + PROSE) is None


def test_vom_is_not_published() -> None:
    # "vom" (of the) names a document's date; a short line near the headline may
    # still be the page's, but it is no publication keyword that reaches far.
    text = (
        "Hafenplan"
        + PROSE
        + "\n" * 2
        + "\n\n".join(["Mehr"] * 30)
        + "\n\nTarifvertrag vom 31.10.2023\n"
    )
    assert found(text) is None


def test_dates_in_cjk_sentences_are_events() -> None:
    text = (
        "我国成功发射新一代气象卫星\n\n此前，风云三号F星于2023年8月3日发射。\n\n"
        "2024年10月17日15:30 | 来源：人民网\n\n"
        "新华社北京10月17日电，我国在酒泉卫星发射中心成功发射新一代气象卫星，卫星顺利进入预定轨道，发射任务获得圆满成功。\n"
    )
    assert found(text) == ("2024-10-17", "2024年10月17日", 5)


def test_a_birth_date_in_an_infobox_is_not_the_pages() -> None:
    text = (
        "蔡健雅\n\n编辑\n\n1975年1月28日\n\n新加坡\n\n"
        "蔡健雅，1975年1月28日出生于新加坡，祖籍中国江苏省，华语流行乐女歌手、词曲创作者，曾获得多个音乐奖项。\n"
    )
    assert found(text) is None


def test_a_lone_related_date_at_the_bottom_is_not_the_pages() -> None:
    lines = ["Metro board approves fare increase - The Post", "", "Politics", "Sports", ""]
    lines += [PROSE.strip()] * 3
    lines += ["Trending now", "How to cut your grocery bill", "March 2, 2023", "About us"]
    assert find_dateline(lines, 1) is None


def test_the_footer_naming_the_site_is_not_the_headline() -> None:
    text = (
        "Riverside Gazette\n\nHome\n\nBusiness\n\nDowntown bakery opens second location\n"
        "\nBy Staff | October 14, 2024\n\nHardware store marks 100 years\n"
        "\nBy Linda Cho | October 11, 2024\n\nFarmers market moves to Saturdays\n"
        "\nBy Staff | October 9, 2024\n\n© 2024 Riverside Gazette. All rights reserved.\n"
    )
    assert found(text) is None


def test_the_date_above_the_first_paragraph_when_no_headline_is_found() -> None:
    menu = "\n".join(f"Section {n}" for n in range(80))
    text = f"Sign in\n{menu}\n\nFare increase approved\n\nBy Sam Greene"
    text += "\n\nMarch 3, 2023 at 6:00 a.m. EST"
    assert found(text + PROSE + "\nTrending\n\nMarch 2, 2023\n") == (
        "2023-03-03",
        "March 3, 2023",
        text.count("\n") + 1,
    )


def test_an_update_alone_is_the_pages_date_wherever_it_is_found() -> None:
    text = "Harbour plan approved\n\nUpdated 5:02 PM EDT, October 17, 2024" + PROSE
    assert found(text) == ("2024-10-17", "October 17, 2024", 3)
    # ... and with no headline, above the text.
    assert found("Sign in\n\n" + "\n".join(["Menu"] * 30) + "\n\n" + text, None) == (
        "2024-10-17",
        "October 17, 2024",
        36,
    )
    # With a publication date beside it, the original wins.
    both = "Harbour plan approved\n\nUpdated October 18, 2024\n\nPublished October 17, 2024"
    assert found(both + PROSE) == ("2024-10-17", "October 17, 2024", 5)


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("17 października 2024, 14:30", "2024-10-17"),
        ("17 Ekim 2024 14:30", "2024-10-17"),
        ("Opublikowano: 17.10.2024 14:30", "2024-10-17"),
        ("Giriş: 17.10.2024 14:30 | Son Güncelleme: 18.10.2024 09:12", "2024-10-17"),
        ("17 oktober 2024 14:30 · Aangepast 18 oktober 2024 09:12", "2024-10-17"),
        ("17 ottobre 2024 (modifica il 18 ottobre 2024 | 09:12)", "2024-10-17"),
        ("17. října 2024", "2024-10-17"),
        ("Kamis, 17 Oktober 2024 14:30 WIB", "2024-10-17"),
        ("الخميس، 17 أكتوبر 2024 02:30 م", "2024-10-17"),
        ("الخميس، ١٧ أكتوبر ٢٠٢٤", "2024-10-17"),
        ("October 17, 20245:02 PM UTC", "2024-10-17"),
        ("Опубліковано 17 жовтня 2024, 14:30", "2024-10-17"),
        ("Publicat: 17 octombrie 2024 · Actualizat: 18 octombrie 2024", "2024-10-17"),
        ("Δημοσιεύθηκε: 17 Οκτωβρίου 2024", "2024-10-17"),
        ("Julkaistu 17.10.2024 | Päivitetty 18.10.2024", "2024-10-17"),
        ("Publicerad 17 oktober 2024 · Uppdaterad 18 oktober 2024", "2024-10-17"),
    ],
)
def test_more_languages_and_glued_times(line: str, iso: str) -> None:
    result = found(f"Harbour plan approved\n\n{line}" + PROSE)
    assert result is not None and result[0] == iso


# --- properties ---------------------------------------------------------------------------

_LINE = st.one_of(
    st.text(max_size=80),
    st.sampled_from(
        [
            "",
            "17.10.2024",
            "Published: 3 March 2023",
            "Updated 31 February 2024",
            "© 2023",
            "2024年13月40日",
            "10/11/2024",
            "1899-12-31",
            "2100-01-01",
            "October 17, 9999",
        ]
    ),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_LINE, max_size=30), st.one_of(st.none(), st.integers(-3, 40)))
def test_find_dateline_never_raises_and_stays_in_range(lines: list[str], title: int | None) -> None:
    dateline = find_dateline(lines, title)
    if dateline is not None:
        assert 1900 <= dateline.date.year <= 2099
        assert dateline.date.day is not None
        assert 1 <= dateline.line <= len(lines)
        assert dateline.text in lines[dateline.line - 1].translate(
            str.maketrans("０１２３４５６７８９٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 3)
        )


# --- the benchmark script -------------------------------------------------------------------


def test_bench_skips_cleanly_when_the_set_is_absent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert real_dates.main(["--folder", str(tmp_path / "absent")]) == 0
    assert capsys.readouterr().out.startswith("skipped: ")


def test_bench_counts_exact_wrong_and_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "text").mkdir()
    pages = {
        "right": ("Harbour plan approved\n\nOctober 17, 2024" + BODY, "2024-10-17"),
        "wrong": ("Harbour plan approved\n\nOctober 18, 2024" + BODY, "2024-10-17"),
        "none": ("Harbour plan approved" + BODY, "2024-10-17"),
    }
    expected = {}
    for name, (text, date) in pages.items():
        (tmp_path / "text" / f"{name}.txt").write_text(text, encoding="utf-8")
        expected[f"{name}.html"] = {"date": date}
    import json

    (tmp_path / "expected.json").write_text(json.dumps(expected), encoding="utf-8")
    assert real_dates.main(["--folder", str(tmp_path), "--verbose"]) == 0
    out = capsys.readouterr().out
    assert "3 pages" in out
    stated = next(line for line in out.splitlines() if line.startswith("stated dates only"))
    assert "exact    1 ( 33.3%)" in stated and "wrong    1 ( 33.3%)" in stated
    assert "wrong   wrong.txt: known 2024-10-17, shown 2024-10-18" in out


# --- bounded work ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "lines",
    [
        [f"{i % 28 + 1:02d}/{i % 12 + 1:02d}/20{i % 30:02d},{i},item {i}" for i in range(20_000)],
        ["Report"] + [f"{i % 12 + 1}/{i % 12 + 1}/2024" for i in range(20_000)],
        ["Headline"] + [f"Tuesday, March {i % 28 + 1}, 2023 | By Staff" for i in range(20_000)],
        ["Headline"] + [f"Posted on March {i % 28 + 1}, 2023" for i in range(20_000)],
    ],
    ids=["csv", "ambiguous", "weekdays", "keywords"],
)
def test_a_huge_table_of_dates_is_read_a_bounded_amount(
    lines: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.corpus import datelines

    calls = 0
    original = datelines.find_dates

    def counted(text: str, day_first: bool | None = None):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        return original(text, day_first)

    monkeypatch.setattr(datelines, "find_dates", counted)
    datelines.find_dateline(lines, 1)
    # The windows (a few dozen lines, read at most twice) and a few hundred lines of
    # the page; never the 20,000.
    assert calls <= 4 * datelines.MAX_DATED_LINES


def test_a_headline_restated_in_other_words_is_the_anchor() -> None:
    menu = "\n".join(f"Section {n}" for n in range(40))
    text = (
        "11 things we learned from Meghan and Harry's interview - CNN\n"
        f"{menu}\n\nTeaser: Storm hits the coast\n\nOctober 2, 2023\n\n"
        "The royal split: 11 things we learned from Harry and Meghan's explosive interview\n"
        "\nBy Rob Picheta, CNN\n\nUpdated 2010 GMT (0410 HKT) March 14, 2021\n" + PROSE
    )
    assert found(text) == (
        "2021-03-14",
        "March 14, 2021",
        text.count("\n", 0, text.index("Updated")) + 1,
    )


def test_a_weekday_under_the_headline_is_no_masthead() -> None:
    text = (
        "Landwirt klagt gegen Foto-App | Agrarzeitung\n" + NAV + "\nDienstag, 31. Oktober 2023\n"
        "\nLandwirt klagt gegen Foto-App\n\nNorbert Lehmann\n\nam Dienstag, 07.11.2023 - 10:30"
        + PROSE
        + "\nAktualisiert: 1. November 2023\n"
    )
    assert found(text) == ("2023-11-07", "07.11.2023", line_of(text, "am Dienstag"))


def test_a_day_said_to_be_a_day_tells_the_pages_order() -> None:
    # "para 16 de março" is a day ("de"), though "para" leads no date: the page is
    # day-first, so "08/03/2022" is the 8th of March.
    text = (
        "Banco Central mantém taxa de juros\n\nPublicado em 08/03/2022 - 14:32"
        + PROSE
        + "\nA próxima reunião está marcada para 16 de março de 2022.\n"
    )
    assert found(text) == ("2022-03-08", "08/03/2022", 3)
    # "Windows 11 October 2024" says nothing of the order.
    assert found("Windows 11 October 2024 update\n\n08/03/2022" + PROSE) is None


def test_a_byline_may_name_several_authors() -> None:
    line = "By Jane Doe and John Roe, Reuters | October 17, 2024"
    assert found(f"Harbour plan approved\n\n{line}" + PROSE) == (
        "2024-10-17",
        "October 17, 2024",
        3,
    )
    # A sentence that starts with "By" is no byline.
    sentence = "By then the council had voted on October 17, 2024 again"
    assert found(f"Harbour plan approved\n\n{sentence}" + PROSE) is None


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("08.11.2021 | Online-Fachtag zum Intersex Day of Remembrance: Portal", "2021-11-08"),
        ("Harbour plan approved after a long debate - 17 Oct 2024", "2024-10-17"),
        ("Windows 11 October 2024 update - Tech News", None),
        ("Budget 17 October 2024: what changed - Daily Example", None),
    ],
)
def test_a_date_set_apart_in_the_title(title: str, expected: str | None) -> None:
    result = found(title + NAV + PROSE)
    assert (result[0] if result else None) == expected


# --- sentences of the text are events, not the article's date -------------------------

HEADLINE = "Ten years on, York still counts the cost of the floods\n\n"
LEAD = (
    "I went back to York this week for the first time in years, and walked along the"
    " river with my daughter, who was born long after the water came.\n\n"
)


@pytest.mark.parametrize(
    "sentence",
    [
        "On 11 September 2001, everything changed.",
        "The river peaked on 27 December 2015.",
        "Am 3. Oktober 1990 wurde Deutschland wiedervereinigt.",
        "The study was published on 3 March 2019.",
        "A report published 12 May 2018 warned of the costs.",
        "Date of birth: 4 April 1931",
        "Printed on 9 September 2024 from harbourtimes.example",
        "Last reviewed: 4 April 2022",
        "Public meeting: 14 June 2024",
        "Accessed: 5 May 2024",
    ],
)
def test_a_short_sentence_or_a_field_of_another_kind_dates_nothing(sentence: str) -> None:
    # A short line with a date below the lead was taken for its dateline.
    text = HEADLINE + LEAD + sentence + "\n\nShe asked what it had been like." + BODY
    assert found(text) is None
    parsed = parse_text(text, path="notes/york.txt")
    assert parsed.date is None or parsed.date.inferred


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("By Jane Doe, March 3, 2021.", "2021-03-03"),
        ("Published on 3 March 2021.", "2021-03-03"),
        ("Zuletzt aktualisiert am 3. März 2021.", "2021-03-03"),
        ("March 3, 2021", "2021-03-03"),
    ],
)
def test_a_dateline_that_ends_with_a_full_stop_still_dates(line: str, expected: str) -> None:
    result = found(HEADLINE + line + "\n\n" + LEAD)
    assert result is not None and result[0] == expected


def test_front_matter_fields_are_no_dateline() -> None:
    text = "---\ntitle: Harbour vote\naccessed: 2024-05-05\nnext_review: 2030-01-01\n---\n" + BODY
    parsed = parse_text(text, path="notes/harbour.md")
    assert parsed.date is None

