"""The in-memory corpus: articles, de-duplicated and kept in date order."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from .dates import ArticleDate
from .files import Skipped, SourceText, discover, read_source, resolve_display_path
from .parse import ParsedText, parse_text
from .safe import neutralise, neutralise_line

SortOrder = Literal["newest", "oldest"]

ID_LENGTH = 10
"""Hex digits of the content hash shown as an article's id (lengthened on a clash)."""

WORDS_PER_MINUTE = 230


@dataclass(slots=True, eq=False)
class Article:
    """One article. Every text field is already neutralised (safe for a terminal)."""

    key: str
    """Full content hash of the cleaned title and text: the read/flag state key."""
    id: str
    path: str
    title: str
    title_source: str
    date: ArticleDate | None
    date_text: str | None
    date_line: int | None
    source: str | None
    author: str | None
    words: int
    body: bytes
    """Cleaned paragraphs, UTF-8, one per line: compact for 100,000 articles."""
    encoding: str = "utf-8"
    serial: int = -1
    """Position in load order, assigned by the Corpus: stable while the list re-sorts,
    so the search index and the widgets can refer to articles by a small int."""
    warnings: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "surrogatepass")

    @property
    def paragraphs(self) -> list[str]:
        return self.text.split("\n") if self.body else []

    @property
    def reading_minutes(self) -> int:
        return max(1, round(self.words / WORDS_PER_MINUTE))

    @property
    def date_iso(self) -> str | None:
        return self.date.iso() if self.date else None

    def describe_date(self) -> str:
        """The date and where it came from, in words: the UI and ``--show`` both say it."""
        if self.date is None:
            return "undated (no date stated, no year named in the text)"
        if self.date.inferred:
            return f"c. {self.date.iso()} (inferred: the latest year the text names)"
        where = f"line {self.date_line}" if self.date_line else "the header"
        if self.date_text and self.date_text != self.date.iso():
            return f"{self.date.iso()} (stated on {where} as “{self.date_text}”)"
        return f"{self.date.iso()} (stated on {where})"

    def describe_title(self) -> str:
        return {
            "header": "from the Title: line",
            "headline": "from the first line (a headline)",
            "first sentence": "from the first sentence",
            "file name": "from the file name",
        }.get(self.title_source, self.title_source)

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "path": self.path,
            "title": self.title,
            "date": self.date_iso,
            "date_precision": self.date.precision if self.date else None,
            "date_source": self.date.source if self.date else None,
            "words": self.words,
            "duplicates": list(self.duplicates),
            "warnings": list(self.warnings),
        }


def content_key(title: str, paragraphs: list[str]) -> str:
    digest = hashlib.blake2b(digest_size=16)
    digest.update(title.encode("utf-8", "surrogatepass"))
    digest.update(b"\n")
    digest.update("\n".join(paragraphs).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def build_article(path: str, source: SourceText, parsed: ParsedText) -> Article:
    paragraphs = parsed.paragraphs
    text = "\n".join(paragraphs)
    if "\t" in text:
        text = text.replace("\t", " ")
        paragraphs = text.split("\n")
    body = text.encode("utf-8", "surrogatepass")
    # The same digest as content_key(), from the body already encoded: one join and
    # one encode per article instead of two.
    digest = hashlib.blake2b(digest_size=16)
    digest.update(parsed.title.encode("utf-8", "surrogatepass"))
    digest.update(b"\n")
    digest.update(body)
    key = digest.hexdigest()
    warnings = [*source.warnings, *parsed.warnings]
    if not paragraphs:
        warnings.append("no text left after cleaning")
    return Article(
        key=key,
        id=key[:ID_LENGTH],
        path=neutralise_line(path),
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
        ),
        body=body,
        encoding=source.encoding,
        warnings=[neutralise_line(warning) for warning in warnings],
    )


