"""The in-memory corpus: articles, de-duplicated and kept in date order."""

from __future__ import annotations

import base64
import copyreg
import hashlib
import os
import threading
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from functools import partial
from itertools import repeat
from operator import attrgetter, le
from typing import Any, Literal, TypeVar

from .bits import Bits, numpy_if_imported
from .dates import DATE_ORIGINS, ArticleDate, period_code
from .files import Skipped, SourceText, discover, read_source, resolve_display_path
from .lazyre import LazyPattern
from .parse import ParsedText, parse_text
from .rows import PickedRows
from .safe import neutralise, neutralise_line

SortOrder = Literal["newest", "oldest"]

_V = TypeVar("_V")

ID_LENGTH = 10
"""Hex digits of the content hash shown as an article's id (lengthened on a clash)."""
ID_PREFIX_MIN = 4
"""Characters of an id that --show takes for the whole id, at least."""

WORDS_PER_MINUTE = 230


BODY_READERS: list[Callable[[Sequence[int]], list[bytes]]] = []
"""Functions that read bodies from a store, by slot (rows in, their bodies out, in
order): each store opened in this process registers one (:func:`body_reader_slot`)."""

STORE_ROW_BITS = 40
"""``Article.stored`` is ``slot << STORE_ROW_BITS | row``: one int per article (an
object holding the reader and the row cost 0.14 s to make at 100,000 articles)."""

STORE_ROW_MASK = (1 << STORE_ROW_BITS) - 1


WORD_READERS: list[Callable[[Sequence[int]], list[tuple[bytes | None, bytes | None]]]] = []
"""Functions that read bodies' word forms from a store, by slot (see
:meth:`store.Store.read_word_forms`)."""

TITLE_READERS: list[Callable[[Sequence[int]], list[str]]] = []
"""Functions that read titles from a store, by slot (see :meth:`store.Store.read_titles`)."""


def body_reader_slot(
    reader: Callable[[Sequence[int]], list[bytes]],
    words: Callable[[Sequence[int]], list[tuple[bytes | None, bytes | None]]],
    titles: Callable[[Sequence[int]], list[str]],
) -> int:
    """Register a store's readers of bodies, of word forms and of titles; return what
    its rows are or-ed with."""
    BODY_READERS.append(reader)
    WORD_READERS.append(words)
    TITLE_READERS.append(titles)
    return (len(BODY_READERS) - 1) << STORE_ROW_BITS


_FOLDED_FIELDS = (
    "title_source", "date_line", "encoding", "warnings", "duplicates", "tags",
    "date_origin", "years_named", "not_before", "markup", "body_line", "real_path",
)  # fmt: skip
"""Article fields held together in one shared tuple (:func:`_fold_rarely_varied`):
nearly every article has one of a few combinations of them."""

_Folded = tuple[
    str, int | None, str, tuple[str, ...], tuple[str, ...], tuple[str, ...], str | None,
    tuple[int, ...], int | None, str, int, str | None,
]  # fmt: skip

_FOLDS: dict[_Folded, _Folded] = {}
"""One tuple per combination of the folded fields seen; bounded (:data:`_FOLDS_KEPT`):
one that is not kept is held by its article alone, which is only a little larger."""

_FOLDS_KEPT = 1 << 16


def _shared_folded(values: _Folded) -> _Folded:
    try:
        shared = _FOLDS.get(values)
    except TypeError:  # a list where a tuple belongs: held as given
        return values
    if shared is None:
        shared = values
        if len(_FOLDS) < _FOLDS_KEPT:
            _FOLDS[values] = values
    return shared


_AnyClass = TypeVar("_AnyClass", bound=type)


def _fold_rarely_varied(cls: _AnyClass) -> _AnyClass:
    """*cls* (a dataclass) remade with slots, the fields of :data:`_FOLDED_FIELDS` held in
    one slot, ``_folded``, as a tuple shared by every article with the same values;
    each is still read and set by its name (a property). Its own ``__init__`` makes
    the tuple.

    A slot holds 8 bytes whatever it holds: these 12 fields, nearly always at one of a
    few combinations (no warnings, UTF-8, text, no duplicates...), took 96 bytes of
    every article, ~90 MB at a million. ``dataclasses.fields`` and ``replace`` work
    as before (the fields stay the dataclass's). Setting one makes a new tuple: two
    threads setting two of one article's at once could lose one. They are set only
    as the corpus takes articles in or changes them, which it does one at a time."""
    namespace = dict(cls.__dict__)
    names = [field.name for field in fields(cls)]
    namespace["__slots__"] = (*(n for n in names if n not in _FOLDED_FIELDS), "_folded")
    for name in names:
        namespace.pop(name, None)  # a default, as a class attribute: slots would clash
    namespace.pop("__dict__", None)
    namespace.pop("__weakref__", None)
    for place, name in enumerate(_FOLDED_FIELDS):
        namespace[name] = _folded_property(place, name)
    remade = type(cls)(cls.__name__, cls.__bases__, namespace)
    remade.__qualname__ = cls.__qualname__
    return remade


def _folded_property(place: int, name: str) -> property:
    def get(article: Any) -> Any:
        return article._folded[place]

    def put(article: Any, value: object) -> None:
        values = list(article._folded)
        values[place] = value
        article._folded = _shared_folded(tuple(values))

    return property(get, put, doc=f"``{name}``, held in the shared ``_folded`` tuple.")


