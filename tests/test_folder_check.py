"""The folder check's lean walk (``plain_folders``) gives the answer discover's walk
gives: the same files new, changed and gone, in the same order, or it steps aside."""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from array import array
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.corpus.files import NotPlainFolders, discover_with_status
from tui.corpus.session import (
    _changed_by_discovery,
    _changed_in_plain_folders,
    _combined,
    _compare_plain,
    _Compared,
    changed_files,
    quick_changed_files,
)
from tui.corpus.store import _SCHEMA, StoredFiles, _Speller

FOLDER_NAMES = ["a", "B", "b", "é", ".hidden", "a-b", "a.b", "z"]
FILE_NAMES = [
    "one.txt",
    "Two.TXT",
    "three.md",
    "four.html",
    "five.htm",
    "notes.csv",
    "..txt",
    ".x.txt",
    "naïve.md",
    "a b.txt",
    "noext",
]
UNDECODABLE = b"caf\xe9.txt"


def _identities(paths: list[str]) -> dict[bytes, tuple[int, int, int]]:
    """What a store written now would hold for *paths*."""
    spell = _Speller()
    known = {}
    for found in discover_with_status(paths):
        if isinstance(found, tuple):
            path, status = found
            known[spell(path)] = (status.st_size, status.st_mtime_ns, status.st_ino)
    return known


def _stored(known: dict[bytes, tuple[int, int, int]]) -> StoredFiles:
    """A store's files table holding *known*."""
    connection = sqlite3.connect(":memory:")
    connection.executescript(_SCHEMA)
    connection.executemany(
        "INSERT INTO files(path, size, mtime_ns, inode) VALUES (?, ?, ?, ?)",
        [(key, *identity) for key, identity in known.items()],
    )
    return StoredFiles(connection)


tree = st.lists(
    st.tuples(
        st.lists(st.sampled_from(FOLDER_NAMES), max_size=3),
        st.sampled_from([*FILE_NAMES, None]),  # None: the undecodable name
    ),
    min_size=1,
    max_size=25,
)
changes = st.lists(
    st.tuples(st.sampled_from(["grow", "touch", "remove", "unsure", "add"]), st.integers(0, 99)),
    max_size=8,
)


def _make(root: Path, layout: list[tuple[list[str], str | None]]) -> list[Path]:
    made = []
    for number, (folders, name) in enumerate(layout):
        folder = root.joinpath(*folders)
        folder.mkdir(parents=True, exist_ok=True)
        raw = os.fsencode(folder) + b"/" + (UNDECODABLE if name is None else os.fsencode(name))
        with open(raw, "wb") as stream:
            stream.write(b"Title %d\n\nBody.\n" % number)
        made.append(Path(os.fsdecode(raw)))
    return made


@settings(max_examples=60, deadline=None)
@given(layout=tree, edits=changes, as_typed=st.sampled_from(["relative", "absolute", "slash"]))
def test_the_lean_walk_answers_as_discover_does(
    layout: list[tuple[list[str], str | None]],
    edits: list[tuple[str, int]],
    as_typed: str,
) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary) / "corpus"
        root.mkdir()
        made = _make(root, layout)
        here = os.getcwd()
        os.chdir(temporary)
        try:
            given_path = {"relative": "corpus", "absolute": str(root), "slash": "corpus/"}
            paths = [given_path[as_typed]]
            known = _identities(paths)
            for action, pick in edits:
                target = made[pick % len(made)]
                if not target.exists():
                    continue
                if action == "grow":
                    with open(target, "ab") as stream:
                        stream.write(b"More.\n")
                elif action == "touch":
                    os.utime(target, ns=(1, 1_000_000_000 + pick))
                elif action == "remove":
                    target.unlink()
                elif action == "add":
                    (target.parent / f"added-{pick}.txt").write_text("New\n", encoding="utf-8")
                else:  # read too near a change: the store marks it so
                    spelt = os.path.join(paths[0], os.path.relpath(target, root))
                    key = _Speller()(spelt)  # as discover spells it, then the store
                    if key in known:
                        known[key] = (-1, -1, -1)
            known[os.fsencode(os.path.join(temporary, "elsewhere.txt"))] = (1, 2, 3)
            stored = _stored(known)
            lean = _changed_in_plain_folders(paths, stored, None)  # never steps aside here
            assert lean == _changed_by_discovery(paths, known, None)
            # The command line's child and grandchild stat a share each.
            halves = [_compare_plain(paths, stored, None, (half, 2)) for half in (0, 1)]
            assert _combined(halves) == lean
        finally:
            os.chdir(here)


