"""One collection opened: what the reader and the command line share.

:class:`CorpusSession` owns the corpus, its search index, the store, the loading and
the following of the folder, behind a small API (``open_store``, ``reopen``, ``load``,
``check_folder``, ``apply``, ``search``, ``rows``, ``article``, ``follow``). The
reader's threads call it and post what it reports as messages: plain data (serials,
counts, skipped files, rounds of changes), never the lists it keeps. The functions
below it are its parts: opening the store, re-opening from it (:func:`reopen`),
comparing the folder with it (:func:`changed_files`), applying a round of changes
(:func:`apply_changes`) and writing it in the background (:class:`StoreWriter`).
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import marshal
import os
import queue
import signal
import sys
import threading
import time
from array import array
from collections.abc import Callable, Collection, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from .facets import Facet, FacetIndex
from .files import (
    ListedFolder,
    NotPlainFolders,
    Skipped,
    discover_with_status,
    list_plain_folder,
    plain_folders,
    plain_root,
)
from .index import (
    BackgroundIndexer,
    IndexText,
    Matches,
    SearchIndex,
    candidate_expression,
    prepare,
    relevance_columns,
    relevance_row,
)
from .loader import LoadBatch, collector_paused, release_free_memory
from .model import STORE_ROW_MASK, Article, Corpus, Removal, SortOrder, corpus_name
from .relevance import ROUND, Ranking, RelevanceTable, rank, ranking_expression
from .safe import neutralise_line
from .store import (
    RECENT_NS,
    Store,
    StoredFiles,
    StoreError,
    StoreNotReady,
    _Speller,
    _spelt,
    open_stored_files,
    store_path,
    store_ready,
)
from .watch import FolderChanges, cache_directory

if TYPE_CHECKING:
    from .query import Query, StateView
    from .watch import FolderWatcher

_V = TypeVar("_V")


class Report(Protocol):
    """How a session reports a load: serials added, files skipped, files read, done;
    *answers*: the articles are what a search asked for (a re-open's), to be shown at
    once."""

    def __call__(
        self,
        added: list[int],
        skipped: list[Skipped],
        read: int,
        done: bool,
        /,
        *,
        answers: bool = False,
    ) -> None: ...


BATCH_SECONDS = 0.08
"""The shortest gap between two reports while loading (it grows with the corpus)."""

LOADING_SWITCH_INTERVAL = 0.001

MOST_ROWS = 0.5
"""A query whose candidates are more than this share of the store reads every row:
that costs little more (41,000 rows of 100,000 asked by number took 0.045 s, all
100,000 in table order 0.075 s), and a full read brings the store up to date with
the folder (a partial one cannot: see :attr:`CorpusSession.partial`)."""

CHANGES_STOP_SECONDS = 0.5
"""How long closing waits for a round of changes being written to the store."""

HEAD_START_NS = 5_000_000_000
"""Files may have been read this long before a session is made (the reader's head
start child begins before it): a margin for the store's "read after modified" rule."""


def open_store(
    paths: Sequence[str], *, infer: bool, rebuild: bool = False
) -> tuple[Store | None, str | None]:
    """The collection's store, or None and a one-line warning saying why not."""
    try:
        return Store.open(paths, infer=infer, cache_dir=cache_directory(), rebuild=rebuild), None
    except StoreError as error:
        return None, f"store not used, running from memory: {error}"


def finish(steps: Generator[None, None, _V]) -> _V:
    """Run *steps* to its end; what it returns."""
    while True:
        try:
            next(steps)
        except StopIteration as finished:
            done: _V = finished.value
            return done


def reopen_in_steps(
    store: Store,
    corpus: Corpus,
    index: SearchIndex,
    *,
    skip: Iterable[str] = (),
    on_batch: Callable[[list[Article], int, bool], None] | None = None,
    only: Collection[int] | None = None,
    keep_titles: bool = False,
) -> Generator[None, None, list[Skipped]]:
    """Put the store's articles in *corpus* and *index* (no file is read), a step a
    batch (run it with :func:`finish`); it returns the files the store knows were
    skipped. *on_batch* is called with each batch added (the first is the top of the
    list), the rows read so far and whether the batch is the rows a search asked for
    (:meth:`SearchIndex.take_unread_hits`), and every few thousand rows meanwhile (with
    no articles); the steps stop after each call. *only*: the store rows to read, no
    other. *keep_titles*: see :meth:`Store.read`."""
    tables = store.search_tables()
    added: list[Article] = []
    batches = store.read(
        skip=skip, wanted=index.take_unread_hits, only=only, keep_titles=keep_titles
    )
    for batch in batches:
        if not batch.articles:
            if on_batch is not None:
                on_batch([], batch.read, False)
                yield
            continue
        new = corpus.add(batch.articles, in_order=batch.in_order)
        if len(new) != len(batch.articles):  # a text held twice (not written so): skip
            kept = {id(article) for article in new}
            chosen = [
                (article, plain, row)
                for article, plain, row in zip(
                    batch.articles, batch.plains, batch.rows, strict=True
                )
                if id(article) in kept
            ]
            plains = [plain for _, plain, _ in chosen]
            rows: Sequence[int] = [row for _, _, row in chosen]
        else:
            plains, rows = batch.plains, batch.rows
        index.register_stored(tables, new, plains, rows)
        added += new
        if on_batch is not None:
            on_batch(new, batch.read, batch.asked)
            yield
    repeats, skipped = store.extra_files()
    # The files that repeat an article are the store's files table, not the record
    # (written when the article was, and spelt from the working folder of then).
    for held in added:
        if held.duplicates:
            held.duplicates = ()
    read = len(corpus.by_serial) - len(added)  # serials below were not read here
    for row, path in repeats:
        serial = index.serial_of_stored_row(row)
        if serial >= read:
            repeated = corpus.by_serial[serial]
            corpus.add_duplicate_file(path, repeated)
            repeated.duplicates += (neutralise_line(path),)
    corpus.skipped.extend(skipped)
    return skipped


def skipped_after(skipped: Iterable[Skipped], changes: FolderChanges) -> list[Skipped]:
    """*skipped* as one round of *changes* leaves it: files gone (or under a folder
    gone) and files read again are out, and those the round skipped are in. Paths
    are compared as shown (:class:`Skipped` holds them neutralised)."""
    if not changes:
        return list(skipped)
    gone = {neutralise_line(path) for path in changes.gone}
    gone.update(neutralise_line(path) for path, _, _ in changes.read)
    folders = tuple(neutralise_line(f.rstrip(os.sep) + os.sep) for f in changes.gone_folders)
    kept = [
        item
        for item in skipped
        if item.path not in gone and not (folders and item.path.startswith(folders))
    ]
    kept += (item for _, item, _ in changes.read if isinstance(item, Skipped))
    return kept


@dataclass(slots=True)
class FolderDifference:
    """What changed in the folder since the store was written."""

    to_read: list[str]
    """New or changed files, spelt as the loader spells them."""
    gone: list[str]
    """Files the store knows that are no longer there, spelt as the corpus spells them."""
    folders: dict[bytes, int] = field(default_factory=dict, compare=False)
    """Every folder of the collection (its key, ending in the separator) with its
    mtime when it was listed (-1: too recent to trust), for the store to record once
    the difference is in it (:meth:`CorpusSession.check_folder`'s last round carries
    it, and :meth:`CorpusSession.apply` has it written after the rounds): the next check
    lists only the folders whose mtime is not the one recorded. Empty when the walk
    could not tell them (discover's)."""
    unsettled: set[bytes] = field(default_factory=set, compare=False)
    """Keys of the folders with a file to read or gone: a session that writes no
    change (:attr:`CorpusSession.partial`) must not record them as settled."""


def changed_files(
    paths: Sequence[str],
    stored: StoredFiles,
    pause: Callable[[], None] | None = None,
) -> FolderDifference:
    """Walk the folders (the walk stats every file anyway): new and changed files, and
    files gone. By :func:`plain_folders` where it serves, a folder at a time: 0.39
    against 0.57 s at 100k, the store's side read included (the command line waits for
    it); else by discover's walk, with every stored file's identity at once."""
    try:
        return _changed_in_plain_folders(paths, stored, pause)
    except NotPlainFolders:
        return _changed_by_discovery(paths, stored.everything(), pause)


def _changed_in_plain_folders(
    paths: Sequence[str], stored: StoredFiles, pause: Callable[[], None] | None
) -> FolderDifference:
    """:func:`changed_files` by :func:`plain_folders`: the same answer, in the same
    order (:func:`_changed_by_discovery`'s; a test holds the two together)."""
    return _combined([_compare_plain(paths, stored, pause)])


@dataclass(slots=True)
class _Compared:
    """A walk's part of :func:`changed_files`' answer (:func:`_compare_plain`)."""

    folders: list[str]
    """Every folder walked, in discover's order."""
    changed: list[tuple[str, list[str]]]
    """Each folder with files new or changed, and their names."""
    gone: list[bytes]
    """The keys of stored files gone."""
    inodes: array[int]
    """Of every file found (one file under two names shows as one inode twice)."""
    mtimes: dict[bytes, int] = field(default_factory=dict)
    """Each folder's key and its mtime when listed (see :attr:`FolderDifference.folders`)."""


def _compare_plain(
    paths: Sequence[str],
    stored: StoredFiles,
    pause: Callable[[], None] | None,
    share: tuple[int, int] | None = None,
) -> _Compared:
    """Compare the files of *paths*, or a *share* of them (:func:`plain_folders`),
    with the *stored* ones, a folder at a time. Stored files in no folder walked are
    gone: the first share finds them."""
    compared = _Compared([], [], [], array("Q"))
    spell = _Speller()
    stored_here = 0
    listed_at = time.time_ns()
    for listed in plain_folders(paths, pause, share):
        # The key of a name in this folder, less the name.
        prefix = spell(os.path.join(listed.path, "x"))[:-1]
        stored_here += _compare_folder(compared, listed, prefix, stored, share, listed_at)
    if (share is None or share[0] == 0) and stored_here < stored.count():
        compared.gone += stored.outside(compared.mtimes.keys())
    return compared


def _compare_folder(
    compared: _Compared,
    listed: ListedFolder,
    prefix: bytes,
    stored: StoredFiles,
    share: tuple[int, int] | None,
    listed_at: int,
) -> int:
    """Add one folder's part to *compared*: its files new, changed and gone, its
    mtime. Returns how many files the store holds in it."""
    compared.folders.append(listed.path)
    # Too recent a change may share its mtime with one still to come.
    recent = listed.mtime_ns >= listed_at - RECENT_NS
    compared.mtimes[prefix] = -1 if recent else listed.mtime_ns
    known = stored.in_folder(prefix)
    changed: list[str] = []
    seen: list[bytes] = []
    new = 0
    encoding = sys.getfilesystemencoding()
    for name, status in listed.files:
        raw = name.encode(encoding, "surrogateescape")
        seen.append(raw)
        compared.inodes.append(status.st_ino)
        identity = known.get(raw)
        if identity != (status.st_size, status.st_mtime_ns, status.st_ino):
            changed.append(name)  # new, changed, or read too near a change to trust
            new += identity is None
    if changed:
        compared.changed.append((listed.path, changed))
    if len(known) > len(seen) - new:  # some stored file here was not found
        unseen = known.keys() - seen
        if share is not None:  # the other share's files are not gone: unstatted
            unseen = {raw for raw in unseen if hash(os.fsdecode(raw)) % share[1] == share[0]}
        compared.gone += [prefix + raw for raw in unseen]
    return len(known)


def quick_changed_files(paths: Sequence[str], stored: StoredFiles) -> FolderDifference | None:
    """:func:`changed_files` the cheap way, as notmuch does: only the folders whose
    mtime is not the one the store recorded are listed (a file added, removed or
    renamed changes its folder's mtime); the others are taken to hold what the store
    says. 111 stats instead of 100,000 at 100k. A file rewritten in place keeps its
    folder's mtime and is not seen: the caller stats the files it answers with (see
    :meth:`CorpusSession.quick_difference`), and the full check finds the rest.
    None when the store has no record of these folders (or one is not plain): the
    full check, which makes the record."""
    recorded = stored.folders()
    if not recorded:
        return None
    subfolders: dict[bytes, list[bytes]] = {}
    for key in recorded:
        parent = key[: key.rfind(b"/", 0, len(key) - 1) + 1]
        subfolders.setdefault(parent, []).append(key[len(parent) : -1])
    spell = _Speller()
    compared = _Compared([], [], [], array("Q"))
    seen_dirs: set[tuple[int, int]] = set()
    listed_at = time.time_ns()
    for given in paths:
        stack = [plain_root(given)]
        if spell(os.path.join(stack[0], "x"))[:-1] not in recorded:
            return None  # a path the record does not cover
        while stack:
            folder = stack.pop()
            prefix = spell(os.path.join(folder, "x"))[:-1]
            was = recorded.get(prefix, -1)
            try:
                status = os.stat(folder)
            except OSError:
                status = None
            if was >= 0 and status is not None and status.st_mtime_ns == was:
                if (status.st_dev, status.st_ino) in seen_dirs:
                    raise NotPlainFolders(folder)
                seen_dirs.add((status.st_dev, status.st_ino))
                compared.folders.append(folder)
                compared.mtimes[prefix] = was
                names = [os.fsdecode(name) for name in subfolders.get(prefix, ())]
            else:
                listed = list_plain_folder(folder, seen_dirs)
                if listed is None:  # gone or unreadable: whatever the store had in it
                    compared.gone += stored.under(prefix)
                    continue
                _compare_folder(compared, listed, prefix, stored, None, listed_at)
                names = listed.subfolders
                # A folder gone from it since the record (or never recorded: one the
                # reader followed live) leaves stored files under it.
                for name in stored.subfolder_names(prefix).difference(names):
                    compared.gone += stored.under(prefix + os.fsencode(name) + b"/")
            stack.extend(os.path.join(folder, name) for name in sorted(names, reverse=True))
    return _combined([compared])


def _combined(parts: Sequence[_Compared]) -> FolderDifference:
    """The answer of walks that shared the files out (:func:`_compare_plain`)."""
    inodes = [inode for part in parts for inode in part.inodes]
    if len(set(inodes)) < len(inodes):
        raise NotPlainFolders("a file under two names")  # discover keeps its first name
    by_folder: dict[str, list[str]] = {}
    for part in parts:
        for folder, names in part.changed:
            by_folder.setdefault(folder, []).extend(names)
    # Discover lists folders in its order, a folder's files in name order, and the
    # loader reads them so. (A folder made between two walks goes last.)
    order = {folder: number for number, folder in enumerate(parts[0].folders)}
    to_read = [
        os.path.join(folder, name)
        for folder in sorted(by_folder, key=lambda folder: order.get(folder, len(order)))
        for name in sorted(by_folder[folder])
    ]
    gone = [key for part in parts for key in part.gone]
    # The folders holding a change, keyed as the store keys them; for a file gone,
    # every folder above it too: it may have gone with a folder, which its parent's
    # listing alone shows.
    unsettled: set[bytes] = set()
    for key in gone:
        end = key.rfind(b"/")
        while end >= 0 and key[: end + 1] not in unsettled:
            unsettled.add(key[: end + 1])
            end = key.rfind(b"/", 0, end)
    spell = _Speller()
    unsettled.update(spell(os.path.join(folder, "x"))[:-1] for folder in by_folder)
    return FolderDifference(to_read, _gone_spelt(gone), dict(parts[0].mtimes), unsettled)


def _gone_spelt(keys: Iterable[bytes]) -> list[str]:
    """The files gone, in the order of their keys, spelt as the corpus spells them."""
    return [_spelt(os.fsdecode(key)) for key in sorted(keys)]


def _changed_by_discovery(
    paths: Sequence[str],
    known: dict[bytes, tuple[int, int, int]],
    pause: Callable[[], None] | None,
) -> FolderDifference:
    """:func:`changed_files` by discover's walk, which handles every folder."""
    to_read: list[str] = []
    seen: set[bytes] = set()
    spell = _Speller()
    # Spelt once per folder, not per file (0.07 s at 100k): a file's name has no "."
    # or ".." part for the folder's spelling to need normalising again.
    folders: dict[str, bytes] = {}
    encoding = sys.getfilesystemencoding()
    for number, found in enumerate(discover_with_status(paths)):
        if isinstance(found, Skipped):
            continue
        if pause is not None and number % 512 == 0:
            pause()
        path, status = found
        folder, separator, name = path.rpartition(os.sep)
        prefix = folders.get(folder) if separator else None
        if prefix is None:
            key = spell(path)
            if separator:
                folders[folder] = key[: len(key) - len(name.encode(encoding, "surrogateescape"))]
        else:
            key = prefix + name.encode(encoding, "surrogateescape")
        seen.add(key)
        if known.get(key) != (status.st_size, status.st_mtime_ns, status.st_ino):
            to_read.append(path)  # new, changed, or read too near a change to trust
    return FolderDifference(to_read, _gone_spelt(key for key in known if key not in seen))


class FolderCheck:
    """:func:`changed_files` in a child process, begun before the store is read, so
    that the command line reads the store meanwhile. The walk stats every file (0.36 s
    at 100k, most of a rare word's time); in a thread it fought the store's reading for
    the GIL, and both went slower. The child shares the files out with a grandchild
    of its own (:func:`_check_in_halves`): the command line has two cores, and most of
    a rare word's time the parent only waits."""

    def __init__(self, child: _Child) -> None:
        self._child = child

    @classmethod
    def start(cls, paths: Sequence[str], *, infer: bool) -> FolderCheck | None:
        """Fork the child; call it before any thread starts (None: no fork here, or
        threads running already, and the caller compares by itself)."""
        if not hasattr(os, "fork") or threading.active_count() > 1:
            return None
        store_file = store_path(paths, infer=infer, cache_dir=cache_directory())

        def check() -> tuple[list[str], list[str], dict[bytes, int], set[bytes]] | None:
            found = _check_in_halves(paths, store_file)
            if found is None:
                return None
            return (found.to_read, found.gone, found.folders, found.unsettled)

        return cls(_Child.fork(check, group=True))

    def result(self) -> FolderDifference | None:
        """The child's answer (waiting for it); None when it had none."""
        answer = self._child.result()
        if not isinstance(answer, tuple):
            return None  # the store was not complete, or the child failed
        to_read, gone, folders, unsettled = answer
        return FolderDifference(list(to_read), list(gone), dict(folders), set(unsettled))

    def cancel(self) -> None:
        """Stop the child, if still running (the store was not re-opened after all)."""
        self._child.cancel()


def _check_in_halves(paths: Sequence[str], store_file: str) -> FolderDifference | None:
    """:func:`changed_files` for :class:`FolderCheck`'s child, the files shared out
    with a grandchild: the command line's rare word at 100k took 0.55 s with one
    walk, 0.46 s with two. None when the store at *store_file* is not complete."""

    def other_half() -> tuple[list[str], list[tuple[str, list[str]]], list[bytes], bytes] | None:
        with open_stored_files(store_file) as stored:
            if stored is None:
                return None
            part = _compare_plain(paths, stored, None, (1, 2))
        return (part.folders, part.changed, part.gone, part.inodes.tobytes())

    other = _Child.fork(other_half)
    try:
        with open_stored_files(store_file) as stored:
            return None if stored is None else _with_other_half(paths, stored, other)
    finally:
        other.cancel()


def _with_other_half(paths: Sequence[str], stored: StoredFiles, other: _Child) -> FolderDifference:
    """This half's comparison combined with the grandchild's answer (*other*)."""
    try:
        mine = _compare_plain(paths, stored, None, (0, 2))
        theirs = other.result()
        if not isinstance(theirs, tuple):
            return changed_files(paths, stored)  # the grandchild failed: alone, then
        folders, changed, gone, inodes = theirs
        return _combined([mine, _Compared(folders, changed, gone, array("Q", inodes))])
    except NotPlainFolders:
        return _changed_by_discovery(paths, stored.everything(), None)


class _Child:
    """A forked process whose work's answer (anything marshal writes) comes back
    through a pipe."""

    def __init__(self, pid: int, reader: int, group: bool) -> None:
        self._pid: int | None = pid
        self._reader: int | None = reader
        self._group = group

    @classmethod
    def fork(cls, work: Callable[[], Any], *, group: bool = False) -> _Child:
        """Run *work* in a child; None from it is no answer. *group*: the child leads
        a process group of its own, so that cancelling it stops the children it forks
        too (theirs do not lead one)."""
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:
            status = 1
            try:
                if group:
                    os.setpgid(0, 0)
                # A short life that makes no cycles: collections would walk the parent's
                # heap too (the walk took 0.46 s with them, 0.39 s without, at 100k).
                gc.disable()
                os.close(reader)
                answer = work()
                if answer is not None:
                    with open(writer, "wb") as stream:
                        stream.write(marshal.dumps(answer))
                    status = 0
            finally:
                os._exit(status)  # no cleanup of the parent's: its buffers, its atexit
        os.close(writer)
        if group:
            with contextlib.suppress(OSError):
                os.setpgid(pid, pid)  # as the child does: whichever runs first
        return cls(pid, reader, group)

    def result(self) -> object | None:
        """The child's answer (waiting for it); None when it gave none."""
        if self._reader is None:
            return None
        try:
            with open(self._reader, "rb") as stream:
                data = stream.read()
        finally:
            self._reader = None
            self._reap()
        try:
            return marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            return None

    def cancel(self) -> None:
        """Stop the child and its own children, if still running."""
        if self._pid is not None:
            with contextlib.suppress(OSError):
                (os.killpg if self._group else os.kill)(self._pid, signal.SIGKILL)
        if self._reader is not None:
            os.close(self._reader)
            self._reader = None
        self._reap()

    def _reap(self) -> None:
        if self._pid is not None:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self._pid, 0)
            self._pid = None


