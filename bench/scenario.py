"""The scripted sessions: what is pressed, in which order, and what each measurement means.

One *app session* launches the real reader on a corpus and, in order: times the first
frame with rows and "fully loaded" (pressing nothing meanwhile: keys slow the loader),
then, on the loaded corpus, holds ↓, pages, opens articles and types filter queries, and
finally reads the process' peak memory. A *loading session* presses ↓ while the corpus
loads and times each key to the screen. A *bare session* launches the yardstick app. An
*open-sizes session* opens a 5 KB and a 50 KB article.

Every figure is a list of raw samples; ``bench.report`` turns them into medians and
percentiles, so a reader of the JSON can recompute anything.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .bare_app import MARKER
from .pty_session import Frame, PtySession, SessionError
from .wire import key

LOADING = "loading"
"""The header says ``loading… N files read`` until the whole corpus is in (tui/app.py)."""
SEARCHING = "searching"
"""The filter bar says ``searching…`` by its count while the search thread works
(tui/screen.py): the list is still the last query's."""
FILES_READ = re.compile(r"loading\W+([\d,]+) files read")


@dataclass(slots=True)
class Settings:
    """Knobs of one benchmark run; the defaults keep ``make bench`` to a few minutes."""

    repo: Path
    python: str = sys.executable
    cols: int = 120
    rows: int = 36
    quiet: float = 0.03
    """Output quiet this long means a frame is complete (never counted as latency)."""
    filter_quiet: float = 0.05
    """For the filter: a few frames (a search may still be running, which the idle check
    also catches), but less than the app's preview debounce (0.12 s): the preview
    redrawn once typing rests is not the keystroke's answer, the filtered list is."""
    rest: float = 0.3
    """Quiet (and idle) time before an input that must start from a resting screen: longer
    than the app's preview debounce, so a debounced redraw never lands in the next sample."""
    key_interval: float = 0.06
    """Time between presses while "holding" ↓: shorter than the preview debounce, longer
    than a frame, so each press gets its own frame and the preview waits for the rest."""
    series: int = 3
    presses: int = 10
    """Held ↓ presses per series (each series starts from rest and ends with the preview)."""
    samples: int = 3
    """Page-down and open samples per session."""
    load_presses: int = 40
    """At most this many ↓ presses while the corpus loads (latency only)."""
    load_interval: float = 0.1
    words: tuple[str, ...] = ("zanzibarite", "pakistan")
    timeout: float = 30.0
    """Longest wait for a screen state that must come (first rows, a filter echo)."""
    key_timeout: float = 3.0
    """Longest wait for a cursor key's effect before the sample counts as lost."""
    load_timeout: float = 120.0
    """Longest wait (from launch) for the whole corpus to load; after it the run reports
    how far loading got and skips the measurements that need a loaded corpus."""
    truecolor: bool = False

    def env(self, state_dir: str, cache_dir: str | None = None) -> dict[str, str]:
        """A terminal like a fresh xterm's: fixed TERM, no colour or size overrides.

        PYTHONDONTWRITEBYTECODE is dropped too: an installed reader has its bytecode
        (pip compiles it; a checkout writes it on the first run), and with the variable
        set (some CI images and sandboxes set it) every launch would compile our modules
        again, ~60 ms that no user pays, while Textual's bytecode came with its install.
        """
        env = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith(("TEXTUAL", "BROADSHEET"))
            and name
            not in {
                "COLORTERM",
                "NO_COLOR",
                "FORCE_COLOR",
                "COLUMNS",
                "LINES",
                "TMUX",
                "STY",
                "PYTHONDONTWRITEBYTECODE",
            }
        }
        env["TERM"] = "xterm-256color"
        env["BROADSHEET_STATE_DIR"] = state_dir
        # The store lives beside the state: every session is a first launch unless it
        # is handed the folder of an earlier one (reopen_session).
        env["BROADSHEET_CACHE_DIR"] = cache_dir or os.path.join(state_dir, "cache")
        if self.truecolor:
            env["COLORTERM"] = "truecolor"
        return env

    def spawn(self, argv: list[str], state_dir: str, cache_dir: str | None = None) -> PtySession:
        return PtySession(
            argv,
            cols=self.cols,
            rows=self.rows,
            env=self.env(state_dir, cache_dir),
            cwd=str(self.repo),
        )


