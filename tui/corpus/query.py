"""The query language of the filter bar and ``--query``: text → a predicate, clear errors.

Grammar (terms are separated by white space and combine with AND)::

    word            a word starting with ``word`` (prefix; case- and accent-insensitive)
    "two words"     those words in a row; every word but the last is matched whole,
                    the last as a prefix (so ``"prime min"`` finds "Prime Minister")
    -term           without it (any term below can be negated)
    a OR b          either; OR binds tighter than the implicit AND:
                    ``sco putin OR xi`` is sco AND (putin OR xi)
    title:word      in the title only; also ``title:"a phrase"``
    date:PERIOD     PERIOD is 2024, 2024-10 or 2024-10-08; ranges 2021..2022,
                    2023-06.. and ..2022 are inclusive
    before:DATE     strictly before / after DATE, read by python-dateutil
    after:DATE      (``after:"January 1, 2024"``)
    is:STATE        read, unread, flagged, undated or inferred
    author:NAME     a word of the author starting with NAME; ``author:"jane doe"``
    site:HOST       the article's URL is on HOST or under it: ``site:bbc.co.uk`` finds
                    ``https://www.bbc.co.uk/news/…`` (whole labels, from the end; a
                    leading ``www.`` is ignored; a pasted URL stands for its host)
    tag:TAG         a word of one of its tags starting with TAG (``tag:#climate`` too)

An article is in a period only if the whole span of its date is: a year-precision
2022 article is in ``date:2022`` and ``date:2021..2022`` but not in ``date:2022-06..``.
Undated articles match no ``date:``, ``before:`` or ``after:`` term.

Words are compared after :func:`normalise` (casefold, compatibility decomposition,
combining marks dropped) and split by one regex, :data:`TERM`: "Pakistan’s" is the
two words ``pakistan`` and ``s``. A bare term that splits into several words
(``Russia-Pakistan``, ``10:30``) is matched like a phrase. A bare term with no letters
or digits at all (``&``, ``—``) is ignored. Field names and ``is:`` values are
case-insensitive; ``OR`` must be upper case to be an operator (``or`` is a word).
A word with a colon is a field only when the part before the colon is letters and
the part after is not ``//…`` (so ``10:30`` and ``http://x`` stay words).

Chinese and Japanese (Han, kana) have no spaces between words, so a run of those
characters is matched anywhere, not only from its start: ``京都`` finds 東京都, and
``2024`` finds 2024年. (The index keeps such runs as overlapping pairs of characters.)
Korean is written with spaces, and a Hangul word is matched from its start like a
Latin one: ``서울`` finds 서울에서, ``울`` does not (as ``kistan`` does not find
Pakistan). Hangul folds to its letters (jamo), so a syllable being typed already
matches: ``서`` finds 서울 and 설날.

Symbols that belong to a term are kept with it, as well as the word they hold:
a currency sign and what follows (``£1bn``, ``$100``, ``€5``, or ``€`` alone),
``#hashtag``, ``@handle``, and ``C++``, ``C#``. ``£1bn`` finds £1bn, not $1bn; ``1bn``
finds both.

A query has at most 64 terms (:data:`MAX_TERMS`) and 4,000 characters
(:data:`MAX_QUERY_LENGTH`), and is compiled to a bounded plan (:func:`compile_plan`):
repeats are tested once, ``X OR -X`` is dropped, and many alternatives of a kind, or
many exclusions, are tested together. So every query answers in bounded time,
whatever its shape (``python -m bench.bench_queries_shape`` times them).

Anything malformed raises :class:`QueryError` (a ``ValueError``) carrying the offending
part's position, so the filter bar can point at it; nothing else is ever raised.
This module is pure Python and imports nothing from Textual.
"""

from __future__ import annotations

import bisect
import calendar
import contextlib
import datetime as dt
import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Protocol

from .safe import neutralise_line
from .text import _normalise_with_map, _piece, is_cjk, is_symbol, normalise, spaced, tokenise
from .wordrows import WordRows, plain_word_form

if TYPE_CHECKING:
    from .dates import ArticleDate
    from .model import Article

__all__ = [
    "MAX_QUERY_LENGTH",
    "MAX_TERMS",
    "DateTerm",
    "FieldTerm",
    "Group",
    "Query",
    "QueryError",
    "ScanOrder",
    "StateTerm",
    "StateView",
    "Term",
    "TextTerm",
    "parse_query",
]


# --------------------------------------------------------------------------- errors


class QueryError(ValueError):
    """A malformed query. ``position``/``length`` locate the bad part in the query text."""

    def __init__(self, message: str, position: int, length: int, text: str = "") -> None:
        self.message = message
        self.position = position
        self.length = max(0, length)
        part = text[position : position + self.length] if text else ""
        # The query is typed or pasted by the user, but it may still carry an ESC from a
        # pasted file: the message goes to a terminal, so neutralise it like file text.
        self.part = neutralise_line(part)
        where = f"column {position + 1}"
        super().__init__(
            f"{self.part} at {where}: {message}" if self.part else f"{where}: {message}"
        )


class StateView(Protocol):
    """Read/flag state, looked up by an article's content key."""

    def is_read(self, key: str) -> bool: ...

    def is_flagged(self, key: str) -> bool: ...


# ------------------------------------------------------------------------- terms

StateName = Literal["read", "unread", "flagged", "undated", "inferred"]
STATE_NAMES: tuple[str, ...] = ("read", "unread", "flagged", "undated", "inferred")
FIELDS = ("title", "date", "before", "after", "is", "author", "site", "tag")


@dataclass(frozen=True, slots=True)
class TextTerm:
    """Words in a row (one word is a row of one); the last one may be a prefix."""

    tokens: tuple[str, ...]
    prefix: bool
    """Whether the last token matches any word starting with it."""
    title_only: bool = False
    negated: bool = False
    quoted: bool = False
    start: int = 0
    end: int = 0

    @property
    def needs_verifying(self) -> bool:
        """An index of words alone cannot tell a phrase: candidates must be re-read.

        So is a run of three or more Han or kana characters: the index holds pairs.
        """
        return len(self.tokens) > 1 or any(len(t) > 2 and is_cjk(t) for t in self.tokens)

    def pattern_text(self, whole_last_word: bool = False) -> str:
        """A regex over :func:`spaced` normalised text; ``\\W+`` between words
        (punctuation, line ends), ``\\W*`` next to a sign or a run of Han or kana."""
        return "".join(_token_patterns(self.tokens, self.prefix, whole_last_word))

    def same_as(self, other: Term) -> bool:
        return (
            isinstance(other, TextTerm)
            and self.tokens == other.tokens
            and self.prefix == other.prefix
            and self.title_only == other.title_only
            and self.negated == other.negated
        )