@_fold_rarely_varied
@dataclass(eq=False)  # slots made by _fold_rarely_varied
class Article:
    """One article. Every text field is already neutralised (safe for a terminal)."""

    key: str
    """Full content hash of the cleaned title and text: the read/flag state key."""
    id: str
    path: str
    """The file's path as shown (relative to the working folder when inside it),
    neutralised: a name's control characters, bidi controls, tabs and newlines, and
    bytes that are not UTF-8, appear as visible stand-ins. To open the file, use
    :attr:`file_path`."""
    title: str
    """Read from the store when it holds it (see :data:`_TITLE_SLOT`)."""
    title_source: str
    date: ArticleDate | None
    date_text: str | None
    date_line: int | None
    source: str | None
    author: str | None
    words: int
    body: bytes
    """Cleaned paragraphs, UTF-8, one per line: compact for 100,000 articles. Empty
    when the store holds them (:attr:`stored`): read them with :meth:`read_body`."""
    encoding: str = "utf-8"
    serial: int = -1
    """Position in load order, assigned by the Corpus: stable while the list re-sorts,
    so the search index and the widgets can refer to articles by a small int."""
    warnings: tuple[str, ...] = ()
    """What reading or cleaning the file noticed: usually nothing, the shared ``()``."""
    duplicates: tuple[str, ...] = ()
    """Other files with the same cleaned text. Tuples, not lists: two empty lists per
    article were 11 MB at 100,000 articles."""
    url: str | None = None
    """The article's own address, from a header or front matter."""
    tags: tuple[str, ...] = ()
    date_origin: str | None = None
    """Where the date came from: a key of :data:`dates.DATE_ORIGINS`."""
    years_named: tuple[int, ...] = ()
    """Years the text names, newest first: shown as a hint when the article is undated."""
    not_before: int | None = None
    markup: str = "text"
    """``text`` or ``markdown``: how the reading pane renders the paragraphs."""
    body_line: int = -1
    """Markdown read as markdown: the line where its body starts in the file's text
    (the reading pane parses it again from there); -1: draw the plain paragraphs."""
    real_path: str | None = None
    """The path that opens the file (bytes that are not UTF-8 as surrogate escapes),
    kept only when it differs from :attr:`path`: almost every name is shown as it is,
    and 100,000 articles need not carry a second copy of each."""
    stored: int = -1
    """Where the body is when the store (:mod:`corpus.store`) holds it rather than
    memory (bodies are most of a corpus's size): its slot and row (see
    :data:`STORE_ROW_BITS`); -1 when it is in :attr:`body`. Never pickled: it is this
    process's."""

    def __init__(
        self, key: str, id: str, path: str, title: str, title_source: str,
        date: ArticleDate | None, date_text: str | None, date_line: int | None,
        source: str | None, author: str | None, words: int, body: bytes,
        encoding: str = "utf-8", serial: int = -1, warnings: tuple[str, ...] = (),
        duplicates: tuple[str, ...] = (), url: str | None = None, tags: tuple[str, ...] = (),
        date_origin: str | None = None, years_named: tuple[int, ...] = (),
        not_before: int | None = None, markup: str = "text", body_line: int = -1,
        real_path: str | None = None, stored: int = -1,
    ) -> None:  # fmt: skip
        """The dataclass's fields, in their order (a test holds the two together)."""
        self.key = key
        self.id = id
        self.path = path
        self.title = title
        self.date = date
        self.date_text = date_text
        self.source = source
        self.author = author
        self.words = words
        self.body = body
        self.serial = serial
        self.url = url
        self.stored = stored
        self._folded: _Folded = _shared_folded((
            title_source, date_line, encoding, warnings, duplicates, tags, date_origin,
            years_named, not_before, markup, body_line, real_path,
        ))  # fmt: skip

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        """Pickle as one call with the fields in order (the loader's worker processes
        send articles back): 3× cheaper to load than the dataclass's per-field state,
        and :func:`_rebuild_article` shares the strings that repeat."""
        return (
            _rebuild_article,
            (
                self.key, self.id, self.path, self.title, self.title_source, self.date,
                self.date_text, self.date_line, self.source, self.author, self.words,
                self.body, self.encoding, self.serial, self.warnings, self.duplicates,
                self.url, self.tags, self.date_origin, self.years_named, self.not_before,
                self.markup, self.body_line, self.real_path,
            ),
        )  # fmt: skip

    @property
    def file_path(self) -> str:
        """The path to open the file by (never to show: it may hold control characters
        or surrogate escapes)."""
        real = self.real_path
        return self.path if real is None else real

    @property
    def path_bytes(self) -> bytes | None:
        """The real path's bytes, when :attr:`path` (what is shown) is not exactly it."""
        real = self.real_path
        return None if real is None else os.fsencode(real)

    def read_body(self) -> bytes:
        """The cleaned paragraphs as UTF-8, from memory or from the store."""
        stored = self.stored  # read first: the store sets it before it empties body
        if stored >= 0:
            return BODY_READERS[stored >> STORE_ROW_BITS]((stored & STORE_ROW_MASK,))[0]
        return self.body

    @property
    def text(self) -> str:
        return self.read_body().decode("utf-8", "surrogatepass")

    @property
    def paragraphs(self) -> list[str]:
        text = self.text
        return text.split("\n") if text else []

    @property
    def reading_minutes(self) -> int:
        return max(1, round(self.words / WORDS_PER_MINUTE))

    @property
    def date_iso(self) -> str | None:
        return self.date.iso() if self.date else None

    def date_label(self, *, spelled_out: bool = False) -> str:
        """The date as every view shows it: ISO cut to its precision (``2024-10-17``,
        ``2024-10``, ``2022``), ``undated``, and an inferred date marked ``c. 2022`` (the
        list, the reading pane, citations) or, *spelled_out*, ``2022 (inferred)`` (the
        lines of ``--list``)."""
        date = self.date
        if date is None:
            return "undated"
        if date.inferred:
            return f"{date.iso()} (inferred)" if spelled_out else f"c. {date.iso()}"
        return date.iso()

    def describe_date(self) -> str:
        """The date and where it came from, in words: the UI and ``--show`` both say it."""
        return f"{self.date_label()} ({self._where_dated()})"

    def _where_dated(self) -> str:
        if self.date is None:
            if self.years_named:
                named = ", ".join(map(str, self.years_named[:6]))
                more = "…" if len(self.years_named) > 6 else ""
                return f"no date stated; the text names {named}{more}"
            return "no date stated, no year named in the text"
        if self.date.inferred:
            return DATE_ORIGINS["text"]
        origin = self.date_origin or "header"
        if origin in ("file name", "folder"):
            return DATE_ORIGINS[origin]
        if origin == "page metadata" and self.date_text:
            # The field's name: "from the page's metadata (article:published_time)".
            return f"{DATE_ORIGINS[origin]} ({self.date_text})"
        where = DATE_ORIGINS.get(origin, DATE_ORIGINS["header"])
        if self.date_line:
            where += f", line {self.date_line}"
        if self.date_text and self.date_text != self.date.iso():
            return f"{where}, as “{self.date_text}”"
        return where

    def describe_title(self) -> str:
        return {
            "header": "from the header's Title: or Headline: line",
            "subject": "from the Subject: line",
            "headline": "from the first line (a headline)",
            "front matter": "from the front matter",
            "first sentence": "from the first sentence",
            "file name": "from the file name",
            "page": "from the page's title",
            "export": "from the headline of a news database export",
        }.get(self.title_source, self.title_source)

    def to_json(self, title: str | None = None) -> dict[str, object]:
        """The fields ``--json`` gives; *title*: the title, when the caller read it."""
        fields: dict[str, object] = {
            "id": self.id,
            "path": self.path,
            "title": self.title if title is None else title,
            "date": self.date_iso,
            "date_precision": self.date.precision if self.date else None,
            "date_source": self.date.source if self.date else None,
            "words": self.words,
            "date_origin": self.date_origin,
            "author": self.author,
            "url": self.url,
            "tags": list(self.tags),
            "duplicates": list(self.duplicates),
            "warnings": list(self.warnings),
        }
        if self.not_before is not None:
            fields["not_before"] = self.not_before
        real = self.path_bytes
        if real is not None:
            # Lossless, for scripts: `path` shows stand-ins for what it cannot show.
            fields["path_bytes"] = base64.b64encode(real).decode("ascii")
        return fields