@dataclass(slots=True)
class StoreChange:
    """One round of changes for the store to take (see :meth:`Store.apply`)."""

    added: list[tuple[Article, IndexText | None]]
    removed: list[Article]
    files: list[tuple[str, Article | None, str | None]]
    gone: list[str]
    read_at_ns: int


@dataclass(slots=True)
class StoreConfirm:
    """Files a partial session read again, each with the key of the text it gave (see
    :meth:`Store.confirm_unchanged`)."""

    read: list[tuple[str, str]]
    read_at_ns: int


@dataclass(slots=True)
class StoreFolders:
    """The record of the folders a check listed (see :meth:`Store.record_folders`):
    put after the rounds of changes it found, so that it is written after them."""

    folders: dict[bytes, int]


@dataclass(slots=True)
class StoreBatch:
    """Articles just loaded, for the store to write as the load goes on."""

    articles: list[Article]
    texts: list[IndexText]
    """Their index texts: the store keeps whether each body is plain, and the word
    form of one that is not."""


@dataclass(slots=True)
class StoreSnapshot:
    """The end of a full load (see :meth:`Store.write_snapshot`)."""

    articles: list[Article]
    shard_of: list[int]
    duplicates: list[tuple[str, Article]]
    skipped: list[tuple[str, str]]
    read_at_ns: int


