"""Following the collection while the reader is open: files added, changed or removed.

watchfiles (Rust's notify: inotify, FSEvents, ReadDirectoryChangesW, or polling where
those fail) says which paths changed. This module turns each debounced round of them
into plain data for the reader: the files read again (parsed here, on the watcher's
thread, never on the UI thread) and the files and folders that went. It knows nothing
of Textual, and nothing of the corpus but how it spells a path.

Each folder is watched on its own, not recursively. notify's recursive watch walks every
file of the tree while holding the GIL (0.2 s at 100,000 files: a frozen screen), and
would watch hidden folders (``.git``) whose changes are dropped anyway. The folders are
listed here in Python instead (45 ms at 100,000 files, sharing the GIL), skipping hidden
folders, as the loader does, and Broadsheet's own state and cache folders. A folder that
appears is added and the watch started again; then, once the new watch is on, its files
are read (a file written between the two is seen either way).

A file named on the command line is followed through its folder (watched without its
other files), so an editor that saves by writing a new file over it is followed too.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from .files import ARTICLE_SUFFIXES, Skipped, resolve_display_path
from .index import IndexText, prepare
from .model import Article, read_article

DEBOUNCE_MS = 300
"""Longest a burst of changes is gathered before it is read (a copy of many files)."""

STEP_MS = 50
"""Quiet that ends a burst: one saved file is read ~50 ms after it is written."""

TICK_MS = 100
"""With no change, an empty round this often: it tells that a new watch is on (a new
folder's files are then read). The Rust side wakes every step anyway, to poll the stop."""

BATCH = 256
"""Files read per delivery when a whole folder arrives: its rows appear as it is read."""


ROOT_GONE_POLL_SECONDS = 0.5
"""How often a watcher whose folders are all gone looks for them to come back."""


@dataclass(slots=True)
class FolderChanges:
    """One round of changes, read: plain data for the UI thread to apply.

    Paths are spelt as the corpus spells them (:attr:`Article.file_path`)."""

    read: list[tuple[str, Article | Skipped, IndexText | None]] = field(default_factory=list)
    """Files read again: the path, what it gave now, and an article's index text."""
    gone: list[str] = field(default_factory=list)
    """Files no longer there."""
    gone_folders: list[str] = field(default_factory=list)
    """Folders no longer there (every file under them went with them)."""
    again: bool = False
    """Files read again because the article they duplicated went: not a change the
    user made (the reader does not count them as new)."""
    read_at_ns: int = 0
    """When reading began (``time.time_ns()``): the store trusts a file's identity only
    if it was last modified before then."""
    folders: dict[bytes, int] | None = None
    """The last round of a folder check carries the record of the folders it listed,
    for the store to keep once this round is in it (see ``Store.record_folders``)."""

    def __bool__(self) -> bool:
        return bool(self.read or self.gone or self.gone_folders)


def cache_directory() -> str:
    """Broadsheet's cache folder (``$BROADSHEET_CACHE_DIR`` or the platform's): never
    followed, should a collection hold it."""
    override = os.environ.get("BROADSHEET_CACHE_DIR", "").strip()
    if override:
        return os.path.abspath(os.path.expanduser(override))
    import platformdirs

    return platformdirs.user_cache_dir("broadsheet")


def read_files(
    paths: Iterable[str],
    pause: Callable[[], None] | None = None,
    stopping: Callable[[], bool] = lambda: False,
) -> FolderChanges:
    """Read *paths* (spelt as the loader would): what a round of changes gives."""
    changes = FolderChanges(read_at_ns=time.time_ns())
    for path in paths:
        if stopping():
            break
        if pause is not None:
            pause()
        item = read_article(path)
        if isinstance(item, Skipped):
            changes.read.append((resolve_display_path(path), item, None))
        else:
            changes.read.append((item.file_path, item, prepare(item)))
    return changes


class _Folder:
    __slots__ = ("spelt", "identity")

    def __init__(self, spelt: str, identity: tuple[int, int]) -> None:
        self.spelt = spelt
        """The path as the loader spells it (the user's root, then the names under it)."""
        self.identity = identity
        """(device, inode): a symlink loop is not entered twice."""


class FolderWatcher:
    """Watches the folders (and files) of a collection and reports what changed.

    :meth:`run` blocks (run it on a worker thread) until :meth:`stop` is called or the
    *stopped* callable says so; both are checked every :data:`STEP_MS`.
    """

    def __init__(
        self,
        paths: Sequence[str],
        *,
        exclude: Iterable[str] = (),
        pause: Callable[[], None] | None = None,
    ) -> None:
        self.paths = list(paths)
        self.pause = pause
        """Called before each file is read (the foreground's pause: keys go first)."""
        self._exclude = {os.path.realpath(path) for path in exclude}
        self._folders: dict[str, _Folder] = {}
        """Watched folders, by absolute path (as notify reports the paths in them)."""
        self._files: dict[str, str] = {}
        """Files named on the command line: absolute path → as given."""
        self._file_folders: set[str] = set()
        """Their folders, watched only for them."""
        self._stop = threading.Event()
        self.finished = threading.Event()
        """Set once :meth:`run` has returned and its watch is closed."""
        self.watching = threading.Event()
        """Set once the first watch is on (tests wait for it before changing files)."""

    def stop(self) -> None:
        self._stop.set()

    @property
    def folders(self) -> list[str]:
        """The folders followed, as spelt (for tests and the README's claims)."""
        return [folder.spelt for folder in self._folders.values()]

    # --- the loop --------------------------------------------------------------

    def run(
        self,
        deliver: Callable[[FolderChanges], object],
        stopped: Callable[[], bool] = lambda: False,
        missed: Callable[[str], object] = lambda reason: None,
    ) -> None:
        """Watch until stopped, handing each round of changes to *deliver*, and to
        *missed* why a change could not be followed (the watch goes on).

        Raises what watchfiles raises when it cannot watch at all (too many folders for
        the system's inotify limit, a folder it may not read…): the caller says so.
        """
        try:
            from watchfiles import watch  # ~30 ms with anyio: never before the first frame

            class _Stop:
                """What watchfiles polls every step."""

                @staticmethod
                def is_set() -> bool:
                    return self._stop.is_set() or stopped()

            for path in self.paths:
                self._add_root(path)
            pending: list[str] = []
            while not _Stop.is_set():
                targets = [*self._folders, *sorted(self._file_folders - set(self._folders))]
                if not targets:
                    # Every folder followed is gone (the collection's own deleted): follow
                    # it again once it is back, and read what it holds then.
                    if self._stop.wait(ROOT_GONE_POLL_SECONDS):
                        return
                    for path in self.paths:
                        self._add_root(path)
                    pending = list(self._folders)
                    continue
                rounds = watch(
                    *targets,
                    watch_filter=None,
                    debounce=DEBOUNCE_MS,
                    step=STEP_MS,
                    stop_event=_Stop,
                    rust_timeout=TICK_MS,
                    yield_on_timeout=True,
                    recursive=False,
                    raise_interrupt=False,
                    ignore_permission_denied=True,
                )
                with contextlib.closing(rounds), _unless_a_name_not_utf8(missed):
                    for raw in rounds:
                        self.watching.set()
                        if _Stop.is_set():
                            return
                        if not raw and not pending:
                            continue
                        to_read, changes, new_folders = self._round(raw, pending)
                        pending = []
                        self._deliver(changes, to_read, deliver, _Stop.is_set)
                        if new_folders:
                            # Watch them too, then read them (next round: the watch on).
                            pending = new_folders
                            break
                        if not self._folders and not self._file_folders:
                            break  # all gone: wait for them to come back (above)
        finally:
            self.finished.set()

    def _deliver(
        self,
        changes: FolderChanges,
        to_read: list[str],
        deliver: Callable[[FolderChanges], object],
        stopping: Callable[[], bool],
    ) -> None:
        for start in range(0, len(to_read), BATCH):
            if stopping():
                return
            read = read_files(to_read[start : start + BATCH], self.pause, stopping)
            changes.read.extend(read.read)
            deliver(changes)
            changes = FolderChanges()
        if changes:
            deliver(changes)

    def _round(
        self, raw: Iterable[tuple[int, str]], pending: list[str]
    ) -> tuple[list[str], FolderChanges, list[str]]:
        """What a round of raw changes means: files to read, files and folders gone,
        new folders to watch. Deletions first, so a folder renamed (same inode) is
        forgotten before it is met again under its new name."""
        changes = FolderChanges()
        to_read: dict[str, None] = {}
        new_folders: list[str] = []
        for folder in pending:
            self._list(folder, to_read, new_folders)
        for _, path in sorted(raw, key=lambda change: -change[0]):  # deleted (3) first
            spelt = self._spell(path)
            if spelt is None:
                continue
            if path in self._folders:
                if not os.path.isdir(path):
                    self._forget_folder(path)
                    changes.gone_folders.append(resolve_display_path(spelt))
                continue
            named = path in self._files
            is_article = named or os.path.splitext(path)[1].lower() in ARTICLE_SUFFIXES
            if os.path.isfile(path):
                if is_article:
                    to_read[spelt] = None
            elif os.path.isdir(path):
                if not named and not os.path.basename(path).startswith("."):
                    self._add_folder(spelt, path, new_folders)
            elif is_article:
                to_read.pop(spelt, None)
                changes.gone.append(resolve_display_path(spelt))
        return list(to_read), changes, new_folders

    # --- folders -----------------------------------------------------------------

    def _add_root(self, path: str) -> None:
        absolute = os.path.abspath(path)
        if os.path.isdir(absolute):
            self._add_folder(path, absolute, None)
        elif os.path.exists(absolute):
            self._files[absolute] = path
            self._file_folders.add(os.path.dirname(absolute))

    def _add_folder(self, spelt: str, absolute: str, added: list[str] | None) -> None:
        """Watch *absolute* and the folders under it (hidden, excluded and already
        watched ones left out); list each one added in *added*, when given."""
        stack = [(spelt, absolute)]
        known = {folder.identity for folder in self._folders.values()}
        while stack:
            spelt, absolute = stack.pop()
            if absolute in self._folders:
                continue
            try:
                info = os.stat(absolute)
            except OSError:
                continue
            identity = (info.st_dev, info.st_ino)
            if identity in known or os.path.realpath(absolute) in self._exclude:
                continue
            known.add(identity)
            self._folders[absolute] = _Folder(spelt, identity)
            if added is not None:
                added.append(absolute)
            stack.extend(self._subfolders(spelt, absolute))

    @staticmethod
    def _subfolders(spelt: str, absolute: str) -> list[tuple[str, str]]:
        found = []
        try:
            with os.scandir(absolute) as entries:
                for entry in entries:
                    if entry.name.startswith("."):
                        continue
                    try:
                        if entry.is_dir(follow_symlinks=True):
                            found.append((os.path.join(spelt, entry.name), entry.path))
                    except OSError:
                        continue
        except OSError:
            pass
        return found

    def _list(self, absolute: str, to_read: dict[str, None], new_folders: list[str]) -> None:
        """A new folder's article files (its watch is on now), and any folder made in
        it before that watch was: watched in turn."""
        folder = self._folders.get(absolute)
        if folder is None:
            return
        try:
            with os.scandir(absolute) as entries:
                names = sorted(entry.name for entry in entries)
        except OSError:
            return
        for name in names:
            path = os.path.join(absolute, name)
            spelt = os.path.join(folder.spelt, name)
            try:
                if os.path.isdir(path):
                    if not name.startswith("."):
                        self._add_folder(spelt, path, new_folders)
                elif os.path.splitext(name)[1].lower() in ARTICLE_SUFFIXES and os.path.isfile(
                    path
                ):
                    to_read[spelt] = None
            except OSError:
                continue

    def _forget_folder(self, absolute: str) -> None:
        prefix = absolute + os.sep
        for path in [p for p in self._folders if p == absolute or p.startswith(prefix)]:
            del self._folders[path]

    def _spell(self, path: str) -> str | None:
        """*path* as notify reports it, spelt as the loader would have (from the user's
        root); None when it is in no followed folder."""
        named = self._files.get(path)
        if named is not None:
            return named
        folder = self._folders.get(path)
        if folder is not None:
            return folder.spelt
        parent, name = os.path.split(path)
        folder = self._folders.get(parent)
        if folder is None:
            return None
        return os.path.join(folder.spelt, name)


@contextlib.contextmanager
def _unless_a_name_not_utf8(missed: Callable[[str], object]) -> Iterator[None]:
    """Go on watching past a file whose name is not UTF-8: watchfiles cannot decode it
    and ends its watch with an error (every later change was missed). The watch starts
    again; that file is read at the next start's check, and *missed* says so."""
    try:
        yield
    except RuntimeError as error:  # watchfiles' WatchfilesRustInternalError
        if "decode" not in str(error).lower():
            raise
        missed(
            "a file whose name is not UTF-8 changed: it is read when the reader next"
            " starts"
        )
