"""From decoded text to an article: header lines, date, title and clean paragraphs.

The order matters: neutralise first (so nothing derived can carry a control
character), then take the header block, then clean the body, then choose a title.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from itertools import repeat

from .dates import DATE_AT_START, ArticleDate, DateProblem, infer_year, parse_stated_date
from .safe import UNSAFE_CHARACTERS, neutralise

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
    words: int | None = None
    """Words in the paragraphs, counted where their spacing is known to be tidy
    (None: count them with ``str.split``)."""


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


def _split_date(text: str) -> tuple[str, str]:
    """A date at the start of *text* and what follows it (``("", text)`` when none)."""
    match = DATE_AT_START.match(text)
    if match is None:
        return "", text
    return match.group(), text[match.end() :].strip()


def _is_prose(text: str) -> bool:
    """Body text rather than a header's tail such as ``| 10:32`` or ``(updated)``."""
    return len(text.split()) >= 4 and sum(char.isalpha() for char in text) >= 12


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
                date_text, remainder = _split_date(value)
                _take_date(header, date_text or value, line_no, warnings)
                if _is_prose(remainder):
                    # "Date: 2024-01-01 The talks began…": the body shares the line.
                    header.first_body_line = remainder
                    index += 1
                    break
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
            date_text, remainder = _split_date(bare["rest"])
            if date_text:
                _take_date(header, date_text, line_no, warnings)
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
_SCRIPT_OPEN = re.compile(r"<(script|style)\b[^<>]{0,500}>", re.I)
_SCRIPT_CLOSE = {
    name: re.compile(rf"</{name}\s*>", re.I) for name in ("script", "style")
}
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_ODD_SPACES = "\t\u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"
"""Every white-space character that str.split() honours, bar the plain space and the
line breaks (which neutralise() and the line split have already dealt with)."""
_SPACES = re.compile(f"[ {_ODD_SPACES}]+")
_SPACE_RUNS = re.compile(f"[ {_ODD_SPACES}]{{2,}}|[{_ODD_SPACES}]")
_NOT_PLAIN = re.compile(f"[{UNSAFE_CHARACTERS}{_ODD_SPACES}]")
"""A character that :func:`neutralise` or :func:`tidy_spaces` would change."""
_PLAIN_ASCII = bytes([*range(0x20, 0x7F), 0x0A, 0x0D])
"""Printable ASCII and line breaks: bytes that never encode a :data:`_NOT_PLAIN` character."""
_LIST_ITEM = re.compile(r"^\s*(?:[-*•+]\s|\d{1,3}[.)]\s)")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")


def _drop_scripts(text: str) -> str:
    """Remove ``<script>``/``<style>`` elements with their contents, in linear time.

    A single regex with a lazy ``.*?`` rescanned the rest of the text from every
    opener, so a file of 100,000 unclosed ``<script>`` tags took minutes. Here each
    opener searches forward once for its closer; once a closer is missing, no later
    opener of that kind can have one. An unclosed opener is left for the tag pass.
    """
    pieces: list[str] = []
    position = search_from = 0
    unclosed: set[str] = set()
    while True:
        opener = _SCRIPT_OPEN.search(text, search_from)
        if opener is None:
            break
        name = opener.group(1).lower()
        search_from = opener.end()
        if name in unclosed:
            continue
        closer = _SCRIPT_CLOSE[name].search(text, opener.end())
        if closer is None:
            unclosed.add(name)
            continue
        pieces.append(text[position : opener.start()])
        position = search_from = closer.end()
    if not pieces:
        return text
    pieces.append(text[position:])
    return "".join(pieces)


def strip_html(text: str) -> str:
    """Drop tags (block tags become line breaks) and unescape entities."""
    if "<" in text and _TAG.search(text):
        text = _drop_scripts(text)
        text = _BLOCK_TAG.sub("\n", text)
        text = _TAG.sub("", text)
    if "&" in text and _ENTITY.search(text):
        text = html.unescape(text)
    return text


def _is_logo_line(line: str) -> bool:
    """``… logo`` (a scraped image's alt text): at most 60 characters, then the word."""
    if len(line) > 64 or line[-4:].lower() != "logo":
        return False
    before = line[-5:-4]
    return not before or not (before.isalnum() or before == "_")