def _token_patterns(tokens: tuple[str, ...], prefix: bool, whole_last_word: bool) -> Iterator[str]:
    """The regex of a row of tokens over :func:`spaced` text, piece by piece.

    A word starts where no word character precedes it and, matched whole, ends where
    none follows. A run of Han or kana is matched anywhere, as its characters are not
    spaced into words. A symbol term is matched as :func:`symbol_terms` cuts it.
    """
    last = len(tokens) - 1
    for index, token in enumerate(tokens):
        literal = re.escape(token)
        whole = index < last or not prefix
        if index:
            before = tokens[index - 1][-1]
            spaced_out = not (
                is_symbol(before) or is_symbol(token[0]) or is_cjk(before) or is_cjk(token)
            )
            yield r"\W+" if spaced_out else r"\W*"
        if is_cjk(token):
            yield literal  # anywhere in a run, and to any length
            continue
        if index == 0 and not is_symbol(token[0]):
            # Starts with a word character (a word, c++, c#). The check comes after the
            # first literal, not before it: a pattern that opens with a literal lets
            # ``re`` jump between occurrences (30× faster here).
            yield literal + r"(?<!\w" + literal + ")"
        else:
            yield literal
        final = token[-1]
        if final == "#":
            yield r"(?!\w)"  # c#, matched as symbol_terms() cuts it
        elif final == "+":
            pass  # c++
        elif whole:
            yield r"(?!\w)"
        elif whole_last_word:
            yield r"\w*"


@dataclass(frozen=True, slots=True)
class DateTerm:
    """Articles whose whole date span lies within [lo, hi] (proleptic ordinals)."""

    lo: int
    hi: int
    negated: bool = False
    start: int = 0
    end: int = 0

    def same_as(self, other: Term) -> bool:
        return isinstance(other, DateTerm) and (self.lo, self.hi, self.negated) == (
            other.lo,
            other.hi,
            other.negated,
        )

    def contains(self, first: int, last: int) -> bool:
        return self.lo <= first and last <= self.hi


@dataclass(frozen=True, slots=True)
class StateTerm:
    name: StateName
    negated: bool = False
    start: int = 0
    end: int = 0

    @property
    def uses_state(self) -> bool:
        return self.name in ("read", "unread", "flagged")

    def same_as(self, other: Term) -> bool:
        return isinstance(other, StateTerm) and (self.name, self.negated) == (
            other.name,
            other.negated,
        )


FieldName = Literal["author", "site", "tag"]


@dataclass(frozen=True, slots=True)
class FieldTerm:
    """``author:``, ``site:`` or ``tag:``: a test on the article's metadata, not its text.

    For ``author`` and ``tag``, *tokens* are words as in a phrase (the last one a
    prefix) matched within the author or within any one tag; for ``site`` they are the
    labels of a host name (``bbc``, ``co``, ``uk``) matched whole, from the host's end.
    """

    name: FieldName
    tokens: tuple[str, ...]
    negated: bool = False
    start: int = 0
    end: int = 0

    def same_as(self, other: Term) -> bool:
        return isinstance(other, FieldTerm) and (self.name, self.tokens, self.negated) == (
            other.name,
            other.tokens,
            other.negated,
        )

    def value_matches(self, value: str) -> bool:
        """Whether one normalised value (see :func:`field_values`) satisfies the term."""
        if self.name == "site":
            suffix = ".".join(self.tokens)
            return value == suffix or value.endswith("." + suffix)
        return _field_pattern(self).search(value) is not None

    def matches_article(self, article: Article) -> bool:
        """Taken as positive (``negated`` is the caller's business)."""
        return any(self.value_matches(value) for value in field_values(article, self.name))


_FIELD_PATTERNS: dict[tuple[str, ...], re.Pattern[str]] = {}


def _field_pattern(term: FieldTerm) -> re.Pattern[str]:
    found = _FIELD_PATTERNS.get(term.tokens)
    if found is None:
        if len(_FIELD_PATTERNS) > 256:
            _FIELD_PATTERNS.clear()
        text = "".join(_token_patterns(term.tokens, True, False))
        found = _FIELD_PATTERNS[term.tokens] = re.compile(text)
    return found


def field_values(article: Article, name: str) -> tuple[str, ...]:
    """The normalised values a field term looks at: the author, the URL's host, the tags."""
    if name == "author":
        return (spaced(normalise(article.author)),) if article.author else ()
    if name == "tag":
        return tuple(spaced(normalise(tag)) for tag in article.tags)
    host = url_host(article.url) if article.url else None
    return (host,) if host else ()


def url_host(url: str) -> str | None:
    """The normalised host of *url* (``www.`` dropped, IDNA decoded), or None.

    A URL without a scheme (``www.bbc.co.uk/news``) is read as one with.
    """
    text = url.strip()
    if "//" not in text:
        text = "//" + text
    try:
        from urllib.parse import urlsplit

        host = urlsplit(text).hostname
    except ValueError:
        return None
    if not host:
        return None
    return _normal_host(host)


def _normal_host(host: str) -> str:
    labels = []
    for label in host.strip(".").split("."):
        if label.startswith("xn--"):
            with contextlib.suppress(UnicodeError, ValueError):
                label = label.encode("ascii").decode("idna")
        labels.append(normalise(label))
    if len(labels) > 1 and labels[0] == "www":
        labels = labels[1:]
    return ".".join(labels)


Term = TextTerm | DateTerm | StateTerm | FieldTerm
Clause = tuple[Term, ...]
"""Alternatives joined by OR; a query is the AND of its clauses."""

MIN_ORDINAL = 1
MAX_ORDINAL = dt.date.max.toordinal()


# ------------------------------------------------------------------------ dates

_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_DEFAULT_A = dt.datetime(2000, 1, 1)
_DEFAULT_B = dt.datetime(2001, 2, 2)
# Two defaults that differ in every field: a field that comes out different was not in
# the text, so nothing is ever filled in from a default (or from today).

