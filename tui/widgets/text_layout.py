"""Word wrapping and highlight styling for plain, already-neutralised text.

The reading pane and the list draw with the Line API, so they wrap text
themselves: offsets into the original string are kept so that search highlights
(character spans) land on the right cells after wrapping.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style


def wrap_offsets(text: str, width: int) -> list[tuple[int, int]]:
    """Greedy word wrap of *text* into lines of at most *width* cells.

    Returns ``(start, end)`` offsets into *text*; the space at a break is dropped.
    A word wider than the line is split across lines.
    """
    width = max(1, width)
    if not text:
        return [(0, 0)]
    if text.isascii() or cell_len(text) == len(text):
        return _wrap_uniform(text, width)
    lines: list[tuple[int, int]] = []
    length = len(text)
    start = 0
    while start < length:
        # Walk to the widest prefix that fits, remembering the last space in it.
        line_cells = 0
        last_break = -1
        position = start
        while position < length:
            char = text[position]
            char_cells = 1 if char.isascii() else cell_len(char)
            if line_cells + char_cells > width:
                break
            if char == " ":
                last_break = position
            line_cells += char_cells
            position += 1
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
            end = max(end, start + 1)
            lines.append((start, end))
            start = end
    return lines or [(0, 0)]


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
    cells = 0
    for index, char in enumerate(text):
        cells += cell_len(char)
        if cells > width - 1:
            return text[:index] + ellipsis
    return text


def join_spans(groups: Iterable[Sequence[tuple[int, int]]]) -> list[tuple[int, int]]:
    """Merge overlapping spans into a sorted list."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(span for group in groups for span in group):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