def snapshot_of(
    store: Store, corpus: Corpus, index: SearchIndex, read_at_ns: int
) -> StoreSnapshot | None:
    """What the store needs at the end of a full load, taken at once: the memory
    index's pages are copied beside the store now (:meth:`Store.stage_index`), the
    lists as they are. None when the index is not all in FTS5."""
    if corpus.removed or not store.stage_index(index):
        return None
    articles = list(corpus.by_serial)
    return StoreSnapshot(
        articles,
        [index.shard_of(article.serial) for article in articles],
        corpus.duplicate_files(),
        [(item.path, item.reason) for item in corpus.skipped],
        read_at_ns,
    )


def write_snapshot(store: Store, snapshot: StoreSnapshot) -> None:
    store.write_snapshot(
        snapshot.articles,
        snapshot.shard_of,
        snapshot.duplicates,
        snapshot.skipped,
        snapshot.read_at_ns,
    )


RELEASE_EVERY = 4096
"""Bodies written and let go between two returns of freed memory to the system."""


class StoreWriter:
    """Writes to the store on a thread of its own, in the order asked: the reader
    never waits for the disk. A failure is reported once (*on_error*) and the writer
    stops writing; the store is left as its last transaction left it."""

    def __init__(
        self,
        store: Store,
        on_error: Callable[[str], None],
        rest_left: Callable[[], float] | None = None,
    ) -> None:
        self.store = store
        self.on_error = on_error
        self.rest_left = rest_left if rest_left is not None else _no_rest
        """Seconds until the user has stopped long enough for a round of relevance
        filling (the reader's keys go first)."""
        self._relevance_due = True
        """The relevance table may lack articles: filled, a round at a time, whenever
        nothing else is asked (see :meth:`Store.fill_relevance`)…"""
        self._relevance_allowed = False
        """… once the reader has what it needs (:meth:`fill_relevance_when_idle`): not
        while a load or a re-open still competes for the cores."""
        self._jobs: queue.Queue[
            StoreBatch | StoreSnapshot | StoreChange | StoreConfirm | StoreFolders | _Wake | None
        ]
        self._jobs = queue.Queue()
        self._failed = False
        self._load_jobs = 0
        """A first load's writes not done yet: what quitting waits for (a round of
        changes cut short is found again by the next start's check)."""
        self._counting = threading.Lock()
        self._bodies_let_go = 0
        self._thread = threading.Thread(target=self._run, name="broadsheet-store", daemon=True)
        self._thread.start()

    def fill_relevance_when_idle(self) -> None:
        """Fill the relevance table whenever there is nothing else to write (the reader
        asks once its load has ended)."""
        self._relevance_allowed = True
        self._jobs.put(_WAKE)

    def put(
        self, job: StoreBatch | StoreSnapshot | StoreChange | StoreConfirm | StoreFolders
    ) -> None:
        if self._failed:
            if isinstance(job, StoreSnapshot):
                self.store.discard_staged()  # its copies of the index will not be used
            return
        if not isinstance(job, _CHANGES):
            with self._counting:
                self._load_jobs += 1
        self._jobs.put(job)

    @property
    def writing_load(self) -> bool:
        """A first load's articles or its end are still to be written."""
        return self._load_jobs > 0 and not self._failed

    def wait_for_load(self, poll: float = 0.05) -> None:
        """Until a first load's writes are done (or have failed)."""
        while self.writing_load and self._thread.is_alive():
            time.sleep(poll)

    def close(self, timeout: float | None = None) -> None:
        """Finish what was asked (up to *timeout* seconds), then stop."""
        self._jobs.put(None)
        self._thread.join(timeout)

    def idle(self) -> bool:
        return self._jobs.unfinished_tasks == 0

    def alive(self) -> bool:
        return self._thread.is_alive()

    def wait(self) -> None:
        """Until everything asked so far is written (tests)."""
        self._jobs.join()

    def _fill_relevance(self) -> None:
        """One round of the relevance table's filling, when nothing else waits."""
        try:
            self._relevance_due = self.store.fill_relevance(IDLE_ROUND) > 0
        except Exception as error:  # a full disk: the ranking makes do with what it has
            self._relevance_due = False
            self.on_error(f"the relevance index was not updated: {error}")

    def _let_go(self, bodies: int) -> None:
        """Give the memory of the bodies let go back to the system every
        :data:`RELEASE_EVERY` of them, not only at the end of the load: glibc keeps
        what is freed, and a load's peak held it (a first load of a million in one
        process peaked at 871 MB, 847 MB so; a trim took ~1.5 ms)."""
        self._bodies_let_go += bodies
        if self._bodies_let_go >= RELEASE_EVERY:
            self._bodies_let_go = 0
            release_free_memory()

    def _run(self) -> None:
        filling = False
        while True:
            if self._relevance_due and self._relevance_allowed and not self._failed:
                # Waiting on the queue, not asleep: a job (quitting too) comes first.
                # Idle for a moment before the first round; then round after round
                # while the user rests (a wait before each cost 0.2 s a round).
                wait = self.rest_left()
                if not filling:
                    wait = max(RELEVANCE_IDLE_SECONDS, wait)
                try:
                    job = self._jobs.get(timeout=wait) if wait > 0 else self._jobs.get_nowait()
                except queue.Empty:
                    filling = self.rest_left() <= 0
                    if filling:
                        self._fill_relevance()
                    continue
                filling = False
            else:
                job = self._jobs.get()
            if isinstance(job, StoreSnapshot | StoreChange):
                self._relevance_due = True  # new rows to rank, once it is written
            try:
                if job is None:
                    return
                if isinstance(job, _Wake):
                    continue
                if self._failed:
                    if isinstance(job, StoreSnapshot):
                        self.store.discard_staged()
                    continue
                try:
                    if isinstance(job, StoreBatch):
                        if self.store.write_batch(job.articles, job.texts):
                            serials = [article.serial for article in job.articles]
                            self.store.release_bodies(job.articles, serials)
                            self._let_go(len(serials))
                    elif isinstance(job, StoreSnapshot):
                        write_snapshot(self.store, job)
                        release_free_memory()  # every body of the load written, let go
                    elif isinstance(job, StoreConfirm):
                        self.store.confirm_unchanged(job.read, job.read_at_ns)
                    elif isinstance(job, StoreFolders):
                        self.store.record_folders(job.folders)
                    else:
                        added = self.store.apply(
                            job.added, job.removed, job.files, job.gone, job.read_at_ns
                        )
                        self.store.release_bodies(
                            [article for article, _ in job.added],
                            [added[article.serial] for article, _ in job.added],
                        )
                except Exception as error:  # a full disk, a lock held too long…
                    self._failed = True
                    with contextlib.suppress(Exception):
                        self.store.discard_staged()
                    self.on_error(f"the store was not updated: {error}")
            finally:
                if job is not None and not isinstance(job, _CHANGES | _Wake):
                    with self._counting:
                        self._load_jobs -= 1
                self._jobs.task_done()