def is_boilerplate(line: str) -> bool:
    stripped = line.strip()
    if _SEPARATOR.match(stripped):
        return True
    if len(stripped) > _BOILERPLATE_MAX:
        return False
    return _is_logo_line(stripped) or _BOILERPLATE.match(stripped) is not None


def tidy_spaces(text: str) -> str:
    """Collapse each run of spaces, tabs and other blanks to one space (never a newline).

    Most texts need nothing: plain ``in`` tests find that far faster than a
    substitution that rewrites every single space.
    """
    if (
        "  " in text
        or "\t" in text
        or (not text.isascii() and any(char in text for char in _ODD_SPACES))
    ):
        text = _SPACE_RUNS.sub(" ", text)
    return text


def _tidy(line: str) -> str:
    return tidy_spaces(line).strip()


def clean_lines(lines: list[str], *, tidied: bool = False) -> list[str]:
    """Drop boilerplate and a line repeated right after itself; keep blank lines.

    *tidied* says :func:`tidy_spaces` already ran over the whole text.
    """
    kept: list[str] = []
    previous = ""
    for raw in lines:
        line = raw.strip() if tidied else _tidy(raw)
        if not line:
            kept.append("")
            continue
        size = len(line)
        # The same rules as is_boilerplate(), inlined: this loop runs for every line of
        # every file. A separator has no letter or digit first; the other rules need a
        # short line, so long paragraphs skip every regex.
        if not line[0].isalnum() and _SEPARATOR.match(line):
            continue
        if size <= _BOILERPLATE_MAX and (
            (line[-1] in "oO" and _is_logo_line(line)) or _BOILERPLATE.match(line)
        ):
            continue
        # Scraped pages repeat headlines and standfirsts; only a line of the same
        # length can be a repeat, so most lines are never case-folded.
        if size == len(previous) and line.casefold() == previous.casefold():
            continue
        previous = line
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


_MAYBE_STANDALONE = frozenset("#-*•+0123456789")
"""First characters of a Markdown heading or list item: any other line (stripped) is
neither, and skips both regexes."""


def _strip_heading(line: str) -> tuple[str, bool]:
    """The line without a Markdown ``#`` marker, and whether it had one."""
    if line[:1] == "#" or line[:1].isspace():
        heading = _MD_HEADING.match(line)
        if heading:
            return line[heading.end() :], True
    return line, False


def _join_block(block: list[str], paragraphs: list[str]) -> None:
    """Join one run of non-blank lines (see :func:`join_paragraphs`)."""
    width = max(map(len, block))
    wrapped = width <= 100
    current = ""
    last = len(block) - 1
    for position, raw in enumerate(block):
        line, heading = _strip_heading(raw)
        standalone = heading or (
            (line[:1] in _MAYBE_STANDALONE or line[:1].isspace())
            and _LIST_ITEM.match(line) is not None
        )
        if current and (standalone or not wrapped):
            paragraphs.extend(_split_long(current))
            current = ""
        if not current:
            current = line
        elif current.endswith("-") and line[:1].islower() and not current.endswith(" -"):
            current += line  # a word hyphenated at the wrap: "multi-" + "faceted"
        else:
            current += " " + line
        ends_paragraph = standalone or (wrapped and len(line) < width - 20)
        if ends_paragraph and position != last:
            paragraphs.extend(_split_long(current))
            current = ""
    if current:
        paragraphs.extend(_split_long(current))


def join_paragraphs(lines: list[str]) -> list[str]:
    """Re-join hard-wrapped lines into paragraphs.

    Blank lines always separate paragraphs. Inside a block, a line is joined to the
    next when the block looks wrapped (no line over 100 characters) and the line is
    about as long as the block's widest line; a short line ends its paragraph. List
    items and Markdown headings stand alone.
    """
    paragraphs: list[str] = []
    count = len(lines)
    index = 0
    while index < count:
        line = lines[index]
        if not line:
            index += 1
            continue
        end = index + 1
        while end < count and lines[end]:
            end += 1
        if end == index + 1:  # the common case: a paragraph on one line
            line = _strip_heading(line)[0]
            if line:
                paragraphs.extend(_split_long(line) if len(line) > PARAGRAPH_LIMIT else (line,))
        else:
            _join_block(lines[index:end], paragraphs)
        index = end
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


