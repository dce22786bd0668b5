"""News database exports: LexisNexis, Nexis Uni and Factiva, as their text files lay out
an article.

Analysts and researchers take their news from these databases, and each export puts
its metadata in a layout of its own around the article: the publication, the date and
the edition above the headline, fields such as ``LENGTH: 850 words`` between the
headline and the body, and trailing ones (``LOAD-DATE:``, ``LANGUAGE:``, Factiva's
``Document …`` number) after it. Read as plain text, the title was "1 of 100
DOCUMENTS", the date sometimes the load date, and the fields were body text.

:func:`read_export` recognises the layout by its fixed words and returns where each
thing stands, in plain data; :func:`headers.read_header` makes the article's header
from it. ProQuest's exports are ``Key: value`` header blocks, read by ``headers`` with
its keys. One export file may hold several articles (LexisNexis numbers them "1 of
100 DOCUMENTS"): the first is read, and a warning says how many the file holds, as for
an mbox.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import DATE_AT_START
from .lazyre import LazyPattern

SCAN_LINES = 60
"""Lines at the top of a file looked at for an export's header: its fields come
before the body, and a long headline or a list of bylines stays well within this."""

_LEXIS_COUNT = LazyPattern(r"^\s*(\d[\d,]*) of (\d[\d,]*) DOCUMENTS?\s*$", re.IGNORECASE)
"""LexisNexis's first line: ``1 of 100 DOCUMENTS``."""
_LEXIS_FIELD = LazyPattern(r"^(?P<key>[A-Z][A-Z-]{1,30}):(?:\s+(?P<value>.*))?$")
"""A LexisNexis field: ``BYLINE: By Jane Doe``, ``BODY:`` (keys in capitals)."""
_LEXIS_AFTER = frozenset(
    {
        "LOAD-DATE", "LANGUAGE", "PUBLICATION-TYPE", "URL", "GRAPHIC", "CORRECTION-DATE",
        "CORRECTION", "NOTES", "DOCUMENT-TYPE", "JOURNAL-CODE", "SUBJECT", "ORGANIZATION",
        "GEOGRAPHIC", "COUNTRY", "CITY", "STATE", "INDUSTRY", "PERSON", "TICKER",
        "DISTRIBUTION", "TYPE", "SERIES", "ACC-NO", "PUBLICATION", "COMPANY",
    }
)  # fmt: skip
"""The fields that follow an article's body in a LexisNexis export: the body ends at
the first of them."""

_UNI_FIELD = LazyPattern(r"^(?P<key>[A-Z][A-Za-z-]{1,30}):\s*(?P<value>.*)$")
"""A Nexis Uni field: ``Byline: Jane Doe``, ``Length: 850 words``."""
_UNI_LENGTH = LazyPattern(r"^Length:\s*\d[\d,.]*\s+words\s*$", re.IGNORECASE)
"""Nexis Uni's ``Length: 850 words``, above its ``Body`` line."""
_UNI_AFTER = ("Load-Date:", "Classification", "End of Document", "Graphic", "Notes")
"""Lines that end a Nexis Uni article's body (its trailing sections)."""

