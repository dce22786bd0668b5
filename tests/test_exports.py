"""News database exports (LexisNexis, Nexis Uni, Factiva, ProQuest): the headline,
the publication date and the body, never the export's own fields."""

from __future__ import annotations

import pytest

from tui.corpus.parse import ParsedText, parse_text

BODY = [
    "The ministers met in Tashkent and agreed to meet again in spring, officials said.",
    "The talks will resume in April, according to a statement released after the meeting.",
]
TEXT = "\n\n".join(BODY)

LEXIS = f"""\
                               1 of 2 DOCUMENTS


                          The New York Times

                       March 3, 2021 Wednesday
                          Late Edition - Final

Ministers Agree to Meet
Again in Spring

BYLINE: By JANE DOE

SECTION: Section A; Column 0; Foreign Desk; Pg. 1

LENGTH: 850 words

DATELINE: LONDON, March 2

BODY:

{TEXT}

URL: http://www.nytimes.com/2021/03/03/world/talks.html

LOAD-DATE: March 5, 2021

LANGUAGE: ENGLISH

PUBLICATION-TYPE: Newspaper

Copyright 2021 The New York Times Company


                               2 of 2 DOCUMENTS

                          The Guardian

                       March 4, 2021 Thursday

Another Article

BODY:

Its own text.
"""

NEXIS_UNI = f"""\
Ministers Agree to Meet Again in Spring
The New York Times
March 3, 2021 Wednesday 10:00 AM EST
Late Edition - Final

Copyright 2021 The New York Times Company All Rights Reserved

Section: A; Column 0; Foreign Desk; Pg. 1
Length: 850 words
Byline: Jane Doe
Dateline: LONDON

Body

{TEXT}

Classification

Language: ENGLISH

Load-Date: March 5, 2021

End of Document
"""

FACTIVA = f"""\
Ministers Agree to Meet Again in Spring
By Jane Doe
850 words
3 March 2021
The New York Times
NYTF
Page 1
English
(c) 2021 The New York Times Company. All Rights Reserved.

{TEXT}

Document NYTF000020210303eh3300001
"""

FACTIVA_CODES = f"""\
HD Ministers Agree to Meet Again in Spring
BY Jane Doe
WC 850 words
PD 3 March 2021
SN The New York Times
SC NYTF
LA English
CY (c) 2021 The New York Times Company. All Rights Reserved.
LP
{BODY[0]}

TD
{BODY[1]}

CO nytim : New York Times Co
NS gpol : Domestic Politics
AN Document NYTF000020210303eh3300001
"""

PROQUEST = f"""\
Title: Ministers Agree to Meet Again in Spring
Author: Jane Doe
Publication title: The New York Times; New York, N.Y.
Publication date: Mar 3, 2021
Section: A
Page: 1
Publisher: New York Times Company
Place of publication: New York, N.Y.
Country of publication: United States
Source type: Newspapers
Language of publication: English
Document type: News
ProQuest document ID: 2496412345
Document URL: https://www.proquest.com/docview/2496412345
Copyright: Copyright New York Times Company Mar 3, 2021
Last updated: 2021-03-05

Full text: {BODY[0]}

{BODY[1]}
"""


def parse(text: str) -> ParsedText:
    return parse_text(text, "talks", path="exports/talks.txt")


@pytest.mark.parametrize(
    ("text", "source"),
    [
        (LEXIS, "The New York Times"),
        (NEXIS_UNI, "The New York Times"),
        (FACTIVA, "The New York Times"),
        (FACTIVA_CODES, "The New York Times"),
        (PROQUEST, "The New York Times; New York, N.Y."),
    ],
    ids=["LexisNexis", "Nexis Uni", "Factiva", "Factiva codes", "ProQuest"],
)
def test_an_export_gives_its_headline_publication_date_and_body_alone(
    text: str, source: str
) -> None:
    parsed = parse(text)
    assert parsed.title == "Ministers Agree to Meet Again in Spring"
    assert parsed.date is not None and parsed.date.iso() == "2021-03-03"  # not the load date
    assert parsed.date.source == "stated"
    assert parsed.source == source
    assert parsed.author in ("Jane Doe", "JANE DOE")
    assert parsed.paragraphs == BODY


