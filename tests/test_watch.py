"""Following the folder while the reader is open (issue 13, item 6).

The model's removal (plain pytest), the watcher on its own thread, and the reader: a
file added, changed or removed in a tmp folder shows in the list and in a search, the
article under the cursor stays under it, ``--no-watch`` starts no watcher, and the
watcher's thread ends with the app. Waits are bounded (a hang fails, it never stalls);
no test asserts how fast anything was.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tui.__main__ import build_parser
from tui.app import BroadsheetApp
from tui.corpus import Corpus, ReadState, read_article
from tui.corpus.query import parse_query
from tui.corpus.watch import FolderChanges, FolderWatcher

WAIT = 20.0
"""Seconds a test waits for something before failing (never a speed claim)."""


def write(folder: Path, name: str, date: str, title: str, body: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"Date: {date}\nTitle: {title}\n\n{body}\n", encoding="utf-8")
    return path


def inotify_fds() -> int:
    """inotify instances this process holds open (Linux): a closed watch gives its back."""
    count = 0
    for name in os.listdir("/proc/self/fd"):
        try:
            if "inotify" in os.readlink(f"/proc/self/fd/{name}"):
                count += 1
        except OSError:
            continue
    return count


def watch_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "broadsheet-watch"]


def inotify_fds_settled(at_most: int) -> int:
    """:func:`inotify_fds` once it is *at_most*, or after a few seconds: a watcher
    another test of this process left stopping may close its own meanwhile (the suite
    runs tests in any order, in parallel processes); a leak of this test's stays."""
    deadline = time.monotonic() + 5.0
    while (count := inotify_fds()) > at_most and time.monotonic() < deadline:
        time.sleep(0.05)
    return count


# --- the model ------------------------------------------------------------------


def corpus_of(folder: Path) -> Corpus:
    corpus = Corpus("t")
    corpus.add(read_article(str(path)) for path in sorted(folder.rglob("*.txt")))
    return corpus


def test_removing_a_file_takes_its_article_out_of_every_order(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "2024-01-01", "Alpha", "alpha text")
    write(tmp_path, "b.txt", "2024-02-01", "Bravo", "bravo text")
    write(tmp_path, "c.txt", "2024-03-01", "Charlie", "charlie text")
    corpus = corpus_of(tmp_path)
    assert corpus.serials("oldest")  # an order other than newest is kept too
    bravo = corpus.at_path(str(tmp_path / "b.txt"))
    charlie = corpus.at_path(str(tmp_path / "c.txt"))
    assert bravo is not None and charlie is not None
    span = corpus.date_span()
    assert span is not None and span[1].iso() == "2024-03-01"

    removal = corpus.remove([str(tmp_path / "b.txt"), str(tmp_path / "c.txt")])

    assert [article.title for article in removal.articles] == ["Bravo", "Charlie"]
    assert removal.orphans == []
    assert len(corpus) == 1
    assert [a.title for a in corpus.articles] == ["Alpha"]
    assert [a.title for a in corpus.ordered("oldest")] == ["Alpha"]
    assert corpus.serials("oldest") == corpus.serials("newest")
    assert corpus.find(bravo.id) is None and corpus.by_key(bravo.key) is None
    assert corpus.at_path(str(tmp_path / "b.txt")) is None
    # A search's answer (the index still holds the article) never shows it again.
    everything = {0, 1, 2}
    assert corpus.in_order(everything) == corpus.serials()
    assert corpus.in_order({bravo.serial, charlie.serial}) == []
    assert sum(corpus.period_counts().values()) == 1
    span = corpus.date_span()
    assert span is not None and span[0].iso() == span[1].iso() == "2024-01-01"
    # An article added afterwards gets the next serial and joins every order.
    added = corpus.add([read_article(str(write(tmp_path, "d.txt", "2023-05-05", "Delta", "d")))])
    assert added[0].serial == 3
    assert [a.title for a in corpus.ordered("oldest")] == ["Delta", "Alpha"]
    assert corpus.in_order({0, 1, 2, 3}, "oldest") == [3, 0]


def test_a_removed_serial_is_left_out_of_an_order_built_later(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "2024-01-01", "Alpha", "alpha text")
    write(tmp_path, "b.txt", "2024-02-01", "Bravo", "bravo text")
    corpus = corpus_of(tmp_path)
    corpus.remove([str(tmp_path / "a.txt")])
    # "oldest" was never asked for before the removal: built now, without it.
    assert [a.title for a in corpus.ordered("oldest")] == ["Bravo"]
    assert corpus.in_order({0}, "oldest") == []


