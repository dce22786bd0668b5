"""TERM=linux (the Linux console: a font of a few hundred glyphs, no emoji) gets pure
ASCII chrome (issue 15): borders, scrollbars, the timeline's bars, the key bar, the
help and the palette. Article text is the article's and is left as it is; here every
article is ASCII, so every character on screen must be."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.app import BroadsheetApp
from tui.corpus.state import ReadState
from tui.widgets import glyphs_for_terminal
from tui.widgets.export_dialog import FORMATS, SETS
from tui.widgets.glyphs import CONSOLE
from tui.widgets.picker import PickList

from .app_helpers import (
    hold_thread_searches,
    notifications,
    reader_lines,
    settle,
    wait_until,
)

SCENES = {
    "start": (),
    "article": ("enter",),
    "help": ("question_mark",),
    "palette": ("ctrl+p",),
    "filter": ("slash", *"news"),
    "export": ("x", "E"),
    "saved searches": ("apostrophe",),
    "best first": ("slash", *"trade talks", "enter", "o"),
    "related": ("R",),
    "facets": ("F",),
}


@pytest.fixture
def ascii_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "ascii"
    folder.mkdir()
    for number in range(40):
        year = 2000 + number % 20
        body = " ".join(["Plain ASCII news text about trade and talks."] * (20 + number))
        (folder / f"{number:03d}.txt").write_text(
            f"Date: {year}-0{1 + number % 9}-1{number % 9}\n\n{body}\n"
        )
    for number in range(5):
        (folder / f"y{number}.txt").write_text(
            f"Scraped note\n\nSo far in {2005 + number} the news was plain.\n"
        )
    return folder


def test_the_linux_console_gets_the_console_glyphs() -> None:
    assert glyphs_for_terminal("linux") is CONSOLE
    for value in vars(CONSOLE).values():
        assert str(value).isascii(), value


# Every scene at 80×24; the two layouts that differ most also at 120×36 (two panes).
CASES = [(scene, (80, 24)) for scene in SCENES] + [
    ("start", (120, 36)),
    ("export", (120, 36)),
]


@pytest.mark.parametrize(("scene", "size"), CASES, ids=[f"{s}-{w}x{h}" for s, (w, h) in CASES])
async def test_every_character_on_the_console_is_ascii(
    ascii_folder: Path, scene: str, size: tuple[int, int]
) -> None:
    app = BroadsheetApp(
        [str(ascii_folder)], state=ReadState.open(enabled=False), glyphs=CONSOLE, watch=False
    )
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        for key in SCENES[scene]:
            await pilot.press(key)
        await pilot.pause(0.3)
        strips = app.screen._compositor.render_strips()
        lines = ["".join(segment.text for segment in strip) for strip in strips]
    odd = sorted({char for line in lines for char in line if not char.isascii()})
    assert not odd, f"{scene}: {odd}\n" + "\n".join(lines)


async def test_the_search_threads_note_on_the_console_is_ascii(
    ascii_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = hold_thread_searches(monkeypatch)
    app = BroadsheetApp(
        [str(ascii_folder)], state=ReadState.open(enabled=False), glyphs=CONSOLE, watch=False
    )
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("slash", *"news")
            await pilot.pause(0.2)
            assert app.filter_bar.status.endswith("searching...")
    finally:
        gate.open.set()


async def test_the_export_dialog_on_the_console_marks_only_the_choices_picked(
    ascii_folder: Path,
) -> None:
    """``(*)`` for the choice picked in each set, ``( )`` for the others: RadioButton
    tells them apart by colour alone, and every one was drawn ``(*)``."""
    app = BroadsheetApp(
        [str(ascii_folder)], state=ReadState.open(enabled=False), glyphs=CONSOLE, watch=False
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("E", "tab", "down", "space")  # the format: CSV
        await pilot.pause(0.3)
        strips = app.screen._compositor.render_strips()
        lines = ["".join(segment.text for segment in strip) for strip in strips]
    picked = [line for line in lines if "(*)" in line]
    assert len(picked) == 2, "\n".join(lines)
    assert "the articles in the list" in picked[0] and "CSV" in picked[1]
    assert sum("( )" in line for line in lines) == len(SETS) + len(FORMATS) - 2


async def test_what_the_reader_cut_is_marked_in_ascii_on_the_console(tmp_path: Path) -> None:
    """A title cut when loaded ends with "..." on the console, not "…" (the reading
    pane drew "dialogue and…"), in the list, the reading pane and the related list;
    so do the years an undated article names past six."""
    sentence = (
        "Islamabad: Pakistan and Russia on Wednesday agreed to pursue robust dialogue"
        " and cooperation in the areas of trade, industry, energy and education."
    )
    years = " ".join(f"In {year} talks were held." for year in range(2001, 2010))
    (tmp_path / "long.txt").write_text(f"{sentence}\n\n{years}\n")
    (tmp_path / "other.txt").write_text(f"Date: 2024-01-01\n\nTalks on trade.\n\n{sentence}\n")
    app = BroadsheetApp(
        [str(tmp_path)], state=ReadState.open(enabled=False), glyphs=CONSOLE, watch=False
    )
    async with app.run_test(size=(140, 24)) as pilot:
        await settle(pilot)
        await pilot.press("end", "enter")
        await pilot.pause(0.3)
        lines = reader_lines(app)
        assert lines[2] == "robust dialogue and...", lines
        assert any("2004...)" in line for line in lines), lines
        screens = [app.screen._compositor.render_strips()]
        await pilot.press("R")
        for _ in range(100):
            await pilot.pause(0.05)
            if isinstance(app.screen, PickList):
                break
        assert isinstance(app.screen, PickList)
        await pilot.pause(0.2)
        screens.append(app.screen._compositor.render_strips())
    shown = ["".join(segment.text for segment in strip) for strips in screens for strip in strips]
    odd = sorted({char for line in shown for char in line if not char.isascii()})
    assert not odd, f"{odd}\n" + "\n".join(shown)


async def test_the_notes_about_the_query_on_the_console_are_ascii(ascii_folder: Path) -> None:
    """No match said “zzz”, a bad query began with ✗ and esc said "Filter cleared —"."""
    from textual.widgets import Label

    app = BroadsheetApp(
        [str(ascii_folder)], state=ReadState.open(enabled=False), glyphs=CONSOLE, watch=False
    )
    said = notifications(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"zzzqq", "enter")
        await wait_until(pilot, lambda: app.article_list.notice.startswith("No articles"))
        await pilot.pause()
        shown = ["".join(s.text for s in strip) for strip in app.screen._compositor.render_strips()]
        assert any('No articles match "zzzqq"' in line for line in shown), shown
        await pilot.press("escape")
        assert said[-1] == "Filter cleared - u to restore"
        await settle(pilot)  # the cleared query's answer shows no error: let it come first
        app.filter_bar.show_error("date:2024-13 at column 1: not a date")
        await pilot.pause()
        error = app.filter_bar.query_one("#filter-error", Label).render()
        assert str(error).startswith("! ")
        shown += [str(error), *said]
    odd = sorted({char for line in shown for char in line if not char.isascii()})
    assert not odd, f"{odd}\n" + "\n".join(shown)