def test_an_export_says_where_its_title_came_from_and_keeps_its_address() -> None:
    parsed = parse(LEXIS)
    assert parsed.title_source == "export"
    assert parsed.date_text == "March 3, 2021" and parsed.date_line == 6
    assert parsed.url == "http://www.nytimes.com/2021/03/03/world/talks.html"


def test_an_export_of_several_articles_shows_the_first_and_says_how_many() -> None:
    parsed = parse(LEXIS)
    assert "Its own text." not in parsed.paragraphs
    assert any(
        "holds 2 articles" in warning and "LexisNexis" in warning for warning in parsed.warnings
    )
    assert not any("holds" in w for w in parse(FACTIVA).warnings)


@pytest.mark.parametrize(
    "text",
    [
        # A text about the databases, not an export of one.
        "How to export from Factiva\n\nOpen the article, then choose 850 words or fewer.\n",
        "Notes\n1 of 3 documents were late.\n\nThe body of the note follows here.\n",
        "Body\n\nLength: of the river, 300 km. The rest of the note.\n",
        "HD video review\nThe camera records in colour.\n\nMore about the camera here.\n",
        "Essay draft\n1,200 words\nDue Friday\n\nThe essay argues for a new approach.\n",
    ],
)
def test_text_that_only_mentions_an_export_is_read_as_text(text: str) -> None:
    parsed = parse(text)
    assert parsed.title_source != "export"
    joined = " ".join([parsed.title, *parsed.paragraphs])
    for line in filter(None, text.split("\n")):
        assert line.split()[0] in joined  # nothing dropped


# --- the layouts' variants ------------------------------------------------------------

LEXIS_OLD = """\
                              3 of 25 DOCUMENTS

                    Copyright 2005 Associated Press
                          All Rights Reserved

                        Associated Press Worldstream

                    August 10, 2005 Wednesday 2:39 AM GMT

SECTION: International News

LENGTH: 552 words

HEADLINE: Ministers agree to meet again in spring

BYLINE: By JANE DOE; Reporting was contributed by John Smith
and Ann Lee.

HIGHLIGHT: The two sides agreed on a timetable.

DATELINE: LONDON

BODY:

The ministers met in Tashkent.

UPDATE: August 11, 2005

LOAD-DATE: August 12, 2005
"""

LEXIS_REQUEST = """\


Download Request: Selected Items: 1-10
Time Of Request: Friday, March 20, 2018  16:51:31
Send To:
Terms: (DATE(>=2009-12-01 and <=2010-05-11) and (Sample File))
Source: The Daily Telegraph (London)
Project ID: None



                               1 of 10 DOCUMENTS

                            The Sun (England)

                           January 11, 2010 Monday

EXCLUSIVE: MINISTERS TO MEET AGAIN

BYLINE: TREVOR KAVANAGH

LENGTH: 307 words

BODY:

The ministers met in Tashkent.

LOAD-DATE: January 12, 2010
"""

LEXIS_GERMAN = """\
                           Dokument 1 von 2

                         Süddeutsche Zeitung

                        3. März 2021 Mittwoch, Bayern-Ausgabe

Minister wollen sich im Frühjahr wieder treffen

LÄNGE: 850 Wörter

BODY:

Die Minister trafen sich in Taschkent.

LOAD-DATE: 5. März 2021
"""

NEXIS_UNI_COVER = f"""\
User Name: =
Date and Time: = 2021-03-05
Job Number: = 139238123

Documents (2)

1. Ministers Agree to Meet Again in Spring
Client/Matter: -None-
Search Terms: Tashkent talks

Ministers Agree to Meet Again in Spring
The New York Times
March 3, 2021 Wednesday
Late Edition - Final

Copyright 2021 The New York Times Company All Rights Reserved

Section: A; Column 0; Foreign Desk; Pg. 1
Length: 850 words
Byline: Jane Doe
Highlight: The two sides agreed on a timetable.

Body

{BODY[0]}

Notes taken by aides show the talks nearly failed.

Graphic designers were hired to produce the communique.

Load-Date: March 5, 2021

End of Document
"""

