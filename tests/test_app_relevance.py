"""Best first, snippets, related articles and facets in the reader (issue 15, items 3-5):
o, c, R and F, and their palette commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import OptionList

from tui.app import BroadsheetApp
from tui.corpus.settings import SETTINGS_FILENAME, Settings
from tui.corpus.state import ReadState
from tui.widgets.picker import PickList

from .app_helpers import SEEDS, make_app, notifications, settle

pytestmark = pytest.mark.usefixtures("in_repo")


async def ranked(pilot, app: BroadsheetApp) -> None:
    """Wait until a best-first list has every article ranked (the seeds' store is
    filled for relevance just after the load)."""
    screen = app.reader_screen
    for _ in range(100):
        await pilot.pause(0.05)
        if not screen._filling_relevance and (
            screen.ranking is None or not screen.ranking.unranked
        ):
            return


async def picking(pilot, app: BroadsheetApp) -> None:  # type: ignore[no-untyped-def]
    """Wait until a worker's answer (related articles, facets) is up as a list."""
    for _ in range(100):
        await pilot.pause(0.05)
        if isinstance(app.screen, PickList):
            return


async def test_o_orders_a_query_s_matches_best_first_and_back() -> None:
    app = make_app(query="pakistan russia")
    said = notifications(app)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = app.reader_screen
        by_date = list(app.article_list.rows)
        await pilot.press("o")
        await ranked(pilot, app)
        ranking = screen.ranking
        assert ranking is not None and ranking.unranked == 0
        rows = app.article_list.rows
        assert sorted(rows) == sorted(by_date)
        scores = [ranking.scores[serial] for serial in rows]
        assert scores == sorted(scores, reverse=True)
        assert app.article_list.cursor == 0  # the best match
        assert "best first" in app.filter_bar.status
        assert app.article_list.row_lines == 2  # a snippet under each title
        assert any("Best first" in message for message in said)
        await pilot.press("o")
        await pilot.pause()
        assert screen.ranking is None and app.article_list.rows == by_date
        assert app.article_list.row_lines == 1


async def test_o_without_words_to_rank_by_says_so_and_keeps_the_date_order() -> None:
    app = make_app(query="date:2024")
    said = notifications(app)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        rows = list(app.article_list.rows)
        await pilot.press("o")
        await pilot.pause()
        assert app.reader_screen.ranking is None and app.article_list.rows == rows
        assert any("words to rank by" in message for message in said)


async def test_c_shows_and_hides_snippets_that_hold_the_query_s_words() -> None:
    app = make_app(query="putin")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        article_list = app.article_list
        assert article_list.row_lines == 1
        await pilot.press("c")
        await pilot.pause()
        assert article_list.row_lines == 2
        assert article_list.virtual_size.height == 2 * len(article_list.rows)
        second_line = article_list.render_line(1).text
        assert "Putin" in second_line
        # Moving keeps the cursor's row whole on screen, its two lines.
        for _ in range(len(article_list.rows)):
            await pilot.press("j")
        assert article_list.cursor == len(article_list.rows) - 1
        await pilot.press("c")
        await pilot.pause()
        assert article_list.row_lines == 1
        assert article_list.virtual_size.height == len(article_list.rows)


async def test_r_lists_related_articles_and_enter_opens_one() -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        first = app.article_list.current_serial
        await pilot.press("R")
        await picking(pilot, app)
        picker = app.screen
        assert isinstance(picker, PickList) and picker.title_text.startswith("Related articles")
        assert picker.lines and len(picker.lines) <= 20
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, PickList)
        screen = app.reader_screen
        assert screen.reading and screen.shown_serial not in (None, first)
        await pilot.press("escape")
        await pilot.pause(0.3)
        await pilot.press("R")
        await picking(pilot, app)
        await pilot.press("escape")  # esc returns, nothing opened
        await pilot.pause()
        assert not isinstance(app.screen, PickList)


async def test_f_counts_facets_off_the_ui_thread_and_enter_narrows_the_query() -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("F")
        await picking(pilot, app)
        picker = app.screen
        assert isinstance(picker, PickList) and picker.title_text == "Facets"
        shown = [line.plain for line in picker.lines]
        putin = next(n for n, line in enumerate(shown) if "Vladimir Putin" in line)
        assert shown[putin].split()[1] == "3"  # name, count, label: in three seeds
        for _ in range(putin):
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        assert app.filter_bar.value == '"Vladimir Putin"'
        assert len(app.article_list.rows) == 3
        # Counted again for the list now shown: at most its three articles.
        await pilot.press("F")
        await picking(pilot, app)
        assert all(int(line.plain.split()[1]) <= 3 for line in app.screen.lines)  # type: ignore[attr-defined]