@dataclass(slots=True)
class Sample:
    """One timed input: seconds to the visible effect and to the frame's end, and bytes."""

    shown: float | None
    done: float | None
    nbytes: int
    lines: int = 0
    """Screen lines the output wrote to: bytes ÷ lines shows whether a redraw is targeted."""
    note: str = ""

    @classmethod
    def of(cls, frame: Frame, note: str = "") -> Sample:
        return cls(frame.shown, frame.done, frame.nbytes, frame.lines, note)


@dataclass(slots=True)
class AppRun:
    """Raw samples from one launch of the reader on one corpus."""

    first_rows: float | None = None
    """Seconds from spawn to the chunk that put the first list row on screen."""
    startup_bytes: int | None = None
    """Bytes from spawn until that first frame with rows was complete (output quiet)."""
    loaded: float | None = None
    """Seconds from spawn until the header stopped saying "loading"."""
    load_gave_up: float | None = None
    """Set (to the limit, seconds) when loading had not finished by --load-timeout."""
    files_read: int | None = None
    """The header's count of files read when the harness gave up waiting."""
    rested: list[Sample] = field(default_factory=list)
    held: list[Sample] = field(default_factory=list)
    scrolled: list[Sample] = field(default_factory=list)
    """Held ↓ from the last visible row on: the list scrolls at least once meanwhile."""
    preview: list[Sample] = field(default_factory=list)
    page: list[Sample] = field(default_factory=list)
    page_settled_bytes: list[int] = field(default_factory=list)
    opened: list[Sample] = field(default_factory=list)
    filter: dict[str, list[Sample]] = field(default_factory=dict)
    matches: dict[str, int | None] = field(default_factory=dict)
    total_articles: int | None = None
    peak_rss: int | None = None
    """VmHWM of the app's process, bytes."""
    peak_tree_rss: int | None = None
    """Largest sampled VmRSS sum over the app and any child processes, bytes."""
    exit_status: int | None = None
    error: str | None = None
    listed: dict[str, tuple[float, float, int]] = field(default_factory=dict)
    """A re-open's ``broadsheet --list --query WORD``, twice: seconds each, and lines
    printed (one a match), by word; run once the store is written and the folder
    unchanged."""
    typed_at_rows: dict[str, float | None] = field(default_factory=dict)
    """A re-open's launch with WORD typed the moment rows show: seconds from spawn to
    the list showing every match (``--list``'s count, no "searching"), by word; None
    when they never all came."""

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def _loading(session: PtySession) -> bool:
    return LOADING in session.line(0)


def _echo(prefix: str) -> Callable[[str], bool]:
    """Whether the filter line shows exactly *prefix* as typed (not the placeholder text)."""
    pattern = re.compile(r"^\s*/\s+" + re.escape(prefix) + r"(?:\s|$)")
    return lambda line: bool(pattern.match(line))


class _Watch:
    """Checks every chunk for the moments that happen while the script is busy elsewhere."""

    def __init__(self, session: PtySession) -> None:
        self.session = session
        self.first_rows: float | None = None
        self.loaded: float | None = None
        self._next_rss = 0.0

    def check(self, moment: float) -> None:
        session = self.session
        if self.first_rows is None and session.has_rows():
            self.first_rows = moment
        if self.first_rows is not None and self.loaded is None and not _loading(session):
            self.loaded = moment
        if self.loaded is None and moment >= self._next_rss:
            session.sample_rss()
            self._next_rss = moment + 0.2


STORE_WRITE_SECONDS = 900.0
"""Longest a first launch may take to quit: it finishes writing the store first."""


def reopen_session(settings: Settings, paths: list[str]) -> AppRun:
    """A second launch: one launch loads *paths* and quits (writing the store), then a
    launch with the same cache folder takes every measurement of :func:`app_session`."""
    with tempfile.TemporaryDirectory(prefix="broadsheet-bench-cache-") as cache_dir:
        with tempfile.TemporaryDirectory(prefix="broadsheet-bench-state-") as state_dir:
            session = settings.spawn([settings.python, "-m", "tui", *paths], state_dir, cache_dir)
            try:
                session.wait_for(session.has_rows, settings.timeout, "the first list row")
                session.wait_for(
                    lambda: not _loading(session), settings.load_timeout, "loading to finish"
                )
            except SessionError as error:
                run = AppRun()
                run.error = f"first launch: {error}"
                session.close()
                return run
            session.close(timeout=STORE_WRITE_SECONDS)
        run = app_session(settings, paths, cache_dir)
        if not run.error:
            for word in settings.words:
                _search_at_first_rows(settings, paths, cache_dir, word, run)
        return run


