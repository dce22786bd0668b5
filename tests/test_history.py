"""The filter bar's query history (issue 15, item 1): kept, walked and searched as a
shell's is, and read from the state folder as untrusted as ``state.json`` is."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from tui.corpus.history import (
    HISTORY_FILENAME,
    MAX_ENTRIES,
    HistoryWalk,
    QueryHistory,
)


def _history(folder: Path) -> QueryHistory:
    return QueryHistory(str(folder / HISTORY_FILENAME))


def test_a_query_used_again_moves_to_the_end_and_the_oldest_go_past_the_cap() -> None:
    history = QueryHistory(None)
    for text in ["pakistan", "russia", "  pakistan  ", "russia"]:
        history.add(text)
    assert history.entries == ["pakistan", "russia"]  # each once, the last used last
    for number in range(MAX_ENTRIES + 20):
        history.add(f"q{number}")
    assert len(history.entries) == MAX_ENTRIES
    assert history.entries[-1] == f"q{MAX_ENTRIES + 19}" and "q0" not in history.entries


@pytest.mark.parametrize("text", ["", "   ", "a\x1b]0;x\x07", "tab\there", "a\nb", "x" * 4001])
def test_what_is_not_a_query_is_not_kept(text: str) -> None:
    history = QueryHistory(None)
    assert not history.add(text)
    assert history.entries == []


def test_up_and_down_walk_from_the_draft_and_back() -> None:
    walk = HistoryWalk(["one", "two", "three"], draft="thr")
    assert walk.newer() is None  # at the draft already
    assert [walk.older(), walk.older(), walk.older(), walk.older()] == [
        "three",
        "two",
        "one",
        None,
    ]
    assert [walk.newer(), walk.newer(), walk.newer(), walk.newer()] == [
        "two",
        "three",
        "thr",
        None,
    ]


def test_up_passes_the_newest_query_when_the_bar_holds_it() -> None:
    """'wheat' in the bar, / then ↑ showed 'wheat' again: a press that changed nothing."""
    walk = HistoryWalk(["rice", "oil", "wheat"], draft="wheat")
    assert [walk.older(), walk.older(), walk.older()] == ["oil", "rice", None]
    assert [walk.newer(), walk.newer(), walk.newer()] == ["oil", "wheat", None]
    walk = HistoryWalk(["wheat"], draft="wheat")
    assert walk.older() is None


def test_ctrl_r_finds_older_queries_holding_the_text_typed() -> None:
    walk = HistoryWalk(["Pakistan trade", "russia", "pakistan", "date:2024 pak"], draft="PAK")
    assert [walk.search(), walk.search(), walk.search(), walk.search()] == [
        "date:2024 pak",
        "pakistan",
        "Pakistan trade",
        None,
    ]


def test_the_history_is_kept_between_runs(tmp_path: Path) -> None:
    first = _history(tmp_path)
    first.add("pakistan")
    first.add('"prime minister"')
    first.save()
    again = _history(tmp_path)
    again.load()
    assert again.entries == ["pakistan", '"prime minister"']
    assert json.loads((tmp_path / HISTORY_FILENAME).read_text("utf-8")) == {
        "version": 1,
        "queries": ["pakistan", '"prime minister"'],
    }


def test_two_instances_each_add_their_own_queries(tmp_path: Path) -> None:
    a, b = _history(tmp_path), _history(tmp_path)
    a.load()
    b.load()
    a.add("from a")
    b.add("from b")
    a.save()
    b.save()
    reader = _history(tmp_path)
    reader.load()
    assert reader.entries == ["from a", "from b"]


def test_a_query_added_while_loading_stays_newest(tmp_path: Path) -> None:
    disk = _history(tmp_path)
    disk.add("on disk")
    disk.save()
    history = _history(tmp_path)
    history.add("typed first")
    history.load()
    assert history.entries == ["on disk", "typed first"]


def test_a_hostile_history_file_gives_only_real_queries(tmp_path: Path) -> None:
    queries = ["good", 7, None, "\x1b[2Jclear", "x" * 5000, ["nested"], "also good"]
    (tmp_path / HISTORY_FILENAME).write_text(json.dumps({"version": 1, "queries": queries}))
    history = _history(tmp_path)
    history.load()
    assert history.entries == ["good", "also good"]
    assert history.warnings == []


@pytest.mark.parametrize(
    "content", [b"not json", b"[1, 2]", b'{"version": 2, "queries": []}', b"\xff\xfe"]
)
def test_a_file_that_is_not_a_history_is_warned_of_and_replaced(
    tmp_path: Path, content: bytes
) -> None:
    (tmp_path / HISTORY_FILENAME).write_bytes(content)
    history = _history(tmp_path)
    history.load()
    assert history.entries == []
    assert len(history.warnings) == 1 and "not read" in history.warnings[0]
    history.add("new")
    history.save()
    assert json.loads((tmp_path / HISTORY_FILENAME).read_text("utf-8"))["queries"] == ["new"]


def test_a_linked_history_is_neither_read_nor_written_through(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.json"
    target.write_text(json.dumps({"version": 1, "queries": ["secret"]}))
    (tmp_path / HISTORY_FILENAME).symlink_to(target)
    history = _history(tmp_path)
    history.load()
    assert history.entries == [] and history.warnings
    history.add("mine")
    history.save()
    assert json.loads(target.read_text())["queries"] == ["secret"]  # untouched
    assert not (tmp_path / HISTORY_FILENAME).is_symlink()


def test_a_fifo_for_a_history_does_not_hang(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / HISTORY_FILENAME)
    history = _history(tmp_path)
    done = threading.Event()

    def load() -> None:
        history.load()
        done.set()

    threading.Thread(target=load, daemon=True).start()
    assert done.wait(5), "reading a FIFO as the history blocked"
    assert history.entries == [] and history.warnings


def test_an_oversized_history_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.corpus import history as history_module

    monkeypatch.setattr(history_module, "MAX_HISTORY_BYTES", 100)
    (tmp_path / HISTORY_FILENAME).write_text(
        json.dumps({"version": 1, "queries": ["q" * 50, "r" * 50]})
    )
    history = _history(tmp_path)
    history.load()
    assert history.entries == [] and "larger than" in history.warnings[0]


def test_no_state_keeps_nothing_on_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BROADSHEET_STATE_DIR", str(tmp_path))
    history = QueryHistory.open(enabled=False)
    history.add("pakistan")
    history.save()
    assert list(tmp_path.iterdir()) == []
    kept = QueryHistory.open(enabled=True)
    assert kept.path == str(tmp_path / HISTORY_FILENAME)


def test_nothing_is_written_when_nothing_was_added(tmp_path: Path) -> None:
    history = _history(tmp_path)
    history.load()
    history.save()
    assert not (tmp_path / HISTORY_FILENAME).exists()
