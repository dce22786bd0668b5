"""The header keeps what it says last in sight: the app's name goes first, then the
collection's is cut, then the span of dates goes, when the line is too wide (80
columns while loading)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.app import App, ComposeResult

from tui.app import BroadsheetApp
from tui.corpus.state import ReadState
from tui.widgets import HeaderBar
from tui.widgets.header_bar import NAME_AT_LEAST

LOADING = ["loading… 49,043 files read"]


class _Holder(App[None]):
    def compose(self) -> ComposeResult:
        yield HeaderBar(ellipsis="…", separator="·", id="header")


async def _shown(width: int, collection: str, span: str, states: list[str]) -> tuple[str, str]:
    """(the line shown at *width* columns, the summary said)."""
    app = _Holder()
    async with app.run_test(size=(width, 3)) as pilot:
        header = app.query_one(HeaderBar)
        header.show(collection, "2,000 articles", span, states)
        await pilot.pause()
        return header.render().plain, header.summary


async def test_a_line_that_fits_is_shown_whole() -> None:
    shown, summary = await _shown(80, "news", "2005-01 – 2026-12", [])
    assert shown == "Broadsheet  news · 2,000 articles · 2005-01 – 2026-12"
    assert summary == "news · 2,000 articles · 2005-01 – 2026-12"


async def test_too_wide_the_apps_name_goes_first() -> None:
    shown, summary = await _shown(80, "news", "2025-06-26 – 2025-12-28", ["12 new, 2 removed"])
    assert shown == summary == "news · 2,000 articles · 2025-06-26 – 2025-12-28 · 12 new, 2 removed"


@pytest.mark.parametrize("collection", ["scraped-2024-news-archive-from-feeds", "新闻档案" * 8])
async def test_then_the_collections_name_is_cut_and_the_state_stays(collection: str) -> None:
    after = " · 2,000 articles · 2005-01 – 2026-12-02 · 1 new"
    shown, _ = await _shown(80, collection, "2005-01 – 2026-12-02", ["1 new"])
    assert shown.endswith(after)
    # The content width at 80 columns: 78 cells, or 77 when a wide character would
    # have to be cut in half.
    assert 77 <= cell_len(shown) <= 78
    cut = shown[: -len(after)]
    assert cut.endswith("…") and collection.startswith(cut[:-1])


async def test_then_the_span_goes_rather_than_the_name_be_cut_shorter() -> None:
    shown, summary = await _shown(80, "news-archive-2025", "2025-06-26 – 2025-12-28", LOADING)
    assert "2025-06-26" in summary
    assert shown == "news-archive-2025 · 2,000 articles · loading… 49,043 files read"


async def test_the_name_keeps_a_few_cells_however_narrow() -> None:
    shown, _ = await _shown(40, "a-long-collection-name", "2005 – 2026", LOADING)
    assert shown.startswith("a-long-coll… · 2,000 articles · loading…")
    assert cell_len(shown[: shown.index(" · ")]) == NAME_AT_LEAST


async def test_one_article_of_one_day_is_said_so(tmp_path: Path) -> None:
    (tmp_path / "only.txt").write_text(
        "Date: 2024-01-02\n\nThe one article of this folder.\n", encoding="utf-8"
    )
    app = BroadsheetApp([str(tmp_path)], state=ReadState.open(enabled=False), watch=False)
    async with app.run_test(size=(120, 36)):
        await asyncio.wait_for(app.loaded.wait(), 30)
        summary = app.query_one(HeaderBar).summary
        assert summary == f"{tmp_path.name} · 1 article · 2024-01-02"  # not "… – 2024-01-02"
        app.reader_screen.corpus_loading = True  # as the first batch leaves it
        app.reader_screen.files_read = 1
        app.reader_screen.update_header()
        assert app.query_one(HeaderBar).summary.endswith("loading… 1 file read")
