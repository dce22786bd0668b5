"""The menus a scraped page's text opens with: folded into one line in the reading
pane (z shows them), and passed over by the snippet's opening."""

from __future__ import annotations

import pytest

from tui.corpus.snippets import MENU_PARAGRAPHS, menus_before_text

from .app_helpers import make_app, reader_lines, settle

pytestmark = pytest.mark.usefixtures("in_repo")

SCRAPED = "tests/data/scraped"
PROSE = "The harbour ferry sailed again on Sunday morning after four months in dry dock."


@pytest.mark.parametrize(
    ("short", "folded"), [(MENU_PARAGRAPHS - 1, 0), (MENU_PARAGRAPHS, MENU_PARAGRAPHS), (20, 20)]
)
def test_a_run_of_short_paragraphs_before_prose_is_menus(short: int, folded: int) -> None:
    paragraphs = [f"Menu {number}" for number in range(short)] + [PROSE, "Short after."]
    assert menus_before_text(paragraphs) == folded


def test_no_paragraph_of_prose_folds_nothing() -> None:
    assert menus_before_text([f"Line {number}" for number in range(30)]) == 0


async def test_the_menus_are_folded_and_z_shows_and_folds_them() -> None:
    app = make_app([SCRAPED])
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        shown = reader_lines(app)
        assert any("short lines before the text" in line for line in shown)
        assert "Sports" not in shown and "Classifieds" not in shown
        assert any(line.startswith("The harbour ferry sailed") for line in shown)
        await pilot.press("z")
        shown = reader_lines(app)
        assert "Sports" in shown and "Classifieds" in shown
        assert not any("short lines before the text" in line for line in shown)
        await pilot.press("z")
        assert "Sports" not in reader_lines(app)


async def test_a_match_among_the_menus_shows_them() -> None:
    app = make_app([SCRAPED], query="classifieds")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert "Classifieds" in reader_lines(app)
        await pilot.press("n")
        assert app.reader.match_index == 0  # the match is there to go to


async def test_an_article_of_prose_folds_nothing() -> None:
    app = make_app()  # the seeds
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert not any("short lines before the text" in line for line in reader_lines(app))
