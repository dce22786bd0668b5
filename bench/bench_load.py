"""Benchmark loading: time to the first batch and to a fully loaded, fully indexed corpus.

    python -m bench.bench_load DIR [DIR ...]            # the app's pipeline, 5 runs each
    python -m bench.bench_load DIR --runs 3 --mode sequential
    python -m bench.bench_load DIR --start-method fork --workers 2

It runs what ``BroadsheetApp.load_corpus`` runs, without a screen: ``load_batches``
(parsing in a process pool) → ``Corpus.add`` → ``BackgroundIndexer.put`` (FTS5 fed
from its own thread), then ``close()`` (everything indexed). Each run is
a fresh process, so peak memory figures do not mix; the figures are medians.

``--mode sequential`` is the loader before the pool (``iter_corpus`` in one thread,
``SearchIndex.add`` after each batch), kept as the yardstick.

Columns: first batch (s from the start to the first batch in the corpus), loaded (s to
the whole corpus in the Corpus and in FTS5), main peak RSS (VmHWM of
the loading process), workers' peak RSS (the largest worker's VmHWM), index (SQLite
pages of every shard), CPU (user+sys seconds of the loading process, and of the worker
processes: on a machine shared with other work the wall times vary by ±30 %, the CPU
seconds much less, and their sum over two is the wall time two free cores would take).
Each run also prints the CPU seconds of each thread of the loading process: the
index's SQLite threads (``search-index``), the pool's result reader (``Thread``,
unpickling), the main thread (discovery, the corpus, staging).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence

from .procfs import process_tree, status_kb


def _cpu_seconds(pid: int, task: bool = False) -> float:
    where = f"/proc/self/task/{pid}/stat" if task else f"/proc/{pid}/stat"
    try:
        with open(where) as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _thread_cpu() -> dict[str, float]:
    """CPU seconds of each live thread of this process, by Python thread name (summed
    over threads that differ only by a number, such as the index's shard threads)."""
    import threading

    found: dict[str, float] = {}
    for thread in threading.enumerate():
        if thread.native_id is None:
            continue
        name = thread.name.split(" (")[0].rstrip("0123456789_-")  # one row per kind
        found[name] = found.get(name, 0.0) + _cpu_seconds(thread.native_id, task=True)
    return found


class _Children:
    """Peak memory and CPU time of this process's descendants (the parsing workers and
    the forkserver), sampled while they live: they are gone once the load ends. Also
    the CPU time of this process's threads (the pool's result thread ends with it).

    Finding the descendants walks /proc (~1 ms), so it is done at most every 0.25 s;
    the CPU time of those already found is read at every sample (a few µs each), so a
    sample taken as the last batch arrives has all of a worker's parsing in it.
    """

    def __init__(self) -> None:
        self.peak_kb: dict[int, int] = {}
        self.cpu: dict[int, float] = {}
        self.threads: dict[str, float] = {}
        self._last = 0.0

    def sample(self, force: bool = False) -> None:
        now = time.perf_counter()
        if force or now - self._last >= 0.25:
            self._last = now
            for pid in process_tree(os.getpid())[1:]:
                self.peak_kb[pid] = max(self.peak_kb.get(pid, 0), status_kb(pid, "VmHWM"))
                self.cpu.setdefault(pid, 0.0)
            for name, seconds in _thread_cpu().items():
                self.threads[name] = max(self.threads.get(name, 0.0), seconds)
        for pid, seconds in self.cpu.items():
            self.cpu[pid] = max(seconds, _cpu_seconds(pid))


def one_run(path: str, mode: str, workers: int | None, start_method: str | None) -> dict:
    """Load *path* once in this process; return the figures."""
    from tui.corpus.index import BackgroundIndexer, SearchIndex
    from tui.corpus.loader import collector_paused, load_batches
    from tui.corpus.model import Corpus, iter_corpus

    start = time.perf_counter()
    corpus = Corpus("bench")
    index = SearchIndex()
    first: float | None = None
    children = _Children()
    if mode == "sequential":
        batch: list = []
        limit = 64
        for item in iter_corpus([path]):
            batch.append(item)
            if len(batch) >= limit:
                index.add(corpus.add(batch))
                first = first if first is not None else time.perf_counter() - start
                batch, limit = [], 512
        index.add(corpus.add(batch))
    else:
        with collector_paused():
            indexer = BackgroundIndexer(index)
            for loaded in load_batches([path], workers=workers, start_method=start_method):
                added = corpus.add(loaded.items)
                indexer.put(added, loaded.texts_for(added))
                if first is None:
                    first = time.perf_counter() - start
                children.sample()
            children.sample(force=True)
            indexer.close()
        children.sample(force=True)
    loaded_at = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    index_bytes = sum(
        shard.execute("PRAGMA page_count").fetchone()[0]
        * shard.execute("PRAGMA page_size").fetchone()[0]
        for shard in index._shards
    )
    raw = sum(len(article.body) for article in corpus.by_serial)
    return {
        "first": first or loaded_at,
        "loaded": loaded_at,
        "articles": len(corpus),
        "main_rss_mb": status_kb(os.getpid(), "VmHWM") / 1024,
        "worker_rss_mb": max(children.peak_kb.values(), default=0) / 1024,
        "workers_cpu": sum(children.cpu.values()),
        "index_mb": index_bytes / 1e6,
        "bodies_mb": raw / 1e6,
        "main_cpu": usage.ru_utime + usage.ru_stime,
        "threads_cpu": children.threads,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", metavar="DIR")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--mode", choices=("pool", "sequential"), default="pool")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--start-method", default=None)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        figures = one_run(args.paths[0], args.mode, args.workers, args.start_method)
        print(json.dumps(figures))
        return 0
    for path in args.paths:
        runs = []
        for _ in range(args.runs):
            command = [sys.executable, "-m", "bench.bench_load", path, "--one", "--mode", args.mode]
            if args.workers is not None:
                command += ["--workers", str(args.workers)]
            if args.start_method:
                command += ["--start-method", args.start_method]
            output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
            runs.append(json.loads(output.strip().splitlines()[-1]))
            threads = runs[-1].pop("threads_cpu")
            print("  run:", json.dumps({k: round(v, 3) for k, v in runs[-1].items()}), flush=True)
            if threads:
                shown = ", ".join(f"{name} {seconds:.2f}" for name, seconds in threads.items())
                print(f"    CPU s by thread of the main process: {shown}", flush=True)
        median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
        print(
            f"{path}: {int(median['articles']):,} articles ({median['bodies_mb']:.0f} MB of text),"
            f" mode {args.mode}, {args.runs} runs, medians: first batch {median['first']:.3f} s,"
            f" loaded+indexed {median['loaded']:.2f} s, main peak RSS"
            f" {median['main_rss_mb']:.0f} MB, largest worker {median['worker_rss_mb']:.0f} MB,"
            f" index {median['index_mb']:.0f} MB, CPU: main {median['main_cpu']:.2f} s"
            f" + workers {median['workers_cpu']:.2f} s",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