def _search_at_first_rows(
    settings: Settings, paths: list[str], cache_dir: str, word: str, run: AppRun
) -> None:
    """What "searchable" means to a user on a re-open: *word*'s every match, asked for
    the moment rows show, while the rest of the store is still being read.

    ``--list --query`` on the same store says how many matches there are (and how long
    the command line takes to say so); then a launch types the word at its first rows
    and times its list to that count, with no search still running.
    """
    with tempfile.TemporaryDirectory(prefix="broadsheet-bench-state-") as state_dir:
        # Not --json: with a query it ranks, reading the whole store (a list in date
        # order is what the target names, and what a script filters by).
        command = [settings.python, "-m", "tui", "--list", "--query", word, *paths]
        # Twice: the first after a launch that quit before its check of the folder
        # ended (at a million) records the folders' times; the second has them.
        times: list[float] = []
        outputs: set[bytes] = set()
        for _ in range(2):
            started = time.perf_counter()
            listed = subprocess.run(
                command,
                env=settings.env(state_dir, cache_dir),
                cwd=str(settings.repo),
                stdin=subprocess.DEVNULL,
                capture_output=True,
                check=False,
            )
            times.append(time.perf_counter() - started)
            if listed.returncode != 0:
                run.error = f"--list --query {word}: exit {listed.returncode}: {listed.stderr!r}"
                return
            outputs.add(listed.stdout)
        if len(outputs) != 1:
            run.error = f"--list --query {word}: two runs on the same store listed differently"
            return
        matches = outputs.pop().count(b"\n")
        run.listed[word] = (times[0], times[1], matches)

        session = settings.spawn([settings.python, "-m", "tui", *paths], state_dir, cache_dir)
        try:
            session.wait_for(session.has_rows, settings.timeout, "the first list row")
            session.write(key("slash") + word.encode("utf-8"))

            def answered() -> bool:
                counted = session.count()
                line = session.line(1)
                return (
                    counted is not None
                    and counted[0] == matches
                    and _echo(word)(line)
                    and SEARCHING not in line
                )

            try:
                moment = session.wait_for(
                    answered, settings.load_timeout, f"every match of {word!r}"
                )
                run.typed_at_rows[word] = moment - session.started
            except SessionError:
                if session.closed:
                    raise
                run.typed_at_rows[word] = None
        except SessionError as error:
            run.error = f"{word!r} typed at first rows: {error}; screen was:\n{session.text()}"
        finally:
            if not session.closed:
                # Enter hands the keyboard to the list, where q quits (sent together,
                # the q was typed into the filter).
                with contextlib.suppress(OSError, SessionError):
                    session.write(key("enter"))
                    session.settle(settings.rest)
            session.close(timeout=60.0)


def app_session(settings: Settings, paths: list[str], cache_dir: str | None = None) -> AppRun:
    """Launch the reader on *paths* and take every measurement once; see the module doc."""
    run = AppRun()
    with tempfile.TemporaryDirectory(prefix="broadsheet-bench-state-") as state_dir:
        session = settings.spawn([settings.python, "-m", "tui", *paths], state_dir, cache_dir)
        watch = _Watch(session)
        session.on_chunk.append(watch.check)
        try:
            _script(settings, session, watch, run)
        except SessionError as error:
            run.error = f"{error}; screen was:\n{session.text()}"
        finally:
            run.first_rows = (
                watch.first_rows - session.started if watch.first_rows is not None else None
            )
            run.loaded = watch.loaded - session.started if watch.loaded is not None else None
            if run.peak_rss is None:
                run.peak_rss = session.peak_rss() or None
            run.peak_tree_rss = max(session.rss_samples, default=0) or None
            run.exit_status = session.close()
    return run


