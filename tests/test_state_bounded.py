"""A state of millions of keys never stalls a key (issue 12, item 11, finished).

Loading and saving already ran in worker threads, but a worker holding the GIL in one
long C call stalls the UI thread just the same: a set of 1.5 million keys growing (and
being reorganised) or copied whole held it for 80-380 ms. Now every step over the keys
is bounded: the marks live in many small groups, built apart and swapped in by
reference; a save's snapshot copies nothing up front (a group is copied only when a
mark changes it meanwhile); the first save does not re-read what the load just read.

Checked by counting, never by timing: the largest group and the largest copy the state
module makes, how often the file is read; and, with a mark made at every chance the UI
thread gets (every pause), that no mark is ever lost. ``bench/bench_state.py`` measures
the stalls themselves.
"""

from __future__ import annotations

import builtins
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.corpus import state as state_module
from tui.corpus.state import ReadState

GUARD = 60.0
"""Seconds a test waits for a child before giving up (a deadlock guard, not a measure)."""

KEYS = 40_000
"""Keys in each list of the big file: far more than any group or step may hold."""

BOUND = 2_000
"""The most keys one container of the state may hold, or one copy may take, for KEYS
keys (the design gives about KEYS / 256 per group and chunks of 8,000 at most)."""


def hex_keys(count: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    return [f"{rng.getrandbits(128):032x}" for _ in range(count)]


def write_state(folder: Path, read: list[str], flagged: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    data = {"version": 1, "read": read, "flagged": flagged}
    (folder / "state.json").write_text(json.dumps(data, separators=(",", ":")))


def on_disk(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / "state.json").read_bytes())
    return data


def same_keys(found: list[str], expected: Any) -> bool:
    """The file's list holds exactly *expected*, each once (its order is by group)."""
    return len(found) == len(set(found)) and set(found) == set(expected)


def key_containers(state: ReadState) -> list[int]:
    """The size of every dict, set or list of keys the state holds (walked through its
    attributes, lists, tuples and slotted objects)."""
    sizes: list[int] = []
    seen: set[int] = set()

    def walk(value: object) -> None:
        if id(value) in seen or isinstance(value, (str, bytes, int, float, bool, type(None))):
            return
        seen.add(id(value))
        if isinstance(value, (dict, set, frozenset, list, tuple)):
            items = list(value)
            if items and all(isinstance(item, str) for item in items):
                sizes.append(len(items))
                return
            for item in items:
                walk(item)
            if isinstance(value, dict):
                for item in value.values():
                    walk(item)
            return
        if type(value).__module__ == state_module.__name__:
            for name in getattr(type(value), "__slots__", ()):
                walk(getattr(value, name, None))
            for item in getattr(value, "__dict__", {}).values():
                walk(item)

    walk(state)
    return sizes


@pytest.fixture
def big(tmp_path: Path) -> tuple[Path, list[str], list[str]]:
    read, flagged = hex_keys(KEYS, 1), hex_keys(KEYS, 2)
    write_state(tmp_path, read, flagged)
    return tmp_path, read, flagged


# -- no step on the state's size ---------------------------------------------------


def test_loaded_marks_are_kept_in_small_groups(big: tuple[Path, list[str], list[str]]) -> None:
    """A set of a million keys grows by reorganising all of it in one C call: the marks
    are kept in groups that each stay small, however many there are."""
    folder, read, flagged = big
    state = ReadState.open(str(folder), load=False)
    state.load()
    assert state.counts() == (KEYS, KEYS)
    assert all(state.is_read(key) for key in read[::97])
    assert all(state.is_flagged(key) for key in flagged[::89])
    sizes = key_containers(state)
    assert sum(sizes) >= 2 * KEYS  # the walk found the marks
    assert max(sizes) <= BOUND, max(sizes)


def test_marks_made_after_the_load_stay_in_small_groups(
    big: tuple[Path, list[str], list[str]],
) -> None:
    folder, _, _ = big
    state = ReadState.open(str(folder))
    for key in hex_keys(5_000, 3):
        state.set_read(key)
    state.save()  # (the changes pending until then are the user's few marks)
    assert not state.dirty
    assert max(key_containers(state)) <= BOUND


class CountingCopies:
    """Stands in for the builtins the state module copies with (list, dict, set,
    sorted, tuple, and ``dict.fromkeys``): the largest result any call from that module
    made. ``isinstance`` checks still see the real types."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.largest = 0
        for name in ("list", "dict", "set", "sorted", "tuple"):
            monkeypatch.setattr(state_module, name, self._stand_in(getattr(builtins, name)),
                                raising=False)  # fmt: skip

    def _count(self, real: Callable[..., Any]) -> Callable[..., Any]:
        def counted(*args: Any, **kwargs: Any) -> Any:
            made = real(*args, **kwargs)
            self.largest = max(self.largest, len(made))
            return made

        return counted

    def _stand_in(self, real: Callable[..., Any]) -> Any:
        count = self._count

        class Counting(type):
            def __instancecheck__(cls, value: object) -> bool:
                return isinstance(value, real)  # type: ignore[arg-type]

            def __call__(cls, *args: Any, **kwargs: Any) -> Any:
                return count(real)(*args, **kwargs)

            def __getattr__(cls, name: str) -> Any:
                found = getattr(real, name)
                return count(found) if name == "fromkeys" else found

        return Counting(real.__name__, (), {})


def test_a_save_copies_no_more_than_a_chunk_at_once(
    big: tuple[Path, list[str], list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Copying 1.5 million keys for the snapshot held the GIL for 20-40 ms."""
    folder, read, flagged = big
    state = ReadState.open(str(folder))
    copies = CountingCopies(monkeypatch)
    new = hex_keys(3, 4)
    state.set_read(new[0])
    marks = iter(new[1:])

    def mark_meanwhile() -> None:
        key = next(marks, None)
        if key is not None:
            state.set_flagged(key)  # a group the snapshot holds is copied, not changed

    state.save(pause=mark_meanwhile)
    assert 0 < copies.largest <= BOUND, copies.largest
    assert same_keys(on_disk(folder)["read"], [*read, new[0]])
    assert same_keys(on_disk(folder)["flagged"], flagged)  # the snapshot, as it began
    assert state.dirty and all(state.is_flagged(key) for key in new[1:])
    state.save()
    assert same_keys(on_disk(folder)["flagged"], [*flagged, *new[1:]])


def test_serialised_chunks_are_bounded(big: tuple[Path, list[str], list[str]],
                                       monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    folder, _, _ = big
    sizes: list[int] = []
    real = state_module._json_items

    def counted(keys: Any) -> bytes:
        made = real(keys)
        sizes.append(made.count(b'","') + 1)
        return made

    monkeypatch.setattr(state_module, "_json_items", counted)
    state = ReadState.open(str(folder))
    state.set_read("f" * 32)
    state.save()
    assert sum(sizes) == 2 * KEYS + 1
    assert max(sizes) <= state_module._CHUNK_KEYS


def test_the_first_save_does_not_read_the_file_again(
    big: tuple[Path, list[str], list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The load records what it read; unless someone wrote the file since, the save
    has nothing to merge (re-reading 107 MB doubled the first save)."""
    folder, read, _ = big
    parsed: list[int] = []
    real = state_module._parse

    def counted(raw: bytes, pause: Any = None) -> Any:
        parsed.append(len(raw))
        return real(raw, pause)

    monkeypatch.setattr(state_module, "_parse", counted)
    state = ReadState.open(str(folder), load=False)
    state.load()
    state.set_read("f" * 32)
    state.save()
    state.set_read("e" * 32)
    state.save()
    assert len(parsed) == 1
    assert same_keys(on_disk(folder)["read"], [*read, "f" * 32, "e" * 32])


def test_a_write_by_someone_else_after_the_load_is_still_merged(tmp_path: Path) -> None:
    write_state(tmp_path, ["a" * 32], [])
    mine = ReadState.open(str(tmp_path), load=False)
    mine.load()
    other = ReadState.open(str(tmp_path))
    other.set_read("b" * 32)
    other.save()
    mine.set_flagged("c" * 32)
    mine.save()
    data = on_disk(tmp_path)
    assert same_keys(data["read"], ["a" * 32, "b" * 32]) and data["flagged"] == ["c" * 32]


def test_a_hand_edit_after_the_load_is_still_merged(tmp_path: Path) -> None:
    """Same size, same inode, no lock token changed: the timestamps tell."""
    write_state(tmp_path, ["a" * 32], [])
    mine = ReadState.open(str(tmp_path), load=False)
    mine.load()
    path = tmp_path / "state.json"
    info = path.stat()
    with open(path, "r+b") as handle:  # rewritten in place, as an editor may
        handle.write(path.read_bytes().replace(b"a" * 32, b"d" * 32))
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000))
    mine.set_flagged("c" * 32)
    mine.save()
    assert on_disk(tmp_path) == {"version": 1, "read": ["d" * 32], "flagged": ["c" * 32]}


# -- no mark lost, whenever it is made -------------------------------------------

KEY_POOL = hex_keys(40, 7)
actions = st.lists(
    st.tuples(st.sampled_from(["read", "flagged"]), st.sampled_from(KEY_POOL), st.booleans()),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(on_file=st.lists(st.sampled_from(KEY_POOL), max_size=30, unique=True),
       before=actions, during=actions, chunk=st.integers(1, 6))  # fmt: skip
def test_marks_made_at_any_moment_of_a_load_or_save_are_never_lost(
    tmp_path_factory: pytest.TempPathFactory,
    on_file: list[str],
    before: list[tuple[str, str, bool]],
    during: list[tuple[str, str, bool]],
    chunk: int,
) -> None:
    """The UI thread gets the GIL at every pause of the worker: a mark is made there,
    one at a time, through a load, a save and a second save. The marks in memory and
    on disk at the end are the file's with every mark applied in order."""
    folder = tmp_path_factory.mktemp("state")
    write_state(folder, on_file, on_file[::2])
    expected = {"read": set(on_file), "flagged": set(on_file[::2])}
    original = state_module._CHUNK_BYTES, state_module._CHUNK_KEYS
    state_module._CHUNK_BYTES, state_module._CHUNK_KEYS = 35 * chunk, chunk
    try:
        state = ReadState.open(str(folder), load=False)
        queue = list(during)

        def mark(which: str, key: str, value: bool) -> None:
            if which == "read":
                state.set_read(key, value)
            else:
                state.set_flagged(key, value)
            (expected[which].add if value else expected[which].discard)(key)

        def pause() -> None:
            if queue:
                mark(*queue.pop(0))

        for action in before:
            mark(*action)
        state.load(pause)
        state.save(pause)
        state.save(pause)
        while queue:
            pause()
        state.save()
    finally:
        state_module._CHUNK_BYTES, state_module._CHUNK_KEYS = original
    for which, check in (("read", state.is_read), ("flagged", state.is_flagged)):
        assert {key for key in KEY_POOL if check(key)} == expected[which]
        assert same_keys(on_disk(folder)[which], expected[which])
    assert not state.dirty


# -- kill -9 -----------------------------------------------------------------------

SAVER = """
import random, sys
from tui.corpus.state import ReadState
state = ReadState.open(sys.argv[1])
rng = random.Random(int(sys.argv[2]))
print("ready", flush=True)
while True:
    for _ in range(200):
        state.set_read(f"{rng.getrandbits(128):032x}")
    state.save()
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_kill_9_during_saves_leaves_a_whole_file(tmp_path: Path) -> None:
    """Killed at any moment of a chunked save, the file is a whole earlier save."""
    write_state(tmp_path, hex_keys(20_000, 9), [])
    path = tmp_path / "state.json"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    for round_ in range(4):
        child = subprocess.Popen(
            [sys.executable, "-c", SAVER, str(tmp_path), str(round_)],
            env=env,
            stdout=subprocess.PIPE,
        )
        assert child.stdout is not None
        assert child.stdout.readline() == b"ready\n"
        try:
            # Killed once it has replaced the file a few times: mid-save, or between.
            seen, changes, deadline = os.stat(path).st_ino, 0, time.monotonic() + GUARD
            while changes <= round_ and time.monotonic() < deadline:
                inode = os.stat(path).st_ino
                changes, seen = changes + (inode != seen), inode
        finally:
            child.kill()
            child.wait()
        assert changes > round_, "the child never saved"
        data = on_disk(tmp_path)
        assert len(data["read"]) >= 20_000 and len(set(data["read"])) == len(data["read"])
        again = ReadState.open(str(tmp_path))
        assert again.warnings == [] and again.counts()[0] == len(data["read"])
