"""Word wrapping and highlight styling for plain, already-neutralised text.

The reading pane and the list draw with the Line API, so they wrap text
themselves: offsets into the original string are kept so that search highlights
(character spans) land on the right cells after wrapping.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style

from ..corpus.markdown import cells_prefix, graphemes


def wrap_offsets(text: str, width: int) -> list[tuple[int, int]]:
    """Greedy word wrap of *text* into lines of at most *width* cells.

    Returns ``(start, end)`` offsets into *text*; the space at a break is dropped.
    A word wider than the line is split across lines.
    """
    width = max(1, width)
    if not text:
        return [(0, 0)]
    if text.isascii() or _one_cell_each(text):
        return _wrap_uniform(text, width)
    lines: list[tuple[int, int]] = []
    length = len(text)
    # Graphemes, not characters, where they differ: "❤️" is two cells, and an emoji
    # sequence (joined by U+200D) is not split. Measuring graphemes costs a third more,
    # so text without those joiners and selectors is measured a character at a time.
    span_at: dict[int, tuple[int, int]] | None = None
    if "\u200d" in text or "\ufe0f" in text:
        span_at = {start: (end, cells) for start, end, cells in graphemes(text)}
    start = 0
    while start < length:
        # Walk to the widest prefix that fits, remembering the last space in it.
        line_cells = 0
        last_break = -1
        position = start
        while position < length:
            char = text[position]
            if span_at is None:
                stop, char_cells = position + 1, 1 if char.isascii() else cell_len(char)
            else:
                stop, char_cells = span_at.get(position, (position + 1, 1))
            if line_cells + char_cells > width:
                break
            if char == " ":
                last_break = position
            line_cells += char_cells
            position = stop
        end = position
        if end >= length:
            lines.append((start, length))
            break
        if text[end] == " ":
            lines.append((start, end))
            start = end + 1
        elif last_break > start:
            lines.append((start, last_break))
            start = last_break + 1
        else:
            end = max(end, span_at.get(start, (start + 1, 1))[0] if span_at else start + 1)
            lines.append((start, end))
            start = end
    return lines or [(0, 0)]


_ZERO_WIDTH = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670"
    "\u06d6-\u06ed\u0900-\u0903\u093a-\u094f\u0951-\u0957\u0962\u0963\u0e31"
    "\u0e34-\u0e3a\u0e47-\u0e4e\u1ab0-\u1aff\u1dc0-\u1dff\u200b-\u200f\u20d0-\u20ff"
    "\ufe00-\ufe0f\ufe20-\ufe2f]"
)
"""Common zero-width characters (combining marks, joiners, variation selectors)."""


def _one_cell_each(text: str) -> bool:
    """Every character of *text* is one cell wide, so offsets are cells.

    As many cells as characters is not enough: wide characters and zero-width ones
    (a CJK word and an emoji's joiners) can add up to the same count.
    """
    return cell_len(text) == len(text) and _ZERO_WIDTH.search(text) is None


def _wrap_uniform(text: str, width: int) -> list[tuple[int, int]]:
    """The fast path: every character is one cell, so offsets are cells."""
    lines: list[tuple[int, int]] = []
    length = len(text)
    start = 0
    while length - start > width:
        cut = text.rfind(" ", start, start + width + 1)
        if cut <= start:
            lines.append((start, start + width))
            start += width
        else:
            lines.append((start, cut))
            start = cut + 1
    lines.append((start, length))
    return lines


def styled_segments(
    text: str,
    start: int,
    end: int,
    base: Style,
    spans: Sequence[tuple[int, int]] = (),
    highlight: Style | None = None,
) -> list[Segment]:
    """Segments for ``text[start:end]`` with the parts inside *spans* in *highlight*.

    Every segment carries a style (NO_COLOR's monochrome filter needs one).
    """
    if not spans or highlight is None:
        return [Segment(text[start:end], base)]
    segments: list[Segment] = []
    position = start
    emphasis = base + highlight
    for span_start, span_end in spans:
        if span_end <= position or span_start >= end:
            continue
        span_start = max(span_start, position)
        span_end = min(span_end, end)
        if span_start > position:
            segments.append(Segment(text[position:span_start], base))
        segments.append(Segment(text[span_start:span_end], emphasis))
        position = span_end
    if position < end:
        segments.append(Segment(text[position:end], base))
    return segments


def truncate_cells(text: str, width: int, ellipsis: str = "…") -> str:
    """Cut *text* to *width* cells, ending with an ellipsis when cut."""
    if width <= 0:
        return ""
    if text.isascii() and len(text) <= width:
        return text
    if cell_len(text) <= width:
        return text
    # Between graphemes, as Rich measures them: a character at a time would count
    # "❤️" as one cell (it is two) and could cut an emoji sequence in half.
    end = cells_prefix(text, width - cell_len(ellipsis))[0]
    return text[:end] + ellipsis


_SEQUENCE_PART = re.compile(
    "[\u200d\ufe00-\ufe0f\u20e3\U0001f1e6-\U0001f1ff\U0001f3fb-\U0001f3ff\U000e0000-\U000e01ef]"
)
"""What joins characters into one emoji (a joiner, a variation selector, a keycap, a
skin tone, a tag) or pairs them into a flag (the regional indicator letters)."""

MAX_MARKS = 2
"""Combining marks kept over one letter: Vietnamese stacks two; more is noise that
terminals draw apart or not at all."""


@lru_cache(maxsize=4096)
def stable_width(text: str) -> str:
    """*text* as every terminal draws it at the width Rich measures: for the list,
    whose columns must not move.

    Terminals disagree with Rich (and with each other) on emoji sequences: tmux
    draws "👍🏽" in 4 cells and "❤️" in 1 (Rich: 2 each), a terminal that measures a
    character at a time draws a ZWJ family in 6. A sequence becomes its first
    character ("👩‍👩‍👧" → "👩", "👍🏽" → "👍", "#️⃣" → "#"), a flag its country's letters
    ("🇫🇷" → "FR"), a joiner between letters is dropped, and a stack of combining marks
    keeps its first :data:`MAX_MARKS`. Each character left is measured alike by Rich
    and a terminal's ``wcwidth``.
    """
    if text.isascii():
        return text
    if _SEQUENCE_PART.search(text) is None and not _stacked_marks(text):
        return text
    kept: list[str] = []
    marks = 0
    index, length = 0, len(text)
    while index < length:
        char = text[index]
        code = ord(char)
        index += 1
        if 0x1F1E6 <= code <= 0x1F1FF:  # a regional indicator: its letter
            kept.append(chr(code - 0x1F1E6 + ord("A")))
            marks = 0
        elif code == 0x200D:  # a joiner: the emoji it joins on goes too
            if index < length and unicodedata.category(text[index]) == "So":
                index += 1
        elif _SEQUENCE_PART.match(char):
            pass  # a selector, skin tone, keycap or tag: the character before stays
        elif code > 0x2FF and unicodedata.category(char) in ("Mn", "Me"):
            marks += 1
            if marks <= MAX_MARKS:
                kept.append(char)
        else:
            kept.append(char)
            marks = 0
    return "".join(kept)


def _stacked_marks(text: str) -> bool:
    """*text* has more than :data:`MAX_MARKS` combining marks in a row."""
    run = 0
    for char in text:
        if ord(char) > 0x2FF and unicodedata.category(char) in ("Mn", "Me"):
            run += 1
            if run > MAX_MARKS:
                return True
        else:
            run = 0
    return False


def cut_offsets(text: str, width: int) -> list[tuple[int, int]]:
    """Split *text* into pieces of at most *width* cells, wherever they fall (code is
    not prose: no word wrap, no space dropped), never through a wide character."""
    width = max(2, width)
    if not text:
        return [(0, 0)]
    if text.isascii():
        return [(start, min(len(text), start + width)) for start in range(0, len(text), width)]
    pieces: list[tuple[int, int]] = []
    start = cells = 0
    for index, _end, size in graphemes(text):
        if cells + size > width and index > start:
            pieces.append((start, index))
            start, cells = index, 0
        cells += size
    pieces.append((start, len(text)))
    return pieces


def wrap_lines(text: str, width: int) -> list[tuple[int, int]]:
    """:func:`wrap_offsets` for text holding hard line breaks (``\\n``): each line is
    wrapped on its own, offsets into the whole of *text*."""
    if "\n" not in text:
        return wrap_offsets(text, width)
    pieces: list[tuple[int, int]] = []
    position = 0
    for part in text.split("\n"):
        pieces.extend((position + s, position + e) for s, e in wrap_offsets(part, width))
        position += len(part) + 1
    return pieces


def layered_segments(
    text: str, start: int, end: int, base: Style, layers: Sequence[tuple[int, int, Style]]
) -> list[Segment]:
    """Segments for ``text[start:end]``: each character in *base* plus the style of every
    layer ``(start, end, style)`` over it, added in the layers' order (later wins).

    The markdown spans (bold inside a link) and search matches overlap: every boundary
    of any layer splits the text, and each piece adds up what covers it.
    """
    cuts = {start, end}
    for layer_start, layer_end, _style in layers:
        if layer_end > start and layer_start < end:
            cuts.add(max(start, layer_start))
            cuts.add(min(end, layer_end))
    points = sorted(cuts)
    segments: list[Segment] = []
    for left, right in zip(points, points[1:], strict=False):
        style = base
        for layer_start, layer_end, layer_style in layers:
            if layer_start <= left and right <= layer_end:
                style = style + layer_style
        segments.append(Segment(text[left:right], style))
    return segments or [Segment("", base)]
