"""The reader with its store: a second launch shows what a first one read, reads no
file, then takes in what changed in the folder meanwhile."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

import tui.corpus.model as model_module
from tui.app import BroadsheetApp
from tui.corpus.query import parse_query
from tui.corpus.state import ReadState

from .app_helpers import loaded_and_checked, notifications, wait_until
from .conftest import OLD_MTIME as OLD


async def _launch(folder: Path) -> tuple[list[str], bool, list[str], list[str]]:
    """(ids in list order, reopened, ids matching "pakistan", ids after the check)."""
    app = BroadsheetApp([str(folder)], state=ReadState.open(enabled=False), watch=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded_and_checked(app, pilot)
        rows = [app.corpus.by_serial[s].id for s in app.article_list.rows]
        assert app.index is not None
        found = app.index.search(parse_query("pakistan"), app.state) or set()
        matches = sorted(app.corpus.by_serial[s].id for s in found if s not in app.corpus.removed)
        reopened = app.reopened
        titles = [app.corpus.by_serial[s].title for s in app.article_list.rows]
        await pilot.press("q")
    return rows, reopened, matches, titles


async def test_second_launch_reads_the_store_and_no_file(
    collection: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, reopened, matches, _ = await _launch(collection)
    assert not reopened and len(first) == 5
    read: list[str] = []
    real = model_module.read_article

    def counting(path: str) -> object:
        read.append(path)
        return real(path)

    monkeypatch.setattr(model_module, "read_article", counting)
    monkeypatch.setattr("tui.corpus.watch.read_article", counting)
    second, reopened, matches_again, _ = await _launch(collection)
    assert reopened
    assert second == first and matches_again == matches
    assert read == []  # nothing changed: not one file read


async def test_changes_made_while_closed_come_in_after_a_reopen(collection: Path) -> None:
    await _launch(collection)
    added = collection / "zebra.txt"
    added.write_text("Title: Zebras of Pakistan\nDate: 2025-03-04\n\nZebras.\n", encoding="utf-8")
    os.utime(added, (OLD, OLD + 1))
    sorted(collection.glob("001_*"))[0].unlink()
    rows, reopened, matches, titles = await _launch(collection)
    assert reopened
    assert len(rows) == 5 and titles[0] == "Zebras of Pakistan"
    assert len(matches) == 4
    # And the store took them in: the next launch shows the same without the check.
    again, _, matches_again, _ = await _launch(collection)
    assert again == rows and matches_again == matches


async def test_no_cache_keeps_no_store(collection: Path) -> None:
    app = BroadsheetApp(
        [str(collection)], state=ReadState.open(enabled=False), watch=False, store=False
    )
    async with app.run_test(size=(100, 30)):
        await asyncio.wait_for(app.loaded.wait(), 30)
        await app.workers.wait_for_complete()
        assert app.store is None
    cache = Path(os.environ["BROADSHEET_CACHE_DIR"])
    assert not list(cache.rglob("*.sqlite3"))


async def test_quit_waits_for_the_first_store_and_a_second_q_does_not(
    collection: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    import tui.corpus.session as session_module

    release = threading.Event()
    real = session_module.write_snapshot

    def slow_snapshot(*args: object, **kwargs: object) -> None:
        release.wait(10)
        real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(session_module, "write_snapshot", slow_snapshot)
    app = BroadsheetApp([str(collection)], state=ReadState.open(enabled=False), watch=False)
    said = notifications(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await asyncio.wait_for(app.loaded.wait(), 30)
        await pilot.press("q")
        await pilot.pause()
        assert app.is_running  # waits for the store
        assert any("Writing the store" in message for message in said)
        release.set()
        for _ in range(100):
            if not app.is_running:
                break
            await asyncio.sleep(0.05)
        assert not app.is_running  # quit once it was written
    store, _ = session_module.open_store([str(collection)], infer=True)
    assert store is not None and store.complete
    store.close()

    release.clear()
    other = collection.parent / "other"
    other.mkdir()
    (other / "a.txt").write_text("Title: A\nDate: 2024-01-02\n\nText.\n", encoding="utf-8")
    app = BroadsheetApp([str(other)], state=ReadState.open(enabled=False), watch=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await asyncio.wait_for(app.loaded.wait(), 30)
        await pilot.press("q")
        await pilot.pause()
        assert app.is_running
        await pilot.press("q")  # quit now, without the store
        await pilot.pause()
        assert not app.is_running
    release.set()


def test_a_batch_that_only_counts_files_gives_way_to_the_next() -> None:
    from tui.messages import CorpusBatch

    counting = CorpusBatch([], [], 10, False)
    with_rows = CorpusBatch([1, 2], [], 20, False)
    assert counting.can_replace(with_rows)
    assert not with_rows.can_replace(CorpusBatch([], [], 30, False))
    assert not CorpusBatch([], [], 30, True).can_replace(counting)


async def test_a_first_launch_with_a_head_start_writes_the_store_too(collection: Path) -> None:
    from tui.corpus.headstart import HeadStart
    from tui.corpus.session import open_store

    head_start = HeadStart.start([str(collection)])
    try:
        app = BroadsheetApp(
            [str(collection)],
            state=ReadState.open(enabled=False),
            watch=False,
            head_start=head_start,
        )
        async with app.run_test(size=(100, 30)) as pilot:
            await asyncio.wait_for(app.loaded.wait(), 30)
            assert len(app.article_list.rows) == 5 and not app.reopened
            await pilot.press("q")
            for _ in range(100):
                if not app.is_running:
                    break
                await asyncio.sleep(0.05)
    finally:
        if head_start is not None:
            head_start.close()
    store, _ = open_store([str(collection)], infer=True)
    assert store is not None and store.complete
    store.close()
    rows, reopened, _, _ = await _launch(collection)
    assert reopened and len(rows) == 5


async def test_the_reader_says_when_an_upgrade_rebuilt_the_store(
    collection: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tui.corpus.store as store_module

    await _launch(collection)
    monkeypatch.setattr(store_module, "parser_version", lambda: "a newer reader")
    app = BroadsheetApp([str(collection)], state=ReadState.open(enabled=False), watch=False)
    said = notifications(app)
    async with app.run_test(size=(100, 30)):
        await asyncio.wait_for(app.loaded.wait(), 30)
        await app.workers.wait_for_complete()
    assert "the store was built afresh: the reading code changed" in said


async def test_a_reopen_lists_the_stores_top_rows_before_the_first_frame(
    collection: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The top rows are read on the UI thread as the app mounts, so the first frame has
    them (read in the worker beside that frame's work, they took ~4× as long)."""
    from tui.background import Background

    first, _, _, _ = await _launch(collection)  # writes the store
    listed_at_mount: list[list[str]] = []
    start = Background.start

    def starting(self: Background) -> None:
        start(self)  # in the app's on_mount: no frame drawn, no message handled yet
        corpus = self.screen.session.corpus
        listed_at_mount.append([corpus.by_serial[s].id for s in self.screen.article_list.rows])

    monkeypatch.setattr(Background, "start", starting)
    second, reopened, _, _ = await _launch(collection)
    assert reopened and listed_at_mount == [first] and second == first


