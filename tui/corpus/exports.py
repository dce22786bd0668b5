"""News database exports: LexisNexis, Nexis Uni and Factiva, as their text files lay out
an article.

Analysts and researchers take their news from these databases, and each export puts
its metadata in a layout of its own around the article: the publication, the date and
the edition above the headline, fields such as ``LENGTH: 850 words`` between the
headline and the body, and trailing ones (``LOAD-DATE:``, ``LANGUAGE:``, Factiva's
``Document …`` number) after it. Read as plain text, the title was "1 of 100
DOCUMENTS", the date sometimes the load date, and the fields were body text.

:func:`read_export` recognises a layout only by the fixed words it always has, and
returns where each thing stands, in plain data; :func:`headers.read_header` makes the
article's header from it. A file that has some of those words but not the layout (a
note that says "1,200 words") is read as text: nothing of it is dropped. ProQuest's
exports are ``Key: value`` header blocks, read by ``headers`` with its keys. One
export file may hold several articles (LexisNexis numbers them "1 of 100
DOCUMENTS"): the first is read, and a warning says how many the file holds, as for an
mbox.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .dates import DATE_AT_START
from .datewords import find_dates
from .lazyre import LazyPattern

SCAN_LINES = 60
"""Lines at the top of a file looked at for an export's header: its fields come
before the body, and a long headline or a list of bylines stays well within this."""

# --- LexisNexis ---------------------------------------------------------------------

_LEXIS_COUNT = LazyPattern(
    r"^\s*(?:\d[\d,]* of \d[\d,]* DOCUMENTS?|Dokument \d+ von \d+|Document \d+ de \d+)\s*$"
)
"""LexisNexis's count line, ``1 of 100 DOCUMENTS`` (German and French exports:
``Dokument 1 von 100``, ``Document 1 de 100``). In capitals: "1 of 3 documents" in a
note is no export."""
_LEXIS_FIELD = LazyPattern(r"^(?P<key>[A-ZÄÖÜÉÈ][A-ZÄÖÜÉÈ-]{1,30}):(?:\s+(?P<value>.*))?$")
"""A LexisNexis field: ``BYLINE: By Jane Doe``, ``BODY:`` (keys in capitals)."""
_LEXIS_HEAD = frozenset(
    {
        "BYLINE", "SECTION", "LENGTH", "HEADLINE", "HIGHLIGHT", "DATELINE", "BODY", "SOURCE",
        "CORRECTION-APPENDED", "AUTOR", "RUBRIK", "LÄNGE", "AUTEUR", "RUBRIQUE", "LONGUEUR",
        "SERIES", "TYPE", "EDITION",
    }
)  # fmt: skip
"""The fields between the headline and the body; an all-capitals ``EXCLUSIVE: …``
headline is none of them."""
_LEXIS_BODY = frozenset({"BODY", "TEXT", "TEXTE"})
_LEXIS_AFTER = frozenset(
    {
        "LOAD-DATE", "LANGUAGE", "PUBLICATION-TYPE", "URL", "GRAPHIC", "CORRECTION-DATE",
        "CORRECTION", "NOTES", "DOCUMENT-TYPE", "JOURNAL-CODE", "SUBJECT", "ORGANIZATION",
        "GEOGRAPHIC", "COUNTRY", "CITY", "STATE", "INDUSTRY", "PERSON", "TICKER",
        "DISTRIBUTION", "ACC-NO", "PUBLICATION", "COMPANY", "UPDATE", "SPRACHE", "GRAFIK",
        "LANGUE", "GRAPHIQUE",
    }
)  # fmt: skip
"""The fields that follow an article's body: the body ends at the first of them that
starts a line after a blank one."""
_COPYRIGHT = LazyPattern(r"^(?:\(c\)|©|copyright\b|all rights reserved)", re.IGNORECASE)

# --- Nexis Uni ----------------------------------------------------------------------

_UNI_FIELD = LazyPattern(r"^(?P<key>[A-Z][A-Za-z-]{1,30}):\s*(?P<value>.*)$")
"""A Nexis Uni field: ``Byline: Jane Doe``, ``Length: 850 words``."""
_UNI_LENGTH = LazyPattern(r"^Length:\s*\d[\d,.]*\s+words\s*$", re.IGNORECASE)
"""Nexis Uni's ``Length: 850 words``, above its ``Body`` line."""
_UNI_SECTIONS = frozenset({"Classification", "End of Document", "Graphic", "Notes"})
"""Lines (whole) that end a Nexis Uni article's body: its trailing sections."""
_UNI_ENDS = frozenset({"End of Document", "Classification"})
"""Lines an export always has after the body (a draft with "Body" and "Length:" has
none)."""

