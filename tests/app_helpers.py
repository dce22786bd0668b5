"""Helpers for driving the app in pilot and snapshot tests."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from tui.app import BroadsheetApp
from tui.corpus.query import Query
from tui.corpus.session import CorpusSession
from tui.corpus.state import ReadState

SEEDS = "seeds"


def make_app(
    paths: list[str] | None = None,
    *,
    query: str = "",
    state: ReadState | None = None,
    **options: Any,
) -> BroadsheetApp:
    """An app on the seeds (relative to the repo root: tests chdir there) with no saved
    marks; *options* go to :class:`BroadsheetApp` as they are (settings, watch…)."""
    return BroadsheetApp(
        paths or [SEEDS], state=state or ReadState.open(enabled=False), query=query, **options
    )


async def settle(pilot: Pilot) -> None:
    """Wait for the corpus to load and the screen to catch up (debounced preview too)."""
    app = pilot.app
    assert isinstance(app, BroadsheetApp)
    await app.loaded.wait()
    steady_cursors(app)
    await pilot.pause()
    await pilot.pause(0.2)
    steady_cursors(app)  # a dialog the keys opened meanwhile


def steady_cursors(app: BroadsheetApp) -> None:
    """Every text cursor shown steadily, the filter bar's and a dialog's: they blink
    every 0.5 s, and a picture taken on a loaded machine caught them on or off."""
    from textual.widgets import Input

    app.filter_bar.input.cursor_blink = False
    for field in app.screen.query(Input):
        field.cursor_blink = False


async def wait_until(pilot: Pilot, condition: Callable[[], bool], tries: int = 500) -> None:
    """Pause until *condition()* holds, up to *tries* × 20 ms (a loaded CI machine)."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("gave up waiting")


def drive(*keys: str, theme: str | None = None) -> Callable[[Pilot], Awaitable[None]]:
    """A snapshot ``run_before`` that loads, optionally sets a theme, presses *keys*, settles."""

    async def run_before(pilot: Pilot) -> None:
        if theme:
            pilot.app.theme = theme
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
        await settle(pilot)

    return run_before


def notifications(app: BroadsheetApp) -> list[str]:
    """What *app* will say in toasts, as it says it (from the screen too: it notifies
    through the app)."""
    said: list[str] = []
    real_notify = app.notify

    def notify(message: str, *args: object, **kwargs: object) -> None:
        said.append(message)
        real_notify(message, *args, **kwargs)  # type: ignore[arg-type]

    app.notify = notify  # type: ignore[method-assign]
    return said


class Gate:
    """Holds each search made in the search thread once it is made, until opened;
    notes the queries it was asked."""

    def __init__(self) -> None:
        self.open = threading.Event()
        self.asked: list[str] = []
        self.entered = threading.Event()


def hold_thread_searches(monkeypatch: pytest.MonkeyPatch, hold: float = 20.0) -> Gate:
    """Send every search to the reader's search thread, and hold it there (see Gate)
    for at most *hold* seconds: what changes meanwhile, the answer does not know. Open
    the gate before the test ends (the app's exit waits for the thread)."""
    monkeypatch.setattr("tui.screen.SEARCH_IN_THREAD_AFTER", -1.0)
    held = Gate()
    real = CorpusSession.search

    def search(self: CorpusSession, query: Query, *args: Any, **kwargs: Any) -> Any:
        found = real(self, query, *args, **kwargs)
        if threading.current_thread() is not threading.main_thread():
            held.asked.append(query.text)
            held.entered.set()
            held.open.wait(hold)
        return found

    monkeypatch.setattr(CorpusSession, "search", search)
    return held


def reader_lines(app: BroadsheetApp) -> list[str]:
    """The reading pane's lines as laid out (all of them, not only those on screen)."""
    return [line.text[line.start : line.end] for line in app.reader._lines]


async def loaded_and_checked(app: BroadsheetApp, pilot: Pilot[None]) -> None:
    """Wait until *app* has loaded its collection and applied what the check of its
    folder against the store found."""
    await asyncio.wait_for(app.loaded.wait(), 30)
    await app.workers.wait_for_complete()
    await pilot.pause()
    await asyncio.sleep(0.4)  # past BATCH_REST: the folder's changes are applied
    await pilot.pause()
