"""YAML (``---``) and TOML (``+++``) front matter at the top of a file.

Hugo, Jekyll, Zola, Obsidian and web clippers (Obsidian Web Clipper, MarkDownload)
write it. It is untrusted input like the rest of the file:

- YAML is read in safe mode only (plain scalars, lists and mappings; never a Python
  object), and a block that uses aliases is refused outright, so the "billion laughs"
  expansion cannot happen. The block is capped at :data:`MAX_BLOCK_CHARS`.
- Any failure (bad syntax, a block that is not a mapping, an impossible date, a number
  too long to convert) is a warning: the block's lines are then shown as text, and
  never become the title.
- Every value taken is neutralised and cut to a sane length.

PyYAML is imported only when a file starts with ``---`` and the block looks like
YAML (its first line is a ``key:``); ``tomllib`` only for ``+++``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .dates import MAX_YEAR, MIN_YEAR, ArticleDate, DateProblem, parse_stated_date
from .lazyre import LazyPattern
from .safe import neutralise_line

MAX_BLOCK_CHARS = 64 * 1024
"""A longer block is not read (a YAML bomb needs room; real front matter is < 4 KB)."""
MAX_BLOCK_LINES = 2000
MAX_VALUE_CHARS = 500
"""Titles, authors and addresses longer than this are cut."""
MAX_TAGS = 50
MAX_TAG_CHARS = 100

_LEADING_BLANKS = 3
"""Blank lines allowed before the opening fence (some clippers write one)."""

_YAML_KEY = LazyPattern(r"""^(?:[A-Za-z_][\w .-]{0,60}|"[^"]{1,60}"|'[^']{1,60}')\s*:(?:\s|$)""")
_TOML_KEY = LazyPattern(
    r"""^(?:[A-Za-z0-9_.-]{1,60}|"[^"]{1,60}")\s*=|^\[{1,2}[\w ."-]{1,60}\]{1,2}\s*$"""
)
_KEY_OF_LINE = LazyPattern(r"""^\s*["']?([A-Za-z_][\w.-]{0,60})["']?\s*[:=]""")
_URL = LazyPattern(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)

TITLE_KEYS = ("title", "headline")
DATE_KEYS = (
    "date", "published", "pubdate", "publishdate", "published_at", "date_published",
    "created", "created_at", "date_created",
)
"""Keys of the original date, best first: a web clipper's ``published`` is the page's date
and its ``created`` the day it was clipped, so ``created`` comes last."""
_CLIPPING_DAY_KEYS = frozenset(("created", "created_at", "date_created"))
UPDATED_KEYS = ("updated", "lastmod", "modified", "last_modified_at", "date_modified", "updated_at")
"""Used only when no original date is given: an update never wins over the original."""
AUTHOR_KEYS = ("author", "authors", "creator", "by", "byline")
TAG_KEYS = ("tags", "categories", "keywords", "category")
URL_KEYS = (
    "url", "source", "link", "permalink", "canonical", "canonical_url", "canonicalurl",
    "source_url", "original_url",
)
SOURCE_KEYS = ("source", "publisher", "site", "site_name", "publication")
"""A name under one of these keys (not an address) is the article's source."""


@dataclass(slots=True)
class FrontMatter:
    """What a front matter block gave, and where the body starts."""

    kind: str
    """``YAML`` or ``TOML``."""
    end: int
    """Index of the first line after the closing fence."""
    ok: bool = True
    """False: the block could not be read; :attr:`text_lines` are shown as body text."""
    text_lines: list[str] = field(default_factory=list)
    title: str | None = None
    title_line: int | None = None
    date: ArticleDate | None = None
    date_text: str | None = None
    date_line: int | None = None
    date_is_update: bool = False
    author: str | None = None
    source: str | None = None
    url: str | None = None
    tags: tuple[str, ...] = ()


def _fence_kind(line: str) -> str | None:
    stripped = line.rstrip()
    if stripped == "---":
        return "YAML"
    if stripped == "+++":
        return "TOML"
    return None


def _closing(lines: list[str], start: int, kind: str) -> tuple[int | None, bool]:
    """Index of the closing fence, and whether the block grew past the caps first."""
    size = 0
    closers = ("---", "...") if kind == "YAML" else ("+++",)
    for index in range(start, min(len(lines), start + MAX_BLOCK_LINES)):
        line = lines[index]
        if line.rstrip() in closers:
            return index, False
        size += len(line) + 1
        if size > MAX_BLOCK_CHARS:
            return None, True
    return None, len(lines) - start >= MAX_BLOCK_LINES


