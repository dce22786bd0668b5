"""A collection opened from its store: what the reader and the command line share.

The store (:mod:`corpus.store`) is opened here, its articles put in a corpus and a
search index (:func:`reopen`), the folder compared with it (:func:`changed_files`) and
the store brought up to date (:class:`StoreWriter`). Plain data goes in and out: the
reader's threads call these and post what they return as messages.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .files import Skipped, discover
from .index import IndexText, SearchIndex, prepare
from .model import Article, Corpus, Removal
from .store import Store, StoreError, _spelt
from .watch import FolderChanges, cache_directory


def open_store(
    paths: Sequence[str], *, infer: bool, rebuild: bool = False
) -> tuple[Store | None, str | None]:
    """The collection's store, or None and a one-line warning saying why not."""
    try:
        return Store.open(paths, infer=infer, cache_dir=cache_directory(), rebuild=rebuild), None
    except StoreError as error:
        return None, f"store not used, running from memory: {error}"


def reopen(
    store: Store,
    corpus: Corpus,
    index: SearchIndex,
    *,
    skip: Iterable[str] = (),
    on_batch: Callable[[list[Article]], None] | None = None,
) -> list[Skipped]:
    """Put the store's articles in *corpus* and *index* (no file is read); return the
    files the store knows were skipped. *on_batch* is called with each batch added
    (the first is the top of the list)."""
    connection = store.search_connection()
    by_row: dict[int, Article] = {}
    for batch in store.read(skip=skip):
        new = corpus.add(batch.articles)
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
            rows = [row for _, _, row in chosen]
        else:
            plains, rows = batch.plains, batch.rows
        index.register_stored(connection, list(range(2)), new, plains, rows)
        by_row.update(zip(rows, new, strict=True))
        if on_batch is not None:
            on_batch(new)
    repeats, skipped = store.extra_files()
    for row, path in repeats:
        article = by_row.get(row)
        if article is not None:
            corpus.add_duplicate_file(path, article)
    corpus.skipped.extend(skipped)
    return skipped


@dataclass(slots=True)
class FolderDifference:
    """What changed in the folder since the store was written."""

    to_read: list[str]
    """New or changed files, spelt as the loader spells them."""
    gone: list[str]
    """Files the store knows that are no longer there, spelt as the corpus spells them."""


def changed_files(
    paths: Sequence[str],
    known: dict[bytes, tuple[int, int, int]],
    pause: Callable[[], None] | None = None,
) -> FolderDifference:
    """Walk the folders and stat every file: new and changed files, and files gone."""
    to_read: list[str] = []
    seen: set[bytes] = set()
    for number, found in enumerate(discover(paths)):
        if isinstance(found, Skipped):
            continue
        if pause is not None and number % 512 == 0:
            pause()
        key = os.fsencode(os.path.abspath(found))
        seen.add(key)
        identity = known.get(key)
        if identity is None or identity[0] < 0:
            to_read.append(found)
            continue
        try:
            status = os.stat(found)
        except OSError:
            continue  # gone meanwhile: the next check, or the watcher, sees it
        if (status.st_size, status.st_mtime_ns, status.st_ino) != identity:
            to_read.append(found)
    gone = [_spelt(os.fsdecode(key)) for key in known if key not in seen]
    return FolderDifference(to_read, gone)


@dataclass(slots=True)
class StoreChange:
    """One round of changes for the store to take (see :meth:`Store.apply`)."""

    added: list[tuple[Article, IndexText | None]]
    removed: list[Article]
    files: list[tuple[str, Article | None, str | None]]
    gone: list[str]
    read_at_ns: int


@dataclass(slots=True)
class StoreSnapshot:
    """The whole collection after a full load (see :meth:`Store.write_snapshot`)."""

    articles: list[Article]
    ranks: list[int]
    shard_of: list[int]
    plains: list[bool]
    duplicates: list[tuple[str, Article]]
    skipped: list[tuple[str, str]]
    read_at_ns: int


def snapshot_of(
    store: Store, corpus: Corpus, index: SearchIndex, read_at_ns: int
) -> StoreSnapshot | None:
    """What the store needs of a corpus just loaded, taken at once: the memory index's
    pages go into the store's memory now (:meth:`Store.stage_index`), the lists are
    copied as they are. None when the index is not all in FTS5."""
    if corpus.removed:
        return None
    images = index.shard_images()
    if images is None:
        return None
    store.stage_index(images)
    articles = list(corpus.by_serial)
    ranks = corpus.ranks("newest")
    return StoreSnapshot(
        articles,
        ranks,
        [index.shard_of(article.serial) for article in articles],
        [index.is_plain(article.serial) for article in articles],
        corpus.duplicate_files(),
        [(item.path, item.reason) for item in corpus.skipped],
        read_at_ns,
    )


def write_snapshot(store: Store, snapshot: StoreSnapshot, *, release: bool = True) -> None:
    """Write *snapshot*; with *release*, its articles' bodies then live in the store."""
    store.write_snapshot(
        snapshot.articles,
        snapshot.ranks,
        snapshot.shard_of,
        snapshot.plains,
        snapshot.duplicates,
        snapshot.skipped,
        snapshot.read_at_ns,
    )
    if release:
        store.release_bodies(snapshot.articles, [a.serial for a in snapshot.articles])


class StoreWriter:
    """Writes to the store on a thread of its own, in the order asked: the reader
    never waits for the disk. A failure is reported once (*on_error*) and the writer
    stops writing; the store is left as its last transaction left it."""

    def __init__(self, store: Store, on_error: Callable[[str], None]) -> None:
        self.store = store
        self.on_error = on_error
        self._jobs: queue.Queue[StoreSnapshot | StoreChange | None] = queue.Queue()
        self._failed = False
        self._thread = threading.Thread(target=self._run, name="broadsheet-store", daemon=True)
        self._thread.start()

    def put(self, job: StoreSnapshot | StoreChange) -> None:
        if not self._failed:
            self._jobs.put(job)

    def close(self, timeout: float | None = None) -> None:
        """Finish what was asked (up to *timeout* seconds), then stop."""
        self._jobs.put(None)
        self._thread.join(timeout)

    def idle(self) -> bool:
        return self._jobs.unfinished_tasks == 0

    def wait(self) -> None:
        """Until everything asked so far is written (tests)."""
        self._jobs.join()

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            try:
                if job is None:
                    return
                if self._failed:
                    continue
                try:
                    if isinstance(job, StoreSnapshot):
                        write_snapshot(self.store, job)
                    else:
                        rows = self.store.apply(
                            job.added, job.removed, job.files, job.gone, job.read_at_ns
                        )
                        self.store.release_bodies(
                            [article for article, _ in job.added],
                            [rows[article.serial] for article, _ in job.added],
                        )
                except Exception as error:  # a full disk, a lock held too long…
                    self._failed = True
                    self.on_error(f"the store was not updated: {error}")
            finally:
                self._jobs.task_done()


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
            if old.key == item.key:
                files.append((path, old, None))  # touched, or read by the loader already
                continue
            gone.append(path)
        fresh.append(item)
        texts[id(item)] = text
    removal = corpus.remove(gone, changes.gone_folders)
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
