"""The footer: the keys that work where the focus is, on one line of text.

Textual's ``Footer`` is a widget per key and recomposes whenever the bindings change,
which they do on every focus change: opening an article cost a relayout of the whole
screen and a redraw of every key. This draws the same information as one line and
repaints only when the keys shown actually change.
"""

from __future__ import annotations

from typing import NamedTuple

from textual import events
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget


class ShownKey(NamedTuple):
    key: str
    """The key to simulate when the entry is clicked."""
    display: str
    description: str
    enabled: bool


class KeyBar(Widget):
    """Shows the active bindings marked ``show=True``; clicking one presses its key."""

    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description"}

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
        & > .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._keys: list[ShownKey] = []
        self._palette: ShownKey | None = None
        self._hit_boxes: list[tuple[int, int, str]] = []
        """(first cell, end cell, key) of each entry as last drawn."""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        app = self.app
        keys: list[ShownKey] = []
        palette: ShownKey | None = None
        actions: set[str] = set()
        for _node, binding, enabled, _tooltip in screen.active_bindings.values():
            entry = ShownKey(
                binding.key, app.get_key_display(binding), binding.description, enabled
            )
            if binding.key == app.COMMAND_PALETTE_BINDING and app.ENABLE_COMMAND_PALETTE:
                palette = entry
            elif binding.show and binding.action not in actions:
                actions.add(binding.action)  # one entry per action ("l,right,enter")
                keys.append(entry)
        if keys != self._keys or palette != self._palette:
            self._keys, self._palette = keys, palette
            self.refresh()  # same size: a repaint, never a relayout

    def render(self) -> Content:
        key_style = self.get_visual_style("key-bar--key", partial=True)
        description_style = self.get_visual_style("key-bar--description", partial=True)
        parts: list[Content] = []
        boxes: list[tuple[int, int, str]] = []
        position = 1

        def entry(key: ShownKey) -> Content:
            content = Content.assemble(
                (key.display, key_style), (f" {key.description}", description_style)
            )
            return content if key.enabled else content.stylize("dim")

        for key in self._keys:
            content = entry(key)
            boxes.append((position, position + content.cell_length, key.key))
            parts.append(content)
            position += content.cell_length + 2
        line = Content(" ").append(Content("  ").join(parts))
        if self._palette is not None:
            palette = entry(self._palette)
            start = self.size.width - palette.cell_length - 1
            if start > line.cell_length:
                line = line.pad_right(start - line.cell_length).append(palette)
                boxes.append((start, start + palette.cell_length, self._palette.key))
        self._hit_boxes = [box for box in boxes if box[0] < self.size.width]
        return line

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._hit_boxes:
            if start <= event.x < end:
                event.stop()
                self.app.simulate_key(key)
                return
