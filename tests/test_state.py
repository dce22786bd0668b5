"""Read/flag state on disk: persistence, atomicity, corruption and two instances at once.

Every test works under ``tmp_path``; an autouse fixture points ``BROADSHEET_STATE_DIR``
there so nothing can reach the real home folder.
"""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tui.corpus import state as state_module
from tui.corpus.state import STATE_DIR_ENV, ReadState, state_directory

if TYPE_CHECKING:
    from multiprocessing.synchronize import Event

X = "a" * 32
Y = "b" * 32
Z = "c" * 32


@pytest.fixture(autouse=True)
def state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private state folder for every test (not created: the code must cope)."""
    folder = tmp_path / "state"
    monkeypatch.setenv(STATE_DIR_ENV, str(folder))
    return folder


def state_file(folder: Path) -> Path:
    return folder / "state.json"


def leftovers(folder: Path) -> list[str]:
    """Temp files a failed or finished write must not leave behind."""
    return sorted(name for name in os.listdir(folder) if name.endswith(".tmp"))


# -- the basics ------------------------------------------------------------------


def test_marks_persist_across_instances(state_dir: Path) -> None:
    first = ReadState.open()
    assert first.warnings == []
    first.set_read(X)
    first.set_flagged(Y)
    assert first.toggle_read(Z) is True
    assert first.toggle_read(Z) is False
    first.save()

    second = ReadState.open()
    assert second.warnings == []
    assert second.is_read(X) and not second.is_flagged(X)
    assert second.is_flagged(Y) and not second.is_read(Y)
    assert not second.is_read(Z)
    assert second.counts() == (1, 1)


def test_open_creates_nothing_until_a_save(state_dir: Path) -> None:
    state = ReadState.open()
    state.set_read(X)
    assert not state_dir.exists()
    state.save()
    assert state_file(state_dir).is_file()


def test_save_without_changes_is_a_no_op(state_dir: Path) -> None:
    ReadState.open().save()
    assert not state_dir.exists()


def test_no_state_writes_nothing(tmp_path: Path, state_dir: Path) -> None:
    state = ReadState.open(enabled=False)
    assert state.path is None
    state.set_read(X)
    assert state.toggle_flagged(Y) is True
    assert state.is_read(X) and state.is_flagged(Y)
    assert state.counts() == (1, 1)
    state.save()
    state.reload()
    assert state.is_read(X)
    assert state.warnings == []
    assert list(tmp_path.iterdir()) == []


def test_no_state_ignores_an_existing_file(state_dir: Path) -> None:
    saved = ReadState.open()
    saved.set_read(X)
    saved.save()
    before = state_file(state_dir).read_bytes()
    state = ReadState.open(enabled=False)
    assert not state.is_read(X)
    state.set_flagged(Y)
    state.save()
    assert state_file(state_dir).read_bytes() == before


def test_env_override_is_honoured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tmp_path / "elsewhere"
    monkeypatch.setenv(STATE_DIR_ENV, str(elsewhere))
    assert state_directory() == str(elsewhere)
    state = ReadState.open()
    assert state.path == str(elsewhere / "state.json")
    state.set_read(X)
    state.save()
    assert (elsewhere / "state.json").is_file()


def test_without_env_uses_platformdirs(monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    monkeypatch.delenv(STATE_DIR_ENV)
    assert state_directory() == platformdirs.user_state_dir("broadsheet")


def test_explicit_directory_wins(tmp_path: Path, state_dir: Path) -> None:
    state = ReadState.open(str(tmp_path / "given"))
    state.set_read(X)
    state.save()
    assert (tmp_path / "given" / "state.json").is_file()
    assert not state_dir.exists()


def test_file_is_compact_versioned_json(state_dir: Path) -> None:
    state = ReadState.open()
    state.set_read(X)
    state.set_read(Y)
    state.set_flagged(Y)
    state.save()
    raw = state_file(state_dir).read_bytes()
    data = json.loads(raw)
    assert data == {"version": 1, "read": [X, Y], "flagged": [Y]}
    assert b" " not in raw and b"\n" not in raw
    assert leftovers(state_dir) == []


def test_keys_needing_escapes_round_trip(state_dir: Path) -> None:
    """Keys are hashes, but a hand-edited file may hold anything: the fast writer
    must fall back to real JSON escaping rather than write a broken file."""
    odd = ['quote"', "back\\slash", "new\nline", "é", "\u2028", "", "del\x7f"]
    state = ReadState.open()
    for key in odd:
        state.set_read(key)
    state.set_flagged(X)
    state.save()
    assert sorted(json.loads(state_file(state_dir).read_bytes())["read"]) == sorted(odd)
    again = ReadState.open()
    assert again.warnings == []
    assert all(again.is_read(key) for key in odd)


def test_version_counts_visible_changes() -> None:
    state = ReadState.open(enabled=False)
    start = state.version
    state.set_read(X)
    assert state.version == start + 1
    state.set_read(X)
    assert state.version == start + 1
    state.toggle_flagged(X)
    state.set_read(X, False)
    assert state.version == start + 3


# -- atomic writes ---------------------------------------------------------------


def test_failed_replace_keeps_the_old_file(
    state_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = ReadState.open()
    state.set_read(X)
    state.save()
    before = state_file(state_dir).read_bytes()

    def full_disk(src: str, dst: str) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    state.set_flagged(Y)
    state.save()  # must not raise
    assert state_file(state_dir).read_bytes() == before
    assert leftovers(state_dir) == []
    assert len(state.warnings) == 1 and "No space left" in state.warnings[0]
    assert state.is_flagged(Y)

    monkeypatch.undo()
    state.save()  # the pending change is retried, not lost
    again = ReadState.open(str(state_dir))
    assert again.is_read(X) and again.is_flagged(Y)


def test_save_fsyncs_file_and_folder(state_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[int] = []
    real_fsync = os.fsync

    def record(fd: int) -> None:
        synced.append(os.fstat(fd).st_mode)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", record)
    state = ReadState.open()
    state.set_read(X)
    state.save()
    assert any(stat.S_ISREG(mode) for mode in synced)
    if os.name != "nt":
        assert any(stat.S_ISDIR(mode) for mode in synced)


# -- bad files -------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"",
        b"\xff\xfe garbage",
        b"[1, 2, 3]",
        b'"just a string"',
        b'{"read": []}',
        b'{"version": "1", "read": []}',
        b'{"version": true, "read": []}',
        b'{"version": 1, "read": "aaaa"}',
        b'{"version": 1, "read": [1, 2]}',
        b'{"version": 1, "flagged": {"x": 1}}',
        b"[" * 100_000,
    ],
    ids=lambda content: repr(content[:24]),
)
def test_corrupt_file_is_moved_aside(state_dir: Path, content: bytes) -> None:
    state_dir.mkdir()
    state_file(state_dir).write_bytes(content)
    state = ReadState.open()
    assert state.counts() == (0, 0)
    assert len(state.warnings) == 1
    warning = state.warnings[0]
    assert "unreadable" in warning and "moved aside" in warning and "no marks" in warning
    aside = state_dir / "state.json.corrupt-1"
    assert aside.read_bytes() == content
    assert str(aside) in warning
    assert not state_file(state_dir).exists()

    state.set_read(X)
    state.save()
    assert ReadState.open().is_read(X)
    assert aside.read_bytes() == content


def test_unknown_version_is_moved_aside(state_dir: Path) -> None:
    state_dir.mkdir()
    future = json.dumps({"version": 2, "read": [X], "flagged": []}).encode()
    state_file(state_dir).write_bytes(future)
    state = ReadState.open()
    assert not state.is_read(X)
    assert len(state.warnings) == 1 and "version 2" in state.warnings[0]
    assert (state_dir / "state.json.corrupt-1").read_bytes() == future


def test_earlier_casualties_are_never_overwritten(state_dir: Path) -> None:
    state_dir.mkdir()
    (state_dir / "state.json.corrupt-1").write_bytes(b"first")
    state_file(state_dir).write_bytes(b"second")
    ReadState.open()
    state_file(state_dir).write_bytes(b"third")
    state = ReadState.open()
    assert (state_dir / "state.json.corrupt-1").read_bytes() == b"first"
    assert (state_dir / "state.json.corrupt-2").read_bytes() == b"second"
    assert (state_dir / "state.json.corrupt-3").read_bytes() == b"third"
    assert "corrupt-3" in state.warnings[0]


def test_corruption_found_at_save_keeps_this_sessions_marks(state_dir: Path) -> None:
    state = ReadState.open()
    state.set_read(X)
    state.save()
    state_file(state_dir).write_bytes(b"\x00\x00garbage")
    state.set_flagged(Y)
    state.save()
    assert len(state.warnings) == 1 and "keeping this session's marks" in state.warnings[0]
    again = ReadState.open()
    assert again.is_read(X) and again.is_flagged(Y)
    assert (state_dir / "state.json.corrupt-1").read_bytes() == b"\x00\x00garbage"


def test_unreadable_file_is_never_overwritten(state_dir: Path) -> None:
    """A state file that cannot be read (here: a folder in its place) is reported and
    left alone; saving must not clobber what it cannot see."""
    state_file(state_dir).mkdir(parents=True)
    (state_file(state_dir) / "keep").write_text("mine")
    state = ReadState.open()
    assert len(state.warnings) == 1 and "Could not read" in state.warnings[0]
    state.set_read(X)
    state.save()
    state.save()
    assert state.is_read(X)
    assert (state_file(state_dir) / "keep").read_text() == "mine"
    assert len(state.warnings) == 2
    assert "kept for this session only" in state.warnings[1]


# -- unwritable folders ----------------------------------------------------------


def test_state_dir_under_a_regular_file_warns_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(STATE_DIR_ENV, str(blocker / "state"))
    state = ReadState.open()
    assert state.warnings == []
    state.set_read(X)
    state.save()
    state.set_flagged(Y)
    state.save()
    assert len(state.warnings) == 1
    assert "Could not save" in state.warnings[0]
    assert state.is_read(X) and state.is_flagged(Y)
    assert blocker.read_text() == "not a folder"


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_read_only_state_dir_warns_once(state_dir: Path) -> None:
    writer = ReadState.open()
    writer.set_read(X)
    writer.save()
    state_dir.chmod(0o500)
    try:
        if os.access(state_dir, os.W_OK):
            pytest.skip("chmod does not restrict this user (root?)")
        state = ReadState.open()
        assert state.warnings == [] and state.is_read(X)
        state.set_flagged(Y)
        state.save()
        state.set_flagged(Z)
        state.save()
        assert len(state.warnings) == 1 and "Could not save" in state.warnings[0]
        assert state.is_flagged(Y) and state.is_flagged(Z) and state.is_read(X)
    finally:
        state_dir.chmod(0o700)
    assert json.loads(state_file(state_dir).read_bytes())["flagged"] == []


@pytest.mark.skipif(sys.platform == "win32", reason="fcntl locking")
def test_a_held_lock_delays_the_save(state_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import fcntl

    monkeypatch.setattr(state_module, "LOCK_TIMEOUT", 0.05)
    state = ReadState.open()
    state.set_read(X)
    state_dir.mkdir()
    with open(str(state_file(state_dir)) + ".lock", "a+b") as holder:
        fcntl.flock(holder.fileno(), fcntl.LOCK_EX)
        state.save()
        assert not state_file(state_dir).exists()
        assert len(state.warnings) == 1 and "holding" in state.warnings[0]
    state.save()
    assert ReadState.open().is_read(X)


# -- two instances ---------------------------------------------------------------


def test_interleaved_instances_merge(state_dir: Path) -> None:
    a = ReadState.open()
    a.set_read(X)
    a.save()

    b = ReadState.open()
    assert b.is_read(X)

    a.set_read(X, False)  # A un-marks X ...
    a.save()
    b.set_flagged(Y)  # ... while B, still believing X read, flags Y.
    version = b.version
    b.save()

    assert not b.is_read(X), "B's save should have picked up A's un-mark"
    assert b.version > version

    a.set_read(Z)
    b.set_read(Z, False)  # B's word on Z comes last, so it wins.
    a.save()
    b.save()

    fresh = ReadState.open()
    assert not fresh.is_read(X)
    assert fresh.is_flagged(Y)
    assert not fresh.is_read(Z)


def test_untouched_keys_follow_the_disk(state_dir: Path) -> None:
    """Only an instance's own changes are applied: a stale copy never resurrects."""
    a = ReadState.open()
    a.set_read(X)
    a.set_flagged(X)
    a.save()
    b = ReadState.open()
    a.set_flagged(X, False)
    a.save()
    b.set_read(Y)
    b.save()
    fresh = ReadState.open()
    assert fresh.is_read(X) and not fresh.is_flagged(X) and fresh.is_read(Y)


