"""Cleaning a body: HTML tags and entities, scraping boilerplate, repeated lines, and
hard-wrapped lines joined back into paragraphs."""

from __future__ import annotations

import html
import re

from .safe import UNSAFE_CHARACTERS

PARAGRAPH_LIMIT = 5000
"""Longer paragraphs (a 2 MB single line) are split at sentence or word boundaries
so that wrapping and drawing stay fast; no text is dropped."""

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
SPACE_RUNS = re.compile(f"[ {_ODD_SPACES}]{{2,}}|[{_ODD_SPACES}]")
NOT_PLAIN = re.compile(f"[{UNSAFE_CHARACTERS}{_ODD_SPACES}]")
"""A character that :func:`neutralise` or :func:`tidy_spaces` would change."""
PLAIN_ASCII = bytes([*range(0x20, 0x7F), 0x0A, 0x0D])
"""Printable ASCII and line breaks: bytes that never encode a :data:`NOT_PLAIN` character."""
_LIST_ITEM = re.compile(r"^\s*(?:[-*•+]\s|\d{1,3}[.)]\s)")
MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")


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
        text = SPACE_RUNS.sub(" ", text)
    return text


def tidy(line: str) -> str:
    return tidy_spaces(line).strip()


def clean_lines(lines: list[str], *, tidied: bool = False) -> list[str]:
    """Drop boilerplate and a line repeated right after itself; keep blank lines.

    *tidied* says :func:`tidy_spaces` already ran over the whole text.
    """
    kept: list[str] = []
    previous = ""
    for raw in lines:
        line = raw.strip() if tidied else tidy(raw)
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
        heading = MD_HEADING.match(line)
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
