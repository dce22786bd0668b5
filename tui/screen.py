"""The reader's screen: the default screen, tuned for what the reader draws."""

from __future__ import annotations

from textual.reactive import Reactive
from textual.widget import Widget

from .compat import FrameHookScreen
from .corpus.foreground import Foreground

WRITER_SECONDS = 0.002
"""After a frame, the loading threads wait this long more: the terminal writer thread
needs the GIL too (~0.3 ms), and without this it often queued behind them for 5 ms."""


class MainScreen(FrameHookScreen):
    """The default screen, but a focus change does not repaint all of it.

    Textual's ``Screen.focused`` repaints the whole screen when the focus moves (opening
    an article, leaving the filter bar): ~10 KB to the terminal each time. The widgets
    that look different with focus repaint themselves, so this one need not.
    """

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    def __init__(self, *, foreground: Foreground, id: str | None = None) -> None:
        super().__init__(id=id)
        self.foreground = foreground

    def frame_written(self) -> None:
        # Loading threads that stood aside for this frame go on, once Textual's writer
        # thread has had a moment to send it to the terminal.
        self.foreground.idle(after=WRITER_SECONDS)
