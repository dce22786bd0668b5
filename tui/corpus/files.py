"""Finding article files and decoding them, without trusting anything on disk.

A folder may hold symlink loops, FIFOs (opening one would block forever), devices,
huge files and bytes in any encoding. Nothing here raises for a bad file: it is
reported as :class:`Skipped` and the walk goes on.
"""

from __future__ import annotations

import codecs
import errno
import functools
import operator
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

ARTICLE_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".eml", ".html", ".htm"})
"""Saved web pages (``.html``, ``.htm``) are read by :mod:`webpage`, the rest as text
(an ``.eml`` as the e-mail it is: :func:`headers.decoded_email`)."""

MAX_BYTES = 1 << 20
"""Read at most this much of a file: real articles are far smaller, and a 50 MB log
dropped in the folder must not exhaust memory or stall the load."""


class CorpusPathError(Exception):
    """A path the user named cannot be used (missing, unreadable, not a file or folder)."""


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file that was found but not read, and why."""

    path: str
    reason: str


@dataclass(slots=True)
class SourceText:
    """The decoded text of one file, newlines normalised to ``\\n``."""

    path: str
    text: str
    encoding: str
    size: int
    warnings: list[str] = field(default_factory=list)
    utf8: bytes | None = None
    """The bytes read, when they are exactly *text* in UTF-8 but for line endings (a
    whole file decoded as UTF-8 without a BOM): parsing searches them faster."""


def _human_size(size: int) -> str:
    if size >= 1 << 20:
        return f"{size / (1 << 20):.1f} MB"
    if size >= 1 << 10:
        return f"{size / (1 << 10):.1f} KB"
    return f"{size} bytes"


def _kind_of(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


VANISHED = "vanished while reading"
"""Why a file listed in its folder could not be found a moment later: deleted (or
renamed) while the folder was read, as a sync or a scraper does."""


def _missing(path: str) -> str:
    """Why *path*, just listed in its folder, is not found: a link to nothing, or gone.

    ``stat`` says ENOENT for both; ``lstat`` tells them apart (a dangling link still
    exists itself)."""
    try:
        info = os.lstat(path)
    except OSError:
        return VANISHED
    return "broken symbolic link" if stat.S_ISLNK(info.st_mode) else VANISHED


def check_paths(paths: Iterable[str]) -> None:
    """Raise CorpusPathError for a named path that cannot be read, before any work."""
    for path in paths:
        next(iter(discover([path])), None)


def discover(paths: Iterable[str | os.PathLike[str]]) -> Iterator[str | Skipped]:
    """Yield the article files under *paths* (see :func:`discover_with_status`)."""
    return _discover(paths, False)  # type: ignore[return-value]


def discover_with_status(
    paths: Iterable[str | os.PathLike[str]],
) -> Iterator[tuple[str, os.stat_result] | Skipped]:
    """:func:`discover`, each file with the status the walk took of it anyway (the
    store compares size, mtime and inode with it: no second stat per file)."""
    return _discover(paths, True)  # type: ignore[return-value]


def _discover(
    paths: Iterable[str | os.PathLike[str]], with_status: bool
) -> Iterator[str | tuple[str, os.stat_result] | Skipped]:
    """Yield the article files under *paths* (files or folders, read recursively).

    Folders are walked in name order so the result is deterministic; symlinked
    folders are followed once (a loop is not entered twice); hidden folders are
    skipped. Files named on the command line are taken whatever their suffix.
    Raises :class:`CorpusPathError` for a named path that does not exist or cannot
    be read; everything found inside folders is reported, never raised.
    """
    seen_dirs: set[tuple[int, int]] = set()
    seen_files: set[tuple[int, int]] = set()
    for given in paths:
        path = os.fspath(given)
        try:
            info = os.stat(path)
        except FileNotFoundError:
            if os.path.islink(path):
                raise CorpusPathError(f"{path}: broken symbolic link") from None
            raise CorpusPathError(f"{path}: no such file or folder") from None
        except OSError as exc:
            raise CorpusPathError(f"{path}: {exc.strerror or exc}") from None
        if stat.S_ISDIR(info.st_mode):
            if not os.access(path, os.R_OK | os.X_OK):
                raise CorpusPathError(f"{path}: permission denied")
            yield from _walk(path, seen_dirs, seen_files, with_status)
        elif stat.S_ISREG(info.st_mode):
            if not os.access(path, os.R_OK):
                raise CorpusPathError(f"{path}: permission denied")
            key = (info.st_dev, info.st_ino)
            if key not in seen_files:
                seen_files.add(key)
                yield (path, info) if with_status else path
        else:
            raise CorpusPathError(f"{path}: {_kind_of(info.st_mode)}, not a file or folder")


def _walk(
    root: str,
    seen_dirs: set[tuple[int, int]],
    seen_files: set[tuple[int, int]],
    with_status: bool = False,
) -> Iterator[str | tuple[str, os.stat_result] | Skipped]:
    stack = [root]
    # Symlinked folders wait until every real folder is walked, so a file reachable
    # both ways is reported under its real path and a loop is cut at the link.
    linked: list[str] = []
    while stack or linked:
        folder = stack.pop() if stack else linked.pop(0)
        try:
            info = os.stat(folder)
        except FileNotFoundError:
            yield Skipped(folder, _missing(folder))
            continue
        except OSError as exc:
            yield Skipped(folder, exc.strerror or str(exc))
            continue
        key = (info.st_dev, info.st_ino)
        if key in seen_dirs:
            continue  # a symlink loop, or the same folder reached twice
        seen_dirs.add(key)
        try:
            with os.scandir(folder) as entries:
                ordered = sorted(entries, key=_name)
        except FileNotFoundError:
            yield Skipped(folder, VANISHED)
            continue
        except OSError as exc:
            yield Skipped(folder, f"folder not readable: {exc.strerror or exc}")
            continue
        subfolders: list[str] = []
        for entry in ordered:
            name = entry.name
            kind = _folder_kind(entry)
            if kind is not None:
                if kind != _HIDDEN:
                    (linked if kind == _LINKED else subfolders).append(entry.path)
                continue
            if not _article_name(name):
                continue
            try:
                file_info = entry.stat(follow_symlinks=True)
            except FileNotFoundError:
                yield Skipped(entry.path, _missing(entry.path))
                continue
            except OSError as exc:
                if exc.errno == errno.ELOOP:
                    yield Skipped(entry.path, "symbolic link loop")
                else:
                    yield Skipped(entry.path, exc.strerror or str(exc))
                continue
            if file_info.st_mode & _FORMAT != stat.S_IFREG:  # S_ISREG, without its call
                yield Skipped(entry.path, _kind_of(file_info.st_mode))
                continue
            file_key = (file_info.st_dev, file_info.st_ino)
            if file_key in seen_files:
                continue  # the same file through another link: read once
            seen_files.add(file_key)
            yield (entry.path, file_info) if with_status else entry.path
        # Reverse so that popping from the stack visits subfolders in name order.
        stack.extend(reversed(subfolders))


def _folder_kind(entry: os.DirEntry[str]) -> str | None:
    """What a folder met in a walk is (links followed): hidden (not entered), linked
    (a symbolic link to a folder) or plain; None when the entry is no folder."""
    try:
        if not entry.is_dir(follow_symlinks=True):
            return None
    except OSError:
        return None
    if entry.name.startswith("."):
        return _HIDDEN
    try:
        return _LINKED if entry.is_symlink() else _PLAIN
    except OSError:
        return _PLAIN


_HIDDEN, _LINKED, _PLAIN = "hidden", "linked", "plain"


def _article_name(name: str) -> bool:
    """Whether a file of this name, found in a folder, is read: an article's suffix,
    and not a hidden name of dots alone ("..txt")."""
    dot = name.rfind(".")  # os.path.splitext's suffix, without its calls
    if dot <= 0 or name[dot:].lower() not in ARTICLE_SUFFIXES:
        return False
    return not (name[0] == "." and name[:dot] == "." * dot)


_name = operator.attrgetter("name")
_FORMAT = 0o170000  # stat.S_IFMT's mask


class NotPlainFolders(Exception):
    """:func:`plain_folders` met what only :func:`discover`'s walk handles."""