def _load_yaml(block: str) -> Any:
    import yaml  # lazily: only files that start with front matter pay for the import

    # libyaml's safe loader when PyYAML was built with it: the same safe constructor as
    # yaml.safe_load (plain scalars, lists, mappings; no Python objects), ~8× faster
    # (43 µs against 351 µs for a 10-line block), which matters in a folder of 100,000
    # notes. Otherwise yaml.safe_load itself.
    loader = getattr(yaml, "CSafeLoader", None)
    if "*" in block:
        # An alias is the only way a small block can expand into a huge value.
        events = yaml.parse(block, Loader=loader or yaml.SafeLoader)
        if any(isinstance(event, yaml.AliasEvent) for event in events):
            raise ValueError("it uses YAML aliases (*name), which are not read")
    if loader is None:
        return yaml.safe_load(block)
    return yaml.load(block, Loader=loader)  # noqa: S506 - CSafeLoader is the safe loader


def _load_toml(block: str) -> Any:
    import tomllib

    return tomllib.loads(block)


def _short_reason(exc: BaseException, first_line_no: int) -> str:
    problem = getattr(exc, "problem", None)  # a YAML error: its problem and where
    mark = getattr(exc, "problem_mark", None)
    if isinstance(problem, str):
        line = getattr(mark, "line", None)
        text = problem + (f" at line {first_line_no + line}" if isinstance(line, int) else "")
    else:
        text = " ".join(str(exc).split())
    if not text:
        text = type(exc).__name__
    return text[:120] + ("…" if len(text) > 120 else "")


def read_front_matter(lines: list[str], warnings: list[str]) -> FrontMatter | None:
    """Read the front matter at the top of *lines*; None when there is none.

    Never raises. A block that cannot be read gives a warning and comes back with
    ``ok=False``, its lines in ``text_lines`` (shown as text, never as the title).
    """
    first = next(
        (i for i, line in enumerate(lines[: _LEADING_BLANKS + 1]) if line.strip()), None
    )
    if first is None:
        return None
    kind = _fence_kind(lines[first])
    if kind is None:
        return None
    inner_first = next(
        (i for i in range(first + 1, min(len(lines), first + 50)) if lines[i].strip()), None
    )
    if inner_first is None:
        return None
    first_inner = lines[inner_first]
    if _fence_kind(first_inner) == kind or (kind == "YAML" and first_inner.rstrip() == "..."):
        return FrontMatter(kind, inner_first + 1)  # an empty block: nothing to read
    key_pattern = _YAML_KEY if kind == "YAML" else _TOML_KEY
    if not key_pattern.match(first_inner.lstrip()) and not first_inner.lstrip().startswith("#"):
        return None  # "---" then prose: a separator line, not front matter
    close, too_big = _closing(lines, first + 1, kind)
    fence = lines[first].rstrip()
    if close is None:
        if too_big:
            warnings.append(
                f"line {first + 1}: front matter longer than {MAX_BLOCK_CHARS // 1024} KB"
                f" or {MAX_BLOCK_LINES} lines was not read"
            )
        else:
            warnings.append(
                f"line {first + 1}: front matter has no closing {fence!r}; read as text"
            )
        return None
    inner = lines[first + 1 : close]
    matter = FrontMatter(kind, close + 1)
    try:
        data = _load_yaml("\n".join(inner)) if kind == "YAML" else _load_toml("\n".join(inner))
        if data is None:
            return matter  # only comments
        if not isinstance(data, dict):
            raise ValueError(f"it is a {type(data).__name__}, not a list of keys and values")
        _take_fields(matter, data, inner, first + 2, warnings)
    except RecursionError:
        reason = "it is nested too deeply"
    except Exception as exc:  # noqa: BLE001 - any fault in the block is the file's, not ours
        reason = _short_reason(exc, first + 2)
    else:
        return matter
    warnings.append(
        f"lines {first + 1}–{close + 1}: {kind} front matter could not be read"
        f" ({reason}); shown as text"
    )
    return FrontMatter(kind, close + 1, ok=False, text_lines=list(inner))


# --- values --------------------------------------------------------------------------