def _script(settings: Settings, session: PtySession, watch: _Watch, run: AppRun) -> None:
    quiet = settings.quiet
    session.wait_for(session.has_rows, settings.timeout, "the first list row")
    session.wait_quiet(quiet, timeout=2.0)
    run.startup_bytes = session.total

    try:
        session.wait_for(
            lambda: watch.loaded is not None,
            max(0.0, session.started + settings.load_timeout - time.perf_counter()),
            "loading to finish",
        )
    except SessionError:
        if session.closed:
            raise
        # A measured miss, not a broken session: say how far it got and stop here, as
        # keys and bytes measured over a screen that is still streaming would mean nothing.
        run.load_gave_up = settings.load_timeout
        found = FILES_READ.search(session.line(0))
        run.files_read = int(found.group(1).replace(",", "")) if found else None
        return
    session.settle(settings.rest)
    counted = session.count()
    run.total_articles = counted[1] if counted else None

    walker = _Walker(run.total_articles or len(session.list_rows()))
    _hold_down(settings, session, run, walker)
    _hold_scrolling(settings, session, run, walker)
    _page_down(settings, session, run, walker)
    _open(settings, session, run, walker)
    _filter(settings, session, run)
    session.sample_rss()
    run.peak_rss = session.peak_rss() or None


@dataclass(slots=True)
class LoadingRun:
    """↓ pressed while the corpus loads, in a launch of its own (keys slow the loader down,
    so the launches that time "loaded" press nothing until it is done)."""

    moves: list[float] = field(default_factory=list)
    """Seconds from each key to the highlight moving on screen."""
    lost: int = 0
    """Keys whose effect did not show within key_timeout."""
    loaded_first: bool = False
    """The corpus was loaded before a key could be pressed (the seeds)."""
    error: str | None = None


def loading_session(settings: Settings, paths: list[str]) -> LoadingRun:
    """Press ↓ every load_interval while the header says loading; time each to the screen."""
    run = LoadingRun()
    with tempfile.TemporaryDirectory(prefix="broadsheet-bench-state-") as state_dir:
        session = settings.spawn([settings.python, "-m", "tui", *paths], state_dir)
        try:
            session.wait_for(session.has_rows, settings.timeout, "the first list row")
            presses = 0
            while _loading(session) and presses < settings.load_presses:
                before = session.highlighted()
                if before is None:
                    session.pump(0.05)
                    continue
                sent = session.write(key("down"))
                presses += 1
                try:
                    moment = session.wait_for(
                        _moved(session, before), settings.key_timeout, "the highlight to move"
                    )
                    run.moves.append(moment - sent)
                except SessionError:
                    if session.closed:
                        raise
                    run.lost += 1
                session.pump(max(0.0, sent + settings.load_interval - time.perf_counter()))
            run.loaded_first = presses == 0
        except SessionError as error:
            run.error = f"{error}; screen was:\n{session.text()}"
        finally:
            session.close()
    return run


def _moved(session: PtySession, before: str | None) -> Callable[[], bool]:
    """The highlight now sits on another row than *before* (the key took effect)."""
    return lambda: session.highlighted() not in (None, before)


class _Walker:
    """Where the cursor is, so ↓ is never pressed on the last row (it would do nothing)."""

    def __init__(self, rows: int) -> None:
        self.rows = rows
        self.position = 0
        self.step = 1

    def home(self) -> bytes:
        self.position, self.step = 0, 1
        return key("home")

    def next(self) -> bytes:
        """↓, or ↑ when the end is reached (the five seeds are soon walked through)."""
        if not 0 <= self.position + self.step < self.rows:
            self.step = -self.step
        self.position += self.step
        return key("down") if self.step > 0 else key("up")


def _go_home(settings: Settings, session: PtySession, walker: _Walker) -> None:
    session.write(walker.home())
    session.settle(settings.rest)


def _hold(
    settings: Settings, session: PtySession, walker: _Walker, presses: int, first_at: float
) -> tuple[list[Sample], float]:
    """*presses* cursor keys, one every key_interval, as a held key repeats.

    Each press is timed to the screen showing the highlight on its new row; its bytes are
    all that arrive before the next press. Returns the samples and the last press' time.
    """
    samples: list[Sample] = []
    next_at = first_at
    sent = first_at
    for _ in range(presses):
        session.pump(max(0.0, next_at - time.perf_counter()))
        before_bytes = session.total
        before = session.highlighted()
        session.lines_written.clear()
        sent = session.write(walker.next())
        shown: float | None
        try:
            shown = (
                session.wait_for(
                    _moved(session, before), settings.key_timeout, "the highlight to move"
                )
                - sent
            )
        except SessionError:
            if session.closed:
                raise
            shown = None
        next_at = sent + settings.key_interval
        session.pump(max(0.0, next_at - time.perf_counter()))
        nbytes = session.total - before_bytes
        done = session.last_output - sent if nbytes and session.last_output > sent else None
        samples.append(Sample(shown, done, nbytes, len(session.lines_written)))
    return samples, sent


