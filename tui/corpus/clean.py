"""Cleaning a body: HTML tags and entities, scraping boilerplate, repeated lines, and
hard-wrapped lines joined back into paragraphs."""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass

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


def _script_ranges(text: str) -> list[tuple[int, int]]:
    """Where the ``<script>``/``<style>`` elements of *text* are, contents included,
    found in linear time.

    A single regex with a lazy ``.*?`` rescanned the rest of the text from every
    opener, so a file of 100,000 unclosed ``<script>`` tags took minutes. Here each
    opener searches forward once for its closer; once a closer is missing, no later
    opener of that kind can have one. An unclosed opener is left for the tag pass.
    """
    ranges: list[tuple[int, int]] = []
    search_from = 0
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
        ranges.append((opener.start(), closer.end()))
        search_from = closer.end()
    return ranges


def _drop_scripts(text: str) -> str:
    """Remove ``<script>``/``<style>`` elements with their contents (see :func:`_script_ranges`)."""
    ranges = _script_ranges(text)
    if not ranges:
        return text
    pieces: list[str] = []
    position = 0
    for start, end in ranges:
        pieces.append(text[position:start])
        position = end
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
    return _clean(lines, tidied, None)


Report = list[tuple[int, int, int, str]]
"""What a cleaning pass removed: (index of the line, start, end, reason), the offsets
within the line as :func:`_clean` saw it (stripped)."""


def _clean(lines: list[str], tidied: bool, report: Report | None) -> list[str]:
    """The cleaning pass of :func:`clean_lines`; with a *report* list, it also records
    every removal there (what :func:`removed_spans` shows)."""
    kept: list[str] = []
    previous = ""
    for index, raw in enumerate(lines):
        line = raw.strip() if tidied else tidy(raw)
        if not line:
            kept.append("")
            continue
        size = len(line)
        # The same rules as is_boilerplate(), inlined: this loop runs for every line of
        # every file. A separator has no letter or digit first; the other rules need a
        # short line, so long paragraphs skip every regex.
        if not line[0].isalnum() and _SEPARATOR.match(line):
            if report is not None:
                report.append((index, 0, size, "separator"))
            continue
        if size <= _BOILERPLATE_MAX and (
            (line[-1] in "oO" and _is_logo_line(line)) or _BOILERPLATE.match(line)
        ):
            if report is not None:
                report.append((index, 0, size, "boilerplate"))
            continue
        # Scraped pages repeat headlines and standfirsts; only a line of the same
        # length can be a repeat, so most lines are never case-folded.
        if size == len(previous) and line.casefold() == previous.casefold():
            if report is not None:
                report.append((index, 0, size, "repeated line"))
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


# --- what cleaning removed, for the raw view --------------------------------------


@dataclass(frozen=True, slots=True)
class RemovedSpan:
    """Text that cleaning removed from a file: ``raw_text.split("\\n")[line][start:end]``."""

    line: int
    """0-based index of the line in the raw text."""
    start: int
    end: int
    reason: str
    """``boilerplate``, ``separator``, ``repeated line`` or ``HTML markup``."""


_CHARREF = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)")
"""The character references :func:`html.unescape` replaces (its own pattern)."""


class _Mapped:
    """A text derived from the raw text, each character knowing the raw range
    ``[starts[i], ends[i])`` it came from."""

    __slots__ = ("ends", "starts", "text")

    def __init__(self, text: str, starts: list[int], ends: list[int]) -> None:
        self.text, self.starts, self.ends = text, starts, ends

    @classmethod
    def identity(cls, text: str) -> _Mapped:
        return cls(text, list(range(len(text))), list(range(1, len(text) + 1)))

    def replace(
        self, changes: list[tuple[int, int, str]], removed: list[tuple[int, int]] | None = None
    ) -> _Mapped:
        """Replace each ``(start, end, new)`` range (sorted, disjoint) with *new*; the
        raw ranges of the replaced text go to *removed* when given."""
        if not changes:
            return self
        text, starts, ends = self.text, self.starts, self.ends
        pieces: list[str] = []
        new_starts: list[int] = []
        new_ends: list[int] = []
        position = 0
        for start, end, new in changes:
            if start < position or start >= end:
                continue
            pieces.append(text[position:start])
            new_starts.extend(starts[position:start])
            new_ends.extend(ends[position:start])
            raw_start, raw_end = starts[start], ends[end - 1]
            if removed is not None:
                removed.append((raw_start, raw_end))
            pieces.append(new)
            new_starts.extend([raw_start] * len(new))
            new_ends.extend([raw_end] * len(new))
            position = end
        pieces.append(text[position:])
        new_starts.extend(starts[position:])
        new_ends.extend(ends[position:])
        return _Mapped("".join(pieces), new_starts, new_ends)