_DATE_HELP = "use YYYY, YYYY-MM or YYYY-MM-DD"


class _BadDate(ValueError):
    pass


def _span(year: int, month: int | None, day: int | None) -> tuple[int, int]:
    """First and last day (ordinals) of a date known to year, month or day."""
    try:
        if month is None:
            return dt.date(year, 1, 1).toordinal(), dt.date(year, 12, 31).toordinal()
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return dt.date(year, month, 1).toordinal(), dt.date(year, month, last).toordinal()
        ordinal = dt.date(year, month, day).toordinal()
    except (ValueError, OverflowError, calendar.IllegalMonthError):
        raise _BadDate("not a date: no such month or day") from None
    return ordinal, ordinal


def parse_date_value(value: str) -> tuple[int, int]:
    """First and last day (ordinals) of the period *value* names. Raises ``_BadDate``."""
    value = value.strip()
    if not value:
        raise _BadDate(f"missing date; {_DATE_HELP}")
    if len(value) > 60:
        raise _BadDate(f"too long to be a date; {_DATE_HELP}")
    match = _ISO_DATE.fullmatch(value)
    if match:
        year, month, day = (int(part) if part else None for part in match.groups())
        assert year is not None
        return _span(year, month, day)
    if not any(char.isdigit() for char in value):
        # dateutil reads "may" or "march" with no year as a date: reject early, clearly.
        raise _BadDate(f"not a date; {_DATE_HELP}")
    # Imported here: only a date in a non-ISO form needs it, and it is ~10 ms of every
    # start-up otherwise (this module is on the path to the first frame).
    from dateutil import parser as date_parser

    try:
        first = date_parser.parse(value, default=_DEFAULT_A)
        second = date_parser.parse(value, default=_DEFAULT_B)
    except Exception:  # dateutil raises ValueError, OverflowError and, rarely, others
        raise _BadDate(f"not a date; {_DATE_HELP}") from None
    if first.year != second.year:
        raise _BadDate(f"not a date: it has no year; {_DATE_HELP}")
    month = first.month if first.month == second.month else None
    day = first.day if month is not None and first.day == second.day else None
    return _span(first.year, month, day)


def article_span(article: Article) -> tuple[int, int] | None:
    date = article.date
    return None if date is None else date_span(date)


_SPANS: dict[int, tuple[ArticleDate, tuple[int, int] | None]] = {}
"""Spans worked out, by the date object's identity (each entry holds its date, so an
identity is not reused while it is remembered)."""


def date_span(date: ArticleDate) -> tuple[int, int] | None:
    """The first and last day *date* covers, as proleptic ordinals (None: not a real
    day). Remembered per date object: loaded and stored articles share one object per
    distinct date (``model._shared_date``), so a million articles have a few thousand,
    and working each out took 1.4 s of a million's re-open."""
    found = _SPANS.get(id(date))
    if found is not None:
        return found[1]
    try:
        span: tuple[int, int] | None = (date.first_day().toordinal(), date.last_day().toordinal())
    except ValueError:
        span = None
    if len(_SPANS) >= 32_768:  # dates parsed here are not shared: keep it bounded
        _SPANS.clear()
    _SPANS[id(date)] = (date, span)
    return span


# ------------------------------------------------------------------------ lexing

_QUOTES = '"“”„'
_FIELD = re.compile(r"([^\W\d_]+):")
_SPACE = re.compile(r"\s+")


@dataclass(slots=True)
class _Or:
    start: int


def _read_until_space(text: str, index: int, stop_at_quote: bool) -> int:
    end = index
    length = len(text)
    while end < length and not text[end].isspace():
        if stop_at_quote and text[end] in _QUOTES:
            break
        end += 1
    return end


def _read_quoted(text: str, index: int) -> tuple[str, int]:
    """The text inside the quote at *index*, and the index after the closing quote."""
    length = len(text)
    end = index + 1
    while end < length and text[end] not in _QUOTES:
        end += 1
    if end >= length:
        raise QueryError('unclosed quote; add a closing "', index, length - index, text)
    return text[index + 1 : end], end + 1


def _text_term(
    raw: str, *, quoted: bool, title_only: bool, negated: bool, start: int, end: int
) -> TextTerm | None:
    tokens = tuple(tokenise(raw))
    if not tokens:
        return None
    return TextTerm(tokens, True, title_only, negated, quoted, start, end)


MAX_QUERY_LENGTH = 4000
"""Characters a query may have: a screenful of typing, far more than any query a person
writes; a longer one is refused (``QueryError``) before anything else is done with it."""

MAX_TERMS = 64
"""Terms a query may have (each side of an OR counts): more than anyone types, and few
enough that the filter bar answers any query within 1 s at 50,000 articles
(``python -m bench.bench_queries_shape``: at 256 terms, eight-way OR clauses took
1.2 s). Past it the query is refused with a plain message rather than left to run
for a minute (issue 12: 1,000 terms joined by OR took 41 s on the command line)."""


def _check_size(text: str) -> None:
    if len(text) > MAX_QUERY_LENGTH:
        size = f"{len(text):,} characters"
        raise QueryError(
            f"query too long ({size}); a query has at most {MAX_QUERY_LENGTH:,}",
            MAX_QUERY_LENGTH,
            0,
            text,
        )


def _count_term(items: list[Term | _Or], text: str, start: int, end: int) -> None:
    """Refuse the term at *start*..*end* if the query already has :data:`MAX_TERMS`."""
    if len(items) >= MAX_TERMS and sum(not isinstance(item, _Or) for item in items) >= MAX_TERMS:
        raise _too_many_terms(text, start, end)


def _too_many_terms(text: str, start: int, end: int) -> QueryError:
    return QueryError(
        f"too many terms; a query has at most {MAX_TERMS}: search for fewer words",
        start,
        end - start,
        text,
    )