def _preview_after(settings: Settings, session: PtySession, last_sent: float) -> Sample:
    """Whatever the app draws once the cursor rests: the debounced preview of the article."""
    before = session.total
    session.lines_written.clear()
    end = session.wait_quiet(settings.rest, timeout=5.0, since=time.perf_counter(), idle=0.25)
    nbytes = session.total - before
    return Sample(
        None,
        end - last_sent if nbytes else None,
        nbytes,
        len(session.lines_written),
        "after the last held key",
    )


def _hold_down(settings: Settings, session: PtySession, run: AppRun, walker: _Walker) -> None:
    """Series from the top: one ↓ from rest (all it draws, preview included, until the
    screen rests), then held presses, then the preview that follows them alone.

    The first press of a held series comes after a rest, so an app that previews at
    once on a rested cursor draws the preview there: that press is not counted.
    """
    for _ in range(settings.series):
        _go_home(settings, session, walker)
        frame = session.measure(
            walker.next(),
            until=_moved(session, session.highlighted()),
            quiet=settings.quiet,
            timeout=settings.key_timeout,
            what="the highlight to move",
        )
        before = session.total
        session.settle(settings.rest)
        nbytes = frame.nbytes + session.total - before
        done = session.last_output - frame.sent if nbytes else None
        run.rested.append(Sample(frame.shown, done, nbytes, len(session.lines_written)))
        samples, last_sent = _hold(
            settings, session, walker, 1 + settings.presses, time.perf_counter()
        )
        run.held.extend(samples[1:])
        run.preview.append(_preview_after(settings, session, last_sent))


def _hold_scrolling(settings: Settings, session: PtySession, run: AppRun, walker: _Walker) -> None:
    """Held ↓ from the last visible row, for more presses than the list has lines: the
    list scrolls at least once while the key is held, however far a step past its
    edge scrolls it (one line, or half a page), and the samples show what holding ↓
    through a long list costs per press."""
    visible = len(session.list_rows())
    presses = max(settings.presses, visible + 2)
    if walker.rows <= visible + presses + 1:
        return
    _go_home(settings, session, walker)
    session.write(key("pagedown"))
    session.settle(settings.rest)
    rows = session.list_rows()
    if not rows or session.highlighted() != session.list_text(rows[-1]):
        return  # the page did not end on the last visible row: no clean scroll series
    walker.position = len(rows) - 1
    top = session.list_text(rows[0])
    samples, last_sent = _hold(settings, session, walker, 1 + presses, time.perf_counter())
    samples = samples[1:]  # the first press starts from rest (see _hold_down)
    if session.list_text(session.list_rows()[0]) != top:
        run.scrolled.extend(samples)
    _preview_after(settings, session, last_sent)


def _page_down(settings: Settings, session: PtySession, run: AppRun, walker: _Walker) -> None:
    """Page down from the top of the list (from rest, so the preview may join the frame)."""
    for _ in range(settings.samples):
        _go_home(settings, session, walker)
        frame = session.measure(
            key("pagedown"),
            until=_moved(session, session.highlighted()),
            quiet=settings.quiet,
            timeout=settings.key_timeout,
            what="page down",
        )
        run.page.append(Sample.of(frame))
        before = session.total
        session.settle(settings.rest)
        run.page_settled_bytes.append(frame.nbytes + session.total - before)


def _open(settings: Settings, session: PtySession, run: AppRun, walker: _Walker) -> None:
    """↓ and Enter in one write: the next article, not yet previewed, opens for reading."""
    _go_home(settings, session, walker)
    for _ in range(settings.samples):
        session.settle(settings.rest)
        frame = session.measure(
            walker.next() + key("enter"),
            until=_moved(session, session.highlighted()),
            quiet=settings.quiet,
            timeout=settings.key_timeout,
            what="an article to open",
        )
        run.opened.append(Sample.of(frame))
        session.settle(settings.rest)
        session.write(key("escape"))
        session.settle(settings.rest)


