"""The page's own date in a scraped page's visible text: bylines and datelines.

A saved page holds many dates: the article's, its update, comments, related
articles, archives, copyright years, events named in the text. The page's own date
stands between the headline and the text: on a short line just under (or just above)
the headline, or just above the first paragraph of prose, often after a word such as
"Published" / "Veröffentlicht" / "Publié". Dates in sentences, in comments, in lists
and in footers are not the page's. When the evidence does not settle it, there is no
date: a page with no date is better than one with a wrong date.

This runs for every file at load, so the work is bounded: two anchors are found (the
headline, and the first run of prose), only the few lines around them are read for
dates, and dateparser is never called here.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice

from .dates import ArticleDate
from .datewords import MONTHS, FoundDate, find_dates
from .lazyre import LazyPattern


class _Caseless:
    """A case-insensitive pattern of keywords, searched fast in ASCII text.

    With IGNORECASE, the regex engine cannot skip ahead to where a keyword may start
    and tries every alternative at every position (a weekday search of one line cost
    ~40 µs). In ASCII text, a case-insensitive match is a match in the lower-cased text
    (the only other characters IGNORECASE equates with ASCII letters, "İıſK", are not
    ASCII, and the patterns hold no capital letter), and lower-casing keeps positions:
    so an ASCII string is searched lower-cased, with the pattern compiled without the
    flag. Callers use the matches' truth and positions, never their text.
    """

    __slots__ = ("_any", "_ascii")

    def __init__(self, pattern: str) -> None:
        self._any = LazyPattern(pattern, re.IGNORECASE)
        self._ascii = LazyPattern(pattern)

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        if text.isascii():
            return self._ascii.search(text.lower(), pos, endpos)
        return self._any.search(text, pos, endpos)

    def match(self, text: str) -> re.Match[str] | None:
        if text.isascii():
            return self._ascii.match(text.lower())
        return self._any.match(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        if text.isascii():
            return self._ascii.finditer(text.lower())
        return self._any.finditer(text)


MAX_LINE = 160
"""Longer lines are prose: a date there is an event, not the page's date."""

SCAN_LINES = 20_000
"""Lines looked at for the anchors (a headline's repeat, the first prose), from the
top, with string tests only (a saved page rarely has more)."""

NEAR_AFTER = 40
"""Non-blank lines after a repeated headline where a dateline may stand (the window
also ends where the article's text is under way: see :func:`_window_after`)."""

NEAR_AFTER_TITLE = 8
"""Non-blank lines after a title that is not repeated further down."""

NEAR_BEFORE = 8
"""Non-blank lines before a repeated headline (a date above the title, in a kicker)."""

PROSE_BEFORE = 8
"""Non-blank lines above the first paragraph of prose where a dateline may stand."""

MAX_PLAIN_WORDS = 5
"""Words beside a date with no publication keyword on a dateline ("By Staff Reporter
| Oct 17, 2024", "Madrid - 17 oct 2024 - 14:30 CEST"); more make it a sentence's
(8 with a keyword: "Published by the Editorial Board on 17 October 2024")."""

PROSE_AFTER = 3
"""Non-blank lines below the first paragraph of prose (a standfirst, then the byline
and the date) where a dateline may stand; each counts as three lines above it."""

LIST_MARGIN = 6
"""Non-blank lines read around the windows, for the neighbours of their dates only."""

MAX_CANDIDATES = 64

MAX_DATED_LINES = 256
"""Lines naming a year read at most when the whole page is looked at (a masthead's
day against the page's other dates, how the page orders day and month, a date after
a publication keyword far from the headline)."""
"""Dates read per page at most: the windows are small, this bounds a pathological one."""

_YEAR = LazyPattern(r"[12１２١٢][09０９٠٩]\d\d")
_DATEISH = LazyPattern(r"\d(?:(?<=[12１２١٢])[09０９٠٩]\d\d|\d\.\d\d\.\d\d)")
"""A year, or a dotted date with a two-digit year: the lines worth reading for dates
(written to start with a digit, so that the search skips to the digits)."""
_WEEKDAY = _Caseless(
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|\b(?:mon|tue|wed|thu|fri|sat|sun)\b|"
    r"montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag|"
    r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
    r"lunes|martes|mi[ée]rcoles|jueves|viernes|s[áa]bado|domingo|"
    r"luned[iì]|marted[iì]|mercoled[iì]|gioved[iì]|venerd[iì]|sabato|domenica|"
    r"segunda|ter[çc]a|quarta|quinta|sexta|"
    r"maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|"
    r"poniedzia[łl]ek|wtorek|[śs]roda|czwartek|pi[ąa]tek|sobota|niedziela|"
    r"pazartesi|sal[ıi]|[çc]ar[şs]amba|per[şs]embe|cuma|cumartesi|pazar|"
    r"понедельник|вторник|среда|четверг|пятница|суббота|воскресенье|"
    r"الأحد|الاثنين|الإثنين|الثلاثاء|الأربعاء|الخميس|الجمعة|السبت|"
    r"[月火水木金土日]曜|星期|[월화수목금토일]요일"
)

