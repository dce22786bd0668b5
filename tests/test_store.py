"""The store (tui/corpus/store.py): a re-open answers as a fresh read would, whatever
happened to the folder or to the store in between."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.__main__ import load, main
from tui.corpus import model
from tui.corpus import store as store_module
from tui.corpus.bits import Bits
from tui.corpus.files import resolve_display_path
from tui.corpus.index import SearchIndex, prepare
from tui.corpus.model import Article, Corpus, sort_key
from tui.corpus.query import parse_query
from tui.corpus.safe import neutralise_line
from tui.corpus.session import CorpusSession, finish, open_store, reopen_in_steps
from tui.corpus.store import SCHEMA_VERSION, Store, store_path

from .conftest import OLD_MTIME as OLD


def _write(folder: Path, name: str, title: str, date: str, body: str) -> Path:
    path = folder / name
    path.write_text(f"Title: {title}\nDate: {date}\n\n{body}\n", encoding="utf-8")
    os.utime(path, (OLD, OLD + len(body)))
    return path


def _listing(
    folder: Path, query: str | None = None, *, cache: bool = True
) -> list[tuple[str, str, str | None]]:
    """(id, title, date) of every article, or those matching *query*: through the
    store, or (*cache* False) read afresh from the files."""
    parsed = parse_query(query) if query else None
    corpus, matched = load([str(folder)], parsed, cache=cache)
    articles = corpus.ordered("newest")
    if parsed is not None:
        articles = [a for a in articles if a.serial in matched]
    return [(a.id, a.title, a.date_iso) for a in articles]


def _fresh(folder: Path, query: str | None = None) -> list[tuple[str, str, str | None]]:
    return _listing(folder, query, cache=False)


def _store_file(folder: Path) -> str:
    return store_path([str(folder)], infer=True, cache_dir=os.environ["BROADSHEET_CACHE_DIR"])


def _rows(folder: Path) -> tuple[int, int]:
    with sqlite3.connect(_store_file(folder)) as connection:
        articles = connection.execute("SELECT count(*) FROM articles").fetchone()[0]
        files = connection.execute("SELECT count(*) FROM files").fetchone()[0]
    return articles, files


QUERIES = [
    None,
    "pakistan",
    '"prime minister"',
    "russia -china",
    "zebras",
    "title:putin",
    # Three phrases or more: the bodies are read from the store several at a time.
    '"foreign minister" OR "winter olympics" OR "radio pakistan" OR title:"travel drought"',
    '-"prime minister" -"foreign minister" -"heads of government"',
]


def test_first_run_writes_the_store_and_a_reopen_reads_no_file(
    collection: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _listing(collection)
    assert first == _fresh(collection)
    assert _rows(collection) == (5, 5)
    expected = {query: _fresh(collection, query) for query in QUERIES}

    def no_reading(path: str) -> object:
        raise AssertionError(f"{path} was read: the store should have answered")

    monkeypatch.setattr(model, "read_article", no_reading)
    monkeypatch.setattr("tui.corpus.watch.read_article", no_reading)
    for query in QUERIES:
        assert _listing(collection, query) == expected[query]


def test_added_changed_and_deleted_files_update_the_store(collection: Path) -> None:
    _listing(collection)
    _write(collection, "zebra.txt", "Zebras in Astana", "2025-03-04", "Zebras crossed the road.")
    changed = sorted(collection.glob("003_*"))[0]
    changed.write_text(
        changed.read_text(encoding="utf-8").replace("Pakistan", "Kazakhstan"), encoding="utf-8"
    )
    os.utime(changed, (OLD, OLD + 99))
    sorted(collection.glob("001_*"))[0].unlink()
    for query in [*QUERIES, "kazakhstan"]:
        assert _listing(collection, query) == _fresh(collection, query), query
    assert _rows(collection) == (5, 5)
    assert _listing(collection, "zebras")[0][1] == "Zebras in Astana"
    # Once more, with nothing changed: the same answers from the store alone.
    assert _listing(collection) == _fresh(collection)


def test_a_new_date_on_the_same_text_updates_the_store(collection: Path) -> None:
    # The text and title (the article's key) unchanged, the old article was kept: its
    # old date stayed in the store for good, whatever the file said.
    _listing(collection)
    changed = sorted(collection.glob("001_*"))[0]
    text = changed.read_text(encoding="utf-8")
    assert "2024-10-08" in text
    changed.write_text(text.replace("2024-10-08", "2019-03-03"), encoding="utf-8")
    os.utime(changed, (OLD, OLD + 99))
    assert _listing(collection) == _fresh(collection)
    assert "2019-03-03" in [date for _, _, date in _listing(collection)]


def test_a_duplicate_file_and_a_skipped_file_are_remembered(
    collection: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = sorted(collection.glob("002_*"))[0]
    copy = collection / "zz_copy.txt"
    copy.write_bytes(original.read_bytes())
    os.utime(copy, (OLD, OLD))
    empty = collection / "empty.txt"
    empty.write_bytes(b"")
    os.utime(empty, (OLD, OLD))
    first = _listing(collection)
    capsys.readouterr()
    again = _listing(collection)
    assert again == first
    assert "skipped" in capsys.readouterr().err  # still said on every run
    corpus, _ = load([str(collection)], None, cache=True)
    article = corpus.at_path(str(copy))
    assert article is not None and article.file_path == str(original)
    # The article's own file goes: its duplicate takes its place.
    original.unlink()
    corpus, _ = load([str(collection)], None, cache=True)
    article = corpus.at_path(str(copy))
    assert article is not None and article.file_path == str(copy)
    assert _listing(collection) == _fresh(collection)


def _reopened_beside_fresh(folder: Path) -> tuple[Store, list[tuple[Article, Article]]]:
    """The store a first run wrote, re-opened: each article beside itself read afresh."""
    _listing(folder)
    store, warning = open_store([str(folder)], infer=True)
    assert store is not None and warning is None
    corpus, index = Corpus(), SearchIndex()
    finish(reopen_in_steps(store, corpus, index))
    fresh, _ = load([str(folder)], None, cache=False)
    pairs = []
    for article in corpus.by_serial:
        twin = fresh.by_key(article.key)
        assert twin is not None
        pairs.append((article, twin))
    return store, pairs


@pytest.mark.parametrize("reopened_in", ["parent", "collection", "subfolder", "elsewhere"])
def test_a_reopen_from_another_working_folder_spells_paths_as_a_fresh_read_there(
    collection: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reopened_in: str
) -> None:
    # Records spell paths from the working folder they were written in; a re-open
    # from another spells each again, as a read of the files from there would.
    sub = collection / "sub"
    sub.mkdir()
    _write(sub, "deep.txt", "Deep in a folder", "2024-05-01", "A body in a subfolder.")
    odd = os.path.join(os.fsencode(sub), b"odd \x1b[31mname \xff.txt")
    with open(odd, "wb") as made:
        made.write(b"Title: An odd name\nDate: 2024-05-02\n\nIts name is not UTF-8.\n")
    os.utime(odd, (OLD, OLD))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(tmp_path)
    _listing(collection)  # the store written from the collection's parent
    here = {
        "parent": tmp_path, "collection": collection, "subfolder": sub, "elsewhere": elsewhere
    }[reopened_in]  # fmt: skip
    monkeypatch.chdir(here)
    store, pairs = _reopened_beside_fresh(collection)
    assert len(pairs) == 7
    for article, twin in pairs:
        assert (article.path, article.real_path) == (twin.path, twin.real_path)
        assert os.path.exists(article.file_path)
    shown = {article.title: article.path for article, _ in pairs}
    if reopened_in == "collection":
        assert shown["Deep in a folder"] == os.path.join("sub", "deep.txt")
    odd_one = next(article for article, _ in pairs if article.title == "An odd name")
    assert "\x1b" not in odd_one.path and "\udcff" not in odd_one.path
    assert os.fsencode(odd_one.file_path).endswith(b"\xff.txt")
    store.close()


_PATH_PART_NAMES = ["a", "b", "news", ".", "..", "", "..x", "...", "a.", "é", "x y"]
_PATH_PART_NAMES += ["\x1b[31m", "\udcff", "\udcc3"]  # an escape; bytes not UTF-8
_PATH_PARTS = st.lists(st.sampled_from(_PATH_PART_NAMES), min_size=1, max_size=5)
_RESPELLERS: dict[str, store_module._Respeller] = {}
"""One a working folder, kept across examples: its folders' spellings are looked up."""