def _lex(text: str) -> list[Term | _Or]:
    _check_size(text)
    items: list[Term | _Or] = []
    length = len(text)
    index = 0
    while True:
        space = _SPACE.match(text, index)
        if space:
            index = space.end()
        if index >= length:
            return items
        start = index
        negated = False
        if text[index] == "-":
            negated = True
            index += 1
            if index >= length or text[index].isspace():
                raise QueryError("- needs a word or phrase right after it", start, 1, text)
        term_start = index
        match = _FIELD.match(text, index)
        if match:
            name = match.group(1).casefold()
            value_start = match.end()
            at_end = value_start >= length or text[value_start].isspace()
            url = text.startswith("//", value_start)
            if name in FIELDS:
                if at_end:
                    raise QueryError(_field_help(name), term_start, value_start - term_start, text)
                item, index = _field_term(text, name, term_start, value_start, negated)
                if item is not None:
                    _count_term(items, text, start, index)
                    items.append(item)
                continue
            if not at_end and not url:
                end = _read_until_space(text, value_start, stop_at_quote=False)
                raise QueryError(
                    "unknown field; use title:, author:, site:, tag:, date:, before:, after: "
                    "or is: "
                    "(put text with a colon in quotes to search for it)",
                    term_start,
                    end - term_start,
                    text,
                )
        if text[index] in _QUOTES:
            inner, index = _read_quoted(text, index)
            term = _text_term(
                inner, quoted=True, title_only=False, negated=negated, start=start, end=index
            )
        else:
            end = _read_until_space(text, index, stop_at_quote=True)
            word = text[index:end]
            index = end
            if word == "OR" and not negated:
                items.append(_Or(start))
                continue
            term = _text_term(
                word, quoted=False, title_only=False, negated=negated, start=start, end=end
            )
        if term is None:
            if negated:
                raise QueryError(
                    "nothing to exclude: add letters or digits after -", start, index - start, text
                )
            continue  # punctuation alone: nothing to search for, so no constraint
        _count_term(items, text, start, index)
        items.append(term)


def _field_help(name: str) -> str:
    if name == "title":
        return 'title: needs a word or phrase, e.g. title:putin or title:"prime minister"'
    if name == "is":
        return "is: needs read, unread, flagged, undated or inferred"
    if name == "author":
        return 'author: needs a name, e.g. author:smith or author:"jane smith"'
    if name == "site":
        return "site: needs a host name, e.g. site:bbc.co.uk"
    if name == "tag":
        return "tag: needs a tag, e.g. tag:climate"
    if name == "date":
        return "date: needs a date or range, e.g. date:2024, date:2024-10 or date:2021..2022"
    return f'{name}: needs a date, e.g. {name}:2024-06 or {name}:"January 1, 2024"'


def _field_term(
    text: str, name: str, term_start: int, value_start: int, negated: bool
) -> tuple[Term | None, int]:
    """Parse ``name:value`` whose value starts at *value_start*; return the term and end."""
    if text[value_start] in _QUOTES:
        value, end = _read_quoted(text, value_start)
        quoted = True
    else:
        end = _read_until_space(text, value_start, stop_at_quote=False)
        value = text[value_start:end]
        quoted = False
    start = term_start - 1 if negated else term_start

    def fail(message: str) -> QueryError:
        return QueryError(message, term_start, end - term_start, text)

    if name == "title":
        term = _text_term(
            value, quoted=quoted, title_only=True, negated=negated, start=start, end=end
        )
        if term is None:
            raise fail("title: needs letters or digits to search for")
        return term, end
    if name in ("author", "tag"):
        tokens = tuple(
            token
            for token in tokenise(value.lstrip("#") if name == "tag" else value)
            if not is_symbol(token) or name == "tag"
        )
        if not tokens:
            raise fail(f"{name}: needs letters or digits to search for")
        return FieldTerm(name, tokens, negated, start, end), end  # type: ignore[arg-type]
    if name == "site":
        return FieldTerm("site", _site_labels(value, fail), negated, start, end), end
    if name == "is":
        state = value.strip().casefold()
        if state not in STATE_NAMES:
            raise fail(
                "unknown state; use is:read, is:unread, is:flagged, is:undated or is:inferred"
            )
        return StateTerm(state, negated, start, end), end  # type: ignore[arg-type]
    try:
        if name == "date":
            lo, hi = _date_range(value)
        elif name == "before":
            lo, hi = MIN_ORDINAL, parse_date_value(value)[0] - 1
        else:
            lo, hi = parse_date_value(value)[1] + 1, MAX_ORDINAL
    except _BadDate as exc:
        raise fail(str(exc)) from None
    return DateTerm(lo, hi, negated, start, end), end


_LABEL = re.compile(r"[^\W_]+(?:-+[^\W_]+)*")


def _site_labels(value: str, fail: Callable[[str], QueryError]) -> tuple[str, ...]:
    """The labels of ``site:``'s host name; a pasted URL stands for its host."""
    text = value.strip()
    if "/" in text:
        if text.startswith("/") or "://" in text:
            host = url_host(text)
            if host is None:
                raise fail("site: needs a host name, e.g. site:bbc.co.uk")
            text = host
        else:
            text = text.split("/", 1)[0]  # bbc.co.uk/news: the host part
    if ":" in text:
        raise fail("site: takes a host name without a port, e.g. site:bbc.co.uk")
    labels = _normal_host(text.strip(".")).split(".") if text.strip(".") else []
    if not labels:
        raise fail("site: needs a host name, e.g. site:bbc.co.uk")
    for label in labels:
        if not _LABEL.fullmatch(label):
            raise fail(
                "not a host name: use letters, digits, hyphens and dots, e.g. site:bbc.co.uk"
            )
    return tuple(labels)


def _date_range(value: str) -> tuple[int, int]:
    if ".." not in value:
        return parse_date_value(value)
    left, sep, right = value.partition("..")
    if ".." in right:
        raise _BadDate("a range has one '..', e.g. date:2021..2022")
    if not left.strip() and not right.strip():
        raise _BadDate("a range needs a date on at least one side, e.g. date:2023-06..")
    lo = parse_date_value(left)[0] if left.strip() else MIN_ORDINAL
    hi = parse_date_value(right)[1] if right.strip() else MAX_ORDINAL
    if lo > hi:
        raise _BadDate("the range ends before it starts; put the earlier date first")
    return lo, hi


def _clauses(text: str, items: list[Term | _Or]) -> tuple[Clause, ...]:
    clauses: list[list[Term]] = []
    pending: _Or | None = None
    for item in items:
        if isinstance(item, _Or):
            if not clauses or pending is not None:
                raise QueryError("OR needs a term on each side", item.start, 2, text)
            pending = item
            continue
        if pending is not None:
            clauses[-1].append(item)
            pending = None
        else:
            clauses.append([item])
    if pending is not None:
        raise QueryError("OR needs a term on each side", pending.start, 2, text)
    return tuple(tuple(clause) for clause in clauses)