# Keywords: a prefix match at a word's start ("publié", "publiée", "published").
_PUBLISHED = _Caseless(
    r"(?<![^\W\d_])(?:published|posted|written|created|publi[ée]e?s?|"
    r"ver[öo]ffentlich(?:t|ung)|erstellt|erschienen|publiziert|(?:datum|date|stand)\b|"
    r"publicad[oa]|pubblicat[oa]|opublikowan[oay]|gepubliceerd|geplaatst|"
    r"publikov[áa]no|vyd[áa]no|diterbitkan|dipublikasikan|diposting|"
    r"yay[ıi]nlanma|yay[ıi]n\s+tarihi|giri[şs]\b|"
    r"опубликовано|опубликована|дата|опубліковано|publicat|δημοσιε[υύ]|julkaistu|"
    r"publicerad|publicerat|udgivet|publisert|نشر|"
    r"发布|發佈|發布|公開|投稿|掲載|작성|입력|게시)"
)
_UPDATED = _Caseless(
    r"(?<![^\W\d_])(?:updated?|last\s+modified|modified|aktualisiert|"
    r"letzte?s?\s+(?:update|änderung)|ge[äa]ndert|mis\s+[àa]\s+jour|modifi[ée]|"
    r"actualizad[oa]|aggiornat[oa]|modifica|atualizad[oa]|aangepast|bijgewerkt|"
    r"aktualizacja|zaktualizowan|aktualizov[áa]no|g[üu]ncelle|diperbarui|"
    r"обновлено|оновлено|actualizat|ενημερ[ωώ]|p[äa]ivitetty|uppdaterad|opdateret|"
    r"oppdatert|تحديث|更新|수정)"
)
_STRONG_DECOY = _Caseless(
    r"©|copyright|\(c\)\s*\d|all\s+rights\s+reserved|alle\s+rechte|tous\s+droits|"
    r"todos\s+los\s+derechos|diritti\s+riservati"
)
# On the date's own line, whole words only ("Essays" is no "says", "By Sarah Osborne"
# no "born"): a comment, an event, a deadline, a life, an account, an archive.
_DECOY = _Caseless(
    r"(?<![^\W\d_])(?:reply|replies|antworten|antwort|says|said|sagt|schreibt|wrote|"
    r"comments?|commented|kommentare?|responder|répondre|rispondi|ответить|"
    r"events?|veranstaltung|termine?|deadline|frist|bis\s+zum|until|"
    r"archiv|archive|born|birth|birthday|geboren|gestorben|died|registriert|registered|joined|"
    r"accessed|retrieved|saved|clipped|downloaded|abgerufen|consult[ée]|printed|gedruckt|"
    r"reviewed|meeting|sitzung|"
    r"mitglied\s+seit|member\s+since|dabei\s+seit|"
    r"set\s+for|scheduled|due|will|expires?|starts?|starting|begins?|opens?|"
    r"ab\s+dem|ab\s+(?=\d))(?![^\W\d_])"
)
_BYLINE = LazyPattern(r"\s*(?:by|von|par|por|di|door|av|af|de|autor|author)\s+(\w)", re.IGNORECASE)
"""A byline names its authors: "By Jane Doe and John Roe, Reuters | Oct 17, 2024"
may have more words beside its date than a dateline."""
_LIFE = _Caseless(
    r"(?<![^\W\d_])(?:born|died|geboren|gestorben|n[ée]e?|d[ée]c[ée]d[ée]e?|nacid[oa]|"
    r"muri[óo]|nat[oa]|mort[oa]|nascid[oa]|nasceu|morreu|urodzi[łl]|zmar[łl]|"
    r"родил(?:ся|ась)|умер(?:ла)?)(?![^\W\d_])|出生|生于|生於|逝世|去世|生まれ|死去|태어|사망"
)
# On the line before or after the date: what marks a comment's timestamp.
_COMMENT = _Caseless(
    r"(?<![^\W\d_])(?:reply|replies|antworten|antwort|says|sagt|schreibt|wrote|"
    r"commented|responder|répondre|rispondi|ответить|report|melden|like)(?![^\W\d_])"
)
_SEPARATORS = " \t|·•-–—,:/()[]"
_TIME = LazyPattern(r"\b\d{1,2}[:.h]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?|uhr|h)?\b", re.IGNORECASE)
_CLOCK = LazyPattern(r"\d{1,2}[:.h]\d{2}(?::\d{2})?$")
_WORD = LazyPattern(r"[^\W\d_]{2,}")
_WIDE = LazyPattern(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_RANGE_WORD = LazyPattern(r"(?:[-–—]|bis|to|until|till|through|au|al)$", re.IGNORECASE)
_RANGE_AFTER = LazyPattern(
    r"\s*(?:[-–—]|bis\b|to\b|until\b|through\b|au\b|al\b)\s*"
    r"(\d{1,2})(?:\.?\s*([^\W\d_]{3,13})|([./])\d{1,2}\3)",
    re.IGNORECASE,
)
_MARKED_DAY = LazyPattern(r"\d{1,2}(?:\.|st\b|nd\b|rd\b|th\b|er\b|º|°|\s+(?:de|of)\s)", re.I)
_LEAD_WORDS = frozenset(
    ("on", "the", "at", "of", "le", "el", "il", "lo", "la", "am", "den", "der", "de"),
) | frozenset(("du", "em", "op", "dnia", "dne", "dia", "en", "et"))
"""Words that may stand right before a day and its month ("on 3 March 2023", "le 3
mars", "am 3. März"); any other word makes it a number of something else ("Windows
11 October 2024 update", "Top 10 October 2024")."""
_TITLED = LazyPattern(r"\s*:\s+(?:[^\W\d_]+\W+){3}")


@dataclass(frozen=True, slots=True)
class Dateline:
    """The page's own date as found in its text."""

    date: ArticleDate
    text: str
    """The date as written."""
    line: int
    """1-based line number."""


@dataclass(slots=True)
class _Candidate:
    index: int
    """0-based line index."""
    position: int
    """Index among the non-blank lines."""
    found: FoundDate
    line: str
    kind: str
    """``published``, ``updated``, ``plain`` (a date on a short line) or ``decoy``."""


def _words_besides(line: str, found: FoundDate) -> int:
    """Words on the line besides the date and times; CJK counts a word per two
    characters, since it writes no spaces."""
    rest = _TIME.sub(" ", line[: found.start] + " " + line[found.end :])
    if not rest.isascii():
        wide = len(_WIDE.findall(rest))
        if wide:
            return len(_WORD.findall(_WIDE.sub(" ", rest))) + wide // 2
    return len(_WORD.findall(rest))


def _is_range(before: str, after: str) -> bool:
    """``12.10. - 15.10.2023``, ``3 March 2023 to 5 March 2023``; not ``14:30 -
    17.10.2024`` nor ``17 Oct 2024 - 14.30 BST`` nor ``March 3, 2023 – 5 min read``."""
    words = before.rstrip().rsplit(None, 2)
    if len(words) >= 2 and _RANGE_WORD.search(words[-1]):
        last = words[-2]
        if last[-1:].isdigit() and not _CLOCK.search(last) or last.endswith("."):
            return last.rstrip(".")[-1:].isdigit()
    elif words and words[-1][-1:] in "-–—" and len(words[-1]) > 1:
        last = words[-1].rstrip("-–—")
        return last[-1:].isdigit() and not _CLOCK.search(last) or last.endswith(".")
    match = _RANGE_AFTER.match(after)
    if match is None:
        return False
    return match[3] is not None or MONTHS.get(match[2].lower(), 0) > 0


def _number_of_something(line: str, found: FoundDate) -> bool:
    """A day-month date whose day follows a word that does not lead a date: a number
    of something else ("Windows 11 October 2024", "Galaxy S24 January 2024")."""
    if found.form != "day-month":
        return False
    if _MARKED_DAY.match(line, found.start):
        return False  # "17. Oktober", "16 de março", "3rd of March": a day, said so
    head = line[: found.start]
    if not head.strip():
        return False
    if head[-1].isalnum():
        return True  # glued: "S24 January 2024"
    token = head.split()[-1].rstrip(".")
    if not token or token[-1] in _SEPARATORS or _CLOCK.search(token):
        return False
    if len(token) <= 2 or token.casefold() in _LEAD_WORDS:
        return False  # "le", "am", "w", and weekdays as "Sa", "Di", "Fr" abbreviate them
    return not (_WEEKDAY.search(token) or _PUBLISHED.search(token) or _UPDATED.search(token))


def _kind(line: str, found: FoundDate, previous: str, following: str) -> str:
    if _STRONG_DECOY.search(line):
        return "decoy"
    if len(line) > MAX_LINE:
        return "decoy"  # a date in a sentence: an event, not the page's date
    besides = _words_besides(line, found)
    if besides > 8 or "。" in line:
        return "decoy"  # a date in a sentence: an event, not the page's date
    before = line[max(0, found.start - 40) : found.start]
    after = line[found.end : found.end + 30]
    if _TITLED.match(after):
        return "decoy"  # "8 November 1923: 100 years since the putsch", a listed article
    if _is_range(before, after):
        return "decoy"
    if _number_of_something(line, found):
        return "decoy"
    # The keyword nearest before the date decides ("Published 3 March · Updated 5 March").
    label = before if before.strip(_SEPARATORS) else previous
    published = [match.end() for match in _PUBLISHED.finditer(label)]
    updated = [match.end() for match in _UPDATED.finditer(label)]
    if _DECOY.search(before) or _DECOY.search(after):
        return "decoy"
    if _COMMENT.search(previous) or _COMMENT.match(following):
        return "decoy"  # "Mark says:" above, "Reply" below: a comment's timestamp
    if (published or updated) and len(_WORD.findall(before)) <= 6:
        if label is before and _is_sentence(line, found):
            # Two words or more before the keyword: the sentence is about another
            # work ("The study was published on 3 March 2019."), not a dateline.
            keyword = min(
                match.start()
                for pattern in (_PUBLISHED, _UPDATED)
                for match in pattern.finditer(before)
            )
            if len(line[: found.start - len(before) + keyword].split()) >= 2:
                return "decoy"
        if updated and (not published or max(updated) >= max(published)):
            return "updated"
        return "published"
    byline = _BYLINE.match(line)
    if besides > MAX_PLAIN_WORDS and not (byline and byline[1].isupper()):
        return "decoy"  # "after Python 3.0 was first released on December 3, 2008."
    if _is_sentence(line, found):
        return "decoy"  # "On 11 September 2001, everything changed.": an event
    return "plain"


def is_dateline(line: str, above: str = "") -> bool:
    """*line* is a dateline or a byline: a date with at most a dateline's few words
    beside it ("March 3, 2021", "By Jane Doe | March 3, 2021", "Published: 3 March 2021
    at 17:00"), under *above*, or a short "By Jane Doe, Associated Press". A headline
    right above one is a title of its own, not the first words of a paragraph to join
    it to."""
    if len(line) > MAX_LINE:
        return False
    if _DATEISH.search(line):
        for found in find_dates(line):
            # To the day, as find_dateline asks: "March 2021" alone may end a sentence.
            return found.date.day is not None and _kind(line, found, above, "") != "decoy"
    return (
        line[:3] in ("By ", "BY ")
        and line[3:4].isupper()
        and len(line.split()) <= _BYLINE_WORDS
        and not _SENTENCE_END.search(line)
    )


_BYLINE_WORDS = 8


_SENTENCE_END = LazyPattern(r"[.!?][\"'”’»)]*\s*$")
_LOWER_WORD = LazyPattern(r"(?<![^\W\d_])[^\W\d_A-Z]*[a-zà-ÿ][^\W\d_]+")


def _is_sentence(line: str, found: FoundDate) -> bool:
    """A short line that is a sentence of the text: it ends as one, and words of a
    sentence stand beside the date ("The river peaked on 27 December 2015.", "Am 3.
    Oktober 1990 wurde Deutschland wiedervereinigt."). A dateline's words are few,
    capitalised or leading its date ("By Jane Doe, March 3, 2021.", "on 3 March").
    """
    if not _SENTENCE_END.search(line):
        return False
    rest = _TIME.sub(" ", line[: found.start] + " " + line[found.end :])
    for word in _LOWER_WORD.findall(rest):
        if word[0].islower() and word.casefold() not in _LEAD_WORDS:
            return True
    return False


_RAW_WORD = LazyPattern(r"\w+")
_DASHES = LazyPattern(r"[‐‑‒–—―|·•:]+")
_QUOTES = LazyPattern(r"[\"'«»„“”‚‘’`]+")


def _comparable(line: str) -> str:
    return " ".join(_DASHES.sub("-", _QUOTES.sub("", line)).split()).strip(" #*").casefold()


def _headline_index(
    lines: list[str], title_line: int | None, limit: int
) -> tuple[int | None, bool]:
    """The headline's line index, and whether it is the title's repeat further down
    (a saved page's <h1> after its navigation; the <title> line names the site too)."""
    if title_line is None or not 1 <= title_line <= limit:
        return None, False
    index = title_line - 1
    title = _comparable(lines[index])
    if len(title) < 12:
        return index, False
    # "Headline - Site name": the headline alone, as the <h1> writes it.
    core = title.rpartition(" - ")[0] or title
    if len(core) < 16:
        core = title
    longest = len(title) + 60
    # A word every repeat holds, found before any line is normalised.
    words = [word for word in _RAW_WORD.findall(lines[index]) if word.casefold() in core]
    probe = max(words, key=len).casefold() if words else ""
    # An <h1> edited from the <title> ("11 things we learned from Harry and Meghan's
    # explosive interview") restates it: three quarters of its long words or more, in a
    # line not much longer. Such a line holds one of any quarter and one of the words.
    long_words = set(_LONG_WORD.findall(core))
    probes = sorted(long_words, key=len, reverse=True)[: len(long_words) // 4 + 1]
    restating = 2 * len(core) + 20 if len(long_words) >= 3 else 0
    restated = None
    widest = max(longest, restating)
    for later in range(index + 1, limit):
        line = lines[later]
        size = len(line)
        if size > widest or size < 12:
            continue
        folded = line.casefold()
        if size <= longest and probe in folded:
            candidate = _comparable(line)
            if (
                (len(candidate) >= 16 or candidate == title)
                and (core in candidate or (2 * len(candidate) >= len(core) and candidate in title))
                and not _STRONG_DECOY.search(line)  # "© 2024 Riverside Gazette": a footer
            ):
                return later, True
        if (
            restated is None
            and size <= restating
            and any(map(folded.__contains__, probes))
            and 4 * len(long_words.intersection(_LONG_WORD.findall(folded))) >= 3 * len(long_words)
            and not _STRONG_DECOY.search(line)
        ):
            restated = later
    # The title repeated as it is wins; else the first line that restates it.
    return (restated, True) if restated is not None else (index, False)


_LONG_WORD = LazyPattern(r"[^\W_]{4,}")


_SENTENCE_ENDS = frozenset(".!?。！？…:;\"'”’»)")


def _is_prose(line: str) -> bool:
    """A paragraph of the article: a long line of many words ending a sentence."""
    if len(line) < 25:
        return False
    ascii_only = line.isascii()
    if line.rstrip()[-1:] not in _SENTENCE_ENDS and (ascii_only or "。" not in line):
        return False
    if len(line) >= 60 and line.count(" ") >= 9:
        return True
    return not ascii_only and len(_WIDE.findall(line)) >= 25


def _is_wrapped(lines: list[str], index: int) -> bool:
    """A line of a hard-wrapped paragraph: many words, and so has the next line."""
    line = lines[index]
    if len(line) < 50 or index + 1 >= len(lines) or len(lines[index + 1]) < 50:
        return False
    return len(line.split()) >= 8 and len(lines[index + 1].split()) >= 8


def _first_prose(nonblank: list[int], lines: list[str], count: int = 3) -> list[int]:
    """The positions (among *nonblank*) of the page's first *count* lines of prose:
    where the article's text starts (a standfirst, a caption or a cookie notice may
    come first, hence more than one)."""
    found: list[int] = []
    for position, index in enumerate(nonblank):
        # A line under 25 characters is neither (the tests of both start so).
        if len(lines[index]) >= 25 and (_is_prose(lines[index]) or _is_wrapped(lines, index)):
            found.append(position)
            if len(found) == count:
                break
    return found


def _candidates(
    lines: list[str], nonblank: list[int], positions: list[int], day_first: bool | None
) -> tuple[list[_Candidate], bool]:
    """The dates on the non-blank lines at *positions*, and whether one of them is a
    date that only the page's language can settle (``10/11/2024``)."""
    found: list[_Candidate] = []
    ambiguous = False
    for position in positions:
        index = nonblank[position]
        line = lines[index]
        if len(line) > MAX_LINE or not _DATEISH.search(line):
            continue  # prose, never a dateline (see _kind): not even searched
        previous = lines[nonblank[position - 1]] if position > 0 else ""
        previous = previous if len(previous) <= 40 else ""
        following = lines[nonblank[position + 1]] if position + 1 < len(nonblank) else ""
        if _YEAR.search(line):
            for date in find_dates(line, day_first):
                kind = _kind(line, date, previous, following)
                found.append(_Candidate(index, position, date, line, kind))
            if not ambiguous and day_first is None and _AMBIGUOUS.search(line):
                ambiguous = True
        else:
            short = _short_dotted(line)
            if short is not None:
                kind = _kind(line, short, previous, following)
                # "Veröffentlicht am 19.10.19", "Artikel vom 31.10.23": after a keyword,
                # or alone on a short line; never "Linux 6.1.10" nor "Firmware 1.2.24".
                if kind == "published" or (
                    kind == "plain"
                    and _words_besides(line, short) <= 2
                    and not _VERSION.search(line)
                ):
                    found.append(_Candidate(index, position, short, line, kind))
        if len(found) >= MAX_CANDIDATES:
            break
    return found, ambiguous


_SHORT_DOTTED = LazyPattern(r"(?<![\w.])(\d\d)\.(\d\d)\.([0-4]\d)(?![\w.]|,\d)")


_VERSION = LazyPattern(
    r"(?<![^\W\d_])(?:v|ver|version|versio|release|build|firmware|update|patch|ios|android)"
    r"(?![^\W\d_])",
    re.IGNORECASE,
)


def _short_dotted(line: str) -> FoundDate | None:
    """``19.10.19`` after a publication keyword: a dotted date (day first, as dotted
    dates are) with two-digit day, month and year. Only years 00–49 are read, as
    2000–2049: a fixed rule, never today's century; "19.10.98" gets no date rather
    than 2098, and a version number ("6.1.10", "1.2.24") is no date."""
    match = _SHORT_DOTTED.search(line)
    if match is None:
        return None
    day, month, year = int(match[1]), int(match[2]), 2000 + int(match[3])
    if not 1 <= month <= 12:
        return None
    try:
        date = ArticleDate(year, month, day, "stated")
        date.last_day()
    except ValueError:
        return None
    return FoundDate(match.start(), match.end(), date, "numeric")


def _day_first_hint(candidates: list[_Candidate]) -> bool | None:
    """How the page writes its dates, from the dates near its anchors that settle it
    themselves (a decoy's form counts too: it is the page's language all the same,
    but a number of something else is no date at all)."""
    forms = {c.found.form for c in candidates if not _number_of_something(c.line, c.found)}
    day_first = bool(forms & {"numeric", "day-month"})
    # "November 2, 2023" is written on day-first sites too: only "10/17/2024" counts.
    month_first = "numeric-us" in forms
    if day_first != month_first:
        return day_first
    return None


def _listed(plain: list[_Candidate]) -> set[int]:
    """The ids of the dates that are items of a list: three or more dates on their own
    lines, each within three non-blank lines of the next (a section page's bylines,
    teasers, an archive); two dates near each other are no list (a masthead's day
    above a dateline, a dateline above a teaser)."""
    listed: set[int] = set()
    run: list[_Candidate] = []
    for candidate in sorted(plain, key=lambda c: c.position):
        if run and candidate.index == run[-1].index:
            continue
        if run and candidate.position - run[-1].position > 3:
            if len(run) >= 3:
                listed.update(id(c) for c in run)
            run = []
        run.append(candidate)
    if len(run) >= 3:
        listed.update(id(c) for c in run)
    return listed


def _dated_lines(lines: list[str], nonblank: list[int]) -> Iterator[tuple[int, int]]:
    """The (position, index) of the page's short non-blank lines that name a year: at
    most MAX_DATED_LINES of them, so a page-wide look costs a bounded time (a 20,000-
    line table of dates is read no further than its first few hundred)."""
    seen = 0
    for position, index in enumerate(nonblank):
        line = lines[index]
        if len(line) <= MAX_LINE and _YEAR.search(line):
            yield position, index
            seen += 1
            if seen == MAX_DATED_LINES:
                return


def _the_only_published(lines: list[str], nonblank: list[int]) -> _Candidate | None:
    """The one date of the page that follows a publication keyword, if there is only
    one (a comment thread's "Posted on …" gives several, which disagree)."""
    found: list[_Candidate] = []
    for position, index in _dated_lines(lines, nonblank):
        line = lines[index]
        previous = lines[nonblank[position - 1]] if position else ""
        previous = previous if len(previous) <= 40 else ""
        if not (_PUBLISHED.search(line) or _PUBLISHED.search(previous)):
            continue
        following = lines[nonblank[position + 1]] if position + 1 < len(nonblank) else ""
        for date in find_dates(line):
            kind = _kind(line, date, previous, following)
            if kind == "published" and date.date.day is not None:
                found.append(_Candidate(index, position, date, line, kind))
        if len(found) >= MAX_CANDIDATES:
            break
    if len({c.found.date for c in found}) == 1:
        return found[0]
    return None


def _page_dates(lines: list[str], nonblank: list[int]) -> list[_Candidate]:
    """Dates on the page's short lines, for their forms and days alone (read only
    when a date near the anchors is ambiguous or follows a weekday)."""
    found: list[_Candidate] = []
    for position, index in _dated_lines(lines, nonblank):
        line = lines[index]
        for date in find_dates(line):
            found.append(_Candidate(index, position, date, line, "plain"))
    return found


_AMBIGUOUS = LazyPattern(r"(?<!\d)\d{1,2}([/-])\d{1,2}\1(?:19|20)\d\d")


def _has_short_dated_line(lines: list[str], limit: int) -> bool:
    """Whether one of the first *limit* lines is short and names a year or a dotted
    date: every date :func:`find_dateline` can choose stands on such a line (the
    matches of _YEAR are _DATEISH's too). Most undated texts have none, and one search
    over their short lines, joined, says so for a few µs instead of ~40 µs of finding
    the anchors first (the long lines, most of the text, are not searched at all)."""
    short = [line for line in islice(lines, limit) if len(line) <= MAX_LINE]
    return _DATEISH.search("\n".join(short)) is not None


def find_dateline(lines: list[str], title_line: int | None) -> Dateline | None:
    """The page's own publication date, or None when the text does not settle it.

    *title_line* (1-based) is the line the title came from, if any: the dateline is
    looked for near it, or near its repeat further down (a page's <title> first,
    then, after the navigation, its <h1>), and above the first paragraph of prose.
    """
    limit = min(len(lines), SCAN_LINES)
    if not _has_short_dated_line(lines, limit):
        return None
    nonblank = [
        index for index, line in enumerate(islice(lines, limit)) if line and not line.isspace()
    ]
    if not nonblank:
        return None
    anchor, repeated = _headline_index(lines, title_line, limit)
    near: list[int] = []
    anchor_position = None
    if anchor is not None and lines[anchor].strip():
        anchor_position = _position(nonblank, anchor)
        before = NEAR_BEFORE if repeated else 0
        end = _window_after(nonblank, lines, anchor_position, repeated)
        # The headline's own line is not searched: a date there is its topic.
        near = [p for p in range(max(0, anchor_position - before), end) if p != anchor_position]
    prose = _first_prose(nonblank, lines)
    by_prose: list[int] = []
    if prose:
        start, end = max(0, prose[0] - PROSE_BEFORE), min(len(nonblank), prose[-1] + 2)
        by_prose = [p for p in range(start, end) if p != anchor_position]
    # The windows, and a few lines around them: whether a date is an item of a list
    # shows only with its neighbours.
    wanted: set[int] = set()
    for span in (near, by_prose):
        if span:
            low, high = max(0, span[0] - LIST_MARGIN), span[-1] + LIST_MARGIN + 1
            wanted.update(range(low, min(high, len(nonblank))))
    if anchor_position is not None:
        wanted.discard(anchor_position)
    positions = sorted(wanted)
    candidates, ambiguous = _candidates(lines, nonblank, positions, None)
    page: list[_Candidate] | None = None  # the page's short dates, read once if needed
    if ambiguous:
        # "10/11/2024" reads as the page's other dates do, when they agree on an order.
        hint = _day_first_hint(candidates)
        if hint is None:
            # Nothing near the anchors settles it: the page's other short dates may.
            page = _page_dates(lines, nonblank)
            hint = _day_first_hint(page)
        if hint is not None:
            candidates = _candidates(lines, nonblank, positions, hint)[0]
    usable = [c for c in candidates if c.kind != "decoy" and c.found.date.day is not None]
    # A date the text near it gives as a birth or a death is that life's, even where it
    # also stands alone (an infobox: "1975年1月28日" above "1975年1月28日出生于新加坡").
    lives = {c.found.date for c in candidates if c.kind == "decoy" and _LIFE.search(c.line)}
    if lives:
        usable = [c for c in usable if c.found.date not in lives]
    # Bylines a line or two apart are a list of articles (a section page, teasers, an
    # archive), not the page's.
    plain = [c for c in usable if c.kind == "plain"]
    listed = _listed(plain)
    if listed:
        usable = [c for c in usable if id(c) not in listed]
    # The day the page was saved, as a site's masthead shows it, is not the article's.
    # (Under a headline found again after the navigation, a weekday is the dateline's.)
    saved = [
        c
        for c in usable
        if _WEEKDAY.search(c.line, 0, c.found.start)
        and not (repeated and anchor_position is not None and c.position > anchor_position)
    ]
    if saved:
        if page is None:
            page = _page_dates(lines, nonblank)
        usable = [c for c in usable if c not in saved or not _is_save_day(c, page)]
    chosen = None
    if anchor_position is not None:
        window = set(near)
        chosen = _choose([c for c in usable if c.position in window], anchor_position)
    if chosen is None and prose:
        window = set(by_prose)
        chosen = _above_prose([c for c in usable if c.position in window], prose)
    if chosen is None and title_line is not None and 1 <= title_line <= limit:
        # Nothing near the anchors: a date set apart in the title ("08.11.2021 | …").
        chosen = _in_the_title(lines[title_line - 1], title_line - 1)
    if chosen is None:
        # Nor there: a date after a publication keyword, if it is the only one the page
        # gives ("Veröffentlicht am: 6. August 2009" under the text).
        chosen = _the_only_published(lines, nonblank)
    if chosen is None:
        return None
    found = chosen.found
    return Dateline(found.date, chosen.line[found.start : found.end], chosen.index + 1)


_APART = "|–—·•-"


def _in_the_title(line: str, index: int) -> _Candidate | None:
    """A date in the title line that is set apart from the headline, at the line's
    start or end ("08.11.2021 | Online-Fachtag …", "Harbour plan approved - 17 Oct
    2024"): the page's date in its title. Any other date there is the headline's
    topic ("Windows 11 October 2024 update", "Budget 17 October 2024: what changed")."""
    if len(line) > MAX_LINE or not _YEAR.search(line) or _STRONG_DECOY.search(line):
        return None
    for found in find_dates(line):
        if found.date.day is None or _number_of_something(line, found):
            continue
        before = line[: found.start].strip()
        after = _TIME.sub("", line[found.end :]).strip()
        if (not before and after[:1] in _APART) or (not after and before[-1:] in _APART):
            return _Candidate(index, 0, found, line, "plain")
    return None


def _position(nonblank: list[int], index: int) -> int:
    return bisect_left(nonblank, index)


def _window_after(nonblank: list[int], lines: list[str], anchor: int, repeated: bool) -> int:
    """The end (exclusive position) of the window after the headline: a dateline
    stands between the headline and the article's text, so the window ends at the
    text's second paragraph (comments, related lists and footers come later)."""
    cap = min(len(nonblank), anchor + 1 + (NEAR_AFTER if repeated else NEAR_AFTER_TITLE))
    paragraphs = 0
    for position in range(anchor + 1, cap):
        line = lines[nonblank[position]]
        if len(line) >= 25 and _is_prose(line):
            paragraphs += 1
            if paragraphs == 2:
                return position
    return cap


def _is_save_day(chosen: _Candidate, page: list[_Candidate]) -> bool:
    """A weekday and a date later than every other date on the page (there being
    others): the day the page was saved, as a site's masthead shows it ("Mittwoch,
    8. Juli 2020"), not the article's."""
    others = [c.found.date.sort_key for c in page if c.index != chosen.index]
    return len(others) >= 2 and all(chosen.found.date.sort_key > other for other in others)


def _above_prose(near: list[_Candidate], prose: list[int]) -> _Candidate | None:
    """The date standing nearest above one of the first paragraphs of prose (a
    dateline precedes the text it dates); a line below the last counts thrice, and
    an update gives way to an original date beside it."""

    def rank(candidate: _Candidate) -> int:
        below = [p - candidate.position for p in prose if p > candidate.position]
        distance = min(below) if below else 3 * (candidate.position - prose[-1])
        return distance - 2 if candidate.kind == "published" else distance

    return _prefer_original(near, min(near, key=rank), rank) if near else None


def _prefer_original(
    near: list[_Candidate],
    best: _Candidate,
    rank: Callable[[_Candidate], int],
    anchor: int | None = None,
) -> _Candidate:
    if best.kind == "updated":
        # "Updated 5 March 2023 · 3 March 2023": the original date wins, when it stands
        # beside the update (on the same side of the headline: not a teaser above it).
        side = None if anchor is None else best.position > anchor
        original = [
            c
            for c in near
            if c.kind != "updated"
            and abs(c.position - best.position) <= 4
            and (side is None or (c.position > anchor) == side)  # type: ignore[operator]
        ]
        if original:
            return min(original, key=rank)
    return best


def _choose(near: list[_Candidate], anchor: int) -> _Candidate | None:
    """The date nearest the anchor (a publication keyword is worth a few lines); an
    update gives way to an original date beside it, and stands when it is alone."""
    if not near:
        return None

    def rank(candidate: _Candidate) -> int:
        offset = candidate.position - anchor
        # Lines above the headline count thrice: a dateline follows its headline
        # more often than it precedes it (and precedes the text it dates).
        distance = offset if offset >= 0 else -3 * offset
        return distance - 6 if candidate.kind == "published" else distance

    return _prefer_original(near, min(near, key=rank), rank, anchor)


TITLE_SEARCH_LINES = 60
"""How far below the header block a headline title is looked for."""


def find_title_line(lines: list[str], start: int, title: str | None) -> int | None:
    """The 1-based line, from *start* (0-based) on, that holds *title*; None if none near."""
    if not title:
        return None
    probe = title.rstrip("…").strip()[:40]
    if not probe:
        return None
    for index in range(start, min(len(lines), start + TITLE_SEARCH_LINES)):
        if probe in lines[index]:
            return index + 1
    return None
