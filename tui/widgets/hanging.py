"""Lines whose wrapped continuations hang under their text column, not at column 0:
a related article's title under its title, not under its date; a key's description
in the help under the description, not under the key."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

NARROWEST = 12
"""Cells the text keeps at least beside its head; narrower, the line wraps as it is."""


class Hanging(Visual):
    """*lines*, each ``(content, hang)``: the first *hang* characters of *content* are
    its head (a date and a score, a key), and the rest wraps beside it."""

    def __init__(self, lines: Sequence[tuple[Content, int]]) -> None:
        self.lines = list(lines)

    @property
    def plain(self) -> str:
        """The text, lines joined (as a :class:`Content`'s ``plain``)."""
        return "\n".join(line.plain for line, _ in self.lines)

    def _split(self, line: Content, hang: int, width: int) -> tuple[Content, int, Content] | None:
        """The head, its cells and the text; None when the line wraps as it is."""
        if hang <= 0 or hang >= len(line):
            return None
        head = line[:hang]
        cells = cell_len(head.plain)
        if width - cells < NARROWEST:
            return None
        return head, cells, line[hang:]

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return max(
            (line.get_optimal_width(rules, container_width) for line, _ in self.lines),
            default=0,
        )

    def get_height(self, rules: RulesMap, width: int) -> int:
        height = 0
        for line, hang in self.lines:
            split = self._split(line, hang, width)
            if split is None:
                height += line.get_height(rules, width)
            else:
                height += split[2].get_height(rules, width - split[1])
        return height

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        strips: list[Strip] = []
        for line, hang in self.lines:
            split = self._split(line, hang, width)
            if split is None:
                strips.extend(line.render_strips(width, None, style, options))
                continue
            head, cells, text = split
            lead = head.render_strips(cells, 1, style, options)[0]
            blank = Strip.blank(cells, style.rich_style)
            for number, strip in enumerate(text.render_strips(width - cells, None, style, options)):
                strips.append(Strip.join([lead if number == 0 else blank, strip]))
        return strips[:height] if height is not None else strips
