"""The private Textual APIs that ``tui/compat.py`` relies on are still there and still
do what it assumes: a Textual upgrade that removes or changes one fails here, by name,
instead of silently slowing the reader down (or breaking it).

Each check says which function of ``tui.compat`` to revisit."""

from __future__ import annotations

import ast
import inspect
import re
import textwrap

from textual import events
from textual.app import App, ComposeResult
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget

from tui import compat
from tui.app import BroadsheetApp
from tui.screen import ReaderScreen
from tui.widgets.line_view import LineView

from .app_helpers import make_app, settle


def _body(function: object) -> str:
    """The statements of *function*, docstring and comments left out."""
    source = textwrap.dedent(inspect.getsource(function))  # type: ignore[arg-type]
    definition = ast.parse(source).body[0]
    assert isinstance(definition, ast.FunctionDef)
    body = definition.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    return "\n".join(ast.unparse(statement) for statement in body)


# --- the private names exist ---------------------------------------------------------


def test_screen_compositor_refresh_exists() -> None:
    """FrameHookScreen overrides it: if it went, frame_written would never be called."""
    assert callable(getattr(Screen, "_compositor_refresh", None)), "revisit FrameHookScreen"
    assert list(inspect.signature(Screen._compositor_refresh).parameters) == ["self"]


def test_widget_scroll_update_exists() -> None:
    assert callable(getattr(Widget, "_scroll_update", None)), "revisit update_scrollbars"
    assert list(inspect.signature(Widget._scroll_update).parameters) == ["self", "virtual_size"]


def test_textual_focus_handlers_are_the_ones_copied() -> None:
    """focus_quietly/blur_quietly copy Textual's own handlers less their ``refresh()``:
    if Textual's handlers learn something new, the copies must learn it too."""
    assert _body(Widget._on_focus) == "\n".join(
        [
            "self.has_focus = True",
            "self.refresh()",
            "if self.parent is not None:",
            "    self.parent.post_message(events.DescendantFocus(self))",
        ]
    ), "Widget._on_focus changed: revisit focus_quietly"
    assert _body(Widget._on_blur) == "\n".join(
        [
            "self.has_focus = False",
            "self.refresh()",
            "if self.parent is not None:",
            "    self.parent.post_message(events.DescendantBlur(self))",
        ]
    ), "Widget._on_blur changed: revisit blur_quietly"


def test_screen_focused_is_a_reactive_main_screen_can_redeclare() -> None:
    """ReaderScreen redeclares ``focused`` without repaint: it must still be a reactive."""
    assert isinstance(Screen.__dict__.get("focused"), Reactive)
    assert isinstance(ReaderScreen.__dict__["focused"], Reactive)


