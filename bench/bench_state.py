"""Benchmark the read/flag state at the issue's size: how long does the UI thread wait?

    python -m bench.bench_state                         # 1.5 M keys in both lists (107 MB)
    python -m bench.bench_state --keys 200000 --mode model
    python -m bench.bench_state --folder DIR            # keep the generated file in DIR

Issue 12, item 11: a 107 MB ``state.json`` made the first frame wait 2.2 s and froze a
keystroke for 2.6 s at the debounced save. Loading and saving now run in worker threads,
but a worker still stalls the UI thread whenever it holds the GIL in one long C call
(growing or copying a set of a million keys). This measures the worst such stall with a
probe that records the largest gap between two ticks of the UI thread:

``model``
    The UI thread is this process's main thread: it ticks every millisecond (a tiny step
    of Python, then a sleep) while a worker thread runs ``ReadState.load`` then
    ``ReadState.save``; the main thread also makes marks meanwhile, as a user would, and
    the longest mark is reported.
``app``
    The reader itself, headless, on ``seeds`` with that state file: an asyncio task in
    the app's event loop ticks every 2 ms. Phases: from start to the state loaded; then
    three times a mark (``m``) and its debounced save. The time each key took to be
    answered (the pilot's press) is reported too.

The figures are wall-clock and vary with the machine's load (2 shared CPUs here): run
it when the machine is quiet, and compare runs made one after the other. A baseline
with no state file (``--keys 0``) shows what the rest of the app costs.
Nothing here is a pass/fail test.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

REPO = Path(__file__).absolute().parent.parent


def make_state_file(folder: Path, keys: int, seed: int = 12) -> Path:
    """``state.json`` with *keys* content-hash keys in both lists (35 bytes a key)."""
    folder = folder / f"{keys}-{seed}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "state.json"
    marker = folder / ".made"
    if path.exists() and marker.exists():
        return path
    rng = random.Random(seed)
    made = [f"{rng.getrandbits(128):032x}" for _ in range(keys)]
    with open(path, "wb") as handle:
        handle.write(b'{"version":1,"read":')
        handle.write(_json_list(made))
        handle.write(b',"flagged":')
        handle.write(_json_list(made[::-1]))
        handle.write(b"}")
    marker.touch()
    return path


def _json_list(keys: list[str]) -> bytes:
    return ("[" + ",".join(f'"{key}"' for key in keys) + "]").encode("ascii")


class Probe:
    """The largest gap between two ticks, per phase (ms), and when it happened."""

    def __init__(self) -> None:
        self.phase = "start"
        self.worst: dict[str, float] = {}
        self._last = time.perf_counter()

    def tick(self) -> None:
        now = time.perf_counter()
        gap = (now - self._last) * 1000
        self._last = now
        if gap > self.worst.get(self.phase, 0.0):
            self.worst[self.phase] = gap

    def enter(self, phase: str) -> None:
        self.tick()
        self.phase = phase
        self.worst.setdefault(phase, 0.0)


# -- model: ReadState alone, the main thread as the UI thread --------------------------


def run_model(folder: Path) -> dict[str, float]:
    from tui.corpus.state import ReadState

    probe = Probe()
    marks: list[float] = []
    rng = random.Random(5)
    state = ReadState.open(str(folder), load=False)
    done = threading.Event()
    phases: list[str] = []

    took: dict[str, float] = {}

    def worker() -> None:
        for phase, step in (("load", state.load), ("save", state.save),
                            ("second save", state.save)):  # fmt: skip
            phases.append(phase)
            start = time.perf_counter()
            step()
            took[f"{phase} took (s)"] = time.perf_counter() - start
        done.set()

    for _ in range(3):
        state.set_read(f"{rng.getrandbits(128):032x}")  # so the first save has work
    thread = threading.Thread(target=worker, name="state")
    seen = 0
    thread.start()
    while not done.is_set():
        if len(phases) > seen:
            probe.enter(phases[seen])
            seen += 1
        probe.tick()
        if rng.random() < 0.02:  # a mark now and then, as a user makes them
            start = time.perf_counter()
            state.set_read(f"{rng.getrandbits(128):032x}")
            marks.append((time.perf_counter() - start) * 1000)
        time.sleep(0.001)
    thread.join()
    result = {f"max gap, {phase} (ms)": gap for phase, gap in probe.worst.items()}
    del result["max gap, start (ms)"]
    result.update(took)
    result["marks made"] = len(marks)
    result["slowest mark (ms)"] = max(marks, default=0.0)
    result["read, flagged"] = state.counts()[0] + state.counts()[1] / 1e9
    return result


# -- app: the reader, headless ----------------------------------------------------


def run_app(folder: Path) -> dict[str, float]:
    return asyncio.run(_run_app(folder))


async def _run_app(folder: Path) -> dict[str, float]:
    from tui import background
    from tui.app import BroadsheetApp
    from tui.corpus.state import ReadState

    background.SAVE_DELAY = 0.05
    probe = Probe()
    state = ReadState.open(str(folder), load=False)
    app = BroadsheetApp([str(REPO / "seeds")], state=state)
    keys: list[float] = []
    stop = asyncio.Event()

    async def ticking() -> None:
        while not stop.is_set():
            probe.tick()
            await asyncio.sleep(0.002)

    async def until(condition: Callable[[], bool]) -> None:
        for _ in range(30_000):
            if condition():
                return
            await asyncio.sleep(0.01)
        raise RuntimeError("gave up waiting")

    toggle = app.action_toggle_read

    def timed_toggle() -> None:
        start = time.perf_counter()
        toggle()
        keys.append((time.perf_counter() - start) * 1000)

    app.action_toggle_read = timed_toggle  # type: ignore[method-assign]
    async with app.run_test(size=(120, 36)) as pilot:
        ticker = asyncio.create_task(ticking())
        probe.enter("start and state load")
        await app.loaded.wait()
        await until(lambda: state.loaded)
        await pilot.pause(0.2)
        for number in range(1, 4):
            probe.enter(f"mark and save {number}")
            await pilot.press("m")
            await pilot.pause(0.1)
            await until(lambda: not state.dirty and not app._saving)
            await pilot.press("j")
        probe.enter("quit")
        stop.set()
        await ticker
        await pilot.press("q")
    result = {f"max gap, {phase} (ms)": gap for phase, gap in probe.worst.items()}
    del result["max gap, start (ms)"]  # before the ticker ran
    result["slowest key m, its action (ms)"] = max(keys)
    return result


def _show(title: str, result: dict[str, float]) -> None:
    print(title)
    for name, value in result.items():
        if name == "read, flagged":
            read = int(value)
            print(f"  {name:38} {read:,}, {round((value - read) * 1e9):,}")
        elif name == "marks made":
            print(f"  {name:38} {int(value)}")
        else:
            print(f"  {name:38} {value:8.1f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keys", type=int, default=1_500_000, help="keys in each list")
    parser.add_argument("--mode", choices=("model", "app", "both"), default="both")
    parser.add_argument("--folder", type=Path, help="where to write state.json (kept)")
    args = parser.parse_args(argv)
    os.chdir(REPO)
    with _folder(args.folder) as folder:
        source = make_state_file(folder / "source", args.keys)
        size = source.stat().st_size
        print(f"state.json: {args.keys:,} keys in both lists, {size / 1e6:.1f} MB")
        for mode in ("model", "app") if args.mode == "both" else (args.mode,):
            work = folder / mode
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir()
            if args.keys:
                shutil.copyfile(source, work / "state.json")
            result = run_model(work) if mode == "model" else run_app(work)
            _show(mode, result)
    return 0


@contextlib.contextmanager
def _folder(given: Path | None) -> Iterator[Path]:
    """*given* (kept, so the 107 MB file is made once), or a temp folder (removed)."""
    if given is not None:
        yield given.absolute()
        return
    with tempfile.TemporaryDirectory(prefix="bench-state-") as name:
        yield Path(name)


if __name__ == "__main__":
    sys.exit(main())