def _plain_tree(tmp_path: Path) -> tuple[Path, dict[bytes, tuple[int, int, int]]]:
    root = tmp_path / "corpus"
    _make(root, [(["a"], "one.txt"), (["b"], "two.md"), ([], "three.txt")])
    return root, _identities([str(root)])


@pytest.mark.parametrize("kind", ["linked folder", "one file twice", "a file named", "overlap"])
def test_the_lean_walk_steps_aside_where_discover_does_more(tmp_path: Path, kind: str) -> None:
    """Where discover's walk does more than list (a linked folder walked last, one
    file kept under its first name, a named file, a folder reached twice), the lean
    walk steps aside, and the check's answer is discover's."""
    root, known = _plain_tree(tmp_path)
    paths = [str(root)]
    if kind == "linked folder":
        (root / "c").symlink_to(root / "a")
    elif kind == "one file twice":
        os.link(root / "a" / "one.txt", root / "b" / "again.txt")
    elif kind == "a file named":
        paths = [str(root / "three.txt")]
    else:
        paths = [str(root), str(root / "a")]
    with pytest.raises(NotPlainFolders):
        _changed_in_plain_folders(paths, _stored(known), None)
    assert changed_files(paths, _stored(known)) == _changed_by_discovery(paths, known, None)


def test_the_lean_walk_leaves_out_what_discover_skips(tmp_path: Path) -> None:
    """A FIFO, a link to nothing and an unreadable folder give nothing to read, as in
    discover's walk; a hidden folder is not entered; the rest is compared."""
    root, known = _plain_tree(tmp_path)
    os.mkfifo(root / "pipe.txt")
    (root / "dangling.txt").symlink_to(root / "nowhere.txt")
    (root / ".hidden").mkdir()
    (root / ".hidden" / "secret.txt").write_text("x", encoding="utf-8")
    (root / "linked.md").symlink_to(root / "a" / "one.txt")  # one file twice, via a link
    locked = root / "locked"
    locked.mkdir()
    (locked / "in.txt").write_text("x", encoding="utf-8")
    locked.chmod(0)
    try:
        paths = [str(root)]
        with pytest.raises(NotPlainFolders):  # the linked file: discover keeps one name
            _changed_in_plain_folders(paths, _stored(known), None)
        (root / "linked.md").unlink()
        lean = _changed_in_plain_folders(paths, _stored(known), None)
        assert lean == _changed_by_discovery(paths, known, None)
        # Only root reads a folder with no permissions: its file is then new.
        expected = [str(locked / "in.txt")] if os.geteuid() == 0 else []
        assert lean.to_read == expected and lean.gone == []
    finally:
        locked.chmod(0o755)


def test_the_lean_walk_pauses_as_it_goes(tmp_path: Path) -> None:
    """The reader's check lets the keys go first every 512 files, as discover's did."""
    root = tmp_path / "corpus"
    _make(root, [([], f"{number:04}.txt") for number in range(1100)])
    pauses = []
    _changed_in_plain_folders([str(root)], _stored({}), lambda: pauses.append(1))
    assert len(pauses) == 2


