"""Many rows of words (phrases, or single words) found in a text in one pass.

A phrase's regex costs ~6 µs a 4 KB article, so 64 phrases of words that are in
nearly every article but rarely side by side cost ~3.5 s at 50,000 articles, and a
regex of 64 alternatives (a trie) ~48 µs an article when none is there. Here the text
is put in a *word form* (:func:`word_form`: its words as the regexes see them, every
non-word character a space, ~3 µs for a plain text) and one Aho-Corasick DFA
(``ahocorasick_rs``, Rust's aho-corasick) reads it once (~6 µs), whatever the number
of rows. The rows are of ASCII words (what most queries hold); the texts of any script.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ahocorasick_rs import BytesAhoCorasick

from .text import _fold_body

__all__ = ["WordRows", "folded_word_form", "plain_word_form", "word_form"]

_ASCII_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")
_ASCII_WORD = re.compile(r"[a-z0-9_]+")

_WORD_BYTES = bytes.maketrans(
    bytes(range(256)),
    bytes(byte if chr(byte) in _ASCII_WORD_CHARS else 32 for byte in bytes(range(256)).lower()),
)
"""bytes.translate table: ASCII word bytes kept (lowered), every other byte a space: in
the texts this module reads, exactly the non-word characters of the regexes' ``\\W``."""

_SPACE_RUNS = re.compile(rb"  +")

_LETTER_BYTES = bytes.maketrans(
    bytes(range(256)),
    bytes(
        byte if byte >= 128 or chr(byte) in _ASCII_WORD_CHARS else 32
        for byte in bytes(range(256)).lower()
    ),
)
"""As :data:`_WORD_BYTES`, but bytes beyond ASCII kept: for a text whose characters
beyond ASCII are all word characters (letters of any script)."""


def plain_word_form(text: bytes) -> bytes:
    """:func:`word_form` of a plain text (ASCII but for typographic punctuation)."""
    return text.translate(_WORD_BYTES)


def word_form(text: bytes, plain: bool) -> bytes | None:
    """*text* (UTF-8) as :class:`WordRows` reads it, or None when it cannot be read so
    exactly.

    *plain*: it is ASCII but for typographic punctuation, all of whose bytes become
    spaces (~3 µs a 4 KB article). Otherwise it is folded as the index folds it
    (:func:`text._fold_body`, ~15 µs: ``é`` → ``e``, ``ł`` stays, Han and kana set
    apart, a non-word character a space but a currency sign) and put as
    :func:`folded_word_form` puts it. The store keeps that form of such a body, so a
    search need not fold it again.
    """
    if plain:
        return plain_word_form(text)
    try:
        folded, _, kinds = _fold_body(text)
    except UnicodeDecodeError:
        return None
    return None if kinds is None else folded_word_form(folded, kinds[1])


def folded_word_form(folded: str, signs: str) -> bytes:
    """A folded text (:func:`text._fold_body`, whose characters beyond ASCII are word
    characters but the currency signs *signs*) as :class:`WordRows` reads it: the
    signs made spaces, as the regexes' ``\\W`` takes them, and bytes beyond ASCII kept."""
    for sign in signs:
        folded = folded.replace(sign, " ")
    return folded.encode("utf-8", "surrogatepass").translate(_LETTER_BYTES)


_NEVER_MET = [bytes((byte, byte + 1)) for byte in range(1, 17, 2)]
"""Patterns of bytes no word form holds, added to every automaton: with them it
starts at no byte in particular, so it skips its prefilter, which for 3 to 6 rows of
common letters cost 12-23 µs a 4 KB article instead of the DFA's 6."""

_HEAD_BYTES = 2048
"""Bytes of each text :meth:`WordRows.held` reads first (about half an article)."""

_HEADS_TRIED = 512
"""Texts read head first before :meth:`WordRows.held` judges whether that pays."""

_AUTOMATON_PATTERNS = 4096
"""Patterns one :class:`WordRows` automaton may hold: spacing variants are spelt out
up to a run length that keeps within it."""


