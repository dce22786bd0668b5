"""File names Broadsheet did not choose (issue 12, items 1, 5, 13, 14, 15).

A name may hold bytes that are not UTF-8 (Python gives them as surrogate escapes,
``'caf\\udce9.txt'``), or ESC, C1, bidi controls and newlines. What is shown, copied or
printed must be safe and encodable; the real name must still open the file, and
``--show`` and ``--list --json`` must lead a script back to it.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tui.corpus import Article, Skipped, load_corpus, read_article
from tui.corpus.files import discover, resolve_display_path
from tui.corpus.model import read_raw
from tui.corpus.safe import BIDI_CONTROLS, neutralise, neutralise_line
from tui.corpus.state import ReadState

from .app_helpers import reader_lines, settle

REPO = Path(__file__).resolve().parent.parent

TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + BIDI_CONTROLS + "\u2028\u2029]")
SURROGATES = re.compile("[\ud800-\udfff]")

if sys.getfilesystemencoding().lower().replace("-", "") != "utf8":  # pragma: no cover
    pytest.skip("needs a UTF-8 file system encoding", allow_module_level=True)

NOT_UTF8 = os.fsdecode(b"caf\xe9.txt")
"""``'caf\\udce9.txt'``: a Latin-1 name, as Python gives it."""

HOSTILE_NAMES = [
    NOT_UTF8,
    "esc\x1b]0;owned\x07.txt",
    "c1\x9b31m.txt",
    "bidi\u202eartxt.txt",
    "new\nline.txt",
    "tab\there.txt",
]

BODY = "Date: 2024-01-01\n\nBody of {name}.\n"


def make_folder(root: Path, names: list[str]) -> Path:
    folder = root / "corpus"
    folder.mkdir()
    for number, name in enumerate(names):
        (folder / name).write_text(BODY.format(name=number), encoding="utf-8")
    return folder


def run_cli(*args: str, cwd: Path, state: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "BROADSHEET_STATE_DIR": str(state), "PYTHONIOENCODING": "utf-8"}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run(
        [sys.executable, "-m", "tui", *args], cwd=cwd, env=env, capture_output=True, timeout=60
    )


def assert_terminal_safe(output: bytes) -> str:
    text = output.decode("utf-8")  # strict: also proves the output is valid UTF-8
    match = TERMINAL_CONTROLS.search(text)
    assert match is None, f"control character {match.group()!r} in output"
    return text


# --- the neutraliser --------------------------------------------------------------------


def test_lone_surrogates_become_a_visible_stand_in() -> None:
    for function in (neutralise, neutralise_line):
        shown = function("caf\udce9 \ud800x")
        assert shown == "caf\ufffd \ufffdx"
        shown.encode("utf-8")  # strict: no UnicodeEncodeError
        assert function(shown) == shown  # idempotent


# --- the model: a safe path to show, the real one to open -----------------------------


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_displayed_path_is_safe_and_the_real_path_opens_the_file(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = make_folder(tmp_path, [name])
    monkeypatch.chdir(tmp_path)
    (article,) = load_corpus(["corpus"]).articles
    article.path.encode("utf-8")  # strict: safely encodable
    assert TERMINAL_CONTROLS.search(article.path) is None
    assert "\n" not in article.path and "\t" not in article.path
    assert article.file_path == os.path.join("corpus", name)
    assert os.path.samefile(article.file_path, folder / name)
    assert "Body of 0." in read_raw(article.file_path)
    json_path = article.to_json()["path"]
    assert isinstance(json_path, str)
    json_path.encode("utf-8")


def test_not_utf8_name_shows_a_replacement_character(tmp_path: Path) -> None:
    make_folder(tmp_path, [NOT_UTF8])
    result = read_article(str(tmp_path / "corpus" / NOT_UTF8))
    assert isinstance(result, Article)
    assert result.path.endswith("caf\ufffd.txt")
    assert os.fsencode(result.file_path).endswith(b"caf\xe9.txt")


def test_plain_paths_keep_no_second_copy(tmp_path: Path) -> None:
    make_folder(tmp_path, ["plain name é.txt"])
    (article,) = load_corpus([str(tmp_path / "corpus")]).articles
    assert article.real_path is None  # 100k articles: no second string per plain path
    assert article.file_path == article.path
    assert "path_bytes" not in article.to_json()


def test_skipped_file_with_a_hostile_name_is_reported_safely(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / NOT_UTF8).write_bytes(b"")
    (folder / "e\x1b[2Jmpty.txt").write_bytes(b"")
    corpus = load_corpus([str(folder)])
    shown = sorted(item.path for item in corpus.skipped)
    assert [Path(path).name for path in shown] == ["caf\ufffd.txt", "e␛[2Jmpty.txt"]
    for path in shown:
        path.encode("utf-8")


def test_find_matches_the_real_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_folder(tmp_path, HOSTILE_NAMES)
    monkeypatch.chdir(tmp_path)
    corpus = load_corpus(["corpus"])
    assert len(corpus.articles) == len(HOSTILE_NAMES)
    for name in HOSTILE_NAMES:
        relative = os.path.join("corpus", name)
        found = corpus.find(relative)
        assert found is not None, name
        assert found.file_path == relative
        assert corpus.find(str(tmp_path / relative)) is found


def test_two_names_that_look_alike_stay_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """b'caf\\xe9' and b'caf\\xe8' both show as 'caf\ufffd': each path finds its own file."""
    names = [os.fsdecode(b"caf\xe9.txt"), os.fsdecode(b"caf\xe8.txt")]
    make_folder(tmp_path, names)
    monkeypatch.chdir(tmp_path)
    corpus = load_corpus(["corpus"])
    first, second = (corpus.find(os.path.join("corpus", name)) for name in names)
    assert first is not None and second is not None and first is not second
    assert first.path == second.path  # the same on screen…
    assert first.file_path != second.file_path  # …but each opens its own file
    assert corpus.find(first.path) is None  # ambiguous: the id tells them apart


# --- the command line -------------------------------------------------------------------


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_show_finds_a_file_by_its_real_name(name: str, tmp_path: Path) -> None:
    make_folder(tmp_path, HOSTILE_NAMES)
    target = os.path.join("corpus", name)
    for args in ((target, "corpus"), (str(tmp_path / target), "corpus"), (target,)):
        result = run_cli("--show", *args, cwd=tmp_path, state=tmp_path / "state")
        assert result.returncode == 0, result.stderr
        out = assert_terminal_safe(result.stdout)
        assert f"Body of {HOSTILE_NAMES.index(name)}." in out


def test_list_json_path_bytes(tmp_path: Path) -> None:
    make_folder(tmp_path, [*HOSTILE_NAMES, "plain.txt"])
    result = run_cli("--list", "--json", "corpus", cwd=tmp_path, state=tmp_path / "state")
    assert result.returncode == 0, result.stderr
    assert_terminal_safe(result.stdout)
    rows = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    assert len(rows) == len(HOSTILE_NAMES) + 1
    opened = set()
    for row in rows:
        assert TERMINAL_CONTROLS.search(row["path"]) is None
        assert SURROGATES.search(row["path"]) is None
        if row["path"] == "corpus/plain.txt":
            assert "path_bytes" not in row
            continue
        real = base64.b64decode(row["path_bytes"], validate=True)
        assert real != row["path"].encode("utf-8")
        # A script can open the file from path_bytes, relative to where it ran.
        with open(os.path.join(os.fsencode(tmp_path), real), "rb") as handle:
            opened.add(handle.read())
    assert len(opened) == len(HOSTILE_NAMES)


def test_stderr_messages_are_neutralised(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / NOT_UTF8).write_bytes(b"")
    (folder / "e\x1b]0;x\x07.txt").write_bytes(b"")
    (folder / "ok.txt").write_text("Fine.\n", encoding="utf-8")
    result = run_cli("--list", "corpus", cwd=tmp_path, state=tmp_path / "state")
    assert result.returncode == 0
    err = assert_terminal_safe(result.stderr)
    assert sorted(err.splitlines()) == [
        "broadsheet: skipped corpus/caf\ufffd.txt: empty file",
        "broadsheet: skipped corpus/e␛]0;x␇.txt: empty file",
    ]
    missing = run_cli("--list", os.fsdecode(b"no\xff\x1b[2J"), cwd=tmp_path, state=tmp_path)
    assert missing.returncode == 2
    line = assert_terminal_safe(missing.stderr)
    assert line == "broadsheet: error: no\ufffd␛[2J: no such file or folder\n"


def test_run_app_reports_skipped_files_neutralised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui import app as app_module

    def fake_run(self: app_module.BroadsheetApp, **_: object) -> None:
        self.get_default_screen()  # what a run makes first, and keeps the skipped in
        self.skipped.append(Skipped("a\x1b]0;x\x07b\udce9.txt", "odd\x9b reason"))

    monkeypatch.setattr(app_module.BroadsheetApp, "run", fake_run)
    args = argparse.Namespace(no_mouse=True, no_state=True, query=None, sort="newest")
    (tmp_path / "ok.txt").write_text("Fine.\n", encoding="utf-8")
    assert app_module.run_app(args, [str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert TERMINAL_CONTROLS.search(err) is None and SURROGATES.search(err) is None
    assert "a␛]0;x␇b\ufffd.txt" in err


# --- the reader ---------------------------------------------------------------------------


async def test_copy_citation_of_a_not_utf8_name_keeps_the_read_mark(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.app import BroadsheetApp

    make_folder(tmp_path, [NOT_UTF8])
    monkeypatch.chdir(tmp_path)
    state_dir = tmp_path / "state"
    app = BroadsheetApp(["corpus"], state=ReadState.open(str(state_dir)))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        (article,) = app.corpus.articles
        await pilot.press("enter", "y")
        await pilot.pause()
        assert app.clipboard.endswith("corpus/caf\ufffd.txt")
        app.clipboard.encode("utf-8")
        assert app.state.is_read(article.key)
        await pilot.press("q")
    again = ReadState.open(str(state_dir))
    assert again.is_read(article.key)


async def test_raw_view_opens_a_file_with_escapes_in_its_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.app import BroadsheetApp

    make_folder(tmp_path, ["esc\x1b[2J.txt"])
    monkeypatch.chdir(tmp_path)
    app = BroadsheetApp(["corpus"], state=ReadState.open(enabled=False))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "r")
        await pilot.pause()
        reader = app.reader
        assert reader.raw
        raw = "\n".join(reader_lines(app))
        assert "Date: 2024-01-01" in raw


# --- files that vanish while a folder is read ----------------------------------------------


def test_file_deleted_during_the_walk_is_reported_as_vanished(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("Text.\n", encoding="utf-8")
    (tmp_path / "c.txt").symlink_to(tmp_path / "nowhere.txt")
    found = discover([tmp_path])
    assert next(found) == str(tmp_path / "a.txt")
    (tmp_path / "b.txt").unlink()  # after the folder was listed, before b.txt is looked at
    assert list(found) == [
        Skipped(str(tmp_path / "b.txt"), "vanished while reading"),
        Skipped(str(tmp_path / "c.txt"), "broken symbolic link"),
    ]


def test_file_deleted_before_it_is_read_is_reported_as_vanished(tmp_path: Path) -> None:
    path = tmp_path / "gone.txt"
    path.write_text("Text.\n", encoding="utf-8")
    (found,) = discover([tmp_path])
    path.unlink()
    result = read_article(str(found))
    assert isinstance(result, Skipped)
    assert result.reason == "vanished while reading"


def test_folder_deleted_during_the_walk_is_reported_as_vanished(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Text.\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("Text.\n", encoding="utf-8")
    found = discover([tmp_path])
    assert next(found) == str(tmp_path / "a.txt")
    (tmp_path / "sub" / "b.txt").unlink()
    (tmp_path / "sub").rmdir()
    assert list(found) == [Skipped(str(tmp_path / "sub"), "vanished while reading")]


def test_real_path_survives_the_worker_processes(tmp_path: Path) -> None:
    """Articles come back from the loader's workers (and the head start) pickled."""
    import pickle

    make_folder(tmp_path, [NOT_UTF8])
    result = read_article(str(tmp_path / "corpus" / NOT_UTF8))
    assert isinstance(result, Article)
    again = pickle.loads(pickle.dumps(result, pickle.HIGHEST_PROTOCOL))
    assert again.real_path == result.real_path == str(tmp_path / "corpus" / NOT_UTF8)
    assert again.path == result.path