_WORD_COUNT = LazyPattern(
    r"^\d[\d,.]*[ \t]+(?:words|mots|Wörter|palabras|parole|woorden)[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
"""Factiva's length line: ``850 words``."""
_FACTIVA_NUMBER = LazyPattern(r"^Document [A-Za-z0-9]{20,}$")
"""Factiva's last line: ``Document NYTF000020210303eh3300001``."""
_FACTIVA_CODE = LazyPattern(r"^(?P<code>[A-Z]{2,3})(?:\s+(?P<value>.*))?$")
"""A field of Factiva's display with codes: ``HD Headline``, ``PD 3 March 2021``."""
_FACTIVA_BODY_CODES = frozenset({"LP", "TD"})
_FACTIVA_TRAILING = frozenset({"CO", "IN", "NS", "RE", "IPC", "IPD", "PUB", "AN", "RF", "ART"})


@dataclass(slots=True)
class Export:
    """Where an export's parts stand (0-based line indexes, into the lines given)."""

    kind: str
    """``LexisNexis``, ``Nexis Uni`` or ``Factiva``: said where the title came from."""
    title: str | None = None
    title_line: int | None = None
    date_text: str | None = None
    date_line: int | None = None
    source: str | None = None
    author: str | None = None
    url: str | None = None
    body_start: int = 0
    body_end: int | None = None
    """The line after the body (None: the file's end)."""
    first_body_line: str | None = None
    """The body's first words, when they share a field's line (``BODY: The talks…``)."""
    body_skip: tuple[int, ...] = ()
    """Lines inside the body that are the export's markers (Factiva's ``TD``)."""
    articles: int = 1
    """Articles the file holds (a LexisNexis export may hold a hundred)."""


def read_export(lines: list[str]) -> Export | None:
    """The layout of a news database export at the top of *lines*, or None (most files).

    It runs for every file read: each layout is ruled out by a test in C first (a
    test of each line in Python cost ~5 µs a file)."""
    head = lines[:SCAN_LINES]
    first = lines[0] if lines and lines[0].strip() else next((x for x in head if x.strip()), "")
    if "DOCUMENT" in first.upper() and _LEXIS_COUNT.match(first):
        return _lexis(lines)
    if "Body" in head:
        body_at = head.index("Body")
        if any(line.startswith("Length:") and _UNI_LENGTH.match(line) for line in head[:body_at]):
            return _nexis_uni(lines, body_at)
    if first.startswith("HD") and _FACTIVA_CODE.match(first):
        return _factiva_codes(lines)
    # Factiva's length line, in the first block: one search of the block.
    block = lines[:_FACTIVA_BLOCK]
    if "" in block:
        block = block[: block.index("")]
    text = "\n".join(block)
    found = _WORD_COUNT.search(text)
    if found is not None:
        return _factiva(lines, text.count("\n", 0, found.start()))
    return None


_FACTIVA_BLOCK = 16
"""Lines of the first block that may hold Factiva's headline, author and length."""
_FACTIVA_DATE_AFTER = 3
"""Lines after the length line that may hold the date (a page number may come first)."""
_DATE_REST = LazyPattern(r"[\s,]*(?:[^\W\d_]+day)?[\s,]*(?:\d{1,2}[:.]\d\d\b.*)?", re.IGNORECASE)
"""What may follow the date on an export's date line: a weekday, a time."""


def _date_in(line: str) -> str | None:
    """The date *line* is (``March 3, 2021 Wednesday``, ``3 March 2021``), or None."""
    stripped = line.strip()
    match = DATE_AT_START.match(stripped)
    if match is None or not _DATE_REST.fullmatch(stripped[match.end() :]):
        return None
    return match.group()


def _without_by(byline: str) -> str:
    return re.sub(r"^(?:By|BY|by)\s+", "", byline.strip())


def _lexis(lines: list[str]) -> Export:
    """``N of M DOCUMENTS``; the publication, date and edition lines; the headline; the
    fields (``BYLINE:``, ``LENGTH:``…); ``BODY:``; the body; the trailing fields."""
    export = Export("LexisNexis")
    count_at = next(i for i, line in enumerate(lines) if line.strip())
    export.articles = sum(1 for line in lines if "DOCUMENT" in line and _LEXIS_COUNT.match(line))
    index = count_at + 1
    groups: list[list[int]] = []  # the lines above the fields, in blank-separated groups
    while index < len(lines) and index < count_at + SCAN_LINES:
        line = lines[index]
        if _LEXIS_FIELD.match(line.strip()):
            break
        if line.strip():
            if not groups or not lines[index - 1].strip():
                groups.append([])
            groups[-1].append(index)
        index += 1
    for at in (at for group in groups for at in group):
        if (found := _date_in(lines[at])) is not None:
            export.date_text, export.date_line = found, at
            break
    if groups and export.date_line is not None and export.date_line > groups[0][0]:
        export.source = lines[groups[0][0]].strip()
    # The headline: the last group above the fields, unless the date is in it.
    if groups and (export.date_line is None or export.date_line not in groups[-1]):
        export.title = " ".join(lines[at].strip() for at in groups[-1])
        export.title_line = groups[-1][0]
    export.body_start = index
    while index < len(lines):
        field = _LEXIS_FIELD.match(lines[index].strip())
        if field is None:
            if lines[index].strip():
                export.body_start = index  # no BODY: field: the text follows the fields
                break
            index += 1
            continue
        key, value = field["key"], (field["value"] or "").strip()
        index += 1
        export.body_start = index
        if key == "BODY":
            export.first_body_line = value or None
            break
        if key == "BYLINE" and value:
            export.author = _without_by(value)
    for at in range(export.body_start, len(lines)):
        line = lines[at]
        if "DOCUMENT" in line and _LEXIS_COUNT.match(line):
            export.body_end = at  # the file's next article
            break
        field = _LEXIS_FIELD.match(line.strip())
        if field is not None and field["key"] in _LEXIS_AFTER and not lines[at - 1].strip():
            export.body_end = at
            break
    # The address, among the trailing fields.
    for line in lines[export.body_end or len(lines) :]:
        field = _LEXIS_FIELD.match(line.strip())
        if field is not None and field["key"] == "URL" and field["value"]:
            export.url = field["value"].strip()
            break
        if "DOCUMENT" in line and _LEXIS_COUNT.match(line):
            break
    return export


def _nexis_uni(lines: list[str], body_at: int) -> Export:
    """The headline first, then the publication and the date; fields (``Length:``,
    ``Byline:``); a line ``Body``; the body; ``Load-Date:`` … ``End of Document``."""
    export = Export("Nexis Uni")
    above = [at for at in range(body_at) if lines[at].strip()]
    if above:
        export.title_line = above[0]
        export.title = lines[above[0]].strip()
    for at in above[1:]:
        line = lines[at]
        if export.date_text is None and (found := _date_in(line)) is not None:
            export.date_text, export.date_line = found, at
            continue
        field = _UNI_FIELD.match(line.strip())
        if field is not None:
            if field["key"].lower() == "byline" and field["value"].strip():
                export.author = _without_by(field["value"])
        elif export.source is None and export.date_text is None:
            export.source = line.strip()
    export.body_start = body_at + 1
    for at in range(body_at + 1, len(lines)):
        if lines[at].strip().startswith(_UNI_AFTER):
            export.body_end = at
            break
    export.articles = max(1, sum(1 for line in lines if line.strip() == "End of Document"))
    return export


def _factiva(lines: list[str], words_at: int) -> Export | None:
    """The headline, the author (if any), ``850 words``, the date, the publication, its
    code, the language and the copyright line; a blank line; the body; ``Document …``."""
    export = Export("Factiva")
    block = [at for at in range(words_at) if lines[at].strip()]
    if block:
        export.title_line = block[0]
        export.title = lines[block[0]].strip()
        if len(block) > 1:
            export.author = _without_by(lines[block[-1]])
    at = words_at + 1
    while at < len(lines) and lines[at].strip():
        if export.date_text is None and (found := _date_in(lines[at])) is not None:
            export.date_text, export.date_line = found, at
        elif export.date_text is not None and export.source is None:
            export.source = lines[at].strip()
        at += 1
    if export.date_line is None or export.date_line > words_at + _FACTIVA_DATE_AFTER:
        return None  # "1,200 words" in a note: the date must follow, as Factiva has it
    export.body_start = at
    numbers = [end for end in range(at, len(lines)) if _FACTIVA_NUMBER.match(lines[end].strip())]
    if numbers:
        export.body_end = numbers[0]
        export.articles = len(numbers)
    return export


def _factiva_codes(lines: list[str]) -> Export | None:
    """Factiva's display with codes: ``HD`` headline, ``BY`` author, ``PD`` date, ``SN``
    publication, ``LP`` and ``TD`` the body, then ``CO``, ``NS`` … ``AN``."""
    if not any(line.startswith("PD ") for line in lines[:SCAN_LINES]):
        return None  # "HD video review": no publication date field, no export
    export = Export("Factiva")
    code = ""
    at = 0
    export.body_start = len(lines)
    while at < len(lines):
        line = lines[at].rstrip()
        field = _FACTIVA_CODE.match(line)
        if field is not None and field["code"] in _FACTIVA_BODY_CODES:
            export.body_start = at + 1
            export.first_body_line = (field["value"] or "").strip() or None
            break
        if field is not None:
            code, value = field["code"], (field["value"] or "").strip()
            if code == "HD" and value:
                export.title, export.title_line = value, at
            elif code == "BY" and value:
                export.author = _without_by(value)
            elif code == "PD" and value and export.date_text is None:
                export.date_text, export.date_line = value, at
            elif code == "SN" and value:
                export.source = value
        elif code == "HD" and line.strip() and export.title is not None:
            export.title += " " + line.strip()  # a headline on two lines
        at += 1
    skip: list[int] = []
    for end in range(export.body_start, len(lines)):
        field = _FACTIVA_CODE.match(lines[end].rstrip())
        if field is None:
            continue
        if field["code"] in _FACTIVA_BODY_CODES and not field["value"]:
            skip.append(end)  # "TD": the body goes on
        elif field["code"] in _FACTIVA_TRAILING:
            export.body_end = end
            break
    export.body_skip = tuple(skip)
    export.articles = max(1, sum(1 for line in lines if line.startswith("AN ")))
    return export
