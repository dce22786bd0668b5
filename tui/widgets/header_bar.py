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

    summary: reactive[str] = reactive("")
    """Corpus name, count, span and state, as :meth:`show` joined them; plain text from
    the model (never markup)."""

    def __init__(self, *, ellipsis: str = "…", separator: str = "·", id: str | None = None):
        super().__init__(id=id)
        self.ellipsis = ellipsis
        self.separator = f" {separator} "
        self._said: tuple[str, str, str, tuple[str, ...]] = ("", "", "", ())

    def show(self, collection: str, count: str, span: str, states: Sequence[str] = ()) -> None:
        """Say *collection* (its name), *count*, *span* (may be empty) and *states*
        (loading…, what changed), in that order."""
        self._said = (collection, count, span, tuple(states))
        parts = (collection, count, span, *states)
        self.summary = self.separator.join(part for part in parts if part)

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
        collection, count, span, states = self._said

        def after_name(span: str) -> str:
            return "".join(self.separator + part for part in (count, span, *states) if part)

        after = after_name(span)
        room = width - cell_len(after)
        if span and room < min(NAME_AT_LEAST, cell_len(collection)):
            after = after_name("")
            room = width - cell_len(after)
        return truncate_cells(collection, max(room, NAME_AT_LEAST), self.ellipsis) + after
