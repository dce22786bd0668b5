"""From decoded text to an article: header lines, date, title and clean paragraphs.

The order matters: neutralise first (so nothing derived can carry a control
character), then take the header block, then clean the body, then choose a title.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from .dates import DATE_AT_START, ArticleDate, DateProblem, infer_year, parse_stated_date
from .safe import neutralise

TITLE_LIMIT = 90
"""A title made from the first sentence is cut at a word boundary near this length."""

HEADLINE_MAX_CHARS = 150
HEADLINE_MAX_WORDS = 24

PARAGRAPH_LIMIT = 5000
"""Longer paragraphs (a 2 MB single line) are split at sentence or word boundaries
so that wrapping and drawing stay fast; no text is dropped."""

HEADER_SCAN_LINES = 12
"""How many non-blank lines at the top may be metadata."""


@dataclass(slots=True)
class ParsedText:
    """Everything parsing learnt from one file's text."""

    title: str
    title_source: str
    """``header`` (a Title: line), ``headline`` (a short first line),
    ``first sentence`` or ``file name``."""
    date: ArticleDate | None
    date_text: str | None
    """The stated date exactly as the file wrote it (None when inferred or undated)."""
    date_line: int | None
    """1-based line of the stated date."""
    source: str | None
    author: str | None
    paragraphs: list[str]
    warnings: list[str] = field(default_factory=list)


# --- header block -----------------------------------------------------------------

_FIELD = re.compile(
    r"^\s*(?P<key>title|date|published|posted|updated|source|author|by|url|link)\s*:\s*(?P<value>.*)$",
    re.IGNORECASE,
)
_BARE_DATE_KEY = re.compile(r"^\s*(?P<key>date|published|posted)\s+(?P<rest>\S.*)$", re.IGNORECASE)
_DATE_KEYS = frozenset({"date", "published", "posted", "updated"})
_DECORATION = "*_[]()#> \t"


@dataclass(slots=True)
class _Header:
    title: str | None = None
    title_line: int | None = None
    date: ArticleDate | None = None
    date_text: str | None = None
    date_line: int | None = None
    source: str | None = None
    author: str | None = None
    body_start: int = 0
    first_body_line: str | None = None
    """Body text that shared its line with a date (`` date 2024-10-08 In a move …``)."""


def _take_date(header: _Header, text: str, line_no: int, warnings: list[str]) -> None:
    try:
        parsed = parse_stated_date(text)
    except DateProblem as problem:
        warnings.append(f"line {line_no}: {problem}")
        return
    if header.date is None:
        header.date, header.date_text, header.date_line = parsed, text.strip(), line_no


def _read_header(lines: list[str], warnings: list[str]) -> _Header:
    header = _Header()
    seen = 0
    index = 0
    while index < len(lines) and seen < HEADER_SCAN_LINES:
        line = lines[index]
        if not line.strip():
            index += 1
            continue
        seen += 1
        line_no = index + 1
        field_match = _FIELD.match(line)
        if field_match:
            key = field_match["key"].lower()
            value = field_match["value"].strip()
            if key in _DATE_KEYS:
                date_match = DATE_AT_START.match(value)
                _take_date(header, date_match.group() if date_match else value, line_no, warnings)
            elif key == "title" and value and header.title is None:
                header.title, header.title_line = value, line_no
            elif key == "source" and value:
                header.source = value
            elif key in ("author", "by") and value:
                header.author = value
            index += 1
            continue
        bare = _BARE_DATE_KEY.match(line)
        if bare:
            rest = bare["rest"]
            date_match = DATE_AT_START.match(rest)
            if date_match:
                _take_date(header, date_match.group(), line_no, warnings)
                remainder = rest[date_match.end() :].strip()
                index += 1
                if remainder:
                    header.first_body_line = remainder
                    break
                continue
        stripped = line.strip().strip(_DECORATION)
        if stripped and DATE_AT_START.fullmatch(stripped) and not stripped.isdigit():
            _take_date(header, stripped, line_no, warnings)
            index += 1
            continue
        break
    header.body_start = index
    return header


# --- cleaning ---------------------------------------------------------------------

