"""Folding and tokenising: the one module both the index and the query use.

Text is folded once, one way (:func:`normalise`: case, accents, compatibility forms;
:func:`spaced`: runs of Han or kana set apart), so a word typed in the filter bar and
the same word in an article meet. The query's tokeniser (:data:`TERM`), the scan
regexes' text (:func:`fold_text`, :func:`fold_body`) and FTS5's text
(:func:`fts_form`) all start from it, and one cache of character folds serves them.
Pure Python; nothing here knows of articles or of SQLite.
"""

from __future__ import annotations

import functools
import operator
import re
import unicodedata
from collections.abc import Iterable, Iterator

CJK_RANGES = (
    "\u3005-\u3007\u3021-\u3029\u3031-\u3035\u303b\u303c"  # 々〆〇, numerals, marks
    "\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff"  # kana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Han
    "\U00020000-\U0003134f"  # Han, beyond the BMP
)
"""Scripts written without spaces between words (Han, hiragana, katakana), as a regex
class body. Hangul is not here: Korean puts spaces between words. A few code points
in these blocks are unassigned: the classes below only ever take word characters."""

CURRENCY = (
    "$\xa2\xa3\xa4\xa5\u058f\u060b\u07fe\u07ff\u09f2\u09f3\u09fb\u0af1\u0bf9\u0e3f"
    "\u17db\u20a0-\u20a7\u20a9-\u20c0\ua838"
)
"""Currency signs of the BMP that :func:`normalise` keeps (a test checks the list against
``unicodedata``; ``＄`` and ``￡`` fold into ``$`` and ``£``, ``₨`` into ``rs``)."""

TERM = (
    r"(?<!\w)\w+\+\+"  # c++, notepad++
    r"|(?<!\w)[^\W\d_]#(?!\w)"  # c#, f#
    f"|[#@{CURRENCY}]\\w+"  # #hashtag, @handle, £1bn, $100
    f"|[{CURRENCY}]"  # a currency sign alone
    r"|\w+"
)
"""The one tokeniser of queries (and of :func:`tokenise`), over :func:`spaced` text
(a regex source: compiled on first use, off the path to the first frame).

Words are runs of word characters; :func:`spaced` has set each run of Han or kana
apart, so it is a word of its own (``2024年`` is ``2024`` and ``年``). Symbol terms
(the first four forms) carry the sign that makes them what they are; the index keeps
them as extra tokens beside the words they hold (:func:`symbol_terms`). Every class
here is small: a regex with a class of Han is ~0.7 ms to compile, too slow to build
one per keystroke, so Han only ever appears in the few regexes compiled once."""

_WORDS = re.compile(r"\w+")
_NON_WORD_CHAR = re.compile(r"\W")
_WORD_CHAR = re.compile(r"\w")
_LETTER = re.compile(r"[^\W\d_]")


@functools.cache
def _cjk_char() -> re.Pattern[str]:
    return re.compile(f"[{CJK_RANGES}]")


@functools.cache
def cjk_run() -> re.Pattern[str]:
    """A run of Han or kana (compiled on first use: ~1 ms). It may hold a code point
    of those blocks that is not assigned, so not a word character: in folded text such
    a character is already a space, and elsewhere spacing its run is harmless."""
    return re.compile(f"[{CJK_RANGES}]+")


def _spaced_run(run: re.Match[str]) -> str:
    return f" {run.group()} "


@functools.cache
def _beyond_cjk_start() -> re.Pattern[str]:
    """Any character from the first of :data:`CJK_RANGES` on: one range, so a search
    is 3× faster than with the exact class (9 µs a 4 KB article, not 27)."""
    return re.compile("[\u3005-\U0003134f]")


def spaced(folded: str) -> str:
    """Normalised text with each run of Han or kana set apart by spaces.

    Those scripts put no space between words, nor between a word and the digits or
    Latin letters next to it (``2024年7月``, ``iPhone手机``): spaced, every regex here can
    tell a word's start with a plain ``\\w``. Text in other scripts is returned as it is.
    """
    if folded.isascii() or _beyond_cjk_start().search(folded) is None:
        return folded
    return cjk_run().sub(_spaced_run, folded)


def is_cjk(token: str) -> bool:
    """Whether *token* (a token of :data:`TERM`) is a run of Han or kana."""
    return not token.isascii() and _cjk_char().match(token) is not None


def is_symbol(token: str) -> bool:
    """Whether *token* (a token of :data:`TERM`) is a symbol term: it holds a sign."""
    return _NON_WORD_CHAR.search(token) is not None


