"""Read/unread and flag marks, kept on disk between runs.

Marks are keyed by the article's content hash (:attr:`Article.key`), so renaming or
moving a file keeps its marks and an edited article starts fresh.

The file is ``state.json`` in :func:`state_directory`::

    {"version":1,"read":["<key>",...],"flagged":["<key>",...]}

Two lists of keys in the order they were marked, no whitespace: 35 bytes a key, so
100,000 read articles are a 3.5 MB file that reads and writes in milliseconds. A dict
of key → bitmask would be no smaller and slower to parse. A key in neither list is
unread and unflagged; other top-level fields are ignored (room to grow in version 1).

Why the machinery below:

* **Atomic writes.** A crash or a full disk mid-write must leave the previous file,
  not half a file: write a temp file in the same folder, flush + fsync, ``os.replace``,
  then fsync the folder so the rename itself survives a power cut.
* **Two instances at once.** Saving takes an exclusive ``flock`` on ``state.json.lock``,
  re-reads the file if someone else wrote it, and applies only *this* instance's own
  changes since it last synced (per key, last change wins). So A marking X read and B
  flagging Y both survive, and A un-marking X is not undone by B's stale copy.
* **Nothing on disk is trusted.** Invalid JSON, a wrong shape or an unknown version is
  renamed aside (``state.json.corrupt-<n>``, never overwriting an earlier one, never
  deleted) with a warning; any OS error becomes a warning. Nothing here raises: the
  worst case is a reader that keeps its marks in memory for the session.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import threading
import time
from collections.abc import Iterator

from .safe import neutralise_line

try:  # POSIX only; elsewhere two instances at once may lose a save, nothing worse.
    import fcntl
except ImportError:  # pragma: no cover - exercised only on Windows
    fcntl = None  # type: ignore[assignment]

__all__ = ["FORMAT_VERSION", "STATE_DIR_ENV", "STATE_FILENAME", "ReadState", "state_directory"]

STATE_DIR_ENV = "BROADSHEET_STATE_DIR"
"""Environment variable naming the state folder (tests and portable installs use it)."""

STATE_FILENAME = "state.json"
FORMAT_VERSION = 1

LOCK_TIMEOUT = 5.0
"""Seconds to wait for another instance's lock. A save holds it for milliseconds, so
running out means something is stuck; the changes are kept for the next save."""

_Fingerprint = tuple[str | None, int, int, int, int]
"""(lock token, inode, size, mtime_ns, ctime_ns) of the file as this instance last
synced it. The token (rewritten by every save under the lock) catches a rewrite that
reuses the inode within one timestamp tick; the stat fields catch a hand edit."""


def state_directory() -> str:
    """The folder holding the state file: ``$BROADSHEET_STATE_DIR`` or the platform's."""
    override = os.environ.get(STATE_DIR_ENV, "").strip()
    if override:
        return os.path.abspath(os.path.expanduser(override))
    import platformdirs  # Imported late: --no-state and the env override never need it.

    return platformdirs.user_state_dir("broadsheet")


