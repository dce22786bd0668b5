"""Reading a corpus on every core: discovery streams, processes parse, order is kept.

Parsing is pure Python (~150-200 µs an article here), so threads cannot share it out:
the GIL would run them one at a time. :func:`load_batches` hands chunks of paths to a
process pool instead, and while the workers parse, the caller's thread is free to put
the previous batch into the corpus and the search index (SQLite drops the GIL).

Why these choices:

* **Start method: forkserver (spawn where there is none), never fork.** The app
  calls this from a worker thread while Textual's event loop, timers and the index's
  threads run: ``fork`` copies the process with whatever locks those threads hold
  (the malloc arena, the logging and import locks, SQLite's mutexes) and a child that
  needs one of them hangs; Python 3.12 warns about exactly that. A forkserver is a
  fresh single-threaded process that imports this module once (preloaded) and forks
  clean workers from it. Measured here: a pool of two starts in ~220 ms the first
  time and ~25 ms after (spawn: ~400 ms every time; fork: ~15 ms), and since this
  process parses while the pool starts, 10k articles loaded in 2.0 s with fork,
  2.3 s with forkserver and 2.2 s with spawn (medians of 3, ±15 % noise on a shared
  machine): not worth the risk of a hang.
* **Ordered, bounded read-ahead instead of ``Pool.imap``.** ``imap`` (and
  ``Executor.map``) would pull the whole discovery generator into the task queue at
  once and let finished results pile up without limit; here at most three chunks per
  worker are in flight and results are taken in submission order, so discovery
  streams, memory stays flat and batches come back in discovery order:
  de-duplication then keeps the same primary file on every run.
* **The first batch is parsed in this process** while the pool starts in a thread, and
  so is every batch until the pool is ready: rows show in ~0.05 s at any size.
* **Small corpora (under ``pool_threshold`` files) never start a pool**: parsing 200
  files takes ~40 ms, less than starting one. If processes cannot be started at all
  (no ``sem_open``, a sandbox) or a worker dies, the rest is parsed in this process.
* **Workers also prepare the index's text** (:func:`index.prepare`: the folded title
  and body), so the process that holds the index only feeds SQLite.
* **ProcessPoolExecutor, not multiprocessing.Pool**: a worker killed mid-task makes
  ``Pool`` wait forever; the executor raises ``BrokenProcessPool``, handled above.
* **Nothing outlives the load, nor the app.** When the generator ends (exhausted or
  closed) the workers and the executor's thread are waited for (:func:`_stop_executor`),
  and every worker ends itself the moment the app does, even under ``kill -9``
  (:func:`_exit_with_creator`); the forkserver and the resource tracker then follow.

As with any use of ``spawn``/``forkserver``, a script that calls :func:`load_batches`
must guard its entry point with ``if __name__ == "__main__":`` (workers import the
main module); ``python -m tui``, the ``broadsheet`` script and pytest all do.

Nothing here imports Textual.
"""

from __future__ import annotations

import functools
import gc
import itertools
import os
import pickle
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .files import Skipped, discover
from .index import IndexText, prepare
from .model import Article, read_found

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor
    from multiprocessing.process import BaseProcess

__all__ = ["LoadBatch", "collector_paused", "default_workers", "load_batches", "skipping"]

POOL_THRESHOLD = 200
"""Fewer files than this are parsed in this process: a pool costs more to start."""

CHUNK_SIZE = 128
"""Paths per task: ~25 ms of parsing, so the pickling overhead (~0.3 ms) is small and
the ordered results never wait long behind one slow chunk."""

STOP_TIMEOUT = 5.0
"""Seconds a stopping pool waits for a worker to finish its chunk before killing it."""

START_METHODS = ("forkserver", "spawn")
"""Start methods in order of preference (see the module docstring for why not fork)."""


