"""A list to pick one line from, over the reader: related articles (R) and facets (F);
and the list keys the reader's other pick lists share (saved searches).

It only asks: the app decides what the lines are and what picking one does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from .dialog import dialog_css
from .hanging import Hanging

_INSIDE = """
    & > Label { color: $text-muted; }
    & > OptionList {
        height: auto; max-height: 24; border: none; padding: 0;
        &:focus { border: none; }
    }
"""


class PickOptions(OptionList):
    """An OptionList that answers the article list's keys too: OptionList has only
    the arrows, home, end and the page keys, and ``j j enter`` opened the first line.
    Bound here, on the list, not on its screen: only while the list has the keyboard."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k", "cursor_up", "Up", show=False),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
        Binding("space", "page_down", "Page down", show=False),
    ]


class PickList(ModalScreen[int | None]):
    """Lines to choose from: Enter gives the chosen line's number, Esc None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Close")]
    DEFAULT_CSS = dialog_css("PickList", "Vertical", 96, _INSIDE)

    def __init__(
        self,
        title: str,
        lines: Sequence[Content],
        *,
        note: str = "",
        empty: str = "Nothing.",
        hang: int = 0,
    ) -> None:
        """*title* heads the box, *note* (one line, plain text) sits over the lines,
        *empty* stands alone when there are none. A line that wraps goes on under its
        character *hang* (its text, past a date and a count), not at its start."""
        super().__init__()
        self.title_text = title
        self.lines = list(lines)
        self.hang = hang
        self.note = note
        self.empty = empty

    def compose(self) -> ComposeResult:
        with Vertical() as body:
            body.border_title = self.title_text
            body.border_subtitle = "enter picks, esc closes" if self.lines else "esc closes"
            if self.note:
                yield Label(self.note, markup=False, id="pick-note")
            if not self.lines:
                yield Label(self.empty, markup=False, id="pick-empty")
                return
            yield PickOptions(
                *(
                    Option(Hanging([(line, self.hang)]), id=str(number))
                    for number, line in enumerate(self.lines)
                ),
                id="pick-list",
            )

    @on(OptionList.OptionSelected, "#pick-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_cancel(self) -> None:
        self.dismiss(None)
