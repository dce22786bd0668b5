"""The reader's work in worker threads: loading the collection, checking and following
the folder, reading and writing the read/flag marks.

Each job drives the :class:`~tui.corpus.session.CorpusSession` (or the
:class:`~tui.corpus.state.ReadState`) on a Textual worker thread and reports to the
screen with messages of plain data (:mod:`tui.messages`); the screen shows what they
did. A key never waits for one: the loading threads stand aside while an input is
answered (:class:`~tui.corpus.foreground.Foreground`), and ReadState holds its mutex
only for moments. Loading and saving a state file of a million keys takes seconds;
marks made before the load ends are merged into what it read.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Collection, Generator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.timer import Timer
from textual.worker import Worker, get_current_worker

from .corpus import Article, Skipped, SortOrder
from .corpus.headstart import FIRST_BATCH, HeadStart, read_first_rows
from .corpus.loader import LoadBatch, load_batches
from .corpus.safe import neutralise_line
from .corpus.session import finish
from .messages import (
    CorpusBatch,
    FacetsCounted,
    FolderChanged,
    RelatedFound,
    RelevanceFilled,
    SearchAnswered,
    SkippedChecked,
    StateLoaded,
    StateSaved,
    StoreFailed,
    WatchFailed,
)

if TYPE_CHECKING:
    from .corpus.query import Query
    from .corpus.watch import FolderChanges
    from .screen import ReaderScreen

FIRST_FRAME_SECONDS = 0.3
"""Longest time the loading threads wait for the first frame at start-up."""

SAVE_DELAY = 1.0
"""Seconds after a mark before the state file is written (marks come in bursts)."""

BATCH = 1024
"""Files a loading batch holds after the first."""


@dataclass(frozen=True, slots=True)
class SearchRequest:
    """A query for the search thread (see :meth:`Background.search`)."""

    number: int
    """Counts the queries asked: the screen applies the answer to the last one only."""
    query: Query
    within: Collection[int] | None
    """The matches of a query this one narrows (never changed in place meanwhile)."""
    order: SortOrder | None
    """The order to put the matches in (None: the screen orders them itself)."""


def _first_step_taken(steps: Generator[None, None, bool]) -> Generator[None, None, bool]:
    """*steps* with its first step taken now; the rest, and its result or its exception,
    when the loading worker runs it (a failure is reported there, as every load's)."""
    try:
        next(steps)
    except StopIteration as finished:
        return _ended(finished.value)
    except Exception as error:
        return _ended(error)
    return steps


def _ended(outcome: bool | Exception) -> Generator[None, None, bool]:
    """Steps already taken: none left, only their *outcome* to return or raise."""
    if isinstance(outcome, Exception):
        raise outcome
    return outcome
    yield  # never reached: it makes this a generator


class Background:
    """The jobs of one :class:`~tui.screen.ReaderScreen` (its workers die with it)."""

    def __init__(
        self,
        screen: ReaderScreen,
        paths: Sequence[str],
        *,
        head_start: HeadStart | None = None,
        watch: bool = True,
    ) -> None:
        self.screen = screen
        self.paths = list(paths)
        self.head_start = head_start
        """A child process reading the first rows (:mod:`corpus.headstart`), if any."""
        self.watch_enabled = watch
        """False (``--no-watch``): no watcher is started. The session's watcher runs
        on a thread of its own, not a Textual worker, which would never complete
        (tests and harnesses wait for every worker); stopped when the app unmounts."""
        self._save_timer: Timer | None = None
        self._saving = False
        """A save worker is running: a save asked for meanwhile waits for it."""
        self._save_again = False
        """Marks changed while a save ran: save once more when it ends."""
        self._search_lock = threading.Lock()
        self._search_wanted: SearchRequest | None = None
        """The last query asked for and not yet taken by the search thread."""
        self._searching = False
        """The search thread is running (it takes queries until none is left)."""
        self._ui_thread: int | None = None
        """The UI thread's identity (set on mount)."""

    def _run(self, job: Callable[[], Any], group: str, *, exclusive: bool = False) -> Worker[Any]:
        """Run *job* in a worker thread of the screen's (an exception is reported by
        Textual, never raised in the app)."""
        return self.screen.run_worker(
            job, group=group, exclusive=exclusive, thread=True, exit_on_error=False
        )

    def start(self) -> None:
        """Load the marks and the collection, then follow the folder (on mount)."""
        screen = self.screen
        self._ui_thread = threading.get_ident()
        self.load_state()  # a big state file takes seconds: never before a frame
        if screen.session.cache and self.head_start is None:
            self.open_collection()  # the store, if it can answer, else the files
        else:
            # A head start was made: the store cannot answer (the command line looked),
            # so its rows go in the first frame; the loading worker opens the store.
            self.read_collection()
        if self.watch_enabled:
            screen.call_after_refresh(self.follow_folder)  # after the first frame

    # --- loading ---------------------------------------------------------------

    def read_collection(self) -> None:
        """Read every file (a first launch, ``--no-cache``, or a store that cannot
        answer): the first rows at once, the rest in the loading worker."""
        # The first rows are in the first frame: a head start child read them while
        # Textual was imported (ready by now); without one they are read here (~35 ms).
        self.screen.reading_store = False  # (a store that could not answer: files, now)
        rows = self.head_start.rows() if self.head_start is not None else None
        if rows is None:
            rows = read_first_rows(self.paths, FIRST_BATCH)
        screen = self.screen
        batches = load_batches(
            self.paths,
            first_batch=FIRST_BATCH,
            batch_size=BATCH,
            pause=screen.foreground.pause,
            read_already=rows.paths,
            files_read=len(rows.items),
        )
        first = LoadBatch(rows.items, len(rows.items))
        shown = screen.first_rows(first.items, first.files_read)
        # The loading threads wait for the first frame (the screen's frame hook ends this).
        screen.foreground.busy(FIRST_FRAME_SECONDS)
        self.load_corpus(batches, first, shown)

    def open_collection(self) -> None:
        """Open the store: re-open from it when it holds the collection (no file is
        read; the folder is then checked in the background), else read the files.

        When a quick look finds the store ready, it is opened and its top rows read
        here, on the UI thread at mount, so they are in the first frame (~50 ms at
        100k); the rest in the loading worker. Read in the worker beside the UI thread
        building that frame, they took ~200 ms: each SQLite call released the GIL and
        waited a switch interval to take it back.
        """
        session = self.screen.session
        report = self._report_batch
        steps: Generator[None, None, bool] | None = None
        opened = session.store_looks_ready()  # then opening it neither builds nor waits
        if opened:
            self._open_store()
            if session.can_reopen:
                self.screen.reading_store = True
                steps = _first_step_taken(session.reopening(report))

        def job() -> None:
            nonlocal steps
            if steps is None:
                if not opened:  # (else its warning or note was said once already)
                    self._open_store()
                if session.can_reopen:
                    self.screen.reading_store = True  # before its first batch is posted
                    steps = session.reopening(report)
            if steps is None or not finish(steps):
                self.screen.app.call_from_thread(self.read_collection)
                return
            self.check_folder()  # in a worker of its own: not held up by the warming
            session.warm_search(self.screen.order)

        self._run(job, "load", exclusive=True)

    def _open_store(self) -> None:
        """Open the session's store (once); say why it cannot be used, or why it was
        built afresh."""
        session = self.screen.session
        warning = session.open_store(on_error=self._post_store_failure)
        if warning is not None:
            self.screen.post_message(StoreFailed(warning))
        note = session.store_note
        if note is not None:
            self.screen.post_message(StoreFailed(note, severity="information"))

    def _report_batch(
        self,
        added: list[int],
        skipped: list[Skipped],
        read: int,
        done: bool,
        /,
        *,
        answers: bool = False,
    ) -> None:
        """A load's report (:data:`~tui.corpus.session.Report`): posted to the screen
        from a worker; shown at once on the UI thread (a re-open's top rows, read
        before the first frame)."""
        batch = CorpusBatch(added, skipped, read, done, answers=answers)
        if threading.get_ident() == self._ui_thread:
            self.screen.batch_arrived(batch)
        else:
            self.screen.post_message(batch)

    def _post_store_failure(self, reason: str) -> None:
        self.screen.post_message(StoreFailed(reason))

    def check_folder(self) -> None:
        """After a re-open: what changed in the folder since the store was written,
        read and applied as the watcher's rounds are: files added and removed in the
        folders whose mtime changed first, then what a stat of every file finds."""

        def job() -> None:
            worker = get_current_worker()
            session = self.screen.session
            for changes in session.check_folder(lambda: worker.is_cancelled, quick_first=True):
                self.screen.post_message(FolderChanged(changes))
            if session.skipped_checked is not None and not worker.is_cancelled:
                self.screen.post_message(SkippedChecked(list(session.skipped_checked)))

        self._run(job, "check", exclusive=True)

    def load_corpus(
        self,
        batches: Generator[LoadBatch, None, None],
        first: LoadBatch | None,
        shown: list[Article],
    ) -> None:
        """Stream the rest of the corpus in (:meth:`CorpusSession.load`: parsed in
        processes, indexed on a thread, the UI thread only shows rows). *first* is the
        batch already put in the corpus (*shown*): it is indexed there, and its rows
        are posted again so an initial query searches them."""

        def job() -> None:
            worker = get_current_worker()
            self._open_store()
            self.screen.session.load(
                batches,
                self._report_batch,
                shown=shown,
                read=first.files_read if first is not None else 0,
                cancelled=lambda: worker.is_cancelled,
            )
            if not worker.is_cancelled:
                self.screen.session.warm_search(self.screen.order)

        self._run(job, "load", exclusive=True)

    # --- following the folder --------------------------------------------------

    def follow_folder(self) -> None:
        """Start following the folder (once, after the first frame)."""
        session = self.screen.session
        if session.watch_thread is not None or not self.screen.app.is_running:
            return
        from .corpus.state import state_directory

        session.follow(
            self._post_changes,
            self._post_watch_failure,
            [state_directory()],
            on_missed=self._post_watch_miss,
        )

    def _post_changes(self, changes: FolderChanges) -> None:
        self.screen.post_message(FolderChanged(changes))

    def _post_watch_failure(self, reason: str) -> None:
        self.screen.post_message(WatchFailed(reason))

    def _post_watch_miss(self, reason: str) -> None:
        self.screen.post_message(WatchFailed(reason, following=True))

    def read_again(self, paths: list[str]) -> None:
        """Read the duplicates of an article whose own file went: one takes its place."""

        def job() -> None:
            from .corpus.watch import read_files

            changes = read_files(paths, self.screen.foreground.pause)
            changes.again = True
            self.screen.post_message(FolderChanged(changes))

        self._run(job, "watch-read")

    def index_new(self) -> None:
        """Move the articles just staged into FTS5 (searchable meanwhile by scanning)."""
        self._run(self.screen.session.index_staged, "watch-index", exclusive=True)

    def fill_relevance(self) -> None:
        """Give the relevance ranking the articles it lacks (the store's writer does
        so when idle; a ranked list asks for it at once), then tell the screen."""

        def job() -> None:
            try:
                self.screen.session.fill_relevance()
            finally:  # filled, or failed (a full disk): the list stops waiting for it
                self.screen.post_message(RelevanceFilled())

        self._run(job, "relevance", exclusive=True)

    def find_related(self, serial: int) -> None:
        """Find the articles most like article *serial* (the relevance table filled
        first, if it is not yet) and hand them to the screen: ~40-100 ms at 100k."""
        screen = self.screen

        def job() -> None:
            if not screen.session.relevance_filled and screen.session.relevance_missing():
                screen.post_message(RelatedFound(serial, None))  # "reading…"
            screen.post_message(RelatedFound(serial, screen.session.related(serial)))

        self._run(job, "related", exclusive=True)

    def count_facets(self) -> None:
        """Count the facets of the list (every article without a query) and hand
        them to the screen: off the UI thread, ~0.1-0.3 s at 100,000 articles."""
        screen = self.screen
        matches = None if screen.matches is None else set(screen.matches)

        def job() -> None:
            if not screen.session.relevance_filled and screen.session.relevance_missing():
                screen.post_message(FacetsCounted(None, 0))  # "reading names…"
            facets = screen.session.facets(matches)
            count = len(screen.session.corpus) if matches is None else len(matches)
            screen.post_message(FacetsCounted(facets, count))

        self._run(job, "facets", exclusive=True)

    # --- read/flag marks on disk -----------------------------------------------

    def load_state(self) -> None:
        """Read the marks and the query history on disk (``run_app`` opens the state
        without reading it)."""

        def job() -> None:
            if not self.screen.state.loaded:
                self.screen.state.load(pause=self.screen.foreground.pause)
            self.screen.history.load()
            self.screen.positions.load()
            self.screen.post_message(StateLoaded())

        self._run(job, "state-load", exclusive=True)

    def save_soon(self) -> None:
        """A mark changed: write the marks once they stop changing for SAVE_DELAY."""
        self.cancel_save()
        self._save_timer = self.screen.set_timer(SAVE_DELAY, self._save_state)

    def cancel_save(self) -> None:
        """Forget a save asked for but not started (quitting saves at once)."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None

    def _save_state(self) -> None:
        self._save_timer = None
        if self._saving:
            self._save_again = True
            return
        self._saving = True
        self.save_state()

    def save_state(self) -> Worker[Any]:
        """Write the marks now, in a worker (the screen is told when it ends)."""

        def job() -> None:
            self.screen.state.save(pause=self.screen.foreground.pause)
            self.screen.post_message(StateSaved())

        return self._run(job, "state-save")

    def save_history(self) -> None:
        """Write the query history (a query was just added)."""

        def job() -> None:
            history = self.screen.history
            history.save()
            if history.warnings:
                self.screen.app.call_from_thread(self.screen.report_state_warnings)

        self._run(job, "history-save", exclusive=True)

    def saved(self) -> None:
        """A save ended: save again if marks changed while it ran."""
        self._saving = False
        if self._save_again:
            self._save_again = False
            self._save_state()

    # --- export ----------------------------------------------------------------

    def export(self, articles: list[Article], form: str, path: str) -> None:
        """Write *articles* to *path* in *form*, atomically (a temp file beside it,
        then renamed over it), and say how it went."""

        def job() -> None:
            from .corpus.export import export_text
            from .corpus.state import write_atomically

            app = self.screen.app
            target = os.path.abspath(path)
            try:
                text, count = export_text(articles, form)
                write_atomically(target, [text.encode("utf-8", "replace")])
            except OSError as error:
                message = neutralise_line(f"Not written: {path}: {error.strerror or error}")
                app.call_from_thread(app.notify, message, severity="warning", markup=False)
                return
            said = neutralise_line(f"{count:,} article{'s' if count != 1 else ''} to {path}")
            app.call_from_thread(app.notify, said, title="Exported", markup=False)

        self._run(job, "export")

    # --- searching -------------------------------------------------------------

    def search(self, request: SearchRequest) -> None:
        """Answer *request* in the search thread (a :class:`SearchAnswered` message).

        One thread, taking the latest query each time it is free: the queries typed
        while it searches are not searched one by one, only the last of them is (a
        million articles take ~0.5 s for a first letter, and a word typed fast would
        otherwise queue a search per letter)."""
        with self._search_lock:
            self._search_wanted = request
            if self._searching:
                return
            self._searching = True
        self._run(self._answer_searches, "search")

    @property
    def searching(self) -> bool:
        """The search thread is running (only the UI thread starts it)."""
        with self._search_lock:
            return self._searching

    def _answer_searches(self) -> None:
        screen = self.screen
        session = screen.session
        while True:
            with self._search_lock:
                request, self._search_wanted = self._search_wanted, None
                if request is None:
                    self._searching = False
                    return
            started = time.perf_counter()
            version = session.corpus.version
            try:
                matches = session.search(request.query, screen.state, within=request.within)
                rows = session.rows(request.order, matches) if request.order else None
            except Exception as error:  # noqa: BLE001 - said in the filter bar; the thread goes on
                answer = SearchAnswered(request.number, None, None, version, 0.0, str(error))
            else:
                seconds = time.perf_counter() - started
                answer = SearchAnswered(request.number, matches, rows, version, seconds)
            screen.post_message(answer)

    # --- quitting --------------------------------------------------------------

    def quit_when_written(self) -> None:
        """Quit once the first load's store is written (the screen stays live)."""

        def job() -> None:
            writer = self.screen.session.writer
            if writer is not None:
                writer.wait_for_load()
            self.screen.app.call_from_thread(self.screen.app.exit)

        self._run(job, "quit")