def read_article(path: str) -> Article | Skipped:
    """Read, decode and parse one file. Never raises for anything in the file."""
    display = resolve_display_path(path)
    source = read_source(path)
    if isinstance(source, Skipped):
        return Skipped(neutralise_line(display), source.reason)
    stem = os.path.splitext(os.path.basename(path))[0]
    parsed = parse_text(source.text, file_name=stem)
    return build_article(display, source, parsed)


def read_raw(path: str) -> str:
    """The file's text as decoded, neutralised: what the ``r`` key shows."""
    source = read_source(path)
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


class Corpus:
    """Articles in date order, one per distinct cleaned text, plus what was skipped."""

    def __init__(self, name: str = "") -> None:
        self.name = name
        self.articles: list[Article] = []
        """Newest first, undated last: the canonical order (``ordered`` flips it)."""
        self.skipped: list[Skipped] = []
        self.by_serial: list[Article] = []
        """Articles in load order: ``by_serial[article.serial] is article``."""
        self._by_key: dict[str, Article] = {}
        self._by_id: dict[str, Article] = {}
        self._by_path: dict[str, Article] = {}
        self._orders: dict[str, list[int]] = {}

    def __len__(self) -> int:
        return len(self.articles)

    def __iter__(self) -> Iterator[Article]:
        return iter(self.articles)

    def add(self, items: Iterable[Article | Skipped]) -> list[Article]:
        """Add a batch; duplicates join the article already held. Returns the new articles."""
        added: list[Article] = []
        for item in items:
            if isinstance(item, Skipped):
                self.skipped.append(item)
                continue
            existing = self._by_key.get(item.key)
            if existing is not None:
                existing.duplicates.append(item.path)
                self._by_path[item.path] = existing
                continue
            length = ID_LENGTH
            while item.id in self._by_id:  # two different texts sharing an id prefix
                length += 2
                item.id = item.key[:length]
            item.serial = len(self.by_serial)
            self.by_serial.append(item)
            self._by_key[item.key] = item
            self._by_id[item.id] = item
            self._by_path[item.path] = item
            added.append(item)
        if added:
            # A new list, not an in-place sort: a reader on another thread keeps a
            # consistent (if slightly old) list.
            self.articles = sorted([*self.articles, *added], key=sort_key)
            self._orders = {}
        return added

    def serials(self, order: SortOrder = "newest") -> list[int]:
        """Serials in display order (cached until the corpus changes)."""
        cached = self._orders.get(order)
        if cached is None:
            cached = [article.serial for article in self.ordered(order)]
            self._orders[order] = cached
        return cached

    def ordered(self, order: SortOrder = "newest") -> list[Article]:
        if order == "newest":
            return list(self.articles)
        return sorted(self.articles, key=lambda article: sort_key(article, "oldest"))

    def by_key(self, key: str) -> Article | None:
        return self._by_key.get(key)

    def find(self, reference: str) -> Article | None:
        """An article by id, unique id prefix, or file path (its own or a duplicate's)."""
        reference = reference.strip()
        if not reference:
            return None
        if reference in self._by_id:
            return self._by_id[reference]
        for candidate in (reference, resolve_display_path(reference)):
            if candidate in self._by_path:
                return self._by_path[candidate]
        lowered = reference.lower()
        if len(lowered) >= 4 and all(char in "0123456789abcdef" for char in lowered):
            matches = [a for a in self.articles if a.id.startswith(lowered)]
            if len(matches) == 1:
                return matches[0]
        return None

    def date_span(self) -> tuple[ArticleDate, ArticleDate] | None:
        dated = [article for article in self.articles if article.date is not None]
        if not dated:
            return None
        return dated[-1].date, dated[0].date  # type: ignore[return-value]


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
        if isinstance(found, Skipped):
            yield Skipped(neutralise_line(resolve_display_path(found.path)), found.reason)
            continue
        yield read_article(found)
        count += 1
        if progress is not None:
            progress(count)


def load_corpus(paths: list[str]) -> Corpus:
    corpus = Corpus(corpus_name(paths))
    corpus.add(iter_corpus(paths))
    return corpus
