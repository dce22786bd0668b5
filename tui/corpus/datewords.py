"""Dates written in words or numbers, in many languages and scripts.

:func:`find_dates` reads the common forms with month-name tables and regular
expressions (fast: it runs on candidate lines of every scraped page at load);
:func:`parse_date_words` falls back on ``dateparser`` for a short candidate the
tables cannot read. Nothing here ever takes a field from today: a year must be
written with four digits in the candidate itself, and dateparser runs with relative
dates disabled, a fixed base and every part required.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .dates import MAX_YEAR, MIN_YEAR, ArticleDate
from .lazyre import LazyPattern
from .text import normalise

# --- month names ------------------------------------------------------------------

_MONTH_NAMES: tuple[tuple[int, str], ...] = (
    # English, French, German, Spanish, Italian, Portuguese, Dutch; full and abbreviated.
    (1, "january jan janvier janv januar jänner jaenner jän enero ene gennaio gen janeiro januari"),
    (
        2,
        "february feb febr février fevrier févr fevr februar feber febrero febbraio"
        " fevereiro fev februari",
    ),
    (3, "march mar mars märz maerz mär mrz marzo março marco maart mrt"),
    (4, "april apr avril avr abril abr aprile"),
    (5, "may mai mayo maggio mag maio mei"),
    (6, "june jun juin juni junio giugno giu junho"),
    (7, "july jul juillet juil juli julio luglio lug julho"),
    (8, "august aug août aout agosto ago augustus"),
    (9, "september sep sept septembre septiembre setiembre settembre set setembro"),
    (10, "october oct octobre oktober okt octubre ottobre ott outubro out"),
    (11, "november nov novembre noviembre novembro"),
    (12, "december dec décembre decembre déc dezember dez diciembre dic dicembre dezembro"),
)
# Russian (nominative, genitive "октября", prepositional "в октябре", abbreviations).
_RUSSIAN: tuple[tuple[int, str], ...] = (
    (1, "январь января январе янв"),
    (2, "февраль февраля феврале фев февр"),
    (3, "март марта марте мар"),
    (4, "апрель апреля апреле апр"),
    (5, "май мая мае"),
    (6, "июнь июня июне июн"),
    (7, "июль июля июле июл"),
    (8, "август августа августе авг"),
    (9, "сентябрь сентября сентябре сен сент"),
    (10, "октябрь октября октябре окт"),
    (11, "ноябрь ноября ноябре ноя нояб"),
    (12, "декабрь декабря декабре дек"),
)

# Polish and Czech (nominative and genitive), Turkish (with and without its dotless i),
# Indonesian, and Arabic (Egyptian and Gulf names, and the Levantine one-word names).
_MORE: tuple[tuple[int, str], ...] = (
    (1, "styczeń stycznia sty leden ledna ocak januari يناير"),
    (2, "luty lutego únor února şubat subat pebruari فبراير شباط"),
    (3, "marzec marca březen března mart maret مارس آذار"),
    (4, "kwiecień kwietnia kwi duben dubna nisan أبريل إبريل ابريل نيسان"),
    (5, "maj maja květen května mayıs mayis مايو أيار"),
    (6, "czerwiec czerwca cze červen června haziran يونيو يونيه حزيران"),
    (7, "lipiec lipca lip červenec července temmuz يوليو يوليه تموز"),
    (8, "sierpień sierpnia srpen srpna ağustos agustos agu agt أغسطس اغسطس"),
    (9, "wrzesień września wrz září eylül eylul سبتمبر أيلول"),
    (10, "październik października paź říjen října ekim أكتوبر اكتوبر"),
    (11, "listopad listopada lis listopadu kasım kasim نوفمبر"),
    (12, "grudzień grudnia gru prosinec prosince aralık aralik desember ديسمبر"),
)

# Ukrainian, Romanian, Greek (genitive), Finnish (partitive and nominative), and the
# Scandinavian names the tables above lack.
_EVEN_MORE: tuple[tuple[int, str], ...] = (
    (1, "січня січень ianuarie ιανουαρίου tammikuuta tammikuu"),
    (2, "лютого лютий februarie φεβρουαρίου helmikuuta helmikuu"),
    (3, "березня березень martie μαρτίου maaliskuuta maaliskuu marts"),
    (4, "квітня квітень aprilie απριλίου huhtikuuta huhtikuu"),
    (5, "травня травень μαΐου μαίου toukokuuta toukokuu"),
    (6, "червня червень iunie ιουνίου kesäkuuta kesäkuu"),
    (7, "липня липень iulie ιουλίου heinäkuuta heinäkuu"),
    (8, "серпня серпень αυγούστου elokuuta elokuu augusti"),
    (9, "вересня вересень septembrie σεπτεμβρίου syyskuuta syyskuu"),
    (10, "жовтня жовтень octombrie οκτωβρίου lokakuuta lokakuu"),
    (11, "листопада листопад noiembrie νοεμβρίου marraskuuta marraskuu"),
    (12, "грудня грудень decembrie δεκεμβρίου joulukuuta joulukuu desember"),
)

MONTHS: dict[str, int] = {
    name: number
    for number, names in (*_MONTH_NAMES, *_RUSSIAN, *_MORE, *_EVEN_MORE)
    for name in names.split()
}
"""Lower-case month names and abbreviations, in twenty languages, to month numbers."""

# A word where a month name may stand; whether it is one is a dictionary look-up,
# far cheaper than an alternation of a hundred names tried at every position.
_MONTH_RE = r"(?P<month>[^\W\d_]{3,13})(?![^\W\d_])\.?"
_MONTH2_RE = r"(?P<month2>[^\W\d_]{3,13})(?![^\W\d_])\.?"
_GLUED_TIME = r"(?:(?!\d)|(?=\d{1,2}:\d\d(?!\d)))"
"""After a year: no digit, unless a time was run into it ("October 17, 20245:02 PM")."""
_YEAR_RE = rf"(?P<year>(?:19|20)\d\d){_GLUED_TIME}"
_DAY_SUFFIX = r"(?:st|nd|rd|th|er|re|e|º|°|o|a)?\.?"

_FORMS = [
    # 2024-10-17, 2024/10/17, 2024-10-17T10:14
    r"(?<!\d)(?P<iy>(?:19|20)\d\d)(?P<isep>[-/])(?P<im>\d{1,2})(?P=isep)(?P<id>\d{1,2})(?!\d)",
    # 2024.10.17, 2024. 10. 17. (Korean, Hungarian)
    r"(?<!\d)(?P<ky>(?:19|20)\d\d)\.\s?(?P<km>\d{1,2})\.\s?(?P<kd>\d{1,2})(?!\d|\.\d)\.?",
    # 2024年10月17日, 2024년 10월 17일 (also without the day)
    r"(?<!\d)(?P<cy>(?:19|20)\d\d)\s*[年년]\s*(?P<cm>\d{1,2})\s*[月월]"
    r"(?:\s*(?P<cd>\d{1,2})\s*[日일])?",
    # 17. Oktober 2024, 17 de octubre de 2024, le 17 octobre 2024, 3rd Nov 2023,
    # 17 октября 2024 г.
    rf"(?<![\d.])(?P<day>\d{{1,2}}){_DAY_SUFFIX}(?:-|\s*)(?:de\s+|of\s+)?{_MONTH_RE}"
    rf"(?:-|,?\s*)(?:de\s+|del\s+)?{_YEAR_RE}",  # and 26-FEB-1987
    # October 17, 2024; Oct. 8 2024; Jun 18th 2018
    rf"(?<![^\W\d_]){_MONTH2_RE}\s*(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)\.?,?\s*"
    rf"(?P<year2>(?:19|20)\d\d){_GLUED_TIME}",
    # 17.10.2024, 17/10/2024, 10/17/2024, 17-10-2024
    r"(?<![\d.])(?P<na>\d{1,2})(?P<nsep>[./-])\s?(?P<nb>\d{1,2})(?P=nsep)\s?"
    r"(?P<ny>(?:19|20)\d\d)(?!\d|[.,]\d)",
    # October 2024, octobre 2024, Oktober 2024, октябрь 2024 (month precision)
    rf"(?<![^\W\d_]){_MONTH_RE.replace('month', 'month3')},?\s+(?:de\s+)?"
    rf"(?P<year3>(?:19|20)\d\d)(?!\d)",
]
DATE_PATTERN = LazyPattern("|".join(f"(?:{form})" for form in _FORMS), re.IGNORECASE)
"""Every fast-path form; which named groups matched tells which form it was."""

_FULL_WIDTH = str.maketrans("０１２３４５６７８９٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 3)
"""Full-width, Arabic-Indic and Persian digits, read as ASCII digits (one for one,
so positions in the string stay the same)."""


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A date found in a string: where it stands and what it says."""

    start: int
    end: int
    date: ArticleDate
    form: str
    """``iso``, ``cjk``, ``day-month``, ``month-day``, ``numeric``, ``numeric-ambiguous``
    or ``month-year``: the language hint a page's other dates give."""