class _Unreadable(Exception):
    """The state file exists but its content cannot be used (moved aside, not fatal)."""

    def __init__(self, reason: str, *, newer: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.newer = newer


_Marks = dict[str, None]
"""An insertion-ordered set of keys: the file lists keys in the order they were
marked, which is stable without sorting 100,000 keys on every save."""


def _parse(raw: bytes) -> tuple[_Marks, _Marks]:
    """Check the shape strictly: anything unexpected is treated as corruption."""
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
        raise _Unreadable(f"it is not valid JSON ({error.__class__.__name__})") from None
    if not isinstance(data, dict):
        raise _Unreadable("it is not a JSON object")
    version = data.get("version")
    if type(version) is not int:
        raise _Unreadable("it has no version number")
    if version != FORMAT_VERSION:
        raise _Unreadable(
            f"it has version {version}, which this Broadsheet does not know",
            newer=version > FORMAT_VERSION,
        )
    marks: list[_Marks] = []
    for name in ("read", "flagged"):
        keys = data.get(name, [])
        if not isinstance(keys, list) or not set(map(type, keys)) <= {str}:
            raise _Unreadable(f'its "{name}" field is not a list of keys')
        marks.append(dict.fromkeys(keys))
    return marks[0], marks[1]


def _serialise(read: _Marks, flagged: _Marks) -> bytes:
    """The whole file, compact. Hand-assembled because ``json.dumps`` of 100,000
    strings costs ~35 ms here against ~3 ms for a join; the output is the same JSON."""
    return b"".join(
        (
            b'{"version":%d,"read":' % FORMAT_VERSION,
            _json_list(read),
            b',"flagged":',
            _json_list(flagged),
            b"}",
        )
    )


_PLAIN = bytes(range(0x20, 0x7F)).replace(b'"', b"").replace(b"\\", b"")
"""Bytes a JSON string may hold unescaped (printable ASCII but the quote and backslash)."""


def _json_list(keys: _Marks) -> bytes:
    """A JSON array of *keys*. Content hashes need no escaping, and one C-speed pass
    proves it: deleting the plain bytes from the joined text must leave exactly the
    separators' quotes. Anything else goes through :mod:`json`."""
    if not keys:
        return b"[]"
    body = '","'.join(keys)
    if body.isascii():
        encoded = body.encode("ascii")
        if encoded.translate(None, _PLAIN) == b'"' * (2 * (len(keys) - 1)):
            return b'["' + encoded + b'"]'
    return json.dumps(list(keys), ensure_ascii=True, separators=(",", ":")).encode("ascii")


def _show(path: str) -> str:
    """A path safe to put in a toast (a hostile env var must not inject escapes)."""
    return neutralise_line(path)


class ReadState:
    """Which articles are read and which are flagged, persisted across runs.

    Use :meth:`open`; it never raises. Queries (:meth:`is_read`, :meth:`is_flagged`)
    are plain dict lookups, cheap enough for a filter over 100,000 articles. Mutators
    and :meth:`save` are serialised by a lock, so the app may save from a worker
    thread while the UI thread keeps marking.
    """

    def __init__(self, path: str | None) -> None:
        self.path: str | None = path
        """The state file, or None when state is disabled (``--no-state``)."""
        self.warnings: list[str] = []
        """Human messages to show once; the app may clear the list after showing them."""
        self.version: int = 0
        """Bumped whenever the visible marks change, so query caches can notice."""
        self._read: _Marks = {}
        self._flagged: _Marks = {}
        self._read_changes: dict[str, bool] = {}
        """This instance's own changes since it last synced with disk: what a save
        applies on top of whatever is on disk by then."""
        self._flag_changes: dict[str, bool] = {}
        self._synced: _Fingerprint | None = None
        """The file as this instance last wrote or read it under the lock; when the
        file still matches, a save can skip re-reading it."""
        self._readable = True
        """False when the file exists but could not be read: never overwrite it then."""
        self._warned: set[str] = set()
        self._mutex = threading.RLock()

    # -- opening ----------------------------------------------------------------

    @classmethod
    def open(cls, directory: str | None = None, *, enabled: bool = True) -> ReadState:
        """Load the marks from *directory* (default :func:`state_directory`).

        Creates nothing on disk: the folder and file appear on the first save.
        """
        if not enabled:
            return cls(None)
        try:
            folder = directory if directory is not None else state_directory()
        except Exception as error:  # platformdirs on an odd platform: keep working.
            state = cls(None)
            state.warnings.append(
                f"Could not find a folder for read/flag marks ({error}); "
                f"they will be kept for this session only. Set {STATE_DIR_ENV} to choose one."
            )
            return state
        state = cls(os.path.join(folder, STATE_FILENAME))
        with state._mutex:
            try:
                loaded = state._load_unlocked()
            except Exception as error:  # A bug or an odd path must not stop the reader.
                state._readable = False
                state._warn_unreadable(error)
                loaded = None
            if loaded is not None:
                state._read, state._flagged = loaded
        return state

    def _load_unlocked(self) -> tuple[_Marks, _Marks] | None:
        """Read the file without the lock (writers replace it atomically, so a plain
        read sees a whole old or whole new file). Corruption is re-checked under the
        lock before moving anything aside, in case a good file just replaced it."""
        assert self.path is not None
        try:
            raw = self._read_file()
        except NotADirectoryError:
            return None  # The folder is a file: nothing to load; the first save warns.
        except OSError as error:
            self._readable = False
            self._warn_unreadable(error)
            return None
        if raw is None:
            return None
        try:
            return _parse(raw)
        except _Unreadable as problem:
            first_problem = problem
        try:
            with self._locked() as lock_fd:
                raw = self._read_file()
                if raw is None:
                    return None
                try:
                    return _parse(raw)
                except _Unreadable as problem:
                    self._move_aside(problem)
                    self._synced = self._fingerprint(lock_fd)
                    return None
        except (OSError, _LockTimeout) as error:
            self._readable = False
            self._cannot_move_aside(first_problem, error)
            return None

    # -- queries ----------------------------------------------------------------

    def is_read(self, key: str) -> bool:
        return key in self._read

    def is_flagged(self, key: str) -> bool:
        return key in self._flagged

    def counts(self) -> tuple[int, int]:
        """(read, flagged): for the status line."""
        return len(self._read), len(self._flagged)

    # -- changes ----------------------------------------------------------------

    def set_read(self, key: str, value: bool = True) -> None:
        """Record the user's intent even when it matches the current view: another
        instance may have changed the key meanwhile, and this instance's word is last."""
        with self._mutex:
            self._read_changes[key] = value
            self._apply(self._read, key, value)

    def toggle_read(self, key: str) -> bool:
        with self._mutex:
            value = key not in self._read
            self.set_read(key, value)
            return value

    def set_flagged(self, key: str, value: bool = True) -> None:
        with self._mutex:
            self._flag_changes[key] = value
            self._apply(self._flagged, key, value)

    def toggle_flagged(self, key: str) -> bool:
        with self._mutex:
            value = key not in self._flagged
            self.set_flagged(key, value)
            return value

    def _apply(self, marks: _Marks, key: str, value: bool) -> None:
        if value and key not in marks:
            marks[key] = None
            self.version += 1
        elif not value and key in marks:
            del marks[key]
            self.version += 1

    @property
    def dirty(self) -> bool:
        """True while there are changes not yet on disk (the app's exit save uses it)."""
        return bool(self._read_changes or self._flag_changes)

    # -- saving -----------------------------------------------------------------

    def save(self) -> None:
        """Merge this instance's changes into the file under the lock, atomically.

        A no-op when disabled or clean. On failure the changes stay pending (the next
        save retries) and one warning says the marks are kept for this session only.
        """
        if self.path is None:
            return
        with self._mutex:
            if not self.dirty:
                return
            try:
                self._save_unlocked()
            except _LockTimeout:
                self._warn_once(
                    "lock",
                    f"Another Broadsheet is holding {_show(self.path)}.lock; "
                    "read/flag marks will be saved later.",
                )
            except Exception as error:  # OSError mostly; anything else must not crash the app.
                reason = getattr(error, "strerror", None) or error
                self._warn_once(
                    "write",
                    f"Could not save read/flag marks to {_show(self.path)} "
                    f"({reason}); they are kept for this session only.",
                )

    def _save_unlocked(self) -> None:
        assert self.path is not None
        folder = os.path.dirname(self.path)
        os.makedirs(folder, exist_ok=True)
        with self._locked() as lock_fd:
            if self._synced is None or self._fingerprint(lock_fd) != self._synced:
                self._merge_from_disk()
            if not self._readable:
                # The file exists but cannot be read: writing would destroy it.
                raise PermissionError(13, "the existing state file cannot be read")
            data = _serialise(self._read, self._flagged)
            self._write_atomically(folder, data)
            self._read_changes.clear()
            self._flag_changes.clear()
            self._set_token(lock_fd)
            self._synced = self._fingerprint(lock_fd)

    def reload(self) -> None:
        """Pick up marks other instances saved, keeping this instance's own changes."""
        if self.path is None:
            return
        with self._mutex:
            try:
                with self._locked() as lock_fd:
                    if self._synced is None or self._fingerprint(lock_fd) != self._synced:
                        self._merge_from_disk()
                        if self._readable:
                            self._synced = self._fingerprint(lock_fd)
            except Exception:
                pass  # Reload is opportunistic: the next save merges (and warns) anyway.

    def _merge_from_disk(self) -> None:
        """Replace the view with disk + own changes. Caller holds the file lock.

        A missing file counts as empty (someone reset the marks: respect that). A
        corrupt one is moved aside and this instance's view is kept as the best
        surviving copy rather than starting from nothing.
        """
        try:
            raw = self._read_file()
        except OSError as error:
            if isinstance(error, (FileNotFoundError, NotADirectoryError)):
                raw = None
            else:
                self._readable = False
                raise
        self._readable = True
        read: _Marks = {}
        flagged: _Marks = {}
        if raw is not None:
            try:
                read, flagged = _parse(raw)
            except _Unreadable as problem:
                self._move_aside(problem, keeping=True)
                return
        for marks, changes in ((read, self._read_changes), (flagged, self._flag_changes)):
            for key, value in changes.items():
                if value:
                    marks[key] = None
                else:
                    marks.pop(key, None)
        # Someone else wrote the file, so the marks have most likely changed; comparing
        # 100,000 keys to be sure would cost more than a spurious cache refresh.
        self._read, self._flagged = read, flagged
        self.version += 1

    # -- files ------------------------------------------------------------------

    def _read_file(self) -> bytes | None:
        """The file's bytes, or None when there is none yet."""
        assert self.path is not None
        try:
            with open(self.path, "rb") as handle:
                return handle.read()
        except FileNotFoundError:
            return None

    def _write_atomically(self, folder: str, data: bytes) -> None:
        assert self.path is not None
        fd, temp = tempfile.mkstemp(prefix=f".{STATE_FILENAME}.", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
        _fsync_directory(folder)

    def _move_aside(self, problem: _Unreadable, *, keeping: bool = False) -> None:
        """Rename the bad file to the first free ``.corrupt-<n>``; never delete it."""
        assert self.path is not None
        try:
            aside = _rename_without_overwrite(self.path, f"{self.path}.corrupt-")
        except OSError as error:
            self._readable = False
            self._cannot_move_aside(problem, error)
            return
        then = "keeping this session's marks" if keeping else "starting with no marks"
        hint = " (written by a newer Broadsheet?)" if problem.newer else ""
        self.warnings.append(
            f"The state file {_show(self.path)} was unreadable ({problem.reason}){hint}; "
            f"moved aside to {_show(aside)}; {then}."
        )

    def _cannot_move_aside(self, problem: _Unreadable, error: Exception) -> None:
        assert self.path is not None
        reason = getattr(error, "strerror", None) or str(error) or "the lock is held"
        self._warn_once(
            "aside",
            f"The state file {_show(self.path)} was unreadable ({problem.reason}) and "
            f"could not be moved aside ({reason}); read/flag marks are kept for this "
            "session only.",
        )

    def _warn_unreadable(self, error: Exception) -> None:
        assert self.path is not None
        reason = getattr(error, "strerror", None) or error
        self._warn_once(
            "read",
            f"Could not read the state file {_show(self.path)} ({reason}); "
            "read/flag marks are kept for this session only.",
        )

    def _warn_once(self, kind: str, message: str) -> None:
        """A failing disk would otherwise add a toast on every debounced save."""
        if kind not in self._warned:
            self._warned.add(kind)
            self.warnings.append(message)

    # -- locking ----------------------------------------------------------------

    @contextlib.contextmanager
    def _locked(self) -> Iterator[int]:
        """Hold ``state.json.lock`` exclusively. The lock file is never deleted:
        unlinking a lock file lets two instances lock different inodes."""
        assert self.path is not None
        fd = os.open(self.path + ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if fcntl is not None:
                deadline = time.monotonic() + LOCK_TIMEOUT
                while True:
                    try:
                        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        break
                    except BlockingIOError:
                        if time.monotonic() > deadline:
                            raise _LockTimeout() from None
                        time.sleep(0.002)
                    except OSError:
                        break  # A filesystem without flock (some NFS): carry on unlocked.
            yield fd
        finally:
            os.close(fd)  # Closing releases the flock.

    def _fingerprint(self, lock_fd: int) -> _Fingerprint | None:
        assert self.path is not None
        try:
            info = os.stat(self.path)
        except FileNotFoundError:
            return (_get_token(lock_fd), 0, -1, 0, 0)
        except OSError:
            return None
        return (_get_token(lock_fd), info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)

    def _set_token(self, lock_fd: int) -> None:
        """Tell other instances the file changed, even if its stat looks the same."""
        with contextlib.suppress(OSError):
            os.lseek(lock_fd, 0, os.SEEK_SET)
            os.ftruncate(lock_fd, 0)
            os.write(lock_fd, os.urandom(8).hex().encode("ascii"))


class _LockTimeout(Exception):
    """Another instance held the lock too long."""


def _get_token(lock_fd: int) -> str | None:
    try:
        os.lseek(lock_fd, 0, os.SEEK_SET)
        return os.read(lock_fd, 64).decode("ascii", "replace")
    except OSError:
        return None


def _rename_without_overwrite(path: str, prefix: str) -> str:
    """Move *path* to ``<prefix><n>`` for the first free n. A hard link fails rather
    than overwrite, so an earlier casualty is never clobbered; where links are not
    supported, check-then-rename (the caller holds the state lock)."""
    for number in range(1, 10_000):
        target = f"{prefix}{number}"
        try:
            os.link(path, target)
        except FileExistsError:
            continue
        except OSError:
            if os.path.lexists(target):
                continue
            os.rename(path, target)
            return target
        os.unlink(path)
        return target
    raise OSError(f"too many earlier {prefix}<n> files")


def _fsync_directory(folder: str) -> None:
    """Make the rename durable. Not possible on Windows; best effort elsewhere."""
    if os.name == "nt":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
