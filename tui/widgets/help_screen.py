"""The help screen, generated from the bindings so it cannot go stale."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from .dialog import dialog_css
from .hanging import Hanging

KEY_NAMES = {
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
    "escape": "esc",
    "pageup": "pgup",
    "pagedown": "pgdn",
    "question_mark": "?",
    "slash": "/",
    "left_square_bracket": "[",
    "apostrophe": "'",
    "right_square_bracket": "]",
    "full_stop": ".",
    "f1": "F1",
}

QUERY_SYNTAX = [
    ("word", "a word starting with it, case and accents aside (pak: Pakistan)"),
    ('"two words"', "that phrase"),
    ('-word  -"a phrase"', "without it"),
    ("a OR b", "either"),
    ("title:word", "in the title only"),
    ("date:2024-10", "in that year, month or day"),
    ("date:2021..2022", "in that range, inclusive (date:2023-06.. too)"),
    ("before:D  after:D", "strictly before / after a date"),
    ("is:read  is:unread", "by mark (is:flagged too)"),
    ("is:undated  is:inferred", "by kind of date"),
    ("author:smith", "by author (site:bbc.co.uk, tag:climate by site, tag)"),
    ("£1bn #tag @who C++", "a term with its symbol: £1bn does not find $1bn"),
]
"""The filter bar's language, as the README's query table gives it (a test keeps the
two in step)."""

ASCII_QUERY_SYNTAX = [
    row if (row[0] + row[1]).isascii() else ("$1bn #tag @who C++", "a term with its symbol")
    for row in QUERY_SYNTAX
]
""":data:`QUERY_SYNTAX` for the Linux console (no pound sign)."""

FOOTNOTE = (
    "Every key works over SSH, in tmux and on the Linux console: no alt+ chords, "
    "no function key but F1, no ctrl+ key that a terminal takes."
)


ASCII_KEY_NAMES = {
    **KEY_NAMES,
    "up": "up",
    "down": "down",
    "left": "left",
    "right": "right",
}
"""For the Linux console: key names without arrows."""


def key_label(keys: str, ascii: bool = False) -> str:
    """``"up,k"`` → ``"↑ k"`` (``"up k"`` in *ascii*)."""
    names = ASCII_KEY_NAMES if ascii else KEY_NAMES
    return " ".join(names.get(key.strip(), key.strip()) for key in keys.split(","))


def binding_rows(bindings: Iterable[BindingType], ascii: bool = False) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for binding in bindings:
        if isinstance(binding, Binding):
            key, description = binding.key, binding.description
        else:
            key, description = binding[0], binding[2] if len(binding) > 2 else ""
        if description:
            rows.append((key_label(key, ascii), description))
    return rows


def help_lines(
    sections: Sequence[tuple[str, Iterable[BindingType]]],
    syntax: Sequence[tuple[str, str]] | None = None,
    ascii: bool = False,
) -> list[tuple[Content, int]]:
    """One block per section: a heading and aligned key/description rows; then the
    query syntax, aligned on its own. Each line comes with where its text starts: a
    description that wraps goes on under itself, not under the keys."""
    lines: list[tuple[Content, int]] = []
    rows_by_section = [(title, binding_rows(bindings, ascii)) for title, bindings in sections]
    width = max((len(key) for _, rows in rows_by_section for key, _ in rows), default=4) + 2
    for title, rows in rows_by_section:
        _block(lines, title, rows, width)
    if syntax is None:
        syntax = ASCII_QUERY_SYNTAX if ascii else QUERY_SYNTAX
    if syntax:
        _block(
            lines, "Query syntax (in the filter bar)", syntax, max(len(k) for k, _ in syntax) + 2
        )
    lines.append((Content(""), 0))
    lines.append((Content.styled(FOOTNOTE, "$text-muted"), 0))
    return lines


def _block(
    lines: list[tuple[Content, int]], title: str, rows: Sequence[tuple[str, str]], width: int
) -> None:
    if not rows:
        return
    lines.append((Content.styled(title, "bold $text-primary"), 0))
    for key, description in rows:
        head = Content.styled(f"  {key:<{width}}", "bold $text-accent")
        lines.append((head + Content(description), len(head)))


class HelpScreen(ModalScreen[None]):
    """Keys, by where they work."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close help", show=True),
        Binding("up,k", "scroll(-1)", "Scroll up", show=False),
        Binding("down,j", "scroll(1)", "Scroll down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown,space", "page(1)", "Page down", show=False),
        Binding("g,home", "end(False)", "Top", show=False),  # as in the list
        Binding("G,end", "end(True)", "Bottom", show=False),
    ]

    DEFAULT_CSS = dialog_css("HelpScreen", "#help-body", 72)

    def __init__(
        self, sections: Sequence[tuple[str, Iterable[BindingType]]], *, ascii: bool = False
    ) -> None:
        super().__init__()
        self.sections = sections
        self.ascii = ascii

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = "Broadsheet keys"
            if self.ascii:
                body.border_subtitle = "up/down pgup pgdn scroll | esc closes"
            else:
                body.border_subtitle = "↑↓ pgup pgdn scroll · esc closes"
            yield Static(Hanging(help_lines(self.sections, ascii=self.ascii)), id="help-text")

    def action_scroll(self, delta: int) -> None:
        self.query_one("#help-body", VerticalScroll).scroll_relative(y=delta, animate=False)

    def action_end(self, bottom: bool) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        if bottom:
            body.scroll_end(animate=False, immediate=True)
        else:
            body.scroll_home(animate=False, immediate=True)

    def action_page(self, delta: int) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        body.scroll_relative(
            y=delta * max(1, body.scrollable_content_region.height - 1), animate=False
        )