def _filter(settings: Settings, session: PtySession, run: AppRun) -> None:
    """Type each word one character at a time; each keystroke is timed to a quiet screen."""
    for word in settings.words:
        session.settle(settings.rest)
        session.measure(key("slash"), quiet=settings.quiet, timeout=settings.timeout)
        samples: list[Sample] = []
        prefix = ""
        for char in word:
            prefix += char
            echoed = _echo(prefix)

            def shown(echoed: Callable[[str], bool] = echoed) -> bool:
                return echoed(session.line(1))

            # The filter line as each chunk leaves it: the typed text and its count are
            # shown once it stops changing (a search in the reader's search thread shows
            # "searching…" by the old count until its answer; the list comes with the
            # count, in the same frame).
            states: list[tuple[float, str]] = []

            def note(moment: float, states: list[tuple[float, str]] = states) -> None:
                line = session.line(1)
                if not states or states[-1][1] != line:
                    states.append((moment, line))

            session.on_chunk.append(note)
            try:
                frame = session.measure(
                    char.encode("utf-8"),
                    until=shown,
                    quiet=settings.filter_quiet,
                    timeout=settings.timeout,
                    what=f"the filter bar to show {prefix!r}",
                )
            finally:
                session.on_chunk.remove(note)
            answered = None  # the answer never came: not a time to count
            if frame.shown is not None and states and SEARCHING not in states[-1][1]:
                answered = max(frame.shown, states[-1][0] - frame.sent)
            counted = session.count()
            note_text = f"{prefix} -> {counted[0] if counted else '?'}"
            samples.append(Sample(answered, frame.done, frame.nbytes, frame.lines, note_text))
        run.filter[word] = samples
        counted = session.count()
        run.matches[word] = counted[0] if counted else None
        # Enter hands the keyboard back to the list; Esc there clears the filter.
        session.write(key("enter"))
        session.settle(settings.rest)
        session.write(key("escape"))
        session.settle(settings.rest)


def launch_only(settings: Settings, paths: list[str]) -> None:
    """Launch the reader until its first rows and quit: a warm-up that measures nothing."""
    with tempfile.TemporaryDirectory(prefix="broadsheet-bench-state-") as state_dir:
        session = settings.spawn([settings.python, "-m", "tui", *paths], state_dir)
        try:
            session.wait_for(session.has_rows, settings.timeout, "the first list row")
        except SessionError as error:
            raise SessionError(f"{error}; screen was:\n{session.text().rstrip()}") from None
        finally:
            session.close()


def bare_session(settings: Settings) -> float:
    """Seconds from spawn to the yardstick app's first frame."""
    with tempfile.TemporaryDirectory(prefix="broadsheet-bench-state-") as state_dir:
        session = settings.spawn([settings.python, "-m", "bench.bare_app"], state_dir)
        try:
            moment = session.wait_for(
                lambda: any(MARKER in session.line(y) for y in range(session.rows)),
                settings.timeout,
                "the bare app's first frame",
            )
            return moment - session.started
        finally:
            session.close()


@dataclass(slots=True)
class OpenRun:
    """Opening the two sized articles of the open-sizes corpus."""

    small: list[Sample] = field(default_factory=list)
    large: list[Sample] = field(default_factory=list)
    error: str | None = None


def open_sizes_session(settings: Settings, path: str, small: str, large: str) -> OpenRun:
    """Alternate ↓⏎ onto the 50 KB article and ↑⏎ back onto the 5 KB one."""
    run = OpenRun()
    with tempfile.TemporaryDirectory(prefix="broadsheet-bench-state-") as state_dir:
        session = settings.spawn([settings.python, "-m", "tui", path], state_dir)
        try:
            session.wait_for(
                lambda: session.has_rows() and not _loading(session),
                settings.timeout,
                "the open-sizes corpus to load",
            )
            for _ in range(settings.samples):
                for keys, title, samples in (
                    (key("down") + key("enter"), large, run.large),
                    (key("up") + key("enter"), small, run.small),
                ):
                    session.settle(settings.rest)

                    def opened(title: str = title) -> bool:
                        return title in (session.highlighted() or "")

                    frame = session.measure(
                        keys,
                        until=opened,
                        quiet=settings.quiet,
                        timeout=settings.timeout,
                        what=f"{title!r} to open",
                    )
                    samples.append(Sample.of(frame))
                    session.settle(settings.rest)
                    session.write(key("escape"))
        except SessionError as error:
            run.error = f"{error}; screen was:\n{session.text()}"
        finally:
            session.close()
    return run
