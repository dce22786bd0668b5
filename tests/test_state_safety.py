"""The state folder is hostile ground: links, pipes, huge files, stale temp files.

Issue 12, items 6 (nothing written through a link), 7 (a state.json that is a FIFO, a
link to /dev/zero or huge is never read), 9 (stale temp files of our own pattern are
removed) and 12 (commands that only read leave the folder alone). Anything that could
hang or eat memory on a broken implementation runs in a subprocess with a timeout.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tui.corpus import state as state_module
from tui.corpus.state import STATE_DIR_ENV, ReadState

REPO = Path(__file__).resolve().parent.parent

X = "a" * 32
Y = "b" * 32

posix_only = pytest.mark.skipif(os.name == "nt", reason="POSIX links, FIFOs and flock")


@pytest.fixture(autouse=True)
def state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "state"
    folder.mkdir()
    monkeypatch.setenv(STATE_DIR_ENV, str(folder))
    return folder


def good_state(*read: str) -> bytes:
    return json.dumps({"version": 1, "read": list(read), "flagged": []}).encode()


def listing(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Every entry of *folder* with its kind, size and mtime: to prove nothing moved."""
    result = {}
    for name in os.listdir(folder):
        info = os.lstat(folder / name)
        result[name] = (stat.S_IFMT(info.st_mode), info.st_size, info.st_mtime_ns)
    return result


def run_python(code: str, state_dir: Path, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """Run *code* in a child with a memory ceiling: a hang or a runaway read fails the
    test instead of taking the machine with it."""
    env = {**os.environ, STATE_DIR_ENV: str(state_dir), "PYTHONIOENCODING": "utf-8"}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    prelude = "import resource; resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))\n"
    return subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(code)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )


def run_cli(*args: str, state_dir: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, STATE_DIR_ENV: str(state_dir), "PYTHONIOENCODING": "utf-8"}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )


OPEN_AND_REPORT = """
    import json, sys
    from tui.corpus.state import ReadState
    state = ReadState.open({options})
    state.set_read("c" * 32)
    state.save()
    print(json.dumps({{"warnings": state.warnings, "counts": state.counts()}}))
"""


# -- item 6: nothing is written through a link ------------------------------------


