"""A key that changes nothing, or changes something out of sight, says so (issue 15):
``]`` on the last article, ``n`` with no match, ``m`` and ``f``."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from textual.widgets import Label

from .app_helpers import make_app, notifications, settle

pytestmark = pytest.mark.usefixtures("in_repo")


async def test_next_article_at_the_end_of_the_list_says_so() -> None:
    app = make_app()
    said = notifications(app)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("G", "enter")
        last = app.reader.article
        await pilot.press("right_square_bracket")
        assert app.reader.article is last
        assert "This is the last article in the list" in said
        await pilot.press("escape", "g", "enter", "left_square_bracket")
        assert "This is the first article in the list" in said


async def test_n_without_a_match_says_why() -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "n")
        await pilot.pause()
        assert "no filter" in app.filter_bar.status


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_n_says_why_in_words_that_fit_the_status(size: tuple[int, int]) -> None:
    """A query of no words (is:unread) has nothing to find: it is not "no match in
    this article". Each note fits the status whole (it was cut mid-phrase)."""
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        status = app.filter_bar.query_one("#filter-status", Label)
        for query, said in (
            ("", "no filter"),
            ("is:unread", "no word to find"),
            ("-zzzz", "no word to find"),
            ("-zzzz OR qqqq", "no match here"),
        ):
            app.filter_bar.value = query
            await pilot.pause()
            await pilot.press("g", "enter", "n")
            await pilot.pause()
            assert app.filter_bar.status.endswith(f" {said}"), query
            assert cell_len(app.filter_bar.status) <= status.content_region.width
            await pilot.press("escape")
            await pilot.pause(0.3)


async def test_marks_say_what_they_did() -> None:
    app = make_app()
    said = notifications(app)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("m", "m", "f", "f")
        assert said[-4:] == ["Marked read", "Marked unread", "Flagged", "Flag removed"]
