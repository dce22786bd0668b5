"""Saved searches (issue 15, item 2): named queries in a hand-editable TOML file,
run with --query @name, listed in the reader (') with live counts, added from the
palette."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tui.app import BroadsheetApp
from tui.corpus.searches import SEARCHES_FILENAME, SavedSearches, toml_string
from tui.corpus.state import ReadState
from tui.widgets.searches import SaveSearchDialog, SearchSwitcher

from .app_helpers import SEEDS, settle
from .test_cli import run

pytestmark = pytest.mark.usefixtures("in_repo")


@pytest.mark.parametrize(
    "text", ["plain", 'a "quoted" \\ back', "tab\tand\nnewline", "ünïcödé 東京", "\x7f\x00"]
)
def test_toml_strings_read_back_exactly(text: str) -> None:
    assert tomllib.loads(f"x = {toml_string(text)}")["x"] == text


def test_saved_searches_are_kept_as_hand_editable_toml(tmp_path: Path) -> None:
    path = tmp_path / SEARCHES_FILENAME
    searches = SavedSearches(str(path))
    searches.save("pakistan", 'pakistan -"cricket team"')
    searches.save("talks in 2024", "talks date:2024")
    searches.save("pakistan", "pakistan")  # the same name replaces
    text = path.read_text("utf-8")
    assert text.startswith("# Broadsheet's saved searches")
    assert tomllib.loads(text)["searches"] == {
        "talks in 2024": "talks date:2024",
        "pakistan": "pakistan",
    }
    again = SavedSearches(str(path))
    again.load()
    assert again.queries == searches.queries
    assert again.resolve("@pakistan") == "pakistan" and again.resolve("putin") == "putin"
    with pytest.raises(KeyError):
        again.resolve("@nothing")
    with pytest.raises(ValueError):
        searches.save("bad\x1bname", "x")


def test_a_hand_edit_gone_wrong_is_warned_of_never_run(tmp_path: Path) -> None:
    path = tmp_path / SEARCHES_FILENAME
    path.write_text(
        '[searches]\nok = "putin"\nnumber = 7\n"esc" = "a\\u001b[2J"\n"" = "empty name"\n'
    )
    searches = SavedSearches(str(path))
    searches.load()
    assert searches.queries == {"ok": "putin"}
    assert len(searches.warnings) == 3
    path.write_text("[searches\nbroken")
    broken = SavedSearches(str(path))
    broken.load()
    assert broken.queries == {} and "not read" in broken.warnings[0]


def test_the_command_line_runs_a_saved_search(tmp_path: Path) -> None:
    state = tmp_path / "state"
    SavedSearches(str(state / SEARCHES_FILENAME)).save("putin", "putin")
    saved = run("--list", "--query", "@putin", state=state)
    direct = run("--list", "--query", "putin", state=state)
    assert saved.returncode == 0 and saved.stdout == direct.stdout and saved.stdout
    # No search of that name: the query is the handle @nobody, as the syntax says.
    unknown = run("--list", "--query", "@nobody", state=state)
    assert unknown.returncode == 0 and unknown.stdout == ""


async def test_the_reader_saves_lists_and_runs_them(tmp_path: Path) -> None:
    searches = SavedSearches(str(tmp_path / SEARCHES_FILENAME))
    searches.save("russia", "russia")
    app = BroadsheetApp(
        [SEEDS], state=ReadState.open(enabled=False), searches=searches, watch=False
    )
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"putin", "enter")
        putin_rows = list(app.article_list.rows)
        await app.run_action("save_search")
        await pilot.pause()
        assert isinstance(app.screen, SaveSearchDialog)
        await pilot.press(*"about putin", "enter")
        await pilot.pause()
        assert searches.queries == {"russia": "russia", "about putin": "putin"}
        await pilot.press("escape")  # clear the filter
        await pilot.press("apostrophe")
        await pilot.pause()
        assert isinstance(app.screen, SearchSwitcher)
        counts = {name: count for name, _, count in app.screen.searches}
        assert counts == {"russia": 5, "about putin": len(putin_rows)}
        await pilot.press("down", "enter")  # the second: about putin
        await pilot.pause()
        assert app.filter_bar.value == "putin"
        assert app.article_list.rows == putin_rows
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Search: russia", "Search: about putin", "Save search"} <= titles


async def test_j_and_k_move_in_the_saved_searches() -> None:
    """As in the article list: OptionList knew only the arrows (j j enter ran the first)."""
    searches = SavedSearches(None)
    for name in ("one", "two", "three"):
        searches.save(name, name)
    app = BroadsheetApp(
        [SEEDS], state=ReadState.open(enabled=False), searches=searches, watch=False
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("apostrophe")
        await pilot.pause()
        assert isinstance(app.screen, SearchSwitcher)
        await pilot.press("j", "j", "k", "j", "enter")
        await pilot.pause()
        assert app.filter_bar.value == "three"
