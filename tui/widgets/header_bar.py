"""A one-line header: app name, corpus name, article count and date span (no clock,
so screens are reproducible)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from .text_layout import truncate_cells

BRAND = "Broadsheet"

NAME_AT_LEAST = 12
"""Cells the collection's name keeps, at least, when it is cut to fit the line."""


class HeaderBar(Widget):
    DEFAULT_CSS = """
    HeaderBar {
        height: 1;
        background: $primary;
        color: $foreground;
        text-style: bold;
        padding: 0 1;
    }
    """

    said: reactive[tuple[str, str, str, tuple[str, ...]]] = reactive(("", "", "", ()))
    """The collection's name, the count, the span of dates and the states, as
    :meth:`show` was given them; plain text from the model (never markup)."""

    def __init__(self, *, ellipsis: str = "…", separator: str = "·", id: str | None = None):
        super().__init__(id=id)
        self.ellipsis = ellipsis
        self.separator = f" {separator} "

    def show(self, collection: str, count: str, span: str, states: Sequence[str] = ()) -> None:
        """Say *collection* (its name), *count*, *span* (may be empty) and *states*
        (loading…, what changed), in that order."""
        self.said = (collection, count, span, tuple(states))

    @property
    def summary(self) -> str:
        """What is said, whole, after the app's name."""
        collection, count, span, states = self.said
        return self.separator.join(part for part in (collection, count, span, *states) if part)

    def render(self) -> Content:
        summary = self.summary
        width = self.content_size.width
        if not width or cell_len(BRAND) + 2 + cell_len(summary) <= width:
            return Content.assemble((BRAND, "bold"), "  ", (summary, "not bold"))
        if cell_len(summary) > width:
            summary = self._fitted(width)
        return Content.assemble((summary, "not bold"))

    def _fitted(self, width: int) -> str:
        """The summary in *width* cells as far as it goes, the states said last kept in
        sight: the collection's name cut (the app's is gone already), then the span of
        dates left out too, when the name would have to be cut shorter than
        :data:`NAME_AT_LEAST` cells. What still does not fit is cropped at the end."""
        collection, count, span, states = self.said

        def after_name(span: str) -> str:
            return "".join(self.separator + part for part in (count, span, *states) if part)

        after = after_name(span)
        room = width - cell_len(after)
        if span and room < min(NAME_AT_LEAST, cell_len(collection)):
            after = after_name("")
            room = width - cell_len(after)
        return truncate_cells(collection, max(room, NAME_AT_LEAST), self.ellipsis) + after