_ABBREVIATION_TEXT = (
    "mr mrs ms dr st jr sr prof gen lt col maj capt sgt gov sen rep rev no vs etc inc ltd co"
    " corp jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e"
)
_ABBREVIATIONS = frozenset(_ABBREVIATION_TEXT.split())


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


def _is_plain(text: str, utf8: bytes | None) -> bool:
    """True when *text* has nothing to neutralise and no odd blanks to tidy.

    *utf8*, the same text in UTF-8 (line endings aside), answers ~5× faster: searching
    a whole text for a character class costs ~5 ns a character (a fifth of parsing an
    article), while deleting the printable ASCII bytes, in C, leaves only the few
    bytes of the other characters, and those bytes are whole characters (no byte of a
    multi-byte UTF-8 sequence is ASCII), in order: the same search over them agrees.
    """
    if utf8 is None:
        return _NOT_PLAIN.search(text) is None
    others = utf8.translate(None, _PLAIN_ASCII)
    return not others or _NOT_PLAIN.search(others.decode("utf-8", "replace")) is None


def parse_text(text: str, file_name: str = "", *, utf8: bytes | None = None) -> ParsedText:
    """Parse decoded text (newlines already normalised). Never raises.

    *utf8* may be the bytes *text* was decoded from, when it is their whole strict
    UTF-8 decoding bar line endings (what :attr:`files.SourceText.utf8` holds): it
    only makes parsing faster.
    """
    warnings: list[str] = []
    # One search tells most texts apart: nothing to neutralise, no odd blanks to tidy.
    plain = _is_plain(text, utf8)
    if not plain:
        text = neutralise(text)
    stripped = strip_html(text)
    if stripped is not text:
        plain = False
        if "&" in text:
            stripped = neutralise(stripped)  # an entity may have spelt a control: "&#27;"
    text = stripped
    if not plain:
        text = tidy_spaces(text)
    elif "  " in text:
        text = _SPACE_RUNS.sub(" ", text)
    lines = text.split("\n")
    header = _read_header(lines, warnings)
    body_lines = lines[header.body_start :]
    if header.first_body_line is not None:
        body_lines = [header.first_body_line, *body_lines]
    cleaned = clean_lines(body_lines, tidied=True)

    title = header.title
    title_source = "header" if title else ""
    if title is None:
        first_index = next((i for i, line in enumerate(cleaned) if line), None)
        if first_index is not None:
            candidate = cleaned[first_index]
            following = cleaned[first_index + 1 : first_index + 2]
            stands_alone = not following or not following[0] or _MD_HEADING.match(candidate)
            # A headline needs a body after it: a one-line file is all body, not a title.
            has_body = any(cleaned[first_index + 1 :])
            if stands_alone and has_body and _looks_like_headline(candidate):
                title = _MD_HEADING.sub("", candidate).strip()
                title_source = "headline"
                cleaned = cleaned[first_index + 1 :]
                # The headline is shown as the title; drop a repeat of it in the body.
                rest = next((i for i, line in enumerate(cleaned) if line), None)
                if rest is not None and cleaned[rest].casefold() == title.casefold():
                    cleaned = cleaned[rest + 1 :]
    longest = max(map(len, cleaned), default=0)
    if longest > PARAGRAPH_LIMIT:
        warnings.append(
            f"a line of {longest:,} characters was split into paragraphs"
            f" of at most {PARAGRAPH_LIMIT:,}"
        )
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
        # The title is text from the file too ("Budget 2024: what changed"); a file name is not.
        named = [title, *paragraphs] if title_source != "file name" else paragraphs
        date = infer_year("\n".join(named))
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
        # Paragraphs are stripped with single spaces (tidy_spaces, neutralise): one
        # count of " " is exact and several times cheaper than splitting each paragraph.
        words=sum(map(str.count, paragraphs, repeat(" "))) + len(paragraphs),
    )
