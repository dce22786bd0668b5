"""Characters that every terminal can draw.

The Linux console's font has a few hundred glyphs (no ⚑, no eighth blocks), so on
TERM=linux the reader falls back to ASCII-friendly marks instead of drawing tofu.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


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


UNICODE = Glyphs(
    unread="•", flag="⚑", ellipsis="…", bars=" ▁▂▃▄▅▆▇█", rule="─", warning="⚠", separator="·"
)
CONSOLE = Glyphs(
    unread="*", flag="!", ellipsis="…", bars=" ░▒▓█", rule="─", warning="!", separator="·"
)


def glyphs_for_terminal(term: str | None = None) -> Glyphs:
    term = os.environ.get("TERM", "") if term is None else term
    return CONSOLE if term == "linux" or term.startswith("vt") else UNICODE