def symbol_terms(folded: str, currency: str | None = None) -> list[str]:
    """The symbol terms of :func:`spaced` text: what :data:`TERM` finds besides words.

    Each form is looked for only when its sign is in the text, and the rare ``C++`` and
    ``C#`` from each sign found (a regex that opens with a look-behind tries every
    position: 50 µs a 4 KB article). *currency*: the currency signs beyond ASCII that
    the text holds, when the caller knows them.
    """
    found: list[str] = []
    word = _WORD_CHAR.match
    if "+" in folded and "++" in folded:
        at = folded.find("++")
        while at >= 0:
            start = at
            while start and word(folded[start - 1]):
                start -= 1
            if start < at:
                found.append(folded[start:at] + "++")
            at = folded.find("++", at + 2)
    if "#" in folded:
        at = folded.find("#")
        while at >= 0:
            if (
                at
                and _LETTER.match(folded[at - 1])
                and not (at > 1 and word(folded[at - 2]))
                and not (at + 1 < len(folded) and word(folded[at + 1]))
            ):
                found.append(folded[at - 1 : at + 1])
            at = folded.find("#", at + 1)
    if currency is None:
        currency = "".join(set(re.findall(f"[{CURRENCY}]", folded)) - {"$"})
    signs = "#@$" + currency
    words = _WORDS.match
    for sign in signs:
        at = folded.find(sign)
        while at >= 0:
            after = words(folded, at + 1)
            if after is not None:
                found.append(sign + after.group())
            elif sign not in "#@":
                found.append(sign)  # a currency sign alone
            at = folded.find(sign, at + 1)
    return found


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_NON_ASCII_RUN = re.compile("[^\x00-\x7f]+")

MARK_FREE_RANGES = (
    range(0x3400, 0x4DC0),  # CJK Unified Ideographs Extension A
    range(0x4E00, 0xA000),  # CJK Unified Ideographs
    range(0xAC00, 0xD7A4),  # Hangul syllables
    range(0xD800, 0xF900),  # surrogates and the private use area
)
"""BMP blocks whose every code point is a letter, a surrogate or private (a test
checks it against the running Python): two thirds of the BMP, skipped when building
the mark class, which is on the path to the first rows on screen."""

MARK_PLANES = (range(0x10000, 0x20000), range(0xE0000, 0xE1000))
"""The astral planes that hold marks (a test checks that no other plane does)."""


def _mark_class(codes: list[int]) -> re.Pattern[str]:
    ranges: list[str] = []
    start = previous = codes[0]
    for code in codes[1:]:
        if code != previous + 1:
            ranges.append(f"{re.escape(chr(start))}-{re.escape(chr(previous))}")
            start = code
        previous = code
    ranges.append(f"{re.escape(chr(start))}-{re.escape(chr(previous))}")
    return re.compile("[" + "".join(ranges) + "]+")


def _scan_marks(blocks: Iterable[range]) -> re.Pattern[str]:
    return _mark_class([code for block in blocks for code in block if _is_mark(chr(code))])


def _bmp_blocks() -> Iterator[range]:
    start = 0x300  # nothing below the combining diacritics is a mark
    for skip in MARK_FREE_RANGES:
        yield range(start, skip.start)
        start = skip.stop
    yield range(start, 0x10000)


@functools.cache
def _bmp_marks() -> re.Pattern[str]:
    """Combining marks (accents) of the BMP, to drop.

    Built from ``unicodedata`` on the first non-ASCII text (~5 ms), so it follows the
    running Python's Unicode version. Astral marks get their own class (below), built
    only when astral text turns up: ``re`` tests a BMP-only class with a bitmap, but a
    class that reaches past U+FFFF range by range, which made normalising 20× slower.
    """
    return _scan_marks(_bmp_blocks())


@functools.cache
def _astral_marks() -> re.Pattern[str]:
    """Combining marks beyond the BMP (historic scripts, musical notation; ~20 ms)."""
    return _scan_marks(MARK_PLANES)


def _is_mark(char: str) -> bool:
    return bool(unicodedata.combining(char)) or unicodedata.category(char) in ("Mn", "Me")


def normalise(text: str) -> str:
    """Casefold and strip accents: the one comparison form for index, scan and highlight.

    ``casefold`` then NFKD, twice (so that compatibility characters such as ``ℍ`` or
    ``İ`` settle), then combining marks dropped. It works character by character, so
    normalising a string equals normalising its characters one at a time: that is what
    lets :meth:`Query.highlight_spans` map matches back to the original text.
    """
    if text.isascii():
        return text.lower()
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = unicodedata.normalize("NFKD", folded.casefold())
    folded = _bmp_marks().sub("", folded)
    if _ASTRAL.search(folded) is not None:
        folded = _astral_marks().sub("", folded)
    return folded


