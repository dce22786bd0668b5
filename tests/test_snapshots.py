"""Every screen, at 80×24 (one pane) and 120×36 (two panes), on the bundled seeds and on
a folder of notes in other forms (markdown with front matter, an e-mail, Chinese).

Deterministic: no clock on screen, no saved marks, the cursor does not blink, and
the tests run from the repository root so paths read ``seeds/…``. Update a snapshot
only for an intended change, after looking at it (see the README).
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from .app_helpers import drive, hold_thread_searches, make_app, settle

pytestmark = pytest.mark.usefixtures("in_repo")

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 36), id="120x36")]

def _until(done):  # type: ignore[no-untyped-def]
    """A ``run_before`` step: wait (up to 5 s) until *done(app)* holds, then settle."""

    async def wait(pilot) -> None:  # type: ignore[no-untyped-def]
        for _ in range(100):
            if done(pilot.app):
                break
            await pilot.pause(0.05)
        await pilot.pause(0.2)

    return wait


def _steps(*steps):  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        for step in steps:
            await step(pilot)

    return run_before


def _palette_listed(app) -> bool:  # type: ignore[no-untyped-def]
    """The command palette shows its hits and has stopped searching (its search is a
    worker: on a loaded machine the picture came before the hits)."""
    from textual.command import CommandList, CommandPalette

    screen = app.screen
    if not isinstance(screen, CommandPalette):
        return False
    if any(worker.node is screen and worker.is_running for worker in app.workers):
        return False
    return screen.query_one(CommandList).option_count > 0


SCREENS = {
    "start": drive(),
    "article_open": drive("enter"),
    "filter_matches": drive("slash", *"putin", "enter"),
    "filter_none": drive("slash", *"zzzqqq"),
    "help": drive("question_mark"),
    "raw_view": drive("down", "down", "down", "enter", "r"),
    "inferred_date": drive("down", "down", "down", "enter"),
    "light_theme": drive("enter", theme="textual-light"),
    "highlights_next_match": drive("slash", *"pakistan", "enter", "enter", "n"),
    "query_error": drive("slash", *"sco date:notadate"),
    "palette_sort": _steps(drive("ctrl+p", *"sort"), _until(_palette_listed), settle),
    "timeline_band": drive("slash", *"date:2022..", "enter"),
    "export_dialog": drive("x", "E"),
}

NOTES = "tests/data/notes"
"""A markdown note with front matter, an e-mail and a Chinese article with a dateline."""

NOTES_SCREENS = {
    "markdown_note": drive("down", "enter"),
    "markdown_raw": drive("down", "enter", "r"),
    "email_and_cjk": drive("down", "down"),
    "cjk_article": drive("down", "down", "enter"),
}


SCRAPED = "tests/data/scraped"
"""A page's visible text as a scraper saved it: the site's menus above the article."""

SCRAPED_SCREENS = {
    "scraped_menus_folded": drive("enter"),
    "scraped_menus_shown": drive("enter", "z"),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen(snap_compare, screen: str, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(), terminal_size=size, run_before=SCREENS[screen])


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", list(NOTES_SCREENS))
def test_notes_screen(snap_compare, screen: str, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app([NOTES]), terminal_size=size, run_before=NOTES_SCREENS[screen])


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", list(SCRAPED_SCREENS))
def test_scraped_screen(snap_compare, screen: str, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    app = make_app([SCRAPED])
    assert snap_compare(app, terminal_size=size, run_before=SCRAPED_SCREENS[screen])


def _with_saved_searches():  # type: ignore[no-untyped-def]
    from tui.app import BroadsheetApp
    from tui.corpus.searches import SavedSearches
    from tui.corpus.state import ReadState

    searches = SavedSearches(None)  # kept in memory only: nothing written
    searches.queries = {"putin": "putin", "talks in 2024": "talks date:2024", "none": "zzzqqq"}
    return BroadsheetApp(["seeds"], state=ReadState.open(enabled=False), searches=searches)


@pytest.mark.parametrize("size", SIZES)
def test_saved_search_switcher(snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(_with_saved_searches(), terminal_size=size, run_before=drive("apostrophe"))


def _ranked(app) -> bool:  # type: ignore[no-untyped-def]
    screen = app.reader_screen
    return screen.ranking is not None and not screen.ranking.unranked


def _picking(app) -> bool:  # type: ignore[no-untyped-def]
    from tui.widgets.picker import PickList

    return isinstance(app.screen, PickList)


async def _filled(pilot) -> None:  # type: ignore[no-untyped-def]
    """The relevance table filled (as the store's writer does once the user rests), so
    no "reading…" notice shows."""
    import asyncio

    await settle(pilot)
    await asyncio.to_thread(pilot.app.session.fill_relevance)


RELEVANCE_SCREENS = {
    # Best first, a snippet under each title (o), for a query of two words.
    "relevance_snippets": _steps(drive("o"), _until(_ranked)),
    "related": _steps(_filled, drive("R"), _until(_picking)),
    "facets": _steps(_filled, drive("F"), _until(_picking)),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", list(RELEVANCE_SCREENS))
def test_relevance_screen(snap_compare, screen: str, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    # The query given at start, as --query gives it: typing it is not what is shown.
    query = "pakistan russia" if screen == "relevance_snippets" else ""
    app = make_app(query=query)
    assert snap_compare(app, terminal_size=size, run_before=RELEVANCE_SCREENS[screen])


@pytest.mark.parametrize("size", SIZES)
def test_searching_screen(  # type: ignore[no-untyped-def]
    snap_compare, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A search in the search thread (a big collection's): the typed text is shown, the
    # list is still the last answer, and the count says so.
    # Held until the picture is taken: the snapshot's run exits the app just after, and
    # the exit waits for the search thread (at most 3 s, should the picture never come).
    gate = hold_thread_searches(monkeypatch, hold=3.0)
    app = make_app()
    exit_app = app.exit

    def exit_when_pictured(*args: Any, **kwargs: Any) -> None:
        gate.open.set()
        exit_app(*args, **kwargs)

    app.exit = exit_when_pictured  # type: ignore[method-assign]

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("slash", *"putin")
        await pilot.pause(0.2)

    try:
        assert snap_compare(app, terminal_size=size, run_before=run_before)
    finally:
        gate.open.set()
