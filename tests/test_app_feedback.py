"""A key that changes nothing, or changes something out of sight, says so (issue 15):
``]`` on the last article, ``n`` with no match, ``m`` and ``f``."""

from __future__ import annotations

import pytest

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


async def test_marks_say_what_they_did() -> None:
    app = make_app()
    said = notifications(app)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("m", "m", "f", "f")
        assert said[-4:] == ["Marked read", "Marked unread", "Flagged", "Flag removed"]
