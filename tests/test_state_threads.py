"""Read/flag state off the UI thread (issue 12, item 11).

A 107 MB state file (1.5 million keys) made the first frame wait 2.2 s and froze a
keystroke for 2.6 s at the debounced save. Now the app loads and saves in worker
threads, marks made before the load ends are merged, and a mark made during a save
is saved after it. Tested functionally: which thread calls the slow functions, and
what ends up on disk; nothing measures time.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui import background as background_module
from tui.app import BroadsheetApp
from tui.corpus import state as state_module
from tui.corpus.state import STATE_DIR_ENV, ReadState

from .app_helpers import make_app, settle, wait_until

X = "a" * 32
Y = "b" * 32
Z = "c" * 32

GUARD = 20.0
"""Seconds a test waits on its own gate before calling it a deadlock (never a measure)."""


def write_state(folder: Path, read: list[str], flagged: list[str] | None = None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    data = {"version": 1, "read": read, "flagged": flagged or []}
    (folder / "state.json").write_text(json.dumps(data))


def on_disk(folder: Path) -> dict[str, list[str]]:
    data: dict[str, list[str]] = json.loads((folder / "state.json").read_bytes())
    return data


def sorted_on_disk(folder: Path) -> dict[str, object]:
    """The file with each list sorted: keys are written group by group (see
    ``state._Marks``), each group in the order its keys were marked."""
    data = on_disk(folder)
    return {name: sorted(value) if isinstance(value, list) else value
            for name, value in data.items()}  # fmt: skip


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of a few keys, so the chunked reader and writer take every branch."""
    monkeypatch.setattr(state_module, "_CHUNK_BYTES", 40)
    monkeypatch.setattr(state_module, "_CHUNK_KEYS", 2)


# -- the model: deferred load, merging, saves that do not hold the marks ----------


def test_open_without_loading_reads_nothing(tmp_path: Path) -> None:
    write_state(tmp_path, [X])
    state = ReadState.open(str(tmp_path), load=False)
    assert not state.loaded and not state.is_read(X)
    state.load()
    assert state.loaded and state.is_read(X)


def test_marks_made_before_the_load_are_merged(tmp_path: Path) -> None:
    write_state(tmp_path, [X, Z], [X])
    state = ReadState.open(str(tmp_path), load=False)
    state.set_read(Y)
    state.set_read(Z, False)  # the user's word on Z came after the file's
    state.set_flagged(Y)
    version = state.version
    state.load()
    assert state.is_read(X) and state.is_read(Y) and not state.is_read(Z)
    assert state.is_flagged(X) and state.is_flagged(Y)
    assert state.version > version
    state.save()
    assert sorted_on_disk(tmp_path) == {"version": 1, "read": [X, Y], "flagged": [X, Y]}


def test_a_mark_never_waits_for_a_slow_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_state(tmp_path, [X])
    state = ReadState.open(str(tmp_path), load=False)
    parsing, release = threading.Event(), threading.Event()
    real_parse = state_module._parse

    def slow_parse(raw: bytes, pause: Any = None) -> Any:
        parsing.set()
        assert release.wait(GUARD)
        return real_parse(raw, pause)

    monkeypatch.setattr(state_module, "_parse", slow_parse)
    loader = threading.Thread(target=state.load)
    loader.start()
    try:
        assert parsing.wait(GUARD)
        marker = threading.Thread(target=lambda: (state.set_read(Y), state.toggle_flagged(Z)))
        marker.start()
        marker.join(GUARD)
        assert not marker.is_alive(), "a mark waited for the load"
        assert state.is_read(Y) and not state.loaded
    finally:
        release.set()
        loader.join(GUARD)
    assert state.is_read(X) and state.is_read(Y) and state.is_flagged(Z)


def test_a_mark_made_during_a_save_is_kept_for_the_next(tmp_path: Path, small_chunks: None) -> None:
    keys = [f"{number:032x}" for number in range(9)]
    state = ReadState.open(str(tmp_path))
    for key in keys:
        state.set_read(key)
    during: list[bool] = []

    def mark_meanwhile() -> None:
        # Called between chunks, as the app's foreground pause is: the UI thread's turn.
        if not during:
            state.set_read(Z)
            state.set_read(keys[0], False)
            during.append(True)

    state.save(pause=mark_meanwhile)
    assert during
    assert state.dirty  # the marks made meanwhile are still to be saved
    assert on_disk(tmp_path)["read"] == keys  # the snapshot, whole
    state.save()
    assert not state.dirty
    assert sorted(on_disk(tmp_path)["read"]) == sorted([*keys[1:], Z])


def test_chunked_reader_and_writer_round_trip(tmp_path: Path, small_chunks: None) -> None:
    odd = ['quote"', "back\\slash", "]", "[", ",", "", "é", X]
    keys = [f"{number:032x}" for number in range(11)]
    state = ReadState.open(str(tmp_path))
    for key in keys + odd:
        state.set_read(key)
    for key in keys[::2]:
        state.set_flagged(key)
    state.save()
    assert sorted_on_disk(tmp_path) == {"version": 1, "read": sorted(keys + odd),
                                        "flagged": keys[::2]}  # fmt: skip
    again = ReadState.open(str(tmp_path))
    assert again.warnings == []
    assert again.counts() == (len(keys) + len(odd), len(keys[::2]))
    assert all(again.is_read(key) for key in keys + odd)