# ------------------------------------------------------------------------- plan

GROUP_MIN = 20
"""Alternatives of one kind in a clause from which they are tested together (one regex,
one look-up) rather than one by one. One scan regex is ~1-2.5 µs a 4 KB article (it
opens with a literal, which ``re`` jumps to); a combined one ~50-90 µs whatever its
size, as ``re`` then tries every position: it pays from about 20 terms on."""


def _term_key(term: Term) -> tuple[object, ...]:
    """What a term tests, taken as positive (position and sign aside); ``is:unread`` is
    ``is:read`` negated, so a clause can see that it holds both."""
    if isinstance(term, TextTerm):
        return ("text", term.tokens, term.prefix, term.title_only)
    if isinstance(term, DateTerm):
        return ("date", term.lo, term.hi)
    if isinstance(term, FieldTerm):
        return ("field", term.name, term.tokens)
    return ("state", "read" if term.name == "unread" else term.name)


def _sign(term: Term) -> bool:
    """Whether *term* is negated once ``is:unread`` is read as ``-is:read``."""
    if isinstance(term, StateTerm) and term.name == "unread":
        return not term.negated
    return term.negated


_Finder = re.Pattern[str] | None

_ONE_PASS_LENGTH = 512
"""Texts shorter than this (titles) are read by a group's regexes: a pass costs more."""

_TALLY_FIRST = 32
"""Texts a group searches with its regexes before it may choose the automaton."""


@dataclass(frozen=True, eq=False)
class Group:
    """Alternatives of one kind, tested together: any of *terms* holds (all of them are
    positive, or all negated, and then it holds when any of their positives fails).

    Built by :func:`compile_plan` for the scanning evaluators (``Query.matches`` and
    :func:`index.matches_prepared`); the answer is exactly that of testing each term
    in turn (a test checks it on large random queries).
    """

    kind: Literal["text", "date", "field"]
    terms: tuple[Term, ...]
    negated: bool = False
    title_only: bool = False
    name: str = ""
    """The field's name, for a group of field terms."""

    @functools.cached_property
    def pattern(self) -> re.Pattern[str]:
        """Text and author/tag groups: one regex that finds what any term finds."""
        if self.kind == "field":
            rows = [(t.tokens, True) for t in self.terms if isinstance(t, FieldTerm)]
        else:
            rows = [(t.tokens, t.prefix) for t in self.terms if isinstance(t, TextTerm)]
        return re.compile(_alternatives(rows))

    @functools.cached_property
    def sources(self) -> tuple[str | None, str | None]:
        """Text and author/tag groups: :attr:`pattern`'s source in two, the trie of the
        rows that start at a word's start, without its look-behind, and the others."""
        if self.kind == "field":
            rows = [(t.tokens, True) for t in self.terms if isinstance(t, FieldTerm)]
        else:
            rows = [(t.tokens, t.prefix) for t in self.terms if isinstance(t, TextTerm)]
        return _alternatives_split(rows)

    @functools.cached_property
    def _finders(self) -> tuple[_Finder, _Finder, _Finder]:
        r""":attr:`pattern` as three regexes that together find the same, faster.

        ``(?<!\w)`` opening a regex makes ``re`` try a match at every position (~60 µs
        a 4 KB article); ``\W`` instead lets it skip to the next non-word character in
        C (~45 µs), and a match at the very start is tried on its own.
        """
        trie, others = self.sources
        return (
            re.compile(trie) if trie is not None else None,
            re.compile(r"\W(?:" + trie + ")") if trie is not None else None,
            re.compile(others) if others is not None else None,
        )

    def search(self, text: str) -> bool:
        """Text and author/tag groups: whether :attr:`pattern` finds anything in *text*.

        A text group that mostly finds nothing reads an ASCII body in one automaton
        pass (:class:`WordRows`, ~10 µs a 4 KB article) instead of its regexes, which
        must read all of it to find nothing (~48 µs for 64 words); one that mostly
        finds something keeps the regexes, which stop at the first find.
        """
        tally = self._tally
        if (
            self.kind == "text"
            and len(text) >= _ONE_PASS_LENGTH
            and tally[0] >= _TALLY_FIRST
            and tally[1] * 4 <= tally[0] * 3
            and text.isascii()
            and self._word_rows
        ):
            found = self._word_rows.search(plain_word_form(text.encode("ascii")))
        else:
            head, inner, others = self._finders
            found = (
                (head is not None and head.match(text) is not None)
                or (inner is not None and inner.search(text) is not None)
                or (others is not None and others.search(text) is not None)
            )
        tally[0] += 1
        tally[1] += found
        return found

    @functools.cached_property
    def _tally(self) -> list[int]:
        """Texts searched, and those where something was found (races between threads
        only blur the choice of method, never the answer)."""
        return [0, 0]

    @functools.cached_property
    def _word_rows(self) -> WordRows:
        return WordRows([(t.tokens, t.prefix) for t in self.terms if isinstance(t, TextTerm)])

    @functools.cached_property
    def intervals(self) -> tuple[list[int], list[int]]:
        """Date groups: the intervals no other one contains, by start (their ends then
        rise too), so the one starting last at or before a span's start decides."""
        spans = sorted({(t.lo, -t.hi) for t in self.terms if isinstance(t, DateTerm)})
        starts: list[int] = []
        ends: list[int] = []
        for lo, negative_hi in spans:
            hi = -negative_hi
            if ends and hi <= ends[-1]:
                continue  # inside the previous one (which starts no later)
            starts.append(lo)
            ends.append(hi)
        return starts, ends

    @functools.cached_property
    def sites(self) -> frozenset[str]:
        return frozenset(".".join(t.tokens) for t in self.terms if isinstance(t, FieldTerm))

    def contains(self, first: int, last: int) -> bool:
        """Date groups: whether one of the intervals holds the span *first*..*last*."""
        starts, ends = self.intervals
        at = bisect.bisect_right(starts, first) - 1
        return at >= 0 and last <= ends[at]

    def value_matches(self, value: str) -> bool:
        """Field groups: whether one normalised value satisfies any of the terms."""
        if self.name == "site":
            sites = self.sites
            while True:
                if value in sites:
                    return True
                dot = value.find(".")
                if dot < 0:
                    return False
                value = value[dot + 1 :]
        return self.search(value)

    def matches_article(self, article: Article) -> bool:
        """Field groups, taken as positive."""
        return any(self.value_matches(value) for value in field_values(article, self.name))