async def test_the_header_says_a_reopen_reads_the_store_not_files(
    collection: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While loading, the header counts what was read: files on a first launch, the
    store's articles on a re-open (which reads no file)."""
    from tui.background import Background
    from tui.widgets import HeaderBar

    said_at_mount: list[str] = []
    start = Background.start

    def starting(self: Background) -> None:
        start(self)  # in the app's on_mount: the first rows are in, the rest to come
        self.screen.update_header()  # (the first frame's: asked here, before it)
        said_at_mount.append(self.screen.query_one(HeaderBar).summary)

    monkeypatch.setattr(Background, "start", starting)
    await _launch(collection)  # writes the store
    await _launch(collection)
    first, second = said_at_mount
    assert "loading" in first and "files read" in first and "store" not in first
    assert "loading" in second and "from the store" in second
    assert "files read" not in second


async def test_a_failure_reading_the_top_rows_is_the_loads_failure(
    collection: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An exception in the first step, taken on the UI thread, is raised in the loading
    worker, and shown as any load's failure is: the app goes on."""
    from textual.worker import WorkerFailed

    from tui.corpus.store import Store

    await _launch(collection)

    def broken(self: Store, **_: object) -> object:
        raise OSError("the disk went away")
        yield  # a generator, as Store.read is

    monkeypatch.setattr(Store, "read", broken)
    app = BroadsheetApp([str(collection)], state=ReadState.open(enabled=False), watch=False)
    async with app.run_test(size=(100, 30)) as pilot:
        # The loading worker may not have started when the test begins (a loaded CI
        # machine): waiting for none to complete would return at once.
        await wait_until(pilot, lambda: any(worker.error for worker in app.workers))
        with pytest.raises(WorkerFailed, match="the disk went away"):
            await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running and not app.article_list.rows


async def test_the_matches_a_search_asked_for_show_while_keys_come(collection: Path) -> None:
    """A batch holding what a search asked the re-open for is the answer typed for: it
    is listed at once, where other batches wait for typing to rest."""
    import time

    from tui.corpus.model import read_article
    from tui.messages import CorpusBatch

    app = BroadsheetApp([str(collection)], state=ReadState.open(enabled=False), watch=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await asyncio.wait_for(app.loaded.wait(), 30)
        await pilot.pause()
        screen = app.reader_screen
        extra = collection.parent / "extra"
        extra.mkdir()
        for name in ("a", "b"):
            (extra / f"{name}.txt").write_text(
                f"Title: Zanzibarite {name}\nDate: 2025-04-0{len(name)}\n\nText {name}.\n",
                encoding="utf-8",
            )
        serials = []
        for name in ("a", "b"):
            added = app.corpus.add([read_article(str(extra / f"{name}.txt"))])
            assert app.index is not None
            app.index.add(added)
            serials.append(added[0].serial)
        screen.last_input = time.monotonic()  # a key just came
        screen.batch_arrived(CorpusBatch([serials[0]], [], 6, False))
        assert serials[0] not in app.article_list.rows  # at rest, not under the keys
        screen.batch_arrived(CorpusBatch([serials[1]], [], 7, False, answers=True))
        assert {serials[0], serials[1]} <= set(app.article_list.rows)  # at once


async def test_a_reopened_list_reads_its_titles_a_screenful_a_query(
    collection: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A re-open holds no title in memory (:data:`model._TITLE_SLOT`): the list asks the
    store for the rows in view at once, not one query a row (~40 µs each), and a row
    drawn again asks nothing."""
    first, _, _, titles = await _launch(collection)  # writes the store
    asked: list[int] = []

    def counted(rows: list[int], read: object) -> list[str]:
        asked.append(len(rows))
        return read(rows)  # type: ignore[operator, no-any-return]

    def counting(reader: object) -> object:
        return lambda rows: counted(rows, reader)

    real_slot = model_module.body_reader_slot

    def slot(bodies: object, words: object, titles: object) -> int:
        return real_slot(bodies, words, counting(titles))  # type: ignore[arg-type]

    monkeypatch.setattr("tui.corpus.store.body_reader_slot", slot)
    model_module._TITLES_READ.clear()
    app = BroadsheetApp([str(collection)], state=ReadState.open(enabled=False), watch=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded_and_checked(app, pilot)
        assert app.reopened
        articles = [app.corpus.by_serial[s] for s in app.article_list.rows]
        assert all(model_module._TITLE_SLOT.__get__(a) is None for a in articles)
        assert sum(asked) <= len(articles) + 1 and max(asked) >= len(articles) - 1
        asked.clear()
        app.article_list.refresh()
        await pilot.press("down", "down", "up")
        await pilot.pause()
        assert asked == []  # drawn again from what was read
        assert [a.title for a in articles] == titles
        await pilot.press("q")
