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

from .app_helpers import hold_thread_searches, settle

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
