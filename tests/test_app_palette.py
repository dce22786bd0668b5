"""The palette holds the reader's own commands, with their keys (issue 15, item 8);
the theme, sort and last query are kept between runs; Screenshot writes into the
current folder or says why not; ``.`` goes to the next unread article."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.app import PALETTE, BroadsheetApp
from tui.corpus.settings import SETTINGS_FILENAME, Settings
from tui.corpus.state import ReadState

from .app_helpers import SEEDS, make_app, settle

pytestmark = pytest.mark.usefixtures("in_repo")


def _said(app: BroadsheetApp) -> list[str]:
    said: list[str] = []
    real_notify = app.notify

    def notify(message: str, *args: object, **kwargs: object) -> None:
        said.append(message)
        real_notify(message, *args, **kwargs)  # type: ignore[arg-type]

    app.notify = notify  # type: ignore[method-assign]
    return said


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


async def test_screenshot_goes_to_the_current_folder_or_says_why_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    said = _said(app)
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
    first = BroadsheetApp(
        [SEEDS], state=ReadState.open(enabled=False), settings=Settings(path), watch=False
    )
    async with first.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        first.theme = "nord"
        await pilot.press("s", "slash", *"pakistan", "enter")
        await pilot.press("q")
    saved = json.loads(Path(path).read_text("utf-8"))
    assert saved == {"version": 1, "theme": "nord", "sort": "oldest", "query": "pakistan"}

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
    said = _said(app)
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
