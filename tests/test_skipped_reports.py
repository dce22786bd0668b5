"""Skipped files, with the store: said once, as the folder has them after its check,
not as the store remembered them (a file gone, or readable again, is not said; a file
the store knew and the check read again is said once)."""

from __future__ import annotations

import os
from collections.abc import Generator
from pathlib import Path

from tui.app import BroadsheetApp
from tui.corpus.files import Skipped
from tui.corpus.loader import LoadBatch, load_batches
from tui.corpus.session import CorpusSession
from tui.corpus.state import ReadState

from .app_helpers import loaded_and_checked, notifications
from .conftest import OLD_MTIME as OLD
from .test_cli import run


def _folder(tmp_path: Path) -> Path:
    """An article, three empty files (one in a subfolder), all past the store's
    "modified while read" margin."""
    folder = tmp_path / "u6"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("Title: x\nDate: 2024-01-01\n\nhello\n", encoding="utf-8")
    for name in ("empty.txt", "later.txt", "stays.txt", "sub/e2.txt"):
        (folder / name).write_bytes(b"")
    for path in folder.rglob("*.txt"):
        os.utime(path, (OLD, OLD))
    return folder


def _skips(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "skipped" in line]


def _change(folder: Path) -> None:
    """One empty file goes, a folder of one goes, one empty file is written."""
    (folder / "empty.txt").unlink()
    (folder / "sub" / "e2.txt").unlink()
    (folder / "sub").rmdir()
    later = folder / "later.txt"
    later.write_text("Title: y\nDate: 2024-01-02\n\nworld\n", encoding="utf-8")
    os.utime(later, (OLD, OLD + 5))


def test_list_says_the_skipped_files_the_folder_has_not_those_the_store_had(
    tmp_path: Path,
) -> None:
    folder = _folder(tmp_path)
    first = run("--list", "u6", cwd=tmp_path, state=tmp_path / "state")
    assert first.returncode == 0, first.stderr
    assert sorted(_skips(first.stderr)) == [
        "broadsheet: skipped u6/empty.txt: empty file",
        "broadsheet: skipped u6/later.txt: empty file",
        "broadsheet: skipped u6/stays.txt: empty file",
        "broadsheet: skipped u6/sub/e2.txt: empty file",
    ]
    _change(folder)
    for args in (["--list"], ["--list", "--query", "world"], ["--list"]):
        again = run(*args, "u6", cwd=tmp_path, state=tmp_path / "state")
        assert again.returncode == 0, again.stderr
        assert _skips(again.stderr) == ["broadsheet: skipped u6/stays.txt: empty file"], args
        assert any(line.endswith(" y") for line in again.stdout.splitlines()), again.stdout


def test_a_skipped_file_the_check_reads_again_is_said_once(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    recent = folder / "recent.txt"
    recent.write_bytes(b"")  # modified just now: the next check reads it again
    run("--list", "u6", cwd=tmp_path, state=tmp_path / "state")
    again = run("--list", "u6", cwd=tmp_path, state=tmp_path / "state")
    lines = _skips(again.stderr)
    assert len(lines) == len(set(lines)) == 5, lines
    assert "broadsheet: skipped u6/recent.txt: empty file" in lines


def test_a_reopen_says_no_skipped_file_until_the_folder_is_checked(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    first = CorpusSession([str(folder)])
    first.open_store()
    first.load(_batches(folder), lambda *_, **__: None)
    first.close(store_seconds=None)
    _change(folder)
    session = CorpusSession([str(folder)])
    session.open_store()
    said: list[Skipped] = []
    assert session.reopen(lambda added, skipped, *_, **__: said.extend(skipped))
    assert said == [] and session.skipped_checked is None
    for changes in session.check_folder():
        session.apply(changes)
    assert session.skipped_checked is not None
    checked = sorted(Path(item.path).name for item in session.skipped_checked)
    assert checked == ["stays.txt"]
    assert sorted(Path(item.path).name for item in session.corpus.skipped) == ["stays.txt"]
    session.close(store_seconds=None)


def _batches(folder: Path) -> Generator[LoadBatch, None, None]:
    return load_batches([str(folder)], with_texts=True)


async def _launch(folder: Path) -> tuple[list[str], list[str]]:
    """(what the reader notified, the files it holds as skipped when the check is
    done)."""
    app = BroadsheetApp([str(folder)], state=ReadState.open(enabled=False), watch=False)
    said = notifications(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded_and_checked(app, pilot)
        skipped = sorted(Path(item.path).name for item in app.skipped)
        await pilot.press("q")
    return [line for line in said if "skipped" in line], skipped


async def test_the_reader_says_the_skipped_files_the_folder_has(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    said, skipped = await _launch(folder)
    assert skipped == ["e2.txt", "empty.txt", "later.txt", "stays.txt"]
    assert len(said) == 1 and said[0].startswith("4 file(s) skipped")
    _change(folder)
    said, skipped = await _launch(folder)
    assert skipped == ["stays.txt"]
    assert len(said) == 1 and said[0].startswith("1 file(s) skipped: ")
    assert "stays.txt" in said[0] and "empty.txt" not in said[0]
