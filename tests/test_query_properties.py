"""Properties of the query parser and normalising over arbitrary text (Hypothesis)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.corpus.model import Article
from tui.corpus.query import QueryError, parse_query
from tui.corpus.text import normalise

DOC = Article(
    key="k", id="k", path="k.txt", title="東京 £1bn C++ Café", title_source="header",
    date=None, date_text=None, date_line=None, source=None, author="Jürgen O’Brien 山田",
    words=3, body="Le café #tag @me €5 서울에서 2024年7月".encode(),
    url="https://www.xn--mnchen-3ya.de/a", tags=("Climate Change", "#SCO", "政治"),
)  # fmt: skip
"""An article with every kind of text and metadata the language looks at."""

# Text biased towards the query language's own syntax, so that the odd corners
# (fields, quotes, ranges, OR, negation) are reached far more often than by chance.
_SYNTAX = st.sampled_from(
    [
        "title:", "date:", "before:", "after:", "is:", "IS:", "Date:", "foo:", "OR", "or",
        '"', "“", "”", "-", "..", ":", "2024", "2024-10", "2024-13-45", "-08", "read",
        "bogus", " ", "  ", "\t", "\n", "http://", "10:30", "café", "ß", "ﬁ", "e\u0301",
        "\x00", "\x1b", "\ud800", "January 1, 2024", "9999", "0000", "..2022", "2021..",
        "author:", "site:", "tag:", "Site:", "TAG:#", "bbc.co.uk", "https://www.bbc.co.uk/x",
        "//", "..", ".", ":8080", "xn--mnchen-3ya", "£", "€", "$", "#", "@", "++", "C#",
        "東京都", "京", "서울", "ｶﾀｶﾅ", "\U00020000", "\U0002a6e0", "￥",
    ]
)  # fmt: skip
_QUERY_TEXT = st.lists(st.one_of(_SYNTAX, st.text(max_size=8)), max_size=12).map("".join)


@pytest.mark.heavy
@settings(max_examples=600, deadline=None)
@given(text=st.one_of(st.text(), _QUERY_TEXT))
def test_parse_raises_only_query_error(text: str) -> None:
    try:
        query = parse_query(text)
    except QueryError as error:
        assert isinstance(error, ValueError)
        assert 0 <= error.position <= len(text)
        assert error.length >= 0
        assert error.position + error.length <= len(text)
        assert error.message
        assert f"column {error.position + 1}: {error.message}" in str(error)
        assert "\x1b" not in str(error)
        return
    # A query that parses can be used: these must not raise either.
    query.is_empty()
    query.uses_state()
    query.highlight_spans(text)
    query.narrows(query)
    query.matches(DOC)


@settings(max_examples=500, deadline=None)
@given(text=st.text())
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once


@settings(max_examples=500, deadline=None)
@given(text=st.text())
def test_normalise_works_character_by_character(text: str) -> None:
    """What lets highlight spans map back through accent folding."""
    assert normalise(text) == "".join(normalise(char) for char in text)


_MIXED = st.text(
    alphabet=st.sampled_from("ab Z1.’éÉßİﬁ\u0301\u00a0東京—ΑΩ\U0001d400"), max_size=40
) | st.text(max_size=40)


@settings(max_examples=300, deadline=None)
@given(text=_MIXED)
def test_the_highlight_map_is_the_fold_a_character_at_a_time(text: str) -> None:
    """ASCII runs are folded whole, the rest a character at a time: the folded text
    and the map back are what folding each character gives."""
    from tui.corpus.text import _normalise_with_map, _piece, spaced

    folded, owner = _normalise_with_map(text)
    assert folded == spaced(normalise(text))
    if owner is None:
        assert text.isascii()
        return
    expected = [index for index, char in enumerate(text) for _ in _piece(char)]
    if folded == "".join(_piece(char) for char in text):  # no Han or kana set apart
        assert owner == expected
    assert len(owner) == len(folded) and owner == sorted(owner)
    assert set(expected) <= set(owner)


@settings(max_examples=300, deadline=None)
@given(text=_MIXED, word=st.sampled_from(["ab", "e", "z1", "ss", "東京", "αω", "fi", "é"]))
def test_a_text_is_highlighted_where_its_fold_matches(text: str, word: str) -> None:
    """The quick look (the whole text folded in C) never hides a match: a text is
    highlighted exactly when its fold holds the word."""
    from tui.corpus.text import _normalise_with_map

    query = parse_query(word)
    folded, _ = _normalise_with_map(text)
    pattern = re.compile(query.highlight_terms()[0].pattern_text())
    holds = any(match.end() > match.start() for match in pattern.finditer(folded))
    assert bool(query.highlight_spans(text)) == holds, (text, word)


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=60), word=st.text(min_size=1, max_size=5))
def test_highlight_spans_are_sorted_disjoint_and_in_range(text: str, word: str) -> None:
    try:
        query = parse_query(word)
    except QueryError:
        return
    spans = query.highlight_spans(text)
    previous_end = -1
    for start, end in spans:
        assert 0 <= start < end <= len(text)
        assert start > previous_end
        previous_end = end


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=40))
def test_every_word_of_a_text_is_found_and_highlighted(text: str) -> None:
    from tui.corpus.text import tokenise

    for token in list(dict.fromkeys(tokenise(text)))[:5]:
        query = parse_query(f'"{token}"')
        assert query.highlight_spans(text), (text, token)


_SCRIPTS = st.text(
    st.sampled_from(list("ab c-’#@+$£€東京都ロンド서울 2024年月\u3099ｶ\u0301")) | st.characters(),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(text=_SCRIPTS)
def test_every_token_of_mixed_scripts_is_found_and_highlighted(text: str) -> None:
    """Han and kana set apart from the letters around them, signs and symbol terms:
    every token of a text matches it, and its highlight lies within the text."""
    from tui.corpus.text import tokenise

    doc = Article(
        key="k", id="k", path="k.txt", title="", title_source="header", date=None,
        date_text=None, date_line=None, source=None, author=None, words=1,
        body=text.encode("utf-8", "surrogatepass"),
    )  # fmt: skip
    for token in list(dict.fromkeys(tokenise(text)))[:6]:
        query = parse_query(f'"{token}"')
        assert query.matches(doc), (text, token)
        spans = query.highlight_spans(text)
        assert spans, (text, token)
        assert all(0 <= start < end <= len(text) for start, end in spans)