@dataclass(slots=True)
class LoadBatch:
    """Articles and skipped files, in discovery order, and the progress so far."""

    items: list[Article | Skipped]
    files_read: int
    """Files found so far in this load, read or skipped (what the header counts)."""
    texts: list[IndexText | None] = field(default_factory=list)
    """The index's text of each item (None for a skipped file), when asked for."""
    workers: int = 0
    """Processes that parsed this batch: 0 when this process did (the first batches,
    small corpora, or no pool could be started)."""

    def texts_for(self, articles: Sequence[Article]) -> list[IndexText]:
        """The prepared texts of *articles*, a subsequence of :attr:`items` (what
        ``Corpus.add`` returns: the items that were not duplicates)."""
        pairs = iter(zip(self.items, self.texts, strict=True))
        found: list[IndexText] = []
        for article in articles:
            for item, text in pairs:
                if item is article:
                    if text is None:
                        raise ValueError("batch was loaded without index texts")
                    found.append(text)
                    break
            else:
                raise ValueError(f"{article.path} is not in this batch")
        return found


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a corpus loads, then freeze.

    A load allocates ~5 tracked objects per article (the article, its date, two lists…)
    and almost no garbage cycles (~800 objects for 100,000 articles, measured). With
    the collector on, every full collection walks all of them: ~3 s of a 100k load,
    in pauses of up to 0.2 s that stall whichever thread allocates, the UI's included.
    At the end ``gc.freeze()`` moves what exists to the permanent generation, so later
    collections never walk the corpus again (no 0.2 s pauses while the user reads).
    The price: an object alive at that moment that later becomes part of a garbage
    cycle is never freed. What exists then is mostly the corpus and the main screen,
    which live as long as the app.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
        release_free_memory()


def release_free_memory() -> None:
    """Give the memory a load freed back to the system (glibc's ``malloc_trim``).

    A load frees much of what it made: bodies once written to the store, index texts
    once indexed, the parsers' pickles. glibc keeps freed blocks in its heaps, in
    pieces among the corpus's own, and each thread that allocated has heaps of its own:
    at 100k articles ~21 MB stayed resident for nothing, and a query's sets then grew
    the process beyond it. Elsewhere (no glibc) this does nothing.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # musl has none
        return None
    return trim


def default_workers() -> int:
    """Processes to parse with: one per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def skipping(entries: Iterable[str | Skipped], paths: Iterable[str]) -> Iterator[str | Skipped]:
    """*entries* without those at *paths* (read already), each left out once; once all
    are seen the rest passes through untested."""
    left = set(paths)
    entries = iter(entries)
    if left:
        for entry in entries:
            path = entry.path if isinstance(entry, Skipped) else entry
            if path in left:
                left.discard(path)
                if not left:
                    break
                continue
            yield entry
    yield from entries


def read_chunk(
    entries: Sequence[str | Skipped], cwd: str | None = None, with_texts: bool = True
) -> tuple[list[Article | Skipped], list[IndexText | None]]:
    """Read, parse and (optionally) prepare for the index a chunk of discovered entries.

    Runs in a worker process. *cwd* is the loading process's working folder: paths
    from ``discover`` may be relative to it, and so are the paths articles show.
    """
    if cwd is not None and os.getcwd() != cwd:
        os.chdir(cwd)
    items = [read_found(entry) for entry in entries]
    if not with_texts:
        return items, [None] * len(items)
    texts = [None if isinstance(item, Skipped) else prepare(item) for item in items]
    return items, texts


_Result = tuple[list[Article | Skipped], list[IndexText | None]]


def read_chunk_pickled(entries: Sequence[str | Skipped], cwd: str, with_texts: bool) -> bytes:
    """:func:`read_chunk`, its result pickled here, in the worker.

    The pool's own thread would otherwise unpickle every result (~1.5 ms of the GIL a
    chunk, 1.2 s over 100k articles) the moment it arrives, whatever the UI is doing.
    As bytes it only copies them; the loader unpickles them between two pauses.
    """
    return pickle.dumps(read_chunk(entries, cwd, with_texts), protocol=pickle.HIGHEST_PROTOCOL)


WORKER_NICENESS = 10
"""Parsing processes run this much nicer than the app: on a machine with as many
cores as workers, the UI thread then gets a core the moment a key needs one, and the
workers lose nothing while nobody types."""


def _lower_priority() -> None:
    """Make this worker process nicer (where the OS allows it)."""
    with suppress(OSError):
        os.nice(WORKER_NICENESS)


PR_SET_PDEATHSIG = 1
"""``prctl`` option (linux/prctl.h): the signal this process gets when its parent dies."""