def test_last_change_wins_within_an_instance(state_dir: Path) -> None:
    a = ReadState.open()
    for _ in range(3):
        a.toggle_flagged(X)
    a.toggle_read(Y)
    a.toggle_read(Y)
    a.save()
    fresh = ReadState.open()
    assert fresh.is_flagged(X) and not fresh.is_read(Y)


def test_reload_picks_up_others_and_keeps_own(state_dir: Path) -> None:
    a = ReadState.open()
    b = ReadState.open()
    a.set_read(X)
    a.save()
    b.set_flagged(Y)
    b.reload()
    assert b.is_read(X) and b.is_flagged(Y)
    b.save()
    fresh = ReadState.open()
    assert fresh.is_read(X) and fresh.is_flagged(Y)


def _mark_many(folder: str, prefix: str, count: int, start: Event) -> None:
    """Child process: mark *count* keys read one at a time, saving after each."""
    start.wait()
    state = ReadState.open(folder)
    for number in range(count):
        key = f"{prefix}{number:030x}"
        state.set_read(key)
        if number % 3 == 0:
            state.set_flagged(key)
        state.save()
    if state.warnings:
        raise SystemExit("warnings: " + "; ".join(state.warnings))


@pytest.mark.heavy
def test_two_processes_lose_nothing(state_dir: Path) -> None:
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    count = 200
    workers = [
        context.Process(target=_mark_many, args=(str(state_dir), prefix, count, start))
        for prefix in ("aa", "bb")
    ]
    for worker in workers:
        worker.start()
    start.set()
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    fresh = ReadState.open()
    assert fresh.warnings == []
    assert fresh.counts() == (2 * count, 2 * len(range(0, count, 3)))
    for prefix in ("aa", "bb"):
        for number in range(count):
            assert fresh.is_read(f"{prefix}{number:030x}")
    assert leftovers(state_dir) == []