def test_shared_walks_are_put_back_in_discovers_order() -> None:
    """Two walks that stat a share each: their files are read in discover's order,
    folder by folder, whichever walk found them; a folder only the second walk saw
    (made between the two) goes last. Files gone come in the order of their keys."""
    first = _Compared(["c", "c/a", "c/b"], [("c/b", ["x.txt"])], [b"/c/z.txt"], array("Q", [1]))
    second = _Compared(
        ["c", "c/a", "c/b", "c/new"],
        [("c/new", ["n.txt"]), ("c/a", ["z.txt", "y.txt"])],
        [b"/c/b/gone.txt", b"/c/a.txt"],
        array("Q", [2, 3, 4]),
    )
    combined = _combined([first, second])
    assert combined.to_read == ["c/a/y.txt", "c/a/z.txt", "c/b/x.txt", "c/new/n.txt"]
    assert combined.gone == ["/c/a.txt", "/c/b/gone.txt", "/c/z.txt"]
    with pytest.raises(NotPlainFolders):  # one file under two names, one in each share
        _combined([first, _Compared(["c"], [], [], array("Q", [1]))])


def test_files_stored_in_folders_gone_are_gone(tmp_path: Path) -> None:
    """A folder removed whole is not walked: its stored files are gone all the same,
    found once whichever walks share the files out; so are files stored in a folder
    walked but no longer there."""
    root, known = _plain_tree(tmp_path)
    for name in ("one.txt", "two.txt", "three.txt"):
        (root / "b" / name).write_text(f"{name}\n", encoding="utf-8")
    known = _identities([str(root)])
    for path in sorted((root / "b").iterdir()):
        path.unlink()
    (root / "b").rmdir()
    (root / "a" / "one.txt").unlink()
    paths = [str(root)]
    expected = _changed_by_discovery(paths, known, None)
    assert len(expected.gone) == 5 and expected.to_read == []
    stored = _stored(known)
    assert _changed_in_plain_folders(paths, stored, None) == expected
    halves = [_compare_plain(paths, stored, None, (half, 2)) for half in (0, 1)]
    assert _combined(halves) == expected


def _settled(root: Path) -> None:
    """Every folder under *root* (and *root*) modified long ago: a record of them is
    then trusted (a folder changed in the last two seconds is listed again)."""
    for folder in [root, *(path for path in root.rglob("*") if path.is_dir())]:
        os.utime(folder, (OLD, OLD))


OLD = 1_577_836_800


def _recorded(paths: list[str], known: dict[bytes, tuple[int, int, int]]) -> StoredFiles:
    """A store holding *known* and the record of the folders a full check just
    listed."""
    stored = _stored(known)
    full = _changed_in_plain_folders(paths, stored, None)
    assert full.folders and all(mtime > 0 for mtime in full.folders.values())
    stored._connection.executemany("INSERT INTO folders VALUES (?, ?)", full.folders.items())
    return stored


structural = st.lists(
    st.tuples(
        st.sampled_from(["add", "remove", "rename", "mkdir", "rmdir", "grow"]),
        st.integers(0, 99),
    ),
    max_size=6,
)