def _set_death_signal() -> bool:
    """Linux only: be sent SIGKILL when the parent ends. False where that is unknown."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _exit_with_creator() -> None:
    """End this worker when the process that started the pool (the app) ends.

    A worker blocks reading its task queue, and holds the writing end of that queue
    itself, so it would never see the end of a killed app: it stayed under PID 1 with
    the forkserver (kept alive by the workers' handles on it) and the resource tracker
    (kept alive by everybody's), ~70 MB per ``kill -9`` (issue 12). Two guards:

    * Everywhere: a thread waits on multiprocessing's sentinel of the creating process
      (a pipe whose other end only the creator holds) and ends this process as soon as
      it closes. Idle or busy, the worker is gone within milliseconds; then the
      forkserver, which exits when no client holds its "alive" pipe, and the tracker,
      which exits when nobody holds its pipe, follow on their own.
    * On Linux, when forked by a forkserver: ``PR_SET_PDEATHSIG`` (SIGKILL), so that the
      workers go with the server too if it is killed. Not for the server itself, nor
      for workers the app spawns directly: the kernel signals when the *thread* that
      forked ends, and the app starts the pool from a short-lived thread.
    """
    import multiprocessing

    creator = multiprocessing.parent_process()
    if creator is None:
        return
    server = os.getppid()
    if server != creator.pid and _set_death_signal() and os.getppid() != server:
        os._exit(1)  # the server died before the signal was armed
    watcher = threading.Thread(
        target=_exit_when_ended, args=(creator,), name="pool-orphan-guard", daemon=True
    )
    watcher.start()


def _exit_when_ended(creator: BaseProcess) -> None:
    creator.join()
    os._exit(1)


def _start_worker() -> None:
    """Pool initializer: a nicer process, that ends with the app."""
    _lower_priority()
    _exit_with_creator()


def _stop_executor(executor: ProcessPoolExecutor, timeout: float = STOP_TIMEOUT) -> None:
    """Shut *executor* down and wait for its processes and its management thread.

    ``shutdown(wait=False)`` returned with the management thread still closing its
    pipes, and at interpreter exit ``concurrent.futures`` wakes every such thread
    through a pipe it may just have closed: about one ``--list`` in 135 printed
    "Exception ignored in … _python_exit … Bad file descriptor" (issue 12). So this
    waits, but boundedly: a worker still busy after *timeout* seconds (a file on a
    hung network mount) is killed rather than allowed to hold up the app's exit.
    """
    processes = list((getattr(executor, "_processes", None) or {}).values())
    manager = getattr(executor, "_executor_manager_thread", None)
    executor.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + timeout
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
    for process in processes:
        if process.exitcode is None:
            with suppress(OSError, ValueError):
                process.kill()
            process.join()
    if manager is not None and manager is not threading.current_thread():
        manager.join()


def _warm() -> int:
    """A no-op task: returns once a worker is up, so the pool is known to be ready."""
    return os.getpid()


_TRACKER_LOCK = threading.Lock()


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker, with a real stderr if need be.

    The tracker hands ``sys.stderr.fileno()`` to its process. Inside a Textual app
    ``sys.stderr`` is Textual's print capture, whose ``fileno()`` is -1, so starting
    it there fails ("bad value(s) in fds_to_keep") and every pool with it. For the
    few milliseconds of that start, ``sys.stderr`` is the real one again.
    """
    from multiprocessing import resource_tracker

    with _TRACKER_LOCK:
        stderr = sys.stderr
        try:
            usable = stderr is None or stderr.fileno() >= 0
        except Exception:  # no file descriptor at all: the tracker does without
            usable = True
        if usable:
            resource_tracker.ensure_running()
            return
        sys.stderr = sys.__stderr__
        try:
            resource_tracker.ensure_running()
        finally:
            if sys.stderr is sys.__stderr__:
                sys.stderr = stderr


class _Pool:
    """A process pool started in a background thread, so that parsing can begin here."""

    def __init__(self, workers: int, start_method: str | None) -> None:
        self.executor: ProcessPoolExecutor | None = None
        self.error: BaseException | None = None
        self.ready = threading.Event()
        self._workers = workers
        self._start_method = start_method
        self._thread = threading.Thread(target=self._start, name="corpus-pool-start", daemon=True)
        self._thread.start()

    def _start(self) -> None:
        # Imported here, on the pool's own thread: a small corpus (the seeds) never
        # starts a pool, and multiprocessing is ~10 ms of every start-up otherwise.
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        try:
            method = self._start_method
            if method is None:
                available = multiprocessing.get_all_start_methods()
                method = next(m for m in START_METHODS if m in available)
            context = multiprocessing.get_context(method)
            if method != "fork":
                _start_resource_tracker()
            if method == "forkserver":
                # The server imports this module once; every worker forks with it loaded.
                context.set_forkserver_preload([__name__])
            executor = ProcessPoolExecutor(
                self._workers, mp_context=context, initializer=_start_worker
            )
            try:
                # One task per worker: ProcessPoolExecutor starts them all on the first
                # submit (for non-fork contexts), and a result means they can run.
                for future in [executor.submit(_warm) for _ in range(self._workers)]:
                    future.result()
            except BaseException:
                _stop_executor(executor)
                raise
            self.executor = executor
        except Exception as error:  # no processes here: parse in this process instead
            self.error = error
        finally:
            self.ready.set()

    def shutdown(self) -> None:
        """Stop the workers and wait for them (a start in progress is waited for first)."""
        self.ready.wait()
        if self.executor is not None:
            executor, self.executor = self.executor, None
            _stop_executor(executor)


def load_batches(
    paths: Iterable[str],
    *,
    workers: int | None = None,
    first_batch: int = 64,
    batch_size: int = 1024,
    with_texts: bool = True,
    first_with_texts: bool = True,
    pool_threshold: int = POOL_THRESHOLD,
    chunk_size: int = CHUNK_SIZE,
    start_method: str | None = None,
    parse_while_starting: bool = True,
    pause: Callable[[], None] | None = None,
    read_already: Sequence[str] = (),
    files_read: int = 0,
) -> Generator[LoadBatch, None, None]:
    """Everything :func:`model.iter_corpus` yields, in the same order, in batches.

    The first batch (*first_batch* items) is read in this process straight away; the
    rest goes to *workers* processes (default: one per core) in chunks of *chunk_size*
    when there are at least *pool_threshold* files. Batches hold about *batch_size*
    items. With *with_texts* each article comes with its :class:`index.IndexText`,
    except in the first batch if *first_with_texts* is False (a caller showing those
    rows at once prepares their texts later, off the path to its first frame).
    While the pool starts, files are parsed here, unless *parse_while_starting* is
    False (tests use that to be sure the pool parses a small corpus).
    *pause* is called before each step (a chunk parsed here or taken from the pool):
    :meth:`Foreground.pause <tui.corpus.foreground.Foreground.pause>` lets the UI go
    first. Raises ``CorpusPathError`` for a named path that cannot be read, as
    ``iter_corpus`` does. Closing the generator early stops the workers.

    *read_already* are paths the caller read itself (a :mod:`headstart` child's first
    rows): they are left out, and counted in *files_read*, the files read so far.
    """
    count = workers if workers is not None else default_workers()
    found = iter(discover(paths))
    if read_already:
        found = skipping(found, read_already)
    cwd = os.getcwd()
    ahead = list(itertools.islice(found, max(first_batch, pool_threshold)))
    pool = _Pool(count, start_method) if count > 1 and len(ahead) >= pool_threshold else None
    entries: Iterator[str | Skipped] = itertools.chain(ahead, found)
    items: list[Article | Skipped] = []
    texts: list[IndexText | None] = []
    pooled = False

    def take(limit: int) -> list[str | Skipped]:
        if pause is not None:
            pause()
        return list(itertools.islice(entries, limit))

    def collect(result: _Result, by_pool: bool = False) -> None:
        nonlocal files_read, pooled
        items.extend(result[0])
        texts.extend(result[1])
        files_read += len(result[0])
        pooled = pooled or by_pool

    def flush() -> LoadBatch:
        nonlocal pooled
        batch = LoadBatch(items.copy(), files_read, texts.copy(), count if pooled else 0)
        items.clear()
        texts.clear()
        pooled = False
        return batch

    try:
        # The first rows at once, whatever the corpus size.
        collect(read_chunk(take(first_batch), with_texts=with_texts and first_with_texts))
        if items:
            yield flush()
        if pool is not None:
            # Keep parsing here, in small steps, until the pool is ready.
            if not parse_while_starting:
                pool.ready.wait()
            while not pool.ready.is_set() and (chunk := take(first_batch)):
                collect(read_chunk(chunk, with_texts=with_texts))
                if len(items) >= batch_size:
                    yield flush()
            from concurrent.futures.process import BrokenProcessPool  # loaded by the pool

            executor = pool.executor
            window: deque[tuple[list[str | Skipped], Future[bytes] | None]] = deque()
            try:
                while executor is not None:
                    while len(window) < count * 3 and (chunk := take(chunk_size)):
                        window.append((chunk, None))  # kept if submitting fails
                        window[-1] = (
                            chunk,
                            executor.submit(read_chunk_pickled, chunk, cwd, with_texts),
                        )
                    if not window:
                        break
                    future = window[0][1]
                    assert future is not None
                    pickled = future.result()
                    if pause is not None:
                        pause()
                    collect(pickle.loads(pickled), by_pool=True)
                    window.popleft()
                    if len(items) >= batch_size:
                        yield flush()
            except BrokenProcessPool:
                # A worker died (killed, out of memory…): what was in flight, and the
                # rest, is read here instead; the order is unchanged.
                lost = [entry for chunk, _ in window for entry in chunk]
                entries = itertools.chain(lost, entries)
        # Small corpus, a single worker, no pool, or a broken one: read the rest here.
        while chunk := take(batch_size):
            collect(read_chunk(chunk, with_texts=with_texts))
            yield flush()
        if items:
            yield flush()
    finally:
        if pool is not None:
            pool.shutdown()