def test_web_driver_draws_a_not_utf8_name(tmp_path: Path) -> None:
    """Under ``--serve`` each session is ``python -m tui`` on Textual's web driver,
    which encodes every frame as strict UTF-8: the name's lone surrogate killed the
    app on its first frame. Read the frames until the name is drawn, or the app dies."""
    make_folder(tmp_path, [NOT_UTF8])
    env = {
        **os.environ,
        "BROADSHEET_STATE_DIR": str(tmp_path / "state"),
        "TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver",
        "COLUMNS": "100",
        "LINES": "30",
        "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "corpus"],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.PIPE,  # open: the web driver reads its input from here
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    seen = b""
    guard = threading.Timer(60, process.kill)  # never hang the suite: a hung app is killed
    guard.start()
    try:
        while "caf\ufffd.txt".encode() not in seen:
            chunk = os.read(process.stdout.fileno(), 1 << 16)
            if not chunk:
                break  # the app ended before drawing the name
            seen = seen[-64:] + chunk
        drawn = "caf\ufffd.txt".encode() in seen
    finally:
        guard.cancel()
        process.kill()
        process.wait(timeout=30)
    errors = process.stderr.read().decode("utf-8", "replace")
    process.stdout.close()
    process.stderr.close()
    assert process.stdin is not None
    process.stdin.close()
    assert "UnicodeEncodeError" not in errors
    assert drawn, errors[-2000:]


def test_a_folder_walk_takes_the_suffixes_splitext_would(tmp_path: Path) -> None:
    """The walk tells an article file by its suffix without os.path.splitext (its
    calls were a tenth of a 100k walk): the same names must be taken."""
    from tui.corpus.files import ARTICLE_SUFFIXES

    names = ["a.txt", "b.TXT", "c.Md", "d.html", "e.htm", "f.b.md", ".txt", "..txt", "...md",
             ".hidden.md", "noext", "x.", "y.txt.bak", "z.MD.txt", "weird..txt"]  # fmt: skip
    for name in names:
        (tmp_path / name).write_text("Body.\n", encoding="utf-8")
    taken = {Path(path).name for path in discover([str(tmp_path)])}
    expected = {n for n in names if os.path.splitext(n)[1].lower() in ARTICLE_SUFFIXES}
    assert taken == expected
    assert ".hidden.md" in taken and ".txt" not in taken


def test_a_folder_inside_whose_name_begins_with_dots_is_shown_relative(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "..x" is a folder here, not the way out: its files are spelt from here like any.
    monkeypatch.chdir(tmp_path)
    for name in ("..x", "...", "a"):
        assert resolve_display_path(tmp_path / name / "f.txt") == os.path.join(name, "f.txt")
    assert resolve_display_path(tmp_path.parent / "f.txt") == str(tmp_path.parent / "f.txt")
    assert resolve_display_path(tmp_path / "f.txt") == "f.txt"
