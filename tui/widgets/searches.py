"""Saved searches in the reader: a name for the current query, and the switcher (')
that lists them with their live counts. They only ask: the app keeps and runs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from .dialog import dialog_css
from .picker import PickOptions

_INSIDE = """
    & > Label { margin-top: 1; color: $text-muted; }
    & > #search-note { color: $text-warning; margin-top: 0; }
    & > OptionList {
        height: auto; max-height: 20; border: none; padding: 0;
        &:focus { border: none; }
    }
"""


class SaveSearchDialog(ModalScreen[str | None]):
    """A name for *query*; Enter keeps it, Esc does not."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = dialog_css("SaveSearchDialog", "Vertical", 70, _INSIDE)

    def __init__(self, query: str) -> None:
        super().__init__()
        self.search_query = query

    def compose(self) -> ComposeResult:
        with Vertical() as body:
            body.border_title = "Save search"
            body.border_subtitle = "enter saves, esc cancels"
            yield Label("Query")
            yield Label(Content(self.search_query), id="search-query")
            yield Label("Name (then --query @name runs it on the command line)")
            yield Input(placeholder="a name", id="search-name")
            yield Label("", id="search-note", markup=False)

    @on(Input.Submitted, "#search-name")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = event.value.strip()
        if not name:
            self.query_one("#search-note", Label).update("Type a name first.")
            return
        self.dismiss(name)

    def action_cancel(self) -> None:
        self.dismiss(None)


class SearchSwitcher(ModalScreen[str | None]):
    """The saved searches, each with how many articles it finds now: Enter runs one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,apostrophe", "cancel", "Close"),
    ]
    DEFAULT_CSS = dialog_css("SearchSwitcher", "Vertical", 70, _INSIDE)

    def __init__(self, searches: Sequence[tuple[str, str, int]]) -> None:
        """*searches*: (name, query, count now) each."""
        super().__init__()
        self.searches = list(searches)

    def compose(self) -> ComposeResult:
        with Vertical() as body:
            body.border_title = "Saved searches"
            body.border_subtitle = "enter runs, esc closes"
            if not self.searches:
                yield Label("None yet. Type a query, then ctrl+p, Save search.", id="search-note")
                return
            width = max(len(name) for name, _, _ in self.searches)
            yield PickOptions(
                *(
                    Option(
                        Content.assemble(
                            (f"{name:<{width}}", "bold"), f"  {count:>7,}  ", (query, "dim")
                        ),
                        id=str(number),
                    )
                    for number, (name, query, count) in enumerate(self.searches)
                ),
                id="search-list",
            )

    @on(OptionList.OptionSelected, "#search-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        number = int(event.option.id or 0)
        self.dismiss(self.searches[number][1])

    def action_cancel(self) -> None:
        self.dismiss(None)
