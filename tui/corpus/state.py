"""Read/unread and flag marks, kept on disk between runs.

Marks are keyed by the article's content hash (:attr:`Article.key`), so renaming or
moving a file keeps its marks and an edited article starts fresh.

The file is ``state.json`` in :func:`state_directory`::

    {"version":1,"read":["<key>",...],"flagged":["<key>",...]}

Two lists of keys, no whitespace: 35 bytes a key, so 100,000 read articles are a
3.5 MB file that reads and writes in milliseconds. A dict of key → bitmask would be no
smaller and slower to parse. A key in neither list is unread and unflagged; other
top-level fields are ignored (room to grow in version 1). Each list is written group
by group (256 groups by the key's last two hex digits), each group in the order its
keys were marked: the same marks give the same file, without sorting. Any order reads.

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
* **Nothing is followed.** Every file in the state folder is opened with ``O_NOFOLLOW``
  (and ``O_CLOEXEC``): a ``state.json`` that is a link, a FIFO, a device or over
  :data:`MAX_STATE_BYTES` is never read (a FIFO would block the open, ``/dev/zero``
  would fill memory) but set aside like a corrupt one; a lock that is a link or not a
  regular file is refused, so marks stay in memory rather than be written through it.
  Temp files are created ``O_EXCL``, and stale ones of our own pattern (left by a save
  that was killed) are removed at start, under the lock.
* **Off the UI thread, and never one long step.** :meth:`ReadState.load` and
  :meth:`ReadState.save` are meant for a worker thread: a 100 MB file takes a second or
  two to parse. A worker still stalls the UI thread whenever it holds the GIL in one C
  call, so no step touches more than a few thousand keys at once: the marks are kept
  in 256 small groups (:class:`_Marks`; one set of 1.5 million keys is reorganised
  whole as it grows, 80-380 ms); a load builds new groups and swaps them in by
  reference under the mutex, with the marks made meanwhile applied on top, and frees
  the old ones a group at a time; a save borrows the groups (copy-on-write: a mark
  made meanwhile copies its one group) instead of copying 1.5 million keys; the file
  is searched, parsed and written in chunks, with *pause* called between them. The
  load records what it read (the lock's token and the file's inode, size and times),
  so the first save does not read the file again unless someone changed it.
* **Read-only commands** (``--list --query is:read``) open with ``read_only=True``:
  nothing in the folder is created, moved or written; a bad file is only reported.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import json
import os
import re
import secrets
import stat
import threading
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence

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

MAX_STATE_BYTES = 256 << 20
"""A state file larger than this is not read (set aside instead). Two lists of 35-byte
keys: a million articles read and flagged are 70 MB, and the issue's probe file of
1.5 million keys in both lists is 107 MB; nothing Broadsheet writes comes near this."""

STALE_TEMP_SECONDS = 60.0
"""A temp file of ours this old, found while holding the lock, is left by a dead save."""

_TEMP_NAME = re.compile(r"\.(?:state|history)\.json\.[A-Za-z0-9_]{8,32}\.tmp\Z")
"""Temp files saves make: ``.state.json.<random>.tmp`` (this version: 16 hex digits;
earlier ones used :func:`tempfile.mkstemp`'s 8 characters), and the query history's
``.history.json.<random>.tmp`` (:mod:`corpus.history`)."""

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation
_READ_CHUNK = 1 << 20

_Pause = Callable[[], None]
"""Called between chunks of a long load or save (the app passes its foreground
pause, so the state thread stands aside while a key is answered)."""

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


_SHARD_BITS = 8
_SHARDS = 1 << _SHARD_BITS
_NIBBLE = bytes(
    int(chr(code), 16) if chr(code) in "0123456789abcdefABCDEF" else code & 15
    for code in range(128)
)
"""A character's group digit: a hex digit's value (keys are content hashes: uniform),
any other character's low bits (a hand-edited key still lands somewhere)."""


def _shard(key: str) -> int:
    """Which group holds *key*: its last two characters, read as hex digits. Not
    ``hash()``: that differs between runs, and the file's order would with it."""
    try:
        return _NIBBLE[ord(key[-2]) & 127] << 4 | _NIBBLE[ord(key[-1]) & 127]
    except IndexError:
        return _NIBBLE[ord(key) & 127] if key else 0


class _Marks:
    """An insertion-ordered set of keys, kept in :data:`_SHARDS` small dicts.

    One dict of 1.5 million keys is reorganised whole, in one C call holding the GIL
    (80-380 ms), each time it grows past a size, and copying it for a save is another;
    no thread may do that while the UI runs. Here every such step touches one group
    (~6,000 keys at 1.5 million). Iteration is group by group, each in the order its
    keys were added: stable from save to save, without sorting.

    :meth:`freeze` lends the groups to a save without copying them; a group is copied
    (one group, bounded) the first time a mark changes it while frozen.
    """

    __slots__ = ("shards", "_frozen")

    def __init__(self) -> None:
        self.shards: list[dict[str, None]] = [{} for _ in range(_SHARDS)]
        self._frozen: list[bool] | None = None
        """Per group: shared with a save's snapshot, so copy before changing."""

    def __contains__(self, key: str) -> bool:
        index = _shard(key)
        return key in self.shards[index]

    def __len__(self) -> int:
        return sum(map(len, self.shards))

    def __iter__(self) -> Iterator[str]:
        for shard in self.shards:
            yield from shard

    def add(self, key: str) -> bool:
        """Add *key* (at the end of its group); False if it was there."""
        index = _shard(key)
        shard = self.shards[index]
        if key in shard:
            return False
        self._own(index)[key] = None
        return True

    def discard(self, key: str) -> bool:
        index = _shard(key)
        if key not in self.shards[index]:
            return False
        del self._own(index)[key]
        return True

    def _own(self, index: int) -> dict[str, None]:
        frozen = self._frozen
        if frozen is not None and frozen[index]:
            frozen[index] = False
            self.shards[index] = dict(self.shards[index])
        return self.shards[index]

    def freeze(self) -> list[dict[str, None]]:
        """The groups as they are now, for a save to read without the mutex: until
        :meth:`thaw`, a change copies its group first, so these never change."""
        self._frozen = [True] * _SHARDS
        return self.shards.copy()

    def thaw(self) -> None:
        self._frozen = None

    def add_all(self, keys: Iterable[str]) -> None:
        """Add many keys (building a fresh set in a worker: never frozen)."""
        shards, nibble = self.shards, _NIBBLE
        for key in keys:
            try:
                index = nibble[ord(key[-2]) & 127] << 4 | nibble[ord(key[-1]) & 127]
            except IndexError:
                index = _shard(key)
            shards[index][key] = None

    def release(self, pause: _Pause | None) -> None:
        """Empty the set a group at a time: freeing a million keys at once is one C
        call too. For a set just swapped out: a reader that still holds it (a moment's
        race) finds groups, old or empty, never an error."""
        shards = self.shards
        for index in range(len(shards)):
            shards[index] = {}
            if pause is not None:
                pause()


def _new_marks(keys: Iterable[str], pause: _Pause | None = None) -> _Marks:
    """A :class:`_Marks` of *keys* (a list of any size), added in chunks with pauses."""
    marks = _Marks()
    if isinstance(keys, list):
        for first in range(0, len(keys), _CHUNK_KEYS):
            marks.add_all(keys[first : first + _CHUNK_KEYS])
            if pause is not None:
                pause()
    else:
        marks.add_all(keys)
    return marks


def _parse(raw: bytes, pause: _Pause | None = None) -> tuple[_Marks, _Marks]:
    """Check the shape strictly: anything unexpected is treated as corruption.

    The file as :func:`_serialise` writes it (plain keys) is read in chunks, handing
    the GIL over between them; anything else goes through :func:`json.loads` (one C
    call: a big hand-edited file holds the GIL while it parses, but is read right).
    """
    fast = _parse_plain(raw, pause)
    if fast is not None:
        return fast
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
        if not isinstance(keys, list) or not all(type(key) is str for key in keys):
            raise _Unreadable(f'its "{name}" field is not a list of keys')
        marks.append(_new_marks(keys, pause))
        while keys:  # freed a chunk at a time, not in one C call
            del keys[-_CHUNK_KEYS:]
    return marks[0], marks[1]


_HEAD = b'{"version":%d,"read":' % FORMAT_VERSION
_MIDDLE = b',"flagged":'
_SEPARATOR = b'","'
_SIMPLE = bytes(range(0x20, 0x7F)).translate(None, b'"\\[],')
"""Key bytes the chunked reader accepts: printable ASCII but the quote, backslash,
brackets and comma, so a list's end and its separators can be found by search."""
_CHUNK_BYTES = 1 << 18
"""About 7,500 keys: well under a millisecond in any one C call (slicing, checking,
decoding, splitting), then a short Python loop adding them to their groups."""
_CHUNK_KEYS = 8_000


def _parse_plain(raw: bytes, pause: _Pause | None) -> tuple[_Marks, _Marks] | None:
    """``{"version":1,"read":[…],"flagged":[…]}`` with simple keys, in chunks; None for
    anything else (then :mod:`json` decides). Same result as :func:`json.loads`."""
    if not raw.startswith(_HEAD) or not raw.endswith(b"}"):
        return None
    read_end = _find(raw, b"]", len(_HEAD), pause)
    if read_end < 0:
        return None
    read = _parse_plain_list(raw, len(_HEAD), read_end, pause)
    flagged_start = read_end + 1 + len(_MIDDLE)
    if read is None or raw[read_end + 1 : flagged_start] != _MIDDLE:
        return None
    flagged_end = _find(raw, b"]", flagged_start, pause)
    if flagged_end != len(raw) - 2:
        return None
    flagged = _parse_plain_list(raw, flagged_start, flagged_end, pause)
    if flagged is None:
        return None
    return read, flagged


def _find(raw: bytes, byte: bytes, start: int, pause: _Pause | None) -> int:
    """``raw.find(byte, start)``, a megabyte at a time: one search through 50 MB holds
    the GIL for ~10 ms."""
    while start < len(raw):
        found = raw.find(byte, start, start + _READ_CHUNK)
        if found >= 0:
            return found
        start += _READ_CHUNK
        if pause is not None:
            pause()
    return -1


def _parse_plain_list(raw: bytes, start: int, end: int, pause: _Pause | None) -> _Marks | None:
    """The keys of the list ``raw[start:end + 1]`` (``[`` … ``]``), or None."""
    if raw[start : start + 1] != b"[":
        return None
    marks = _Marks()
    if end == start + 1:
        return marks
    stop = end - 1  # the closing quote
    if end < start + 3 or raw[start + 1] != 0x22 or raw[stop] != 0x22:
        return None
    begin = start + 2
    while True:
        far = begin + _CHUNK_BYTES
        cut = raw.find(_SEPARATOR, far, stop) if far < stop else -1
        piece = raw[begin : stop if cut < 0 else cut]
        # Deleting the simple bytes must leave exactly the separators: then the piece
        # is keys of simple bytes joined by '","', and splitting reads them all.
        if piece.translate(None, _SIMPLE) != _SEPARATOR * piece.count(_SEPARATOR):
            return None
        marks.add_all(piece.decode("ascii").split('","'))
        if cut < 0:
            return marks
        begin = cut + len(_SEPARATOR)
        if pause is not None:
            pause()


def _serialise(read: Iterable[str], flagged: Iterable[str]) -> bytes:
    """The whole file, compact, keys in the order given (see :func:`_serialise_chunks`)."""
    return b"".join(_serialise_chunks([list(read)], [list(flagged)]))


def _serialise_chunks(
    read: Sequence[Collection[str]], flagged: Sequence[Collection[str]], pause: _Pause | None = None
) -> Iterator[bytes]:
    """The file in pieces of a few thousand keys, written as they come: a save of
    1.5 million keys never holds the GIL for long, nor builds a second copy. Each
    list is given as groups of keys (a :class:`_Marks`' groups), written one after
    another."""
    yield _HEAD
    yield from _json_list_chunks(read, pause)
    yield _MIDDLE
    yield from _json_list_chunks(flagged, pause)
    yield b"}"


_PLAIN = bytes(range(0x20, 0x7F)).replace(b'"', b"").replace(b"\\", b"")
"""Bytes a JSON string may hold unescaped (printable ASCII but the quote and backslash)."""


def _json_list_chunks(groups: Sequence[Collection[str]], pause: _Pause | None) -> Iterator[bytes]:
    yield b"["
    first = True
    for group in groups:
        keys = iter(group)
        for _ in range(0, len(group), _CHUNK_KEYS):
            if not first:
                if pause is not None:
                    pause()
                yield b","
            first = False
            yield _json_items(list(itertools.islice(keys, _CHUNK_KEYS)))
    yield b"]"


def _json_items(keys: Sequence[str]) -> bytes:
    """*keys* as the inside of a JSON array. Hand-assembled because ``json.dumps`` of
    100,000 strings costs ~35 ms here against ~3 ms for a join; the output is the same
    JSON. Content hashes need no escaping, and one C-speed pass proves it: deleting
    the plain bytes from the joined text must leave exactly the separators' quotes.
    Anything else goes through :mod:`json`."""
    body = '","'.join(keys)
    if body.isascii():
        encoded = body.encode("ascii")
        if encoded.translate(None, _PLAIN) == b'"' * (2 * (len(keys) - 1)):
            return b'"' + encoded + b'"'
    return json.dumps(list(keys), ensure_ascii=True, separators=(",", ":")).encode("ascii")[1:-1]


def _show(path: str) -> str:
    """A path safe to put in a toast (a hostile env var must not inject escapes)."""
    return neutralise_line(path)


class ReadState:
    """Which articles are read and which are flagged, persisted across runs.

    Use :meth:`open`; it never raises. Queries (:meth:`is_read`, :meth:`is_flagged`)
    are a dict lookup in the key's group, cheap enough for a filter over 100,000
    articles (~0.1 µs). Mutators take a mutex that :meth:`load` and :meth:`save` hold
    only for moments, so the app loads and saves from a worker thread while the UI
    thread keeps marking.
    """

    def __init__(self, path: str | None, *, read_only: bool = False) -> None:
        self.path: str | None = path
        """The state file, or None when state is disabled (``--no-state``)."""
        self.read_only = read_only
        """Never create, move or write anything on disk (commands that only read)."""
        self.warnings: list[str] = []
        """Human messages to show once; the app may clear the list after showing them."""
        self.version: int = 0
        """Bumped whenever the visible marks change, so query caches can notice."""
        self._read = _Marks()
        self._flagged = _Marks()
        self._read_changes: dict[str, bool] = {}
        """This instance's own changes since it last synced with disk: what a save
        applies on top of whatever is on disk by then."""
        self._flag_changes: dict[str, bool] = {}
        self._synced: _Fingerprint | None = None
        """The file as this instance last wrote or read it under the lock; when the
        file still matches, a save can skip re-reading it."""
        self._readable = True
        """False when the file exists but could not be read: never overwrite it then."""
        self._loaded = path is None
        """The file has been read (or could not be): :meth:`load` has nothing to do."""
        self._warned: set[str] = set()
        self._mutex = threading.RLock()
        """Guards the marks and the pending changes; held only for moments."""
        self._disk = threading.RLock()
        """One load, save or reload of this instance at a time (they may be slow)."""

    # -- opening ----------------------------------------------------------------

    @classmethod
    def open(
        cls,
        directory: str | None = None,
        *,
        enabled: bool = True,
        read_only: bool = False,
        load: bool = True,
    ) -> ReadState:
        """The marks kept in *directory* (default :func:`state_directory`).

        Creates nothing on disk: the folder and file appear on the first save. With
        ``load=False`` nothing is read yet: call :meth:`load` (from a worker thread).
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
        state = cls(os.path.join(folder, STATE_FILENAME), read_only=read_only)
        if load:
            state.load()
        return state

    @property
    def loaded(self) -> bool:
        """The marks on disk are in (or there were none, or they could not be read)."""
        return self._loaded

    def load(self, pause: _Pause | None = None) -> None:
        """Read the marks on disk, once; never raises.

        Marks set before it finishes are kept: they are applied on top of what was
        read. Then stale temp files of ours are removed (not when read-only).
        """
        if self._loaded:
            return
        with self._disk:
            if self._loaded:
                return  # A save merged the file meanwhile.
            try:
                loaded = self._load_unlocked(pause)
            except Exception as error:  # A bug or an odd path must not stop the reader.
                self._readable = False
                self._warn_unreadable(error)
                loaded = None
            with self._mutex:
                old = self._adopt(*loaded) if loaded is not None else ()
                self._loaded = True
            for marks in old:
                marks.release(pause)
            if not self.read_only:
                self._remove_stale_temp_files()

    def _load_unlocked(self, pause: _Pause | None) -> tuple[_Marks, _Marks] | None:
        """Read the file without the lock (writers replace it atomically, so a plain
        read sees a whole old or whole new file). Corruption is re-checked under the
        lock before moving anything aside, in case a good file just replaced it."""
        assert self.path is not None
        try:
            token = self._peek_token()
            found = self._read_file()
            if found is None:
                if token is not None:
                    self._synced = (token, 0, -1, 0, 0)  # as _fingerprint has it
                return None
            raw, info = found
            marks = _parse(raw, pause)
            if token is not None:
                # What was read, as a save's _fingerprint will see it if no one wrote
                # since: then the first save need not read 107 MB again. The token was
                # read first, so a save that came in between changes it: no false match.
                self._synced = (token, info.st_ino, info.st_size, info.st_mtime_ns,
                                info.st_ctime_ns)  # fmt: skip
            return marks
        except NotADirectoryError:
            return None  # The folder is a file: nothing to load; the first save warns.
        except _Unreadable as problem:
            first_problem = problem
        except OSError as error:
            self._readable = False
            self._warn_unreadable(error)
            return None
        if self.read_only:
            self._readable = False
            self._leave_in_place(first_problem)
            return None
        try:
            with self._locked() as lock_fd:
                try:
                    found = self._read_file()
                    return None if found is None else _parse(found[0], pause)
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
        try:  # _shard(), inlined: a filter asks this 100,000 times
            index = _NIBBLE[ord(key[-2]) & 127] << 4 | _NIBBLE[ord(key[-1]) & 127]
        except IndexError:
            index = _shard(key)
        return key in self._read.shards[index]

    def is_flagged(self, key: str) -> bool:
        try:
            index = _NIBBLE[ord(key[-2]) & 127] << 4 | _NIBBLE[ord(key[-1]) & 127]
        except IndexError:
            index = _shard(key)
        return key in self._flagged.shards[index]

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
        if marks.add(key) if value else marks.discard(key):
            self.version += 1

    def _adopt(self, read: _Marks, flagged: _Marks) -> tuple[_Marks, _Marks]:
        """Make marks read from disk the view, with this instance's own changes on top:
        a swap of references. Caller holds the mutex (a moment: the changes are few)
        and releases the old marks it returns, outside it, with :meth:`_Marks.release`.
        """
        for marks, changes in ((read, self._read_changes), (flagged, self._flag_changes)):
            for key, value in changes.items():
                if value:
                    marks.add(key)
                else:
                    marks.discard(key)
        # Someone else wrote the file, so the marks have most likely changed; comparing
        # 100,000 keys to be sure would cost more than a spurious cache refresh.
        old = self._read, self._flagged
        self._read, self._flagged = read, flagged
        self.version += 1
        return old

    @property
    def dirty(self) -> bool:
        """True while there are changes not yet on disk (the app's exit save uses it)."""
        return bool(self._read_changes or self._flag_changes)

    # -- saving -----------------------------------------------------------------

    def save(self, pause: _Pause | None = None) -> None:
        """Merge this instance's changes into the file under the lock, atomically.

        A no-op when disabled, read-only or clean. On failure the changes stay pending
        (the next save retries) and one warning says the marks are kept for this
        session only. Marks set while it runs are not lost: they stay pending.
        """
        if self.path is None or self.read_only or not self.dirty:
            return
        with self._disk:
            if not self.dirty:
                return
            try:
                self._save_unlocked(pause)
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

    def _save_unlocked(self, pause: _Pause | None) -> None:
        assert self.path is not None
        folder = os.path.dirname(self.path)
        os.makedirs(folder, exist_ok=True)
        with self._locked() as lock_fd:
            if self._synced is None or self._fingerprint(lock_fd) != self._synced:
                self._merge_from_disk(pause)
            if not self._readable:
                # The file exists but cannot be read: writing would destroy it.
                raise PermissionError(13, "the existing state file cannot be read")
            with self._mutex:  # a moment: the groups are lent, not copied (see freeze)
                read, flagged = self._read.freeze(), self._flagged.freeze()
                written = (dict(self._read_changes), dict(self._flag_changes))
            try:
                self._write_atomically(folder, _serialise_chunks(read, flagged, pause))
            finally:
                with self._mutex:
                    self._read.thaw()
                    self._flagged.thaw()
            with self._mutex:
                # A change made while writing stays pending (unless it was undone).
                for changes, done in zip(
                    (self._read_changes, self._flag_changes), written, strict=True
                ):
                    for key, value in done.items():
                        if changes.get(key) is value:
                            del changes[key]
            self._set_token(lock_fd)
            self._synced = self._fingerprint(lock_fd)

    def reload(self) -> None:
        """Pick up marks other instances saved, keeping this instance's own changes."""
        if self.path is None or self.read_only:
            return
        with self._disk:
            try:
                with self._locked() as lock_fd:
                    if self._synced is None or self._fingerprint(lock_fd) != self._synced:
                        self._merge_from_disk(None)
                        if self._readable:
                            self._synced = self._fingerprint(lock_fd)
            except Exception:
                pass  # Reload is opportunistic: the next save merges (and warns) anyway.

    def _merge_from_disk(self, pause: _Pause | None) -> None:
        """Replace the view with disk + own changes. Caller holds the file lock.

        A missing file counts as empty (someone reset the marks: respect that). A
        corrupt one is moved aside and this instance's view is kept as the best
        surviving copy rather than starting from nothing.
        """
        try:
            found = self._read_file()
        except _Unreadable as problem:
            self._move_aside(problem, keeping=True)
            return
        except OSError as error:
            if isinstance(error, (FileNotFoundError, NotADirectoryError)):
                found = None
            else:
                self._readable = False
                raise
        self._readable = True
        read, flagged = _Marks(), _Marks()
        if found is not None:
            try:
                read, flagged = _parse(found[0], pause)
            except _Unreadable as problem:
                self._move_aside(problem, keeping=True)
                return
        with self._mutex:
            old = self._adopt(read, flagged)
            self._loaded = True
        for marks in old:
            marks.release(pause)

    # -- files ------------------------------------------------------------------

    def _read_file(self) -> tuple[bytes, os.stat_result] | None:
        assert self.path is not None
        return read_regular_file(self.path, MAX_STATE_BYTES)

    def _peek_token(self) -> str | None:
        """The lock file's token, read without locking or creating anything ("" when
        there is no lock file: a save's new one starts empty); None if unusable."""
        assert self.path is not None
        try:
            fd = os.open(self.path + ".lock", os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _CLOEXEC)
        except FileNotFoundError:
            return ""
        except OSError:
            return None
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_nlink > 1:
                return None
            return _get_token(fd)
        finally:
            os.close(fd)

    def _write_atomically(self, folder: str, chunks: Iterable[bytes]) -> None:
        assert self.path is not None and os.path.dirname(self.path) == folder
        write_atomically(self.path, chunks)

    def _remove_stale_temp_files(self) -> None:
        """Delete ``.state.json.<random>.tmp`` files a killed save left behind.

        Only ours (the name pattern, a regular file, our user) and only stale: found
        while holding the lock (every save holds it while its temp file exists) and
        older than :data:`STALE_TEMP_SECONDS` in case the filesystem ignores flock. If
        another instance holds the lock, they wait for the next start. Unlinking never
        follows a link, and links are not ours anyway: they are left alone.
        """
        assert self.path is not None
        folder = os.path.dirname(self.path)
        try:
            names = [name for name in os.listdir(folder) if _TEMP_NAME.match(name)]
        except OSError:
            return
        if not names:
            return  # The common case takes no lock (and creates no lock file).
        uid = os.geteuid() if hasattr(os, "geteuid") else None
        try:
            with self._locked(timeout=0):
                now = time.time()
                for name in names:
                    path = os.path.join(folder, name)
                    with contextlib.suppress(OSError):
                        info = os.lstat(path)
                        if (
                            stat.S_ISREG(info.st_mode)
                            and (uid is None or info.st_uid == uid)
                            and now - info.st_mtime > STALE_TEMP_SECONDS
                        ):
                            os.unlink(path)
        except (OSError, _LockTimeout):
            pass  # Someone else is saving, or the lock is refused: not now.

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

    def _leave_in_place(self, problem: _Unreadable) -> None:
        """Read-only: say what is wrong, touch nothing (the reader will set it aside)."""
        assert self.path is not None
        hint = " (written by a newer Broadsheet?)" if problem.newer else ""
        self._warn_once(
            "read",
            f"The state file {_show(self.path)} is unreadable ({problem.reason}){hint}; "
            "its marks are ignored and it is left in place (opening the reader sets "
            "it aside).",
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
        if self.read_only:
            then = "its marks are ignored"
        else:
            then = "read/flag marks are kept for this session only"
        path = _show(self.path)
        self._warn_once("read", f"Could not read the state file {path} ({reason}); {then}.")

    def _warn_once(self, kind: str, message: str) -> None:
        """A failing disk would otherwise add a toast on every debounced save."""
        if kind not in self._warned:
            self._warned.add(kind)
            self.warnings.append(message)

    # -- locking ----------------------------------------------------------------

    @contextlib.contextmanager
    def _locked(self, timeout: float | None = None) -> Iterator[int]:
        """Hold ``state.json.lock`` exclusively (waiting *timeout* seconds at most,
        default :data:`LOCK_TIMEOUT`). The lock file is never deleted: unlinking a
        lock file lets two instances lock different inodes. Saves write a token into
        it, so it must be a regular file of its own: a link (or a hard link to some
        other file) would be written through, and is refused."""
        assert self.path is not None
        lock = self.path + ".lock"
        name = os.path.basename(lock)
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT | _NOFOLLOW | _NONBLOCK | _CLOEXEC, 0o600)
        except OSError as error:
            if error.errno in (errno.ELOOP, errno.EMLINK) and os.path.islink(lock):
                raise _NotRegular(f"{name} is a symbolic link, not a regular file") from None
            raise
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise _NotRegular(f"{name} is {_kind(info.st_mode)}, not a regular file")
            if info.st_nlink > 1:
                raise _NotRegular(f"{name} has other hard links, so it is not ours alone")
            if fcntl is not None:
                wait = LOCK_TIMEOUT if timeout is None else timeout
                deadline = time.monotonic() + wait
                while True:
                    try:
                        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        break
                    except BlockingIOError:
                        if time.monotonic() >= deadline:
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
            info = os.lstat(self.path)
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


class _NotRegular(OSError):
    """A file in the state folder that must not be opened (a link, a FIFO…)."""

    def __init__(self, reason: str) -> None:
        super().__init__(errno.EINVAL, reason)


def read_regular_file(path: str, cap: int) -> tuple[bytes, os.stat_result] | None:
    """A state folder file's bytes and what ``fstat`` said of it, or None when there is
    none.

    Opened without following a link and without blocking (a FIFO would block the open
    itself); anything but a regular file of at most *cap* bytes raises
    :class:`_Unreadable`, read or not. A folder raises IsADirectoryError.
    """
    if not _NOFOLLOW and os.path.islink(path):  # pragma: no cover - Windows
        raise _Unreadable("it is a symbolic link, not a regular file")
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _CLOEXEC | _BINARY)
    except FileNotFoundError:
        return None
    except OSError as error:
        if error.errno in (errno.ELOOP, errno.EMLINK) and os.path.islink(path):
            raise _Unreadable("it is a symbolic link, not a regular file") from None
        raise
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, "it is a folder")
        if not stat.S_ISREG(info.st_mode):
            raise _Unreadable(f"it is {_kind(info.st_mode)}, not a regular file")
        if info.st_size > cap:
            raise _Unreadable(_too_large(cap))
        return _read_capped(fd, info.st_size, cap), info
    finally:
        os.close(fd)