@given(folder=_PATH_PARTS, name=st.sampled_from(["f.txt", "\udcffé.md", "\x1b]0;t\x07.txt"]))
@settings(max_examples=300, deadline=None)
def test_the_respeller_spells_as_a_fresh_read_does(folder: list[str], name: str) -> None:
    # Each folder's spelling is worked out once: a path must come out exactly as
    # resolve_display_path and neutralise_line spell it one at a time.
    real = os.path.normpath("/" + "/".join(folder)) + "/" + name
    here = os.getcwd()
    respell = _RESPELLERS.setdefault(here, store_module._Respeller())
    for base in ("", here):  # paths outside the working folder, and inside it
        path = os.path.normpath(base + real) if base else real
        spelt = resolve_display_path(path)
        for _ in range(2):  # the folder's spelling worked out, then looked up
            article = Article("k", "k", "", "", "", None, None, None, None, None, 0, b"")
            respell(article, os.fsencode(path))
            assert article.path == neutralise_line(spelt)
            assert article.file_path == spelt


def test_bodies_come_from_the_store(collection: Path) -> None:
    store, pairs = _reopened_beside_fresh(collection)
    for article, twin in pairs:
        assert article.body == b"" and article.stored >= 0
        assert article.text == twin.text
    store.close()


def test_titles_come_from_the_store_and_a_screenful_in_one_query(
    collection: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A re-open holds no title in memory (a million were ~130 MB): each is read from
    its record when asked for, many in one query, and a row gone (the store begun
    afresh by another instance) gives a stand-in that says so, never an error."""
    store, pairs = _reopened_beside_fresh(collection)
    articles = [article for article, _ in pairs]
    expected = [twin.title for _, twin in pairs]
    assert all(model._TITLE_SLOT.__get__(article) is None for article in articles)
    slot = store.slot() >> model.STORE_ROW_BITS
    asked: list[list[int]] = []
    reader = model.TITLE_READERS[slot]

    def counted(rows: Sequence[int]) -> list[str]:
        asked.append(list(rows))
        return reader(rows)

    readers = list(model.TITLE_READERS)
    readers[slot] = counted
    monkeypatch.setattr(model, "TITLE_READERS", readers)
    model._TITLES_READ.clear()
    assert [article.title for article in articles[:2]] == expected[:2]  # one at a time
    assert model.read_titles(articles) == expected
    assert [len(rows) for rows in asked] == [1, 1, len(articles) - 2]  # the rest in one
    assert articles[0].to_json()["title"] == expected[0]
    with sqlite3.connect(_store_file(collection)) as connection:
        connection.execute(
            "DELETE FROM articles WHERE id = ?", (articles[0].stored & model.STORE_ROW_MASK,)
        )
    assert articles[0].title == expected[0]  # read lately: its key hashes its title
    model._TITLES_READ.clear()
    assert articles[0].title == model.TITLE_NOT_STORED
    assert [article.title for article in articles[1:]] == expected[1:]
    store.close()


def test_the_command_line_keeps_a_reopens_titles_and_asks_the_store_for_none(
    collection: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """It prints every title and exits: the reader's saving (titles left in the store)
    would cost it a query a few hundred lines (0.78 -> 1.00 s for 38,547 at 100k)."""
    assert main(["--list", "--no-cache", str(collection)]) == 0
    expected = capsys.readouterr().out
    assert main(["--list", str(collection)]) == 0  # writes the store
    capsys.readouterr()

    def no_title(self: Store, rows: object) -> list[str]:
        raise AssertionError("a title was read from the store")

    monkeypatch.setattr(Store, "read_titles", no_title)
    model._TITLES_READ.clear()
    assert main(["--list", str(collection)]) == 0
    assert capsys.readouterr().out == expected
    assert main(["--list", "--json", "--query", "pakistan", str(collection)]) == 0
    assert '"title": ' in capsys.readouterr().out


def test_a_parser_or_schema_change_rebuilds_and_says_so(
    collection: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _listing(collection)
    monkeypatch.setattr(store_module, "parser_version", lambda: "changed")
    store, _ = open_store([str(collection)], infer=True)
    assert store is not None and store.note == "built afresh: the reading code changed"
    assert not store.complete
    store.close()
    assert _listing(collection) == _fresh(collection)
    with sqlite3.connect(_store_file(collection)) as connection:
        connection.execute("UPDATE meta SET value = '0' WHERE key = 'schema'")
    store, _ = open_store([str(collection)], infer=True)
    assert store is not None and store.note == "built afresh: its format changed"
    store.close()


def test_rebuild_starts_afresh(collection: Path) -> None:
    _listing(collection)
    assert main(["--list", "--rebuild", str(collection)]) == 0
    store, _ = open_store([str(collection)], infer=True)
    assert store is not None and store.complete and store.note == ""
    store.close()


def test_no_cache_writes_nothing(collection: Path) -> None:
    assert main(["--list", "--no-cache", str(collection)]) == 0
    assert not os.path.exists(_store_file(collection))


def test_a_corrupt_store_is_set_aside_and_rebuilt(
    collection: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _listing(collection)
    path = _store_file(collection)
    for suffix in ("-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    with open(path, "r+b") as handle:
        handle.write(b"this is not a database" * 300)
    assert _listing(collection) == _fresh(collection)
    assert os.path.exists(path + ".damaged")
    store, _ = open_store([str(collection)], infer=True)
    assert store is not None and store.complete
    store.close()


def test_a_store_from_a_newer_version_is_left_alone(
    collection: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _listing(collection)
    with sqlite3.connect(_store_file(collection)) as connection:
        connection.execute(
            "UPDATE meta SET value = ? WHERE key = 'schema'", (str(SCHEMA_VERSION + 1),)
        )
    capsys.readouterr()
    assert main(["--list", str(collection)]) == 0
    captured = capsys.readouterr()
    assert "newer Broadsheet" in captured.err and captured.err.count("\n") == 1
    assert len(captured.out.splitlines()) == 5
    with sqlite3.connect(_store_file(collection)) as connection:  # untouched
        schema = connection.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    assert schema == (str(SCHEMA_VERSION + 1),)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through read-only modes")
def test_a_read_only_cache_runs_from_memory(
    collection: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    cache = tmp_path / "ro-cache"
    cache.mkdir()
    cache.chmod(0o500)
    monkeypatch.setenv("BROADSHEET_CACHE_DIR", str(cache))
    try:
        assert main(["--list", str(collection)]) == 0
    finally:
        cache.chmod(0o700)
    captured = capsys.readouterr()
    assert "running from memory" in captured.err
    assert len(captured.out.splitlines()) == 5


def test_a_store_that_cannot_be_opened_runs_from_memory(
    collection: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    # The cache "folder" is a file: nothing can be made there (read-only disks alike).
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("BROADSHEET_CACHE_DIR", str(blocker))
    assert main(["--list", str(collection)]) == 0
    captured = capsys.readouterr()
    assert captured.err.startswith("broadsheet: warning: store not used, running from memory")
    assert len(captured.out.splitlines()) == 5


def test_a_locked_store_still_answers_and_the_update_waits_its_turn(
    collection: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _listing(collection)
    _write(collection, "zebra.txt", "Zebras", "2025-03-04", "Zebras crossed.")
    monkeypatch.setattr(store_module, "BUSY_SECONDS", 0.2)
    holder = sqlite3.connect(_store_file(collection), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another instance writing
    try:
        capsys.readouterr()
        assert main(["--list", str(collection)]) == 0
        captured = capsys.readouterr()
        assert "Zebras" in captured.out  # read from the file, answered anyway
        assert "the store was not updated" in captured.err
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert _listing(collection) == _fresh(collection)
    assert _rows(collection) == (6, 6)


def test_two_instances_share_the_store(collection: Path, tmp_path: Path) -> None:
    for number in range(40):
        _write(
            collection,
            f"extra{number:02}.txt",
            f"Extra {number}",
            "2023-05-06",
            f"Word{number} here.",
        )
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, "-m", "tui", "--list", str(collection)]
    runs = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        for _ in range(3)
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert all(run.returncode == 0 for run in runs)
    assert all(err == b"" for _, err in outputs), [err for _, err in outputs]
    assert len({out for out, _ in outputs}) == 1
    assert len(outputs[0][0].splitlines()) == 45
    assert _listing(collection) == _fresh(collection)


_WRITER = """
import os, sys, time
sys.path.insert(0, {root!r})
from tui.__main__ import load
folder = sys.argv[1]
print("ready", flush=True)
n = 0
while True:
    n += 1
    path = os.path.join(folder, f"churn{{n % 7}}.txt")
    with open(path, "w") as handle:
        day = n % 28 + 1
        handle.write(f"Title: Churn {{n}}\\nDate: 2024-01-{{day:02}}\\n\\nChurn {{n}} here.\\n")
    os.utime(path, (1577836800, 1577836800 + n))
    load([folder], None, cache=True)
"""


@pytest.mark.heavy
def test_kill_during_store_writes_leaves_a_store_that_opens_and_is_right(
    collection: Path, tmp_path: Path
) -> None:
    root = str(Path(__file__).resolve().parent.parent)
    script = tmp_path / "writer.py"
    script.write_text(_WRITER.format(root=root))
    rng = random.Random(1234)
    for _ in range(6):
        process = subprocess.Popen(
            [sys.executable, str(script), str(collection)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert process.stdout is not None
        process.stdout.readline()
        time.sleep(rng.uniform(0.05, 1.2))
        process.send_signal(signal.SIGKILL)
        process.wait()
        store = Store.open(
            [str(collection)], infer=True, cache_dir=os.environ["BROADSHEET_CACHE_DIR"]
        )
        with sqlite3.connect(store.path) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        store.close()
        for query in (None, "churn", "pakistan"):
            assert _listing(collection, query) == _fresh(collection, query)


def test_copies_of_the_index_left_by_a_crash_are_removed(collection: Path) -> None:
    _listing(collection)
    path = _store_file(collection)
    stale, fresh = Path(f"{path}.shard0"), Path(f"{path}.shard1")
    stale.write_bytes(b"x" * 100)
    fresh.write_bytes(b"y" * 100)
    os.utime(stale, (OLD, OLD))
    store, _ = open_store([str(collection)], infer=True)
    assert store is not None
    store.close()
    assert not stale.exists()
    assert fresh.exists()  # another instance may be writing it now
    # A snapshot leaves none behind.
    fresh.unlink()
    assert main(["--list", "--rebuild", str(collection)]) == 0
    assert not list(Path(path).parent.glob("*.shard*"))


def test_a_first_load_writes_as_it_goes_and_keeps_no_body_in_memory(collection: Path) -> None:
    corpus, _ = load([str(collection)], None, cache=True)  # a first run: nothing stored yet
    fresh, _ = load([str(collection)], None, cache=False)
    assert len(corpus.by_serial) == 5
    for article in corpus.by_serial:
        assert article.body == b"" and article.stored >= 0
        assert model._TITLE_SLOT.__get__(article) is None  # the title is the store's too
        twin = fresh.by_key(article.key)
        assert twin is not None and article.text == twin.text
        assert article.title == twin.title


@pytest.mark.parametrize("every", [2, 1_000_000])
def test_a_first_load_gives_freed_memory_back_as_it_goes(
    collection: Path, monkeypatch: pytest.MonkeyPatch, every: int
) -> None:
    """Every few bodies written and let go, their memory goes back to the system, not
    only once the load is written (the snapshot): glibc kept it, and it was part of
    a million's peak."""
    import tui.corpus.session as session_module

    released: list[int] = []
    monkeypatch.setattr(session_module, "RELEASE_EVERY", every)
    monkeypatch.setattr(session_module, "release_free_memory", lambda: released.append(1))
    corpus, _ = load([str(collection)], None, cache=True)
    assert all(article.stored >= 0 for article in corpus.by_serial)
    # Five bodies: at least one return on the way when every two, then the snapshot's.
    assert len(released) >= 2 if every == 2 else len(released) == 1


def test_a_second_first_load_neither_wipes_a_finished_store_nor_fights_over_one(
    collection: Path,
) -> None:
    cache = os.environ["BROADSHEET_CACHE_DIR"]
    late = Store.open([str(collection)], infer=True, cache_dir=cache)  # opened, empty
    _listing(collection)  # another instance loads and completes the store meanwhile
    fresh, _ = load([str(collection)], None, cache=False)
    articles = list(fresh.by_serial)
    texts = [prepare(article) for article in articles]
    assert late.write_batch(articles, texts) is False  # left alone
    assert _rows(collection) == (5, 5)
    late.close()

    rebuilt = Store.open([str(collection)], infer=True, cache_dir=cache, rebuild=True)
    first = Store.open([str(collection)], infer=True, cache_dir=cache)
    second = Store.open([str(collection)], infer=True, cache_dir=cache)
    assert first.write_batch(articles[:2], texts[:2])
    assert second.write_batch(articles, texts)  # takes the load over
    assert first.write_batch(articles[2:], texts[2:]) is False  # and the first stops
    for store in (rebuilt, first, second):
        store.close()


def test_a_reopen_that_meets_a_store_being_rewritten_reads_the_files(
    collection: Path,
) -> None:
    _listing(collection)
    session = CorpusSession([str(collection)], cache=True)
    assert session.open_store() is None and session.can_reopen
    other = Store.open(  # another instance: --rebuild
        [str(collection)], infer=True, cache_dir=os.environ["BROADSHEET_CACHE_DIR"], rebuild=True
    )
    reports: list[bool] = []
    assert session.reopen(lambda added, skipped, read, done, **_: reports.append(done)) is False
    assert len(session.corpus) == 0 and reports == []
    other.close()
    session.close()


def test_the_command_line_says_once_when_an_upgrade_rebuilt_the_store(
    collection: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--list", str(collection)]) == 0
    assert capsys.readouterr().err == ""  # a first store is no news
    monkeypatch.setattr(store_module, "parser_version", lambda: "a newer reader")
    assert main(["--list", str(collection)]) == 0
    err = capsys.readouterr().err
    assert err == "broadsheet: note: the store was built afresh: the reading code changed\n"
    assert main(["--list", str(collection)]) == 0
    assert capsys.readouterr().err == ""  # and only once


def test_a_store_on_a_read_only_disk_runs_from_memory_even_as_root(
    collection: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A read-only disk as SQLite meets it (root writes through file modes, so the
    test opens every store connection read-only instead)."""
    _listing(collection)
    _write(collection, "zebra.txt", "Zebras", "2025-03-04", "Zebras crossed.")
    real_connect = sqlite3.connect

    def read_only(path: str, *args: object, **kwargs: object) -> sqlite3.Connection:
        kwargs.pop("uri", None)
        return real_connect(f"file:{path}?mode=ro", *args, uri=True, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store_module.sqlite3, "connect", read_only)
    capsys.readouterr()
    assert main(["--list", str(collection)]) == 0
    captured = capsys.readouterr()
    assert "Zebras" in captured.out and len(captured.out.splitlines()) == 6
    assert captured.err.count("\n") == 1 and "readonly" in captured.err.replace(" ", "")


def test_a_store_that_fails_mid_load_leaves_no_copy_of_the_index_behind(
    collection: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def full_disk(self: Store, *args: object) -> bool:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(Store, "write_batch", full_disk)
    # The end of the load comes after the writer failed (the order that left copies).
    take_snapshot = CorpusSession._take_snapshot

    def late_snapshot(self: CorpusSession) -> None:
        assert self.writer is not None
        deadline = time.monotonic() + 5
        while self.writer.writing_load and time.monotonic() < deadline:
            time.sleep(0.01)
        take_snapshot(self)

    monkeypatch.setattr(CorpusSession, "_take_snapshot", late_snapshot)
    assert main(["--list", str(collection)]) == 0
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 5  # the answer stands
    warning = "broadsheet: warning: the store was not updated: database or disk is full\n"
    assert captured.err == warning
    folder = Path(_store_file(collection)).parent
    assert not list(folder.glob("*.shard*"))
    store, _ = open_store([str(collection)], infer=True)
    assert store is not None and not store.complete  # the next start reads the files
    store.close()


def test_a_reopen_lists_an_articles_repeating_files_as_they_are_now(collection: Path) -> None:
    original = sorted(collection.glob("002_*"))[0]
    copies = [collection / "zz_copy1.txt", collection / "zz_copy2.txt"]
    for copy in copies:
        copy.write_bytes(original.read_bytes())
        os.utime(copy, (OLD, OLD))
    corpus, _ = load([str(collection)], None, cache=True)
    article = corpus.at_path(str(original))
    assert article is not None and len(article.duplicates) == 2
    copies[0].unlink()
    load([str(collection)], None, cache=True)  # the store takes the removal in
    corpus, _ = load([str(collection)], None, cache=True)
    article = corpus.at_path(str(original))
    assert article is not None
    assert article.duplicates == (str(copies[1]),)
    assert corpus.at_path(str(copies[0])) is None


@pytest.mark.parametrize("most_read_first", [3, 2])
def test_a_search_during_a_reopen_has_its_matches_read_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, most_read_first: int
) -> None:
    """A re-open of 100,000 articles takes ~1 s to read them all, the top of the list
    first: a rare word typed meanwhile found only the matches read so far. Now its
    other matches are read next, before the rest, and the search finds them all. A
    word with more matches than the index asks for first (*most_read_first*, for
    20,000 at a million) waits for the rest like any other."""
    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(60):
        word = "zanzibarite" if number in (3, 17, 41) else "ordinary"
        date = f"2020-01-{number % 28 + 1:02d}"
        _write(folder, f"a{number:02d}.txt", f"Title {number}", date, f"An {word} article.")
    load([str(folder)], None, cache=True)  # writes the store
    monkeypatch.setattr(store_module, "_TOP_ROWS", 10)
    monkeypatch.setattr(store_module, "_WANTED_EVERY", 5)
    monkeypatch.setattr("tui.corpus.index._UNREAD_HITS", most_read_first)
    store, _ = open_store([str(folder)], infer=True)
    assert store is not None and store.complete
    corpus = Corpus()
    index = SearchIndex()
    query = parse_query("zanzibarite")
    sizes: list[int] = []
    found: list[int] = []

    answers: list[bool] = []

    def searched(new: list[object], read: int, asked: bool) -> None:
        if not new:
            return  # how far the read is, every few thousand rows
        sizes.append(len(corpus))
        answers.append(asked)
        if len(sizes) <= 3:
            found.append(len(index.search(query) or ()))

    finish(reopen_in_steps(store, corpus, index, on_batch=searched))
    try:
        matched = {corpus.by_serial[serial].title for serial in index.search(query) or ()}
    finally:
        store.close()
    assert matched == {"Title 3", "Title 17", "Title 41"}
    assert len(corpus) == sizes[-1] == 60
    assert sizes[0] == 10  # the top of the list
    assert found[0] < 3  # the matches read so far
    if most_read_first < 3:  # too many to read first: found once all are read
        assert sizes == [10, 60] and answers == [False, False], sizes
        return
    # The next batch is the other matches, on their own, asked for after the first 5
    # rows were read: all three are found long before the 60 are. The rest come last,
    # in one batch, once every row is read.
    assert sizes == [10, 13, 60], sizes
    assert answers == [False, True, False]  # the matches are an answer, shown at once
    assert found[1] == 3, (found, sizes)


def test_a_reopen_hands_the_rest_over_in_the_lists_order_as_a_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rows after the top are read as the table lies and handed over at the end,
    with their positions in the list as the store's index keeps them: the hint must
    be the list's true order (else the corpus sorts a million keys the slow way), and
    the corpus's order after the re-open must be the order of a load from the files."""
    folder = tmp_path / "shuffled"
    folder.mkdir()
    rng = random.Random(7)
    for number in range(80):  # written in an order that is not the dates' order
        word = "zanzibarite" if number in (5, 50) else "ordinary"
        day = rng.randint(1, 28)
        date = f"20{rng.randint(10, 24)}-{rng.randint(1, 12):02d}-{day:02d}"
        date = "" if number % 9 == 0 else date  # some undated
        _write(
            folder,
            f"n{rng.randint(0, 9)}-{number:02d}.txt",
            f"Title {number}",
            date,
            f"An {word} one.",
        )
    loaded, _ = load([str(folder)], None, cache=True)  # writes the store
    monkeypatch.setattr(store_module, "_TOP_ROWS", 10)
    monkeypatch.setattr(store_module, "_WANTED_EVERY", 20)
    monkeypatch.setattr(store_module, "_PROGRESS_EVERY", 25)
    store, _ = open_store([str(folder)], infer=True)
    assert store is not None and store.complete
    index = SearchIndex()
    try:
        batches = []
        read_afresh = str(sorted(folder.iterdir())[0])
        for batch in store.read(skip=[read_afresh], wanted=lambda: [5, 50]):
            batches.append(batch)
        # The top, then the two rows asked for (made and held already), then the rest;
        # between them, how far the read is, every 25 rows or more.
        assert [len(batch.articles) for batch in batches if batch.articles] == [10, 2, 67]
        assert sorted(batches[1].rows) == [5, 50]
        progress = [batch.read for batch in batches if not batch.articles]
        assert len(progress) == 2 and 25 <= progress[0] <= progress[1] - 25 < 79, progress
        assert batches[-1].read == 79
        rest = batches[-1]
        assert rest.in_order is not None
        hinted = [rest.articles[position] for position in rest.in_order]
        assert [sort_key(a) for a in hinted] == sorted(sort_key(a) for a in rest.articles)
        everything = [a for batch in batches for a in batch.articles]
        assert len(everything) == len(loaded) - 1  # one file was read afresh
        corpus = Corpus()
        finish(reopen_in_steps(store, corpus, index))
    finally:
        store.close()
    assert [a.path for a in corpus.articles] == [a.path for a in loaded.articles]


def test_a_reopen_reports_how_far_it_is_while_it_holds_the_rows_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between the top of the list and the rest, a million rows take seconds to read:
    the header's count of what was read must go on rising meanwhile, and the loading
    thread must give way to keys (the session's pause) between those reports."""
    folder = tmp_path / "progress"
    folder.mkdir()
    for number in range(60):
        _write(
            folder,
            f"p{number:02d}.txt",
            f"Title {number}",
            f"2021-03-{number % 28 + 1:02d}",
            "Text.",
        )
    _listing(folder)  # writes the store
    monkeypatch.setattr(store_module, "_TOP_ROWS", 5)
    monkeypatch.setattr(store_module, "_WANTED_EVERY", 10)
    monkeypatch.setattr(store_module, "_PROGRESS_EVERY", 10)
    pauses: list[int] = []
    session = CorpusSession([str(folder)], cache=True, pause=lambda: pauses.append(1))
    assert session.open_store() is None and session.can_reopen
    reports: list[tuple[int, int, int, bool]] = []

    def report(
        added: list[int], skipped: list[object], read: int, done: bool, answers: bool = False
    ) -> None:
        reports.append((len(added), len(session.corpus), read, done))

    try:
        assert session.reopen(report)
    finally:
        session.close()
    assert reports[0][:2] == (5, 5)  # the top of the list
    assert reports[-1] == (0, 60, 60, True)
    between = [(shown, read) for added, shown, read, done in reports[1:-2]]
    assert between and all(added == 0 for added, *_ in reports[1:-2])
    assert all(shown == 5 for shown, _ in between)  # the rows are held back meanwhile
    reads = [read for _, read in between]
    assert reads == sorted(reads) and reads[0] >= 15 and reads[-1] < 60
    assert reports[-2][:3] == (55, 60, 60)  # then the rest, in one batch
    assert len(pauses) >= len(reports) - 1


def test_a_search_of_many_phrases_reads_the_stores_word_forms(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A body that is not plain (an accented name) had to be folded again for every
    search of many phrases (~15 µs a 4 KB article: 0.75 s at 50k): the store keeps
    its word form, and such a search reads that, with the same answers."""
    folder = tmp_path / "accents"
    folder.mkdir()
    bodies = {
        "a.txt": "Søren said the amber basil was sold in Łódź.",
        "b.txt": "The café sold ambér, then basil and cedar.",  # none of them
        "c.txt": "Nothing but “cedar delta” and £5.",
        "d.txt": "Plain text: the amber basil.",
        "e.txt": "Ørsted cedar, delta € and more.",
    }
    for number, (name, body) in enumerate(bodies.items()):
        _write(folder, name, f"Note {number}", f"2024-01-0{number + 1}", body)
    query = '"amber basil" OR "cedar delta" OR "sold in lodz"'
    expected = _fresh(folder, query)
    assert {title for _, title, _ in expected} == {"Note 0", "Note 2", "Note 3", "Note 4"}
    assert _listing(folder, query) == expected  # the first run writes the store
    with sqlite3.connect(_store_file(folder)) as connection:
        kept = connection.execute("SELECT count(*) FROM bodies WHERE words IS NOT NULL")
        assert kept.fetchone()[0] == 4  # not the plain one

    from tui.corpus import wordrows

    def no_folding(text: bytes) -> object:
        raise AssertionError("a body was folded: the store keeps its word form")

    monkeypatch.setattr(wordrows, "_fold_body", no_folding)
    assert _listing(folder, query) == expected


PARTIAL_QUERIES = [
    "zebras",
    "pakistan",
    "pakist",
    '"prime minister"',
    '"minister prime"',  # its words, not in this order: read, then rejected
    "title:putin",
    "title:zebras OR astana",
    "russia -china",
    "pakistan date:2024",
    "minister after:2023-06 -zebras",
    "minister is:unread",
    '"foreign minister" OR "winter olympics" OR "radio pakistan" OR title:"travel drought"',
    # No clause of positive words: every row is read.
    "-zebras",
    "date:2024",
    "is:unread",
]


def test_a_query_on_the_command_line_reads_only_the_rows_that_may_match(
    collection: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--list --query WORD`` re-read every record of the store (1.6 s at 100k) to
    answer for a few: it now asks the store's FTS5 for the rows that may match and
    reads those alone, with the same answer as a fresh read, changes included."""
    _listing(collection)  # writes the store
    original = sorted(collection.glob("002_*"))[0]
    copy = collection / "zz_copy.txt"
    copy.write_bytes(original.read_bytes())  # a new file repeating an article
    os.utime(copy, (OLD, OLD))
    _write(collection, "zebra.txt", "Zebras in Astana", "2025-03-04", "Zebras crossed.")
    # Changed in place, so that it matches now: found though the store says it does not.
    changed = sorted(collection.glob("003_*"))[0]
    changed.write_text(
        changed.read_text(encoding="utf-8") + "\nA zebras sighting.\n", encoding="utf-8"
    )
    os.utime(changed, (OLD, OLD + 99))
    sorted(collection.glob("001_*"))[0].unlink()
    read_sizes: list[int] = []
    real_read = Store.read

    def counted(self: Store, **options: object) -> object:
        for batch in real_read(self, **options):  # type: ignore[arg-type]
            read_sizes.append(len(batch.articles))
            yield batch

    monkeypatch.setattr(Store, "read", counted)
    before = _rows(collection)
    assert len(_listing(collection, "zebras")) == 2
    assert sum(read_sizes) == 0  # the store knows no zebras: the files read say so
    # Reading part of the store writes nothing to it (it could not take out an article
    # it did not read); reading all of it brings it up to date.
    assert _rows(collection) == before
    for query in PARTIAL_QUERIES:
        read_sizes.clear()
        stored = _rows(collection)[0]
        assert _listing(collection, query) == _fresh(collection, query), query
        if query.startswith(("-", "date:", "is:")):
            assert sum(read_sizes) == stored, query
    assert _rows(collection) != before
    assert _listing(collection) == _fresh(collection)


def test_files_the_store_could_not_trust_are_confirmed_by_a_query_on_the_command_line(
    collection: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files modified near a load (a copy or a sync just before it) are stored with no
    identity, so the next check reads them. A query on the command line reads only part
    of the store and writes no change; it still gives back the identity of each file
    whose text is the one the store holds, else every query read them all again."""
    from tui.corpus import watch
    from tui.corpus.store import open_stored_files

    _listing(collection)  # writes the store
    changed = sorted(collection.glob("003_*"))[0]
    with sqlite3.connect(_store_file(collection)) as connection:
        connection.execute("UPDATE files SET size = -1, mtime_ns = -1, inode = -1")
    changed.write_text(changed.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    os.utime(changed, (OLD, OLD + 99))
    read: list[str] = []
    real_read_files = watch.read_files

    def counted(paths: list[str], *args: object, **kwargs: object) -> object:
        paths = list(paths)
        read.extend(paths)
        return real_read_files(paths, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(watch, "read_files", counted)
    assert _listing(collection, "zebras") == []
    assert len(read) == 5  # none trusted
    with open_stored_files(_store_file(collection)) as stored:
        assert stored is not None
        known = stored.everything()
    for path in collection.iterdir():
        status = path.stat()
        identity = known[os.fsencode(path.resolve())]
        if path == changed:  # its text is not the store's: it waits for a full read
            assert identity == (-1, -1, -1)
        else:
            assert identity == (status.st_size, status.st_mtime_ns, status.st_ino)
    read.clear()
    assert _listing(collection, "zebras") == []
    assert [Path(path).name for path in read] == [changed.name]
    assert _listing(collection, "more") == _fresh(collection, "more")


def test_a_query_on_the_command_line_lists_only_the_folders_whose_mtime_changed(
    collection: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once a full check has recorded the folders, a query on the command line lists
    only those whose mtime changed (a file added, removed or renamed changes it, as
    notmuch relies on) and stats the files of the articles that may match: no walk
    of every file. A file rewritten in place that only now matches waits for a full
    check (the reader's, or a list with no query)."""
    from tui.corpus import session

    os.utime(collection, (OLD, OLD))
    _listing(collection)  # the first load: no record of the folders yet
    assert _listing(collection, "zebras") == []  # a full check, which records them
    with sqlite3.connect(_store_file(collection)) as connection:
        record = dict(connection.execute("SELECT path, mtime_ns FROM folders"))
    assert record == {os.fsencode(collection.resolve()) + b"/": OLD * 1_000_000_000}

    def no_walk(*args: object, **kwargs: object) -> object:
        raise AssertionError("every file was statted: the record should have served")

    walk = session.plain_folders
    monkeypatch.setattr(session, "plain_folders", no_walk)
    # Rewritten in place, the folder's mtime as it was: among the files that may match.
    matching = sorted(collection.glob("003_*"))[0]
    matching.write_text(
        matching.read_text(encoding="utf-8").replace("Mishustin", "Kazakhstan"), encoding="utf-8"
    )
    os.utime(matching, (OLD, OLD + 99))
    other = sorted(collection.glob("004_*"))[0]
    other.write_text(other.read_text(encoding="utf-8") + "\nZebras.\n", encoding="utf-8")
    os.utime(other, (OLD, OLD + 99))
    os.utime(collection, (OLD, OLD))
    assert _listing(collection, "mishustin") == _fresh(collection, "mishustin") == []
    assert _listing(collection, "zebras") == []  # unseen until a full check
    # A file added: its folder is listed again, every file in it compared.
    _write(collection, "zebra.txt", "Zebras in Astana", "2025-03-04", "Zebras crossed the road.")
    expected = _fresh(collection, "zebras")
    assert len(expected) == 2 and _listing(collection, "zebras") == expected
    # A query writes no change: the folder stays unsettled, and the next query lists
    # it again, though its mtime is the one it had.
    os.utime(collection, (OLD + 1, OLD + 1))
    assert _listing(collection, "zebras") == expected
    assert _listing(collection, "zebras") == expected
    monkeypatch.setattr(session, "plain_folders", walk)
    _listing(collection)  # a list with no query checks every file, and writes
    with sqlite3.connect(_store_file(collection)) as connection:
        record = dict(connection.execute("SELECT path, mtime_ns FROM folders"))
    assert record == {os.fsencode(collection.resolve()) + b"/": (OLD + 1) * 1_000_000_000}
    assert _listing(collection, "zebras") == expected


def test_the_readers_check_takes_the_cheap_route_first(
    collection: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reader's check after a re-open gives the files added in the folders whose
    mtime changed before it stats every file; that full check comes next, and what it
    reads again changes nothing."""
    from tui.corpus import session as session_module

    os.utime(collection, (OLD, OLD))
    _listing(collection)
    _listing(collection, "zebras")  # a full check: the folders recorded
    _write(collection, "zebra.txt", "Zebras in Astana", "2025-03-04", "Zebras crossed the road.")
    session = CorpusSession([str(collection)], cache=True)
    session.open_store()
    assert session.reopen(lambda *args, **kwargs: None)
    events: list[object] = []
    full_check = session_module.changed_files

    def counted(*args: object, **kwargs: object) -> object:
        events.append("full check")
        return full_check(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(session_module, "changed_files", counted)
    try:
        for changes in session.check_folder(quick_first=True):
            events.append([Path(path).name for path, _, _ in changes.read])
            new = session.apply(changes).new
            events.append(len(new))
    finally:
        session.close()
    assert events[:3] == [["zebra.txt"], 1, "full check"]
    assert events[3:] in ([], [["zebra.txt"], 0])  # read again, unless written already
    assert _listing(collection, "zebras") == _fresh(collection, "zebras")


_CHECKER = """
import sys
sys.path.insert(0, {root!r})
from tui.corpus.session import FolderCheck, changed_files
from tui.corpus.store import open_stored_files, store_path
from tui.corpus.watch import cache_directory

folder, failed = sys.argv[1:]
if failed != "-":
    from tui.corpus import session

    lean = session._compare_plain

    def _compare_plain(paths, stored, pause, share=None):
        if share == (1, 2):  # the grandchild's
            open(failed, "w").close()
            raise RuntimeError("the grandchild fails")
        return lean(paths, stored, pause, share)

    session._compare_plain = _compare_plain
check = FolderCheck.start([folder], infer=True)
assert check is not None, "no child: threads were running"
found = check.result()
with open_stored_files(store_path([folder], infer=True, cache_dir=cache_directory())) as stored:
    here = changed_files([folder], stored)
print(found.to_read == here.to_read and found.gone == here.gone)
print(sorted(found.to_read), sorted(found.gone))
"""


@pytest.mark.parametrize("trouble", ["none", "linked folder", "grandchild fails"])
def test_the_folder_check_in_a_child_process_finds_what_one_here_finds(
    collection: Path, tmp_path: Path, trouble: str
) -> None:
    """The command line compares the folder with the store in a forked child (which
    shares the files out with a grandchild) while it reads the store: its answer is
    the one the comparison gives in-process, in the same order. So it is where only
    discover's walk will do (a linked folder), and when the grandchild fails."""
    if trouble == "linked folder":
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()
        _write(elsewhere, "linked.txt", "Linked", "2024-05-06", "Reached by a link.")
        (collection / "linked").symlink_to(elsewhere)
    _listing(collection)
    _write(collection, "zebra.txt", "Zebras", "2025-03-04", "Zebras crossed.")
    odd = os.fsencode(collection) + b"/caf\xe9.txt"  # a name that is not UTF-8
    with open(odd, "wb") as stream:
        stream.write(b"Date: 2024-01-01\n\nBody.\n")
    changed = sorted(collection.glob("003_*"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    sorted(collection.glob("001_*"))[0].unlink()
    script = tmp_path / "checker.py"
    script.write_text(_CHECKER.format(root=str(Path(__file__).resolve().parent.parent)))
    failed = tmp_path / "grandchild-failed"
    mark = str(failed) if trouble == "grandchild fails" else "-"
    result = subprocess.run(
        [sys.executable, str(script), str(collection), mark],
        capture_output=True,
        text=True,
        check=True,
    )
    agrees, found = result.stdout.splitlines()
    assert agrees == "True", found
    assert "zebra.txt" in found and "caf" in found and "003_" in found and "001_" in found
    assert failed.exists() == (trouble == "grandchild fails")


def test_a_broad_first_letter_after_a_reopen_is_every_article_but_those_lacking_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A broad first letter after a re-open: when the store's rows are each one article
    (all rows counted once), the answer is every article but those whose rows lack it,
    the only rows fetched (fetching a million rowids took ~0.4 s); a letter the first
    rows say few have is fetched. When a row is left out (a file changed while
    closed), the matches are counted and fetched, and the answers agree with a load
    from the files either way."""
    import tui.corpus.index as index_module

    folder = tmp_path / "news"
    folder.mkdir()
    for number in range(12):
        extra = " zebra" if number % 3 == 0 else ""
        extra += "" if number == 7 else " quill"
        _write(folder, f"{number:02d}.txt", f"Title {number}", "2021-03-04", f"Text{extra}.")
    _listing(folder)  # writes the store
    fetched: list[str] = []
    rowid_texts = index_module._rowid_texts

    def fetching(tables: object, expression: str) -> object:
        fetched.append(expression)
        return rowid_texts(tables, expression)  # type: ignore[arg-type]

    monkeypatch.setattr(index_module, "_rowid_texts", fetching)
    monkeypatch.setattr(index_module, "_COUNT_SAMPLE", 6)
    counted: list[int] = []  # the bound of each count: the sample's, or -1 (all rows)
    count = index_module._count

    def counting(sources: object, expression: str, below: int = -1) -> int:
        counted.append(below)
        return count(sources, expression, below)  # type: ignore[arg-type]

    monkeypatch.setattr(index_module, "_count", counting)

    def search(words: str, *, written: bool = False) -> set[str]:
        session = CorpusSession([str(folder)], cache=True)
        try:
            assert session.open_store() is None and session.can_reopen
            assert session.reopen(lambda *_, **__: None)
            for changes in session.check_folder(lambda: False):
                session.apply(changes)
            session.index_staged()
            if written:  # the changes in the store too: rows the re-open never read
                assert session.writer is not None
                session.writer.wait()
                session.search(parse_query("nothing"))  # a search after the change
            found = session.search(parse_query(words)) or set()
            corpus = session.corpus
            return {corpus.by_serial[s].title for s in found if s not in corpus.removed}
        finally:
            session.close()

    def from_the_files(words: str) -> set[str]:
        return {title for _, title, _ in _listing(folder, words, cache=False)}

    assert search("t") == {f"Title {number}" for number in range(12)}
    # Every article one row (all rows counted, the store's and its own, once), and
    # none of them lacks it.
    assert fetched == [f'"{index_module.EVERY_ROW}" NOT (("t"*))']
    assert counted[-2:] == [6, -1]  # the first rows, then every row
    fetched.clear()
    counted.clear()
    assert search("z") == {"Title 0", "Title 3", "Title 6", "Title 9"}
    assert fetched == ['("z"*)']  # some: fetched
    assert counted == [6]  # the first rows told it: no count of them all
    assert from_the_files("z") == {"Title 0", "Title 3", "Title 6", "Title 9"}
    fetched.clear()
    assert search("q") == {f"Title {number}" for number in range(12) if number != 7}
    assert fetched == [f'"{index_module.EVERY_ROW}" NOT (("q"*))']  # the one that lacks it
    # A file changed while closed: the article it gave is taken out, its new text
    # comes in beside the store's (which still counts the old one until written).
    _write(folder, "05.txt", "Zebra 5", "2021-03-04", "Zebra now.")
    for letters in ("t", "z", "ze", "n", "q"):
        assert search(letters) == from_the_files(letters), letters
        assert search(letters, written=True) == from_the_files(letters), letters


def test_a_reopens_matches_are_its_articles_own_serials(tmp_path: Path) -> None:
    """A re-open's matches come from store rows through a map to serials: they are the
    articles' own int objects (at a million, ints made afresh held ~28 MB more a set).
    A letter every article has is :class:`Bits`, which holds no ints."""
    folder = tmp_path / "news"
    folder.mkdir()
    for number in range(300):
        word = "pakistan" if number % 2 else "delhi"
        _write(folder, f"{number:03d}.txt", f"Title {number}", "2021-03-04", f"Text {word}.")
    _listing(folder)  # writes the store
    session = CorpusSession([str(folder)], cache=True)
    try:
        assert session.open_store() is None and session.can_reopen
        assert session.reopen(lambda *_, **__: None)
        by_serial = session.corpus.by_serial
        for text, count in (("pakistan", 150), ("t", 300), ("delhi", 150)):
            found = session.search(parse_query(text)) or set()
            assert len(found) == count, text
            assert isinstance(found, Bits) == (text == "t"), text
            if isinstance(found, Bits):
                continue
            large = [serial for serial in found if serial > 256]
            assert large and all(serial is by_serial[serial].serial for serial in large), text
    finally:
        session.close()


def test_rows_another_instance_wrote_are_not_counted_as_this_ones(tmp_path: Path) -> None:
    """Rows written to the store after this re-open read it (by another instance, of a
    file this one has not seen) are none of this one's articles: counting them would
    make a letter most articles have look like one all of them have."""
    folder = tmp_path / "news"
    folder.mkdir()
    _write(folder, "a.txt", "Title a", "2021-03-04", "Text a.")
    _write(folder, "b.txt", "Title b", "2021-03-05", "Text b.")
    _write(folder, "c.txt", "Only c", "2021-03-06", "Body c.")  # no word in t
    _listing(folder)  # writes the store

    def reopened() -> CorpusSession:
        session = CorpusSession([str(folder)], cache=True)
        assert session.open_store() is None and session.can_reopen
        assert session.reopen(lambda *_, **__: None)
        return session

    this = reopened()
    try:
        _write(folder, "d.txt", "Title d", "2021-03-07", "Text d.")
        other = reopened()  # another instance: it reads the new file and writes it
        try:
            for changes in other.check_folder(lambda: False):
                other.apply(changes)
            assert other.writer is not None
            other.writer.wait()
        finally:
            other.close()
        found = this.search(parse_query("t")) or set()
        assert {this.corpus.by_serial[s].title for s in found} == {"Title a", "Title b"}
    finally:
        this.close()


def test_rows_a_reopen_has_not_read_yet_are_not_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While a re-open reads, a letter is searched among the rows read: the rows not
    read yet are never counted as theirs (a row read and one unread, both matching,
    would make the count look like all of them)."""
    folder = tmp_path / "news"
    folder.mkdir()
    _write(folder, "a.txt", "Title a", "2021-03-01", "Text a.")
    _write(folder, "b.txt", "Only b", "2021-03-02", "Body b.")
    _write(folder, "c.txt", "Only c", "2021-03-03", "Body c.")
    _write(folder, "d.txt", "Title d", "2021-03-04", "Text d.")
    _write(folder, "e.txt", "Title e", "2021-03-05", "Text e.")
    _write(folder, "f.txt", "Only f", "2021-03-06", "Body f.")
    _listing(folder)  # writes the store
    monkeypatch.setattr(store_module, "_TOP_ROWS", 3)
    store, _ = open_store([str(folder)], infer=True)
    assert store is not None and store.complete
    corpus = Corpus()
    index = SearchIndex()
    found: list[set[str]] = []

    def searched(new: list[object], read: int, asked: bool) -> None:
        if new and not found:  # the top of the list: d, e and f
            matches = index.search(parse_query("t")) or set()
            found.append({corpus.by_serial[s].title for s in matches})

    try:
        finish(reopen_in_steps(store, corpus, index, on_batch=searched))
    finally:
        store.close()
    assert found == [{"Title d", "Title e"}]


def test_the_store_is_looked_at_once_when_the_command_line_looked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command line looks at the store before the reader starts (to skip the head
    start); the reader takes that answer, and looks only when it was not given one
    (each look opens the store: 24-145 ms measured on the UI thread at mount)."""
    import tui.corpus.session as session_module

    looks: list[object] = []
    monkeypatch.setattr(session_module, "store_ready", lambda *a, **k: looks.append(a) or True)
    folder = str(tmp_path)
    assert CorpusSession([folder], store_ready=False).store_looks_ready() is False
    assert CorpusSession([folder], store_ready=True).store_looks_ready() is True
    assert looks == []
    assert CorpusSession([folder]).store_looks_ready() is True
    assert len(looks) == 1
    assert CorpusSession([folder], store_ready=True, cache=False).store_looks_ready() is False
