"""The names in an article: runs of capitalised words, for the facets (F).

"Who and what" without a language model: a name is two to five capitalised words in
a row on one line (``Shehbaz Sharif``, ``Shanghai Cooperation Organisation``),
joined at most by a short lowercase link (``Bank of England``, ``Abu al Fadl``).
What capitalises a word without naming anything is taken off its ends: the word that
opens a sentence ("The", "But", "Monday"), months and days. Each name is counted once
an article.

Kept in the store with the relevance table (:meth:`Store.fill_relevance`), one line
a name: what is stored is decided here, so this module is one of those whose change
makes a store stale.
"""

from __future__ import annotations

import re

MAX_NAMES = 40
"""Names kept for one article: the first ones, enough for its facets."""

_WORD = re.compile(r"[^\W\d_][\w’'.-]*[\w]|[^\W\d_]")
"""A word: letters first, then letters, digits, apostrophes, dots or hyphens."""

_LINKS = frozenset(
    (
        "of",
        "de",
        "del",
        "della",
        "der",
        "di",
        "da",
        "do",
        "dos",
        "du",
        "la",
        "le",
        "van",
        "von",
        "al",
        "el",
        "bin",
        "ibn",
    )
)
"""Lowercase words a name may hold between its capitalised ones."""

_NOT_NAMES = frozenset(
    (
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "he",
        "she",
        "they",
        "we",
        "you",
        "i",
        "his",
        "her",
        "their",
        "our",
        "my",
        "your",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "with",
        "without",
        "into",
        "onto",
        "over",
        "under",
        "after",
        "before",
        "since",
        "during",
        "until",
        "as",
        "of",
        "to",
        "and",
        "but",
        "or",
        "nor",
        "so",
        "yet",
        "if",
        "when",
        "while",
        "where",
        "why",
        "how",
        "what",
        "who",
        "whom",
        "which",
        "there",
        "here",
        "then",
        "than",
        "also",
        "not",
        "no",
        "yes",
        "all",
        "any",
        "some",
        "each",
        "every",
        "both",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "mr",
        "mrs",
        "ms",
        "dr",
        "sir",
        "prof",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "today",
        "yesterday",
        "tomorrow",
        "according",
        "however",
        "meanwhile",
    )
)
"""Capitalised words that are not names, or not the ends of one: sentence openers,
titles said before a name, days and months."""

_TITLES = frozenset(
    (
        "president",
        "minister",
        "prime",
        "ambassador",
        "foreign",
        "secretary",
        "general",
        "chancellor",
        "senator",
        "governor",
        "king",
        "queen",
        "prince",
        "princess",
        "pope",
        "chairman",
        "chairwoman",
        "chair",
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "premier",
        "deputy",
        "vice",
        "chief",
        "mayor",
        "director",
        "envoy",
        "commander",
    )
)
"""Words of an office said before a name: "Prime Minister Shehbaz Sharif" counts as
"Shehbaz Sharif", whatever office he holds that day."""


def names_in(title: str, text: str) -> list[str]:
    """The distinct names in *title* and *text* (an article's paragraphs), in the
    order first met, at most :data:`MAX_NAMES`."""
    found: dict[str, None] = {}
    for source in (title, text):
        for match in _RUN.finditer(source):
            name = _trimmed(match.group().split(" "))
            if name:
                found.setdefault(name, None)
                if len(found) >= MAX_NAMES:
                    return list(found)
    return list(found)


def _trimmed(run: list[str]) -> str | None:
    """A run of capitalised words as a name: possessives, offices, and words that
    are not names taken off; None when fewer than two capitalised words are left."""
    run = [_possessive.sub("", word) for word in run]
    offices = [at for at, word in enumerate(run) if word.casefold() in _TITLES]
    if offices:
        del run[: offices[-1] + 1]
    while run and (run[-1] in _LINKS or run[-1].casefold() in _NOT_NAMES):
        run.pop()
    while run and (run[0] in _LINKS or run[0].casefold() in _NOT_NAMES):
        run.pop(0)
    capitals = sum(1 for word in run if word[:1].isupper())
    if capitals < 2 or len(run) > 5:
        return None
    return " ".join(run)


_UPPER = "".join(
    chr(code) for code in range(0x41, 0x2000) if chr(code).isupper() and chr(code).isalpha()
)
"""Capital letters of the Latin, Greek, Cyrillic, Armenian… alphabets (a class for the
regex below: Python's has no "uppercase letter")."""

_CAPITALISED = rf"(?<![\w’'-])[{re.escape(_UPPER)}][\w’'-]*\w"
_RUN = re.compile(rf"{_CAPITALISED}(?: (?:(?:{'|'.join(sorted(_LINKS))}) )*{_CAPITALISED})+")
"""Two or more capitalised words of two letters or more, one space apart, perhaps
with links between them: found in C, so only the runs reach Python (a word at a
time in Python cost ~0.4 ms an article, 43 s at 100k)."""

_possessive = re.compile(r"[’']s$")