keys_strategy = st.lists(
    st.one_of(
        st.text(alphabet="0123456789abcdef", min_size=32, max_size=32),
        st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=6),
        st.text(max_size=4),
    ),
    max_size=12,
)


@settings(max_examples=300, deadline=None)
@given(read=keys_strategy, flagged=keys_strategy, chunk=st.integers(1, 80))
def test_chunked_parse_agrees_with_json(read: list[str], flagged: list[str], chunk: int) -> None:
    original = state_module._CHUNK_BYTES, state_module._CHUNK_KEYS
    state_module._CHUNK_BYTES, state_module._CHUNK_KEYS = chunk, max(1, chunk // 10)
    try:
        raw = state_module._serialise(dict.fromkeys(read), dict.fromkeys(flagged))
        assert json.loads(raw) == {"version": 1, "read": list(dict.fromkeys(read)),
                                   "flagged": list(dict.fromkeys(flagged))}  # fmt: skip
        got = state_module._parse(raw)
        assert (len(got[0]), len(got[1])) == (len(set(read)), len(set(flagged)))
        assert (sorted(got[0]), sorted(got[1])) == (sorted(set(read)), sorted(set(flagged)))
    finally:
        state_module._CHUNK_BYTES, state_module._CHUNK_KEYS = original


@settings(max_examples=500, deadline=None)
@given(
    keys=st.lists(st.text(alphabet='0123456789abcdef[]",\\ ', max_size=5), max_size=6),
    cut=st.integers(0, 200),
    junk=st.binary(max_size=4),
)
def test_the_fast_reader_accepts_only_what_json_reads_the_same(
    keys: list[str], cut: int, junk: bytes
) -> None:
    """Damage a file anywhere: whenever the chunked reader accepts it, it reads what
    :func:`json.loads` reads; otherwise it hands over to the JSON path."""
    raw = state_module._serialise(dict.fromkeys(keys), dict.fromkeys(keys[::2]))
    damaged = raw[:cut] + junk + raw[cut + len(junk) :]
    original = state_module._CHUNK_BYTES
    state_module._CHUNK_BYTES = 7
    try:
        fast = state_module._parse_plain(damaged, None)
    finally:
        state_module._CHUNK_BYTES = original
    if fast is None:
        return
    data = json.loads(damaged)
    assert set(data) == {"version", "read", "flagged"} and data["version"] == 1
    assert (len(fast[0]), len(fast[1])) == (len(set(data["read"])), len(set(data["flagged"])))
    assert (sorted(fast[0]), sorted(fast[1])) == (sorted(set(data["read"])),
                                                  sorted(set(data["flagged"])))  # fmt: skip


# -- the app: loads and saves in workers ------------------------------------------


@pytest.fixture
def fast_saves(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(background_module, "SAVE_DELAY", 0.01)


@pytest.fixture
def thread_log(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, list[bool]]]:
    """For each slow state function, whether each call ran on the UI (main) thread."""
    calls: dict[str, list[bool]] = {"read": [], "parse": [], "serialise": []}

    def spy(name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            calls[name].append(threading.current_thread() is threading.main_thread())
            return real(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(ReadState, "_read_file", spy("read", ReadState._read_file))
    monkeypatch.setattr(state_module, "_parse", spy("parse", state_module._parse))
    monkeypatch.setattr(
        state_module, "_serialise_chunks", spy("serialise", state_module._serialise_chunks)
    )
    yield calls


def article_keys(app: BroadsheetApp) -> list[str]:
    return [app.corpus.by_serial[serial].key for serial in app.article_list.rows]


@pytest.mark.usefixtures("in_repo", "fast_saves")
async def test_the_ui_thread_never_reads_parses_or_writes_state(
    tmp_path: Path, thread_log: dict[str, list[bool]]
) -> None:
    folder = tmp_path / "state"
    write_state(folder, [Z])
    app = make_app(state=ReadState.open(str(folder), load=False))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await app.workers.wait_for_complete()
        assert app.state.is_read(Z)
        first, second = article_keys(app)[:2]
        await pilot.press("m")  # the top article: read, saved after the debounce
        await wait_until(pilot, lambda: not app.state.dirty)
        await pilot.press("j", "f")
        await pilot.press("q")  # saves the flag
    assert sorted_on_disk(folder) == {"version": 1, "read": sorted([Z, first]),
                                      "flagged": [second]}  # fmt: skip
    assert thread_log["read"] and thread_log["parse"] and thread_log["serialise"]
    assert not any(on_ui for calls in thread_log.values() for on_ui in calls), thread_log


@pytest.mark.usefixtures("in_repo", "fast_saves")
async def test_marks_appear_and_is_read_is_answered_once_the_load_ends(
    tmp_path: Path, thread_log: dict[str, list[bool]]
) -> None:
    probe = make_app()
    async with probe.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        keys = article_keys(probe)
    folder = tmp_path / "state"
    write_state(folder, [keys[1]], [keys[2]])
    app = make_app(query="is:read", state=ReadState.open(str(folder), load=False))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.state.loaded
        assert article_keys(app) == [keys[1]]
        assert app.state.is_flagged(keys[2])
    assert not any(on_ui for calls in thread_log.values() for on_ui in calls), thread_log


@pytest.mark.usefixtures("in_repo", "fast_saves")
async def test_marks_made_while_the_app_loads_state_are_merged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    probe = make_app()
    async with probe.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        keys = article_keys(probe)
    folder = tmp_path / "state"
    write_state(folder, [keys[3]], [keys[3]])
    parsing, release = threading.Event(), threading.Event()
    real_parse = state_module._parse

    def slow_parse(raw: bytes, pause: Any = None) -> Any:
        parsing.set()
        release.wait(GUARD)
        return real_parse(raw, pause)

    monkeypatch.setattr(state_module, "_parse", slow_parse)
    app = make_app(state=ReadState.open(str(folder), load=False))
    async with app.run_test(size=(120, 36)) as pilot:
        try:
            await settle(pilot)
            assert parsing.wait(GUARD)
            await pilot.press("m", "j", "f")  # answered while the load is stuck
            assert app.state.is_read(keys[0]) and app.state.is_flagged(keys[1])
            assert not app.state.loaded
        finally:
            release.set()
        await app.workers.wait_for_complete()
        await wait_until(pilot, lambda: not app.state.dirty)
        assert app.state.is_read(keys[3]) and app.state.is_flagged(keys[3])
        assert app.state.is_read(keys[0]) and app.state.is_flagged(keys[1])
        await pilot.press("q")
    assert sorted_on_disk(folder) == {"version": 1, "read": sorted([keys[3], keys[0]]),
                                      "flagged": sorted([keys[3], keys[1]])}  # fmt: skip


@pytest.mark.usefixtures("in_repo", "fast_saves")
async def test_a_mark_during_a_save_is_saved_after_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "state"
    writing, release = threading.Event(), threading.Event()
    real_write = ReadState._write_atomically
    writes: list[bool] = []
    """Per write: whether it ran on the UI (main) thread."""

    def slow_write(self: ReadState, folder_name: str, chunks: Any) -> None:
        on_ui = threading.current_thread() is threading.main_thread()
        writes.append(on_ui)
        if len(writes) == 1:
            writing.set()
            if not on_ui:  # (stuck on the UI thread, the test itself would stall)
                release.wait(GUARD)
        real_write(self, folder_name, chunks)

    monkeypatch.setattr(ReadState, "_write_atomically", slow_write)
    app = make_app(state=ReadState.open(str(folder)))
    async with app.run_test(size=(120, 36)) as pilot:
        try:
            await settle(pilot)
            keys = article_keys(app)
            await pilot.press("m")
            await wait_until(pilot, writing.is_set)
            await pilot.press("j", "m")  # the first save is stuck writing
            assert app.state.is_read(keys[1])
            await pilot.pause(0.1)  # the debounce runs out while the save is stuck
        finally:
            release.set()
        await wait_until(pilot, lambda: len(writes) >= 2 and not app.state.dirty)
        assert sorted(on_disk(folder)["read"]) == sorted(keys[:2])  # saved without quitting
    assert writes == [False, False]


APP_WITH_STATE = """
import asyncio, json
from tui.app import BroadsheetApp
from tui.corpus.state import ReadState

async def main() -> None:
    try:
        state = ReadState.open(load=False)  # as run_app opens it
    except TypeError:  # a Broadsheet that reads it right away
        state = ReadState.open()
    app = BroadsheetApp(["seeds"], state=state)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.loaded.wait()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("m")
        print(json.dumps([note.message for note in app._notifications]))
        await pilot.press("q")

asyncio.run(main())
"""


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.usefixtures("in_repo")
def test_the_reader_with_a_fifo_state_file_opens_and_quits(tmp_path: Path) -> None:
    """A FIFO in place of state.json used to hang the reader on a blank screen (``q``
    ignored): a child runs the app, so a hang fails the test instead of stalling it."""
    folder = tmp_path / "state"
    folder.mkdir()
    os.mkfifo(folder / "state.json")
    env = {**os.environ, STATE_DIR_ENV: str(folder), "PYTHONPATH": str(Path.cwd())}
    result = subprocess.run(
        [sys.executable, "-c", APP_WITH_STATE],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    notes = json.loads(result.stdout.splitlines()[-1])
    assert any("named pipe" in note and "moved aside" in note for note in notes), notes
    assert stat.S_ISFIFO(os.lstat(folder / "state.json.corrupt-1").st_mode)
    assert len(on_disk(folder)["read"]) == 1  # the mark made after it, saved at q