def tokenise(text: str) -> list[str]:
    """The normalised words and symbol terms of *text*, in order (see :data:`TERM`)."""
    return re.findall(TERM, spaced(normalise(text)))


def _piece(char: str) -> str:
    """One character normalised, cached: highlighting folds text character by character."""
    return _char(char)[0]


def _normalise_with_map(text: str) -> tuple[str, list[int] | None]:
    """*text* normalised, and for each normalised character the index it came from.

    ``None`` stands for the identity map (ASCII text keeps its length).
    """
    if text.isascii():
        return text.lower(), None
    pieces: list[str] = []
    owner: list[int] = []
    done = 0
    # ASCII runs fold as a whole (one character each, lowered), the rest a character
    # at a time: a paragraph of English with a few curly quotes took ~1.7 ms.
    for run in _NON_ASCII_RUN.finditer(text):
        start, end = run.span()
        pieces.append(text[done:start].lower())
        owner.extend(range(done, start))
        for index in range(start, end):
            piece = _piece(text[index])
            pieces.append(piece)
            owner.extend([index] * len(piece))
        done = end
    pieces.append(text[done:].lower())
    owner.extend(range(done, len(text)))
    folded = "".join(pieces)
    if cjk_run().search(folded) is None:
        return folded, owner
    # spaced(), keeping the map: each added space belongs to its neighbour.
    parts: list[str] = []
    owners: list[int] = []
    done = 0
    for run in cjk_run().finditer(folded):
        start, end = run.span()
        parts += (folded[done:start], " ", run.group(), " ")
        owners += owner[done:start]
        owners.append(owner[start])
        owners += owner[start:end]
        owners.append(owner[end - 1])
        done = end
    parts.append(folded[done:])
    owners += owner[done:]
    return "".join(parts), owners


# ------------------------------------------------------------------------- state


_NON_WORD = re.compile(f"[^\\w\\x00-\\x7f{CURRENCY[1:]}]+")
"""Non-ASCII characters that are not word characters, but for currency signs: FTS5's
ascii tokenizer would otherwise keep them inside words (it treats every non-ASCII
character as a letter). Currency signs stay for the scan regexes (``£1bn``), and
:func:`fts_form` takes them out of the words it gives FTS5."""

_CURRENCY_SIGN = re.compile(f"[{CURRENCY[1:]}]")
"""A currency sign beyond ASCII (``$`` is a separator for FTS5 already)."""


_SIGN_CODES = str.maketrans({"$": "\ue024", "#": "\ue023", "@": "\ue040", "+": "\ue02b"})
"""ASCII signs of symbol terms as private-use characters, which FTS5's ascii tokenizer
keeps inside a token (it splits at every other ASCII character). Folded text never
holds a private-use character (:data:`_NON_WORD` makes them spaces), so ``$100`` as a
token is ``\ue024100`` and meets no word."""


def fts_text(text: str) -> str:
    """The text FTS5 is given for *text* (see :func:`fts_form`)."""
    folded = fold_text(text)
    form = fts_form(folded)
    return folded if form is None else form


def _pairs(run: re.Match[str]) -> str:
    """A run of Han or kana as its overlapping pairs and its last character alone:
    every character starts a token, so any part of the run is found."""
    chars = run.group()
    return " " + " ".join(map(operator.add, chars, chars[1:])) + f" {chars[-1]} "


def _has_signs(text: str) -> bool:
    return "$" in text or "#" in text or "@" in text or ("+" in text and "++" in text)


def fts_form(folded: str, cjk: bool | None = None, currency: str | None = None) -> str | None:
    """FTS5's text for folded text, or None when that is the folded text itself.

    Its tokens are the words of :data:`query.TERM` (a run of Han or kana becomes its
    overlapping pairs: 東京都 → 東京 京都 都), then the symbol terms (``£1bn``, ``#tag``,
    signs coded by :data:`_SIGN_CODES`) as extra tokens. *cjk* and *currency* say
    whether the text holds Han or kana, and which currency signs beyond ASCII, when the
    caller knows (:func:`_fold_body` does); else they are looked for. Plain text
    returns None after a few ``in`` tests: it pays nothing more.
    """
    if folded.isascii():
        cjk, currency = False, ""
    elif cjk is None or currency is None:
        cjk, currency = _kinds(set(folded))
    if not (cjk or currency or _has_signs(folded)):
        return None
    symbols = symbol_terms(folded, currency)
    text = cjk_run().sub(_pairs, folded) if cjk else folded
    for sign in currency:
        text = text.replace(sign, " ")
    if symbols:
        text += "\n" + " ".join(dict.fromkeys(symbols)).translate(_SIGN_CODES)
    return None if text == folded else text