def _matches(pattern: re.Pattern[str], text: str, new: str) -> list[tuple[int, int, str]]:
    return [(match.start(), match.end(), new) for match in pattern.finditer(text)]


def _mapped_strip_html(mapped: _Mapped, markup: list[tuple[int, int]]) -> _Mapped:
    """:func:`strip_html` and the blank tidying of ``parse_text``, keeping the map."""
    text = mapped.text
    if "<" in text and _TAG.search(text):
        scripts = [(start, end, "") for start, end in _script_ranges(text)]
        mapped = mapped.replace(scripts, markup)
        mapped = mapped.replace(_matches(_BLOCK_TAG, mapped.text, "\n"), markup)
        mapped = mapped.replace(_matches(_TAG, mapped.text, ""), markup)
    text = mapped.text
    if "&" in text and _ENTITY.search(text):
        # From neutralise(html.unescape(text)): unescaping each reference alone gives
        # what unescaping the whole text does, and neutralising maps one to one.
        from .safe import neutralise

        changes = [
            (match.start(), match.end(), neutralise(html.unescape(match.group())))
            for match in _CHARREF.finditer(text)
        ]
        mapped = mapped.replace(changes)
    return mapped.replace(_matches(SPACE_RUNS, mapped.text, " "))


def removed_spans(raw_text: str) -> list[RemovedSpan]:
    """What cleaning removes from *raw_text* (what :func:`model.read_raw` returns), in
    raw-text lines and offsets, in order.

    It runs the cleaning pass itself (:func:`_clean` with a report), over the body that
    ``parse_text`` cleans: the header block that :func:`headers.read_header` takes is
    metadata, not removed text.
    """
    from .headers import read_header

    markup: list[tuple[int, int]] = []
    mapped = _mapped_strip_html(_Mapped.identity(raw_text), markup)
    text = mapped.text
    line_starts = [0]
    for index, char in enumerate(text):
        if char == "\n":
            line_starts.append(index + 1)
    lines = text.split("\n")
    header = read_header(lines, [])
    # Each body line as the cleaning pass sees it (stripped), with where it starts.
    body: list[str] = []
    offsets: list[int] = []
    if header.first_body_line is not None and header.body_start > 0:
        host = header.body_start - 1
        at = lines[host].rfind(header.first_body_line)
        if at >= 0:
            body.append(header.first_body_line)
            offsets.append(line_starts[host] + at)
    for index in range(header.body_start, len(lines)):
        line = lines[index]
        stripped = line.strip()
        body.append(stripped)
        offsets.append(line_starts[index] + len(line) - len(line.lstrip()))
    report: Report = []
    _clean(body, True, report)
    ranges: list[tuple[int, int, str]] = [(start, end, "HTML markup") for start, end in markup]
    for index, start, end, reason in report:
        if start < end:
            first, last = offsets[index] + start, offsets[index] + end - 1
            ranges.append((mapped.starts[first], mapped.ends[last], reason))
    return _to_lines(raw_text, ranges)


def _to_lines(raw_text: str, ranges: list[tuple[int, int, str]]) -> list[RemovedSpan]:
    """Raw-text ranges as spans within lines (a range over a line break becomes one
    span per line), sorted, touching spans of one reason merged."""
    raw_starts = [0]
    position = raw_text.find("\n")
    while position >= 0:
        raw_starts.append(position + 1)
        position = raw_text.find("\n", position + 1)
    pieces: list[tuple[int, int, int, str]] = []
    for start, end, reason in ranges:
        line = bisect.bisect_right(raw_starts, start) - 1
        while start < end and line < len(raw_starts):
            line_end = raw_starts[line + 1] - 1 if line + 1 < len(raw_starts) else len(raw_text)
            stop = min(end, line_end)
            if start < stop:
                pieces.append((line, start - raw_starts[line], stop - raw_starts[line], reason))
            line += 1
            if line < len(raw_starts):
                start = max(start, raw_starts[line])
    pieces.sort()
    spans: list[RemovedSpan] = []
    for line, start, end, reason in pieces:
        if spans and spans[-1].line == line and start <= spans[-1].end:
            last = spans[-1]
            if last.reason == reason:
                spans[-1] = RemovedSpan(line, last.start, max(last.end, end), reason)
                continue
            start = last.end  # spans never overlap: the first reason found stands
            if start >= end:
                continue
        spans.append(RemovedSpan(line, start, end, reason))
    return spans