# --- Factiva ------------------------------------------------------------------------

_WORD_COUNT = LazyPattern(
    r"^\d[\d,.]*[ \t]+(?:words|mots|Wörter|palabras|parole|woorden|palavras|ord)[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
"""Factiva's length line: ``850 words``."""
_MARKER_LINES = 40
"""How far down Nexis Uni's ``Body`` line may stand (under a download's cover page)."""
_PROQUEST_LINES = 24
"""How far down ProQuest's ``ProQuest document link`` line may stand."""
_FACTIVA_BLOCK = 16
"""Lines of the first block that may hold Factiva's section, headline, author and
length."""
_FACTIVA_META = 9
"""Lines the block after the length line holds at most: the date, a time, the
publication, its code, an edition, a page, the language and the copyright."""
_FACTIVA_NUMBER = LazyPattern(r"^Document [A-Za-z0-9]{20,}$")
"""Factiva's last line: ``Document NYTF000020210303eh3300001``."""
_FACTIVA_CODE = LazyPattern(r"^(?P<code>[A-Z]{2,3})(?:[ \t]+(?P<value>.*))?$")
"""A field of Factiva's display with codes: ``HD Headline``, ``PD 3 March 2021``."""
_FACTIVA_BODY_CODES = frozenset({"LP", "TD"})
"""The lead paragraph and the text: the body."""
_FACTIVA_HEAD_CODES = frozenset({"SN", "WC", "SC", "LA", "CY", "BY", "SE", "PG", "ED", "ET"})
"""Codes that come between the headline and the body."""
_TIME = LazyPattern(r"^\d{1,2}[:.]\d\d(?:\s*[A-Z]{2,4})?$")
"""A wire story's time line under its date: ``10:05 GMT``."""
_NAME = LazyPattern(r"^(?:By\s+)?[^\W\d_][\w.'’-]*(?:\s+[^\W\d_][\w.'’-]*){1,4}$")
"""A byline: a few words, no sentence (``Jane Doe``, ``By Jane Doe``)."""


@dataclass(slots=True)
class Export:
    """Where an export's parts stand (0-based line indexes, into the lines given)."""

    kind: str
    """``LexisNexis``, ``Nexis Uni`` or ``Factiva``: named in the warning that a file
    holds several articles."""
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
    body_replace: dict[int, str] = field(default_factory=dict)
    """Body lines read as other text: a field's line read as its value (``BODY: The
    talks…``, ``HIGHLIGHT: …``, Factiva's ``TD``), or as a blank line (a field between
    them)."""
    articles: int = 1
    """Articles the file holds (a LexisNexis export may hold a hundred)."""


def read_export(lines: list[str]) -> Export | None:
    """The layout of a news database export at the top of *lines*, or None (most files).

    It runs for every file read: each layout is ruled out by a test in C first (a
    test of each line in Python cost ~5 µs a file)."""
    head = lines[:SCAN_LINES]
    if lines and lines[0].strip():  # most files: no generator made
        first, first_at = lines[0], 0
    else:
        first_at = next((i for i, line in enumerate(head) if line.strip()), 0)
        first = head[first_at] if head else ""
    if _is_count_line(first):
        return _lexis(lines, first_at)
    if first.startswith("Download Request:"):
        # LexisNexis Academic: the request's own block, then "1 of 10 DOCUMENTS".
        count_at = next((i for i, line in enumerate(head) if _is_count_line(line)), None)
        if count_at is not None:
            return _lexis(lines, count_at)
    # Each test of a line list costs a comparison a line: the markers are looked for
    # only as far down as their layouts put them.
    near = head[:_MARKER_LINES]
    if "Body" in near or "Body " in near:
        body_at = next(i for i, line in enumerate(near) if line.rstrip() == "Body")
        length = any(
            line.startswith("Length:") and _UNI_LENGTH.match(line) for line in head[:body_at]
        )
        if length and any(
            line.strip() in _UNI_ENDS or line.startswith("Load-Date:") for line in lines
        ):
            return _nexis_uni(lines, body_at)
    near = near[:_PROQUEST_LINES]
    if "ProQuest document link" in near or "Report Information from ProQuest" in near:
        return _proquest(lines)
    if first.startswith("HD") and _FACTIVA_CODE.match(first):
        return _factiva_codes(lines)
    # Factiva's length line, in the first block: one search of the block.
    block = lines[first_at : first_at + _FACTIVA_BLOCK]
    if "" in block:
        block = block[: block.index("")]
    if len(block) < 3:  # the headline, the length and the date at least
        return None
    text = "\n".join(block)
    found = _WORD_COUNT.search(text)
    if found is not None:
        return _factiva(lines, first_at, first_at + text.count("\n", 0, found.start()))
    return None


_RANGE = LazyPattern(r"^\s*(?:[-–—]|to\b|bis\b|au\b)")
"""A date range's middle: a weekly's ``March 8, 2021 - March 14, 2021`` is no one day."""
_DATE_REST = LazyPattern(r"[\s,]*(?:[^\W\d_]+)?[\s,]*(?:\d{1,2}[:.]\d\d\b.*)?", re.IGNORECASE)
"""What may follow the date on a date line: a weekday (in any language), a time."""


def _date_in(line: str, *, then_anything: bool = False) -> str | None:
    """The date *line* starts with (``March 3, 2021 Wednesday``, ``3 March 2021``), or
    None. Only a weekday or a time may follow it, unless *then_anything* (a line of an
    export's head: ``March 3, 2021, Wednesday, City Edition``); never a range."""
    stripped = line.strip()
    match = DATE_AT_START.match(stripped)
    if match is not None:
        if match.group().isdigit():
            return None  # a year alone ("2021 budget passes" is a headline)
        end = match.end()
    elif stripped[:1].isdigit():
        # "3. März 2021 Mittwoch", "3 марта 2021": the month tables of other languages.
        found = next(find_dates(stripped), None)
        if found is None or found.start != 0 or found.date.day is None:
            return None
        end = found.end
    else:
        return None
    rest = stripped[end:]
    if _RANGE.match(rest) or not (then_anything or _DATE_REST.fullmatch(rest)):
        return None
    return stripped[:end]


def _without_by(byline: str) -> str:
    byline = byline.strip()
    return byline[3:].lstrip() if byline[:3].lower() == "by " else byline


def _is_count_line(line: str) -> bool:
    return ("DOCUMENT" in line or "ocument" in line or "okument" in line) and _LEXIS_COUNT.match(
        line
    ) is not None


def _lexis(lines: list[str], count_at: int) -> Export | None:
    """``N of M DOCUMENTS``; the publication, date and edition lines; the headline; the
    fields (``BYLINE:``, ``LENGTH:``…); ``BODY:``; the body; the trailing fields.
    None when no field follows the top within :data:`SCAN_LINES` (no export)."""
    export = Export("LexisNexis")
    export.articles = sum(1 for line in lines if _is_count_line(line))
    index = count_at + 1
    groups: list[list[int]] = []  # the lines above the fields, in blank-separated groups
    limit = min(len(lines), count_at + SCAN_LINES)
    while index < limit:
        line = lines[index].strip()
        found = _LEXIS_FIELD.match(line)
        if found is not None and found["key"] in _LEXIS_HEAD:
            break
        if line:
            if not groups or not lines[index - 1].strip():
                groups.append([])
            groups[-1].append(index)
        index += 1
    else:
        return None  # "1 of 3 DOCUMENTS" and no field: a note, read as text
    at_date = next(
        (at for group in groups for at in group if _date_in(lines[at], then_anything=True)), None
    )
    if at_date is not None:
        export.date_line = at_date
        export.date_text = _date_in(lines[at_date], then_anything=True)
    # The publication: the first line of the top that is no copyright line.
    for group in groups:
        line = lines[group[0]].strip()
        if group[0] != at_date and not _COPYRIGHT.match(line) and at_date is not None:
            if group[0] < at_date:
                export.source = line
            break
    # The headline: the last group above the fields, unless it holds the date.
    if groups and (at_date is None or at_date not in groups[-1]):
        export.title = " ".join(lines[at].strip() for at in groups[-1])
        export.title_line = groups[-1][0]
    _lexis_fields(lines, index, export)
    for at in range(export.body_start, len(lines)):
        line = lines[at]
        if _is_count_line(line):
            export.body_end = at  # the file's next article
            break
        found = _LEXIS_FIELD.match(line.strip())
        if found is not None and found["key"] in _LEXIS_AFTER and not lines[at - 1].strip():
            export.body_end = at
            break
    for line in lines[export.body_end or len(lines) :]:
        found = _LEXIS_FIELD.match(line.strip())
        if found is not None and found["key"] == "URL" and found["value"]:
            export.url = found["value"].strip()
            break
        if _is_count_line(line):
            break
    return export


def _lexis_fields(lines: list[str], index: int, export: Export) -> None:
    """Read the fields from *index* on, up to ``BODY:``: where the body starts, and what
    of the fields is text (``HIGHLIGHT:``, the standfirst, is the body's first
    paragraph). A line right under a field's, no blank between, goes on with its value."""
    key = ""
    values: dict[str, list[str]] = {}
    highlight: int | None = None
    while index < len(lines):
        line = lines[index].strip()
        found = _LEXIS_FIELD.match(line)
        if found is not None and (found["key"] in _LEXIS_HEAD or found["key"] in _LEXIS_BODY):
            key = found["key"]
            values.setdefault(key, []).append((found["value"] or "").strip())
            if key == "HIGHLIGHT" and highlight is None:
                highlight = index
            if key in _LEXIS_BODY:
                index += 1
                break
        elif line and key and lines[index - 1].strip():
            values[key].append(line)  # a field's value on two lines
        elif line:
            break  # no BODY: field: the text follows the fields
        index += 1
    export.body_start = index
    if "HEADLINE" in values and not export.title:
        export.title = " ".join(filter(None, values["HEADLINE"]))
    if "BYLINE" in values or "AUTOR" in values or "AUTEUR" in values:
        byline = values.get("BYLINE") or values.get("AUTOR") or values.get("AUTEUR") or []
        export.author = _without_by(" ".join(filter(None, byline))) or None
    body_value = " ".join(filter(None, values.get(key, []))) if key in _LEXIS_BODY else ""
    if highlight is not None:
        # The standfirst is text: the body starts there, the fields after it blank.
        export.body_replace = {at: "" for at in range(highlight, index)}
        export.body_replace[highlight] = " ".join(filter(None, values["HIGHLIGHT"]))
        if body_value:
            export.body_replace[index - 1] = body_value
        export.body_start = highlight
    elif body_value:
        export.body_replace = {index - 1: body_value}  # "BODY: The talks…"
        export.body_start = index - 1


def _nexis_uni(lines: list[str], body_at: int) -> Export:
    """The headline first, then the publication and the date; fields (``Length:``,
    ``Byline:``); a line ``Body``; the body; ``Load-Date:`` … ``End of Document``."""
    export = Export("Nexis Uni")
    above = [at for at in range(body_at) if lines[at].strip()]
    at_date = next((at for at in above[1:] if _date_in(lines[at], then_anything=True)), None)
    if at_date is not None and above.index(at_date) >= 2:
        # The publication's line is above the date's, the headline above it, up to a
        # blank line (a download's cover page may come first).
        source_at = above[above.index(at_date) - 1]
        export.source = lines[source_at].strip()
        top = source_at
        while top > 0 and lines[top - 1].strip():
            top -= 1
        headline = range(top, source_at)
    else:
        headline = range(above[0], above[0] + 1) if above else range(0)
    if headline:
        export.title_line = headline.start
        export.title = " ".join(lines[at].strip() for at in headline)
    if at_date is not None:
        export.date_line = at_date
        export.date_text = _date_in(lines[at_date], then_anything=True)
    export.body_start = body_at + 1
    for at in above:
        found = _UNI_FIELD.match(lines[at].strip())
        if found is None:
            continue
        key, value = found["key"].lower(), found["value"].strip()
        if key == "byline" and value:
            export.author = _without_by(value)
        elif key == "highlight" and value and at > (at_date or 0):
            # The standfirst is text: the body starts there, the lines to Body blank.
            export.body_replace = {line: "" for line in range(at, body_at + 1)}
            export.body_replace[at] = value
            export.body_start = at
    for at in range(body_at + 1, len(lines)):
        line = lines[at].strip()
        if line in _UNI_SECTIONS or line.startswith("Load-Date:"):
            export.body_end = at
            break
    export.articles = max(1, sum(1 for line in lines if line.strip() == "End of Document"))
    return export


def _factiva(lines: list[str], first_at: int, words_at: int) -> Export | None:
    """The section (if any), the headline, the author (if any), ``850 words``, the
    date, the publication, its code, the language and the copyright line; a blank
    line; the body; ``Document …``. None unless the date follows the length line and a
    copyright line and a blank line close the block (a note that says "1,200 words")."""
    end = min(len(lines), words_at + 1 + _FACTIVA_META)
    at = words_at + 1
    while at < end and lines[at].strip():
        at += 1
    meta = [line.strip() for line in lines[words_at + 1 : at]]
    if at < len(lines) and lines[at].strip():
        return None  # the block runs on: text, not an export's head
    if not meta or not any(_COPYRIGHT.match(line) for line in meta):
        return None
    dated = next((i for i, line in enumerate(meta[:3]) if _date_in(line)), None)
    if dated is None:
        return None
    export = Export("Factiva")
    export.date_line = words_at + 1 + dated
    export.date_text = _date_in(meta[dated])
    export.source = next(
        (line for line in meta[dated + 1 :] if not _TIME.match(line) and not _date_in(line)),
        None,
    )
    texts = [line.strip() for line in lines[first_at:words_at] if line.strip()]
    last = texts[-1] if len(texts) > 1 else ""
    if last[:3].lower() == "by " or (_NAME.match(last) and not last.isupper()):
        export.author = _without_by(texts.pop())
    if len(texts) > 1 and len(texts[0].split()) <= 3 < len(texts[1].split()):
        texts.pop(0)  # a section above the headline ("Business")
    if texts:
        export.title = " ".join(texts)
        export.title_line = first_at
    export.body_start = at
    numbers = [n for n in range(at, len(lines)) if _FACTIVA_NUMBER.match(lines[n].strip())]
    if numbers:
        export.body_end = numbers[0]
        export.articles = len(numbers)
    return export


def _factiva_codes(lines: list[str]) -> Export | None:
    """Factiva's display with codes: ``HD`` headline, ``BY`` author, ``PD`` date, ``SN``
    publication, ``LP`` and ``TD`` the body, then ``CO``, ``NS`` … ``AN``. None unless
    ``PD`` is a date, two more of the head's codes are there and ``LP`` or ``TD`` is."""
    head = lines[:SCAN_LINES]
    codes = {m["code"]: m for line in head if (m := _FACTIVA_CODE.match(line.rstrip()))}
    published = codes.get("PD")
    if published is None or not _date_in(published["value"] or "", then_anything=True):
        return None
    if len(_FACTIVA_HEAD_CODES.intersection(codes)) < 2:
        return None
    export = Export("Factiva")
    code = ""
    at = 0
    body = None
    while at < len(lines):
        line = lines[at].rstrip()
        found = _FACTIVA_CODE.match(line)
        if found is not None and found["code"] in _FACTIVA_BODY_CODES:
            body = at
            break
        if found is not None:
            code, value = found["code"], (found["value"] or "").strip()
            if code == "HD" and value:
                export.title, export.title_line = value, at
            elif code == "BY" and value:
                export.author = _without_by(value)
            elif code == "PD" and value and export.date_text is None:
                export.date_text = _date_in(value, then_anything=True)
                export.date_line = at
            elif code == "SN" and value:
                export.source = value
        elif code == "HD" and line.strip() and export.title is not None:
            export.title += " " + line.strip()  # a headline on two lines
        at += 1
    if body is None:
        return None  # no lead paragraph nor text: nothing to read as the article
    export.body_start = body
    for at in range(body, len(lines)):
        found = _FACTIVA_CODE.match(lines[at].rstrip())
        if found is None:
            continue
        if found["code"] in _FACTIVA_BODY_CODES:
            export.body_replace[at] = (found["value"] or "").strip()  # "TD": text goes on
        elif found["code"] in _FACTIVA_TRAILING and _only_codes_from(lines, at):
            export.body_end = at
            break
    export.articles = max(1, sum(1 for line in lines if line.startswith("AN Document ")))
    return export


_FACTIVA_TRAILING = frozenset({"CO", "IN", "NS", "RE", "IPC", "IPD", "PUB", "AN", "RF", "ART"})
"""Codes that follow the body (companies, subjects, regions … the document number)."""


def _only_codes_from(lines: list[str], start: int) -> bool:
    """From *start* to the document number (``AN``), every line is a code's (an
    all-capitals "IN BRIEF" subhead, text after it, is no trailing code)."""
    for line in lines[start:]:
        if line.startswith("AN "):
            return True
        if line.strip() and not _CODE_LINE.match(line):
            return False
    return True  # codes to the end (an export without its document number)


_CODE_LINE = LazyPattern(r"^[A-Z]{2,4}(?:[ \t]|$)")


# --- ProQuest -----------------------------------------------------------------------

_PROQUEST_DOCUMENT = LazyPattern(r"^Document \d+ of \d+$")
"""The line above each article of a ProQuest download: ``Document 1 of 5``."""
_PROQUEST_FIELD = LazyPattern(r"^(?P<key>[A-Z][A-Za-z /]{1,40}):\s*(?P<value>.*)$")
_PROQUEST_RECORD = frozenset(
    {
        "Subject", "Title", "Publication title", "Location", "People", "Company / organization",
        "Identifier / keyword", "Publication date", "Publication year", "Section", "Publisher",
        "Place of publication", "Country of publication", "Publication subject", "ISSN",
        "Source type", "Language of publication", "Document type", "ProQuest document ID",
        "Document URL", "Copyright", "Last updated", "Database", "Pages", "Author",
        "Credit", "Illustration", "Caption", "Dateline",
    }
)  # fmt: skip
"""The record's fields that follow the full text in ProQuest's text-only download."""
_SEPARATOR = LazyPattern(r"^_{10,}$")


def _proquest(lines: list[str]) -> Export | None:
    """ProQuest's text-only download: a report's head, ``Document 1 of N``, the
    headline, ``Author:``, ``Publication info:``, ``ProQuest document link``,
    ``Abstract:``, ``Full text:`` and the text, then the record's fields (``Subject:``,
    ``Publication date:`` …) and a line of underscores. None without ``Full text:``."""
    documents = [at for at, line in enumerate(lines) if _PROQUEST_DOCUMENT.match(line.strip())]
    start = documents[0] + 1 if documents else 0
    end = documents[1] if len(documents) > 1 else len(lines)
    full = next(
        (at for at in range(start, end) if lines[at].startswith(("Full text:", "Full Text:"))), None
    )
    if full is None:
        return None
    export = Export("ProQuest", articles=max(1, len(documents)))
    title_at = next(
        (at for at in range(start, full) if lines[at].strip() and not _SEPARATOR.match(lines[at])),
        None,
    )
    if title_at is not None and not _PROQUEST_FIELD.match(lines[title_at]):
        export.title, export.title_line = lines[title_at].strip(), title_at
    abstract = None
    for at in range(start, full):
        found = _PROQUEST_FIELD.match(lines[at].strip())
        if found is None:
            continue
        if found["key"] == "Author" and found["value"].strip():
            export.author = found["value"].strip()
        elif found["key"] == "Abstract" and found["value"].strip() and abstract is None:
            abstract = at
    # The text: the abstract (a summary, text too) and the full text.
    export.body_start = abstract if abstract is not None else full
    export.body_replace = {at: "" for at in range(export.body_start, full)}
    if abstract is not None:
        export.body_replace[abstract] = lines[abstract].split(":", 1)[1].strip()
    export.body_replace[full] = lines[full].split(":", 1)[1].strip()
    for at in range(full + 1, end):
        line = lines[at].strip()
        found = _PROQUEST_FIELD.match(line)
        record = found is not None and found["key"] in _PROQUEST_RECORD
        if _SEPARATOR.match(line) or (record and not lines[at - 1].strip()):
            export.body_end = at
            break
    for at in range(export.body_end or end, end):
        found = _PROQUEST_FIELD.match(lines[at].strip())
        if found is None:
            continue
        key, value = found["key"], found["value"].strip()
        if key == "Publication date" and value and export.date_text is None:
            export.date_text, export.date_line = value, at
        elif key == "Publication title" and value and export.source is None:
            export.source = value
        elif key == "Document URL" and value and export.url is None:
            export.url = value
        elif key == "Author" and value and export.author is None:
            export.author = value
        elif key == "Title" and value and export.title is None:
            export.title, export.title_line = value, at
    return export
