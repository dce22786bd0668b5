"""The palette holds the reader's own commands, with their keys (issue 15, item 8);
the theme, sort and last query are kept between runs; Screenshot writes into the
current folder or says why not; ``.`` goes to the next unread article."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.app import LIST_PALETTE, PALETTE, READING_PALETTE, BroadsheetApp
from tui.corpus.settings import SETTINGS_FILENAME, Settings
from tui.corpus.state import ReadState

from .app_helpers import SEEDS, make_app, notifications, settle

pytestmark = pytest.mark.usefixtures("in_repo")


async def test_the_palette_finds_the_readers_commands_by_name() -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        for title, help_text, action in PALETTE:
            assert title in commands and commands[title].help == help_text
            assert hasattr(app, f"action_{action}"), action
            assert help_text.endswith(")")  # its key, as the help shows it
        sort = [t for t in commands if "sort" in t.lower()]
        assert sort == ["Sort newest / oldest first"]
        commands["Sort newest / oldest first"].callback()
        await pilot.pause()
        assert app.order == "oldest"


async def test_the_palette_offers_each_pane_s_own_keys_where_they_work() -> None:
    """]/[, n/N and z while reading, x in the list, ctrl+l anywhere: each runs in the
    pane whose key it is, and is offered only where that key works."""
    app = make_app(query="russia")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)

        async def run(title: str) -> None:
            commands = {c.title: c for c in app.get_system_commands(app.screen)}
            commands[title].callback()
            await pilot.pause()

        def titles() -> set[str]:
            return {c.title for c in app.get_system_commands(app.screen)}

        reading = {title for title, _, _ in READING_PALETTE}
        listing = {title for title, _, _ in LIST_PALETTE}
        assert listing <= titles() and not reading & titles()
        assert "Redraw the screen" in titles()
        first = app.article_list.current_serial
        await run("Select / unselect")
        assert app.reader_screen.selected == {first}
        assert app.article_list.cursor == 1  # on to the next, as x does
        await pilot.press("enter")
        assert reading <= titles() and not listing & titles()
        await run("Next article")
        assert app.reader_screen.shown_serial == app.article_list.rows[2]
        await run("Next match")
        assert app.reader.match_index == 0 and "match 1 of" in app.filter_bar.status
        await run("Previous match")
        assert app.reader.match_index == len(app.reader._matches) - 1
        await run("Previous article")
        assert app.reader_screen.shown_serial == app.article_list.rows[1]
        await run("Show / fold the menus")
        assert app.reader.menus_shown
        await run("Redraw the screen")
        assert app.reading
        for _, help_text, _ in (*READING_PALETTE, *LIST_PALETTE):
            assert help_text.endswith(")")  # its key, as the help shows it


async def test_screenshot_goes_to_the_current_folder_or_says_why_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    said = notifications(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        monkeypatch.chdir(tmp_path)
        app._save_screenshot_here()
        assert [p.suffix for p in tmp_path.iterdir()] == [".svg"]
        gone = tmp_path / "gone"
        gone.mkdir()
        monkeypatch.chdir(gone)
        gone.rmdir()  # the current folder was removed (a refusal that root meets too)
        app._save_screenshot_here()
        assert any("Cannot save a screenshot in the current folder" in m for m in said)


async def test_the_theme_sort_and_query_are_there_on_the_next_run(tmp_path: Path) -> None:
    path = str(tmp_path / SETTINGS_FILENAME)
    first = make_app([SEEDS], settings=Settings(path), watch=False)
    async with first.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        first.theme = "nord"
        await pilot.press("s", "slash", *"pakistan", "enter")
        await pilot.press("q")
    saved = json.loads(Path(path).read_text("utf-8"))
    assert saved == {
        "version": 1,
        "theme": "nord",
        "sort": "oldest",
        "order": "date",
        "query": "pakistan",
    }

    settings = Settings(path)
    settings.load()
    again = BroadsheetApp(
        [SEEDS],
        state=ReadState.open(enabled=False),
        settings=settings,
        query=settings.query or "",
        order=settings.sort or "newest",
        watch=False,
    )
    async with again.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert again.theme == "nord" and again.order == "oldest"
        assert again.filter_bar.value == "pakistan"
        await pilot.press("escape")  # esc in the list clears it
        assert again.filter_bar.value == ""


def test_hostile_settings_are_ignored_field_by_field(tmp_path: Path) -> None:
    path = tmp_path / SETTINGS_FILENAME
    path.write_text(
        json.dumps({"version": 1, "theme": "../../x\x1b", "sort": "sideways", "query": "a\x1b[2Jb"})
    )
    settings = Settings(str(path))
    settings.load()
    assert (settings.theme, settings.sort, settings.query) == (None, None, None)
    path.write_text(json.dumps({"version": 1, "theme": "gruvbox", "sort": "oldest"}))
    settings = Settings(str(path))
    settings.load()
    assert (settings.theme, settings.sort, settings.query) == ("gruvbox", "oldest", None)
    path.write_text("[")
    settings = Settings(str(path))
    settings.load()
    assert settings.warnings and settings.theme is None


async def test_full_stop_goes_to_the_next_unread_article() -> None:
    state = ReadState.open(enabled=False)
    app = BroadsheetApp([SEEDS], state=state, watch=False)
    said = notifications(app)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        rows = list(app.article_list.rows)
        for serial in rows[1:3]:
            state.set_read(app.corpus.by_serial[serial].key, True)
        await pilot.press("full_stop")
        assert app.article_list.cursor == 3  # past the two read
        for serial in rows:
            state.set_read(app.corpus.by_serial[serial].key, True)
        await pilot.press("full_stop")
        assert app.article_list.cursor == 3
        assert "No unread article in the list" in said


async def test_an_article_opens_where_it_was_left_in_this_run_and_the_next(
    tmp_path: Path,
) -> None:
    """Where an article was left is its top block (paragraph), so the place is the
    same one at another width, even in a pane hidden until Enter (one at a time)."""
    from tui.corpus.settings import POSITIONS_FILENAME, ReadingPositions

    path = str(tmp_path / POSITIONS_FILENAME)
    app = BroadsheetApp(
        [SEEDS],
        state=ReadState.open(enabled=False),
        positions=ReadingPositions(path),
        watch=False,
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "pagedown", "pagedown")
        left_at = app.reader.top_block()
        first = app.reader.article
        assert left_at > 0 and first is not None
        await pilot.press("right_square_bracket")  # the next article, from its top
        assert app.reader.article is not first
        assert round(app.reader.scroll_offset.y) == 0
        await pilot.press("left_square_bracket")  # back: where it was left
        await pilot.pause()
        assert app.reader.article is first
        assert app.reader.top_block() == left_at
        await pilot.press("q")
    saved = json.loads(Path(path).read_text("utf-8"))
    assert saved["positions"] == {first.key: left_at}

    for size in [(80, 24), (120, 36)]:  # the next run, at either width
        again = ReadingPositions(path)
        again.load()
        app = BroadsheetApp(
            [SEEDS], state=ReadState.open(enabled=False), positions=again, watch=False
        )
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await pilot.press("enter")
            await pilot.pause()
            assert app.reader.article is not None and app.reader.article.key == first.key
            reader = app.reader
            # At the top, or as near as the article's end allows on a tall screen.
            at_end = round(reader.scroll_offset.y) == reader.max_scroll_y > 0
            assert reader.top_block() == left_at or (at_end and reader.top_block() < left_at)


def test_hostile_positions_are_dropped(tmp_path: Path) -> None:
    from tui.corpus.settings import POSITIONS_FILENAME, ReadingPositions

    path = tmp_path / POSITIONS_FILENAME
    good = "0123456789abcdef0123456789abcdef"
    path.write_text(
        json.dumps(
            {
                "version": 1,
                "positions": {good: 12, "../x": 3, "f" * 32: -4, "e" * 32: "7", "d" * 32: True},
            }
        )
    )
    positions = ReadingPositions(str(path))
    positions.load()
    assert positions.blocks == {good: 12}


async def test_mark_all_in_the_list_read_and_undo_it() -> None:
    """A bulk change is undoable: the palette marks every article in the list read,
    and its undo unreads exactly those (one read before stays read)."""
    state = ReadState.open(enabled=False)
    app = BroadsheetApp([SEEDS], state=state, watch=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"pakistan", "enter")
        shown = [app.corpus.by_serial[s].key for s in app.article_list.rows]
        others = [a.key for a in app.corpus.by_serial if a.key not in shown]
        state.set_read(shown[0], True)  # read already
        await app.run_action("mark_all_read")
        assert all(state.is_read(key) for key in shown)
        assert not any(state.is_read(key) for key in others)
        await app.run_action("undo_mark_all_read")
        assert state.is_read(shown[0])
        assert not any(state.is_read(key) for key in shown[1:])
