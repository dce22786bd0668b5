"""Header blocks at the top of a file (issue 11): any order, e-mail and newsletter
headers, a ``# Heading`` over a date line; never a crash, dates in 1900–2099."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.corpus.dates import MAX_YEAR, MIN_YEAR
from tui.corpus.files import discover
from tui.corpus.headers import read_header
from tui.corpus.model import Article, read_article
from tui.corpus.parse import ParsedText, parse_text

BODY = "The ministers met on Wednesday in Tashkent. They agreed to meet again in spring.\n"


def parse(text: str, path: str = "notes/talks.txt") -> ParsedText:
    return parse_text(text, "talks", path=path)


def iso(parsed: ParsedText) -> str | None:
    return parsed.date.iso() if parsed.date else None


# --- header blocks in any order ----------------------------------------------------

_FIELDS = [
    "Headline: Talks resume in Tashkent",
    "Published: 17 October 2024",
    "Updated: 20 October 2024",
    "By: Jane Doe",
    "URL: https://example.com/2024/10/talks",
    "Tags: trade, energy, #SCO",
]


@pytest.mark.parametrize("order", list(itertools.permutations(range(len(_FIELDS))))[::37])
def test_header_fields_in_any_order(order: tuple[int, ...]) -> None:
    text = "\n".join(_FIELDS[i] for i in order) + "\n\n" + BODY
    parsed = parse(text)
    assert parsed.title == "Talks resume in Tashkent"
    assert parsed.title_source == "header"
    # The original date wins over the update, whichever comes first.
    assert iso(parsed) == "2024-10-17"
    assert parsed.date_text == "17 October 2024"
    assert parsed.date_line == order.index(1) + 1
    assert parsed.date_origin == "header"
    assert parsed.author == "Jane Doe"
    assert parsed.url == "https://example.com/2024/10/talks"
    assert parsed.source is None
    assert parsed.tags == ("trade", "energy", "SCO")
    assert parsed.paragraphs == [BODY.strip()]
    assert parsed.warnings == []


@pytest.mark.parametrize(
    ("line", "field", "value"),
    [
        ("Title: T", "title", "T"),
        ("Subject: T", "title", "T"),
        ("Author: Jane Doe", "author", "Jane Doe"),
        ("Byline: Jane Doe", "author", "Jane Doe"),
        ("From: Jane Doe", "author", "Jane Doe"),
        ("Source: Dawn", "source", "Dawn"),
        ("Source: https://dawn.com/news/1", "url", "https://dawn.com/news/1"),
        ("Link: https://dawn.com/news/1", "url", "https://dawn.com/news/1"),
        ("Canonical: https://dawn.com/news/1", "url", "https://dawn.com/news/1"),
        ("Original URL: https://dawn.com/news/1", "url", "https://dawn.com/news/1"),
        ("Keywords: a; b", "tags", ("a", "b")),
        ("Categories: World", "tags", ("World",)),
    ],
)
def test_each_key(line: str, field: str, value: object) -> None:
    parsed = parse(f"{line}\nDate: 2024-10-17\n\n{BODY}")
    assert getattr(parsed, field) == value
    assert iso(parsed) == "2024-10-17"
    assert parsed.paragraphs == [BODY.strip()]


@pytest.mark.parametrize("key", ["Date", "Published", "Posted", "Created", "Last updated"])
def test_date_keys(key: str) -> None:
    parsed = parse(f"Title: T\n{key}: 2024-10-17\n\n{BODY}")
    assert iso(parsed) == "2024-10-17"
    assert parsed.date_line == 2


def test_a_url_line_is_no_longer_dropped() -> None:
    parsed = parse("Title: T\nURL: https://example.com/a?b=1\n\n" + BODY)
    assert parsed.url == "https://example.com/a?b=1"
    assert all("example.com" not in p for p in parsed.paragraphs)


def test_a_prose_line_ends_the_header() -> None:
    parsed = parse("Title: T\nNote: this line is body text, not a header.\n\n" + BODY)
    assert parsed.title == "T"
    assert parsed.paragraphs[0] == "Note: this line is body text, not a header."


# --- e-mail and newsletter headers ---------------------------------------------------

EMAIL = """\
From: "Jane Doe" <jane@example.org>
To: Readers <list@example.org>
Subject: Weekly digest: talks
 resume in Tashkent
