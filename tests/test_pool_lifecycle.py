"""The loader's process pool ends with the load, and dies with the app (issue 12, 3 and 8).

- After :func:`load_batches` is exhausted or closed, no worker process and no executor
  thread is left: they are waited for, not just told to stop (a management thread still
  running at interpreter exit made ``--list`` print "Exception ignored in …
  _python_exit … Bad file descriptor" about once in 135 runs).
- ``kill -9`` of the process that loads leaves nothing behind: the workers notice their
  creator is gone and exit, and with them the forkserver and the resource tracker.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bench.make_corpus import make_corpus
from tui.corpus.loader import POOL_THRESHOLD, load_batches

REPO = Path(__file__).resolve().parent.parent

POOL = {"workers": 2, "first_batch": 8, "chunk_size": 8, "parse_while_starting": False}


@pytest.fixture(scope="module")
def pool_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough files for the pool to start (POOL_THRESHOLD and more)."""
    root = tmp_path_factory.mktemp("pool-corpus")
    make_corpus(POOL_THRESHOLD + 100, str(root), seed=12)
    return root


def _executor_threads() -> list[threading.Thread]:
    from concurrent.futures.process import _ExecutorManagerThread  # type: ignore[attr-defined]

    return [t for t in threading.enumerate() if isinstance(t, _ExecutorManagerThread)]


def _children() -> list[int]:
    import multiprocessing

    return [process.pid for process in multiprocessing.active_children() if process.pid]


def test_exhausting_the_load_leaves_no_worker_or_executor_thread(pool_corpus: Path) -> None:
    batches = list(load_batches([str(pool_corpus)], **POOL))
    assert any(batch.workers for batch in batches), "the pool was not used"
    assert _executor_threads() == []
    assert _children() == []


def test_closing_the_load_early_leaves_no_worker_or_executor_thread(pool_corpus: Path) -> None:
    batches = load_batches([str(pool_corpus)], **POOL)
    for batch in batches:
        if batch.workers:
            break
    else:
        pytest.fail("the pool was not used")
    batches.close()
    assert _executor_threads() == []
    assert _children() == []


@pytest.mark.heavy
def test_list_at_exit_prints_nothing_on_stderr(pool_corpus: Path, tmp_path: Path) -> None:
    """As many ``--list`` runs over a pooled folder as fit in ~4 s: stderr stays empty.

    The race was about one run in 135, so this loop alone rarely caught it; the two
    tests above check its cause (the executor's thread still running) every time.
    (It had 20 s, then 8; the suite's five minutes needed them more.)
    """
    env = dict(os.environ, BROADSHEET_STATE_DIR=str(tmp_path / "state"))
    env["BROADSHEET_CACHE_DIR"] = str(tmp_path / "cache")
    deadline = time.monotonic() + 4
    runs = 0
    while runs < 3 or (time.monotonic() < deadline and runs < 200):
        result = subprocess.run(
            [sys.executable, "-m", "tui", "--list", "--no-state", str(pool_corpus)],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=REPO,
            env=env,
        )
        runs += 1
        assert result.returncode == 0, result.stderr
        assert result.stderr == "", f"run {runs}: {result.stderr}"
        assert len(result.stdout.splitlines()) >= POOL_THRESHOLD


# ------------------------------------------------------------------- kill -9 mid-load

_LOADER_SCRIPT = """
import sys, time
from tui.corpus.loader import load_batches

if __name__ == "__main__":
    for batch in load_batches([sys.argv[1]], workers=2, first_batch=8, chunk_size=8,
                              parse_while_starting=False):
        if batch.workers:
            print("loading", flush=True)
            time.sleep(120)  # killed here, with chunks in flight
"""


def _stat(pid: int) -> tuple[int, str, str] | None:
    """(parent pid, state, start time) of a process, or None if it is gone."""
    try:
        data = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = data[data.rindex(")") + 2 :].split()
    return int(fields[1]), fields[0], fields[19]


def _tree(root: int) -> dict[int, str]:
    """Every live descendant of *root* (and *root*), with its start time."""
    parents: dict[int, int] = {}
    starts: dict[int, str] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            stat = _stat(int(name))
            if stat is not None:
                parents[int(name)] = stat[0]
                starts[int(name)] = stat[2]
    found = {root}
    grew = True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in found and pid not in found:
                found.add(pid)
                grew = True
    return {pid: starts[pid] for pid in found if pid in starts}


def _alive(pid: int, start: str) -> bool:
    stat = _stat(pid)
    return stat is not None and stat[2] == start and stat[1] not in ("Z", "X")


@pytest.mark.heavy
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc (Linux only)")
def test_kill_9_mid_load_leaves_no_process_behind(tmp_path: Path) -> None:
    make_corpus(3000, str(tmp_path / "corpus"), seed=8)
    script = tmp_path / "load.py"
    script.write_text(_LOADER_SCRIPT)
    process = subprocess.Popen(
        [sys.executable, str(script), str(tmp_path / "corpus")],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=REPO,
        env=dict(os.environ, PYTHONPATH=str(REPO)),
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "loading"
        tree = _tree(process.pid)
        # The loader, its forkserver, two workers and the resource tracker.
        assert len(tree) >= 4, tree
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    others = {pid: start for pid, start in tree.items() if pid != process.pid}
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        left = [pid for pid, start in others.items() if _alive(pid, start)]
        if not left:
            break
        time.sleep(0.05)
    # Whatever is left is killed, so a failure does not leak processes either.
    for pid in left:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    assert left == [], f"survived the kill: {left}"
