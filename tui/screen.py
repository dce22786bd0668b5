"""The reader's screen: it coordinates query → rows → preview.

The app composes the panes into it and owns the keys; this screen decides what they
show. Data flows down (it hands rows, articles and the query to the widgets); events
flow up. Most come as messages (:mod:`tui.messages`): batches loaded, folder changes,
marks read and written. The ones a key press produces and whose answer must paint in
that key's frame (the query typed, the article under the cursor, the article opened)
are callbacks the widgets were given, run while the key is handled: a message would be
handled after the frame, and its answer drawn ~17 ms later.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual import on
from textual.css.query import NoMatches
from textual.reactive import Reactive, reactive
from textual.timer import Timer
from textual.widget import Widget

from .background import Background, SearchRequest
from .compat import FrameHookScreen
from .corpus import Article, Skipped, SortOrder, read_raw
from .corpus.bits import Bits
from .corpus.changes import ChangeLedger
from .corpus.foreground import Foreground
from .corpus.history import HistoryWalk, QueryHistory
from .corpus.query import Query, QueryError, parse_query
from .corpus.relevance import Ranking
from .corpus.rows import PickedRows
from .corpus.safe import neutralise_line
from .corpus.session import CorpusSession
from .corpus.settings import ReadingPositions
from .corpus.snippets import snippet
from .corpus.state import ReadState
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
from .widgets import ArticleList, FilterBar, Glyphs, HeaderBar, ReadingPane, Timeline
from .widgets.filter_bar import HistoryStep
from .widgets.text_layout import stable_width, truncate_cells

if TYPE_CHECKING:
    from .corpus.headstart import HeadStart
    from .corpus.index import Matches
    from .corpus.watch import FolderChanges

WRITER_SECONDS = 0.002
"""After a frame, the loading threads wait this long more: the terminal writer thread
needs the GIL too (~0.3 ms), and without this it often queued behind them for 5 ms."""

NARROW_WIDTH = 100
"""Below this many columns one pane shows at a time."""

PREVIEW_DELAY = 0.12
"""Seconds the cursor must rest before the preview redraws (holding ↓ stays cheap)."""

BATCH_REST = 0.25
"""Seconds without input before loaded batches join the list (see _show_batches_at_rest)."""

CHART_AT_REST_FROM = 200_000
"""Rows from which the timeline charts a typed query only once typing has rested
BATCH_REST seconds, not with the preview: counting a broad answer's months holds the
GIL ~55-105 ms at a million (cProfile), and the next key's search waited behind it."""

SEARCH_IN_THREAD_AFTER = 0.1
"""A search that took longer than this sends the next ones to the search thread (see
:meth:`ReaderScreen._search_in_thread`): at a million articles a first letter takes
~0.5 s. At 100,000 (30-70 ms) searching here is better: with 50 ms, half the keys went
to the thread, and a key's list came a frame later (p95 73-151 ms against 70 ms)."""

SEARCH_IN_THREAD_FROM = 250_000
"""Collections this large search in the thread from the first key."""