def write_atomically(path: str, chunks: Iterable[bytes]) -> None:
    """Replace the state folder file *path* with *chunks*: a temp file of its own name
    (``.<name>.<random>.tmp``), fsynced, then renamed over it (a link is replaced,
    never written through), and the folder fsynced."""
    folder, name = os.path.split(path)
    fd, temp = _create_temp_file(folder, name)
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)  # replaces a link itself, never its target
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _fsync_directory(folder)


def read_json_document(path: str, cap: int, version: int) -> dict[str, object] | None:
    """The JSON object a small state folder file holds (read as :func:`read_regular_file`
    reads), if its ``"version"`` is *version*; None when there is no such file.
    Raises :class:`_Unreadable` saying why for anything else (or OSError)."""
    found = read_regular_file(path, cap)
    if found is None:
        return None
    try:
        document = json.loads(found[0].decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _Unreadable("it is not valid JSON") from None
    if not isinstance(document, dict):
        raise _Unreadable("it is not a JSON object")
    if document.get("version") != version:
        raise _Unreadable(f"it is not of version {version}")
    return document


def write_json_document(path: str, document: dict[str, object]) -> None:
    """Write *document* to the small state folder file *path* (:func:`write_atomically`),
    making the folder if need be."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    data = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    write_atomically(path, [data.encode("utf-8")])


def _kind(mode: int) -> str:
    """What a file that is not a regular file is, for a warning."""
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def _too_large(cap: int) -> str:
    return f"it is larger than {cap:,} bytes, more than any state file Broadsheet writes"


def _read_capped(fd: int, size: int, cap: int) -> bytes:
    """Read *fd* to its end, but never more than *cap* bytes (the size fstat gave may
    be stale, or wrong on an odd filesystem)."""
    chunks: list[bytes] = []
    total = 0
    want = min(size, cap) + 1  # one more than expected: the end shows as an empty read
    while True:
        chunk = os.read(fd, want)
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        if total > cap:
            raise _Unreadable(_too_large(cap))
        want = min(_READ_CHUNK, cap + 1 - total)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _create_temp_file(folder: str, name: str = STATE_FILENAME) -> tuple[int, str]:
    """A new ``.<name>.<16 hex>.tmp``: created, never opened if it exists, never
    through a link."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC | _BINARY
    for _ in range(100):
        path = os.path.join(folder, f".{name}.{secrets.token_hex(8)}.tmp")
        try:
            return os.open(path, flags, 0o600), path
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temp file name")


def _get_token(lock_fd: int) -> str | None:
    try:
        os.lseek(lock_fd, 0, os.SEEK_SET)
        return os.read(lock_fd, 64).decode("ascii", "replace")
    except OSError:
        return None


def _rename_without_overwrite(path: str, prefix: str) -> str:
    """Move *path* to ``<prefix><n>`` for the first free n. A hard link fails rather
    than overwrite, so an earlier casualty is never clobbered; where links are not
    supported, check-then-rename (the caller holds the state lock). A symbolic link is
    moved itself (linked without following it), never its target."""
    for number in range(1, 10_000):
        target = f"{prefix}{number}"
        try:
            os.link(path, target, follow_symlinks=False)
        except FileExistsError:
            continue
        except (OSError, NotImplementedError):
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
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _CLOEXEC)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