_CHANGES = StoreChange | StoreConfirm | StoreFolders
"""The writer's jobs that are not a first load's: quitting does not wait for them (a
round cut short is found again by the next start's check)."""


class _Wake:
    """Asks the store's writer to look again at what it may do when idle."""


_WAKE = _Wake()

IDLE_ROUND = 16
"""Articles the writer gives the relevance table per round when idle: a few ms of
Python each, so a key pressed meanwhile shares the GIL with little (a round of 256
took the filter's p95 at 100k from 68 to 233 ms; 64, the re-open's from 55 to 75)."""

RELEVANCE_IDLE_SECONDS = 0.2
"""How long the store's writer waits for work before it fills the relevance table a
round further: a load's batches come more often than this, so it never slows one."""


@dataclass(slots=True)
class Applied:
    """What one round of folder changes did to the corpus."""

    new: list[Article]
    """Articles added (staged in the index, searchable at once)."""
    removal: Removal
    store: StoreChange
    """The same round for the store."""


def apply_changes(corpus: Corpus, index: SearchIndex | None, changes: FolderChanges) -> Applied:
    """Bring *corpus* and *index* up to date with one round of files read and gone.

    A file read again that gives the same text changes nothing; a changed one takes
    its old article out and adds the new; one that is now skipped (emptied, half
    written) is gone for now. New articles are staged in *index* (searchable by
    scanning until :meth:`SearchIndex.index_staged` moves them into FTS5).
    """
    gone = list(changes.gone)
    fresh: list[Article] = []
    texts: dict[int, IndexText | None] = {}
    files: list[tuple[str, Article | None, str | None]] = []
    for path, item, text in changes.read:
        old = corpus.at_path(path)
        if isinstance(item, Skipped):
            files.append((path, None, item.reason))
            if old is not None:
                gone.append(path)
            continue
        if old is not None:
            if old.key == item.key and _reading(old) == _reading(item):
                files.append((path, old, None))  # touched, or read by the loader already
                continue
            # Another text, or the same text with another date, author, tags… (the key
            # is the title and text's: a new date line alone was kept out, for good).
            gone.append(path)
        fresh.append(item)
        texts[id(item)] = text
    removal = corpus.remove(gone, changes.gone_folders)
    if corpus.skipped or any(isinstance(item, Skipped) for _, item, _ in changes.read):
        corpus.skipped[:] = skipped_after(corpus.skipped, changes)
    new = corpus.add(fresh)
    prepared = [texts[id(article)] or prepare(article) for article in new]
    if new and index is not None and len(index) == new[0].serial:
        index.stage(new, prepared)
    for article in fresh:
        files.append((article.file_path, corpus.at_path(article.file_path), None))
    return Applied(
        new,
        removal,
        StoreChange(
            list(zip(new, prepared, strict=True)),
            list(removal.articles),
            files,
            list(changes.gone),
            changes.read_at_ns or time.time_ns(),
        ),
    )


