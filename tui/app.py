"""The Broadsheet app: composes the panes, owns the bindings, coordinates.

Data flows down (the app hands rows, articles and the query to widgets); events
flow up and the app decides. Most come as messages; the ones a key press produces and
whose answer must paint in that key's frame (the query typed, the article under the
cursor, the article opened) are callbacks the widgets were given, run while the key is
handled: a message would be handled after the frame, and its answer drawn ~17 ms later.
The corpus loads in a worker thread and streams in; the first batch is read before the
first paint, so the first frame already has rows.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import threading
import time
from collections.abc import Generator, Sequence
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.actions import SkipAction
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.worker import get_current_worker

from .corpus import Article, Corpus, Skipped, SortOrder, read_raw
from .corpus.files import check_paths
from .corpus.foreground import Foreground
from .corpus.headstart import FIRST_BATCH, HeadStart, read_first_rows
from .corpus.index import SearchIndex
from .corpus.loader import LoadBatch, load_batches
from .corpus.query import Query, QueryError, parse_query
from .corpus.safe import neutralise_line
from .corpus.session import CorpusSession
from .corpus.state import ReadState
from .messages import (
    CorpusBatch,
    FolderChanged,
    StateLoaded,
    StateSaved,
    StoreFailed,
    WatchFailed,
)
from .screen import MainScreen
from .widgets import (
    ArticleList,
    FilterBar,
    Glyphs,
    HeaderBar,
    HelpScreen,
    KeyBar,
    ReadingPane,
    Timeline,
    glyphs_for_terminal,
)
from .widgets.filter_bar import FilterInput

if TYPE_CHECKING:
    from .corpus.store import Store
    from .corpus.watch import FolderChanges, FolderWatcher

NARROW_WIDTH = 100
"""Below this many columns one pane shows at a time."""

PREVIEW_DELAY = 0.12
"""Seconds the cursor must rest before the preview redraws (holding ↓ stays cheap)."""

SAVE_DELAY = 1.0
"""Seconds after a mark before the state file is written (marks come in bursts)."""

ANSWERED_INPUT = (
    events.Key,
    events.MouseDown,
    events.MouseUp,
    events.MouseScrollDown,
    events.MouseScrollUp,
    events.Paste,
)
"""Inputs whose answer the user waits for (a mouse move is not one)."""

ANSWER_SECONDS = 0.05
"""Longest time the loading threads stand aside for one input's frame."""

FIRST_FRAME_SECONDS = 0.3
"""Longest time the loading threads wait for the first frame at start-up."""

BATCH_REST = 0.25
"""Seconds without input before loaded batches join the list (see _show_batches_at_rest)."""

BATCH = 1024