async def test_j_and_k_move_in_the_facets_and_typing_goes_after_the_one_added() -> None:
    """j, k, g and G move in the list as in the article list (OptionList knew only
    the arrows: j j enter picked the first line). The facet added to the query puts
    the field's cursor at the end: what is typed next was put before the facet."""
    app = make_app(query="pakistan")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("F")
        await picking(pilot, app)
        picker = app.screen
        assert isinstance(picker, PickList) and len(picker.lines) > 3
        options = picker.query_one("#pick-list", OptionList)
        await pilot.press("j", "j", "j", "k")
        assert options.highlighted == 2
        await pilot.press("G")
        assert options.highlighted == len(picker.lines) - 1
        await pilot.press("g", "j")
        assert options.highlighted == 1
        term = picker.lines[1].plain.split(None, 2)[2]
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, PickList)
        value = app.filter_bar.value
        assert value.startswith("pakistan ") and term in value
        assert app.filter_bar.input.cursor_position == len(value)
        await pilot.press("slash", "x")
        assert app.filter_bar.value == value + "x"


async def test_j_and_k_move_in_the_related_articles() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await picking(pilot, app)
        picker = app.screen
        assert isinstance(picker, PickList) and len(picker.lines) >= 2
        options = picker.query_one("#pick-list", OptionList)
        await pilot.press("j")
        assert options.highlighted == 1
        await pilot.press("k")
        assert options.highlighted == 0


async def test_the_palette_has_order_snippets_related_and_facets() -> None:
    app = make_app(query="pakistan")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        for title in ("Order: best first / by date", "Snippets", "Related articles", "Facets"):
            assert title in commands
        commands["Order: best first / by date"].callback()
        await ranked(pilot, app)
        assert app.reader_screen.ranking is not None


async def test_the_order_is_kept_between_runs(tmp_path: Path) -> None:
    path = str(tmp_path / SETTINGS_FILENAME)
    first = make_app([SEEDS], settings=Settings(path), watch=False)
    async with first.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await pilot.pause()
    assert json.loads(Path(path).read_text())["order"] == "relevance"
    settings = Settings(path)
    settings.load()
    assert settings.relevance
    second = BroadsheetApp(
        [SEEDS],
        state=ReadState.open(enabled=False),
        settings=settings,
        query="pakistan",
        relevance=settings.relevance,
        watch=False,
    )
    async with second.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await ranked(pilot, second)
        # Ranked from the start, the relevance table filled for it as it was needed.
        ranking = second.reader_screen.ranking
        assert ranking is not None and ranking.unranked == 0


async def test_facets_of_one_article_say_one_article(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text(
        "Title: Talks\nAuthor: Jane Smith\nDate: 2024-01-01\n\nVladimir Putin met Jane Smith.\n"
    )
    app = make_app([str(tmp_path)])
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("F")
        await picking(pilot, app)
        picker = app.screen
        assert isinstance(picker, PickList) and picker.note.startswith("In 1 article;")


async def test_a_wrapped_related_title_goes_on_under_the_titles() -> None:
    """At 80 columns a long title's second line began at the box's edge, under the
    dates, instead of under the titles (and so, in the help, under the keys)."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await picking(pilot, app)
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        lines = [options.render_line(y).text for y in range(options.size.height)]
        wrapped = [line for line in lines if line.strip() and not line[:4].strip().isdigit()]
        wrapped = [line for line in wrapped if not line.startswith("c. ")]
        assert wrapped, lines
        assert all(line.startswith(" " * 19) and line[19] != " " for line in wrapped), lines
        await pilot.press("escape", "question_mark", "G")
        await pilot.pause()
        strips = app.screen._compositor.render_strips()
        shown = ["".join(segment.text for segment in strip) for strip in strips]
        first = next(n for n, line in enumerate(shown) if "a word starting with it" in line)
        # The query syntax's descriptions: a second line starts under the first.
        column = shown[first].index("a word starting")
        assert shown[first + 1][column - 2 : column] == "  ", shown
        assert shown[first + 1][column:].startswith("accents aside"), shown