def _text(value: object) -> str | None:
    """A scalar as one neutralised line, or None (lists, mappings, booleans, nothing)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        text = value
    elif isinstance(value, int | float):
        try:
            text = str(value)
        except ValueError:  # an int of more than 4,300 digits
            return None
    elif isinstance(value, dt.date | dt.time):
        text = value.isoformat()
    else:
        return None
    text = " ".join(neutralise_line(text[: MAX_VALUE_CHARS * 2]).split())
    if len(text) > MAX_VALUE_CHARS:
        text = text[: MAX_VALUE_CHARS - 1].rstrip() + "…"
    return text or None


def _wiki_name(text: str) -> str:
    """``[[Jane Doe]]`` (an Obsidian link, as web clippers write authors) → ``Jane Doe``."""
    if text.startswith("[[") and text.endswith("]]"):
        text = text[2:-2]
        return text.split("|")[-1].strip()
    return text


def _names(value: object) -> list[str]:
    items: Iterable[object] = value if isinstance(value, list | tuple) else [value]
    names: list[str] = []
    for item in list(items)[:MAX_TAGS]:
        if isinstance(item, dict):
            item = next((item[key] for key in ("name", "title") if key in item), None)
        text = _text(item)
        if text:
            names.append(_wiki_name(text))
    return [name for name in names if name]


def _tags(value: object) -> list[str]:
    if isinstance(value, str):
        value = value.split(",")
    tags = []
    for name in _names(value):
        tag = name.strip().lstrip("#").strip()[:MAX_TAG_CHARS]
        if tag:
            tags.append(tag)
    return tags


def _date_of(value: object) -> tuple[ArticleDate, str]:
    """A date from a YAML/TOML value. Raises :class:`DateProblem`."""
    if isinstance(value, dt.date):  # datetime is a date too; its fields as written
        if not MIN_YEAR <= value.year <= MAX_YEAR:
            raise DateProblem(f"stated date {value.isoformat()!r} is outside {MIN_YEAR}–{MAX_YEAR}")
        return ArticleDate(value.year, value.month, value.day, "stated"), value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool) and MIN_YEAR <= value <= MAX_YEAR:
        return ArticleDate(value, None, None, "stated"), str(value)
    text = _text(value)
    if text is None:
        kind = "a list" if isinstance(value, list | tuple) else f"a {type(value).__name__}"
        raise DateProblem(f"the front matter's date is {kind}, not a date; ignored")
    return parse_stated_date(text), text


def _line_of(key: str, inner: list[str], first_line_no: int) -> int | None:
    return _key_line(key, inner, first_line_no)[0]


def _key_line(key: str, inner: list[str], first_line_no: int) -> tuple[int | None, str]:
    """The 1-based line where *key* is set, and its value as written there."""
    for offset, line in enumerate(inner):
        match = _KEY_OF_LINE.match(line)
        if match and match.group(1).lower() == key:
            raw = line[match.end() :].split(" #", 1)[0].strip().strip("\"'").strip()
            return first_line_no + offset, neutralise_line(raw[:MAX_VALUE_CHARS])
    return None, ""


def _take_fields(
    matter: FrontMatter, data: dict[Any, Any], inner: list[str], first_line_no: int,
    warnings: list[str],
) -> None:
    """Fill *matter* from the mapping *data* (keys case-insensitive, non-text keys ignored)."""
    fields: dict[str, object] = {}
    for key, value in data.items():
        if isinstance(key, str):
            fields.setdefault(key.strip().lower(), value)

    for key in TITLE_KEYS:
        title = _text(fields.get(key))
        if title:
            matter.title, matter.title_line = title, _line_of(key, inner, first_line_no)
            break

    # A web clipper's note (the page's address under "source" or "url") dates its
    # "published" from the page and its "created" from the clipping: with no page
    # date, the day it was clipped is no date of the article.
    clipped = any(_URL.match(_text(fields.get(key)) or "") for key in ("source", "url"))
    for keys, is_update in ((DATE_KEYS, False), (UPDATED_KEYS, True)):
        for key in keys:
            if key not in fields or fields[key] in (None, ""):
                continue
            if clipped and key in _CLIPPING_DAY_KEYS:
                continue
            line, written = _key_line(key, inner, first_line_no)
            try:
                date, text = _date_of(fields[key])
            except DateProblem as problem:
                warnings.append(f"line {line}: {problem}" if line else str(problem))
                continue
            # The date as the file wrote it ("2024-10-17T09:30:00Z", not Python's spelling).
            matter.date, matter.date_text, matter.date_line = date, written or text, line
            matter.date_is_update = is_update
            break
        if matter.date is not None:
            break

    authors: list[str] = []
    for key in AUTHOR_KEYS:
        if key in fields:
            authors.extend(_names(fields[key]))
    if authors:
        unique = list(dict.fromkeys(authors))[:10]
        matter.author = _text(", ".join(unique))

    tags: list[str] = []
    for key in TAG_KEYS:
        if key in fields:
            tags.extend(_tags(fields[key]))
    matter.tags = tuple(dict.fromkeys(tags))[:MAX_TAGS]

    for key in URL_KEYS:
        value = _text(fields.get(key))
        if value and _URL.match(value):
            matter.url = value
            break
    for key in SOURCE_KEYS:
        value = _text(fields.get(key))
        if value and not _URL.match(value) and "://" not in value:
            matter.source = value
            break
