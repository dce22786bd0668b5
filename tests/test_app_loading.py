"""Progressive loading in the app: rows stream in before the load ends, and the end is
complete and in order. Functional only: nothing here is timed."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

import tui.background as background_module
import tui.screen as screen_module
from bench.make_corpus import make_corpus
from tui.app import REST_SECONDS, BroadsheetApp
from tui.corpus.foreground import Foreground
from tui.corpus.loader import LoadBatch
from tui.corpus.query import parse_query
from tui.corpus.state import ReadState

COUNT = 2000


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("progressive")
    make_corpus(COUNT, str(root), seed=11)
    return root


@pytest.fixture
def spied_batches(monkeypatch: pytest.MonkeyPatch) -> list[LoadBatch]:
    """The batches the app's loader gets; the pool waits to start, so that it (not this
    process, which would otherwise parse 2000 files before it is up) parses most."""
    seen: list[LoadBatch] = []
    real = background_module.load_batches

    def spy(*args: object, **kwargs: object) -> Iterator[LoadBatch]:
        kwargs.setdefault("parse_while_starting", False)
        for batch in real(*args, **kwargs):  # type: ignore[arg-type]
            seen.append(batch)
            yield batch

    monkeypatch.setattr(background_module, "load_batches", spy)
    return seen


async def _rows_to_move_over(app: BroadsheetApp, count: int) -> None:
    """Wait for *count* rows (or the load's end): a first batch may hold one article,
    and a "j" on one row moves nothing, so the cursor would rightly stay on the top row
    rather than on the article it was on when the key came."""
    while len(app.article_list.rows) < count and not app.loaded.is_set():
        await asyncio.sleep(0.001)


@pytest.mark.heavy
async def test_rows_stream_in_then_complete_and_in_order(
    corpus_dir: Path, spied_batches: list[LoadBatch]
) -> None:
    app = BroadsheetApp([str(corpus_dir)], state=ReadState.open(enabled=False))
    shown: list[tuple[bool, int]] = []
    async with app.run_test(size=(120, 36)) as pilot:
        article_list = app.article_list
        real_set_rows = article_list.set_rows

        def recording_set_rows(rows: list[int], *args: object, **kwargs: object) -> None:
            shown.append((app.loading, len(rows)))
            real_set_rows(rows, *args, **kwargs)  # type: ignore[arg-type]

        article_list.set_rows = recording_set_rows  # type: ignore[method-assign]
        await asyncio.wait_for(app.loaded.wait(), timeout=120)
        await pilot.pause()
        partial = [count for loading, count in shown if loading and count]
        assert partial and partial[0] < COUNT, shown  # rows before the load ended
        assert partial == sorted(partial)  # only ever more rows
        assert not app.loading
        assert article_list.rows == app.corpus.serials("newest")
        assert len(article_list.rows) == len(app.corpus) == COUNT
        assert app.files_read == COUNT and not app.skipped
        newest = [app.corpus.by_serial[serial] for serial in article_list.rows]
        dated = [a.date.sort_key for a in newest if a.date is not None]
        assert dated == sorted(dated, reverse=True)
        assert len(app.index) == COUNT and app.index.staged == 0  # all in FTS5
    assert any(batch.workers for batch in spied_batches), "the process pool never parsed"


@pytest.mark.heavy
@pytest.mark.parametrize("text", ["minister -trade", "minister"])
async def test_cursor_and_filter_while_loading(corpus_dir: Path, text: str) -> None:
    """Keys work while loading and the cursor stays on its article as rows arrive; a
    query set before the load ends (so some articles are only staged in the index and
    scanned) ends up with exactly the matching articles: a query of clauses, and one
    word (whose answer, once nothing is staged, is the index's shared frozenset)."""
    app = BroadsheetApp([str(corpus_dir)], state=ReadState.open(enabled=False), query=text)
    async with app.run_test(size=(120, 36)) as pilot:
        await _rows_to_move_over(app, 3)
        await pilot.press("j", "j")
        kept = app.article_list.current_serial
        await asyncio.wait_for(app.loaded.wait(), timeout=120)
        await pilot.pause()
        assert kept is not None and app.article_list.current_serial == kept
        query = parse_query(text)
        by_serial = app.corpus.by_serial
        expected = [s for s in app.corpus.serials("newest") if query.matches(by_serial[s])]
        assert expected and app.article_list.rows == expected


@pytest.mark.heavy
async def test_a_key_while_loading_holds_the_loader_until_its_frame(corpus_dir: Path) -> None:
    """The loading threads stand aside from a key until the screen has drawn it; the
    screen's hook that says so is Textual-private, so this also guards an upgrade. Once
    loaded, a key holds nothing back, but the relevance table's filling waits for a rest."""
    calls: list[str] = []

    class Recording(Foreground):
        __slots__ = ()

        def busy(self, seconds: float) -> None:
            calls.append("busy")
            super().busy(seconds)

        def idle(self, after: float = 0.0) -> None:
            calls.append("idle")
            super().idle(after)

    app = BroadsheetApp([str(corpus_dir)], state=ReadState.open(enabled=False))
    app.foreground = Recording()
    async with app.run_test(size=(120, 36)) as pilot:
        while not app.article_list.rows:
            await asyncio.sleep(0.001)
        assert app.loading
        await pilot.press("j")
        await pilot.pause()
        assert "busy" in calls and "idle" in calls[calls.index("busy") :]
        await asyncio.wait_for(app.loaded.wait(), timeout=120)
        calls.clear()
        while app.foreground.rest_left(REST_SECONDS) > 0:  # the keys have rested
            await asyncio.sleep(0.05)
        await pilot.press("j")
        await pilot.pause()
        assert "busy" not in calls  # loaded: nothing to hold back
        # … but a key still starts a rest that the relevance table's filling waits for.
        assert app.foreground.rest_left(REST_SECONDS) > REST_SECONDS / 2


@pytest.mark.heavy
async def test_batches_wait_while_the_user_is_active(
    corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While keys come, the rows do not change under the cursor; the header still
    counts, and the last batch shows everything."""
    monkeypatch.setattr(screen_module, "BATCH_REST", 3600.0)  # "active" for the whole load
    app = BroadsheetApp([str(corpus_dir)], state=ReadState.open(enabled=False))
    async with app.run_test(size=(120, 36)) as pilot:
        await _rows_to_move_over(app, 2)
        await pilot.press("j")
        rows = app.article_list.rows
        kept = app.article_list.current_serial
        while app.loading and app.files_read < COUNT:
            assert app.article_list.rows is rows
            await asyncio.sleep(0.01)
        await asyncio.wait_for(app.loaded.wait(), timeout=120)
        await pilot.pause()
        assert app.article_list.rows == app.corpus.serials("newest")
        assert len(app.article_list.rows) == COUNT
        assert app.article_list.current_serial == kept
        assert f"{COUNT:,} articles" in app.query_one("#header").summary  # type: ignore[attr-defined]