FACTIVA_WIRE = f"""\
Business
Ministers Agree to Meet Again in Spring
By Jane Doe
850 words
3 March 2021
10:05 GMT
Reuters News
LBA
English
Copyright 2021 Thomson Reuters. All Rights Reserved.

{TEXT}

Document LBA0000020210303eh3300001
"""

FACTIVA_CODES_SUBHEAD = f"""\
HD Ministers Agree to Meet Again in Spring
BY Jane Doe
WC 850 words
PD 3 March 2021
SN The New York Times
LP {BODY[0]}

TD {BODY[1]}

IN BRIEF

The next round is set for Geneva.

CO nytim : New York Times Co
AN Document NYTF000020210303eh3300001
"""


@pytest.mark.parametrize(
    ("text", "title", "day", "paragraphs"),
    [
        (
            LEXIS_OLD,
            "Ministers agree to meet again in spring",
            "2005-08-10",
            ["The two sides agreed on a timetable.", "The ministers met in Tashkent."],
        ),
        (
            LEXIS_REQUEST,
            "EXCLUSIVE: MINISTERS TO MEET AGAIN",
            "2010-01-11",
            ["The ministers met in Tashkent."],
        ),
        (
            LEXIS_GERMAN,
            "Minister wollen sich im Frühjahr wieder treffen",
            "2021-03-03",
            ["Die Minister trafen sich in Taschkent."],
        ),
        (
            NEXIS_UNI_COVER,
            "Ministers Agree to Meet Again in Spring",
            "2021-03-03",
            [
                "The two sides agreed on a timetable.",
                BODY[0],
                "Notes taken by aides show the talks nearly failed.",
                "Graphic designers were hired to produce the communique.",
            ],
        ),
        (FACTIVA_WIRE, "Ministers Agree to Meet Again in Spring", "2021-03-03", BODY),
        (
            FACTIVA_CODES_SUBHEAD,
            "Ministers Agree to Meet Again in Spring",
            "2021-03-03",
            [*BODY, "IN BRIEF", "The next round is set for Geneva."],
        ),
    ],
    ids=[
        "Lexis 2005",
        "Lexis request",
        "Lexis German",
        "Nexis Uni cover",
        "Factiva wire",
        "Factiva codes",
    ],
)
def test_an_exports_variants_keep_its_headline_day_and_every_paragraph(
    text: str, title: str, day: str, paragraphs: list[str]
) -> None:
    """A copyright block at the top, a HEADLINE: field, a byline on two lines, the
    standfirst (HIGHLIGHT:), a request's cover page, a weekday in German, a section
    and a time around Factiva's headline, an all-capitals subhead in the text: the
    headline is the title, the publication day the date (not the load or update
    day, nor the request's search terms), and no paragraph of the text is lost."""
    parsed = parse(text)
    assert parsed.title_source == "export"
    assert parsed.title == title
    assert parsed.date is not None and parsed.date.iso() == day
    assert parsed.paragraphs == paragraphs


def test_the_sources_and_bylines_of_the_variants() -> None:
    assert parse(LEXIS_OLD).source == "Associated Press Worldstream"  # not the copyright line
    assert (
        parse(LEXIS_OLD).author == "JANE DOE; Reporting was contributed by John Smith and Ann Lee."
    )
    assert parse(FACTIVA_WIRE).source == "Reuters News"  # not "10:05 GMT"
    assert parse(FACTIVA_WIRE).author == "Jane Doe"
    assert parse(NEXIS_UNI_COVER).source == "The New York Times"


def test_an_export_saved_as_markdown_is_read_as_its_layout() -> None:
    parsed = parse_text(LEXIS, "talks", path="exports/talks.md")
    assert parsed.paragraphs == BODY and parsed.body_line == -1


