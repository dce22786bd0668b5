"""The head start: a forked child reads the first rows while the reader starts.

The rows it gives are the rows the app would read itself, the loader then reads
every other file exactly once, and a child that fails or hangs costs nothing but
the wait (it is killed and reaped, and the app reads the rows itself)."""

from __future__ import annotations

import asyncio
import os
import threading
import time
from pathlib import Path

import pytest

import tui.corpus.headstart as headstart
from tui.app import BroadsheetApp
from tui.corpus.files import Skipped
from tui.corpus.headstart import HeadStart, read_first_rows
from tui.corpus.loader import load_batches
from tui.corpus.model import Article, iter_corpus
from tui.corpus.state import ReadState

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for number in range(30):
        day = number % 28 + 1
        (tmp_path / f"note-{number:02}.txt").write_text(
            f"Title: Harbour report {number}\nDate: 2024-03-{day:02}\n\n"
            f"The harbour board met for the {number}th time and agreed the plan.\n",
            encoding="utf-8",
        )
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01 not text")
    (tmp_path / "empty.txt").write_bytes(b"")
    return tmp_path


def _keys(items: list[Article | Skipped]) -> list[str]:
    return [item.key if isinstance(item, Article) else f"skipped {item.path}" for item in items]


def test_the_childs_rows_are_the_rows_read_here(folder: Path) -> None:
    start = HeadStart.start([str(folder)], 12, single_thread=False)
    assert start is not None
    rows = start.rows()
    assert rows is not None
    here = read_first_rows([str(folder)], 12)
    assert _keys(rows.items) == _keys(here.items)
    assert rows.paths == here.paths and len(rows.items) == 12
    # Skipped files come through as such (binary.txt sorts first).
    assert any(isinstance(item, Skipped) for item in rows.items)
    with pytest.raises(ChildProcessError):  # reaped: no zombie left behind
        os.waitpid(start.pid, os.WNOHANG)


def test_the_loader_reads_every_other_file_once(folder: Path) -> None:
    rows = read_first_rows([str(folder)], 7)
    batches = list(
        load_batches(
            [str(folder)], first_batch=5, read_already=rows.paths, files_read=len(rows.items)
        )
    )
    together = rows.items + [item for batch in batches for item in batch.items]
    assert _keys(together) == _keys(list(iter_corpus([str(folder)])))
    assert batches[-1].files_read == len(together) == 32


def test_a_failing_child_gives_no_rows_and_is_reaped(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(paths: object, count: int = 0) -> object:
        raise RuntimeError("the child fails")

    monkeypatch.setattr(headstart, "read_first_rows", broken)  # the child forks with it
    start = HeadStart.start([str(folder)], single_thread=False)
    assert start is not None
    assert start.rows() is None
    with pytest.raises(ChildProcessError):
        os.waitpid(start.pid, os.WNOHANG)


def test_a_slow_child_is_killed_after_the_wait(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def hangs(paths: object, count: int = 0) -> object:
        time.sleep(60)
        raise AssertionError("never reached")

    monkeypatch.setattr(headstart, "read_first_rows", hangs)
    start = HeadStart.start([str(folder)], single_thread=False)
    assert start is not None
    began = time.monotonic()
    assert start.rows(timeout=0.3) is None
    assert time.monotonic() - began < 10  # killed, not waited for
    with pytest.raises(ChildProcessError):
        os.waitpid(start.pid, os.WNOHANG)


def test_a_child_nobody_asks_is_stopped_by_close(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(headstart, "read_first_rows", lambda paths, count=0: time.sleep(60))
    start = HeadStart.start([str(folder)], single_thread=False)
    assert start is not None
    start.close()
    start.close()  # twice is harmless
    assert start.rows() is None
    with pytest.raises(ChildProcessError):
        os.waitpid(start.pid, os.WNOHANG)


def test_no_fork_while_other_threads_run(folder: Path) -> None:
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        assert HeadStart.start([str(folder)]) is None
    finally:
        release.set()
        thread.join()


async def test_the_app_shows_the_childs_rows_and_loads_the_rest(folder: Path) -> None:
    start = HeadStart.start([str(folder)], 9, single_thread=False)
    app = BroadsheetApp([str(folder)], state=ReadState.open(enabled=False), head_start=start)
    async with app.run_test(size=(120, 36)) as pilot:
        await asyncio.wait_for(app.loaded.wait(), timeout=60)
        await pilot.pause()
        assert app.files_read == 32
        assert len(app.corpus) == 30 and len(app.skipped) == 2
        titles = {app.corpus.by_serial[serial].title for serial in app.article_list.rows}
        assert titles == {f"Harbour report {number}" for number in range(30)}


def test_the_first_rows_stop_at_their_time_budget(folder: Path) -> None:
    # A budget already spent still reads one file (the first frame has a row); the
    # loader then reads every other file, once.
    rows = read_first_rows([str(folder)], 64, budget=0.0)
    assert len(rows.items) == len(rows.entries) == 1
    batches = list(load_batches([str(folder)], read_already=rows.paths, files_read=1))
    together = rows.items + [item for batch in batches for item in batch.items]
    assert _keys(together) == _keys(list(iter_corpus([str(folder)])))
    # With time to spare, the count is the limit.
    assert len(read_first_rows([str(folder)], 12, budget=60.0).items) == 12