Date: Thu, 17 Oct 2024 23:30:00 -0700
Message-ID: <abc.123@example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit
X-Mailer: Something 1.0
List-Unsubscribe: <mailto:unsub@example.org>

Hello all. The talks resumed on Wednesday in Tashkent, officials said.

Best,
Jane
"""


def test_email_headers() -> None:
    parsed = parse(EMAIL, path="mail/digest.eml.txt")
    # The title is the (unfolded) Subject, not the whole block.
    assert parsed.title == "Weekly digest: talks resume in Tashkent"
    # The day as the sender wrote it, not moved to UTC (which would be the 18th).
    assert iso(parsed) == "2024-10-17"
    assert parsed.date_origin == "e-mail header"
    assert parsed.date_text == "Thu, 17 Oct 2024 23:30:00 -0700"
    assert parsed.date_line == 5
    assert parsed.author == "Jane Doe"
    body = "\n".join(parsed.paragraphs)
    for hidden in ("Message-ID", "MIME-Version", "Content-Type", "X-Mailer", "jane@", "To:"):
        assert hidden not in body
    assert parsed.paragraphs[0].startswith("Hello all.")
    assert parsed.warnings == []


def test_email_with_received_chain_and_encoded_words() -> None:
    received = "".join(
        f"Received: from mx{i}.example.org (mx{i}.example.org [192.0.2.{i}])\n"
        f"\tby mail.example.net with ESMTPS id {i}abc\n"
        f"\tfor <list@example.org>; Thu, 17 Oct 2024 09:3{i}:00 +0000\n"
        for i in range(8)
    )
    text = (
        "Return-Path: <bounce@example.org>\n"
        + received
        + "From: =?utf-8?q?J=C3=B6rg_M=C3=BCller?= <joerg@example.de>\n"
        + "Subject: =?utf-8?b?0J/QtdGA0LXQs9C+0LLQvtGA0Ysg0LLQvtC30L7QsdC90L7QstC40LvQuNGB0Yw=?=\n"
        + "Date: Fri, 18 Oct 2024 09:30:00 +0200\n"
        + "\n"
        + BODY
    )
    parsed = parse(text)
    assert parsed.author == "Jörg Müller"
    assert parsed.title == "Переговоры возобновились"
    assert iso(parsed) == "2024-10-18"
    assert parsed.date_origin == "e-mail header"
    assert parsed.paragraphs == [BODY.strip()]


MAIL_HEAD = (
    'From: "Jane Doe" <jane@example.org>\n'
    "Subject: Weekly digest: talks resume\n"
    "Date: Thu, 17 Oct 2024 09:30:00 +0100\n"
    "MIME-Version: 1.0\n"
)


def test_a_quoted_printable_body_is_decoded() -> None:
    # A newsletter saved as text: "ministers=E2=80=99" and soft line breaks were shown.
    text = MAIL_HEAD + (
        'Content-Type: text/plain; charset="utf-8"\n'
        "Content-Transfer-Encoding: quoted-printable\n\n"
        "The ministers=E2=80=99 talks resumed in Tashkent on Thursday after a pause o=\n"
        "f three weeks, officials said.\n\nCaf=C3=A9 owners welcomed the news.\n"
    )
    parsed = parse(text)
    assert parsed.title == "Weekly digest: talks resume"
    assert iso(parsed) == "2024-10-17" and parsed.date_line == 3
    assert parsed.paragraphs == [
        "The ministers’ talks resumed in Tashkent on Thursday after a pause of three weeks,"
        " officials said.",
        "Café owners welcomed the news.",
    ]
    assert parsed.warnings == []


def test_a_base64_body_in_another_charset_is_decoded() -> None:
    import base64

    body = base64.encodebytes("Переговоры возобновились в Ташкенте.\n".encode("koi8-r"))
    text = MAIL_HEAD + (
        "Content-Type: text/plain; charset=koi8-r\nContent-Transfer-Encoding: base64\n\n"
        + body.decode("ascii")
    )
    assert parse(text).paragraphs == ["Переговоры возобновились в Ташкенте."]


def test_a_multipart_email_shows_its_plain_text_and_names_its_attachments() -> None:
    text = MAIL_HEAD + (
        'Content-Type: multipart/mixed; boundary="outer"\n\n'
        "--outer\n"
        'Content-Type: multipart/alternative; boundary="inner"\n\n'
        "--inner\nContent-Type: text/plain; charset=utf-8\n"
        "Content-Transfer-Encoding: quoted-printable\n\n"
        "Plain text of the digest, caf=C3=A9 included.\n"
        "--inner\nContent-Type: text/html; charset=utf-8\n\n"
        "<p>HTML text of the digest.</p>\n"
        "--inner--\n"
        "--outer\nContent-Type: application/pdf\n"
        'Content-Disposition: attachment; filename="agenda.pdf"\n'
        "Content-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n"
        "--outer--\n"
    )
    parsed = parse(text)
    assert parsed.paragraphs == ["Plain text of the digest, café included."]
    assert parsed.warnings == ["e-mail attachments not shown: agenda.pdf"]


def test_an_html_only_email_is_read_as_text_and_nothing_escapes() -> None:
    text = MAIL_HEAD + (
        "Content-Type: text/html; charset=utf-8\n"
        "Content-Transfer-Encoding: quoted-printable\n\n"
        "<html><body><p>Talks resumed =3D good news.</p>"
        "<script>alert(1)</script><p>Red =1B[31malert=1B[0m.</p></body></html>\n"
    )
    parsed = parse(text)
    body = "\n".join(parsed.paragraphs)
    assert "Talks resumed = good news." in body
    assert "<p>" not in body and "alert(1)" not in body and "\x1b" not in body


@pytest.mark.parametrize(
    "text",
    [
        # Not an e-mail: no From or Subject.
        "Content-Transfer-Encoding: base64\n\nVGhpcyBpcyBub3QgYW4gZS1tYWlsLg==\n",
        # An article about MIME: its body is left as it is.
        "How e-mail works\nContent-Type: multipart/mixed, at the top of a message, says it"
        " has parts.\n\nMore about it.\n",
    ],
)
def test_what_is_no_encoded_email_is_read_as_it_is(text: str) -> None:
    parsed = parse(text)
    assert parsed.paragraphs[-1] == text.rstrip("\n").split("\n")[-1]


def multipart(*parts: str, kind: str = "mixed") -> str:
    """An e-mail of *parts* (each its headers, a blank line and its body)."""
    return (
        MAIL_HEAD
        + f'Content-Type: multipart/{kind}; boundary="B"\n\n'
        + "".join(f"--B\n{part}\n" for part in parts)
        + "--B--\n"
    )


def test_8bit_text_in_a_multipart_email_keeps_its_characters() -> None:
    # The commonest way mailers send UTF-8 in parts: it came out "minister\u2019s caf\ufffd".
    text = multipart(
        "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
        "The minister\u2019s café plan was approved.\n",
        "Content-Type: text/html; charset=utf-8\n\n<p>x</p>",
        kind="alternative",
    )
    parsed = parse(text)
    assert parsed.paragraphs == ["The minister\u2019s café plan was approved."]
    assert parsed.warnings == []


@pytest.mark.parametrize(
    "text",
    [
        multipart(
            'Content-Type: image/png; name="chart.png"\n'
            'Content-Disposition: attachment; filename="chart.png"\n'
            "Content-Transfer-Encoding: base64\n\niVBORw0KGgoAAAANSUhEUgAAAAEAAAAB"
        ),
        MAIL_HEAD + "Content-Type: application/pdf\n"
        'Content-Disposition: attachment; filename="chart.png"\n'
        "Content-Transfer-Encoding: base64\n\niVBORw0KGgoAAAANSUhEUgAAAAEAAAAB\n",
    ],
    ids=["multipart", "single-part"],
)
def test_an_email_of_attachments_only_shows_no_base64_and_says_so(text: str) -> None:
    # Its MIME boundaries and base64 were shown as the article's text.
    parsed = parse(text)
    assert "iVBOR" not in "\n".join(parsed.paragraphs) and "--B" not in "\n".join(parsed.paragraphs)
    assert parsed.title == "Weekly digest: talks resume"
    assert parsed.warnings[0] == "the e-mail has no text part: nothing of its body is shown"
    assert "chart.png" in parsed.warnings[-1]


def test_an_unknown_charset_is_read_as_utf8_and_said() -> None:
    text = MAIL_HEAD + (
        "Content-Type: text/plain; charset=x-unknown-9\n"
        "Content-Transfer-Encoding: quoted-printable\n\n"
        "The minister=E2=80=99s plan went to parlia=\nment.\n"
    )
    parsed = parse(text)
    assert parsed.paragraphs == ["The minister\u2019s plan went to parliament."]
    assert parsed.warnings == [
        "unknown charset 'x-unknown-9' in the e-mail: read as UTF-8, else Windows-1252"
    ]


@pytest.mark.parametrize(
    ("content_type", "data", "expected"),
    [
        # No charset (so ASCII, by the RFC) on UTF-8 text: it was read as ASCII.
        ("text/plain", "The minister\u2019s café".encode(), "The minister\u2019s café"),
        # Latin-1 declared, Windows-1252 quotes sent: read as mail clients read them.
        ("text/plain; charset=iso-8859-1", b"The minister\x92s plan \x96 approved",
         "The minister\u2019s plan \u2013 approved"),
    ],
    ids=["undeclared-utf8", "latin1-with-cp1252-quotes"],
)  # fmt: skip
def test_base64_text_is_read_in_the_charset_it_really_has(
    content_type: str, data: bytes, expected: str
) -> None:
    import base64

    text = MAIL_HEAD + (
        f"Content-Type: {content_type}\nContent-Transfer-Encoding: base64\n\n"
        + base64.encodebytes(data).decode("ascii")
    )
    parsed = parse(text)
    assert parsed.paragraphs == [expected]
    assert parsed.warnings == []


def test_damaged_base64_is_said() -> None:
    text = MAIL_HEAD + (
        "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
        "VGhlIHRhbGtzIHJlc3VtZWQu!!!@@@\n"
    )
    parsed = parse(text)
    assert parsed.paragraphs[0].startswith("The talks resumed")
    assert parsed.warnings == ["the e-mail's base64 text is damaged: some of it may be missing"]


def test_a_second_inline_text_part_is_more_of_the_body_not_an_attachment() -> None:
    text = multipart(
        "Content-Type: text/plain; charset=utf-8\n\nThe talks resumed on Thursday.",
        "Content-Type: text/plain; charset=utf-8\nContent-Disposition: inline\n\n"
        "Officials said they would meet again in spring.",
    )
    parsed = parse(text)
    assert parsed.paragraphs == [
        "The talks resumed on Thursday.",
        "Officials said they would meet again in spring.",
    ]
    assert parsed.warnings == []


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("17 Oct 24 09:30 +0000", "2024-10-17"),
        ("Tue, 20 Apr 93 02:28:44 GMT", "1993-04-20"),
        # RFC 5322 §4.3: 50-99 are 19xx (the standard library's pivot made 55 2055).
        ("3 Mar 55 10:00 GMT", "1955-03-03"),
        ("1 Jan 49 00:00 GMT", "2049-01-01"),
    ],
)
def test_email_bare_address_and_two_digit_year_read_as_rfc_5322_says(
    written: str, day: str
) -> None:
    parsed = parse(f"From: jane@example.org\nSubject: Hi\nDate: {written}\n\n" + BODY)
    assert parsed.author == "jane@example.org"
    assert parsed.title == "Hi"
    assert iso(parsed) == day and parsed.date_origin == "e-mail header"
    assert parsed.date_text == written  # shown as written beside the day
    assert parsed.warnings == []


def test_two_digit_year_in_mail_form_outside_an_email_is_not_guessed() -> None:
    parsed = parse("Title: Hi\nDate: 17 Oct 24 09:30 +0000\n\n" + BODY)
    assert parsed.title == "Hi"
    assert parsed.date is None or parsed.date.inferred
    assert any("four-digit year" in warning for warning in parsed.warnings)


USENET_ARTICLE = """\
Xref: cantaloupe.srv.cs.cmu.edu comp.graphics:37261 alt.graphics:519
Path: cantaloupe.srv.cs.cmu.edu!das-news.harvard.edu!noc.near.net!uxa.cso.uiuc.edu!tsai
From: tsai@uxa.cso.uiuc.edu (Hsiao-Ying Tsai)
Newsgroups: comp.graphics,alt.graphics
Subject: 3D Studio file format?
Message-ID: <C5sFv8.Hso@news.cso.uiuc.edu>
Date: 20 Apr 93 02:28:44 GMT
Sender: usenet@news.cso.uiuc.edu (Net Noise owner)
Organization: University of Illinois at Urbana
Lines: 4