def _make(year: int, month: int, day: int | None) -> ArticleDate | None:
    if not MIN_YEAR <= year <= MAX_YEAR or not 1 <= month <= 12:
        return None
    if day is not None:
        try:
            dt.date(year, month, day)
        except ValueError:
            return None
    return ArticleDate(year, month, day, "stated")


def _month(name: str | None) -> int:
    return MONTHS.get(name.lower(), 0) if name else 0


def _from_match(match: re.Match[str], day_first: bool | None) -> tuple[ArticleDate | None, str]:
    date, form = _read_match(match, day_first)
    if date is None and form != "numeric-ambiguous":
        named = match["month"] or match["month2"] or match["month3"]
        if named is None or _month(named):
            return None, "impossible"
    return date, form


def _read_match(match: re.Match[str], day_first: bool | None) -> tuple[ArticleDate | None, str]:
    groups = match.groupdict()
    if groups["iy"]:
        return _make(int(groups["iy"]), int(groups["im"]), int(groups["id"])), "iso"
    if groups["ky"]:
        return _make(int(groups["ky"]), int(groups["km"]), int(groups["kd"])), "iso"
    if groups["cy"]:
        day = int(groups["cd"]) if groups["cd"] else None
        return _make(int(groups["cy"]), int(groups["cm"]), day), "cjk"
    if groups["day"]:
        return _make(int(groups["year"]), _month(groups["month"]), int(groups["day"])), "day-month"
    if groups["day2"]:
        return _make(
            int(groups["year2"]), _month(groups["month2"]), int(groups["day2"])
        ), "month-day"
    if groups["na"]:
        a, b, year = int(groups["na"]), int(groups["nb"]), int(groups["ny"])
        if groups["nsep"] == ".":
            # Dotted dates are day-first wherever they are written (17.10.2024).
            return _make(year, b, a), "numeric"
        if a > 12 and b <= 12:
            return _make(year, b, a), "numeric"
        if b > 12 and a <= 12:
            return _make(year, a, b), "numeric-us"
        if a == b:
            return _make(year, a, b), "numeric"
        if day_first is None:
            return None, "numeric-ambiguous"
        return (_make(year, b, a) if day_first else _make(year, a, b)), "numeric-ambiguous"
    return _make(int(groups["year3"]), _month(groups["month3"]), None), "month-year"