@settings(max_examples=60, deadline=None)
@given(layout=tree, edits=structural)
def test_the_quick_check_finds_what_the_full_check_does_when_names_change(
    layout: list[tuple[list[str], str | None]], edits: list[tuple[str, int]]
) -> None:
    """Files added, removed or renamed, folders made or removed whole: each changes
    a folder's mtime, and the quick check, which lists only those folders, gives the
    full check's answer. A file grown in place is the one thing it does not see."""
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary) / "corpus"
        root.mkdir()
        made = _make(root, layout)
        _settled(root)
        paths = [str(root)]
        known = _identities(paths)
        stored = _recorded(paths, known)
        grown: set[str] = set()
        for action, pick in edits:
            target = made[pick % len(made)]
            if action == "mkdir" and target.parent.exists():
                (target.parent / f"new-{pick}").mkdir(exist_ok=True)
                (target.parent / f"new-{pick}" / "in.txt").write_text("In\n", encoding="utf-8")
                continue
            if action == "mkdir":
                continue
            if action == "rmdir" and target.parent != root and target.parent.exists():
                shutil.rmtree(target.parent)
                continue
            if not target.exists():
                continue
            if action == "add":
                (target.parent / f"added-{pick}.txt").write_text("New\n", encoding="utf-8")
            elif action == "remove":
                target.unlink()
            elif action == "rename":
                target.rename(target.parent / f"renamed-{pick}.txt")
            elif action == "grow":
                with open(target, "ab") as stream:
                    stream.write(b"More.\n")
                grown.add(str(target))
        full = _changed_in_plain_folders(paths, stored, None)
        quick = quick_changed_files(paths, stored)
        assert quick is not None
        assert quick.gone == full.gone
        # Files grown in place in a folder whose names did not change go unseen.
        unseen = [path for path in full.to_read if path not in quick.to_read]
        assert set(unseen) <= grown
        assert [path for path in full.to_read if path not in unseen] == quick.to_read
        assert quick.folders == full.folders


def test_the_quick_check_lists_only_the_folders_whose_mtime_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.corpus import session

    root = tmp_path / "corpus"
    _make(root, [([name], f"{name}.txt") for name in "abcdefgh"] + [([], "top.txt")])
    _settled(root)
    paths = [str(root)]
    stored = _recorded(paths, _identities(paths))
    listed: list[str] = []
    real = session.list_plain_folder

    def counted(folder: str, *args: object, **kwargs: object) -> object:
        listed.append(folder)
        return real(folder, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(session, "list_plain_folder", counted)
    unchanged = quick_changed_files(paths, stored)
    assert unchanged is not None and (unchanged.to_read, unchanged.gone, listed) == ([], [], [])
    (root / "c" / "new.txt").write_text("New\n", encoding="utf-8")
    found = quick_changed_files(paths, stored)
    assert found is not None and found.to_read == [str(root / "c" / "new.txt")]
    assert listed == [str(root / "c")]
    # The folder just changed is too recent to trust: recorded as such (-1).
    assert found.folders[os.fsencode(root / "c") + b"/"] == -1


def test_the_quick_check_steps_aside_without_a_record(tmp_path: Path) -> None:
    """No record of the folders (a store just written by a load, or one of an older
    version), or a record that does not cover a path asked for: the full check."""
    root, known = _plain_tree(tmp_path)
    _settled(root)
    paths = [str(root)]
    assert quick_changed_files(paths, _stored(known)) is None
    stored = _recorded([str(root / "a")], known)
    assert quick_changed_files(paths, stored) is None
    assert quick_changed_files([str(root / "a")], stored) is not None


def test_files_left_in_a_folder_the_record_never_had_are_gone(tmp_path: Path) -> None:
    """The reader, following the folder live, stores files of a folder made after the
    record; the folder goes while no reader runs. Its parent's mtime changed: the
    quick check lists it, and every stored file under the folder gone is gone."""
    root, known = _plain_tree(tmp_path)
    _settled(root)
    paths = [str(root)]
    stored = _recorded(paths, known)
    late = root / "a" / "late"
    late.mkdir()
    (late / "deep").mkdir()
    (late / "deep" / "x.txt").write_text("x\n", encoding="utf-8")
    stored._connection.executemany(
        "INSERT INTO files(path, size, mtime_ns, inode) VALUES (?, ?, ?, ?)",
        [(key, *identity) for key, identity in _identities(paths).items() if key not in known],
    )
    (late / "deep" / "x.txt").unlink()
    (late / "deep").rmdir()
    late.rmdir()
    quick = quick_changed_files(paths, stored)
    assert quick is not None and quick.gone == [str(late / "deep" / "x.txt")]
    # The folders above a file gone are unsettled: a session that writes no change
    # must have them listed again.
    assert os.fsencode(root / "a") + b"/" in quick.unsettled
