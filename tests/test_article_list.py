"""The article list on its own: where the cursor sits and which lines repaint when
rows change under it, and how far a step past the edge scrolls."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.geometry import Region

from tui.corpus import load_corpus
from tui.widgets import ArticleList

HEIGHT = 12
"""Lines the list shows in the test app (no scrollbar row: it only scrolls vertically)."""


class ListApp(App[None]):
    CSS = "ArticleList { height: 12; }"

    def __init__(self, serials: int) -> None:
        super().__init__()
        seeds = load_corpus(["seeds"]).by_serial
        # Any article will do for a row: serial n shows seed n mod 5.
        self.articles = [seeds[serial % len(seeds)] for serial in range(serials)]
        self.highlighted: list[int | None] = []
        self.repainted: list[Region | None] = []

    def compose(self) -> ComposeResult:
        yield ArticleList(on_highlight=self.highlighted.append, on_select=lambda _: None)

    def on_mount(self) -> None:
        article_list = self.query_one(ArticleList)
        article_list.articles = self.articles
        article_list.focus()
        real_refresh = article_list.refresh

        def recording_refresh(*regions: Region, **kwargs: bool) -> ArticleList:
            self.repainted.extend(regions or [None])  # None: the whole list
            return real_refresh(*regions, **kwargs)

        article_list.refresh = recording_refresh  # type: ignore[method-assign]


def screen_row(article_list: ArticleList) -> int:
    return article_list.cursor - round(article_list.scroll_offset.y)


async def test_rows_arriving_keep_the_cursor_on_its_article_and_its_line() -> None:
    app = ListApp(300)
    async with app.run_test(size=(80, 20)) as pilot:
        article_list = app.query_one(ArticleList)
        article_list.set_rows(list(range(100, 200)))
        await pilot.pause()
        for _ in range(30):
            await pilot.press("down")
        await pilot.pause()
        serial, line = article_list.current_serial, screen_row(article_list)
        assert serial == 130 and 0 < line < HEIGHT - 1
        # New rows above the cursor (newer articles) and below it.
        article_list.set_rows([*range(0, 40), *range(100, 200), *range(200, 300)], keep=serial)
        await pilot.pause()
        assert article_list.current_serial == serial
        assert screen_row(article_list) == line


async def test_only_lines_that_change_are_repainted() -> None:
    app = ListApp(300)
    async with app.run_test(size=(80, 20)) as pilot:
        article_list = app.query_one(ArticleList)
        rows = list(range(100, 200))
        article_list.set_rows(rows)
        for _ in range(5):
            await pilot.press("down")
        await pilot.pause()
        serial = article_list.current_serial
        # Rows arriving below the visible ones: nothing on screen changes.
        app.repainted.clear()
        article_list.set_rows([*rows, *range(200, 300)], keep=serial)
        assert app.repainted == []
        # One row arriving between visible ones: that line and those below it move.
        app.repainted.clear()
        rows = article_list.rows
        article_list.set_rows([*rows[:8], 0, *rows[8:]], keep=serial)
        assert app.repainted and None not in app.repainted
        assert {region.y for region in app.repainted if region} == set(range(8, HEIGHT))


async def test_a_step_past_the_edge_scrolls_half_a_page() -> None:
    app = ListApp(300)
    async with app.run_test(size=(80, 20)) as pilot:
        article_list = app.query_one(ArticleList)
        article_list.set_rows(list(range(300)))
        for _ in range(HEIGHT - 1):
            await pilot.press("down")
        await pilot.pause()
        assert screen_row(article_list) == HEIGHT - 1  # on the last line, not scrolled
        await pilot.press("down")
        await pilot.pause()
        assert screen_row(article_list) == HEIGHT // 2  # one step: the cursor mid-list
        top = round(article_list.scroll_offset.y)
        for _ in range(HEIGHT // 2 - 1):
            await pilot.press("down")
        assert round(article_list.scroll_offset.y) == top  # no scrolling in between
        await pilot.press("up", "up")
        await pilot.press("end")
        await pilot.pause()
        assert article_list.cursor == 299 and screen_row(article_list) == HEIGHT - 1