_BOILERPLATE = re.compile(
    r"""^(?:
        powered\ by\b.*
      | .{0,60}\blogo
      | \[?\s*related\s*:.*
      | you\ (?:need|must)\ to\ be\ (?:a\ )?(?:member|subscriber|logged\ in).*
      | (?:please\ )?(?:log\ ?in|sign\ ?in|subscribe)\ to\ (?:read|continue|view).*
      | advertisement | advertising | sponsored(?:\ content)? | ad
      | share(?:\ this)?(?:\ (?:article|story|page))? | tweet | print | email
      | (?:read\ more|also\ read|see\ also|more\ from\ .{1,40})\s*[:»›>]?
      | skip\ to\ (?:main\ )?content
      | click\ here\b.*
      | follow\ us\ on\b.*
      | sign\ up\ for\ (?:our\ )?newsletter.*
      | we\ use\ cookies\b.*
      | all\ rights\ reserved\.?
      | (?:copyright|©)\s.{0,80}
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_SEPARATOR = re.compile(r"^[\s=\-_*~#+.•·—–|<>]{3,}$")
_BOILERPLATE_MAX = 140
"""Boilerplate rules apply only to short lines: real sentences may mention a logo."""

_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]{0,20}(?:\s[^<>]{0,500})?/?>")
_BLOCK_TAG = re.compile(r"<(?:br\s*/?|/?p|/?div|/?h[1-6]|/?li|/?tr)(?:\s[^<>]{0,500})?/?>", re.I)
_SCRIPT = re.compile(r"<(script|style)\b[^>]{0,500}>.{0,100000}?</\1\s*>", re.I | re.S)
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_LIST_ITEM = re.compile(r"^\s*(?:[-*•+]\s|\d{1,3}[.)]\s)")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")


def strip_html(text: str) -> str:
    """Drop tags (block tags become line breaks) and unescape entities."""
    if "<" in text and (_TAG.search(text) or _SCRIPT.search(text)):
        text = _SCRIPT.sub("", text)
        text = _BLOCK_TAG.sub("\n", text)
        text = _TAG.sub("", text)
    if "&" in text and _ENTITY.search(text):
        text = html.unescape(text)
    return text


def is_boilerplate(line: str) -> bool:
    stripped = line.strip()
    if _SEPARATOR.match(stripped):
        return True
    return len(stripped) <= _BOILERPLATE_MAX and _BOILERPLATE.match(stripped) is not None


def _tidy(line: str) -> str:
    return _SPACES.sub(" ", line).strip()


def clean_lines(lines: list[str]) -> list[str]:
    """Drop boilerplate and a line repeated right after itself; keep blank lines."""
    kept: list[str] = []
    previous = None
    for raw in lines:
        line = _tidy(raw)
        if not line:
            kept.append("")
            continue
        if is_boilerplate(line):
            continue
        comparable = line.casefold()
        if comparable == previous:
            continue  # scraped pages repeat headlines and standfirsts
        previous = comparable
        kept.append(line)
    return kept


def _split_long(paragraph: str) -> list[str]:
    if len(paragraph) <= PARAGRAPH_LIMIT:
        return [paragraph]
    pieces: list[str] = []
    start = 0
    while len(paragraph) - start > PARAGRAPH_LIMIT:
        window = paragraph[start : start + PARAGRAPH_LIMIT]
        cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! "))
        if cut < PARAGRAPH_LIMIT // 2:
            cut = window.rfind(" ")
        if cut < PARAGRAPH_LIMIT // 2:
            cut = PARAGRAPH_LIMIT - 1
        pieces.append(paragraph[start : start + cut + 1].strip())
        start += cut + 1
    pieces.append(paragraph[start:].strip())
    return [piece for piece in pieces if piece]


def join_paragraphs(lines: list[str]) -> list[str]:
    """Re-join hard-wrapped lines into paragraphs.

    Blank lines always separate paragraphs. Inside a block, a line is joined to the
    next when the block looks wrapped (no line over 100 characters) and the line is
    about as long as the block's widest line; a short line ends its paragraph. List
    items and Markdown headings stand alone.
    """
    paragraphs: list[str] = []
    block: list[str] = []

    def flush() -> None:
        if not block:
            return
        width = max(len(line) for line in block)
        wrapped = width <= 100 and len(block) > 1
        current = ""
        for position, line in enumerate(block):
            heading = _MD_HEADING.match(line)
            if heading:
                line = line[heading.end() :]
            standalone = heading is not None or _LIST_ITEM.match(line) is not None
            if current and (standalone or not wrapped):
                paragraphs.extend(_split_long(current))
                current = ""
            if not current:
                current = line
            elif current.endswith("-") and line[:1].islower() and not current.endswith(" -"):
                current += line  # a word hyphenated at the wrap: "multi-" + "faceted"
            else:
                current += " " + line
            last = position == len(block) - 1
            ends_paragraph = standalone or (wrapped and len(line) < width - 20)
            if ends_paragraph and not last:
                paragraphs.extend(_split_long(current))
                current = ""
        if current:
            paragraphs.extend(_split_long(current))
        block.clear()

    for line in lines:
        if line:
            block.append(line)
        else:
            flush()
    flush()
    return paragraphs


# --- title ------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]?\s+(?=[A-Z0-9\"'“‘(])")


def _looks_like_headline(line: str) -> bool:
    if len(line) > HEADLINE_MAX_CHARS or len(line.split()) > HEADLINE_MAX_WORDS:
        return False
    if _MD_HEADING.match(line):
        return True
    if line.endswith((".", ",", ";", ":")) and not line.endswith("..."):
        return False
    return any(char.isalpha() for char in line)


def cut_title(text: str, limit: int = TITLE_LIMIT) -> str:
    """Cut *text* at a word boundary near *limit*, marking the cut with an ellipsis."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    if cut < limit // 2:
        cut = limit
    return text[:cut].rstrip(" ,;:-–—") + "…"


_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st jr sr prof gen lt col maj capt sgt gov sen rep rev no vs etc inc ltd co"
    " corp jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e".split()
)