class ListedFolder(NamedTuple):
    """One folder as :func:`plain_folders` lists it."""

    path: str
    mtime_ns: int
    """The folder's mtime, read before it was listed: a later change to its names
    (a file added, removed or renamed) makes it differ."""
    subfolders: list[str]
    """Names of the folders in it that a walk enters, unsorted."""
    files: list[tuple[str, os.stat_result]]
    """Its article files with their status, unsorted."""


def plain_folders(
    paths: Iterable[str | os.PathLike[str]],
    pause: Callable[[], None] | None = None,
    share: tuple[int, int] | None = None,
) -> Iterator[ListedFolder]:
    """Each folder under the folders *paths*, with its article files and their status:
    the files :func:`discover_with_status` yields, for a caller that only compares
    them (``session.changed_files``, which the command line waits for).

    The folders come in discover's order; the files within one do not (unsorted).
    Leaner than discover's walk: each file is statted relative to its folder's
    descriptor, a one-name lookup (0.21 against 0.26 s at 100k), and nothing is
    sorted or reported but folders. Raises :class:`NotPlainFolders` where discover
    would do more: a path that is not a readable folder, a symbolic link to a folder
    (discover walks those last, once), a folder reached twice. Files that cannot be
    read are left out, as discover's :class:`Skipped` are by such a caller; one file
    under two names is the caller's to notice (discover lists it once). *pause* is
    called every 512 files.

    *share* ``(k, n)``: only the files whose name's ``hash`` is k modulo n, for n
    processes forked from one (which hash alike) to stat a share each.
    """
    seen_dirs: set[tuple[int, int]] = set()
    for given in paths:
        stack = [plain_root(given)]
        while stack:
            listed = list_plain_folder(stack.pop(), seen_dirs, pause, share)
            if listed is None:
                continue  # gone or unreadable: discover skips it too
            yield listed
            # Popped in name order, as discover's stack is.
            named = sorted(listed.subfolders, reverse=True)
            stack.extend(os.path.join(listed.path, name) for name in named)