Atom = Term | Group
Plan = tuple[tuple[Atom, ...], ...]


def _atom_cost(atom: Atom) -> float:
    """A rough cost of testing one atom on a 4 KB article, in µs."""
    if isinstance(atom, Group):
        return 50.0 if atom.kind == "text" and not atom.title_only else 0.5
    if isinstance(atom, TextTerm):
        return 0.3 if atom.title_only else 2.0
    return 0.3


class ScanOrder:
    """The order in which a scan tests a plan's clauses, learnt as it goes.

    A query is the AND of its clauses, so any order gives the same answer; the best
    one tests first the clauses that reject most articles for their cost (``64
    common words`` tested each article for all 64 words in the order written: 1.6 s at
    50k, where the rarest word alone rejects nearly every article). Each article adds
    one count: where it was rejected, or that it passed; every so often the clauses
    are sorted by cost over the share of the articles reaching them that they
    rejected. A thread that tests meanwhile may count against a clause that moved:
    the order only steers the speed, never the answer.
    """

    __slots__ = ("_costs", "_left", "_passed", "_rejected", "_rounds", "clauses")

    def __init__(self, plan: Plan) -> None:
        self.clauses: Plan = plan
        """The clauses, in the order to test them."""
        self._costs = [sum(_atom_cost(atom) for atom in clause) for clause in plan]
        self._rejected = [0] * len(plan)
        self._passed = 0
        self._rounds = 0
        self._left = 32 if len(plan) > 1 else -1

    def rejected(self, position: int) -> None:
        """An article was rejected by the clause at *position* (of :attr:`clauses`)."""
        self._rejected[position] += 1
        self._left -= 1
        if not self._left:
            self._reorder()

    def passed(self) -> None:
        """An article passed every clause."""
        self._passed += 1
        self._left -= 1
        if not self._left:
            self._reorder()

    def _reorder(self) -> None:
        reached = self._passed
        ranked: list[tuple[float, int]] = []
        for position in range(len(self.clauses) - 1, -1, -1):
            reached += self._rejected[position]
            share = self._rejected[position] / reached if reached else 0.5
            cost = self._costs[position]
            ranked.append((cost / share if share else float("inf"), position))
        ranked.sort()
        order = [position for _, position in ranked]
        costs = [self._costs[p] for p in order]
        self.clauses = tuple(self.clauses[p] for p in order)
        self._costs = costs
        self._rejected = [0] * len(order)
        self._passed = 0
        self._rounds += 1
        self._left = 256 << min(self._rounds, 6)


def _alternatives(rows: list[tuple[tuple[str, ...], bool]]) -> str:
    """One regex source finding whatever any row of tokens finds (as
    :func:`_token_patterns` writes each), factored as a trie of first words.

    Rows that start at a word's start share one ``(?<!\\w)`` and a trie of their first
    token's characters, so ``re`` reads a position once, not once per term; a row
    that ends as a prefix where another goes on makes the longer one redundant.
    The rest (a row starting with a sign or with Han or kana) are plain alternatives.
    """
    trie = _Node()
    others: list[str] = []
    for tokens, prefix in rows:
        pieces = list(_token_patterns(tokens, prefix, False))
        first = tokens[0]
        if is_symbol(first[0]) or is_cjk(first):
            others.append("".join(pieces))
            continue
        node = trie
        for char in first:
            node = node.children.setdefault(char, _Node())
        # pieces[0] is the first token with its look-behind, which the shared
        # (?<!\w) stands for; pieces[1:] are the rest of the row.
        node.tails.add("".join(pieces[1:]))
    parts: list[str] = []
    if trie.children:
        parts.append(r"(?<!\w)" + trie.source())
    parts.extend(f"(?:{other})" for other in dict.fromkeys(others))
    return "|".join(parts) if parts else "(?!)"


def _alternatives_split(rows: list[tuple[tuple[str, ...], bool]]) -> tuple[str | None, str | None]:
    """:func:`_alternatives` in two: the trie of the rows that start at a word's start
    (without its look-behind), and the other rows (None where there are none)."""
    inner = [row for row in rows if not _starts_apart(row[0][0])]
    apart = [row for row in rows if _starts_apart(row[0][0])]
    trie = _alternatives(inner).removeprefix(r"(?<!\w)") if inner else None
    return trie, _alternatives(apart) if apart else None


def _starts_apart(first: str) -> bool:
    """Whether a row with this first token is not in :func:`_alternatives`'s trie."""
    return is_symbol(first[0]) or is_cjk(first)


class _Node:
    """A node of :func:`_alternatives`'s trie: the rows' tails ending here, and the
    next characters."""

    __slots__ = ("children", "tails")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.tails: set[str] = set()

    def source(self) -> str:
        if "" in self.tails:
            return ""  # a prefix ends here: whatever follows matches already
        branches = [f"(?:{tail})" for tail in sorted(self.tails)]
        for char in sorted(self.children):
            branches.append(re.escape(char) + self.children[char].source())
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


def compile_plan(clauses: tuple[Clause, ...]) -> tuple[tuple[Clause, ...], Plan]:
    """The clauses a search needs, and the plan a scan follows, for parsed *clauses*.

    Bounded work whatever the query's shape: a term repeated in a clause is tested
    once, as is a clause repeated; a clause that holds a term and its negation
    (``is:read OR is:unread``) always holds and is dropped; and in the scan plan, many
    alternatives of one kind in a clause (``a OR b OR …``), or many clauses that each
    only exclude one thing (``-a -b …``: none of them), are tested together as a
    :class:`Group`. The first result is for the index (which asks FTS5 for a whole
    clause at once already); both give the same answer as the clauses themselves.
    """
    kept: list[Clause] = []
    seen: set[frozenset[tuple[object, ...]]] = set()
    for clause in clauses:
        unique: dict[tuple[tuple[object, ...], bool], Term] = {}
        for term in clause:
            unique.setdefault((_term_key(term), _sign(term)), term)
        if any((key, not sign) in unique for key, sign in unique):
            continue  # X OR -X: always true
        signature = frozenset(unique)
        if signature in seen:
            continue
        seen.add(signature)
        kept.append(tuple(unique.values()))
    plan: list[tuple[Atom, ...]] = []
    excluded: dict[tuple[object, ...], list[Term]] = {}
    for clause in kept:
        if len(clause) == 1 and clause[0].negated and not isinstance(clause[0], StateTerm):
            excluded.setdefault(_group_kind(clause[0]), []).append(clause[0])
        else:
            plan.append(_grouped(clause))
    for kind, terms in excluded.items():
        if len(terms) >= GROUP_MIN:
            plan.append((_group(kind, terms, negated=True),))
        else:
            plan.extend((term,) for term in terms)
    return tuple(kept), tuple(plan)