_reading = attrgetter(
    "title_source", "date", "date_text", "date_line", "date_origin", "source", "author",
    "url", "tags", "warnings", "years_named", "not_before", "markup", "body_line",
    "encoding", "words",
)
"""What reading a file gives besides its title and text (its :attr:`Article.key`)."""


@contextlib.contextmanager
def ui_thread_favoured() -> Iterator[None]:
    """Hand the GIL over more often while the corpus loads.

    The loading thread runs long stretches of Python (merging batches, staging them for
    the index) and by default keeps the GIL for 5 ms at a time whenever the UI thread
    asks for it: a key pressed during a load waited that long, several times per
    frame. At 1 ms the UI thread gets in promptly; the loader loses a little (more
    switches). The default comes back when loading ends.
    """
    previous = sys.getswitchinterval()
    sys.setswitchinterval(min(previous, LOADING_SWITCH_INTERVAL))
    try:
        yield
    finally:
        sys.setswitchinterval(previous)


class CorpusSession:
    """A collection opened: its corpus, search index, store, loader and watcher.

    Its methods run on whichever thread calls them (the reader's workers, or the
    command line's one thread); what they report is plain data.
    """

    def __init__(
        self,
        paths: Sequence[str],
        *,
        infer: bool = True,
        cache: bool = True,
        rebuild: bool = False,
        pause: Callable[[], None] | None = None,
        rest_left: Callable[[], float] | None = None,
        store_ready: bool | None = None,
        keep_titles: bool = False,
    ) -> None:
        self.paths = list(paths)
        self.keep_titles = keep_titles
        """A re-open keeps the titles in memory (the command line, which prints them and
        exits); the reader lets them go, ~130 MB at a million, and reads those it shows."""
        self._store_ready = store_ready
        """What a quick look at the store found before the session began (the command
        line's: :func:`store_ready`), so that it is not looked at twice; None: not
        looked at."""
        self.corpus = Corpus(corpus_name(self.paths), infer=infer)
        self.index: SearchIndex | None = None
        """Made by :meth:`load` or :meth:`reopen`; until then nothing is searchable."""
        self.cache = cache
        """False (``--no-cache``): no store; every start reads every file."""
        self.rebuild = rebuild
        self.store: Store | None = None
        self._store_tried = False
        self.writer: StoreWriter | None = None
        self.reopened = False
        """The articles came from the store (the folder is then checked for changes)."""
        self.partial = False
        """Only some of the store's articles were read (:meth:`reopen` with *only*):
        the corpus answers one query, and changes are not written to the store (an
        article not read could not be taken out of it)."""
        self.ranks_from_store = False
        """A partial session ranks from the store's relevance table (see
        :meth:`store_ranks_every_article`); a whole one always does, when it has a store."""
        self._stored_match: tuple[str, set[int]] | None = None
        self.pause = pause if pause is not None else _no_pause
        """Called between steps of the background work (the reader's keys go first)."""
        self.rest_left = rest_left if rest_left is not None else _no_rest
        """Seconds until the user has stopped long enough for work that can wait for
        that (filling the relevance table while idle)."""
        self.started_ns = time.time_ns() - HEAD_START_NS
        """Files modified after this may have changed while read: the store reads them
        again at the next start."""
        self.watcher: FolderWatcher | None = None
        self.watch_thread: threading.Thread | None = None
        self._temporary_relevance: RelevanceTable | None = None
        """Without a store: the relevance table, in a temporary file, by serial."""
        self._relevance_held = bytearray()
        self._relevance_next = 0
        """Without a store: serials below this one were all looked at for the table."""
        self._filled_for: tuple[int, int] | None = None
        """The corpus's size and removals when :meth:`fill_relevance` last left the
        relevance table holding every article."""
        """Without a store: 1 for each serial the temporary table holds."""
        self._relevance_lock = threading.Lock()
        self._facets_lock = threading.Lock()
        self._facet_index: tuple[tuple[int, int], FacetIndex] | None = None
        """(the corpus's size and removals when built, the facets of its articles)."""
        self._serial_of_row: tuple[tuple[int, int], list[int]] | None = None
        """(the corpus's size and removals when made, store row → serial)."""
        self._stored_skipped: list[Skipped] = []
        """The files the store knew were skipped, when :meth:`reopen` read it."""
        self.skipped_checked: list[Skipped] | None = None
        """After a re-open, once :meth:`check_folder` has compared the whole folder
        with the store: the files skipped as the folder now has them (those the store
        knew, less those gone or read again, and those its rounds skipped), to be said
        once. None until then."""

    # ------------------------------------------------------------------ opening

    def open_store(self, on_error: Callable[[str], None] | None = None) -> str | None:
        """Open the collection's store (unless ``--no-cache``); a one-line warning when
        it cannot be used. *on_error* hears of later write failures."""
        if not self.cache or self._store_tried:
            return None
        self._store_tried = True
        store, warning = open_store(self.paths, infer=self.corpus.infer, rebuild=self.rebuild)
        if store is not None:
            self.store = store
            self.writer = StoreWriter(store, on_error or _no_report, self.rest_left)
        return warning

    @property
    def store_note(self) -> str | None:
        """Why the store was built afresh, when it had been there (a new version of
        the reading code, of its format, a damaged file): for the user to hear once."""
        note = self.store.note if self.store is not None else ""
        return f"the store was {note}" if note.startswith("built afresh:") else None

    def store_looks_ready(self) -> bool:
        """A quick, read-only look: the store holds a full load in the current format,
        so that opening it builds nothing and waits for no other instance."""
        if not self.cache or self.rebuild or self._store_tried:
            return False
        if self._store_ready is not None:
            return self._store_ready
        return store_ready(self.paths, infer=self.corpus.infer, cache_dir=cache_directory())

    @property
    def can_reopen(self) -> bool:
        """The store holds a full load of this collection, in the current format."""
        return self.store is not None and self.store.complete

    def candidates(self, query: Query) -> set[int] | None:
        """The store rows that may match *query* (:func:`candidate_expression`), for
        :meth:`reopen` to read alone; None when every row may, or most do (see
        :data:`MOST_ROWS`)."""
        expression = candidate_expression(query)
        if expression is None or self.store is None:
            return None
        rows = self.store.matching_rows(expression)
        self._stored_match = (expression, rows)  # for the search to take, not ask again
        return rows if len(rows) <= self.store.article_count() * MOST_ROWS else None

    def reopen(self, report: Report, only: Collection[int] | None = None) -> bool:
        """Fill the corpus and the index from the store, reading no file: *report* is
        called after each batch (the first is the top of the list), then once done.
        False (nothing done) when another instance began writing the store afresh
        since it was opened: read the files then. *only*: the rows to read (see
        :attr:`partial`)."""
        return finish(self.reopening(report, only))

    def reopening(
        self, report: Report, only: Collection[int] | None = None
    ) -> Generator[None, None, bool]:
        """:meth:`reopen` a step at a time: it stops after each report, so that the
        reader can take the first (the top of the list) on its own thread, before its
        first frame, and go on in a worker. Returns what :meth:`reopen` does."""
        assert self.store is not None
        index = SearchIndex()
        self.pause()
        first = True

        def batch_read(new: list[Article], read: int, asked: bool) -> None:
            nonlocal first
            if first and new:
                self.index = index  # searchable from the first batch on
                first = False
            serials = [a.serial for a in new]
            report(serials, [], max(read, len(self.corpus)), False, answers=asked)
            self.pause()

        with collector_paused():
            try:
                skipped = yield from reopen_in_steps(
                    self.store,
                    self.corpus,
                    index,
                    on_batch=batch_read,
                    only=only,
                    keep_titles=self.keep_titles,
                )
            except StoreNotReady:
                return False
        if self._stored_match is not None:
            index.remember_stored_match(*self._stored_match)
        self.index = index
        self.reopened = True
        self.partial = only is not None
        self._stored_skipped = list(skipped)
        # The files the store knows were skipped are not said here: some may be gone,
        # or readable now. :meth:`check_folder` says which still are (skipped_checked).
        report([], [], len(self.corpus), True)
        return True

    def load(
        self,
        batches: Generator[LoadBatch, None, None],
        report: Report,
        *,
        shown: Sequence[Article] = (),
        read: int = 0,
        cancelled: Callable[[], bool] = lambda: False,
        indexed: bool = True,
    ) -> bool:
        """Read the collection's files: each of *batches* (``load_batches``, parsed in
        processes) joins the corpus and is staged in the index, which an indexer
        thread fills meanwhile (SQLite drops the GIL). *shown*: articles already in
        the corpus (the first rows), indexed here too; *read*: files read for them.

        Reports are thinned as the corpus grows (showing a batch costs the reader time
        in proportion to its size): ~12 a second at first, ~4 at 10k, 1 from 60k on.
        When all is indexed, the store's copy is taken (:meth:`Store.stage_index`) and
        written in the background. Returns False when *cancelled*. Not *indexed*: no
        index (and no store) is made (the command line's list with no query).
        """
        if not indexed:
            return self._read_only(batches, report, read, cancelled)
        # With a store, the index's pages wait in files beside it, not in memory.
        folder = os.path.dirname(self.store.path) if self.store is not None else None
        index = self.index = SearchIndex(folder=folder)
        pause = self.pause
        indexer = BackgroundIndexer(index, pause=pause)
        added: list[int] = [article.serial for article in shown]
        skipped: list[Skipped] = []
        last = 0.0
        finished = False
        # No full collections walking the corpus meanwhile; keys get the GIL promptly.
        with collector_paused(), ui_thread_favoured():
            try:
                if shown:  # read without their index texts (the first rows)
                    texts = [prepare(article) for article in shown]
                    indexer.put(list(shown), texts)
                    self._write(list(shown), texts)
                for batch in batches:
                    if cancelled():
                        return False
                    pause()
                    new = self.corpus.add(batch.items)
                    pause()
                    texts = batch.texts_for(new)
                    indexer.put(new, texts)
                    self._write(new, texts)
                    added.extend(article.serial for article in new)
                    skipped.extend(item for item in batch.items if isinstance(item, Skipped))
                    read = batch.files_read
                    gap = min(1.0, BATCH_SECONDS * (1 + len(self.corpus) / 5_000))
                    if time.monotonic() - last >= gap:
                        report(added, skipped, read, False)
                        added, skipped, last = [], [], time.monotonic()
                if added or skipped:
                    report(added, skipped, read, False)
                indexer.close()  # every article in FTS5: "loaded" means fast search too
                finished = True
                self._take_snapshot()
            finally:
                batches.close()  # stops the parsing processes if cancelled
                if not finished:
                    indexer.close(cancel=True)
        report([], [], read, True)
        return True

    def _write(self, articles: list[Article], texts: Sequence[IndexText]) -> None:
        """Hand a loaded batch to the store (its bodies then leave memory)."""
        if self.writer is not None and articles:
            self.writer.put(StoreBatch(articles, list(texts)))

    def _read_only(
        self,
        batches: Generator[LoadBatch, None, None],
        report: Report,
        read: int,
        cancelled: Callable[[], bool],
    ) -> bool:
        with collector_paused():
            try:
                for batch in batches:
                    if cancelled():
                        return False
                    new = self.corpus.add(batch.items)
                    skipped = [item for item in batch.items if isinstance(item, Skipped)]
                    read = batch.files_read
                    report([article.serial for article in new], skipped, read, False)
            finally:
                batches.close()
        report([], [], read, True)
        return True

    def _take_snapshot(self) -> None:
        """Hand the store a copy of the collection just loaded (taken now, before any
        change joins the corpus), to write in the background."""
        if self.writer is None or self.index is None:
            return
        snapshot = snapshot_of(self.writer.store, self.corpus, self.index, self.started_ns)
        if snapshot is not None:
            self.writer.put(snapshot)

    # ------------------------------------------------------------------ changes

    def check_folder(
        self,
        cancelled: Callable[[], bool] = lambda: False,
        difference: FolderDifference | None = None,
        *,
        quick_first: bool = False,
    ) -> Iterator[FolderChanges]:
        """After a re-open: what changed in the folder since the store was written
        (every file's size, mtime and inode), read a round at a time. *difference*:
        that comparison, made already (:class:`FolderCheck`). *quick_first* (the
        reader): the cheap route first, files added and removed in the folders whose
        mtime changed (:func:`quick_changed_files`: 111 stats at 100k where the full
        check makes 100,000), then the full check; a file the first reads is read
        again by the second, which finds its text unchanged and changes nothing. Once
        done (not *cancelled*), :attr:`skipped_checked` holds the files skipped."""
        store = self.store
        if store is None:
            return
        skipped = self._stored_skipped
        if difference is None and quick_first:
            quick = None
            with store.stored_files() as stored, contextlib.suppress(NotPlainFolders):
                quick = quick_changed_files(self.paths, stored)
            if quick is not None and (quick.to_read or quick.gone):
                quick.folders = {}  # the full check records them
                for changes in self._rounds(quick, cancelled):
                    skipped = skipped_after(skipped, changes)
                    yield changes
        if cancelled():
            return
        if difference is None:
            with store.stored_files() as stored:
                difference = changed_files(self.paths, stored, self.pause)
        if cancelled():
            return
        for changes in self._rounds(difference, cancelled):
            skipped = skipped_after(skipped, changes)
            yield changes
        if not cancelled():
            self.skipped_checked = skipped

    def _rounds(
        self, difference: FolderDifference, cancelled: Callable[[], bool]
    ) -> Iterator[FolderChanges]:
        """*difference*'s files read a round at a time; the last round carries the
        record of the folders (written alone when nothing changed)."""
        from .watch import read_files

        size = 1024
        rounds = range(0, max(1, len(difference.to_read)), size)
        for start in rounds:
            changes = read_files(difference.to_read[start : start + size], self.pause, cancelled)
            if start == 0:
                changes.gone = difference.gone
            if start == rounds[-1] and not cancelled():  # (else a round was cut short)
                changes.folders = self._folder_record(difference)
            if changes:
                yield changes
            elif changes.folders is not None and self.writer is not None:
                self.writer.put(StoreFolders(changes.folders))  # nothing changed

    def apply(self, changes: FolderChanges) -> Applied:
        """Bring the corpus, the index and the store up to date with one round."""
        applied = apply_changes(self.corpus, self.index, changes)
        if self.writer is not None and not self.partial:
            self.writer.put(applied.store)
        elif self.writer is not None:
            read = [(path, item.key) for path, item, _ in changes.read if isinstance(item, Article)]
            if read:
                self.writer.put(StoreConfirm(read, changes.read_at_ns or time.time_ns()))
        if self.writer is not None and changes.folders is not None:
            self.writer.put(StoreFolders(changes.folders))
        return applied

    def _folder_record(self, difference: FolderDifference) -> dict[bytes, int] | None:
        """What the store is to record of the folders *difference* listed, once its
        changes are in: a session that writes no change leaves the folders that held
        one to be listed again."""
        if not difference.folders:
            return None
        if not self.partial:
            return difference.folders
        unsettled = difference.unsettled
        return {key: -1 if key in unsettled else mtime for key, mtime in difference.folders.items()}

    def quick_difference(self, rows: Collection[int] | None) -> FolderDifference | None:
        """For the command line's answer to one query: what changed, by
        :func:`quick_changed_files`, and every file that gave one of the articles at
        *rows* (those that may match) statted too, for a change in place. None when
        that cannot serve (no record of the folders, or *rows* None: most articles
        may match), and the full check must."""
        if self.store is None or rows is None:
            return None
        with self.store.stored_files() as stored:
            try:
                difference = quick_changed_files(self.paths, stored)
            except NotPlainFolders:
                return None
            if difference is None:
                return None
            known = set(difference.to_read)
            gone = set(difference.gone)
            for key, identity in stored.of_rows(rows):
                path = _spelt(os.fsdecode(key))
                try:
                    status = os.stat(key)
                except OSError:
                    if path not in gone:
                        difference.gone.append(path)
                        gone.add(path)
                    continue
                now = (status.st_size, status.st_mtime_ns, status.st_ino)
                if identity != now and path not in known:
                    difference.to_read.append(path)
                    known.add(path)
        return difference

    def index_staged(self) -> None:
        """Move articles staged by :meth:`apply` into FTS5 (searchable meanwhile)."""
        if self.index is not None:
            self.index.index_staged()

    # ------------------------------------------------------------------ asking

    def warm_search(self, order: SortOrder) -> None:
        """Ready the first keystrokes after a load or a re-open (in a worker, once it
        has ended): the index's broad letters (:meth:`SearchIndex.warm`), and where
        each article stands in *order*, by which a few thousand matches are sorted
        (10,000 of a million in 2-6 ms, against 19-25 ms by each article's key, and
        30-90 ms in the reader beside its other threads)."""
        if self.index is not None:
            self.index.warm()
        self.corpus.ranks(order)

    def search(
        self, query: Query, state: StateView | None = None, within: Iterable[int] | None = None
    ) -> Matches | None:
        """Serials matching *query* (None: no query); nothing before the index exists.
        A frozenset is shared: never change it (see :meth:`SearchIndex.search`)."""
        if self.index is None:
            return None if query.is_empty() else set()
        return self.index.search(query, state, within=within)  # type: ignore[arg-type]

    def rows(self, order: SortOrder, matches: Matches | None) -> Sequence[int]:
        """Serials to list, in *order*: all, or *matches* (picked as they are read)."""
        if matches is None:
            return self.corpus.serials(order)
        below = None if self.index is None else self.index.bound_of(matches)
        return self.corpus.in_order(matches, order, below=below)

    def article(self, serial: int) -> Article:
        return self.corpus.by_serial[serial]

    # ------------------------------------------------------------------ relevance

    def store_ranks_every_article(self) -> bool:
        """Whether the store's relevance table holds every article the store does: then
        a partial session (:meth:`reopen` with *only*) ranks its articles from it, as
        a whole one would (bm25 needs the whole collection's counts; a table of the
        articles read alone would take each query word for one they all hold). Asked
        before :meth:`reopen`; a session that writes nothing keeps the answer."""
        store = self.store
        self.ranks_from_store = store is not None and store.relevance_missing() == 0
        return self.ranks_from_store

    def _ranking_store(self) -> Store | None:
        """The store whose relevance table ranks this session's articles, if one does
        (else a temporary table of the articles read ranks them)."""
        store = self.store
        return store if store is not None and (not self.partial or self.ranks_from_store) else None

    def _relevance(self) -> RelevanceTable:
        store = self._ranking_store()
        if store is not None:
            return store.relevance()
        with self._relevance_lock:
            if self._temporary_relevance is None:
                self._temporary_relevance = RelevanceTable.temporary()
            return self._temporary_relevance

    def wait_for_writes(self, poll: float = 0.02) -> None:
        """Until the store's writer has written everything asked of it so far (or has
        stopped): a ranking from the store finds the rows of the changes applied."""
        writer = self.writer
        while writer is not None and not writer.idle() and writer.alive():
            time.sleep(poll)

    def fill_relevance_when_idle(self) -> None:
        """Let the store's writer fill the relevance table when it has nothing else to
        do (the reader, once loaded: filling it competes for the cores)."""
        if self.writer is not None:
            self.writer.fill_relevance_when_idle()

    def relevance_missing(self) -> int:
        """Articles the relevance ranking does not know yet (0: it knows them all)."""
        store = self._ranking_store()
        if store is not None:
            return store.relevance_missing()
        held, removed = self._relevance_held, self.corpus.removed
        return sum(
            1
            for article in self.corpus.by_serial
            if article.serial not in removed
            and (article.serial >= len(held) or not held[article.serial])
        )

    @property
    def relevance_filled(self) -> bool:
        """The relevance table holds every article (as of the last :meth:`fill_relevance`,
        and none added since): a ranking's matches without a score then have none to
        get (they matched by a date or a field)."""
        corpus = self.corpus
        return self._filled_for == corpus.version

    def fill_relevance(self, progress: Callable[[int], None] | None = None) -> None:
        """Give the relevance ranking every article it lacks, a round at a time
        (pausing between rounds for the reader's keys); *progress* hears how many are
        left after each. The store's writer does this when idle; a ranking asked for
        before it has finished (the command line, a collection without a store) waits."""
        if self.relevance_filled:
            return
        # A first load's articles, and a change's, join the store's table once the
        # writer has written them: filled before, a new article was left unranked.
        self.wait_for_writes()
        corpus = self.corpus
        made_for = corpus.version
        while True:
            self.pause()
            store = self._ranking_store()
            added = store.fill_relevance() if store is not None else self._fill_temporary()
            if not added:
                # Nothing more to add may also mean a store still being written (its
                # load's articles come once it is complete): filled only if all are in.
                if not self.relevance_missing():
                    self._filled_for = made_for
                return
            if progress is not None:
                progress(self.relevance_missing())

    def _fill_temporary(self) -> int:
        table = self._relevance()
        by_serial = self.corpus.by_serial
        held = self._relevance_held
        if len(held) < len(by_serial):
            held.extend(bytes(len(by_serial) - len(held)))
        removed = self.corpus.removed
        # From the first serial not yet looked at: serials only grow, so a fill from
        # empty looks at each once (from the start each round, 100k took ~4 s more).
        wanted: list[Article] = []
        start = self._relevance_next
        for article in itertools.islice(by_serial, start, None):
            start += 1
            if not held[article.serial] and article.serial not in removed:
                wanted.append(article)
                if len(wanted) == ROUND:
                    break
        self._relevance_next = start
        if not wanted:
            return 0
        table.insert([relevance_row(a.serial, a, prepare(a)) for a in wanted])
        for article in wanted:
            held[article.serial] = 1
        return len(wanted)

    def _serials_by_row(self, *, again: bool = False) -> list[int]:
        """Store row → serial (-1: none), remade when the corpus has changed (or
        *again*: articles of a first load get their rows as the store writes them,
        which changes no count)."""
        corpus = self.corpus
        made_for = corpus.version
        known = self._serial_of_row
        if known is not None and known[0] == made_for and not again:
            return known[1]
        pairs = [
            (article.stored & STORE_ROW_MASK, article.serial)
            for article in corpus.by_serial
            if article.stored >= 0
        ]
        serials = [-1] * (max((row for row, _ in pairs), default=-1) + 1)
        for row, serial in pairs:
            serials[row] = serial
        self._serial_of_row = (made_for, serials)
        return serials

    def _to_serials(self, found: Iterable[tuple[int, _V]]) -> list[tuple[int, _V]]:
        """(key, value) pairs of the relevance table as (serial, value): keys are
        serials without a store, store rows with one."""
        if self._ranking_store() is None:
            return list(found)
        found = list(found)
        for again in (False, True):
            serials = self._serials_by_row(again=again)
            size = len(serials)
            translated = [
                (serials[row], value) for row, value in found if row < size and serials[row] >= 0
            ]
            if len(translated) == len(found) or again:
                return translated
            # A row not known: the map may predate the store's writing of the load.
        return translated

    def ranked(self, query: Query, matches: Collection[int], order: SortOrder) -> Ranking | None:
        """*matches* best first for *query* (see :mod:`corpus.relevance`); None when
        the query asks for no word to rank by."""
        expression = ranking_expression(query)
        if expression is None:
            return None
        date_rows = self.rows(order, set(matches))
        scores = dict(self._to_serials(self._relevance().scores(expression)))
        return rank(date_rows, scores)

    def facets(self, matches: Collection[int] | None) -> list[Facet]:
        """The facets of *matches* (None: every article), most frequent first; waits
        for the names of articles not yet read for them (:meth:`fill_relevance`)."""
        self.fill_relevance()
        corpus = self.corpus
        with self._facets_lock:
            made_for = corpus.version
            built = self._facet_index
            if built is None or built[0] != made_for:
                names = self._to_serials(self._relevance().names())
                built = (made_for, FacetIndex.build(corpus.by_serial, names, corpus.removed))
                self._facet_index = built
        index = built[1]
        serials: Iterable[int] = matches if matches is not None else range(index.size)
        removed = corpus.removed
        return index.count(s for s in serials if s not in removed)

    def related(self, serial: int) -> list[tuple[int, float]]:
        """The articles most like article *serial*: (serial, score), best first; waits
        for articles not yet in the relevance table (:meth:`fill_relevance`)."""
        self.fill_relevance()
        article = self.corpus.by_serial[serial]
        if self._ranking_store() is not None:
            own = article.stored & STORE_ROW_MASK if article.stored >= 0 else -1
        else:
            own = serial
        table = self._relevance()
        found = table.related(*relevance_columns(prepare(article)), exclude=own)
        removed = self.corpus.removed
        return [(s, score) for s, score in self._to_serials(found) if s not in removed]

    # ------------------------------------------------------------------ following

    def follow(
        self,
        on_changes: Callable[[FolderChanges], None],
        on_error: Callable[[str], None],
        exclude: Sequence[str] = (),
        on_missed: Callable[[str], None] = lambda reason: None,
    ) -> None:
        """Follow the folders on a thread of its own (once): each round of changes is
        read and handed to *on_changes*; a watcher that cannot run, to *on_error*; a
        change it could not follow (it goes on), to *on_missed*."""
        if self.watch_thread is not None:
            return
        from .watch import FolderWatcher

        watcher = self.watcher = FolderWatcher(
            self.paths, exclude=[*exclude, cache_directory()], pause=self.pause
        )

        def watch() -> None:
            self.pause()
            try:
                watcher.run(on_changes, missed=on_missed)
            except Exception as error:  # no inotify watches left, a folder gone…
                on_error(str(error) or type(error).__name__)

        thread = self.watch_thread = threading.Thread(
            target=watch, name="broadsheet-watch", daemon=True
        )
        thread.start()

    def close(self, *, watch_seconds: float = 2.0, store_seconds: float | None = 10.0) -> None:
        """Stop following, and let the store finish writing for up to *store_seconds*
        (None: until it has; what is not written then is written at the next start)."""
        if self.watcher is not None:
            self.watcher.stop()
        if self.watch_thread is not None:
            self.watch_thread.join(watch_seconds)
        if self.writer is not None:
            # A first load's store is worth waiting for; a round of changes is not
            # (the next start's check finds it again).
            wait = store_seconds if self.writer.writing_load else CHANGES_STOP_SECONDS
            if store_seconds is None:
                wait = None
            self.writer.close(wait)
            if self.writer.idle() and self.store is not None:
                self.store.close()
        if self._temporary_relevance is not None:
            self._temporary_relevance.close()  # its temporary file goes with it
            self._temporary_relevance = None


def _no_pause() -> None:
    return None


def _no_rest() -> float:
    return 0.0


def _no_report(message: str) -> None:
    return None