def plain_root(given: str | os.PathLike[str]) -> str:
    """A path given to :func:`plain_folders`, checked: a readable folder, else
    :class:`NotPlainFolders`."""
    if os.scandir not in os.supports_fd:
        raise NotPlainFolders("no listing by descriptor here")
    root = os.fspath(given)
    try:
        info = os.stat(root)
    except OSError:
        raise NotPlainFolders(root) from None
    if not stat.S_ISDIR(info.st_mode) or not os.access(root, os.R_OK | os.X_OK):
        raise NotPlainFolders(root)
    return root


def list_plain_folder(
    folder: str,
    seen_dirs: set[tuple[int, int]],
    pause: Callable[[], None] | None = None,
    share: tuple[int, int] | None = None,
) -> ListedFolder | None:
    """One folder of :func:`plain_folders`; None when it is gone or unreadable.
    *seen_dirs*: the folders listed so far, (device, inode), which this one joins."""
    try:
        descriptor = os.open(folder, _FOLDER_FLAGS)
    except OSError:
        return None
    try:
        info = os.fstat(descriptor)
        if (info.st_dev, info.st_ino) in seen_dirs:
            raise NotPlainFolders(folder)
        seen_dirs.add((info.st_dev, info.st_ino))
        subfolders, files = _plain_folder(descriptor, pause, share)
    except OSError:
        return None
    finally:
        os.close(descriptor)
    return ListedFolder(folder, info.st_mtime_ns, subfolders, files)


def _plain_folder(
    descriptor: int, pause: Callable[[], None] | None, share: tuple[int, int] | None
) -> tuple[list[str], list[tuple[str, os.stat_result]]]:
    """The names of a folder's subfolders, and its article files with their status
    (:func:`plain_folders`)."""
    subfolders: list[str] = []
    files: list[tuple[str, os.stat_result]] = []
    with os.scandir(descriptor) as entries:
        for entry in entries:
            name = entry.name
            kind = _folder_kind(entry)
            if kind is not None:
                if kind == _LINKED:
                    raise NotPlainFolders(name)
                if kind != _HIDDEN:
                    subfolders.append(name)
                continue
            if not _article_name(name):
                continue
            if share is not None and hash(name) % share[1] != share[0]:
                continue
            try:
                file_info = entry.stat(follow_symlinks=True)  # fstatat on the descriptor
            except OSError:
                continue
            if file_info.st_mode & _FORMAT == stat.S_IFREG:
                files.append((name, file_info))
                if pause is not None and len(files) % 512 == 0:
                    pause()
    return subfolders, files