I am looking for the file format of 3D Studio's .3ds files.
In 1992 someone posted something about it but I lost it.
Thanks.
--\x20
Hsiao-Ying Tsai
"""


@pytest.mark.parametrize("drop", [(), ("Xref",), ("Xref", "Path")])
def test_a_usenet_article_is_read_as_its_header_says(drop: tuple[str, ...]) -> None:
    """A news article's header block (RFC 1036, as Usenet archives keep it) opens
    with fields e-mail has not (Xref:, Path:): it was body text, undated, its title
    the Xref: line."""
    text = "".join(
        line for line in USENET_ARTICLE.splitlines(keepends=True) if line.split(":")[0] not in drop
    )
    parsed = parse(text)
    assert parsed.title == "3D Studio file format?" and parsed.title_source == "subject"
    assert iso(parsed) == "1993-04-20" and parsed.date_origin == "e-mail header"
    assert parsed.author == "Hsiao-Ying Tsai"
    assert parsed.paragraphs[0].startswith("I am looking for the file format")
    assert not any("Xref" in p or "Newsgroups" in p for p in parsed.paragraphs)
    # The signature's "-- " line stands alone: the name is not joined to the text.
    assert parsed.paragraphs[-2:] == ["--", "Hsiao-Ying Tsai"]
    assert parsed.paragraphs[-3].endswith("I lost it. Thanks.")


def test_forwarded_outlook_headers() -> None:
    parsed = parse(
        "From: Jane Doe <jane@example.org>\n"
        "Sent: Thursday, October 17, 2024 9:30 AM\n"
        "To: Desk <desk@example.org>\n"
        "Subject: Talks resume\n\n" + BODY
    )
    assert parsed.title == "Talks resume"
    assert iso(parsed) == "2024-10-17"
    assert parsed.date_origin == "e-mail header"


def test_mbox_from_line() -> None:
    parsed = parse(
        "From jane@example.org Thu Oct 17 09:30:00 2024\n"
        "From: Jane Doe <jane@example.org>\nSubject: Talks\n"
        "Date: Thu, 17 Oct 2024 09:30:00 +0000\n\n" + BODY
    )
    assert parsed.title == "Talks"
    assert iso(parsed) == "2024-10-17"
    assert parsed.paragraphs == [BODY.strip()]


@pytest.mark.parametrize(
    "headline",
    ["From Kyiv to Kherson: the long road of 2023", "From 1945 to 2024", "From here to 2030"],
)
def test_a_headline_starting_from_and_ending_in_a_year_is_kept(headline: str) -> None:
    # Read as mbox's "From addr date" line, it was dropped without a word.
    parsed = parse(f"{headline}\n\n{BODY}")
    assert parsed.title == headline
    assert parsed.paragraphs == [BODY.strip()]


@pytest.mark.parametrize(
    "separator",
    [
        "From MAILER-DAEMON Fri Jul  8 12:08:34 2011",
        "From - Thu Oct 17 09:30:00 2024",
        "From jane@example.org Thu Oct 17 09:30:00 PDT 2024",
        "From jane@example.org  Thu Oct 17 09:30 2024 +0000",
    ],
)
def test_mbox_separators_in_their_forms(separator: str) -> None:
    parsed = parse(f"{separator}\nFrom: Jane <jane@example.org>\nSubject: Talks\n\n{BODY}")
    assert parsed.title == "Talks" and parsed.paragraphs == [BODY.strip()]


def test_unknown_and_folded_fields_of_an_email_are_headers_wherever_they_come() -> None:
    parsed = parse(
        "Subject: A long subject that\n continues here\n"
        "Authentication-Results: mx.example.org;\n\tspf=pass smtp.mailfrom=example.org\n"
        "From: a@example.org\nTo: x@example.org\nStatus: RO\nX-Status: A\n"
        "Autocrypt: addr=a@example.org; keydata=xsBN\n\tmQINBF0\n"
        "Date: Thu,\n 17 Oct 2024 09:30:00 +0100\n\n" + BODY
    )
    assert parsed.title == "A long subject that continues here"
    assert parsed.author == "a@example.org"
    assert iso(parsed) == "2024-10-17" and parsed.date_origin == "e-mail header"
    assert parsed.paragraphs == [BODY.strip()]
    assert parsed.warnings == []


def test_a_text_field_before_a_to_line_is_not_taken_for_an_email() -> None:
    text = "Summary: the talks went well\nTo: the editors, from the desk\n\n" + BODY
    assert "Summary: the talks went well" in "\n".join(parse(text).paragraphs)


def test_an_mbox_of_several_messages_shows_the_first_and_says_how_many() -> None:
    def message(day: int, subject: str, body: str) -> str:
        return (
            f"From jane@example.org Thu Oct {day} 09:30:00 2024\n"
            f"From: Jane <jane@example.org>\nSubject: {subject}\n"
            f"Date: Thu, {day} Oct 2024 09:30:00 +0000\n\n{body}\n\n"
        )

    parsed = parse(
        message(17, "First", "The first message.")
        + message(18, "Second", "The second message.")
        + message(19, "Third", "The third message.")
    )
    assert parsed.title == "First" and iso(parsed) == "2024-10-17"
    assert parsed.paragraphs == ["The first message."]
    assert parsed.warnings == ["the file holds 3 e-mails (an mbox): only the first is shown"]


def test_an_impossible_email_date_is_a_warning() -> None:
    parsed = parse("From: a@b.org\nSubject: S\nDate: Thu, 45 Oct 2024 09:30:00 +0000\n\n" + BODY)
    assert parsed.title == "S"
    assert parsed.date is None or parsed.date_origin != "e-mail header"
    assert parsed.warnings


# --- a heading over a date line ---------------------------------------------------------


@pytest.mark.parametrize(
    ("date_line", "expected"),
    [
        ("17 October 2024", "2024-10-17"),
        ("*2024-02-14*", "2024-02-14"),
        ("_October 17, 2024_", "2024-10-17"),
        ("**Tuesday, 8 October 2024**", "2024-10-08"),
    ],
)
def test_heading_then_date_line(date_line: str, expected: str) -> None:
    parsed = parse(f"# Talks resume in Tashkent\n\n{date_line}\n\n{BODY}", path="notes/t.md")
    assert parsed.title == "Talks resume in Tashkent"
    assert iso(parsed) == expected
    assert parsed.date_origin == "dateline"
    assert parsed.date_line == 3
    assert parsed.paragraphs == [BODY.strip()]


def test_heading_then_header_lines() -> None:
    parsed = parse("## Talks resume\nDate: 2024-10-17\nAuthor: Jane Doe\n\n" + BODY)
    assert parsed.title == "Talks resume"
    assert iso(parsed) == "2024-10-17"
    assert parsed.date_origin == "header"
    assert parsed.author == "Jane Doe"


def test_a_heading_without_a_date_is_still_a_headline() -> None:
    parsed = parse("# Talks resume\n\n" + BODY)
    assert parsed.title == "Talks resume"
    assert parsed.title_source == "headline"
    assert parsed.date is None
    assert parsed.paragraphs == [BODY.strip()]


def test_separator_above_header_lines() -> None:
    parsed = parse("--------\nTitle: T\nDate: 2024-10-17\n\n" + BODY)
    assert parsed.title == "T"
    assert iso(parsed) == "2024-10-17"


# --- several languages ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Talks resume in Tashkent", "The ministers met on Wednesday."),
        ("Les négociations reprennent à Tachkent", "Les ministres se sont réunis mercredi."),
        ("Gespräche in Taschkent wieder aufgenommen", "Die Minister trafen sich am Mittwoch."),
        ("Se reanudan las conversaciones", "Los ministros se reunieron el miércoles."),
        ("Riprendono i colloqui a Tashkent", "I ministri si sono incontrati mercoledì."),
        ("Retomadas as negociações", "Os ministros reuniram-se na quarta-feira."),
        ("Переговоры возобновились в Ташкенте", "Министры встретились в среду."),
        ("塔什干会谈恢复", "部长们周三举行了会晤。"),
        ("タシケントで協議再開", "閣僚らは水曜日に会談した。"),
        ("타슈켄트 회담 재개", "장관들은 수요일에 만났다."),
        ("استئناف المحادثات في طشقند", "التقى الوزراء يوم الأربعاء."),
    ],
)
def test_headers_in_many_languages(title: str, body: str) -> None:
    for text in (
        f"Title: {title}\nDate: 2024-10-17\nAuthor: Ана Ли\n\n{body}\n",
        f"From: Ана Ли <a@example.org>\nSubject: {title}\nDate: Thu, 17 Oct 2024 09:30 +0300\n\n"
        f"{body}\n",
        f"---\ntitle: {title}\ndate: 2024-10-17\nauthor: Ана Ли\n---\n{body}\n",
        f"# {title}\n\n2024-10-17\n\n{body}\n",
    ):
        parsed = parse(text)
        assert parsed.title == title, text
        assert iso(parsed) == "2024-10-17", text
        assert parsed.paragraphs == [body], text
        if "# " not in text:
            assert parsed.author == "Ана Ли", text


# --- never a crash, never a date out of range -----------------------------------------

_HEADERISH = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        ["Title: T", "Date: 2024-10-17", "Date: 1850-01-01", "Date: 2100-01-01",
         "Date: Thu, 17 Oct 2024 09:30:00 +0100", "Date: Thu, 45 Oct 9999 99:99:99 +9999",
         "From: \"A\" <a@b>", "Subject: =?x-unknown?q?=FF?=", "Subject: =?utf-8?b?!!!?=",
         " folded", "Updated: 2099-12-31", "# Heading", "*2024-02-14*", "", "---", "+++",
         "date 2024-10-08 body", "From a@b Thu Oct 17 09:30:00 2024", "Message-ID: <x>",
         "Tags: a, b", "URL: https://x.org", "Date: 0000-00-00"]
    ),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_HEADERISH, max_size=20))
def test_read_header_never_raises_and_dates_stay_in_range(lines: list[str]) -> None:
    warnings: list[str] = []
    header = read_header(lines, warnings)
    assert 0 <= header.body_start <= len(lines)
    if header.date is not None:
        assert MIN_YEAR <= header.date.year <= MAX_YEAR
        header.date.last_day()
        assert header.date_origin in ("header", "e-mail header", "front matter", "dateline")
    parsed = parse_text("\n".join(lines), "x", path="x.md")
    if parsed.date is not None:
        assert MIN_YEAR <= parsed.date.year <= MAX_YEAR


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=500))
def test_read_header_on_arbitrary_text(text: str) -> None:
    header = read_header(text.split("\n"), [])
    if header.date is not None:
        assert MIN_YEAR <= header.date.year <= MAX_YEAR


def test_front_matter_then_heading_then_date_line() -> None:
    parsed = parse(
        "---\ntitle: Talks resume\nsource: https://example.org/talks\n---\n\n"
        "# Talks resume\n\n17 October 2024\n\n" + BODY,
        path="clips/talks.md",
    )
    assert parsed.title == "Talks resume"
    assert parsed.title_source == "front matter"
    assert iso(parsed) == "2024-10-17"
    assert parsed.date_origin == "dateline"
    assert parsed.date_line == 8
    assert parsed.url == "https://example.org/talks"
    assert parsed.paragraphs == [BODY.strip()]


def test_a_heading_that_differs_from_the_front_matter_title_stays_in_the_body() -> None:
    parsed = parse(
        "---\ntitle: Talks resume\n---\n# Another heading\n\n17 October 2024\n\n" + BODY,
        path="clips/talks.md",
    )
    assert parsed.title == "Talks resume"
    assert any("Another heading" in p for p in parsed.paragraphs)


def test_folded_headers_with_tabs_on_raw_lines() -> None:
    lines = ["From: a@example.org", "Subject: Talks", "\tresume", "Date: 17 Oct 2024", "", "Body."]
    header = read_header(lines, [])
    assert header.title == "Talks resume"
    assert header.is_email
    assert header.body_start == 5


def test_a_link_line_that_is_no_address_is_body_text() -> None:
    parsed = parse("Title: T\n\nLink: see the report below for details.\n\n" + BODY)
    assert parsed.url is None
    assert parsed.paragraphs[0] == "Link: see the report below for details."
    inline = parse("Title: T\nLink: see the report below.\n" + BODY)
    assert inline.url is None
    assert "Link: see the report below." in " ".join(inline.paragraphs)


def test_eml_and_markdown_files_are_found_and_an_eml_read_as_its_email(tmp_path: Path) -> None:
    for name in ("a.eml", "b.markdown", "c.EML", "d.mbox", "e.msg"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    found = sorted(os.path.basename(p) for p in discover([tmp_path]) if isinstance(p, str))
    assert found == ["a.eml", "b.markdown", "c.EML"]
    # As a mail client saves it: CRLF line ends, quoted-printable.
    message = MAIL_HEAD + (
        "Content-Type: text/plain; charset=utf-8\n"
        "Content-Transfer-Encoding: quoted-printable\n\nCaf=C3=A9 owners welcomed the talks.\n"
    )
    path = tmp_path / "digest.eml"
    path.write_bytes(message.replace("\n", "\r\n").encode("ascii"))
    article = read_article(str(path))
    assert isinstance(article, Article)
    assert article.title == "Weekly digest: talks resume"
    assert article.date_iso == "2024-10-17" and article.date_origin == "e-mail header"
    assert article.author == "Jane Doe"
    assert article.paragraphs == ["Café owners welcomed the talks."]