_CROATIAN_OCTOBER = LazyPattern(r"\d\.\s*listopad(?:a)?\b", re.IGNORECASE)
"""A dotted day before "listopad(a)": how Croatian writes a day of October; Polish,
whose November it is, writes no dot (Czech's November is "listopadu")."""


def find_dates(text: str, day_first: bool | None = None) -> Iterator[FoundDate]:
    """Every date the fast path reads in *text*, left to right.

    *day_first* settles ``10/11/2024`` (None: such a date is skipped, since no date
    is better than a wrong one); ``17/10/2024`` and ``10/17/2024`` settle themselves,
    and dotted dates are always day-first.
    """
    if not text.isascii():
        text = text.translate(_FULL_WIDTH)
    position = 0
    while (match := DATE_PATTERN.search(text, position)) is not None:
        date, form = _from_match(match, day_first)
        if date is None:
            # "31 February 2024" is no date at all (not "February 2024"); "12 items
            # 2024" is not a date, but one may still start inside it.
            position = match.end() if form == "impossible" else match.start() + 1
            continue
        if form == "day-month" and _CROATIAN_OCTOBER.search(match.group()):
            # "3. listopada 2021": Croatian for October, Polish (written "3 listopada")
            # for November. No date rather than a wrong month.
            position = match.end()
            continue
        yield FoundDate(match.start(), match.end(), date, form)
        position = match.end()


# --- dateparser, the fallback -----------------------------------------------------

_FIXED_BASE = dt.datetime(2000, 1, 1)
_FOUR_DIGIT_YEAR = LazyPattern(r"(?<!\d)(?:19|20)\d\d(?!\d)")


_PARSERS: dict[tuple[bool | None, tuple[str, ...]], Any] = {}
"""One dateparser ``DateDataParser`` per day order and set of languages, built on first
use (building one loads its settings and language data; a parse with a built one costs
far less)."""

_MAX_PARSERS = 64
"""Kept parsers at most: a folder's candidates name few sets of languages."""

_MONTH_NAMES_BY_LANGUAGE: dict[str, tuple[str, ...]] | None = None
"""Every month name of every language dateparser reads, with the languages that write
it; folded by :func:`normalise`, as dateparser folds a date before it looks its words up
("février" is "fevrier")."""

_WORD = LazyPattern(r"\w+")


_MONTH_KEYS = (
    *("january", "february", "march", "april", "may", "june"),
    *("july", "august", "september", "october", "november", "december"),
)
"""The keys of dateparser's language tables that hold month names."""


