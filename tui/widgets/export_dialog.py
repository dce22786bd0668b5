"""The export dialog (E): which articles, in which format, to which file.

It only asks: the app writes the file (in a worker, atomically) with what it returns.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, RadioButton, RadioSet

from .dialog import dialog_css
from .fields import replace_text

SETS = {
    "filtered": "the articles in the list",
    "flagged": "the flagged articles",
    "selected": "the selected articles (x)",
}
FORMATS = {
    "md": "Markdown reading list",
    "csv": "CSV (a spreadsheet)",
    "jsonl": "JSON Lines (fields and body)",
    "bib": "BibTeX",
}
DEFAULT_NAME = "reading-list"


class AsciiRadioButton(RadioButton):
    """A choice drawn ``(*)`` / ``( )``: the Linux console's font has no ▐●▌."""

    BUTTON_LEFT = "("
    BUTTON_RIGHT = ")"

    # RadioButton draws the same ● on or off, told apart by colour alone: on the
    # console's few colours every choice looked picked. Textual reads this name at
    # each render, so a property draws the value.
    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # noqa: N802
        return "*" if self.value else " "


@dataclass(frozen=True)
class ExportRequest:
    which: str
    """One of :data:`SETS`."""
    form: str
    """One of :data:`FORMATS`."""
    path: str
    """As typed: relative to the current folder, or absolute."""


class ExportDialog(ModalScreen[ExportRequest | None]):
    """Enter exports, Esc cancels; Tab moves between the choices."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: Enter exports from anywhere in the dialog (space picks a choice).
        Binding("enter", "export", "Export", show=True, priority=True),
        Binding("escape", "cancel", "Cancel", show=True),
    ]

    DEFAULT_CSS = dialog_css(
        "ExportDialog",
        "#export-body",
        64,
        """
            & > Label { margin-top: 1; color: $text-muted; }
            & > RadioSet { width: 1fr; border: none; padding: 0; }
            & > Input { width: 1fr; }
            & > #export-note { color: $text-warning; margin-top: 0; }
        """,
    )

    def __init__(
        self, counts: dict[str, int], *, which: str = "filtered", ascii: bool = False
    ) -> None:
        """*counts*: how many articles each of :data:`SETS` holds now; *ascii*: the
        Linux console, whose font has no ▐●▌ for the choices."""
        super().__init__()
        self.button = AsciiRadioButton if ascii else RadioButton
        self.counts = counts
        self.which = which if counts.get(which) else "filtered"
        self.form = "md"
        self._confirm_replace: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="export-body") as body:
            body.border_title = "Export"
            body.border_subtitle = "tab moves, space picks, enter exports, esc cancels"
            yield Label("Which articles")
            with RadioSet(id="export-which"):
                for key, label in SETS.items():
                    count = self.counts.get(key, 0)
                    yield self.button(
                        f"{label}: {count:,}", value=key == self.which, name=key, disabled=not count
                    )
            yield Label("Format")
            with RadioSet(id="export-format"):
                for key, label in FORMATS.items():
                    yield self.button(f"{label} (.{key})", value=key == self.form, name=key)
            yield Label("File (in the current folder, or a path)")
            yield Input(f"{DEFAULT_NAME}.{self.form}", id="export-path", select_on_focus=False)
            yield Label("", id="export-note", markup=False)

    def on_mount(self) -> None:
        self.query_one("#export-which", RadioSet).focus()

    @on(RadioSet.Changed, "#export-which")
    def _which_changed(self, event: RadioSet.Changed) -> None:
        self.which = event.pressed.name or "filtered"

    @on(RadioSet.Changed, "#export-format")
    def _format_changed(self, event: RadioSet.Changed) -> None:
        form = event.pressed.name or "md"
        path = self.query_one("#export-path", Input)
        # The default name follows the format; a name the user typed is theirs.
        if path.value == f"{DEFAULT_NAME}.{self.form}":
            replace_text(path, f"{DEFAULT_NAME}.{form}")
        self.form = form

    def action_export(self) -> None:
        path = self.query_one("#export-path", Input).value.strip()
        note = self.query_one("#export-note", Label)
        if not path:
            note.update("Name the file to write.")
            return
        if not self.counts.get(self.which):
            note.update("There is nothing to export there.")
            return
        if os.path.lexists(path) and self._confirm_replace != path:
            self._confirm_replace = path
            note.update(f"{path} exists: enter again replaces it.")
            return
        self.dismiss(ExportRequest(self.which, self.form, path))

    def action_cancel(self) -> None:
        self.dismiss(None)
