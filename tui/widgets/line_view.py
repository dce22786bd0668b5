"""What the article list and the reading pane share: a scroll view drawn line by line
whose height is its number of lines, changed without laying out the screen again, and
whose styles are looked up once, not once per line."""

from __future__ import annotations

from rich.style import Style
from textual import events
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.widget import Widget

from ..compat import blur_quietly, focus_quietly, update_scrollbars
from .glyphs import UNICODE, Glyphs


class LineView(ScrollView, can_focus=True):
    """A focusable ScrollView for ``render_line`` widgets, drawn with *glyphs*."""

    def __init__(
        self,
        *,
        glyphs: Glyphs = UNICODE,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.glyphs = glyphs
        self._line_styles: dict[str, Style] = {}
        self._line_styles_stale = True

    def set_line_count(self, lines: int, *, repaint: bool = True) -> None:
        """Make the scrollable height *lines* and repaint (unless the caller repaints
        what changed itself: *repaint* False).

        Assigning ``virtual_size`` would lay out the whole screen (the reactive is
        declared ``layout=True``), which cost most of a filter keystroke and of opening
        an article. Our size on screen does not depend on it, so only the scrollbar and
        the scroll position need updating; a scrollbar that appears or disappears still
        asks for its own layout.
        """
        size = Size(self.scrollable_content_region.width or self.size.width, lines)
        if size != self.virtual_size:
            self.set_reactive(Widget.virtual_size, size)
            update_scrollbars(self, size)  # scrollbar window and clamped scroll offsets
        if repaint:
            self.refresh()

    def line_styles(self) -> dict[str, Style]:
        """The widget's own style (key ``""``) and each component class's own style
        (to add to it), looked up once until the CSS, the theme or a pseudo-class changes.

        Textual's ``rich_style`` walks every ancestor on each call (~40 µs, more than
        drawing a cached line), and component styles are looked up again after every
        refresh. When the styles do change, :meth:`styles_changed` drops what was drawn.
        """
        if self._line_styles_stale:
            self._line_styles_stale = False
            base = self.rich_style
            styles = {"": base}
            for name in sorted(self.COMPONENT_CLASSES):
                styles[name] = self.get_component_rich_style(name)
            if styles != self._line_styles:
                self._line_styles = styles
                self.styles_changed()
        return self._line_styles

    def styles_changed(self) -> None:
        """Drop cached lines: they were drawn with other styles (a theme change, say)."""

    # --- focus ---------------------------------------------------------------------
    # Textual repaints a widget whole when it gains or loses focus, and restyles it and
    # its scrollbars for :focus rules (a relayout of the screen): every article opened
    # and closed cost both panes and ~5 ms. None of our CSS depends on :focus (the
    # list's cursor has a class for each state), so only what shows focus is redrawn.

    def on_focus(self, event: events.Focus) -> None:
        focus_quietly(self, event)  # instead of Textual's handler: it repaints everything

    def on_blur(self, event: events.Blur) -> None:
        blur_quietly(self, event)

    def watch_has_focus(self, _has_focus: bool) -> None:
        self.focus_changed()

    def focus_changed(self) -> None:
        """Repaint what looks different with the focus (nothing, by default)."""

    def notify_style_update(self) -> None:
        # Called whenever Textual re-applies CSS to this widget (focus, hover, theme):
        # usually nothing that shows changed, and line_styles() then keeps the caches.
        super().notify_style_update()
        self._line_styles_stale = True