class ReaderScreen(FrameHookScreen):
    """The list, the reading pane, the filter bar and the header, kept in step.

    A focus change does not repaint all of it: Textual's ``Screen.focused`` repaints the
    whole screen when the focus moves (opening an article, leaving the filter bar),
    ~10 KB to the terminal each time. The widgets that look different with focus
    repaint themselves, so this one need not.
    """

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    # No repaint on change: the watchers update exactly what changes. Not run at
    # start: the panes the watchers change are composed by the app, after this mounts.
    reading: reactive[bool] = reactive(False, init=False, repaint=False)
    """An article is open in the reading pane (it has the keyboard)."""
    order: reactive[SortOrder] = reactive("newest", init=False, repaint=False)
    """Newest or oldest first; undated always last."""
    show_timeline: reactive[bool] = reactive(True, init=False, repaint=False)
    """Whether the timeline strip under the list is shown."""

    def __init__(
        self,
        session: CorpusSession,
        state: ReadState,
        *,
        glyphs: Glyphs,
        foreground: Foreground,
        paths: Sequence[str],
        order: SortOrder = "newest",
        relevance: bool = False,
        head_start: HeadStart | None = None,
        watch: bool = True,
        history: QueryHistory | None = None,
        positions: ReadingPositions | None = None,
    ) -> None:
        super().__init__(id="_default")
        self.positions = positions if positions is not None else ReadingPositions(None)
        """Where each article was left, to go back there when it is shown again."""
        self.session = session
        self.state = state
        self.history = history if history is not None else QueryHistory(None)
        """The queries used (↑, ↓ and ctrl+r in the filter bar), kept between runs."""
        self._history_walk: HistoryWalk | None = None
        """Where ↑ and ↓ are in the history; None once the user types."""
        self._walking = False
        """The filter bar's text is being set from the history (not typed)."""
        self._marked_all: list[str] = []
        """Keys the last "mark all read" marked (its undo unreads them)."""
        self.selected: set[int] = set()
        """Serials selected with x (X: all in the list), for an export."""
        self._cleared: str | None = None
        """The query Esc in the list cleared last (u brings it back)."""
        self.glyphs = glyphs
        self.foreground = foreground
        self.jobs = Background(self, paths, head_start=head_start, watch=watch)
        """Its work in worker threads: loading, checking and following the folder,
        reading and writing the marks."""
        self.current_query: Query = parse_query("")
        """The query the list shows the matches of."""
        self._asked_query: Query = self.current_query
        """The last query typed (the search thread may not have answered it yet)."""
        self._asked: SearchRequest | None = None
        """The query sent to the search thread whose answer the list waits for (None:
        the list shows the last query's matches)."""
        self._search_number = 0
        """Counts the queries typed: only the last one's answer is shown."""
        self._search_seconds = 0.0
        """How long the last search took (see :meth:`_search_in_thread`)."""
        self._unshown_when_asked: list[int] = []
        self._remember_when_answered = False
        """Enter came before the answer: the query joins the history once shown."""
        self.matches: Matches | None = None
        """Serials matching the current query; None when there is no query."""
        self.skipped: list[Skipped] = []
        self.corpus_loading = True
        """The corpus is still being read (not ``loading``: Textual's widgets have that,
        and it covers the widget with a loading indicator)."""
        self.loaded = asyncio.Event()
        """Set when the whole corpus is loaded and shown (tests wait on it)."""
        self.files_read = 0
        """Files read so far, or on a re-open, articles read from the store."""
        self.reading_store = False
        """The load is a re-open: it reads the store's articles, not the files."""
        self.last_input = 0.0
        """When the user last pressed a key or clicked (``time.monotonic()``)."""
        self._preview_timer: Timer | None = None
        self._last_highlight = 0.0
        self._unshown: list[int] = []
        """Serials loaded but not yet shown: batches wait while the user is active."""
        self._batch_timer: Timer | None = None
        self._pending_preview: int | None = None
        self.shown_serial: int | None = None
        self._match_noted = False
        """The filter bar says where n and N are ("match 3 of 17", "no match here")."""
        self._open_file_gone: str | None = None
        """The file of the article open, when a change took that article away (emptied
        mid-save, deleted): the reader keeps showing it until a key, or until the file
        gives an article again, which it then shows (and the list's cursor moves to)."""
        """The article the reading pane shows."""
        self._reader_query: Query | None = None
        """The query whose highlights the reading pane shows."""
        self._typing_query = False
        """A keystroke's query is being applied (the preview then waits for a rest)."""
        self._preview_of_typing = False
        """The preview due is a keystroke's answer's (not the cursor's): it waits while
        the next key's answer is awaited (:meth:`_preview`). Set by each schedule."""
        self._timeline_stale = False
        """The timeline still charts the rows before the last keystroke's query."""
        self._chart_timer: Timer | None = None
        """Charts many rows once typing rests (:data:`CHART_AT_REST_FROM`)."""
        self._first_frame_shown = False
        """The first preview has been drawn (until then it waits a frame for the rows)."""
        self._warnings_shown: set[str] = set()
        self._held_changes: list[FolderChanges] = []
        """Rounds read but not applied yet (the load is on, or the user is active)."""
        self._changes_timer: Timer | None = None
        self.ledger = ChangeLedger()
        """Who took whose place, and what changed since the user last acted."""
        self.by_relevance = relevance
        """o: a query's matches best first (BM25), not by date."""
        self.ranking: Ranking | None = None
        """The list's ranking when it is best first (None: date order)."""
        self.snippet_lines: bool | None = None
        """c: a line of context under each title; None: only when best first."""
        self._filling_relevance = False
        self._filled_for: tuple[int, int] | None = None
        """The corpus's size and removals when the list last asked for a fill."""
        self.set_reactive(ReaderScreen.order, order)

    def frame_written(self) -> None:
        # Loading threads that stood aside for this frame go on, once Textual's writer
        # thread has had a moment to send it to the terminal.
        self.foreground.idle(after=WRITER_SECONDS)

    # --- the panes (the app composes them) -------------------------------------

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

    def start(self, query: str) -> None:
        """Set the panes up, once they are mounted (the app's on_mount)."""
        article_list = self.article_list
        article_list.articles = self.session.corpus.by_serial
        article_list.state = self.state
        article_list.selected = self.selected
        # At once, not by Widget.focus's later callback: keys typed ahead of the first
        # frame are queued before that callback, and went into the field Textual focuses
        # first, the filter bar's ("/" typed as text), or lost the keyboard to it.
        self._focus(article_list)
        if query:
            self.set_query(query)
        self.report_state_warnings()

    def input_seen(self) -> None:
        """The user pressed a key or clicked: batches and changes wait for a rest."""
        self.last_input = time.monotonic()
        self._open_file_gone = None  # the reader follows the keys again
        if self.ledger.seen():
            self.update_header()

    # --- loading ---------------------------------------------------------------

    def first_rows(self, items: list[Article | Skipped], files_read: int) -> list[Article]:
        """Put the first rows read in the corpus and on screen (before the first
        frame); return the articles added."""
        shown = self.session.corpus.add(items)
        self.files_read = files_read
        self.skipped.extend(item for item in items if isinstance(item, Skipped))
        self.show_rows(keep=None)
        self.update_header()
        return shown

    @on(CorpusBatch)
    def _on_batch(self, message: CorpusBatch) -> None:
        self.batch_arrived(message)

    def batch_arrived(self, message: CorpusBatch) -> None:
        """A batch of the loading worker's, posted, or handed over at mount (a
        re-open's top rows, for the first frame)."""
        self.files_read = message.read
        self.skipped.extend(message.skipped)
        self._unshown.extend(message.added)
        if message.done:
            self.corpus_loading = False
            self._show_batches()
        elif message.answers:
            self._show_batches()  # what the query typed waits for
        elif message.added:  # (none: only how far a re-open is, for the header)
            self._show_batches_at_rest()
        self.update_header()
        if message.done:
            self._say_skipped()
            self.loaded.set()
            self._apply_changes_at_rest()  # those seen while loading
            self.session.fill_relevance_when_idle()  # for o, R and F: now the cores are free

    def _say_skipped(self) -> None:
        if self.skipped:
            names = ", ".join(f"{item.path} ({item.reason})" for item in self.skipped[:3])
            more = f" and {len(self.skipped) - 3} more" if len(self.skipped) > 3 else ""
            self.notify(
                f"{len(self.skipped)} file(s) skipped: {names}{more}",
                title="Skipped files",
                severity="warning",
                markup=False,
            )

    @on(SkippedChecked)
    def _skipped_checked(self, message: SkippedChecked) -> None:
        """A re-open's folder check is done: the files skipped, said once (the
        store's list, which may hold files gone or readable again, is not)."""
        self.skipped = list(message.skipped)
        self._say_skipped()
        self.update_header()

    def _rest_left(self) -> float:
        """Seconds until no input came for BATCH_REST seconds (0 or less: now)."""
        return self.last_input + BATCH_REST - time.monotonic()

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
        if self._panes_taken_down():
            return
        wait = self._rest_left()
        if wait <= 0:
            self._show_batches()
        else:
            self._batch_timer = self.set_timer(wait, self._show_batches_at_rest)

    def _show_batches(self) -> None:
        if self._batch_timer is not None:
            self._batch_timer.stop()
            self._batch_timer = None
        added, self._unshown = self._unshown, []
        self._match_new(added)
        article_list = self.article_list
        # Until the user moves, the cursor stays on the top row (the newest article).
        self.show_rows(keep=article_list.current_serial if article_list.user_moved else None)

    def _match_new(self, added: list[int]) -> None:
        """Add the articles of *added* that match the current query to its matches."""
        index = self.session.index
        if self.matches is not None and added and index is not None:
            found = index.search(self.current_query, self.state, within=added)
            if not found:
                return
            if self.jobs.searching or isinstance(self.matches, Bits):
                # A new set, not this one changed: the search thread may be reading it
                # (and Bits, a byte an article, are never changed: copied in ~0.1 ms).
                self.matches = self.matches | found
            elif isinstance(self.matches, frozenset):
                # The index's own answer, shared: one copy, then changed in place.
                mine = set(self.matches)
                mine |= found
                self.matches = mine
            else:
                self.matches |= found  # no copy of up to a million serials a batch

    def update_header(self) -> None:
        corpus = self.session.corpus
        count = len(corpus)
        span = corpus.date_span()
        shown_span = ""
        if span:
            first, last = span[0].iso(), span[1].iso()
            shown_span = first if first == last else f"{first} {self.glyphs.dash} {last}"
        states = []
        if self.corpus_loading:
            read = self.files_read
            source = (
                "from the store" if self.reading_store else f"file{'s' if read != 1 else ''} read"
            )
            states.append(f"loading{self.glyphs.ellipsis} {read:,} {source}")
        elif self.skipped:
            states.append(f"{len(self.skipped)} skipped")
        changes = self.ledger.note()
        if changes:
            states.append(changes)
        articles = f"{count:,} article{'s' if count != 1 else ''}"
        self.query_one(HeaderBar).show(corpus.name, articles, shown_span, states)

    # --- rows and the query ----------------------------------------------------

    def _ordered_rows(self) -> Sequence[int]:
        """The rows to list: by date, or best first when asked (o) and the query has
        words to rank by."""
        self.ranking = None
        if self.by_relevance and self.matches is not None:
            ranking = self.session.ranked(self.current_query, self.matches, self.order)
            if ranking is not None:
                self.ranking = ranking
                self._fill_for(ranking)
                return ranking.rows
        return self.session.rows(self.order, self.matches)

    def show_rows(self, keep: int | None, rows: Sequence[int] | None = None) -> None:
        """List the current matches (*rows*: those in date order, put so already)."""
        if rows is None:
            rows = self._ordered_rows()
        else:
            self.ranking = None
        article_list = self.article_list
        article_list.show_snippets(self._snippet if self.snippets_shown else None)
        if self.corpus_loading and not rows:
            notice = f"Loading{self.glyphs.ellipsis}"
        elif not rows and self.matches is not None:
            # From the filter bar it takes two: one back to the list, one to clear.
            quotes = '""' if self.glyphs.ascii else "“”"
            said = f"{quotes[0]}{self.current_query.text}{quotes[1]}"
            notice = f"No articles match {said}. Esc in the list clears it."
        elif not rows:
            notice = "No articles found."
        else:
            notice = ""
        article_list.set_rows(rows, keep=keep, notice=notice)
        self.show_count()
        if self._typing_query:
            self._timeline_stale = True  # with the preview, when typing rests
        else:
            self._chart(rows)
        if not rows:
            self.show_article(None)

    def _chart(self, rows: Sequence[int]) -> None:
        """Bring the timeline up to date with *rows* (when it is shown): a chart waiting
        for typing to rest is drawn now, not again later."""
        if self._chart_timer is not None:
            self._chart_timer.stop()
            self._chart_timer = None
        self._timeline_stale = False
        if self.show_timeline:
            corpus = self.session.corpus
            counts = None
            if self.matches is None:
                counts = corpus.period_counts()
            elif isinstance(rows, PickedRows):  # many: counted from the set, not picked
                counts = rows.counts_of(corpus.periods)
            self.timeline.set_rows(rows, corpus.periods, counts)

    def show_count(self, note: str = "") -> None:
        """``N of M`` in the filter bar, then *note* or what the list waits for. Notes
        are short: the status has 32 cells, and "1,234 of 5,678 · " takes 17."""
        if self._asked is not None:
            note = f"searching{self.glyphs.ellipsis}"
        elif self.corpus_loading:
            note = f"loading{self.glyphs.ellipsis}"
        elif self.ranking is not None:
            note = "best first"
            if self.ranking.unranked and self._filling_relevance:
                note = f"{self.ranking.unranked:,} to rank{self.glyphs.ellipsis}"
        busy = self.corpus_loading or self._asked is not None
        self.filter_bar.show_count(
            len(self.article_list.rows), len(self.session.corpus), note, busy=busy
        )

    def set_query(self, text: str) -> None:
        """The filter bar's text changed (a keystroke): show its matches at once, or,
        when searching takes longer than a frame allows, as soon as the search thread
        answers (:meth:`_search_in_thread`)."""
        if not self._walking:
            self._history_walk = None  # typing starts a new draft
        try:
            query = parse_query(text)
        except QueryError as error:
            self._search_number += 1  # an answer on its way is for text no longer there
            self._asked = None
            self.filter_bar.show_error(str(error))
            return
        self.filter_bar.show_error("")
        shown, within = self.current_query, None
        if self.matches is not None and not query.uses_state() and query.narrows(shown):
            within = self.matches
        self._search_number += 1
        self._asked_query = query
        if self._search_in_thread(query):
            order = None if self.by_relevance else self.order
            request = SearchRequest(self._search_number, query, within, order)
            self._asked = request
            self._unshown_when_asked = list(self._unshown) if within is not None else []
            self.show_count()
            # Once the typed text is drawn: the search, begun at once, held the GIL for
            # long calls into C (building a set of a million ints) while the frame waited.
            self.call_after_refresh(self._ask_search_thread, request)
            return
        self._asked = None
        started = time.perf_counter()
        result = self.session.search(query, self.state, within=within)
        self._show_matches(query, result)
        self._search_seconds = time.perf_counter() - started

    def _ask_search_thread(self, request: SearchRequest) -> None:
        if request.number == self._search_number:  # not overtaken while the frame was drawn
            self.jobs.search(request)

    def _search_in_thread(self, query: Query) -> bool:
        """Whether *query* is searched in the search thread, not while its key is
        handled: the typed text then shows at once and the keys stay live, and of
        the queries typed while one is searched only the last is. Small searches stay
        here, where their answer paints in the key's own frame; an empty query (Esc)
        is always here."""
        if query.is_empty():
            return False
        return (
            self._search_seconds > SEARCH_IN_THREAD_AFTER
            or len(self.session.corpus) >= SEARCH_IN_THREAD_FROM
        )

    def _show_matches(
        self, query: Query, matches: Matches | None, rows: Sequence[int] | None = None
    ) -> None:
        """Make *query* the current one, with its *matches* (and their *rows*, when
        put in order already)."""
        self.current_query = query
        self.matches = matches
        self.article_list.set_query(self.active_query())
        self._typing_query = True
        try:
            self.show_rows(keep=self.article_list.current_serial, rows=rows)
        finally:
            self._typing_query = False
        # The keystroke's answer is the list; the preview (new highlights, if not a new
        # article) follows when typing rests.
        self._pending_preview = self.article_list.current_serial
        self._schedule_preview(wait=True)
        if self._remember_when_answered:
            self._remember_when_answered = False
            self.remember_query()

    @on(SearchAnswered)
    def _search_answered(self, answer: SearchAnswered) -> None:
        if answer.number != self._search_number:
            return  # a later query was asked since: its answer is the one to show
        request, self._asked = self._asked, None  # its matches to narrow are let go
        self._search_seconds = answer.seconds
        if answer.error is not None or answer.matches is None:
            self.show_count()
            self.filter_bar.show_error(f"search failed: {answer.error}")
            return
        assert request is not None
        unshown, self._unshown_when_asked = self._unshown_when_asked, []
        query = request.query
        matches, rows = answer.matches, answer.rows
        corpus = self.session.corpus
        # Articles added while it searched, and those it left out as not yet shown (a
        # narrowing query searches the list's matches only), are matched here.
        fresh = [*unshown, *range(answer.version[0], len(corpus.by_serial))]
        index = self.session.index
        if fresh and index is not None:
            matches = matches | (index.search(query, self.state, within=fresh) or set())
        if fresh or answer.version != corpus.version or request.order != self.order:
            rows = None  # put in order again, here (or best first)
        self._show_matches(query, matches, rows)

    def clear_filter(self) -> None:
        """Esc in the list: no query, and a way back (u)."""
        text = self.filter_bar.value
        if not text:
            return
        self.remember_query()
        self._cleared = text
        self.filter_bar.value = ""  # runs the empty query (FilterInput.watch_value)
        dash = "-" if self.glyphs.ascii else "—"
        self.notify(f"Filter cleared {dash} u to restore", timeout=3, markup=False)

    def restore_filter(self) -> bool:
        """u in the list: the query Esc cleared last; False when there is none."""
        text, self._cleared = self._cleared, None
        if not text:
            return False
        self.filter_bar.value = text
        self.notify(f"Filter restored: {text}", timeout=2, markup=False)
        return True

    def remember_query(self) -> None:
        """Add the filter bar's query to the history, if it is a good one."""
        if self._asked is not None:
            self._remember_when_answered = True  # once its answer is shown
            return
        text = self.filter_bar.value
        if text.strip() and self.current_query.text == text and self.history.add(text):
            self.jobs.save_history()

    def history_step(self, step: HistoryStep) -> bool:
        """↑, ↓ or ctrl+r in the filter bar: show (and run) an earlier query; False
        when there is none that way."""
        walk = self._history_walk
        if walk is None:
            walk = self._history_walk = HistoryWalk(self.history.entries, self.filter_bar.value)
        if step == "older":
            found = walk.older()
        elif step == "newer":
            found = walk.newer()
        else:
            found = walk.search()
        if found is None:
            return False
        self._walking = True
        try:
            self.filter_bar.value = found  # runs the query, the cursor at its end
        finally:
            self._walking = False
        return True

    # --- relevance and snippets --------------------------------------------------

    @property
    def snippets_shown(self) -> bool:
        return self.snippet_lines if self.snippet_lines is not None else self.by_relevance

    def toggle_relevance(self) -> str:
        """o: best first or by date; what the list now shows, for the user."""
        self.by_relevance = not self.by_relevance
        keep = self.article_list.current_serial
        self.show_rows(keep=keep)
        if self.ranking is not None:
            self.article_list.cursor = 0  # the best match
        if not self.by_relevance:
            return f"Sorted {self.order} first"
        if self.ranking is None:
            return "Best first once the query has words to rank by"
        return "Best first: the query's words, most and rarest, title counted most"

    def _fill_for(self, ranking: Ranking) -> None:
        """Matches without a score, and a relevance table that may not have them yet
        (a first load, files just added): fill it in a worker, then rank again."""
        corpus = self.session.corpus
        state = corpus.version
        # Once for these articles (never a loop), and not while they still come.
        waiting = self._filling_relevance or self.corpus_loading or state == self._filled_for
        if ranking.unranked and not waiting and not self.session.relevance_filled:
            self._filled_for = state
            self._filling_relevance = True
            self.jobs.fill_relevance()

    def toggle_snippets(self) -> bool:
        """c: a line of context under each title, or none; whether one is shown now."""
        self.snippet_lines = not self.snippets_shown
        self.article_list.show_snippets(self._snippet if self.snippets_shown else None)
        return self.snippets_shown

    def _snippet(self, serial: int, width: int) -> tuple[str, list[tuple[int, int]]]:
        """The list's second line for article *serial*: its best passage for the query."""
        article = self.session.article(serial)
        ellipsis = self.glyphs.ellipsis
        text, spans = snippet(article.text, self.current_query, width, ellipsis)
        shown = stable_width(text)
        if shown != text:
            spans = []  # the offsets no longer hold (rare: emoji sequences)
        return truncate_cells(shown, width, ellipsis), spans

    @on(RelatedFound)
    def _related_found(self, message: RelatedFound) -> None:
        if message.found is None:
            said = f"Reading the articles not yet read for relevance{self.glyphs.ellipsis}"
            self.notify(said, timeout=3)
            return
        self.app.show_related(message.serial, message.found)  # type: ignore[attr-defined]

    @on(FacetsCounted)
    def _facets_counted(self, message: FacetsCounted) -> None:
        if message.facets is None:
            said = f"Reading the names in articles not read for them yet{self.glyphs.ellipsis}"
            self.notify(said, timeout=3)
            return
        self.app.show_facets(message.facets, message.matched)  # type: ignore[attr-defined]

    def add_to_query(self, term: str | None) -> None:
        """A facet picked: narrow the list by it (a term added to the query)."""
        if term is None:
            self.notify("The query language has no term for folders", timeout=2)
            return
        text = self.filter_bar.value.strip()
        self.filter_bar.value = f"{text} {term}" if text else term  # runs it
        self.remember_query()

    def open_related(self, serial: int) -> None:
        """A related article picked: open it, and put the list's cursor on it when the
        list shows it."""
        if serial in self.article_list.rows:
            self.article_list.cursor = self.article_list.rows.index(serial)
        self.open_article(serial)

    @on(RelevanceFilled)
    def _relevance_filled(self) -> None:
        self._filling_relevance = False
        if self.ranking is not None:
            at_top = self.article_list.cursor == 0
            self.show_rows(keep=self.article_list.current_serial)
            if at_top:
                self.article_list.cursor = 0  # still where o put it: on the best

    def watch_order(self) -> None:
        self.show_rows(keep=self.article_list.current_serial)
        self.notify(f"Sorted {self.order} first", timeout=1.5)

    @on(FilterBar.Done)
    def _filter_done(self) -> None:
        self.remember_query()
        self._history_walk = None
        self.reading = False
        self._focus(self.article_list)

    # --- list and reader -------------------------------------------------------

    def highlighted(self, serial: int | None) -> None:
        """The list's cursor moved to *serial*."""
        self._pending_preview = serial
        # While a query is typed the list is the answer; the preview follows later.
        self._schedule_preview(wait=self._typing_query)

    def _schedule_preview(self, *, wait: bool) -> None:
        """Bring the reading pane up to date with the cursor and the query: at once when
        the cursor was resting, else once it rests (holding ↓ or typing a query redraws
        the list at each key and the preview only at the end); always later with *wait*
        (a keystroke's answer), and then not while the next key's is awaited."""
        self._preview_of_typing = wait
        now = time.monotonic()
        resting = now - self._last_highlight > PREVIEW_DELAY
        self._last_highlight = now
        self._stop_preview()
        if not self._first_frame_shown:
            # Start-up: the rows paint first, the article one frame later.
            self.call_after_refresh(self._preview)
        elif resting and not wait:
            self._preview()
        else:
            # The timer belongs to the pane it updates, so it dies with it at exit.
            self._preview_timer = self.reader.set_timer(PREVIEW_DELAY, self._preview)

    def _stop_preview(self) -> None:
        if self._preview_timer is not None:
            self._preview_timer.stop()
            self._preview_timer = None

    def _panes_taken_down(self) -> bool:
        """True while the app exits: Textual removes the panes before the screen, and a
        timer or an after-refresh callback of the screen's may still come in between."""
        try:
            self.article_list, self.reader  # noqa: B018 - looked up for NoMatches
        except NoMatches:
            return True
        return False

    def _preview(self) -> None:
        self._first_frame_shown = True
        if self._panes_taken_down():
            self._preview_timer = None
            return
        if self._preview_of_typing and self._asked is not None:
            # Typing has not rested: the next key's search runs in the search thread.
            # Drawn now, the last answer's preview held the GIL that search needed (a
            # broad key at a million took ~20 ms more); it waits until no answer is
            # awaited, and an answer shown schedules it afresh. (A cursor moved in the
            # list meanwhile is followed at once.) Any other timer is stopped first: two
            # calls queued before the first frame would otherwise each keep one.
            self._stop_preview()
            self._preview_timer = self.reader.set_timer(PREVIEW_DELAY, self._preview)
            return
        self._preview_timer = None
        self._sync_reader(self._pending_preview)
        self._chart_if_stale()

    def _chart_if_stale(self, *, now: bool = False) -> None:
        """Chart the query typed, unless it is: counting 100,000 matches by month cost
        ~10 ms a keystroke, so the chart follows the query once typing rests, like the
        preview; many rows wait longer (:data:`CHART_AT_REST_FROM`), unless *now*."""
        if self._chart_timer is not None:
            self._chart_timer.stop()
            self._chart_timer = None
        if not self._timeline_stale:
            return
        rows = self.article_list.rows
        wait = self._rest_left()
        if not now and wait > 0 and len(rows) >= CHART_AT_REST_FROM:
            # The timer belongs to the pane it updates, so it dies with it at exit.
            self._chart_timer = self.timeline.set_timer(wait, self._chart_if_stale)
            return
        self._chart(rows)

    def _sync_reader(self, serial: int | None) -> None:
        """Show article *serial* with the current query's highlights, unless it is."""
        if self._open_file_gone is not None and self.reading:
            return  # the list's cursor moved off an article gone, not the reader's
        if serial != self.shown_serial or serial is None:
            self.show_article(self.session.article(serial) if serial is not None else None)
        elif self._reader_query is not self.current_query:
            self._reader_query = self.current_query
            self.reader.set_query(self.active_query())

    def active_query(self) -> Query | None:
        query = self.current_query
        return None if query.is_empty() else query

    def show_article(self, article: Article | None) -> None:
        self.keep_position()
        reader = self.reader
        self.shown_serial = article.serial if article is not None else None
        self._reader_query = self.current_query
        if reader.raw:
            reader.set_reactive(ReadingPane.raw, False)
        notice = "" if article else "No article selected."
        reader.show(article, query=self.active_query(), notice=notice)
        self._forget_match()
        block = self.positions.get(article.key) if article is not None else 0
        if block:
            reader.scroll_to_block(block)  # where it was left

    def keep_position(self) -> None:
        """Note where the article shown is read to (its top block: the same place at
        any width), to go back there when it is shown again."""
        article = self.reader.article
        if article is not None and not self.reader.raw:
            self.positions.note(article.key, max(0, self.reader.top_block()))

    def open_article(self, serial: int) -> None:
        """Open article *serial* in the reading pane (Enter in the list), marked read."""
        article = self.session.article(serial)
        self._stop_preview()
        self._sync_reader(serial)
        self._chart_if_stale(now=True)  # the preview stopped here would have charted it
        if not self.state.is_read(article.key):
            self.state.set_read(article.key, True)
            self.marks_changed(article)
        self.reading = True
        self._focus(self.reader)

    @on(ReadingPane.Closed)
    def _reader_closed(self) -> None:
        self.keep_position()
        self.reading = False
        self._focus(self.article_list)
        self._forget_match()

    @on(ReadingPane.MatchMoved)
    def _match_moved(self, message: ReadingPane.MatchMoved) -> None:
        query = self.active_query()
        self._match_noted = True
        if message.total:
            self.show_count(f"match {message.index + 1} of {message.total}")
        elif query is None:
            self.show_count("no filter")
        elif not query.highlight_terms():
            self.show_count("no word to find")  # is:unread, -word, date:2024
        else:
            self.show_count("no match here")

    def _forget_match(self) -> None:
        """The count alone again, in place of n's "match 3 of 17": the article it was
        about is no longer shown as it was (another one, or raw, or closed). Nothing
        to do when no such note is shown (every preview comes here)."""
        if self._match_noted:
            self._match_noted = False
            self.show_count()

    def current_article(self) -> Article | None:
        """The article open, else the one under the list's cursor."""
        if self.reading and self.shown_serial is not None:
            return self.session.article(self.shown_serial)
        serial = self.article_list.current_serial
        return self.session.article(serial) if serial is not None else None

    def toggle_raw(self) -> None:
        """Show the current article's file as it is on disk, or cleaned again."""
        article = self.current_article()
        if article is None:
            return
        if self.shown_serial != article.serial:
            self.show_article(article)
        reader = self.reader
        if not reader.raw:
            reader.raw_text = read_raw(article.file_path)
        reader.raw = not reader.raw
        self._forget_match()

    # --- selection and export (issue 15, item 6) ---------------------------------

    def toggle_select(self) -> bool:
        """x: select the article under the cursor, or unselect it; False: no article."""
        serial = self.article_list.current_serial
        if serial is None:
            return False
        self.selected.symmetric_difference_update({serial})
        self.article_list.refresh_marks(serial)
        self.article_list.step(1)  # as mutt's tag: on to the next
        return True

    def select_all(self) -> int:
        """X: select every article in the list, or, when they all are, none; the
        count selected now."""
        rows = self.article_list.rows
        if rows and self.selected.issuperset(rows):
            self.selected.difference_update(rows)
        else:
            self.selected.update(rows)
        self.article_list.refresh_marks()
        return len(self.selected)

    def export_counts(self) -> dict[str, int]:
        """How many articles each choice of the export dialog holds."""
        is_flagged, article = self.state.is_flagged, self.session.article
        flagged = sum(1 for serial in self.session.rows(self.order, None)
                      if is_flagged(article(serial).key))  # fmt: skip
        return {
            "filtered": len(self.article_list.rows),
            "flagged": flagged,
            "selected": len(self.selected),
        }

    def export_articles(self, which: str) -> list[Article]:
        """The articles of one choice of the export dialog, in the list's order."""
        article = self.session.article
        if which == "filtered":
            return [article(serial) for serial in self.article_list.rows]
        every = (article(serial) for serial in self.session.rows(self.order, None))
        if which == "flagged":
            return [a for a in every if self.state.is_flagged(a.key)]
        return [a for a in every if a.serial in self.selected]

    def mark_all_read(self) -> int:
        """Mark every article in the list read; how many were not. Kept for
        :meth:`undo_mark_all_read` (a bulk change must be undoable)."""
        is_read, set_read, article = self.state.is_read, self.state.set_read, self.session.article
        marked = []
        for serial in self.article_list.rows:
            key = article(serial).key
            if not is_read(key):
                set_read(key, True)
                marked.append(key)
        self._marked_all = marked
        if marked:
            self.marks_changed(None)
        return len(marked)

    def undo_mark_all_read(self) -> int:
        """Unread again what the last :meth:`mark_all_read` marked; how many."""
        marked, self._marked_all = self._marked_all, []
        for key in marked:
            self.state.set_read(key, False)
        if marked:
            self.marks_changed(None)
        return len(marked)

    def next_unread(self) -> bool:
        """``.``: the next unread article after the cursor in the list (from the top
        again past the end), opened if one is open; False when none is unread."""
        article_list = self.article_list
        rows, here = article_list.rows, article_list.cursor
        is_read, article = self.state.is_read, self.session.article
        for place in itertools.chain(range(here + 1, len(rows)), range(min(here + 1, len(rows)))):
            if not is_read(article(rows[place]).key):
                article_list.cursor = place
                if self.reading:
                    self.open_article(rows[place])
                return True
        return False

    def step_article(self, delta: int) -> bool:
        """Open the article *delta* rows away in the list; False at either end."""
        article_list = self.article_list
        before = article_list.current_serial
        serial = article_list.step(delta)
        if serial is None or serial == before:
            return False
        self.open_article(serial)
        return True

    # --- read/flag marks -------------------------------------------------------

    def marks_changed(self, article: Article | None) -> None:
        """Marks changed: *article*'s (None: any in the list). Redraw, save soon."""
        self.article_list.refresh_marks(article.serial if article is not None else None)
        self.jobs.save_soon()

    @on(StateLoaded)
    def _state_loaded(self) -> None:
        self.report_state_warnings()
        self.article_list.refresh_marks()
        if self._asked_query.uses_state():
            self.set_query(self._asked_query.text)  # is:read was answered with no marks

    @on(StateSaved)
    def _state_saved(self) -> None:
        self.report_state_warnings()
        self.jobs.saved()

    def report_state_warnings(self) -> None:
        """Toast each warning of the state folder once (corrupt file set aside,
        unwritable folder…), the marks' and the query history's."""
        for warning in (*self.state.warnings, *self.history.warnings):
            if warning not in self._warnings_shown:
                self._warnings_shown.add(warning)
                self.notify(warning, title="Reading state", severity="warning", markup=False)

    # --- layout ----------------------------------------------------------------

    def _focus(self, widget: Widget) -> None:
        # Not widget.focus(): that also repaints the whole widget, and the pane that
        # gets the focus is on screen already (the list repaints its cursor row itself).
        self.set_focus(widget)

    def watch_reading(self) -> None:
        self.sync_reading_class(self.app.size.width)

    def sync_reading_class(self, width: int) -> None:
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
        if self.is_mounted:
            self._chart(self.article_list.rows)

    # --- following the folder (issue 13, item 6) ---------------------------------
    # A worker thread watches the collection (corpus/watch.py, watchfiles) and reads
    # what changed; the rounds are applied here to the corpus and the index once the
    # load is over and the user rests, as the loader's batches join the list. The
    # article under the cursor stays under it (a changed file's new article takes its
    # old one's place), and the header counts what changed until the user acts.

    @on(FolderChanged)
    def _folder_changed(self, message: FolderChanged) -> None:
        self._held_changes.append(message.changes)
        self._apply_changes_at_rest()

    @on(WatchFailed)
    def _watch_failed(self, message: WatchFailed) -> None:
        said = "Still following the folder, but" if message.following else (
            "Not following the folder for changes:"
        )
        self.notify(
            neutralise_line(f"{said} {message.reason}"),
            title="Following the folder",
            severity="warning",
            markup=False,
        )

    @on(StoreFailed)
    def _store_failed(self, message: StoreFailed) -> None:
        self.notify(
            neutralise_line(message.reason),
            title="Store",
            severity=message.severity,
            markup=False,
        )

    def _apply_changes_at_rest(self) -> None:
        """Apply the rounds held, once the load is over and no input came for
        BATCH_REST seconds (as :meth:`_show_batches_at_rest`)."""
        if self._changes_timer is not None:
            self._changes_timer.stop()
            self._changes_timer = None
        if self.corpus_loading or self.session.index is None or not self._held_changes:
            return  # _on_batch calls again when the load ends
        if self._panes_taken_down():
            return
        wait = self._rest_left()
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
        session = self.session
        applied = session.apply(changes)
        if applied.new and session.index is not None and session.index.staged:
            self.jobs.index_new()
        if applied.removal.orphans:
            self.jobs.read_again(applied.removal.orphans)
        return self.ledger.record(session.corpus, applied.new, applied.removal, again=changes.again)

    def _show_changes(self, added: list[int]) -> None:
        article_list = self.article_list
        removed = self.session.corpus.removed
        keep = self.ledger.successor(article_list.current_serial, article_list.rows, removed)
        shown = self.ledger.successor(self.shown_serial, [], removed)
        corpus = self.session.corpus
        if self.reading and shown is None and self.shown_serial in removed:
            # The open article's file gave none (emptied as an editor saves, deleted):
            # what was being read stays, and the list's cursor moving on moves it not.
            self._open_file_gone = corpus.by_serial[self.shown_serial].file_path
        if self._open_file_gone is not None:
            back = next(
                (s for s in added if corpus.by_serial[s].file_path == self._open_file_gone), None
            )
            if back is not None:  # the file gives an article again: show that
                self._open_file_gone = None
                keep = shown = back
        self.ledger.shown()
        self._match_new(added)
        at_top = round(article_list.scroll_offset.y) == 0
        self.show_rows(keep=keep)
        if at_top and article_list.cursor < article_list.size.height:
            # Scrolled to the top, the new rows above the cursor show (it stays on its
            # article, a few lines lower), rather than scroll out of sight.
            article_list.scroll_to(y=0, animate=False, immediate=True)
        if self.reading and shown is not None and shown != self.shown_serial:
            self.show_article(self.session.article(shown))  # the open file changed
        self.update_header()