_TITLE_SLOT: Any = Article.__dict__["title"]
"""The slot that holds an article's title, or None once the store holds it (its
member descriptor, kept before a property takes the name): a million titles were
~130 MB of a re-open's memory, and the list shows a screenful of them."""

TITLE_NOT_STORED = "(title not in the store: it was rebuilt since this was read)"
"""An article's title once its store row is gone: another instance began the store
afresh (its body reads as empty then too)."""


_TITLES_READ: dict[str, str] = {}
"""Titles lately read from a store, by the article's key: the list draws the same rows
again as the cursor moves and the filter changes, and one title alone is a query
(~40 µs). A key hashes the title, so it never gives another article's."""

_TITLES_KEPT = 4096


def _title(article: Article) -> str:
    title = _held_title(article)
    return read_titles((article,))[0] if title is None else title


def title_held(article: Article) -> bool:
    """Whether *article*'s title is in memory (no query reads it)."""
    return _held_title(article) is not None


def _held_title(article: Article) -> str | None:
    """The title in memory: in the article, or lately read; None: ask the store."""
    title: str | None = _TITLE_SLOT.__get__(article)
    return _TITLES_READ.get(article.key) if title is None else title


def _remember_titles(articles: Iterable[Article], titles: Iterable[str]) -> None:
    """Keep titles just read from a store (never those in memory already)."""
    kept = _TITLES_READ
    for article, title in zip(articles, titles, strict=True):
        # Not the stand-in: the same text may come back, in another row.
        if title is not TITLE_NOT_STORED:
            if len(kept) >= _TITLES_KEPT:
                kept.clear()
            kept[article.key] = title


# Article.title is now a property over the slot: __init__, replace() and pickling all
# go through the name, and a stored article's title is read when asked for. (To mypy
# the field stays a str.)
Article.title = property(_title, _TITLE_SLOT.__set__, doc="The title, neutralised.")  # type: ignore[assignment]


def release_title(article: Article) -> None:
    """Let *article* read its title from the store (its :attr:`Article.stored` is set)."""
    _TITLE_SLOT.__set__(article, None)


def read_titles(articles: Sequence[Article]) -> list[str]:
    """Each article's title: those the store holds read a few hundred a query (one
    query each cost 11-40 µs a title, one query for 3,000 ~6 µs), and remembered
    for a while (:data:`_TITLES_READ`)."""
    return _read_stored(articles, TITLE_READERS, _held_title, _remember_titles)


def read_word_forms(articles: Sequence[Article]) -> list[tuple[bytes | None, bytes | None]]:
    """Each article's word form as its store keeps it (and None), or None and its
    body: from memory, or where the store keeps no form (a plain body). Those of one
    store are read in one query a few hundred (50,000 stored bodies took 0.18 s so,
    0.41 s one query each)."""
    # stored read first: the store sets it before it empties body
    return _read_stored(
        articles, WORD_READERS, lambda article: (None, article.body) if article.stored < 0 else None
    )


def _read_stored(
    articles: Sequence[Article],
    readers: Sequence[Callable[[Sequence[int]], list[_V]]],
    held: Callable[[Article], _V | None],
    read: Callable[[list[Article], list[_V]], None] | None = None,
) -> list[_V]:
    """Each article's value: *held* gives it from memory, or None when its store holds
    it; then each store's *readers* reads those of its rows, in one call, and *read*
    is told the articles read so and their values."""
    found: list[_V | None] = [None] * len(articles)
    wanted: dict[int, tuple[list[int], list[int]]] = {}
    for place, article in enumerate(articles):
        value = held(article)
        if value is not None:
            found[place] = value
            continue
        stored = article.stored
        places, rows = wanted.setdefault(stored >> STORE_ROW_BITS, ([], []))
        places.append(place)
        rows.append(stored & STORE_ROW_MASK)
    for slot, (places, rows) in wanted.items():
        values = readers[slot](rows)
        for place, value in zip(places, values, strict=True):
            found[place] = value
        if read is not None:
            read([articles[place] for place in places], values)
    return found  # type: ignore[return-value]  # every place filled


_SHARED: dict[str, str] = {}
"""Strings that repeat across articles (title source, encoding, source, author, date
text), one copy each. Parsing in this process shares them by itself (they are mostly
literals); unpickling does not, and 100k articles carried ~25 MB of copies."""

_SHARED_DATES: dict[tuple[int, int | None, int | None, str], ArticleDate] = {}
"""One ArticleDate per distinct date (it is frozen): a few thousand, not 100k."""


def _share(text: str | None) -> str | None:
    if text is None or len(text) > 80:
        return text
    shared = _SHARED.setdefault(text, text)
    if len(_SHARED) > 100_000:
        _SHARED.clear()
    return shared


_SHARED_INTS: dict[int, int] = {}


def shared_int(number: int) -> int:
    """One object for each value of *number*: an int above 256 is 28 bytes, and a
    million articles' word counts hold a few thousand values (made afresh they were
    ~28 MB at a million)."""
    shared = _SHARED_INTS.setdefault(number, number)
    if len(_SHARED_INTS) > 100_000:
        _SHARED_INTS.clear()
    return shared


def _shared_date(
    year: int, month: int | None, day: int | None, source: str = "stated"
) -> ArticleDate:
    """Rebuild a pickled ArticleDate, shared (``copyreg`` routes them here)."""
    key = (year, month, day, source)
    date = _SHARED_DATES.get(key)
    if date is None:
        if len(_SHARED_DATES) > 100_000:
            _SHARED_DATES.clear()
        date = _SHARED_DATES[key] = ArticleDate(year, month, day, source)  # type: ignore[arg-type]
    return date


def _reduce_date(
    date: ArticleDate,
) -> tuple[Callable[..., ArticleDate], tuple[int, int | None, int | None, str]]:
    return _shared_date, (date.year, date.month, date.day, date.source)


copyreg.pickle(ArticleDate, _reduce_date)