def first_sentence(paragraph: str) -> str:
    """The paragraph up to its first full stop that is not an initial or abbreviation."""
    for match in _SENTENCE_END.finditer(paragraph):
        before = paragraph[: match.start()].rstrip("\"'”’)")
        word = before[before.rfind(" ") + 1 :].rstrip(".!?").casefold()
        if len(word) <= 1 or word in _ABBREVIATIONS:
            continue
        return paragraph[: match.start()] + match.group().strip()
    return paragraph


# --- the whole --------------------------------------------------------------------


def parse_text(text: str, file_name: str = "") -> ParsedText:
    """Parse decoded text (newlines already normalised). Never raises."""
    warnings: list[str] = []
    text = neutralise(strip_html(neutralise(text)))
    lines = text.split("\n")
    header = _read_header(lines, warnings)
    body_lines = lines[header.body_start :]
    if header.first_body_line is not None:
        body_lines = [header.first_body_line, *body_lines]
    cleaned = clean_lines(body_lines)

    title = header.title
    title_source = "header" if title else ""
    if title is None:
        first_index = next((i for i, line in enumerate(cleaned) if line), None)
        if first_index is not None:
            candidate = cleaned[first_index]
            following = cleaned[first_index + 1 : first_index + 2]
            stands_alone = not following or not following[0] or _MD_HEADING.match(candidate)
            if stands_alone and _looks_like_headline(candidate) and len(cleaned) > first_index + 1:
                title = _MD_HEADING.sub("", candidate).strip()
                title_source = "headline"
                cleaned = cleaned[first_index + 1 :]
                # The headline is shown as the title; drop a repeat of it in the body.
                rest = next((i for i, line in enumerate(cleaned) if line), None)
                if rest is not None and cleaned[rest].casefold() == title.casefold():
                    cleaned = cleaned[rest + 1 :]
    paragraphs = join_paragraphs(cleaned)
    if title is None:
        if paragraphs:
            title = cut_title(first_sentence(paragraphs[0]))
            title_source = "first sentence"
        else:
            title = file_name or "(untitled)"
            title_source = "file name"
    title = cut_title(_tidy(title), HEADLINE_MAX_CHARS)

    date = header.date
    if date is None:
        date = infer_year("\n".join(paragraphs))
    return ParsedText(
        title=title,
        title_source=title_source,
        date=date,
        date_text=header.date_text if header.date is not None else None,
        date_line=header.date_line if header.date is not None else None,
        source=header.source,
        author=header.author,
        paragraphs=paragraphs,
        warnings=warnings,
    )
