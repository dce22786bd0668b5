"""The yardstick for start-up: a Textual app that does nothing but show one Static.

Launched by ``bench.run`` in the same pty, at the same size, with the same Python, right
before each launch of the real app, so "first frame with rows" can be read as a ratio to
what Textual itself costs on this machine (imports, driver set-up, first paint).
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Static

MARKER = "Bare Textual app: first frame"
"""What the harness waits for on screen."""


class BareApp(App[None]):
    """One Static; ``q`` quits like the real app, so the harness can close both alike."""

    BINDINGS = [Binding("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Static(MARKER)


def main() -> None:
    BareApp().run()


if __name__ == "__main__":
    main()