@posix_only
def test_symlinked_lock_is_never_written_through(tmp_path: Path, state_dir: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious contents\n")
    (state_dir / "state.json").write_bytes(good_state(X))
    (state_dir / "state.json.lock").symlink_to(victim)

    state = ReadState.open()
    state.set_read(Y)
    state.save()
    state.save()

    assert victim.read_text() == "precious contents\n"
    assert (state_dir / "state.json.lock").is_symlink()
    assert state.is_read(X) and state.is_read(Y)  # the marks still work in memory
    assert json.loads((state_dir / "state.json").read_bytes())["read"] == [X]  # not saved
    assert len(state.warnings) == 1
    assert "state.json.lock" in state.warnings[0] and "link" in state.warnings[0]
    assert "kept for this session only" in state.warnings[0]


@posix_only
def test_lock_that_is_not_a_regular_file_is_refused(state_dir: Path) -> None:
    os.mkfifo(state_dir / "state.json.lock")
    result = run_python(OPEN_AND_REPORT.format(options=""), state_dir)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["counts"] == [1, 0]
    assert len(report["warnings"]) == 1 and "not a regular file" in report["warnings"][0]
    assert not (state_dir / "state.json").exists()
    assert stat.S_ISFIFO(os.lstat(state_dir / "state.json.lock").st_mode)


@posix_only
def test_symlinked_state_file_is_set_aside_not_followed(tmp_path: Path, state_dir: Path) -> None:
    """A link is not read through and not written through: it is moved aside (the link
    itself, its target untouched) and the next save writes a real file in its place."""
    target = tmp_path / "elsewhere.json"
    target.write_bytes(good_state(X))
    link = state_dir / "state.json"
    link.symlink_to(target)

    state = ReadState.open()
    assert not state.is_read(X)
    assert len(state.warnings) == 1
    assert "symbolic link" in state.warnings[0] and "moved aside" in state.warnings[0]
    aside = state_dir / "state.json.corrupt-1"
    assert aside.is_symlink() and os.readlink(aside) == str(target)

    state.set_read(Y)
    state.save()
    assert target.read_bytes() == good_state(X)
    assert not link.is_symlink()
    assert json.loads(link.read_bytes())["read"] == [Y]


@posix_only
def test_every_file_in_the_state_folder_is_opened_without_following_links(
    state_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[tuple[str, int]] = []
    real_open = os.open

    def spy(path: str, flags: int, *args: object, **kwargs: object) -> int:
        if os.path.dirname(os.path.abspath(path)) == str(state_dir):
            opened.append((os.path.basename(path), flags))
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", spy)
    (state_dir / "state.json").write_bytes(b"{corrupt")
    state = ReadState.open()  # reads, locks, re-reads and moves aside
    state.set_read(X)
    state.save()  # locks, writes a temp file, replaces
    state.set_read(Y)
    state.save()
    names = {name for name, _ in opened}
    assert {"state.json", "state.json.lock"} <= names
    assert any(name.startswith(".state.json.") and name.endswith(".tmp") for name in names)
    for name, flags in opened:
        assert flags & os.O_NOFOLLOW, name
        assert flags & os.O_CLOEXEC, name


# -- item 7: FIFOs, devices and huge files are never read -------------------------


@posix_only
def test_fifo_state_file_does_not_hang_and_is_set_aside(state_dir: Path) -> None:
    os.mkfifo(state_dir / "state.json")
    result = run_python(OPEN_AND_REPORT.format(options=""), state_dir)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["counts"] == [1, 0]
    assert len(report["warnings"]) == 1
    assert "named pipe" in report["warnings"][0] and "moved aside" in report["warnings"][0]
    assert stat.S_ISFIFO(os.lstat(state_dir / "state.json.corrupt-1").st_mode)
    assert json.loads((state_dir / "state.json").read_bytes())["read"] == ["c" * 32]


@posix_only
@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_state_file_linked_to_dev_zero_is_not_read(state_dir: Path) -> None:
    os.symlink("/dev/zero", state_dir / "state.json")
    result = run_python(OPEN_AND_REPORT.format(options=""), state_dir)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["counts"] == [1, 0]
    assert len(report["warnings"]) == 1 and "moved aside" in report["warnings"][0]
    assert os.readlink(state_dir / "state.json.corrupt-1") == "/dev/zero"


def test_state_file_over_the_cap_is_not_read(
    state_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(state_module, "MAX_STATE_BYTES", 1000)
    big = good_state(*(f"{n:032x}" for n in range(100)))
    assert len(big) > 1000
    (state_dir / "state.json").write_bytes(big)
    state = ReadState.open()
    assert state.counts() == (0, 0)
    assert len(state.warnings) == 1
    assert "larger than" in state.warnings[0] and "moved aside" in state.warnings[0]
    assert (state_dir / "state.json.corrupt-1").read_bytes() == big


def test_read_is_capped_even_when_the_size_lies(
    state_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file that grows after fstat (or a filesystem that reports 0) is read only up
    to the cap, then refused."""
    monkeypatch.setattr(state_module, "MAX_STATE_BYTES", 1000)
    big = good_state(*(f"{n:032x}" for n in range(100)))
    path = state_dir / "state.json"
    path.write_bytes(big)
    real_fstat = os.fstat
    reads: list[int] = []
    real_read = os.read

    def small_fstat(fd: int) -> os.stat_result:
        info = real_fstat(fd)
        if stat.S_ISREG(info.st_mode):
            fields = list(info)
            fields[stat.ST_SIZE] = 10
            return os.stat_result(fields)
        return info

    def counting_read(fd: int, size: int) -> bytes:
        reads.append(size)
        return real_read(fd, size)

    monkeypatch.setattr(os, "fstat", small_fstat)
    monkeypatch.setattr(os, "read", counting_read)
    state = ReadState.open(read_only=True)
    assert state.counts() == (0, 0)
    assert len(state.warnings) == 1 and "larger than" in state.warnings[0]
    assert sum(reads) <= 1000 + 1 + 64  # the lock token reads are at most 64 bytes


@posix_only
def test_list_query_with_a_fifo_state_file_does_not_hang(state_dir: Path) -> None:
    os.mkfifo(state_dir / "state.json")
    before = listing(state_dir)
    result = run_cli("--list", "--query", "is:read", "seeds", state_dir=state_dir)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1 and warnings[0].startswith("broadsheet: warning: ")
    assert "named pipe" in warnings[0]
    assert listing(state_dir) == before  # a command that only reads moves nothing


# -- item 9: stale temp files -----------------------------------------------------


def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then), follow_symlinks=False)


@posix_only
def test_stale_temp_files_of_ours_are_removed_at_start(tmp_path: Path, state_dir: Path) -> None:
    (state_dir / "state.json").write_bytes(good_state(X))
    stale = [
        state_dir / ".state.json.k3j_9xq2.tmp",
        state_dir / f".state.json.{'f' * 16}.tmp",
        state_dir / f".history.json.{'e' * 16}.tmp",  # the query history's (issue 15)
    ]
    for path in stale:
        path.write_bytes(b"half a save")
        _age(path, 3600)
    fresh = state_dir / ".state.json.a1b2c3d4.tmp"  # a save in progress, perhaps
    fresh.write_bytes(b"being written")
    victim = tmp_path / "victim.tmp"
    victim.write_text("keep me")
    link = state_dir / ".state.json.linkedxx.tmp"
    link.symlink_to(victim)
    _age(link, 3600)
    others = [state_dir / "notes.tmp", state_dir / "state.json.tmp", state_dir / ".other.x.tmp"]
    for path in others:
        path.write_text("not ours")
        _age(path, 3600)

    state = ReadState.open()
    assert state.is_read(X) and state.warnings == []
    for path in stale:
        assert not path.exists(), path.name
    assert fresh.read_bytes() == b"being written"
    assert link.is_symlink() and victim.read_text() == "keep me"  # not ours: never made links
    for path in others:
        assert path.read_text() == "not ours"


@posix_only
def test_temp_files_are_left_while_another_instance_holds_the_lock(state_dir: Path) -> None:
    import fcntl

    stale = state_dir / ".state.json.k3j_9xq2.tmp"
    stale.write_bytes(b"maybe a live save on a slow disk")
    _age(stale, 3600)
    with open(state_dir / "state.json.lock", "a+b") as holder:
        fcntl.flock(holder.fileno(), fcntl.LOCK_EX)
        ReadState.open()
        assert stale.exists()
    ReadState.open()
    assert not stale.exists()


def test_cleanup_creates_nothing_when_there_is_nothing_to_clean(state_dir: Path) -> None:
    ReadState.open()
    assert os.listdir(state_dir) == []


# -- item 12: commands that only read ---------------------------------------------


@pytest.mark.parametrize("content", [b"{ not json", good_state(X)[:-5]])
def test_read_only_open_leaves_a_corrupt_file_in_place(state_dir: Path, content: bytes) -> None:
    (state_dir / "state.json").write_bytes(content)
    stale = state_dir / ".state.json.k3j_9xq2.tmp"
    stale.write_bytes(b"old")
    _age(stale, 3600)
    before = listing(state_dir)
    state = ReadState.open(read_only=True)
    assert state.counts() == (0, 0)
    assert len(state.warnings) == 1
    assert "unreadable" in state.warnings[0] and "left in place" in state.warnings[0]
    state.set_read(Y)
    state.save()
    assert listing(state_dir) == before


def test_read_only_open_reads_a_good_file(state_dir: Path) -> None:
    (state_dir / "state.json").write_bytes(good_state(X))
    before = listing(state_dir)
    state = ReadState.open(read_only=True)
    assert state.is_read(X) and state.warnings == []
    assert listing(state_dir) == before


@pytest.mark.parametrize(
    "args",
    [
        ("--list", "--query", "is:unread", "seeds"),
        ("--list", "--json", "--query", "is:flagged OR pakistan", "seeds"),
    ],
)
def test_list_query_on_state_warns_and_moves_nothing(
    state_dir: Path, args: tuple[str, ...]
) -> None:
    (state_dir / "state.json").write_bytes(b"{ not json")
    before = listing(state_dir)
    result = run_cli(*args, state_dir=state_dir)
    assert result.returncode == 0, result.stderr
    assert result.stdout  # the marks are ignored, the listing still comes out
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("broadsheet: warning: ")
    assert "unreadable" in lines[0] and "left in place" in lines[0]
    assert listing(state_dir) == before


@posix_only
def test_read_only_warning_is_neutralised(tmp_path: Path) -> None:
    folder = tmp_path / "st\x1b]0;pwned\x07ate"
    folder.mkdir()
    (folder / "state.json").write_bytes(b"{ not json")
    result = run_cli("--list", "--query", "is:read", "seeds", state_dir=folder)
    assert result.returncode == 0, result.stderr
    assert "broadsheet: warning: " in result.stderr
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert (folder / "state.json").read_bytes() == b"{ not json"


def test_show_and_plain_list_never_touch_the_state_folder(state_dir: Path) -> None:
    (state_dir / "state.json").write_bytes(b"{ not json")
    before = listing(state_dir)
    for args in (("--list", "seeds"), ("--show", "seeds/001_b02f75cc3becd239.txt", "seeds")):
        result = run_cli(*args, state_dir=state_dir)
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
    assert listing(state_dir) == before
