"""Dates in file and folder names: ``2024-10-17-slug.md``, ``…/2024/10/17/slug.txt``.

A path date is used only when the text states none (not even in a dateline), and
before any inferred year. It is read strictly, because a wrong date is worse than
none: the digits must stand alone (not part of a longer number, an id or a hash), the
year must be 1900–2099 and the day must exist. A year alone (``2024``, ``report-2024``)
is not a date, and only the last few folders count, so a tree kept under ``/data/2019/``
does not date everything below it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .dates import MAX_YEAR, MIN_YEAR, ArticleDate
from .lazyre import LazyPattern

FOLDERS_CONSIDERED = 4
"""How many folders above the file may hold its date (``2024/10/17/bundle/``)."""

_EDGE_BEFORE = r"(?<![^\W_])"
_EDGE_AFTER = r"(?![^\W_])"
"""Not next to a letter or digit (an underscore, dash, dot or the name's end is fine)."""

_DAY_IN_NAME = LazyPattern(
    _EDGE_BEFORE
    + r"(?:(?P<y>(?:19|20)\d\d)(?P<sep>[-_.])(?P<m>\d\d)(?P=sep)(?P<d>\d\d)"
    + r"|(?P<cy>(?:19|20)\d\d)(?P<cm>\d\d)(?P<cd>\d\d))"
    + _EDGE_AFTER
)
"""``2024-10-17``, ``2024_10_17``, ``2024.10.17`` or ``20241017``, standing alone."""

_YEAR_FOLDER = LazyPattern(r"(?:19|20)\d\d")
_TWO_DIGITS = LazyPattern(r"\d\d")
_CANDIDATE = LazyPattern(r"(?:19|20)\d\d(?:[-_./]\d\d|\d{4})")
"""What every form starts with: a year, then a separator and two digits, or four digits
(no look-behind: it would stop the search skipping ahead to a "1" or "2")."""


@dataclass(frozen=True, slots=True)
class PathDate:
    """A date read from a path, where it was read, and the text it was read from."""

    date: ArticleDate
    origin: str
    """``file name`` or ``folder`` (keys of :data:`dates.DATE_ORIGINS`)."""
    text: str
    """The digits as the path wrote them: ``2024-10-17``, ``2024/10``."""


def _valid(year: int, month: int, day: int | None) -> bool:
    if not MIN_YEAR <= year <= MAX_YEAR or not 1 <= month <= 12:
        return False
    if day is None:
        return True
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _day_in_name(name: str) -> tuple[ArticleDate, str] | None:
    """The one valid day a name holds; none when it holds none, or two that differ."""
    found: tuple[ArticleDate, str] | None = None
    for match in _DAY_IN_NAME.finditer(name):
        if match["y"]:
            year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
        else:
            year, month, day = int(match["cy"]), int(match["cm"]), int(match["cd"])
        if not _valid(year, month, day):
            continue
        date = ArticleDate(year, month, day, "stated")
        if found is not None and found[0] != date:
            return None  # "2019-01-01_to_2020-12-31": which one? Neither.
        found = found or (date, match.group())
    return found


def _date_folders(folders: list[str]) -> tuple[ArticleDate, str] | None:
    """``YYYY/MM/DD`` or ``YYYY/MM`` among *folders* (nearest the file last), deepest first."""
    best: tuple[ArticleDate, str] | None = None
    for index, folder in enumerate(folders):
        if not (len(folder) == 4 and _YEAR_FOLDER.fullmatch(folder)):
            continue
        if index + 1 >= len(folders) or not _TWO_DIGITS.fullmatch(folders[index + 1]):
            continue
        year, month = int(folder), int(folders[index + 1])
        if not _valid(year, month, None):
            continue
        day: int | None = None
        if index + 2 < len(folders) and _TWO_DIGITS.fullmatch(folders[index + 2]):
            day = int(folders[index + 2])
            if not _valid(year, month, day):
                continue  # "2024/02/30/": not a date at all, rather than a guess
        text = f"{folder}/{folders[index + 1]}" + (f"/{folders[index + 2]}" if day else "")
        best = (ArticleDate(year, month, day, "stated"), text)
    return best


def date_from_path(path: str | None) -> PathDate | None:
    """The date a file's name, or else its nearest folders, give; None when they give none.

    Never raises. The precision is what the path gives: ``2024/10/`` is a month.
    """
    if not path:
        return None
    # Only the name and the nearest folders count; in most paths they hold nothing that
    # starts like a date, and one search over them (in C) answers for them.
    tail = path[-400:]
    if "\\" in tail:
        tail = tail.replace("\\", "/")
    parts = tail.rsplit("/", FOLDERS_CONSIDERED + 1)
    if len(parts) > FOLDERS_CONSIDERED + 1:
        parts = parts[1:]
    if _CANDIDATE.search("/".join(parts)) is None:
        return None
    parts = [part for part in parts if part]
    if not parts:
        return None
    name = parts[-1]
    if any(char.isdigit() for char in name):
        found = _day_in_name(name)
        if found is not None:
            return PathDate(found[0], "file name", found[1])
    folders = parts[-1 - FOLDERS_CONSIDERED : -1]
    if not any(char.isdigit() for folder in folders for char in folder):
        return None
    in_folders = _date_folders(folders)
    if in_folders is not None:
        return PathDate(in_folders[0], "folder", in_folders[1])
    # A page bundle or a dated folder: ``2024-10-17-slug/index.md``, ``20241017/``.
    for folder in reversed(folders):
        found = _day_in_name(folder)
        if found is not None:
            return PathDate(found[0], "folder", found[1])
    return None
