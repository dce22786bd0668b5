"""A one-line header: app name, corpus name, article count and date span (no clock,
so screens are reproducible)."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget


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
    """Corpus name, count and span; plain text from the model (never markup)."""

    def render(self) -> Content:
        return Content.assemble(("Broadsheet", "bold"), "  ", (self.summary, "not bold"))