_FOLDER_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)


def read_bytes(path: str, limit: int = MAX_BYTES) -> tuple[bytes, int]:
    """Read up to *limit* bytes of a regular file; return them and the file's size.

    Opens with O_NONBLOCK and re-checks the type on the open descriptor, so a file
    swapped for a FIFO after discovery cannot block the reader.
    """
    fd = os.open(path, _READ_FLAGS)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, _kind_of(info.st_mode))
        chunks: list[bytes] = []
        # The size fstat gave, so a file of 4 KB costs one read, not a read and an EOF
        # check; a file that grows meanwhile is read as it was (and never past *limit*).
        remaining = min(limit, info.st_size)
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 16))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks), info.st_size
    finally:
        os.close(fd)


_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_BOM_STARTS = tuple(bom for bom, _ in _BOMS)


def decode(data: bytes, *, truncated: bool = False) -> tuple[str, str] | None:
    """Decode *data*: BOM first, then strict UTF-8, then cp1252 with replacement.

    Returns ``(text, encoding)`` with newlines normalised, or None when the bytes
    are binary (a NUL byte outside a UTF-16 BOM). *truncated* says the bytes were
    cut at a size cap, so an incomplete character at the end is dropped rather
    than counted as an encoding error.
    """
    # One test for all three first (almost no file has a BOM), then which one.
    for bom, encoding in _BOMS if data.startswith(_BOM_STARTS) else ():
        if data.startswith(bom):
            body = data[len(bom) :]
            if truncated and encoding.startswith("utf-16") and len(body) % 2:
                body = body[:-1]  # half a code unit cut by the cap, not a fault in the file
            decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
            text = decoder.decode(body, final=not truncated)
            return normalise_newlines(text), encoding.replace("-sig", " (BOM)")
    if b"\x00" in data:
        return None
    try:
        if truncated:
            decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
            text = decoder.decode(data, final=False)
        else:
            text = data.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        encoding = "cp1252"
    return normalise_newlines(text), encoding


_MOJIBAKE_PAIR = re.compile(
    rb"\xc3[\x82-\xb4]"  # U+00C2-U+00F4, then U+0080-U+00BF or a Windows-1252 character
    rb"(?:\xc2[\x80-\xbf]|\xe2[\x80-\x84]|\xc5[\x92\x93\xa0\xa1\xb8\xbd\xbe]|\xc6\x92|\xcb[\x86\x9c])"
)
"""A UTF-8 lead byte then a continuation byte, each read as Latin-1 or Windows-1252
("Ã¤" for "ä", "â€™" for "’"), as UTF-8: every mojibake of UTF-8 has one."""

_C1_CONTROL = re.compile(rb"\xc2[\x80-\x9f]")
"""Never in text as written, as UTF-8: Windows-1252 punctuation decoded as Latin-1.

Both are looked for in UTF-8 bytes: ~3 µs a 4 KB article, against ~40 µs for the same
classes in the text (a byte search can skip to each ``\xc3`` or ``\xc2``), and
~800 µs for ftfy's own test. Every text a load reads is looked at."""

_REPAIRS = {
    "decode_inconsistent_utf8": "UTF-8 that had been read as windows-1252",
    "fix_c1_controls": "control characters that were Windows-1252 punctuation",
}


def repair_mojibake(text: str, utf8: bytes | None = None) -> tuple[str, str | None]:
    """*text* with the mojibake in it undone by ftfy ("ZÃ¤hne" read as "Zähne"),
    and a warning saying so; None when there was none. 11 of 183 real scraped
    articles (real-dev/text) had some, in the title of most.

    Only text that shows a sign of it is given to ftfy (imported then). *utf8*: the
    bytes *text* was decoded from, when they were UTF-8 (else it is encoded here)."""
    if utf8 is None:
        utf8 = text.encode("utf-8", "surrogatepass")
    if not (_MOJIBAKE_PAIR.search(utf8) or _C1_CONTROL.search(utf8)):
        return text, None
    import ftfy

    fixed, steps = ftfy.fix_encoding_and_explain(text)
    if fixed == text:
        return text, None
    return fixed, f"text repaired by ftfy: {_repairs_said(steps or ())}"