_SPACED_OUT = "\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u00a0"
"""Typographic punctuation, which no pattern can match: each made a space."""



_ASCII_BYTES = bytes(range(128))
_TYPOGRAPHY = frozenset(_SPACED_OUT)

_CHARS: dict[str, tuple[str, str | None]] = {}
"""The one cache of character folds: a character → (:func:`normalise` of it, what the
index folds it to). The second is None when folding it one character at a time is not
safe (its fold holds a character that would itself fold again)."""


def _char(char: str) -> tuple[str, str | None]:
    found = _CHARS.get(char)
    if found is None:
        piece = normalise(char)
        fold = _NON_WORD.sub(" ", piece)
        settled = all(
            other.isascii() or _NON_WORD.sub(" ", normalise(other)) == other for other in fold
        )
        found = (piece, fold if settled else None)
        if len(_CHARS) < 65536:
            _CHARS[char] = found
    return found


def _fold_char(char: str) -> str | None:
    return _char(char)[1]


def fold_text(text: str) -> str:
    """``spaced(_NON_WORD.sub(" ", normalise(text)))``: the index's form of any text."""
    if text.isascii():
        return text.lower()
    folded = _NON_WORD.sub(" ", normalise(text))
    return spaced(folded) if _kinds(set(text))[0] else folded


def fold_body(body: bytes) -> tuple[str, bool]:
    """:func:`fold_text` of a UTF-8 body, and whether it is plain, 10× faster."""
    text, plain, _ = _fold_body(body)
    return text, plain


_KINDS: dict[str, tuple[bool, str]] = {}


def _kind(char: str) -> tuple[bool, str]:
    """Whether a character folds to Han or kana, and the currency signs beyond ASCII
    it folds to (cached: a text is judged by its few distinct characters)."""
    found = _KINDS.get(char)
    if found is None:
        folded = normalise(char)
        found = (cjk_run().search(folded) is not None, "".join(_CURRENCY_SIGN.findall(folded)))
        if len(_KINDS) < 65536:
            _KINDS[char] = found
    return found


def _kinds(chars: Iterable[str]) -> tuple[bool, str]:
    """:func:`_kind` of distinct characters, together."""
    cjk = False
    currency = ""
    for char in chars:
        if char >= "\x80":
            one, signs = _kind(char)
            cjk = cjk or one
            if signs:
                currency += signs
    return cjk, "".join(dict.fromkeys(currency))


def _fold_body(body: bytes) -> tuple[str, bool, tuple[bool, str] | None]:
    """:func:`fold_body`, and what :func:`fts_form` must know of it: whether it holds
    Han or kana, and which currency signs beyond ASCII (None: not known).

    ``normalise`` works character by character (its docstring says why), so the text
    can be folded one distinct character at a time: ASCII bytes are lowered in C, and
    each of the few distinct non-ASCII characters (typographic quotes, a handful of
    accented letters) is replaced by its cached fold with ``str.replace``. Normalising
    the whole text instead (casefold, two NFKDs and a regex over every character) cost
    ~300 µs per 4 KB article: 4 s of the 10k load. A character whose fold would fold
    again sends the article down the exact slow path.
    """
    lowered = body.lower()  # ASCII letters only, as normalise() lowers them
    if lowered.isascii():
        return lowered.decode("ascii"), True, (False, "")
    distinct = set(body.translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass"))
    plain = distinct <= _TYPOGRAPHY
    kinds = (False, "") if plain else _kinds(distinct)
    folds: list[tuple[str, str]] = []
    for char in distinct:
        folded = _fold_char(char)
        if folded is None:
            return fold_text(body.decode("utf-8", "surrogatepass")), plain, None
        if folded != char:
            folds.append((char, folded))
    text = lowered.decode("utf-8", "surrogatepass")
    for char, folded in folds:
        text = text.replace(char, folded)
    return (spaced(text) if kinds[0] else text), plain, kinds



def _fold_title(title: str) -> str:
    """``normalise(title)`` up to typographic punctuation, which no pattern can match."""
    if not title.isascii():
        spaced_out = title
        # A replace per sign present: str.translate looks up every character (3.3
        # against 0.4 µs a title; a search may fold 50,000).
        for sign in _SPACED_OUT:
            if sign in spaced_out:
                spaced_out = spaced_out.replace(sign, " ")
        if spaced_out.isascii():
            return spaced_out.lower()
    return spaced(normalise(title))
