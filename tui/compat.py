"""Every use of a private Textual API, in one place.

Each one buys something measured (a frame not repainted, a relayout not done) and says
so below. Textual may rename or change any of them in a minor release: pyproject pins
Textual to one series, and ``tests/test_compat.py`` fails loudly, naming the one that
moved, before an upgrade can silently slow the reader down or break it. To upgrade:
run that test, and for each failure read the new Textual source and adapt the one
function here (or drop it, if Textual now has a public way).

Nothing else in ``tui`` touches an underscore attribute of a Textual object.
"""

from __future__ import annotations

from textual import events
from textual.geometry import Size
from textual.screen import Screen
from textual.widget import Widget

__all__ = ["FrameHookScreen", "blur_quietly", "focus_quietly", "update_scrollbars"]


class FrameHookScreen(Screen[None]):
    """A screen told each time a frame of it has been composed and handed to the
    terminal writer: :meth:`frame_written`.

    Private API: ``Screen._compositor_refresh``, which Textual calls once per frame,
    right after it gives the frame to its writer thread. Textual has no public "frame
    drawn" event (``Screen`` publishes a layout signal, but not on a plain repaint).
    The reader uses it to let its loading threads go on as soon as the answer to a key
    is on its way to the terminal; without it they would wait out their busy spell:
    loading slower, never wrong.
    """

    def frame_written(self) -> None:
        """Called after every frame of this screen (on the UI thread): keep it cheap."""

    def _compositor_refresh(self) -> None:
        super()._compositor_refresh()
        self.frame_written()


def update_scrollbars(widget: Widget, virtual_size: Size) -> None:
    """Fit *widget*'s scrollbars and scroll limits to *virtual_size*, without a layout.

    Private API: ``Widget._scroll_update``, what Textual itself runs when a widget's
    size changes. The public way, assigning ``virtual_size``, lays out the whole screen
    (the reactive is declared ``layout=True``), which cost most of a filter keystroke
    and of opening an article; a line view's size on screen does not depend on it.
    """
    widget._scroll_update(virtual_size)


def focus_quietly(widget: Widget, event: events.Focus) -> None:
    """Handle *event* as ``Widget._on_focus`` does, less its repaint of the whole widget.

    Private API: what Textual's default focus handler does (set ``has_focus``, tell the
    parent), copied here so it can be run without ``refresh()``; calling
    ``event.prevent_default()`` keeps Textual's own handler from running after it.
    Opening an article and going back each repainted both panes (~5 ms and ~10 KB to
    the terminal); a line view repaints only what shows the focus.
    """
    event.prevent_default()
    widget.has_focus = True
    if widget.parent is not None:
        widget.parent.post_message(events.DescendantFocus(widget))


def blur_quietly(widget: Widget, event: events.Blur) -> None:
    """Handle *event* as ``Widget._on_blur`` does, less its repaint (see
    :func:`focus_quietly`)."""
    event.prevent_default()
    widget.has_focus = False
    if widget.parent is not None:
        widget.parent.post_message(events.DescendantBlur(widget))