class WordRows:
    """Rows of ASCII words looked for together: ``a b`` with each run of 1 to *runs*
    spaces between the words spelt out as a pattern of the automaton (a text with a
    longer run has its runs squeezed to one space first), each opening and (unless its
    last word is a prefix) closing with a space, as a word's bounds. The answer is
    exactly that of the rows' regexes (a test compares them on random texts and rows).

    Falsy when some row is not of ASCII words (``c++``, ``東京都``, ``café``): the
    regexes are used then.
    """

    __slots__ = ("_automaton", "_found_in_heads", "_heads_read", "_long_run", "_longest", "runs")

    def __init__(self, rows: Sequence[tuple[tuple[str, ...], bool]]) -> None:
        """*rows*: each phrase's words (folded), and whether its last word is a prefix."""
        self._automaton: BytesAhoCorasick | None = None
        self._heads_read = 0
        self._found_in_heads = 0
        words_only = all(_ASCII_WORD.fullmatch(token) for tokens, _ in rows for token in tokens)
        if not rows or not words_only:
            self.runs = 0
            self._long_run = b""
            self._longest = 0
            return
        self.runs = 1
        while self.runs < 8 and _variant_count(rows, self.runs + 1) <= _AUTOMATON_PATTERNS:
            self.runs += 1
        self._long_run = b" " * (self.runs + 1)
        patterns = []
        for tokens, prefix in rows:
            words = [token.encode("ascii") for token in tokens]
            end = b"" if prefix else b" "
            for gaps in itertools.product(range(1, self.runs + 1), repeat=len(words) - 1):
                spelt = [words[0]]
                for gap, word in zip(gaps, words[1:], strict=True):
                    spelt += [b" " * gap, word]
                patterns.append(b" " + b"".join(spelt) + end)
        self._longest = max(len(pattern) for pattern in patterns)
        import ahocorasick_rs  # lazily: only a query of many rows needs it

        self._automaton = ahocorasick_rs.BytesAhoCorasick(
            sorted(set(patterns)) + _NEVER_MET, implementation=ahocorasick_rs.Implementation.DFA
        )

    def __bool__(self) -> bool:
        return self._automaton is not None

    def held(self, texts: list[bytes], owners: list[int]) -> set[int]:
        """The *owners* of the *texts* (each a :func:`word_form`) where a row is (a NUL
        between texts, which no pattern holds, keeps a row from spanning two)."""
        # The head of each text first (a cut at a space, which is a word's bound as
        # it is): most texts a common phrase is in hold it there. Then the rest of
        # those it was not found in, from far enough back that a row across the cut is
        # whole in it. For 64 common phrases at 50,000 articles that read 0.48 -> 0.33 s;
        # for rows found in few heads it costs more (0.46 -> 0.53 s), so once the heads
        # hold less than half of what was read, whole texts are read.
        if self._heads_read < _HEADS_TRIED or 2 * self._found_in_heads >= self._heads_read:
            held = self._held_head_first(texts, owners)
        else:
            held = self._held_as_spelt(texts, owners)
        # A row may also span a run of spaces longer than those spelt out, so the texts
        # not found yet that have such a run are read again with their runs squeezed.
        # Looking for a long run in every text first cost 0.1 s of 0.5 s for 64 common
        # phrases at 50,000 articles.
        again = [
            place
            for place, (text, owner) in enumerate(zip(texts, owners, strict=True))
            if owner not in held and self._long_run in text
        ]
        if again:
            squeezed = [_SPACE_RUNS.sub(b" ", texts[place]) for place in again]
            held |= self._held_as_spelt(squeezed, [owners[place] for place in again])
        return held

    def _held_head_first(self, texts: list[bytes], owners: list[int]) -> set[int]:
        """:meth:`_held_as_spelt`, the heads of *texts* read first, then the rest of
        those no row was found in."""
        heads: list[bytes] = []
        cuts: list[int] = []
        for text in texts:
            cut = text.find(b" ", _HEAD_BYTES) if len(text) > _HEAD_BYTES else -1
            heads.append(text if cut < 0 else text[:cut])
            cuts.append(cut)
        held = self._held_as_spelt(heads, owners)
        self._heads_read += len(texts)
        self._found_in_heads += len(held)
        rests: list[bytes] = []
        rest_owners: list[int] = []
        for text, owner, cut in zip(texts, owners, cuts, strict=True):
            if cut >= 0 and owner not in held:
                # A row's pattern that ends past the head starts after this space
                # (none: the whole text; a negative end would count from the end).
                start = text.rfind(b" ", 0, max(0, cut + 3 - self._longest))
                rests.append(text[start + 1 :])
                rest_owners.append(owner)
        return held | self._held_as_spelt(rests, rest_owners)

    def _held_as_spelt(self, texts: list[bytes], owners: list[int]) -> set[int]:
        """:meth:`held`, for rows whose gaps are runs of at most :attr:`runs` spaces."""
        if not texts:
            return set()
        haystack = b" " + b" \0 ".join(texts) + b" "
        assert self._automaton is not None, "held() on a falsy WordRows"
        # Not overlapping: a match hides only matches of its own text (none crosses
        # a NUL), and one is enough.
        found = self._automaton.find_matches_as_indexes(haystack)
        if not found:
            return set()
        ends = list(itertools.accumulate(len(text) + 3 for text in texts))
        return {owners[bisect.bisect(ends, start)] for _, start, _ in found}

    def search(self, *texts: bytes) -> bool:
        """Whether any row is in one of *texts* (see :meth:`held`)."""
        return bool(self.held(list(texts), [0] * len(texts)))


def _variant_count(rows: Sequence[tuple[tuple[str, ...], bool]], runs: int) -> int:
    return sum(runs ** (len(tokens) - 1) for tokens, _ in rows)