def test_a_duplicate_file_removed_leaves_the_article(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "2024-01-01", "Same", "same text")
    write(tmp_path, "b.txt", "2024-01-01", "Same", "same text")
    corpus = corpus_of(tmp_path)
    assert len(corpus) == 1
    article = corpus.articles[0]
    assert article.duplicates == (str(tmp_path / "b.txt"),)

    removal = corpus.remove([str(tmp_path / "b.txt")])

    assert removal.articles == [] and len(corpus) == 1
    assert article.duplicates == ()
    assert corpus.at_path(str(tmp_path / "b.txt")) is None


def test_an_article_whose_own_file_goes_hands_back_its_duplicates(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "2024-01-01", "Same", "same text")
    write(tmp_path, "b.txt", "2024-01-01", "Same", "same text")
    corpus = corpus_of(tmp_path)

    removal = corpus.remove([str(tmp_path / "a.txt")])

    assert len(removal.articles) == 1 and len(corpus) == 0
    assert removal.orphans == [str(tmp_path / "b.txt")]
    again = corpus.add([read_article(removal.orphans[0])])
    assert len(again) == 1 and again[0].key == removal.articles[0].key


def test_a_folder_removed_takes_every_article_under_it(tmp_path: Path) -> None:
    write(tmp_path, "keep.txt", "2024-01-01", "Kept", "kept text")
    write(tmp_path, "sub/one.txt", "2024-02-01", "One", "one text")
    write(tmp_path, "sub/deep/two.txt", "2024-03-01", "Two", "two text")
    write(tmp_path, "subway.txt", "2024-04-01", "Subway", "a sibling, not inside")
    corpus = corpus_of(tmp_path)

    removal = corpus.remove([], folders=[str(tmp_path / "sub")])

    assert sorted(article.title for article in removal.articles) == ["One", "Two"]
    assert sorted(article.title for article in corpus.articles) == ["Kept", "Subway"]


# --- the watcher on its own ------------------------------------------------------


class Rounds:
    """What a watcher delivered, for a test to wait on."""

    def __init__(self) -> None:
        self.rounds: list[FolderChanges] = []
        self._lock = threading.Lock()

    def __call__(self, changes: FolderChanges) -> None:
        with self._lock:
            self.rounds.append(changes)

    def read(self) -> dict[str, str]:
        """Path → title of every article read so far (the last reading wins)."""
        with self._lock:
            return {
                path: getattr(item, "title", "") for r in self.rounds for path, item, _ in r.read
            }

    def gone(self) -> list[str]:
        with self._lock:
            return [path for r in self.rounds for path in r.gone + r.gone_folders]


def wait_until(check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.02)


@contextlib.contextmanager
def running(paths: list[Path], **options: object) -> Iterator[tuple[FolderWatcher, Rounds]]:
    """A watcher of *paths* on a thread, watching (its *options* go to ``run``); then
    stopped, and its thread ended."""
    rounds = Rounds()
    watcher = FolderWatcher([str(path) for path in paths])
    thread = threading.Thread(target=watcher.run, args=(rounds,), kwargs=options)
    thread.start()
    try:
        assert watcher.watching.wait(WAIT)
        yield watcher, rounds
    finally:
        watcher.stop()
        thread.join(WAIT)
    assert not thread.is_alive()