def _repairs_said(steps: Iterable[tuple[str, str]]) -> str:
    """ftfy's steps in words: an encode then a decode undo text in one encoding read
    as another; the others are fixes it names."""
    said: list[str] = []
    read_as = "another encoding"
    for action, parameter in steps:
        name = parameter.removeprefix("sloppy-")
        if action == "encode":
            read_as = name
        elif action == "decode":
            said.append(f"{name} that had been read as {read_as}")
        else:
            said.append(_REPAIRS.get(parameter, parameter.replace("_", " ")))
    return "; ".join(dict.fromkeys(said)) or "mojibake"


def normalise_newlines(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def read_source(path: str, limit: int = MAX_BYTES, *, repair: bool = True) -> SourceText | Skipped:
    """Read and decode one file; a file that cannot be used comes back as Skipped.
    *repair*: undo mojibake (:func:`repair_mojibake`); not for the raw view, which
    shows the file as it is."""
    try:
        data, size = read_bytes(path, limit)
    except FileNotFoundError:
        return Skipped(path, _missing(path))
    except OSError as exc:
        return Skipped(path, f"unreadable: {exc.strerror or exc}")
    if size == 0 or not data:
        return Skipped(path, "empty file")
    truncated = size > len(data)
    decoded = decode(data, truncated=truncated)
    if decoded is None:
        return Skipped(path, "binary file (NUL bytes)")
    text, encoding = decoded
    if not text or text.isspace():
        return Skipped(path, "empty file (only white space)")
    warnings: list[str] = []
    if truncated:
        warnings.append(
            f"file is {_human_size(size)}; only the first {_human_size(len(data))} was read"
        )
    if encoding == "cp1252":
        warnings.append("not valid UTF-8; decoded as cp1252")
    if "\ufffd" in text and encoding != "cp1252":
        warnings.append(f"undecodable bytes replaced ({encoding})")
    utf8_bytes = data if encoding.startswith("utf-8") else None
    text, repaired = repair_mojibake(text, utf8_bytes) if repair else (text, None)
    if repaired is not None:
        warnings.append(repaired)
    utf8 = data if encoding == "utf-8" and not truncated and repaired is None else None
    return SourceText(path, text, encoding, size, warnings, utf8)


def resolve_display_path(path: str | Path) -> str:
    """The path as the user would type it: relative to the working folder when inside it."""
    text = os.fspath(path)
    folder, name = os.path.split(text)
    shown = _display_folder(folder, os.getcwd())
    if shown is None:
        return text
    return os.path.join(shown, name) if shown else name


class PathSpeller:
    """:func:`resolve_display_path` for many absolute paths as bytes (a store's files),
    from the working folder of when it was made: each folder's spelling is worked out
    once, for the few hundred folders a collection has (per path ~1.0 µs, against
    ~1.9 µs one at a time: 100k paths, in-process)."""

    def __init__(self) -> None:
        self._here = os.getcwd()
        self._prefixes: dict[bytes, str] = {}

    def __call__(self, path: bytes) -> str:
        cut = path.rfind(b"/") + 1
        folder = path[:cut]
        prefix = self._prefixes.get(folder)
        if prefix is None:
            prefix = self._prefixes[folder] = self._prefix(folder)
        # ("/" is never part of a multi-byte character: the two halves decode alone.)
        return prefix + os.fsdecode(path[cut:])

    def _prefix(self, folder: bytes) -> str:
        """What comes before a file's name in *folder* (ending in "/"), as
        :func:`resolve_display_path` joins them."""
        absolute = os.fsdecode(folder)
        # Uncached: this dict holds each folder, and these keys (ending in "/") would
        # only push the loader's out of _display_folder's cache. (relpath drops the "/".)
        shown = _display_folder.__wrapped__(absolute, self._here)
        if shown is None:  # outside the working folder: the absolute path
            return absolute
        return f"{shown}/" if shown else ""


@functools.lru_cache(maxsize=4096)
def _display_folder(folder: str, cwd: str) -> str | None:
    """*folder* relative to *cwd*, or None when outside it. Cached: the files of one
    folder share it, and relpath costs ~9 µs (two abspaths and a getcwd) per call."""
    try:
        relative = os.path.relpath(folder or os.curdir, cwd)
    except ValueError:
        return None
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return None  # (not a folder inside whose name begins with "..")
    return "" if relative == os.curdir else relative
