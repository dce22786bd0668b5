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