def _rebuild_article(
    key: str, id: str, path: str, title: str, title_source: str,
    date: ArticleDate | tuple[int, int | None, int | None, str] | None,
    date_text: str | None, date_line: int | None, source: str | None, author: str | None,
    words: int, body: bytes, encoding: str, serial: int, warnings: tuple[str, ...],
    duplicates: tuple[str, ...], url: str | None, tags: tuple[str, ...],
    date_origin: str | None, years_named: tuple[int, ...], not_before: int | None, markup: str,
    body_line: int = -1, real_path: str | None = None, stored: int = -1,
) -> Article:  # fmt: skip
    """An unpickled :class:`Article`, its repeating strings shared. *date* may come as
    the tuple of its fields (the store's records are marshalled, and marshal knows no
    ArticleDate)."""
    if date.__class__ is tuple:
        date = _shared_date(*date)
    return Article(
        key, id, path, title, _share(title_source), date, _share(date_text),  # type: ignore[arg-type]
        date_line, _share(source), _share(author), shared_int(words), body, _share(encoding),  # type: ignore[arg-type]
        serial, warnings, duplicates, url, tags, _share(date_origin), years_named,
        not_before, _share(markup), body_line, real_path, stored,  # type: ignore[arg-type]
    )  # fmt: skip


_CJK_CHARACTER = LazyPattern("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
"""Han and kana: Chinese and Japanese put no spaces between words."""


_BELOW_CJK_LEAD = bytes(range(0xE3))
"""UTF-8 bytes that cannot start a Han or kana character (U+3040 on starts 0xE3)."""


def count_cjk_words(text: str, utf8: bytes) -> int:
    """Words a space count misses in Chinese and Japanese: one per Han or kana character,
    the unit their reading speeds are given in (a run counted as one "word" by the
    spaces is then off by one, which is noise).

    *utf8* is *text* encoded: deleting the bytes that cannot start such a character, in
    C, tells most texts (accents, curly quotes) apart without a search of the text.
    """
    if not utf8.translate(None, _BELOW_CJK_LEAD):
        return 0
    return len(_CJK_CHARACTER.findall(text))


def build_article(path: str, source: SourceText, parsed: ParsedText) -> Article:
    """The article of one file; *path* is the path to show it by, not yet neutralised
    (it also opens the file: it is kept when what is shown differs)."""
    paragraphs = parsed.paragraphs
    text = "\n".join(paragraphs)
    if "\t" in text:
        text = text.replace("\t", " ")
        paragraphs = text.split("\n")
        body = text.encode("utf-8", "surrogatepass")
    elif parsed.utf8_body is not None:
        body = parsed.utf8_body  # the same join, encoded by parse_text to count words
    else:
        body = text.encode("utf-8", "surrogatepass")
    # The content hash (the read/flag state key, never to change): BLAKE2b-128 of the
    # title, a newline and the cleaned paragraphs joined by newlines, all UTF-8.
    digest = hashlib.blake2b(digest_size=16)
    digest.update(parsed.title.encode("utf-8", "surrogatepass"))
    digest.update(b"\n")
    digest.update(body)
    key = digest.hexdigest()
    warnings = [*source.warnings, *parsed.warnings]
    if not paragraphs:
        warnings.append("no text left after cleaning")
    shown = neutralise_line(path)
    return Article(
        key=key,
        id=key[:ID_LENGTH],
        path=shown,
        title=neutralise_line(parsed.title),
        title_source=parsed.title_source,
        date=parsed.date,
        date_text=neutralise_line(parsed.date_text) if parsed.date_text else None,
        date_line=parsed.date_line,
        source=neutralise_line(parsed.source) if parsed.source else None,
        author=neutralise_line(parsed.author) if parsed.author else None,
        words=(
            parsed.words
            if parsed.words is not None
            else sum(len(paragraph.split()) for paragraph in paragraphs)
        )
        + (0 if body.isascii() else count_cjk_words(text, body)),
        body=body,
        encoding=source.encoding,
        warnings=tuple(map(neutralise_line, warnings)),  # (map: no generator to set up)
        url=neutralise_line(parsed.url) if parsed.url else None,
        tags=tuple(map(neutralise_line, parsed.tags)),
        date_origin=parsed.date_origin,
        years_named=parsed.years_named,
        not_before=parsed.not_before,
        markup=parsed.markup,
        body_line=parsed.body_line,
        real_path=None if shown == path else path,
    )


def _is_page(path: str) -> bool:
    """A saved web page (``.html``, ``.htm``): read by :mod:`webpage`, not as text.
    Two slices, not ``os.path.splitext``: this runs for every file of a text folder."""
    return path[-5:].lower() == ".html" or path[-4:].lower() == ".htm"


def read_article(path: str) -> Article | Skipped:
    """Read, decode and parse one file. Never raises for anything in the file."""
    display = resolve_display_path(path)
    if _is_page(path):
        from .webpage import read_page_article  # imports nothing heavy until a page is read

        page = read_page_article(path)
        if isinstance(page, Skipped):
            return Skipped(neutralise_line(display), page.reason)
        return build_article(display, *page)
    source = read_source(path)
    if isinstance(source, Skipped):
        return Skipped(neutralise_line(display), source.reason)
    stem = os.path.splitext(os.path.basename(path))[0]
    parsed = parse_text(source.text, file_name=stem, utf8=source.utf8, path=path)
    return build_article(display, source, parsed)


def read_raw(path: str) -> str:
    """The file's text as decoded, neutralised: what the ``r`` key shows (mojibake as
    the file has it). *path* is the one that opens the file (:attr:`Article.file_path`),
    not the one shown. A saved web page shows its visible text, never its HTML source."""
    if _is_page(path):
        from .webpage import page_raw_text

        return page_raw_text(path)
    return _read_neutralised(path, repair=False)


def read_as_loaded(path: str) -> str:
    """The file's text as loading read it (its mojibake repaired), neutralised: what a
    markdown article is parsed from again to draw it (:func:`markdown.document_for`;
    from the unrepaired text its paragraphs differed, and it was drawn as plain text)."""
    return _read_neutralised(path, repair=True)


def _read_neutralised(path: str, *, repair: bool) -> str:
    source = read_source(path, repair=repair)
    if isinstance(source, Skipped):
        return f"({source.reason})"
    return neutralise(source.text)


def sort_key(article: Article, order: SortOrder = "newest") -> tuple[int, int, int, int, str]:
    """Dated before undated, in either order; ties broken by path so the order is stable."""
    if article.date is None:
        return (1, 0, 0, 0, article.path)
    year, month, day = article.date.sort_key
    if order == "newest":
        return (0, -year, -month, -day, article.path)
    return (0, year, month, day, article.path)


_date_order = attrgetter("sort_key")

_UNDATED_CODE = 1 << 62
"""An undated article's day code: after every dated one, newest first or oldest first."""

_OrderKey = tuple[int, str, int]


def _day_code(article: Article, order: SortOrder) -> int:
    """:func:`sort_key`'s date as one int (month ≤ 12 and day ≤ 31 fit in two digits),
    negated newest first, so that both orders run up."""
    date = article.date
    if date is None:
        return _UNDATED_CODE
    year, month, day = date.sort_key
    code = (year * 100 + month) * 100 + day
    return -code if order == "newest" else code


def _order_key(article: Article, order: SortOrder) -> _OrderKey:
    """It sorts exactly as :func:`sort_key` does, then by serial (as the stable sorts
    it replaced did), and is compared in C."""
    return (_day_code(article, order), article.path, article.serial)


_Run = tuple["array[int]", list[int]]
"""A sorted run of an order: each article's day code (:func:`_day_code`), and its
serial. The rest of its key, the path, is the article's own: a key tuple held for
every article was ~80 MB at a million, a day code in an array is 8 bytes."""


def _position(run: _Run, by_serial: Sequence[Article], key: _OrderKey, low: int = 0) -> int:
    """Where *key* goes in *run* (from *low* on): the day codes are searched in C, then
    only that day's articles by path and serial."""
    codes, serials = run
    code, path, serial = key
    start = bisect_left(codes, code, low)
    end = bisect_right(codes, code, start)
    if start == end:
        return start
    return bisect_left(serials, (path, serial), start, end, key=lambda s: (by_serial[s].path, s))


def _hinted_run(
    batch: list[Article], order: SortOrder, removed: Collection[int], hint: Sequence[int]
) -> _Run | None:
    """The run of *batch* but the *removed*, given *hint*: the batch's positions in
    *order* as far as known. None when *hint* is not a permutation of the batch's
    positions, or not their order (the caller sorts the batch then).

    A re-open's million rows come so: taking them in the hinted order and checking
    that each key follows the last holds one key at a time, where making every key
    and sorting them cost ~2 s at a million, and held 80 MB of keys at the peak.
    """
    count = len(batch)
    if len(hint) != count:
        return None
    seen = bytearray(count)  # (a negative position counts from the end here and below)
    try:
        for position in hint:
            seen[position] = 1
    except (IndexError, TypeError):
        return None
    if seen.count(0):  # as many as the batch, so one came twice
        return None
    # The batch is read in its own order (as its articles lie in memory), then put in
    # the hinted one; the keys are compared in C, each made as it is compared.
    first = batch[0].serial if batch else 0  # a batch's serials run on (Corpus.add)
    serial_at = range(first, first + count)
    positions = [p for p in hint if serial_at[p] not in removed] if removed else hint
    day_codes = array("q", map(partial(_day_code, order=order), batch))
    paths = list(map(_path_of, batch))
    codes = array("q", map(day_codes.__getitem__, positions))
    del day_codes
    # The articles' own ints (made afresh, a million serials held 30 MB more), read in
    # the batch's order as the paths are.
    own_serials = list(map(_serial_of, batch))
    serials = list(map(own_serials.__getitem__, positions))
    del own_serials
    keys = zip(codes, map(paths.__getitem__, positions), serials, strict=True)
    following = zip(codes, map(paths.__getitem__, positions), serials, strict=True)
    next(following, None)
    if not all(map(le, keys, following)):
        return None
    return codes, serials


_path_of = attrgetter("path")
_date_of = attrgetter("date")
_serial_of = attrgetter("serial")


def _sorted_run(batch: Iterable[Article], order: SortOrder, removed: Collection[int]) -> _Run:
    keys = sorted(_order_key(article, order) for article in batch if article.serial not in removed)
    return array("q", [key[0] for key in keys]), [key[2] for key in keys]


def _merged(old: _Run, fresh: _Run, by_serial: Sequence[Article]) -> _Run:
    """*old* and *fresh* (each sorted, no serial in both) as one sorted run.

    The old keys before the first fresh one are one slice. Past it, each key of the
    shorter side is placed by binary search in the other, whose keys between are
    copied a slice at a time: a batch scattered over the list costs a search a key,
    and a batch that follows the list but for a few keys placed early (a re-open's
    rows, once a search had its matches handed over first) a search for each of those.
    Every key is copied once: copying the old keys past the first fresh one twice made
    a million's first load take 251 s, not 196.
    """
    first = fresh[1][0]
    split = _position(old, by_serial, (fresh[0][0], by_serial[first].path, first))
    codes, serials = old[0][:split], old[1][:split]
    if len(old[1]) - split < len(fresh[1]):
        _place(codes, serials, old, split, fresh, 0, by_serial)
    else:
        _place(codes, serials, fresh, 0, old, split, by_serial)
    return codes, serials


def _place(
    codes: array[int],
    serials: list[int],
    placed: _Run,
    placed_from: int,
    other: _Run,
    other_from: int,
    by_serial: Sequence[Article],
) -> None:
    """Append to *codes* and *serials* ``placed[placed_from:]`` and ``other[other_from:]``
    merged: each placed key found in *other* by binary search, the other keys before
    it copied as one slice."""
    placed_codes, placed_serials = placed
    other_codes, other_serials = other
    start = other_from
    for position in range(placed_from, len(placed_serials)):
        code, serial = placed_codes[position], placed_serials[position]
        end = _position(other, by_serial, (code, by_serial[serial].path, serial), start)
        if end > start:
            codes += other_codes[start:end]
            serials += other_serials[start:end]
            start = end
        codes.append(code)
        serials.append(serial)
    codes += other_codes[start:]
    serials += other_serials[start:]


class _Order:
    """One display order, kept sorted as articles arrive by merging in sorted batches.

    ``sorted(all articles, key=sort_key)`` per batch called ``sort_key`` (a Python
    function, ~1 µs) on every article every time: ~5 s over a 100k load in 1k batches;
    even a plain ``list.sort`` of the two runs compares every key once to find them
    (~10 ms a batch at 100k). Here a batch is sorted on its own, and its keys are
    placed by binary search, the old ones between them copied a slice at a time: ~2 ms
    a batch at 100k. The order holds each article's day code and serial (a
    :data:`_Run`); the article list is built (one ``map``) only when asked for. A
    re-open's rows come as one batch with a hint of their order (:func:`_hinted_run`),
    and the batch is then the longer side of the merge (:func:`_merged`).
    """

    __slots__ = ("order", "codes", "serials", "covered", "_articles", "_ranks", "by_serial")

    def __init__(self, order: SortOrder) -> None:
        self.order: SortOrder = order
        self.codes: array[int] = array("q")
        self.serials: list[int] = []
        self.covered = 0
        """Articles (in serial order) merged in so far."""
        self._articles: list[Article] | None = []
        self._ranks: array[int] | None = array("q")
        self.by_serial: list[Article] = []

    def catch_up(
        self,
        by_serial: list[Article],
        count: int,
        removed: Collection[int] = (),
        *,
        hint: Sequence[int] | None = None,
    ) -> None:
        """Merge in ``by_serial[covered:count]``, less the *removed* serials (under the
        corpus's lock). *hint*: their positions in this order as far as known (see
        :meth:`Corpus.add`).

        New lists each time, never changed in place: a reader on another thread keeps
        a consistent (if slightly old) list.
        """
        self.by_serial = by_serial
        if self.covered >= count:
            return
        order = self.order
        batch = by_serial[self.covered : count]
        fresh = _hinted_run(batch, order, removed, hint) if hint is not None else None
        if fresh is None:
            fresh = _sorted_run(batch, order, removed)
        self.covered = count
        self._ranks = None
        if not fresh[1]:
            return
        # (A batch after every old key is _merged's first slice and one more.)
        self.codes, self.serials = _merged((self.codes, self.serials), fresh, by_serial)
        self._articles = None

    def start_from(self, newest: _Order) -> None:
        """Begin as *newest* read day by day backwards (this order being the oldest
        first): no article read, nothing sorted. A day's articles keep their order
        (the path orders a day both ways), and the undated come last in both. The
        first ``s`` at a million took 2.3 s, every key made from its article and
        sorted afresh."""
        codes, serials = newest.codes, newest.serials
        undated = bisect_left(codes, _UNDATED_CODE)
        backwards: array[int] = array("q")
        ordered: list[int] = []
        end = undated
        while end:
            code = codes[end - 1]
            start = bisect_left(codes, code, 0, end)
            backwards.extend(repeat(-code, end - start))
            ordered += serials[start:end]
            end = start
        self.codes = backwards + codes[undated:]
        self.serials = ordered + serials[undated:]
        self.covered = newest.covered
        self.by_serial = newest.by_serial
        self._articles = None
        self._ranks = None

    def drop(self, gone: Iterable[Article]) -> None:
        """Leave out the *gone* articles (their files were removed or changed; under
        the corpus's lock). Each is found by its key, by binary search, and the lists
        are rebuilt a slice at a time: ~1 ms at 100,000 articles."""
        run = (self.codes, self.serials)
        positions = []
        for article in gone:
            if article.serial >= self.covered:
                continue  # not merged in yet: catch_up leaves it out
            position = _position(run, self.by_serial, _order_key(article, self.order))
            if position < len(self.serials) and self.serials[position] == article.serial:
                positions.append(position)
        if not positions:
            return
        positions.sort()
        codes: array[int] = array("q")
        serials: list[int] = []
        start = 0
        for position in [*positions, len(self.serials)]:
            codes += self.codes[start:position]
            serials += self.serials[start:position]
            start = position + 1
        self.codes, self.serials = codes, serials
        self._articles = None
        self._ranks = None

    def ordered(self) -> list[Article]:
        articles = self._articles
        if articles is None:
            articles = self._articles = list(map(self.by_serial.__getitem__, self.serials))
        return articles

    @property
    def has_ranks(self) -> bool:
        """:meth:`ranks` is made already (until the order next changes)."""
        return self._ranks is not None

    def ranks(self) -> array[int]:
        """``ranks[serial]``: the position of article *serial* in this order.

        An array: a list held an int object a position, 36 MB at a million."""
        ranks = self._ranks
        if ranks is None:
            np = numpy_if_imported()
            if np is None:  # a small corpus, most likely: not worth the import
                ranks = array("q", bytes(8 * self.covered))  # more than the serials
                for position, serial in enumerate(self.serials):
                    ranks[serial] = position
            else:  # 73 ms at a million, where the loop took 130-196 ms
                placed = np.zeros(self.covered, dtype=np.int64)
                placed[np.array(self.serials, dtype=np.int64)] = np.arange(len(self.serials))
                ranks = array("q")
                ranks.frombytes(placed.tobytes())
            self._ranks = ranks
        return ranks


@dataclass(slots=True)
class Removal:
    """What :meth:`Corpus.remove` took out."""

    articles: list[Article]
    """The articles taken out of the orders (their serials are in ``Corpus.removed``)."""
    orphans: list[str]
    """Real paths of duplicates whose article was taken out: their files are still
    there, and are read again to take its place."""


class Corpus:
    """Articles in date order, one per distinct cleaned text, plus what was skipped."""

    def __init__(self, name: str = "", *, infer: bool = True) -> None:
        self.name = name
        self.infer = infer
        """False (``--no-infer``): articles keep no inferred year; they are undated."""
        self._stated_span: tuple[ArticleDate, ArticleDate] | None = None
        """The oldest and newest stated dates so far: what the header shows."""
        self.skipped: list[Skipped] = []
        self.by_serial: list[Article] = []
        """Articles in load order: ``by_serial[article.serial] is article``."""
        self._by_id: dict[str, Article] = {}
        """By id: by key too (:meth:`by_key`), since an id is its key's first
        :data:`ID_LENGTH` characters but for the few in :attr:`_longer_ids` (a second
        dict by key was ~40 MB at a million articles)."""
        self._longer_ids: dict[str, Article] = {}
        """By key, the articles whose id is not their key's first :data:`ID_LENGTH`
        characters (two texts whose keys begin alike)."""
        self._by_path: dict[str, Article] = {}
        """By real path (:attr:`Article.file_path`), duplicates' paths too."""
        self._by_shown_path: dict[str, Article | None] = {}
        """By the path shown, for the few that differ from their real path (None: two
        files show the same)."""
        self._orders: dict[str, _Order] = {"newest": _Order("newest")}
        """The newest-first order is kept up to date by ``add``; others catch up when
        asked for (only when the user flips the sort)."""
        self._lock = threading.Lock()
        """``add`` runs in the loader thread while the UI thread reads the orders."""
        self._count = 0
        """Articles whose ``add`` has finished: what the orders show (a batch appears
        whole, once the loader has also handed it to the index)."""
        self.periods = array("i")
        """Each article's :func:`period_code`, by serial: what the timeline counts."""
        self._period_counts: Counter[int] = Counter()
        self.removed: set[int] = set()
        """Serials of articles taken out by :meth:`remove` (their file went, or changed
        and came back as a new article). They stay in :attr:`by_serial`, since serials
        are positions there and in the search index, and are left out of every order."""

    @property
    def articles(self) -> list[Article]:
        """Newest first, undated last: the canonical order (``ordered`` flips it).

        Built when first asked for after a batch (the loader adds a batch every ~0.1 s
        and the UI only needs serials), then kept until the next one.
        """
        with self._lock:
            return self._orders["newest"].ordered()

    def __len__(self) -> int:
        return len(self._orders["newest"].serials)

    def __iter__(self) -> Iterator[Article]:
        return iter(self.articles)

    def add(
        self, items: Iterable[Article | Skipped], *, in_order: Sequence[int] | None = None
    ) -> list[Article]:
        """Add a batch; duplicates join the article already held. Returns the new articles.

        *in_order*: the items' positions in the list's order as far as known (a
        store's index): a hint that makes placing a large batch one pass, never a cause
        of a wrong order.
        """
        added: list[Article] = []
        # Looked up once: this loop runs for every article of a million's re-open.
        by_serial, by_id, by_path, by_key = self.by_serial, self._by_id, self._by_path, self.by_key
        for item in items:
            if isinstance(item, Skipped):
                self.skipped.append(item)
                continue
            date = item.date
            if date is not None and not self.infer and date.inferred:
                item.date = None  # parsed in a worker that knows no options: dropped here
                item.date_origin = None
            existing = by_key(item.key)
            if existing is not None:
                existing.duplicates += (item.path,)
                self._index_path(item, existing)
                continue
            length = ID_LENGTH
            while item.id in by_id:  # two different texts sharing an id prefix
                length += 2
                item.id = item.key[:length]
            item.serial = len(by_serial)
            by_serial.append(item)
            by_id[item.id] = item
            if item.id != item.key[:ID_LENGTH]:
                self._longer_ids[item.key] = item
            if item.real_path is None:  # what _index_path does, for the usual name
                by_path[item.path] = item
            else:
                self._index_path(item, item)
            added.append(item)
        if added:
            # In an array: a million periods as ints held ~36 MB while a re-open added.
            periods = array("i", map(period_code, map(_date_of, added)))
            # The stated dates' ends, among the distinct date objects (loaded and stored
            # articles share one per date): not three comparisons an article.
            stated = {
                id(date): date
                for article in added
                if (date := article.date) is not None and date.source == "stated"
            }
            span = self._stated_span
            if stated:
                ends = [*stated.values(), *(span or ())]
                span = (min(ends, key=_date_order), max(ends, key=_date_order))
            with self._lock:
                self._stated_span = span
                self.periods.extend(periods)
                self._period_counts.update(periods)
                self._count = len(self.by_serial)
                hint = in_order if in_order is not None and len(in_order) == len(added) else None
                self._orders["newest"].catch_up(
                    self.by_serial, self._count, self.removed, hint=hint
                )
        return added

    def at_path(self, path: str) -> Article | None:
        """The article file *path* gives (its own or as a duplicate), spelt as the
        corpus holds it: :attr:`Article.file_path`, or a duplicate's real path."""
        return self._by_path.get(path)

    def remove(self, paths: Iterable[str], folders: Iterable[str] = ()) -> Removal:
        """Take out what the files at *paths*, and every file under *folders*, gave.

        Paths are spelt as :meth:`at_path` takes them. A duplicate's file only leaves
        its article's duplicates; an article's own file takes the article out of every
        order (and of :meth:`find`, :meth:`by_key`, the timeline's counts and the date
        span). Its duplicates, if any, are still on disk: they come back as
        :attr:`Removal.orphans` for the caller to read and add again. Runs on one
        thread at a time with :meth:`add` (the reader follows the folder only once it
        has loaded).
        """
        targets = dict.fromkeys(paths)
        for folder in folders:
            prefix = folder.rstrip(os.sep) + os.sep
            targets.update(dict.fromkeys(p for p in self._by_path if p.startswith(prefix)))
        gone: dict[int, Article] = {}
        for path in targets:
            article = self._by_path.get(path)
            if article is None or article.serial in gone:
                continue
            if article.file_path == path:
                gone[article.serial] = article
                continue
            # A duplicate's file: its article stays, one duplicate fewer.
            self._forget_path(path, article)
            shown = neutralise_line(path)
            duplicates = list(article.duplicates)
            if shown in duplicates:
                duplicates.remove(shown)
                article.duplicates = tuple(duplicates)
        orphans: list[str] = []
        if not gone:
            return Removal([], orphans)
        for article in gone.values():
            if self._longer_ids.get(article.key) is article:
                del self._longer_ids[article.key]
            if self._by_id.get(article.id) is article:
                del self._by_id[article.id]
        if any(article.duplicates for article in gone.values()):
            # The duplicates' real paths are only kept as the index's keys.
            for path, article in list(self._by_path.items()):
                if article.serial in gone:
                    self._forget_path(path, article)
                    if path != article.file_path and path not in targets:
                        orphans.append(path)
        else:
            for article in gone.values():
                self._forget_path(article.file_path, article)
        periods = [self.periods[serial] for serial in gone]
        span = self._stated_span
        if span is not None and any(
            article.date is not None
            and article.date.source == "stated"
            and article.date.sort_key in (span[0].sort_key, span[1].sort_key)
            for article in gone.values()
        ):
            span = self._span_without(gone)
        with self._lock:
            self.removed.update(gone)
            for order in self._orders.values():
                order.drop(gone.values())
            counts = self._period_counts
            for code in periods:
                counts[code] -= 1
                if counts[code] <= 0:
                    del counts[code]
            self._stated_span = span
        return Removal(list(gone.values()), orphans)

    def duplicate_files(self) -> list[tuple[str, Article]]:
        """(real path, article) of every file that repeats an article held."""
        return [(path, a) for path, a in self._by_path.items() if path != a.file_path]

    def add_duplicate_file(self, path: str, article: Article) -> None:
        """Let *path* (real, spelt as the loader spells it) find *article*, as a file
        that repeats it (a re-open from the store: the article lists it already)."""
        self._by_path[path] = article
        shown = neutralise_line(path)
        if shown != path:
            found = self._by_shown_path
            if found.setdefault(shown, article) is not article:
                found[shown] = None

    def _forget_path(self, path: str, article: Article) -> None:
        if self._by_path.get(path) is article:
            del self._by_path[path]
        shown = neutralise_line(path)
        if shown != path and self._by_shown_path.get(shown) is article:
            del self._by_shown_path[shown]

    def _span_without(self, gone: Collection[int]) -> tuple[ArticleDate, ArticleDate] | None:
        """The stated date span once *gone* is out (a walk over every article: only
        when one of them held an end of the span)."""
        removed = self.removed
        dates = [
            article.date
            for article in self.by_serial
            if article.date is not None
            and article.date.source == "stated"
            and article.serial not in gone
            and article.serial not in removed
        ]
        if not dates:
            return None
        return (
            min(dates, key=lambda date: date.sort_key),
            max(dates, key=lambda date: date.sort_key),
        )

    def _index_path(self, item: Article, article: Article) -> None:
        """Let :meth:`find` reach *article* by *item*'s path (its own, or a duplicate's).

        By the real path; by the path shown too when that differs, unless another
        file shows the same (two names whose bytes are not UTF-8 may both show as
        ``caf\ufffd.txt``): that one is ambiguous and finds nothing.
        """
        self._by_path[item.file_path] = article
        if item.real_path is not None:
            shown = self._by_shown_path
            if shown.setdefault(item.path, article) is not article:
                shown[item.path] = None

    @property
    def version(self) -> tuple[int, int]:
        """(articles added, articles removed): it changes whenever the corpus does, so
        what was worked out from the corpus can tell when it is out of date."""
        return (len(self.by_serial), len(self.removed))

    def period_counts(self) -> Counter[int]:
        """Articles per :func:`period_code`, all of them (kept as they are added, on
        the loading thread: the UI charts every batch without counting 100,000)."""
        with self._lock:
            return self._period_counts.copy()

    def ranks(self, order: SortOrder = "newest") -> array[int]:
        """``ranks[serial]``: where article *serial* stands in *order*."""
        with self._lock:
            return self._order(order).ranks()

    def serials(self, order: SortOrder = "newest") -> list[int]:
        """Serials in display order (cached until the corpus changes)."""
        with self._lock:
            return self._order(order).serials

    def in_order(
        self, subset: Collection[int], order: SortOrder = "newest", *, below: int | None = None
    ) -> Sequence[int]:
        """The serials of *subset* (a search's matches) in display order. *below*: a
        bound its serials are known to be under, none negative (see :class:`PickedRows`).

        A Python loop over the whole order testing membership cost ~33 ms at 100,000
        articles, on every keystroke. A few matches are instead sorted by their
        positions (kept per order until the corpus changes), or by their order keys
        when very few and the positions are not made; many are picked out of the
        order by ``filter`` with the set's own ``__contains__`` (Bits: their bytes), a
        loop in C, as far as they are read (:class:`PickedRows`: *subset* may gain only
        serials added to the corpus later while they are read). Serials not (yet) in
        the corpus are left out.
        """
        with self._lock:
            kept = self._order(order)
            serials = kept.serials
            removed = self.removed  # the search index still finds removed articles
            if len(subset) * 8 < len(serials):
                if isinstance(subset, Bits):
                    return subset.in_order(kept.ranks(), removed)
                known = kept.covered
                wanted = (s for s in subset if 0 <= s < known and s not in removed)
                if kept.has_ranks or len(subset) * 64 >= len(serials):
                    return sorted(wanted, key=kept.ranks().__getitem__)
                # Very few, and the ranks not made since the corpus changed: making
                # them visits every article (~130 ms at a million, after each batch
                # or file change); sorting only these by key took 13-40 ms for 10,000.
                by_serial = self.by_serial
                return sorted(wanted, key=lambda s: _order_key(by_serial[s], order))
            picked = PickedRows.of(serials, subset, kept.covered, removed, below=below)
            return list(filter(subset.__contains__, serials)) if picked is None else picked

    def ordered(self, order: SortOrder = "newest") -> list[Article]:
        if order == "newest":
            return list(self.articles)
        with self._lock:
            return list(self._order(order).ordered())

    def _order(self, order: SortOrder) -> _Order:
        kept = self._orders.get(order)
        if kept is None:
            kept = self._orders[order] = _Order(order)
            if order == "oldest":
                kept.start_from(self._orders["newest"])
        kept.catch_up(self.by_serial, self._count, self.removed)
        return kept

    def by_key(self, key: str) -> Article | None:
        article = self._by_id.get(key[:ID_LENGTH])
        if article is not None and article.key == key:
            return article
        return self._longer_ids.get(key) if self._longer_ids else None

    def find(self, reference: str) -> Article | None:
        """An article by id, unique id prefix, or file path (its own or a duplicate's).

        A path is matched as the file system spells it (control characters, bytes that
        are not UTF-8 and all); the path as shown finds it too when no other file shows
        the same.
        """
        stripped = reference.strip()
        if not stripped:
            return None
        if stripped in self._by_id:
            return self._by_id[stripped]
        # A name may begin or end with a blank: the reference as given first.
        for text in dict.fromkeys((reference, stripped)):
            for candidate in (text, resolve_display_path(text)):
                found = self._by_path.get(candidate)
                if found is None:
                    found = self._by_shown_path.get(neutralise_line(candidate))
                if found is not None:
                    return found
        lowered = stripped.lower()
        if len(lowered) >= ID_PREFIX_MIN and all(char in "0123456789abcdef" for char in lowered):
            matches = self.ids_starting(lowered)
            if len(matches) == 1:
                return self._by_id[matches[0]]
        return None

    def ids_starting(self, prefix: str) -> list[str]:
        """The ids that start with *prefix*, sorted."""
        return sorted(key for key in self._by_id if key.startswith(prefix))

    def date_span(self) -> tuple[ArticleDate, ArticleDate] | None:
        """The oldest and newest *stated* dates (an inferred year is a guess, and one
        guess of "2050" would stretch the header's span): kept as batches are added,
        so the header, which asks after every batch, reads two fields."""
        return self._stated_span


def default_corpus_path() -> str:
    """The bundled seeds: inside the package when installed, beside it in a checkout."""
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    packaged = os.path.join(here, "_seeds")
    if os.path.isdir(packaged):
        return packaged
    return os.path.join(os.path.dirname(here), "seeds")


def corpus_name(paths: list[str]) -> str:
    if len(paths) == 1:
        name = os.path.basename(os.path.normpath(os.path.abspath(paths[0])))
        return "seeds" if name == "_seeds" else neutralise_line(name)
    return f"{len(paths)} paths"


def iter_corpus(
    paths: Iterable[str], progress: Callable[[int], None] | None = None
) -> Iterator[Article | Skipped]:
    """Read every article under *paths* in discovery order (raises CorpusPathError)."""
    count = 0
    for found in discover(paths):
        item = read_found(found)
        yield item
        if isinstance(found, Skipped):
            continue
        count += 1
        if progress is not None:
            progress(count)


def read_found(found: str | Skipped) -> Article | Skipped:
    """What :func:`iter_corpus` yields for one thing ``discover`` found: the single
    definition the parallel loader (``loader.load_batches``) shares, so both agree."""
    if isinstance(found, Skipped):
        return Skipped(neutralise_line(resolve_display_path(found.path)), found.reason)
    return read_article(found)


def load_corpus(paths: list[str]) -> Corpus:
    corpus = Corpus(corpus_name(paths))
    corpus.add(iter_corpus(paths))
    return corpus
