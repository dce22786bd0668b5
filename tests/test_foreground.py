"""The UI goes first: background threads pause while the foreground is busy.

Functional only: what is checked is who waits for whom, never how long anything takes
(the waits below are generous bounds for a thread to finish, not measurements).
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from bench.make_corpus import make_corpus
from tui.corpus.foreground import Foreground
from tui.corpus.index import BackgroundIndexer, SearchIndex, prepare
from tui.corpus.loader import load_batches
from tui.corpus.model import Corpus, iter_corpus

from .test_loader import SMALL_POOL, describe

FINISH = 10.0
"""Seconds a paused thread gets to finish once it may: far more than it needs."""


def pausing_thread(foreground: Foreground) -> threading.Thread:
    thread = threading.Thread(target=foreground.pause, daemon=True)
    thread.start()
    return thread


def test_pause_returns_at_once_when_idle() -> None:
    foreground = Foreground()
    assert not foreground.is_busy
    thread = pausing_thread(foreground)
    thread.join(FINISH)
    assert not thread.is_alive()


def test_pause_waits_while_busy_until_idle() -> None:
    foreground = Foreground()
    foreground.busy(3600)
    assert foreground.is_busy
    thread = pausing_thread(foreground)
    thread.join(0.05)
    assert thread.is_alive()  # an hour of busy: still waiting
    foreground.idle()
    thread.join(FINISH)
    assert not thread.is_alive() and not foreground.is_busy


def test_idle_after_a_moment_lets_a_waiting_thread_go_then() -> None:
    """The UI's frame is drawn: background steps go on once the terminal writer has
    had its moment, not when the whole busy spell would have ended."""
    foreground = Foreground()
    foreground.busy(3600)
    thread = pausing_thread(foreground)
    foreground.idle(after=0.01)
    thread.join(FINISH)
    assert not thread.is_alive() and not foreground.is_busy


def test_the_busy_thread_never_waits_for_itself() -> None:
    """The UI thread reads the first batch itself: a pause there must not block it."""
    foreground = Foreground()
    foreground.busy(3600)
    foreground.pause()  # returns: this thread is the one that is busy
    assert foreground.is_busy


def test_busy_runs_out_by_itself() -> None:
    """A UI that never says it is done (another screen, a key that changed nothing)
    cannot stop the background for longer than the busy spell."""
    foreground = Foreground()
    foreground.busy(0.0)
    assert not foreground.is_busy
    thread = pausing_thread(foreground)
    thread.join(FINISH)
    assert not thread.is_alive()


def test_loader_pauses_between_steps_and_loads_the_same(tmp_path: Path) -> None:
    make_corpus(300, str(tmp_path), seed=5)
    calls = 0

    def pause() -> None:
        nonlocal calls
        calls += 1

    batches = list(load_batches([str(tmp_path)], pause=pause, **SMALL_POOL))
    loaded = [describe(item) for batch in batches for item in batch.items]
    assert loaded == [describe(item) for item in iter_corpus([str(tmp_path)])]
    assert any(batch.workers for batch in batches)  # the pool's results came as bytes
    chunks = 300 // SMALL_POOL["chunk_size"]
    assert calls >= chunks  # at least one pause per chunk taken or parsed


def test_indexer_pauses_before_each_round(tmp_path: Path) -> None:
    make_corpus(600, str(tmp_path), seed=6)
    corpus = Corpus()
    articles = corpus.add(iter_corpus([str(tmp_path)]))
    index = SearchIndex(shards=2)
    rounds = 0

    def pause() -> None:
        nonlocal rounds
        rounds += 1

    indexer = BackgroundIndexer(index, pause=pause)
    indexer.put(articles, [prepare(article) for article in articles])
    indexer.close()
    assert len(index) == len(articles) and index.staged == 0
    per_round = index.chunk_size * 2
    assert rounds >= len(articles) // per_round


def test_rest_left_counts_from_the_last_input() -> None:
    foreground = Foreground()
    assert foreground.rest_left(1.0) == 0.0  # no input yet: at rest
    foreground.busy(5.0)
    assert foreground.rest_left(1.0) == 1.0  # answering one: the whole rest to come
    foreground.idle()
    left = foreground.rest_left(1.0)
    assert 0.5 < left <= 1.0  # just answered: nearly all of it
    time.sleep(0.2)
    assert foreground.rest_left(1.0) < left
    assert foreground.rest_left(0.1) == 0.0