def _group_kind(term: Term) -> tuple[object, ...]:
    """Which terms can share a :class:`Group` (with their sign)."""
    if isinstance(term, TextTerm):
        return ("text", term.title_only, term.negated)
    if isinstance(term, FieldTerm):
        return ("field", term.name, term.negated)
    if isinstance(term, DateTerm):
        return ("date", term.negated)
    return ("state", term.name, term.negated)


def _grouped(clause: Clause) -> tuple[Atom, ...]:
    if len(clause) < GROUP_MIN:
        return clause
    kinds: dict[tuple[object, ...], list[Term]] = {}
    for term in clause:
        kinds.setdefault(_group_kind(term), []).append(term)
    atoms: list[Atom] = []
    for kind, terms in kinds.items():
        if len(terms) >= GROUP_MIN and kind[0] != "state" and not kind[-1]:
            atoms.append(_group(kind, terms, negated=False))
        else:
            atoms.extend(terms)
    return tuple(atoms)


def _group(kind: tuple[object, ...], terms: list[Term], *, negated: bool) -> Group:
    if kind[0] == "text":
        return Group("text", tuple(terms), negated, title_only=bool(kind[1]))
    if kind[0] == "field":
        return Group("field", tuple(terms), negated, name=str(kind[1]))
    return Group("date", tuple(terms), negated)


# ------------------------------------------------------------------------ query


@dataclass(slots=True)
class _Scan:
    """An article's normalised title and text, computed at most once per match."""

    article: Article
    _title: str | None = None
    _body: str | None = None

    @property
    def title(self) -> str:
        if self._title is None:
            self._title = spaced(normalise(self.article.title))
        return self._title

    @property
    def body(self) -> str:
        if self._body is None:
            self._body = spaced(normalise(self.article.text))
        return self._body


class ArticleText(Protocol):
    """An article's title and body as the scan regexes read them: folded on demand
    (:class:`_Scan`) or already (``index.IndexText``, folded in a loader process)."""

    @property
    def title(self) -> str: ...

    @property
    def body(self) -> str: ...


def holds(query: Query, article: Article, text: ArticleText, state: StateView | None) -> bool:
    """Whether *query* holds for *article*, read from *text*: the one scan matcher (the
    reference :meth:`Query.matches`, and the index's scan of articles not in FTS5 yet).

    Clauses are tried in the query's learnt order (:class:`ScanOrder`): the one that
    rejects most articles first.
    """
    order = query.scan_order
    for position, clause in enumerate(order.clauses):
        for term in clause:
            if _term_holds(query, term, article, text, state) != term.negated:
                break
        else:
            order.rejected(position)
            return False
    order.passed()
    return True


def _term_holds(
    query: Query, term: Atom, article: Article, text: ArticleText, state: StateView | None
) -> bool:
    """Whether *term*, taken as positive, holds."""
    if isinstance(term, Group):
        if term.kind == "text":  # the body first: where a word is found most often
            return (not term.title_only and term.search(text.body)) or term.search(text.title)
        if term.kind == "date":
            span = article_span(article)
            return span is not None and term.contains(*span)
        return term.matches_article(article)
    if isinstance(term, TextTerm):
        pattern = query.pattern(term)
        return (not term.title_only and pattern.search(text.body) is not None) or (
            pattern.search(text.title) is not None
        )
    if isinstance(term, DateTerm):
        span = article_span(article)
        return span is not None and term.contains(*span)
    if isinstance(term, FieldTerm):
        return term.matches_article(article)
    return state_matches(term.name, article, state)