@pytest.mark.parametrize(
    "text",
    [
        # Factiva's words without its layout: no copyright, or no blank line after.
        "Essay draft\n1,200 words\n3 March 2021\nFor Prof. Smith\n\nThe essay argues.\n",
        "Ministers agree\nBy Jane Doe\n850 words\n3 March 2021\n"
        "The ministers met in Tashkent.\nThe talks will resume in April.\n",
        # Factiva's codes without its layout.
        "HD footage of the arrest was posted online\nPD spokesman declined to comment.\n\n"
        "The video shows two officers.\n",
        # Nexis Uni's words in a draft.
        "Slug: tashkent-talks\nLength: 800 words\nDeadline: March 9, 2021\n\nBody\n\n"
        "The ministers met in Tashkent.\n",
        # A count line and no fields.
        "1 of 3 DOCUMENTS\n\nMeeting with the board.\n\nFollow-ups are listed below.\n\n"
        "Ask Sam about the venue.\n",
        # Everyday words that are also a record's fields.
        "Issue: login fails after the update\nSteps: open the app.\n\nIt crashes every time.\n",
        "Section: Introduction\nLanguage: Python\n\nThis note explains the parser.\n",
    ],
)
def test_text_with_an_exports_words_loses_none_of_them(text: str) -> None:
    parsed = parse(text)
    assert parsed.title_source != "export"
    shown = " ".join([parsed.title, *parsed.paragraphs])
    for line in filter(None, text.split("\n")):
        assert line.strip() in shown, line


PROQUEST_TEXT_ONLY = f"""\
____________________________________________________________

Report Information from ProQuest
March 05 2021 09:14
____________________________________________________________

Table of contents
1. Ministers Agree to Meet Again in Spring
____________________________________________________________

Document 1 of 1

Ministers Agree to Meet Again in Spring

Author: Doe, Jane

Publication info: New York Times, Late Edition (East Coast) [New York, N.Y]. 03 Mar 2021: A.1.

ProQuest document link

Abstract: The two sides agreed on a timetable.

Full text: {BODY[0]}

{BODY[1]}

Subject: Diplomacy; Negotiations

Location: Uzbekistan

Title: Ministers Agree to Meet Again in Spring

Publication title: New York Times, Late Edition (East Coast); New York, N.Y.

Pages: A.1

Publication year: 2021

Publication date: Mar 3, 2021

Section: A

Publisher: New York Times Company

Document URL: https://www.proquest.com/newspapers/ministers/docview/2496412345/se-2

Copyright: Copyright New York Times Company Mar 3, 2021

Last updated: 2021-03-05

Database: ProQuest Central

____________________________________________________________

Contact ProQuest
Copyright © 2021 ProQuest LLC. All rights reserved. - Terms and Conditions
"""


def test_proquests_text_only_download_reads_its_record_after_the_text() -> None:
    """The record's fields (the publication date among them) follow the full text."""
    parsed = parse(PROQUEST_TEXT_ONLY)
    assert parsed.title == "Ministers Agree to Meet Again in Spring"
    assert parsed.title_source == "export"
    assert parsed.date is not None and parsed.date.iso() == "2021-03-03"
    assert parsed.source == "New York Times, Late Edition (East Coast); New York, N.Y."
    assert parsed.author == "Doe, Jane"
    assert parsed.url == "https://www.proquest.com/newspapers/ministers/docview/2496412345/se-2"
    assert parsed.paragraphs == ["The two sides agreed on a timetable.", *BODY]


def test_a_proquest_page_without_its_full_text_is_read_as_text() -> None:
    text = "Search tips\n\nProQuest document link\n\nOpen the link to read the record.\n"
    parsed = parse(text)
    assert parsed.title_source != "export"
    assert "Open the link to read the record." in parsed.paragraphs


def test_a_records_everyday_fields_under_a_notes_title_stay_its_text() -> None:
    """ "Language:" and "Edition:" are a record's fields only in a record (ProQuest's,
    once "Publication title:" was read): under a note's own Title: they are its text."""
    parsed = parse("Title: Parser notes\nLanguage: Python\nEdition: 2\n\nThe note explains.\n")
    assert parsed.title == "Parser notes"
    assert parsed.paragraphs == ["Language: Python Edition: 2", "The note explains."]
    assert parse(PROQUEST).paragraphs == BODY  # a record's own: metadata