class BroadsheetApp(App[None]):
    """A date-sorted list, a reading pane and a filter bar over a corpus."""

    CSS_PATH = "app.tcss"
    TITLE = "Broadsheet"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW_WIDTH, "-wide")]
    """The screen gets -narrow under NARROW_WIDTH columns: app.tcss shows one pane."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark,f1", "help", "Help"),
        # Priority: handled as the key arrives, before the keys typed after it are routed,
        # so "/pak" in one burst (a fast typist, an SSH packet) lands "pak" in the field.
        Binding("slash", "focus_filter", "Filter", priority=True),
        Binding("s", "toggle_sort", "Sort"),
        Binding("m", "toggle_read", "Read/unread", show=False),
        Binding("f", "toggle_flag", "Flag", show=False),
        Binding("r", "toggle_raw", "Raw/clean", show=False),
        Binding("y", "copy_citation", "Copy citation", show=False),
        Binding("t", "toggle_timeline", "Timeline", show=False),
    ]

    # No repaint on change: an App's refresh repaints the whole screen (~10 KB to the
    # terminal); the watchers update exactly what changes.
    reading: reactive[bool] = reactive(False, repaint=False)
    """An article is open in the reading pane (it has the keyboard)."""
    order: reactive[SortOrder] = reactive("newest", init=False, repaint=False)
    """Newest or oldest first; undated always last."""
    show_timeline: reactive[bool] = reactive(True, repaint=False)
    """Whether the timeline strip under the list is shown."""

    def __init__(
        self,
        paths: Sequence[str],
        *,
        state: ReadState | None = None,
        query: str = "",
        order: SortOrder = "newest",
        glyphs: Glyphs | None = None,
        infer: bool = True,
        head_start: HeadStart | None = None,
        watch: bool = True,
        store: bool = True,
        rebuild: bool = False,
    ) -> None:
        super().__init__()
        self.paths = list(paths)
        self.head_start = head_start
        """A child process reading the first rows (:mod:`corpus.headstart`), if any."""
        self.foreground = Foreground()
        """Raised while an input is answered: the loading threads wait for its frame."""
        # infer=False (--no-infer): no inferred years anywhere; the corpus drops them.
        self.session = CorpusSession(
            self.paths, infer=infer, cache=store, rebuild=rebuild, pause=self.foreground.pause
        )
        """The corpus, its index, the store, the loader and the watcher (the loading
        workers drive it; it reports plain data, posted as messages)."""
        self.state = state if state is not None else ReadState.open(enabled=False)
        self.glyphs = glyphs or glyphs_for_terminal()
        self.initial_query = query
        self.current_query: Query = parse_query("")
        self.matches: set[int] | None = None
        """Serials matching the current query; None when there is no query."""
        self.skipped: list[Skipped] = []
        self.loading = True
        self.loaded = asyncio.Event()
        """Set when the whole corpus is loaded and shown (tests wait on it)."""
        self.files_read = 0
        self._preview_timer: Timer | None = None
        self._save_timer: Timer | None = None
        self._saving = False
        """A save worker is running: a save asked for meanwhile waits for it."""
        self._save_again = False
        """Marks changed while a save ran: save once more when it ends."""
        self._last_highlight = 0.0
        self._last_input = 0.0
        """When the user last pressed a key or clicked (``time.monotonic()``)."""
        self._unshown: list[int] = []
        """Serials loaded but not yet shown: batches wait while the user is active."""
        self._batch_timer: Timer | None = None
        self._pending_preview: int | None = None
        self._shown_serial: int | None = None
        self._reader_query: Query | None = None
        """The query whose highlights the reading pane shows."""
        self._typing_query = False
        """A keystroke's query is being applied (the preview then waits for a rest)."""
        self._timeline_stale = False
        """The timeline still charts the rows before the last keystroke's query."""
        self._first_frame_shown = False
        """The first preview has been drawn (until then it waits a frame for the rows)."""
        self._warnings_shown = 0
        self.set_reactive(BroadsheetApp.order, order)
        self._init_following(watch)
        self._quitting = False
        """q was pressed while the store was being written (a second q quits anyway)."""

    # --- the session's parts, by their old names (tests and tools read them) -----

    @property
    def corpus(self) -> Corpus:
        return self.session.corpus

    @property
    def index(self) -> SearchIndex | None:
        """Made by the loading thread (SQLite set-up is off the path to the first
        frame); until then nothing is searchable yet and a query matches nothing."""
        return self.session.index

    @property
    def store(self) -> Store | None:
        return self.session.store

    @property
    def reopened(self) -> bool:
        return self.session.reopened

    @property
    def watcher(self) -> FolderWatcher | None:
        return self.session.watcher

    @property
    def watch_thread(self) -> threading.Thread | None:
        return self.session.watch_thread

    # --- structure -------------------------------------------------------------

    def get_default_screen(self) -> Screen[None]:
        return MainScreen(foreground=self.foreground, id="_default")

    def compose(self) -> ComposeResult:
        yield HeaderBar(id="header")
        yield FilterBar(self.initial_query, on_change=self._set_query, id="filter")
        with Horizontal(id="panes"):
            with Vertical(id="list-column"):
                yield ArticleList(
                    on_highlight=self._highlighted,
                    on_select=self._open,
                    glyphs=self.glyphs,
                    id="list",
                )
                yield Timeline(glyphs=self.glyphs, id="timeline")
            yield ReadingPane(glyphs=self.glyphs, id="reader")
        yield KeyBar(id="keys")

    @property
    def article_list(self) -> ArticleList:
        return self.query_one("#list", ArticleList)

    @property
    def reader(self) -> ReadingPane:
        return self.query_one("#reader", ReadingPane)

    @property
    def filter_bar(self) -> FilterBar:
        return self.query_one("#filter", FilterBar)

    @property
    def timeline(self) -> Timeline:
        return self.query_one("#timeline", Timeline)

    def on_mount(self) -> None:
        article_list = self.article_list
        article_list.articles = self.corpus.by_serial
        article_list.state = self.state
        article_list.focus()
        if self.initial_query:
            self._set_query(self.initial_query)
        self._report_state_warnings()
        if not self.state.loaded:
            self.load_state()  # a big state file takes seconds: never before a frame
        if self.session.cache and self.head_start is None:
            self.open_collection()  # the store, if it can answer, else the files
        else:
            # A head start was made: the store cannot answer (the command line looked),
            # so its rows go in the first frame; the loading worker opens the store.
            self.read_collection()
        if self.watch_enabled:
            self.call_after_refresh(self.follow_folder)  # after the first frame

    def read_collection(self) -> None:
        """Read every file (a first launch, ``--no-cache``, or a store that cannot
        answer): the first rows at once, the rest in the loading worker."""
        # The first rows are in the first frame: a head start child read them while
        # Textual was imported (ready by now); without one they are read here (~35 ms).
        rows = self.head_start.rows() if self.head_start is not None else None
        if rows is None:
            rows = read_first_rows(self.paths, FIRST_BATCH)
        batches = load_batches(
            self.paths,
            first_batch=FIRST_BATCH,
            batch_size=BATCH,
            pause=self.foreground.pause,
            read_already=rows.paths,
            files_read=len(rows.items),
        )
        first = LoadBatch(rows.items, len(rows.items))
        shown = self.corpus.add(first.items)
        self.files_read = first.files_read
        self.skipped.extend(item for item in first.items if isinstance(item, Skipped))
        self._show_rows(keep=None)
        self._update_header()
        # The loading threads wait for the first frame (MainScreen's hook ends this).
        self.foreground.busy(FIRST_FRAME_SECONDS)
        self.load_corpus(batches, first, shown)

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def open_collection(self) -> None:
        """Open the store: re-open from it when it holds the collection (no file is
        read; the folder is then checked in the background), else read the files."""
        session = self.session
        self._open_store()
        if not session.can_reopen or not session.reopen(self._post_batch):
            self.call_from_thread(self.read_collection)
            return
        self.check_folder()

    def _open_store(self) -> None:
        """Open the session's store (once); say why it cannot be used, or why it was
        built afresh."""
        warning = self.session.open_store(on_error=self._post_store_failure)
        if warning is not None:
            self.post_message(StoreFailed(warning))
        note = self.session.store_note
        if note is not None:
            self.post_message(StoreFailed(note, severity="information"))

    def _post_batch(self, added: list[int], skipped: list[Skipped], read: int, done: bool) -> None:
        self.post_message(CorpusBatch(added, skipped, read, done))

    @work(thread=True, exclusive=True, group="check", exit_on_error=False)
    def check_folder(self) -> None:
        """After a re-open: what changed in the folder since the store was written,
        read and applied as the watcher's rounds are."""
        worker = get_current_worker()
        for changes in self.session.check_folder(lambda: worker.is_cancelled):
            self.post_message(FolderChanged(changes))

    # --- loading ---------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, ANSWERED_INPUT):
            self._last_input = time.monotonic()
            if self._change_counts:
                self._changes_seen()
            if self.loading:
                # The loading threads stand aside until this input's frame is out.
                self.foreground.busy(ANSWER_SECONDS)
        await super().on_event(event)

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load_corpus(
        self,
        batches: Generator[LoadBatch, None, None],
        first: LoadBatch | None,
        shown: list[Article],
    ) -> None:
        """Stream the rest of the corpus in (:meth:`CorpusSession.load`: parsed in
        processes, indexed on a thread, the UI thread only shows rows). *first* is the
        batch ``on_mount`` already put in the corpus (*shown*): it is indexed there,
        and its rows are posted again so an initial query searches them."""
        worker = get_current_worker()
        session = self.session
        self._open_store()
        session.load(
            batches,
            self._post_batch,
            shown=shown,
            read=first.files_read if first is not None else 0,
            cancelled=lambda: worker.is_cancelled,
        )

    @on(CorpusBatch)
    def _on_batch(self, message: CorpusBatch) -> None:
        self.files_read = message.read
        self.skipped.extend(message.skipped)
        self._unshown.extend(message.added)
        if message.done:
            self.loading = False
            self._show_batches()
        else:
            self._show_batches_at_rest()
        self._update_header()
        if message.done:
            if self.skipped:
                names = ", ".join(f"{item.path} ({item.reason})" for item in self.skipped[:3])
                more = f" and {len(self.skipped) - 3} more" if len(self.skipped) > 3 else ""
                self.notify(
                    f"{len(self.skipped)} file(s) skipped: {names}{more}",
                    title="Skipped files",
                    severity="warning",
                    markup=False,
                )
            self.loaded.set()
            self._apply_changes_at_rest()  # those seen while loading

    def _show_batches_at_rest(self) -> None:
        """Show the articles read since the list last changed, once the user rests.

        While keys come, the list does not change under the cursor: a batch reorders
        the visible rows (at 100k, ~10-20 ms of drawing that a key pressed meanwhile
        would wait for). The header's count goes on rising; the rows follow as soon
        as no input came for BATCH_REST seconds.
        """
        if self._batch_timer is not None:
            self._batch_timer.stop()
            self._batch_timer = None
        wait = self._last_input + BATCH_REST - time.monotonic()
        if wait <= 0:
            self._show_batches()
        else:
            self._batch_timer = self.set_timer(wait, self._show_batches_at_rest)

    def _show_batches(self) -> None:
        if self._batch_timer is not None:
            self._batch_timer.stop()
            self._batch_timer = None
        added, self._unshown = self._unshown, []
        if self.matches is not None and added:
            assert self.index is not None  # made before the first post
            found = self.index.search(self.current_query, self.state, within=added)
            if found:
                self.matches |= found
        article_list = self.article_list
        # Until the user moves, the cursor stays on the top row (the newest article).
        self._show_rows(keep=article_list.current_serial if article_list.user_moved else None)

    def _update_header(self) -> None:
        corpus = self.corpus
        parts = [corpus.name]
        count = len(corpus)
        parts.append(f"{count:,} article{'s' if count != 1 else ''}")
        span = corpus.date_span()
        if span:
            first, last = span
            parts.append(f"{first.iso()} – {last.iso()}")
        if self.loading:
            parts.append(f"loading… {self.files_read:,} files read")
        elif self.skipped:
            parts.append(f"{len(self.skipped)} skipped")
        changes = self._change_note()
        if changes:
            parts.append(changes)
        self.query_one(HeaderBar).summary = f" {self.glyphs.separator} ".join(parts)

    # --- rows and the query ----------------------------------------------------

    def _visible_rows(self) -> list[int]:
        return self.session.rows(self.order, self.matches)

    def _show_rows(self, keep: int | None) -> None:
        rows = self._visible_rows()
        article_list = self.article_list
        if self.loading and not rows:
            notice = "Loading…"
        elif not rows and self.matches is not None:
            notice = f"No articles match “{self.current_query.text}”. Esc clears the filter."
        elif not rows:
            notice = "No articles found."
        else:
            notice = ""
        article_list.set_rows(rows, keep=keep, notice=notice)
        self._show_count()
        if self._typing_query:
            self._timeline_stale = True  # with the preview, when typing rests
        else:
            self._chart(rows)
        if not rows:
            self._show_article(None)

    def _chart(self, rows: list[int]) -> None:
        """Bring the timeline up to date with *rows* (when it is shown)."""
        if self.show_timeline:
            every = self.corpus.period_counts() if self.matches is None else None
            self.timeline.set_rows(rows, self.corpus.periods, every)

    def _show_count(self, note: str = "") -> None:
        if self.loading:
            note = "loading…"
        self.filter_bar.show_count(
            len(self.article_list.rows), len(self.corpus), note, busy=self.loading
        )

    def _set_query(self, text: str) -> None:
        try:
            query = parse_query(text)
        except QueryError as error:
            self.filter_bar.show_error(str(error))
            return
        previous, previous_matches = self.current_query, self.matches
        within = None
        if previous_matches is not None and not query.uses_state() and query.narrows(previous):
            within = previous_matches
        result = self.session.search(query, self.state, within=within)
        self.current_query = query
        self.matches = result
        self.article_list.set_query(self._active_query())
        self._typing_query = True
        try:
            self._show_rows(keep=self.article_list.current_serial)
        finally:
            self._typing_query = False
        # The keystroke's answer is the list; the preview (new highlights, if not a new
        # article) follows when typing rests.
        self._pending_preview = self.article_list.current_serial
        self._schedule_preview(wait=True)

    @on(FilterBar.Done)
    def _filter_done(self) -> None:
        self.reading = False
        self._focus(self.article_list)

    # --- list and reader -------------------------------------------------------

    def _highlighted(self, serial: int | None) -> None:
        self._pending_preview = serial
        # While a query is typed the list is the answer; the preview follows later.
        self._schedule_preview(wait=self._typing_query)

    def _schedule_preview(self, *, wait: bool) -> None:
        """Bring the reading pane up to date with the cursor and the query: at once when
        the cursor was resting, else once it rests (holding ↓ or typing a query redraws
        the list at each key and the preview only at the end); always later with *wait*."""
        now = time.monotonic()
        resting = now - self._last_highlight > PREVIEW_DELAY
        self._last_highlight = now
        if self._preview_timer is not None:
            self._preview_timer.stop()
            self._preview_timer = None
        if not self._first_frame_shown:
            # Start-up: the rows paint first, the article one frame later.
            self.call_after_refresh(self._preview)
        elif resting and not wait:
            self._preview()
        else:
            # The timer belongs to the pane it updates, so it dies with it at exit.
            self._preview_timer = self.reader.set_timer(PREVIEW_DELAY, self._preview)

    def _preview(self) -> None:
        self._first_frame_shown = True
        self._preview_timer = None
        self._sync_reader(self._pending_preview)
        if self._timeline_stale:
            # Counting 100,000 matches by month cost ~10 ms a keystroke: the chart
            # follows the query once typing rests, like the preview.
            self._timeline_stale = False
            self._chart(self.article_list.rows)

    def _sync_reader(self, serial: int | None) -> None:
        """Show article *serial* with the current query's highlights, unless it is."""
        if serial != self._shown_serial or serial is None:
            self._show_article(self.corpus.by_serial[serial] if serial is not None else None)
        elif self._reader_query is not self.current_query:
            self._reader_query = self.current_query
            self.reader.set_query(self._active_query())

    def _active_query(self) -> Query | None:
        query = self.current_query
        return None if query is None or query.is_empty() else query

    def _show_article(self, article: Article | None) -> None:
        self._shown_serial = article.serial if article is not None else None
        self._reader_query = self.current_query
        if self.reader.raw:
            self.reader.set_reactive(ReadingPane.raw, False)
        notice = "" if article else "No article selected."
        self.reader.show(article, query=self._active_query(), notice=notice)

    def _open(self, serial: int) -> None:
        article = self.corpus.by_serial[serial]
        if self._preview_timer is not None:
            self._preview_timer.stop()
            self._preview_timer = None
        self._sync_reader(serial)
        if not self.state.is_read(article.key):
            self.state.set_read(article.key, True)
            self._marks_changed(article)
        self.reading = True
        self._focus(self.reader)

    @on(ReadingPane.Closed)
    def _reader_closed(self) -> None:
        self.reading = False
        self._focus(self.article_list)

    @on(ReadingPane.MatchMoved)
    def _match_moved(self, message: ReadingPane.MatchMoved) -> None:
        self._show_count(f"match {message.index + 1} of {message.total}")

    # --- layout ----------------------------------------------------------------

    @property
    def narrow(self) -> bool:
        """One pane at a time (app.tcss keys it to the screen's -narrow class, which
        HORIZONTAL_BREAKPOINTS sets from the same width)."""
        return self.size.width < NARROW_WIDTH

    def _focus(self, widget: Widget) -> None:
        # Not widget.focus(): that also repaints the whole widget, and the pane that
        # gets the focus is on screen already (the list repaints its cursor row itself).
        self.screen.set_focus(widget)

    def watch_reading(self) -> None:
        self._sync_reading_class(self.size.width)

    def on_resize(self, event: events.Resize) -> None:
        # Before App's own handler: self.size is still the old size here.
        self._sync_reading_class(event.size.width)

    def _sync_reading_class(self, width: int) -> None:
        """Mark the panes -reading while an article is open in the one-pane layout: the
        CSS then shows the reader instead of the list. It is only ever added there: in
        the wide layout it would change nothing on screen but restyle every widget under
        it (a relayout per article opened). Left on when the terminal widens, it keeps
        the reader shown (and focused) until the screen itself drops -narrow."""
        panes = self.query_one("#panes")
        if not self.reading:
            panes.remove_class("-reading")
        elif width < NARROW_WIDTH:
            panes.add_class("-reading")

    def watch_show_timeline(self, show: bool) -> None:
        self.timeline.display = show
        if self.is_running:
            self._chart(self.article_list.rows)

    # --- actions ---------------------------------------------------------------

    def _current_article(self) -> Article | None:
        if self.reading and self._shown_serial is not None:
            return self.corpus.by_serial[self._shown_serial]
        serial = self.article_list.current_serial
        return self.corpus.by_serial[serial] if serial is not None else None

    def action_focus_filter(self) -> None:
        filter_input = self.filter_bar.input
        if self.screen is not filter_input.screen or filter_input.has_focus:
            raise SkipAction()  # "/" typed in the field, or over the help screen
        self.reading = False
        # Focus now, not after a refresh (Widget.focus defers it).
        self.screen.set_focus(filter_input)

    def action_clear_filter(self) -> None:
        if self.filter_bar.value:
            self.filter_bar.value = ""  # runs the empty query (FilterInput.watch_value)

    def action_toggle_sort(self) -> None:
        self.order = "oldest" if self.order == "newest" else "newest"

    def watch_order(self) -> None:
        self._show_rows(keep=self.article_list.current_serial)
        self.notify(f"Sorted {self.order} first", timeout=1.5)

    def action_toggle_read(self) -> None:
        article = self._current_article()
        if article is not None:
            self.state.toggle_read(article.key)
            self._marks_changed(article)

    def action_toggle_flag(self) -> None:
        article = self._current_article()
        if article is not None:
            self.state.toggle_flagged(article.key)
            self._marks_changed(article)

    def _marks_changed(self, article: Article) -> None:
        self.article_list.refresh_marks(article.serial)
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_DELAY, self._save_state)

    # --- read/flag state on disk -----------------------------------------------
    # Loading and saving a state file of a million keys takes seconds: both run in
    # worker threads, and a key never waits for them (ReadState holds its mutex only
    # for moments). Marks made before the load ends are merged into what it read.

    @work(thread=True, exclusive=True, group="state-load", exit_on_error=False)
    def load_state(self) -> None:
        """Read the marks on disk (``run_app`` opens the state without reading it)."""
        self.state.load(pause=self.foreground.pause)
        self.post_message(StateLoaded())

    @on(StateLoaded)
    def _state_loaded(self) -> None:
        self._report_state_warnings()
        self.article_list.refresh_marks()
        if self.current_query.uses_state():
            self._set_query(self.current_query.text)  # is:read was answered with no marks

    def _save_state(self) -> None:
        self._save_timer = None
        if self._saving:
            self._save_again = True
            return
        self._saving = True
        self.save_state()

    @work(thread=True, group="state-save", exit_on_error=False)
    def save_state(self) -> None:
        """Write the marks (debounced: :meth:`_marks_changed` starts the timer)."""
        self.state.save(pause=self.foreground.pause)
        self.post_message(StateSaved())

    @on(StateSaved)
    def _state_saved(self) -> None:
        self._saving = False
        self._report_state_warnings()
        if self._save_again:
            self._save_again = False
            self._save_state()

    def _report_state_warnings(self) -> None:
        """Toast each state warning once (corrupt file set aside, unwritable folder…)."""
        for warning in self.state.warnings[self._warnings_shown :]:
            self.notify(warning, title="Reading state", severity="warning", markup=False)
        self._warnings_shown = len(self.state.warnings)

    def action_toggle_raw(self) -> None:
        article = self._current_article()
        if article is None:
            return
        if self._shown_serial != article.serial:
            self._show_article(article)
        reader = self.reader
        if not reader.raw:
            reader.raw_text = read_raw(article.file_path)
        reader.raw = not reader.raw

    def action_copy_citation(self) -> None:
        article = self._current_article()
        if article is None:
            return
        citation = f"“{article.title}” ({article.date_label()}). {article.path}"
        self.copy_to_clipboard(citation)
        self.notify(citation, title="Citation copied", markup=False, timeout=3)

    def action_toggle_timeline(self) -> None:
        self.show_timeline = not self.show_timeline

    def action_step_article(self, delta: int) -> None:
        article_list = self.article_list
        before = article_list.current_serial
        serial = article_list.step(delta)
        if serial is None or serial == before:
            self.bell()
            return
        self._open(serial)

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(
            HelpScreen(
                [
                    ("Anywhere", self.BINDINGS),
                    ("In the list", ArticleList.BINDINGS),
                    ("While reading", ReadingPane.BINDINGS),
                    ("In the filter bar", FilterInput.BINDINGS),
                    ("Also", [Binding("ctrl+p", "command_palette", "Command palette: themes…")]),
                ]
            )
        )

    # --- following the folder (issue 13, item 6) ---------------------------------
    # A worker thread watches the collection (corpus/watch.py, watchfiles) and reads
    # what changed; the UI thread applies each round to the corpus and the index once
    # the load is over and the user rests, as the loader's batches join the list. The
    # article under the cursor stays under it (a changed file's new article takes its
    # old one's place), and the header counts what changed until the user acts.

    def _init_following(self, watch: bool) -> None:
        self.watch_enabled = watch
        """False (``--no-watch``): no watcher is started. The session's watcher runs
        on a thread of its own, not a Textual worker, which would never complete
        (tests and harnesses wait for every worker); stopped when the app unmounts."""
        self._held_changes: list[FolderChanges] = []
        """Rounds read but not applied yet (the load is on, or the user is active)."""
        self._changes_timer: Timer | None = None
        self._replaced: dict[int, int] = {}
        """Serial of an article taken out → serial of the one that took its place (the
        same file changed, or the same text under another name)."""
        self._change_counts: dict[str, int] = {}
        """new / changed / removed since the user last acted: the header shows them."""

    def follow_folder(self) -> None:
        """Start following the folder (once; on_mount calls this after the first frame)."""
        if self.watch_thread is not None or not self.is_running:
            return
        from .corpus.state import state_directory

        self.session.follow(self._post_changes, self._post_watch_failure, [state_directory()])

    def _post_changes(self, changes: FolderChanges) -> None:
        self.post_message(FolderChanged(changes))

    def _post_watch_failure(self, reason: str) -> None:
        self.post_message(WatchFailed(reason))

    @work(thread=True, group="watch-read", exit_on_error=False)
    def read_again(self, paths: list[str]) -> None:
        """Read the duplicates of an article whose own file went: one takes its place."""
        from .corpus.watch import read_files

        changes = read_files(paths, self.foreground.pause)
        changes.again = True
        self.post_message(FolderChanged(changes))

    @on(FolderChanged)
    def _folder_changed(self, message: FolderChanged) -> None:
        self._held_changes.append(message.changes)
        self._apply_changes_at_rest()

    @on(WatchFailed)
    def _watch_failed(self, message: WatchFailed) -> None:
        self.notify(
            neutralise_line(f"Not following the folder for changes: {message.reason}"),
            title="Following the folder",
            severity="warning",
            markup=False,
        )

    def _apply_changes_at_rest(self) -> None:
        """Apply the rounds held, once the load is over and no input came for
        BATCH_REST seconds (as :meth:`_show_batches_at_rest`)."""
        if self._changes_timer is not None:
            self._changes_timer.stop()
            self._changes_timer = None
        if self.loading or self.index is None or not self._held_changes:
            return  # _on_batch calls again when the load ends
        wait = self._last_input + BATCH_REST - time.monotonic()
        if wait > 0:
            self._changes_timer = self.set_timer(wait, self._apply_changes_at_rest)
            return
        held, self._held_changes = self._held_changes, []
        added: list[int] = []
        for changes in held:
            added += self._apply_changes(changes)
        self._show_changes(added)

    def _apply_changes(self, changes: FolderChanges) -> list[int]:
        """Bring the corpus, the index and the store up to date with one round; return
        the serials of the articles added."""
        corpus = self.corpus
        applied = self.session.apply(changes)
        new, removal = applied.new, applied.removal
        if new and self.index is not None and self.index.staged:
            self.index_new()
        replaced = 0
        for article in removal.articles:
            successor = corpus.at_path(article.file_path) or corpus.by_key(article.key)
            if successor is not None:
                self._replaced[article.serial] = successor.serial
                replaced += 1
        if removal.orphans:
            self.read_again(removal.orphans)
        if not changes.again:
            successors = set(self._replaced.values())
            counts = self._change_counts
            fresh_count = sum(1 for article in new if article.serial not in successors)
            for name, count in (
                ("new", fresh_count),
                ("changed", replaced),
                ("removed", len(removal.articles) - replaced),
            ):
                if count:
                    counts[name] = counts.get(name, 0) + count
        return [article.serial for article in new]

    @work(thread=True, exclusive=True, group="watch-index", exit_on_error=False)
    def index_new(self) -> None:
        """Move the articles just staged into FTS5 (searchable meanwhile by scanning)."""
        self.session.index_staged()

    def _show_changes(self, added: list[int]) -> None:
        article_list = self.article_list
        keep = self._successor(article_list.current_serial, article_list.rows)
        shown = self._successor(self._shown_serial, [])
        self._replaced = {}
        if self.matches is not None and added and self.index is not None:
            found = self.index.search(self.current_query, self.state, within=added)
            if found:
                self.matches |= found
        at_top = round(article_list.scroll_offset.y) == 0
        self._show_rows(keep=keep)
        if at_top and article_list.cursor < article_list.size.height:
            # Scrolled to the top, the new rows above the cursor show (it stays on its
            # article, a few lines lower), rather than scroll out of sight.
            article_list.scroll_to(y=0, animate=False, immediate=True)
        if self.reading and shown is not None and shown != self._shown_serial:
            self._show_article(self.corpus.by_serial[shown])  # the open file changed
        self._update_header()

    def _successor(self, serial: int | None, rows: list[int]) -> int | None:
        """What stands for article *serial* now: itself, what took its place, or (gone)
        the nearest row after it in *rows* still there, else before it."""
        if serial is None:
            return None
        replaced, removed = self._replaced, self.corpus.removed
        seen = set()
        while serial in replaced and serial not in seen:
            seen.add(serial)
            serial = replaced[serial]
        if serial not in removed:
            return serial
        try:
            position = rows.index(serial)
        except ValueError:
            return None
        for row in (*rows[position + 1 :], *reversed(rows[:position])):
            if row not in removed:
                return row
        return None

    def _change_note(self) -> str:
        """The header's note ("3 new, 1 changed, 1 removed"): what the folder did since
        the user last pressed a key or clicked."""
        counts = self._change_counts
        return ", ".join(
            f"{counts[name]:,} {name}" for name in ("new", "changed", "removed") if name in counts
        )

    def _changes_seen(self) -> None:
        self._change_counts = {}
        self._update_header()

    def _post_store_failure(self, reason: str) -> None:
        self.post_message(StoreFailed(reason))

    @on(StoreFailed)
    def _store_failed(self, message: StoreFailed) -> None:
        self.notify(
            neutralise_line(message.reason),
            title="Store",
            severity=message.severity,
            markup=False,
        )

    def on_unmount(self) -> None:
        # Quit on the second q: what is not written then is written at the next launch
        # (a snapshot cut short leaves the store as it was: it is one transaction).
        self.session.close(
            watch_seconds=WATCH_STOP_SECONDS,
            store_seconds=STORE_STOP_SECONDS if not self._quitting else 0.5,
        )

    async def action_quit(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        if self.state.dirty:
            # In a worker (after a save or load in progress): the screen stays live.
            with contextlib.suppress(Exception):
                await self.save_state().wait()
        writer = self.session.writer
        if writer is not None and writer.writing_load and not self._quitting:
            # A first load's store is being written: the next launch needs it to start
            # fast. Wait for it (the screen stays live); q again quits without it.
            self._quitting = True
            self.notify(
                "Writing the store for a fast next start… press q again to quit now",
                title="Store",
                timeout=60,
            )
            self.quit_when_written()
            return
        self.exit()

    @work(thread=True, group="quit", exit_on_error=False)
    def quit_when_written(self) -> None:
        if self.session.writer is not None:
            self.session.writer.wait_for_load()
        self.call_from_thread(self.exit)


STORE_STOP_SECONDS = 10.0
"""Longest the app waits at exit for the store's writes in progress."""

WATCH_STOP_SECONDS = 2.0
"""Longest the app waits at exit for the watcher's thread (it stops within ~50 ms)."""

def run_app(
    args: argparse.Namespace, paths: Sequence[str], head_start: HeadStart | None = None
) -> int:
    """Open the reader; return the exit status. *head_start* (see :mod:`corpus.headstart`)
    was started on the same *paths*, after :func:`check_paths`."""
    check_paths(paths)
    if sys.__stdout__ is not None and sys.__stdout__.isatty():
        # An exported COLUMNS/LINES is a stale snapshot of some other terminal: Textual
        # would prefer it to the real size and never follow a resize.
        for name in ("COLUMNS", "LINES"):
            os.environ.pop(name, None)
    no_mouse = args.no_mouse or os.environ.get("BROADSHEET_NO_MOUSE", "") not in ("", "0")
    state = ReadState.open(enabled=not args.no_state, load=False)  # loaded by the app
    app = BroadsheetApp(
        paths,
        state=state,
        query=args.query or "",
        order=args.sort,
        infer=not getattr(args, "no_infer", False),
        head_start=head_start,
        watch=not getattr(args, "no_watch", False),
        store=not getattr(args, "no_cache", False),
        rebuild=getattr(args, "rebuild", False),
    )
    app.run(mouse=not no_mouse)
    from .corpus.safe import neutralise_line

    for item in app.skipped:
        # As every message printed: a name's control characters or undecodable bytes
        # are shown, never sent to the terminal (nor left to fail its encoding).
        line = f"broadsheet: skipped {item.path}: {item.reason}"
        sys.stderr.write(neutralise_line(line) + "\n")
    return app.return_code or 0