@dataclass(frozen=True)
class Query:
    """A parsed query. ``Query(text)`` parses (and may raise :class:`QueryError`)."""

    text: str
    clauses: tuple[Clause, ...] = field(init=False, compare=False, repr=False)
    """The clauses as written (each a tuple of alternatives)."""
    search_clauses: tuple[Clause, ...] = field(init=False, compare=False, repr=False)
    """The clauses a search needs: repeats and clauses that always hold left out."""
    plan: Plan = field(init=False, compare=False, repr=False)
    """What a scan tests: :attr:`search_clauses` with many alternatives of a kind made
    one :class:`Group` (see :func:`compile_plan`)."""
    scan_order: ScanOrder = field(init=False, compare=False, repr=False)
    """The plan's clauses in the order a scan tests them, learnt while scanning."""

    def __post_init__(self) -> None:
        clauses = _clauses(self.text, _lex(self.text))
        object.__setattr__(self, "clauses", clauses)
        search_clauses, plan = compile_plan(clauses)
        object.__setattr__(self, "search_clauses", search_clauses)
        object.__setattr__(self, "plan", plan)
        object.__setattr__(self, "scan_order", ScanOrder(plan))
        # Compiled on first use: a grouped term never needs its own.
        object.__setattr__(self, "_patterns", {})

    def terms(self) -> Iterator[Term]:
        for clause in self.clauses:
            yield from clause

    def is_empty(self) -> bool:
        """No constraint at all (blank, or only punctuation): everything matches."""
        return not self.clauses

    def uses_state(self) -> bool:
        return any(isinstance(t, StateTerm) and t.uses_state for t in self.terms())

    def pattern(self, term: TextTerm) -> re.Pattern[str]:
        """The compiled scan regex of one of this query's text terms."""
        # By identity (hashing the term's fields cost a scan ~10 % of its time); the
        # term is kept with its regex, so an id reused by another object never matches.
        patterns: dict[int, tuple[TextTerm, re.Pattern[str]]] = self._patterns  # type: ignore[attr-defined]
        found = patterns.get(id(term))
        if found is None or found[0] is not term:
            found = patterns[id(term)] = (term, re.compile(term.pattern_text()))
        return found[1]

    # -- scanning ------------------------------------------------------------------

    def matches(self, article: Article, state: StateView | None = None) -> bool:
        """Evaluate against one article by reading it: the reference the index must agree with."""
        return holds(self, article, _Scan(article), state)

    # -- highlighting --------------------------------------------------------------

    def highlight_terms(self) -> list[TextTerm]:
        """The positive text terms: what a reader wants to see marked."""
        seen: list[TextTerm] = []
        for term in self.terms():
            if isinstance(term, TextTerm) and not term.negated and term not in seen:
                seen.append(term)
        return seen

    def highlight_spans(self, text: str, *, title: bool | None = None) -> list[tuple[int, int]]:
        """Sorted, non-overlapping (start, end) offsets in *text* of whole matched words.

        *text* is a title or a paragraph as stored (original case and accents); offsets
        index it directly. ``title=False`` leaves out ``title:`` terms (for body text);
        the default marks every positive term.
        """
        terms = [t for t in self.highlight_terms() if title is not False or not t.title_only]
        if not terms or not text:
            return []
        if not text.isascii():
            # Folded in C first (normalising is per character, so the same text): most
            # paragraphs a snippet looks through hold no match, and folding them a
            # character at a time for the map back took ~5 ms an article.
            quick = spaced(normalise(text))
            if not any(
                match.end() > match.start()
                for term in terms
                for match in _highlight_pattern(term).finditer(quick)
            ):
                return []
        folded, owner = _normalise_with_map(text)
        length = len(text)
        spans: list[tuple[int, int]] = []
        for term in terms:
            pattern = _highlight_pattern(term)
            for match in pattern.finditer(folded):
                start, end = match.span()
                if end <= start:
                    continue
                if owner is None:
                    spans.append((start, end))
                    continue
                first = owner[start]
                last = owner[end - 1] + 1
                # Combining marks in the original fold to nothing: keep them with their letter.
                while last < length and not _piece(text[last]):
                    last += 1
                spans.append((first, last))
        return _merge(spans)

    # -- narrowing -----------------------------------------------------------------

    def narrows(self, previous: Query) -> bool:
        """True when every article matching ``self`` must also match *previous*.

        Then the caller may search within *previous*'s result. Decided clause by clause
        (each of *previous*'s clauses must be implied by one of ours), so it holds for
        any edit, not only typing at the end: ``pak`` → ``pakistan``, ``sco`` →
        ``sco -putin``, ``date:2024`` → ``date:2024-10``. A query that depends on read or
        flag state never narrows: the state may have changed since.
        """
        if previous.uses_state() or self.uses_state():
            return False
        return all(
            any(_clause_implies(mine, theirs) for mine in self.clauses)
            for theirs in previous.clauses
        )


_HIGHLIGHT_CACHE: dict[TextTerm, re.Pattern[str]] = {}


def _highlight_pattern(term: TextTerm) -> re.Pattern[str]:
    found = _HIGHLIGHT_CACHE.get(term)
    if found is None:
        if len(_HIGHLIGHT_CACHE) > 256:
            _HIGHLIGHT_CACHE.clear()
        found = _HIGHLIGHT_CACHE[term] = re.compile(term.pattern_text(whole_last_word=True))
    return found


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def state_matches(name: str, article: Article, state: StateView | None) -> bool:
    """``is:NAME`` for one article; with no state every article is unread and unflagged."""
    if name == "undated":
        return article.date is None
    if name == "inferred":
        return article.date is not None and article.date.source == "inferred"
    if name == "flagged":
        return state is not None and state.is_flagged(article.key)
    read = state is not None and state.is_read(article.key)
    return read if name == "read" else not read


def _clause_implies(mine: Clause, theirs: Clause) -> bool:
    return all(any(_implies(a, b) for b in theirs) for a in mine)


def _implies(a: Term, b: Term) -> bool:
    """Whether every article matching term *a* matches term *b* (sound, not complete)."""
    if a.same_as(b):
        return True
    if a.negated != b.negated:
        return False
    if a.negated:
        # Contrapositive: not-a implies not-b exactly when b implies a.
        return _positive_implies(_positive(b), _positive(a))
    return _positive_implies(a, b)


def _positive(term: Term) -> Term:
    if isinstance(term, TextTerm):
        return TextTerm(term.tokens, term.prefix, term.title_only, False, term.quoted)
    if isinstance(term, DateTerm):
        return DateTerm(term.lo, term.hi, False)
    if isinstance(term, FieldTerm):
        return FieldTerm(term.name, term.tokens, False)
    return StateTerm(term.name, False)


def _positive_implies(a: Term, b: Term) -> bool:
    if isinstance(a, DateTerm) and isinstance(b, DateTerm):
        return b.lo <= a.lo and a.hi <= b.hi
    if isinstance(a, StateTerm) or isinstance(b, StateTerm):
        return a.same_as(b)
    if isinstance(a, FieldTerm) or isinstance(b, FieldTerm):
        if not (isinstance(a, FieldTerm) and isinstance(b, FieldTerm)) or a.name != b.name:
            return False
        if a.name == "site":  # news.bbc.co.uk is under bbc.co.uk
            return a.tokens[len(a.tokens) - len(b.tokens) :] == b.tokens
        a, b = TextTerm(a.tokens, True), TextTerm(b.tokens, True)
    if not (isinstance(a, TextTerm) and isinstance(b, TextTerm)):
        return False
    if b.title_only and not a.title_only:
        return False
    k = len(b.tokens)
    last_a = len(a.tokens) - 1
    for offset in range(len(a.tokens) - k + 1):
        ok = True
        for i, token in enumerate(b.tokens):
            j = offset + i
            mine = a.tokens[j]
            mine_is_prefix = a.prefix and j == last_a
            if i < k - 1 or not b.prefix:
                # b needs this exact word: a must have exactly it, not a prefix of it.
                if mine != token or mine_is_prefix:
                    ok = False
                    break
            elif not mine.startswith(token):
                ok = False
                break
        if ok:
            return True
    return False


def parse_query(text: str) -> Query:
    """Parse *text*; raise :class:`QueryError` (and nothing else) if it is malformed."""
    return Query(text)
