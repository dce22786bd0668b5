"""Characters that every terminal can draw.

The Linux console's font has a few hundred glyphs (no ⚑, no eighth blocks, no emoji),
so on TERM=linux the reader draws its chrome in pure ASCII instead of drawing tofu.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import ClassVar

from textual.scrollbar import ScrollBarRender


@dataclass(frozen=True)
class Glyphs:
    unread: str
    flag: str
    ellipsis: str
    bars: str
    """Bar heights from empty to full, for the timeline."""
    rule: str
    warning: str
    separator: str
    dash: str
    """Between the two ends of a span of dates."""
    selected: str
    """A row selected for an export (x), in the list's first column."""
    ascii: bool = False
    """Pure ASCII everywhere the reader draws its own chrome: borders, scrollbars,
    key names (the app's CSS and key display follow it)."""

    def cut(self, text: str) -> str:
        """*text* as the reader cut it (a title cut to its limit when loaded ends with
        "…") marked with this set's ellipsis: "..." on the console."""
        if text.endswith("…") and self.ellipsis != "…":
            return text[:-1] + self.ellipsis
        return text


UNICODE = Glyphs(
    unread="•", flag="⚑", ellipsis="…", bars=" ▁▂▃▄▅▆▇█", rule="─", warning="⚠",
    separator="·", dash="–", selected="+",
)  # fmt: skip
CONSOLE = Glyphs(
    unread="*", flag="!", ellipsis="...", bars=" _-=#", rule="-", warning="!",
    separator="|", dash="-", selected="+", ascii=True,
)  # fmt: skip


def glyphs_for_terminal(term: str | None = None) -> Glyphs:
    term = os.environ.get("TERM", "") if term is None else term
    return CONSOLE if term == "linux" or term.startswith("vt") else UNICODE


class AsciiScrollBarRender(ScrollBarRender):
    """Scrollbars drawn with spaces on the thumb's colour: Textual's own use eighth
    blocks (▁▂▃…), which the Linux console's font lacks."""

    VERTICAL_BARS: ClassVar[list[str]] = [" "] * 8
    HORIZONTAL_BARS: ClassVar[list[str]] = [" "] * 8