def test_the_watcher_reports_articles_only_and_stops(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    collection = tmp_path / "c"
    (collection / "old").mkdir(parents=True)
    (collection / ".git").mkdir()
    state = collection / "state"
    state.mkdir()
    fds = inotify_fds_settled(0)
    rounds = Rounds()
    watcher = FolderWatcher([str(collection)], exclude=[str(state)])
    thread = threading.Thread(target=watcher.run, args=(rounds,))
    thread.start()
    try:
        assert watcher.watching.wait(WAIT)
        assert sorted(watcher.folders) == sorted([str(collection), str(collection / "old")])
        write(collection / ".git", "x.txt", "2024-01-01", "Hidden", "not an article")
        write(collection, "state/y.txt", "2024-01-01", "State", "not an article")
        (collection / "notes.pdf").write_bytes(b"%PDF")
        write(collection, "old/a.txt", "2024-01-01", "Alpha", "alpha")
        wait_until(lambda: str(collection / "old/a.txt") in rounds.read(), "a.txt read")
        # A folder made with its files at once: watched, then read.
        write(collection, "new/deep/b.md", "2024-02-02", "Bravo", "bravo")
        wait_until(lambda: str(collection / "new/deep/b.md") in rounds.read(), "b.md read")
        write(collection, "new/deep/c.txt", "2024-02-03", "Charlie", "charlie")
        wait_until(lambda: str(collection / "new/deep/c.txt") in rounds.read(), "c.txt read")
        (collection / "old/a.txt").unlink()
        wait_until(lambda: str(collection / "old/a.txt") in rounds.gone(), "a.txt gone")
        (collection / "new").rename(collection / "moved")
        wait_until(lambda: str(collection / "new") in rounds.gone(), "new/ gone")
        wait_until(
            lambda: str(collection / "moved/deep/c.txt") in rounds.read(), "moved/ read"
        )
        assert all(".git" not in path and "state" not in path for path in rounds.read())
        assert not any(path.endswith(".pdf") for path in rounds.read())
    finally:
        watcher.stop()
        thread.join(WAIT)
    assert not thread.is_alive() and watcher.finished.is_set()
    assert inotify_fds_settled(fds) == fds


def test_a_name_that_is_not_utf8_is_said_and_the_watch_goes_on(tmp_path: Path) -> None:
    # watchfiles cannot decode such a name and ended its watch: every later change was
    # missed, for the rest of the session.
    collection = tmp_path / "c"
    collection.mkdir()
    said: list[str] = []
    with running([collection], missed=said.append) as (_, rounds):
        with open(os.path.join(os.fsencode(collection), b"caf\xe9.txt"), "wb") as odd:
            odd.write(b"Odd name\n\nA text under a name that is not UTF-8.\n")
        wait_until(lambda: bool(said), "the missed change said")
        assert said == [
            "a file whose name is not UTF-8 changed: it is read when the reader next starts"
        ]
        write(collection, "later.txt", "2024-01-01", "Later", "a change after it")
        wait_until(lambda: str(collection / "later.txt") in rounds.read(), "later.txt read")


def test_the_collection_deleted_then_made_again_is_followed_again(tmp_path: Path) -> None:
    # With every folder it followed gone, the watcher ended without a word.
    import shutil

    collection = tmp_path / "c"
    (collection / "sub").mkdir(parents=True)
    write(collection, "sub/a.txt", "2024-01-01", "Alpha", "alpha")
    with running([collection]) as (_, rounds):
        shutil.rmtree(collection)
        wait_until(lambda: str(collection) in rounds.gone(), "the collection gone")
        (collection / "sub").mkdir(parents=True)
        write(collection, "sub/b.txt", "2024-02-02", "Bravo", "bravo")
        wait_until(lambda: str(collection / "sub/b.txt") in rounds.read(), "b.txt read")
        write(collection, "c.txt", "2024-03-03", "Charlie", "charlie")
        wait_until(lambda: str(collection / "c.txt") in rounds.read(), "c.txt read")


# --- the reader --------------------------------------------------------------------


async def until(pilot: object, check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        await asyncio.sleep(0.05)


def titles(app: BroadsheetApp) -> list[str]:
    return [app.corpus.by_serial[serial].title for serial in app.article_list.rows]


def current_title(app: BroadsheetApp) -> str | None:
    serial = app.article_list.current_serial
    return None if serial is None else app.corpus.by_serial[serial].title


def search(app: BroadsheetApp, text: str) -> list[str]:
    """Titles a fresh search finds (as the filter bar would show them)."""
    assert app.index is not None
    found = app.index.search(parse_query(text), app.state)
    assert found is not None
    return [app.corpus.by_serial[serial].title for serial in app.corpus.in_order(found)]


def header(app: BroadsheetApp) -> str:
    from tui.widgets import HeaderBar

    return app.query_one(HeaderBar).summary


def alpha_bravo_charlie(tmp_path: Path) -> Path:
    """A folder of three dated articles, Alpha (oldest), Bravo and Charlie."""
    folder = tmp_path / "articles"
    write(folder, "a.txt", "2024-01-01", "Alpha", "alpha text")
    write(folder, "b.txt", "2024-02-01", "Bravo", "bravo text")
    write(folder, "c.txt", "2024-03-01", "Charlie", "charlie text")
    return folder


async def started(app: BroadsheetApp) -> FolderWatcher:
    await asyncio.wait_for(app.loaded.wait(), WAIT)
    await until(None, lambda: app.watcher is not None, "the watcher")
    watcher = app.watcher
    assert watcher is not None
    assert await asyncio.to_thread(watcher.watching.wait, WAIT)
    return watcher


async def test_the_app_still_waits_for_its_workers(tmp_path: Path) -> None:
    """The watcher is a thread of its own, not a worker: waiting for every worker (as
    tests and harnesses do) does not wait for the app to end."""
    folder = tmp_path / "articles"
    write(folder, "a.txt", "2024-01-01", "Alpha", "alpha text")
    app = BroadsheetApp([str(folder)], state=ReadState.open(enabled=False))
    async with app.run_test(size=(120, 36)):
        await started(app)
        await asyncio.wait_for(app.workers.wait_for_complete(), WAIT)
        assert app.watch_thread is not None and app.watch_thread.is_alive()


async def test_files_added_changed_and_removed_follow_in_the_list_and_search(
    tmp_path: Path,
) -> None:
    folder = alpha_bravo_charlie(tmp_path)
    fds = inotify_fds_settled(0)
    app = BroadsheetApp([str(folder)], state=ReadState.open(enabled=False))
    async with app.run_test(size=(120, 36)) as pilot:
        watcher = await started(app)
        assert titles(app) == ["Charlie", "Bravo", "Alpha"]
        await pilot.press("down")  # the cursor on Bravo
        assert current_title(app) == "Bravo"

        # Added: a newer article joins above; the cursor stays on Bravo; searchable.
        write(folder, "sub/d.txt", "2024-04-01", "Delta zebra", "delta text about zebras")
        await until(pilot, lambda: "Delta zebra" in titles(app), "the new article")
        assert titles(app) == ["Delta zebra", "Charlie", "Bravo", "Alpha"]
        assert current_title(app) == "Bravo"
        assert search(app, "zebra") == ["Delta zebra"]
        delta = app.corpus.by_serial[app.article_list.rows[0]]
        assert not app.state.is_read(delta.key)  # new: unread
        assert "1 new" in header(app)
        assert "4 articles" in header(app)

        # Changed: the cursor's file gets a new text; its new article takes the row.
        write(folder, "b.txt", "2024-02-01", "Bravo revised", "bravo text, yak edition")
        await until(pilot, lambda: "Bravo revised" in titles(app), "the changed article")
        assert titles(app) == ["Delta zebra", "Charlie", "Bravo revised", "Alpha"]
        assert current_title(app) == "Bravo revised"
        assert search(app, "yak") == ["Bravo revised"]
        assert search(app, "bravo") == ["Bravo revised"]
        assert "1 changed" in header(app)

        # Removed: gone from the list and from search; the cursor moves to the next row.
        (folder / "b.txt").unlink()
        await until(pilot, lambda: "Bravo revised" not in titles(app), "the removal")
        assert titles(app) == ["Delta zebra", "Charlie", "Alpha"]
        assert current_title(app) == "Alpha"
        assert search(app, "bravo") == [] and search(app, "yak") == []
        assert "1 removed" in header(app) and "3 articles" in header(app)

        # The user acts: the note goes.
        await pilot.press("up")
        assert "new" not in header(app) and "removed" not in header(app)

        # A folder removed takes its articles with it.
        (folder / "sub/d.txt").unlink()
        (folder / "sub").rmdir()
        await until(pilot, lambda: "Delta zebra" not in titles(app), "the folder's removal")
        assert search(app, "zebra") == []
    # Stopped and joined as the app unmounts: no thread left, its inotify closed.
    assert watcher.finished.is_set()
    assert app.watch_thread is not None and not app.watch_thread.is_alive()
    assert inotify_fds_settled(fds) == fds


async def test_the_open_articles_file_emptied_then_written_keeps_the_reader_on_it(
    tmp_path: Path,
) -> None:
    # Emptied as an editor saves, its article went and the reader moved on to the next
    # one (the list's cursor did), and stayed there when the text came back.
    folder = alpha_bravo_charlie(tmp_path)
    app = BroadsheetApp([str(folder)], state=ReadState.open(enabled=False))
    async with app.run_test(size=(120, 36)) as pilot:
        await started(app)
        await pilot.press("down", "enter")  # Bravo, open
        assert app.reader.article is not None and app.reader.article.title == "Bravo"
        (folder / "b.txt").write_text("", encoding="utf-8")
        await until(pilot, lambda: "Bravo" not in titles(app), "the emptied file's removal")
        await asyncio.sleep(0.5)  # the preview's delay, were the reader to follow the cursor
        await pilot.pause()
        assert app.reader.article is not None and app.reader.article.title == "Bravo"
        write(folder, "b.txt", "2024-02-01", "Bravo", "bravo text, saved again")
        await until(pilot, lambda: "Bravo" in titles(app), "the file back")
        await until(
            pilot,
            lambda: app.reader.article is not None and "saved again" in app.reader.article.text,
            "the reader on the file's new text",
        )
        assert current_title(app) == "Bravo"


async def test_a_new_file_joins_an_active_query(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    write(folder, "a.txt", "2024-01-01", "Alpha", "common words here")
    write(folder, "b.txt", "2024-02-01", "Bravo zebra", "zebra text")
    app = BroadsheetApp([str(folder)], state=ReadState.open(enabled=False), query="zebra")
    async with app.run_test(size=(120, 36)) as pilot:
        await started(app)
        assert titles(app) == ["Bravo zebra"]
        write(folder, "c.txt", "2024-03-01", "Charlie", "a zebra again")
        write(folder, "d.txt", "2024-04-01", "Delta", "nothing striped")
        await until(pilot, lambda: "Charlie" in titles(app), "the matching article")
        assert titles(app) == ["Charlie", "Bravo zebra"]
        assert len(app.corpus) == 4
        (folder / "b.txt").unlink()
        await until(pilot, lambda: "Bravo zebra" not in titles(app), "the removal")
        assert titles(app) == ["Charlie"]


async def test_no_watch_starts_no_watcher(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    write(folder, "a.txt", "2024-01-01", "Alpha", "alpha text")
    fds = inotify_fds_settled(0)
    watching_before = watch_threads()  # another test's, stopping
    app = BroadsheetApp([str(folder)], state=ReadState.open(enabled=False), watch=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await asyncio.wait_for(app.loaded.wait(), WAIT)
        await pilot.pause(0.3)
        assert app.watcher is None and app.watch_thread is None
        assert not [t for t in watch_threads() if t not in watching_before]
        assert inotify_fds_settled(fds) == fds


def test_no_watch_option_reaches_the_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui import app as app_module

    seen: dict[str, bool] = {}

    def run(self: BroadsheetApp, **_: object) -> None:
        seen["watch"] = self.watch_enabled

    monkeypatch.setattr(BroadsheetApp, "run", run)
    for argv, expected in ((["--no-watch", str(tmp_path)], False), ([str(tmp_path)], True)):
        args = build_parser().parse_args(argv)
        app_module.run_app(args, args.paths)
        assert seen["watch"] is expected


def test_a_few_matches_skip_removed_articles(tmp_path: Path) -> None:
    """Few matches are ordered by rank (a list by serial): removed serials, and a
    serial past the last one still in the order, are left out, not an IndexError."""
    for day in range(1, 29):
        write(tmp_path, f"{day:02}.txt", f"2024-02-{day:02}", f"Day {day}", f"text {day}")
    corpus = corpus_of(tmp_path)
    last = corpus.by_serial[-1]
    first = corpus.by_serial[0]
    corpus.remove([first.file_path])
    for order in ("newest", "oldest"):
        assert corpus.in_order({first.serial, last.serial}, order) == [last.serial]  # type: ignore[arg-type]


def test_a_file_named_on_the_command_line_is_followed_through_a_save_by_rename(
    tmp_path: Path,
) -> None:
    named = write(tmp_path, "named.note", "2024-01-01", "Named", "first text")
    write(tmp_path, "other.txt", "2024-01-01", "Other", "not followed: not named")
    with running([named]) as (_, rounds):
        # As editors save: a new file written beside it, then renamed over it.
        write(tmp_path, ".named.note.tmp", "2024-01-01", "Named again", "second text")
        os.replace(tmp_path / ".named.note.tmp", named)
        write(tmp_path, "other.txt", "2024-01-02", "Other", "changed, still not followed")
        wait_until(lambda: rounds.read().get(str(named)) == "Named again", "the save")
        assert set(rounds.read()) == {str(named)}


async def test_a_watcher_that_cannot_start_is_one_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_: object, **__: object) -> None:
        raise OSError("inotify watch limit reached")

    monkeypatch.setattr(FolderWatcher, "run", refuse)
    folder = tmp_path / "articles"
    write(folder, "a.txt", "2024-01-01", "Alpha", "alpha text")
    app = BroadsheetApp([str(folder)], state=ReadState.open(enabled=False))
    messages: list[str] = []
    notify = app.notify

    def record(message: str, **options: object) -> None:
        messages.append(message)
        notify(message, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(app, "notify", record)
    async with app.run_test(size=(120, 36)) as pilot:
        await asyncio.wait_for(app.loaded.wait(), WAIT)
        await until(pilot, lambda: bool(messages), "the warning")
        await pilot.pause(0.2)
        assert messages == ["Not following the folder for changes: inotify watch limit reached"]
        assert titles(app) == ["Alpha"]
