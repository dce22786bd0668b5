"""A query is never lost (issue 15, item 1): ↑/↓ and ctrl+r in the filter bar bring
back earlier ones, kept between runs; Esc in the list clears a query and u restores
it; h and ← no longer clear it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tui.app import BroadsheetApp
from tui.corpus.history import HISTORY_FILENAME, QueryHistory
from tui.corpus.state import ReadState

from .app_helpers import SEEDS, notifications, settle

pytestmark = pytest.mark.usefixtures("in_repo")


def _app(history: QueryHistory) -> BroadsheetApp:
    return BroadsheetApp([SEEDS], state=ReadState.open(enabled=False), history=history)


async def use_two_queries(pilot: Pilot[None], history: QueryHistory) -> None:
    """Run "russia", then "pakistan", from the filter bar: the history holds both."""
    await settle(pilot)
    await pilot.press("slash", *"russia", "enter")
    await pilot.press("slash", "ctrl+u", *"pakistan", "enter")
    assert history.entries == ["russia", "pakistan"]


async def test_a_query_used_is_kept_and_up_and_down_bring_it_back(tmp_path: Path) -> None:
    history = QueryHistory(str(tmp_path / HISTORY_FILENAME))
    app = _app(history)
    async with app.run_test(size=(120, 36)) as pilot:
        await use_two_queries(pilot, history)
        await pilot.press("slash", "ctrl+u", *"xi")
        shown = len(app.article_list.rows)
        await pilot.press("up")
        assert app.filter_bar.value == "pakistan"
        assert app.filter_bar.input.cursor_position == len("pakistan")
        await pilot.press("up")
        assert app.filter_bar.value == "russia"
        pakistan_rows = len(app.article_list.rows)
        await pilot.press("up")  # the oldest: stays
        assert app.filter_bar.value == "russia"
        await pilot.press("down", "down")
        assert app.filter_bar.value == "xi"  # back to what was typed
        assert len(app.article_list.rows) == shown
        assert pakistan_rows > 0
        await pilot.press("enter")
        await app.workers.wait_for_complete()
    saved = json.loads((tmp_path / HISTORY_FILENAME).read_text("utf-8"))
    assert saved["queries"] == ["russia", "pakistan", "xi"]


async def test_up_in_the_bar_passes_the_query_it_holds(tmp_path: Path) -> None:
    """/ on 'pakistan' (the newest query), then ↑: 'pakistan' again took a press."""
    history = QueryHistory(str(tmp_path / HISTORY_FILENAME))
    app = _app(history)
    async with app.run_test(size=(120, 36)) as pilot:
        await use_two_queries(pilot, history)
        await pilot.press("slash", "up")
        assert app.filter_bar.value == "russia"
        await pilot.press("down")
        assert app.filter_bar.value == "pakistan"


async def test_the_history_of_an_earlier_run_is_there(tmp_path: Path) -> None:
    (tmp_path / HISTORY_FILENAME).write_text(
        json.dumps({"version": 1, "queries": ['"prime minister"', "putin"]})
    )
    app = _app(QueryHistory(str(tmp_path / HISTORY_FILENAME)))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash", "up")
        assert app.filter_bar.value == "putin"
        assert app.filter_bar.status.startswith(f"{len(app.article_list.rows)} of")


async def test_ctrl_r_finds_the_older_queries_holding_what_was_typed() -> None:
    history = QueryHistory(None)
    for text in ["pakistan trade", "russia", "xi", "pakistan"]:
        history.add(text)
    app = _app(history)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"pak", "ctrl+r")
        assert app.filter_bar.value == "pakistan"
        await pilot.press("ctrl+r")
        assert app.filter_bar.value == "pakistan trade"
        await pilot.press("ctrl+r")  # no other: it stays
        assert app.filter_bar.value == "pakistan trade"
        await pilot.press(*" x")  # typing starts afresh
        await pilot.press("up")
        assert app.filter_bar.value == "pakistan"


async def test_esc_in_the_list_clears_the_filter_and_u_restores_it() -> None:
    history = QueryHistory(None)
    app = _app(history)
    said = notifications(app)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"pakistan", "enter")
        filtered = list(app.article_list.rows)
        for key in ("h", "left"):  # they used to clear it, for good
            await pilot.press(key)
            assert app.filter_bar.value == "pakistan"
        await pilot.press("escape")
        assert app.filter_bar.value == ""
        assert len(app.article_list.rows) == len(app.corpus)
        assert "Filter cleared — u to restore" in said
        await pilot.press("u")
        assert app.filter_bar.value == "pakistan"
        assert app.article_list.rows == filtered
        assert history.entries == ["pakistan"]
        await pilot.press("u")  # nothing left to restore: nothing changes
        assert app.filter_bar.value == "pakistan"


async def test_u_puts_the_cursor_after_the_query_it_restores() -> None:
    """The field was emptied, its cursor at 0: the query came back in front of it, and
    the next letter typed went before the query (and the broken query into the history)."""
    history = QueryHistory(None)
    app = _app(history)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"oil", "enter", "escape", "u")
        assert app.filter_bar.input.cursor_position == len("oil")
        await pilot.press("slash", "Z", "enter")
        assert app.filter_bar.value == "oilZ"
        assert "Zoil" not in history.entries
