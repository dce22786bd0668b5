"""The filter bar: a one-line query input with a live ``N of M``; a bad query opens a
second line that says what is wrong and where, while the list keeps the last good result."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Literal

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive, reactive
from textual.widgets import Input, Label

from .fields import replace_text

PLACEHOLDER = 'filter: words  "a phrase"  -not  a OR b  title:x  date:2024  is:unread'


HistoryStep = Literal["older", "newer", "search"]
"""↑, ↓ and ctrl+r in the field: an older query, a newer one (then the text typed), or
the next older one that holds the text typed."""


class FilterInput(Input):
    """The query field; Enter and Esc both hand the keyboard back to the list; ↑, ↓
    and ctrl+r bring back earlier queries."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
    """Input sets its virtual size to the text's width on every keystroke, and Widget
    declares it ``layout=True``: each character typed laid out the whole screen again.
    The field's size on screen never depends on its text (it is ``1fr`` wide, one line
    high), so here a change only repaints the field."""

    _on_change: Callable[[str], None] | None = None

    def __init__(
        self,
        *,
        on_change: Callable[[str], None],
        on_history: Callable[[HistoryStep], bool] = lambda step: False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self._on_change = on_change
        self._on_history = on_history

    _typing = False
    """A typed character is being inserted (not a value set by the app)."""
    _keys_waiting = 0
    """Keys posted to the field and not yet handled: typed after the one being handled.
    (Its message queue is never a guide: Input posts itself a Changed message on every
    change, before :meth:`watch_value` runs.)"""
    _change_waiting = False
    """A typed change's call of *on_change* waits behind the input queued after it."""
    _value_told: str | None = None
    """The text *on_change* was last called with."""

    def post_message(self, message: Message) -> bool:
        if isinstance(message, events.Key):
            self._keys_waiting += 1
        return super().post_message(message)

    def on_key(self, event: events.Key) -> None:
        # Runs before Input's own handler, which inserts the character.
        self._keys_waiting = max(0, self._keys_waiting - 1)

    def insert_text_at_cursor(self, text: str) -> None:
        self._typing = True
        try:
            super().insert_text_at_cursor(text)
        finally:
            self._typing = False

    def watch_value(self, value: str) -> None:
        # Runs while the key is handled. Input's Changed message would arrive after the
        # echo had been painted, and the filtered list a frame (~17 ms) later: called
        # from here, the echo, the count and the list paint in one frame. (Not for the
        # initial value, set in Input.__init__: the app applies that once mounted.)
        if self._on_change is None or not self.is_mounted:
            return
        if self._typing and self._keys_waiting:
            # More input waits (keys that came at once: over a slow link, or sent by
            # tmux): this text's search would be thrown away by the next key's, and the
            # first letters' cost ~70 ms each at 100k. The text as it stands once that
            # input is handled is searched instead.
            if not self._change_waiting:
                self._change_waiting = True
                self.call_later(self._tell_waiting_change)
            return
        self._tell(value)

    def _tell_waiting_change(self) -> None:
        self._change_waiting = False
        if self.value != self._value_told:  # else told since, when the app set it
            self._tell(self.value)

    def _tell(self, value: str) -> None:
        assert self._on_change is not None
        self._value_told = value
        self._on_change(value)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "done", "Done", show=True),
        Binding("escape", "done", "Back to list", show=True),
        Binding("up", "history('older')", "Earlier query", show=False),
        Binding("down", "history('newer')", "Later query", show=False),
        Binding("ctrl+r", "history('search')", "Earlier query holding the text", show=False),
    ]

    def action_done(self) -> None:
        self.post_message(FilterBar.Done())

    def action_history(self, step: HistoryStep) -> None:
        if not self._on_history(step):
            self.app.bell()  # no earlier (or later) query: say so, change nothing


class FilterBar(Vertical):
    """Calls *on_change* as the query is typed; posts Done when the user leaves the field."""

    DEFAULT_CSS = """
    FilterBar {
        height: auto;
        background: $panel;
        & > #filter-row {
            height: 1;
            & > #filter-prompt { width: 3; padding: 0 1; color: $text-muted; }
            & > FilterInput {
                width: 1fr;
                background: $panel;
                &:focus { background: $surface; }
            }
            & > #filter-status {
                /* A fixed width: a count that changes length on every keystroke must
                   not relayout the screen (it cost most of a keystroke's time). */
                width: 34;
                text-align: right;
                padding: 0 1;
                color: $text-muted;
                &.-busy { color: $text-warning; }
            }
        }
        &:focus-within > #filter-row > #filter-prompt { color: $text-accent; text-style: bold; }
        & > #filter-error {
            display: none;
            width: 1fr;
            padding: 0 1;
            color: $text-error;
            text-style: bold;
        }
        &.-error > #filter-error { display: block; }
    }
    """

    status: reactive[str] = reactive("", init=False, repaint=False)
    """``N of M`` and any note (loading, match position)."""
    error: reactive[str] = reactive("", init=False, repaint=False)
    """The last query error, or empty when the query is good."""
    busy: reactive[bool] = reactive(False, init=False, repaint=False)

    class Done(Message):
        """The user pressed Enter or Esc in the field."""

    def __init__(
        self,
        value: str = "",
        *,
        on_change: Callable[[str], None],
        on_history: Callable[[HistoryStep], bool] = lambda step: False,
        separator: str = "·",
        error_mark: str = "✗",
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._separator = separator
        self._error_mark = error_mark
        self._initial = value
        self._on_change = on_change
        self._on_history = on_history

    def compose(self) -> ComposeResult:
        with Horizontal(id="filter-row"):
            yield Label("/", id="filter-prompt")
            yield FilterInput(
                on_change=self._on_change,
                on_history=self._on_history,
                value=self._initial,
                placeholder=PLACEHOLDER,
                id="filter-input",
                select_on_focus=False,
                compact=True,
            )
            yield Label("", id="filter-status", markup=False)
        yield Label("", id="filter-error", markup=False)

    @property
    def input(self) -> FilterInput:
        return self.query_one(FilterInput)

    @property
    def value(self) -> str:
        return self.input.value

    @value.setter
    def value(self, text: str) -> None:
        replace_text(self.input, text)  # runs the query, as typing it would

    def watch_status(self, status: str) -> None:
        # Fixed width (see the CSS): a repaint, not a relayout of the screen.
        self.query_one("#filter-status", Label).update(Content(status), layout=False)

    def watch_error(self, error: str) -> None:
        self.set_class(bool(error), "-error")
        said = f"{self._error_mark} {error}" if error else ""
        self.query_one("#filter-error", Label).update(Content(said))

    def watch_busy(self, busy: bool) -> None:
        self.query_one("#filter-status", Label).set_class(busy, "-busy")

    def show_count(self, shown: int, total: int, note: str = "", *, busy: bool = False) -> None:
        """``N of M``, then *note* (loading…, the match position). An error shown stays
        until :meth:`show_error` says another or none: the count may change beneath it
        (a batch loaded, the preview moved on) while the text typed is still wrong."""
        self.busy = busy
        text = f"{shown:,} of {total:,}"
        self.status = f"{text} {self._separator} {note}" if note else text

    def show_error(self, message: str) -> None:
        """Say what is wrong with the query typed ("" once it reads)."""
        self.error = message

    @on(Input.Changed, "#filter-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()  # the query already ran, from FilterInput.watch_value

    @on(Input.Submitted, "#filter-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