def test_no_private_textual_api_outside_compat() -> None:
    """Only tui/compat.py overrides or calls the private names it wraps."""
    from pathlib import Path

    package = Path(compat.__file__).parent
    names = ("_compositor_refresh", "_scroll_update", "_on_focus", "_on_blur")
    offenders = [
        f"{path.relative_to(package.parent)}: {name}"
        for path in sorted(package.rglob("*.py"))
        if path.name != "compat.py"
        for name in names
        if re.search(rf"\b{name}\b", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


# --- the hooks are really called -----------------------------------------------------


class _CountingScreen(compat.FrameHookScreen):
    def __init__(self) -> None:
        super().__init__()
        self.frames = 0

    def compose(self) -> ComposeResult:
        yield _Lines(id="lines")

    def frame_written(self) -> None:
        self.frames += 1


class _Lines(LineView):
    def render_line(self, y: int):  # type: ignore[no-untyped-def]
        from textual.strip import Strip

        return Strip.blank(self.size.width)


class _HookApp(App[None]):
    AUTO_FOCUS = None  # the focus test gives the focus itself

    def get_default_screen(self) -> Screen[None]:
        return _CountingScreen()


async def test_frame_written_fires_once_per_frame() -> None:
    app = _HookApp()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, _CountingScreen)
        first = screen.frames
        assert first >= 1, "no frame reported: revisit FrameHookScreen"
        app.query_one(_Lines).refresh()
        await pilot.pause()
        assert screen.frames > first


async def test_the_reader_screen_uses_the_frame_hook() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        assert isinstance(app.screen, compat.FrameHookScreen)
        screen = app.screen
        calls: list[float] = []
        foreground = screen.foreground

        class Recording:
            def idle(self, after: float = 0.0) -> None:
                calls.append(after)
                foreground.idle(after)

        screen.foreground = Recording()  # type: ignore[assignment]
        try:
            await pilot.press("down")
            await pilot.pause()
        finally:
            screen.foreground = foreground
        assert calls, "the reader's frames no longer release the loading threads"


async def test_update_scrollbars_fits_the_scrollbar_without_a_layout() -> None:
    app = _HookApp()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        lines = app.query_one(_Lines)
        lines.set_line_count(500)
        await pilot.pause()
        assert lines.virtual_size.height == 500
        assert lines.max_scroll_y == 500 - lines.scrollable_content_region.height
        assert lines.vertical_scrollbar.window_virtual_size == 500
        lines.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        assert lines.scroll_offset.y == lines.max_scroll_y


async def test_focus_quietly_sets_focus_without_repainting_the_widget() -> None:
    app = _HookApp()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        lines = app.query_one(_Lines)
        assert not lines.has_focus
        repaints: list[object] = []
        original = lines.refresh

        def counting_refresh(*regions: object, **kwargs: object) -> Widget:
            repaints.append(regions)
            return original(*regions, **kwargs)  # type: ignore[arg-type]

        lines.refresh = counting_refresh  # type: ignore[method-assign]
        lines.focus()
        repaints.clear()  # Widget.focus() repaints by itself; the Focus event follows
        await pilot.pause()
        assert lines.has_focus and app.focused is lines
        assert app.screen.has_focus_within
        assert repaints == [], "gaining the focus repainted the whole line view"
        lines.blur()
        repaints.clear()  # as focus()
        await pilot.pause()
        assert not lines.has_focus
        assert repaints == [], "losing the focus repainted the whole line view"


def test_compat_is_all_there_is() -> None:
    assert sorted(compat.__all__) == [
        "FrameHookScreen",
        "blur_quietly",
        "focus_quietly",
        "update_scrollbars",
    ]
    assert issubclass(ReaderScreen, compat.FrameHookScreen)
    assert BroadsheetApp.get_default_screen is not App.get_default_screen
    assert events.Focus and events.Blur  # the events focus_quietly handles


# --- our names do not shadow Textual's -------------------------------------------------

_MEANT_OVERRIDES = {
    "focused", "frame_written", "compose", "get_default_screen", "get_system_commands",
    "get_key_display",
    "theme",  # set from the settings of the last run
}  # fmt: skip
"""What the reader's screen and app redefine or set on purpose (besides their hooks
and their class settings in capitals, such as ``BINDINGS``)."""


def _names_set_or_defined(cls: type) -> set[str]:
    """The attributes *cls*'s own source assigns on ``self`` or defines."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    definition = tree.body[0]
    assert isinstance(definition, ast.ClassDef)
    names: set[str] = set()
    for statement in definition.body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(statement.name)
        elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            names.add(statement.target.id)
        elif isinstance(statement, ast.Assign):
            names.update(t.id for t in statement.targets if isinstance(t, ast.Name))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.ctx, ast.Store)
            and isinstance(node.value, ast.Name)
            and node.value.id == "self"
        ):
            names.add(node.attr)
    return {name for name in names if not name.startswith("__")}


def test_the_reader_screen_and_app_shadow_no_textual_attribute() -> None:
    """A screen's ``self.loading = True`` is Textual's loading indicator over the whole
    screen (the reader went blank): no attribute of ours may reuse a Textual name by
    accident, now or after an upgrade adds one."""
    for ours, textuals in ((ReaderScreen, Screen), (BroadsheetApp, App)):
        names = _names_set_or_defined(ours) - _MEANT_OVERRIDES
        hooks = {n for n in names if n.startswith(("on_", "action_", "watch_", "_on_"))}
        hooks |= {n for n in names if n.isupper()}
        clashes = {n for n in names - hooks if hasattr(textuals, n)}
        assert not clashes, f"{ours.__name__} shadows Textual's {sorted(clashes)}"