def _languages_naming_a_month(candidate: str) -> tuple[str, ...]:
    """The languages (dateparser's codes) with a month name among *candidate*'s words.

    dateparser, asked with no language, tries every language it has until one reads
    the candidate; the first candidate none reads made it build all 205 (4.5-5 s in
    each loading worker and each test worker, mostly compiling their patterns). Its
    month tables alone load in ~0.3 s. A date needs a month (dateparser runs with the
    month required), and a language that reads one must have its name: so only those
    languages are asked, and a candidate that names no month in any of them is none.
    (A month written in digits with words about it, "17 10 2024 г.", is then not
    read: a date missed, never a wrong one; the tables above read the usual numeric
    forms before dateparser is asked.)
    """
    global _MONTH_NAMES_BY_LANGUAGE
    names = _MONTH_NAMES_BY_LANGUAGE
    if names is None:
        import importlib
        import pkgutil

        from dateparser.data import date_translation_data

        found: dict[str, set[str]] = {}
        for module in pkgutil.iter_modules(date_translation_data.__path__):
            info = importlib.import_module(f"{date_translation_data.__name__}.{module.name}").info
            for key in _MONTH_KEYS:
                for name in info.get(key, ()):
                    # A name of several words counts by each, but for its numerals:
                    # "tháng 5" is Vietnamese by "tháng", not every "5" of a candidate.
                    words = _WORD.findall(normalise(name))
                    for word in [word for word in words if not word.isdigit()] or words:
                        found.setdefault(word, set()).add(info["name"])
        names = _MONTH_NAMES_BY_LANGUAGE = {
            word: tuple(sorted(languages)) for word, languages in found.items()
        }
    languages: set[str] = set()
    for word in _WORD.findall(normalise(candidate)):
        languages.update(names.get(word, ()))
    return tuple(sorted(languages))


def _parser(day_first: bool | None, languages: tuple[str, ...]) -> Any:
    parser = _PARSERS.get((day_first, languages))
    if parser is None:
        # Imported here: dateparser costs ~0.5 s to import, and only candidates the
        # tables above cannot read ever reach it.
        from dateparser.date import DateDataParser

        settings: dict[str, Any] = {
            # No "relative-time" ("3 hours ago") and no "timestamp": dates as written.
            "PARSERS": ["absolute-time"],
            "REQUIRE_PARTS": ["month", "year"],
            "RELATIVE_BASE": _FIXED_BASE,
            "PREFER_DAY_OF_MONTH": "first",
            "RETURN_AS_TIMEZONE_AWARE": False,
        }
        if day_first is not None:
            settings["DATE_ORDER"] = "DMY" if day_first else "MDY"
        if len(_PARSERS) >= _MAX_PARSERS:
            _PARSERS.clear()
        # The languages in dateparser's own order (not the given one), as it tries
        # them when asked with none: the same language reads a candidate either way.
        parser = _PARSERS[(day_first, languages)] = DateDataParser(
            languages=list(languages), settings=settings
        )
    return parser


def _with_dateparser(candidate: str, day_first: bool | None) -> ArticleDate | None:
    """One dateparser call: its ``period`` says whether a day was written (``day``)
    or only a month and year (``month``), so no second parse is needed to tell."""
    written = {int(year) for year in _FOUR_DIGIT_YEAR.findall(candidate)}
    if not written:
        return None
    try:
        languages = _languages_naming_a_month(candidate)
        if not languages:
            return None
        data = _parser(day_first, languages).get_date_data(candidate)
    except Exception:  # noqa: BLE001 - a third-party parser on untrusted text: never a crash
        return None
    found, period = data.date_obj, data.period
    if found is None or found.year not in written or period not in ("day", "month"):
        return None
    return _make(found.year, found.month, found.day if period == "day" else None)


MAX_CANDIDATE = 80
"""Longer strings are not candidates: a sentence is not a date."""


def parse_date_words(text: str, day_first: bool | None = None) -> ArticleDate | None:
    """The first date in a short candidate string, in any of the forms above or any
    language dateparser reads; None when there is none, or it is ambiguous."""
    candidate = text.strip()
    if not candidate or len(candidate) > MAX_CANDIDATE:
        return None
    for found in find_dates(candidate, day_first):
        return found.date
    candidate = candidate.translate(_FULL_WIDTH)
    if not _FOUR_DIGIT_YEAR.search(candidate) or not any(c.isalpha() for c in candidate):
        return None
    if _AMBIGUOUS_NUMERIC.search(candidate) and day_first is None:
        return None
    return _with_dateparser(candidate, day_first)


_AMBIGUOUS_NUMERIC = LazyPattern(r"(?<!\d)\d{1,2}[/-]\d{1,2}[/-]\d{2,4}(?!\d)")
