"""The query language: every form, every error, highlighting, narrowing, on the seeds."""

from __future__ import annotations

import os
import re

import pytest

from tui.corpus import load_corpus
from tui.corpus.dates import ArticleDate
from tui.corpus.model import Article, Corpus, default_corpus_path
from tui.corpus.query import DateTerm, Query, QueryError, StateTerm, TextTerm, parse_query
from tui.corpus.text import _astral_marks, _bmp_marks, normalise, tokenise


@pytest.fixture(scope="module")
def seeds() -> Corpus:
    return load_corpus([default_corpus_path()])


def seed_names(corpus: Corpus, text: str, state: object = None) -> list[str]:
    query = parse_query(text)
    return sorted(
        os.path.basename(a.path)[:3]
        for a in corpus.by_serial
        if query.matches(a, state)  # type: ignore[arg-type]
    )


def article(
    title: str = "A title",
    body: str = "Some text.",
    date: ArticleDate | None = None,
    key: str = "k",
) -> Article:
    return Article(
        key=key,
        id=key,
        path=f"{key}.txt",
        title=title,
        title_source="header",
        date=date,
        date_text=None,
        date_line=None,
        source=None,
        author=None,
        words=len(body.split()),
        body=body.encode("utf-8"),
    )


class FakeState:
    def __init__(self, read: set[str] = frozenset(), flagged: set[str] = frozenset()) -> None:  # type: ignore[assignment]
        self.read, self.flagged = read, flagged

    def is_read(self, key: str) -> bool:
        return key in self.read

    def is_flagged(self, key: str) -> bool:
        return key in self.flagged


# ------------------------------------------------------------------ the seeds


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"winter olympics"', ["000"]),
        ("date:2024", ["001", "003"]),
        ("before:2022", ["002"]),
        ("sco -putin", ["002"]),
        ("is:inferred", ["004"]),
        ("pak", ["000", "001", "002", "003"]),
        ("sco putin OR xi", ["000", "003"]),
        ("title:xi", ["004"]),
        ("date:2021..2022", ["000", "002", "004"]),
        ("date:2022-06..2023", []),
        ("date:2022", ["000", "004"]),
        ("date:2022-01", ["000"]),
        ('after:"January 1, 2024"', ["001", "003"]),
        ("after:2022", ["001", "003"]),
        ("russia-pakistan", ["002"]),
        ("", ["000", "001", "002", "003", "004"]),
    ],
)
def test_seed_queries(seeds: Corpus, text: str, expected: list[str]) -> None:
    assert seed_names(seeds, text) == expected


def test_seed_bad_date_names_the_part(seeds: Corpus) -> None:
    with pytest.raises(QueryError) as caught:
        parse_query("date:notadate")
    assert "notadate" in str(caught.value)
    assert str(caught.value).startswith("date:notadate at column 1: not a date")


# ------------------------------------------------------------------ words


def test_prefix_case_and_accents() -> None:
    doc = article(body="Le Café de Pakistan’s NAÏVE straße")
    for text in ("cafe", "CAFÉ", "caf", "pak", "pakistan", "naive", "strasse", "STRAßE"):
        assert parse_query(text).matches(doc), text
    for text in ("afe", "cafes", "pakistani"):
        assert not parse_query(text).matches(doc), text


def test_apostrophes_split_words() -> None:
    assert tokenise("Pakistan’s country's") == ["pakistan", "s", "country", "s"]
    doc = article(body="Pakistan’s army")
    assert parse_query("pakistan's").matches(doc)
    assert parse_query("pakistan").matches(doc)


def test_lowercase_or_is_a_word() -> None:
    query = parse_query("war or peace")
    assert len(query.clauses) == 3
    assert not query.matches(article(body="war and peace"))
    assert query.matches(article(body="war or peace"))


def test_title_only() -> None:
    doc = article(title="Xi meets Putin", body="Trade talks in Moscow")
    assert parse_query("title:xi").matches(doc)
    assert not parse_query("title:moscow").matches(doc)
    assert parse_query("moscow").matches(doc)
    assert parse_query('title:"xi meets"').matches(doc)
    assert not parse_query('title:"meets xi"').matches(doc)
    assert parse_query("TITLE:putin").matches(doc)


def test_phrases() -> None:
    doc = article(body="The Prime Minister, Mr Khan, spoke.\nWinter\nOlympics next.")
    assert parse_query('"prime minister"').matches(doc)
    assert parse_query('"prime min"').matches(doc), "last word of a phrase is a prefix"
    assert not parse_query('"pri minister"').matches(doc), "earlier words are whole"
    assert not parse_query('"minister prime"').matches(doc)
    assert parse_query('"minister mr khan"').matches(doc), "punctuation between is skipped"
    assert parse_query('"winter olympics"').matches(doc), "so is a line end"
    assert parse_query("“prime minister”").matches(doc), "typographic quotes work"


def test_negation() -> None:
    doc = article(body="sco summit without the president")
    assert not parse_query("-sco").matches(doc)
    assert parse_query("-putin").matches(doc)
    assert not parse_query('-"sco summit"').matches(doc)
    assert parse_query('-"summit sco"').matches(doc)
    assert parse_query("sco -putin").matches(doc)


def test_or_binds_tighter_than_and() -> None:
    query = parse_query("sco putin OR xi")
    assert [len(clause) for clause in query.clauses] == [1, 2]
    assert query.matches(article(body="sco and xi"))
    assert query.matches(article(body="sco and putin"))
    assert not query.matches(article(body="putin and xi"))
    assert parse_query("a OR b OR c").clauses[0].__len__() == 3


def test_words_with_colons_are_words() -> None:
    doc = article(body="At 10:30 see http://x.org and Islamabad: talks")
    assert parse_query("10:30").matches(doc)
    assert parse_query("http://x.org").matches(doc)
    assert parse_query("Islamabad:").matches(doc)


def test_punctuation_only_terms_are_ignored() -> None:
    assert parse_query("  & — ").is_empty()
    assert parse_query("").is_empty()
    assert parse_query("   ").is_empty()
    assert not parse_query("a & b").is_empty()
    assert len(parse_query("a & b").clauses) == 2


# ------------------------------------------------------------------ dates


def _dated(
    year: int, month: int | None = None, day: int | None = None, source: str = "stated"
) -> Article:
    return article(date=ArticleDate(year, month, day, source))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "year_2022", "oct_2024", "day_2024_10_08", "undated"),
    [
        ("date:2022", True, False, False, False),
        ("date:2024", False, True, True, False),
        ("date:2024-10", False, True, True, False),
        ("date:2024-10-08", False, False, True, False),
        ("date:2021..2022", True, False, False, False),
        ("date:2022-06..2023", False, False, False, False),
        ("date:2023-06..", False, True, True, False),
        ("date:..2022", True, False, False, False),
        ("before:2022", False, False, False, False),
        ("before:2023", True, False, False, False),
        ("before:2024-10-09", True, False, True, False),
        ("before:2024-10-31", True, False, True, False),
        ("before:2024-11", True, True, True, False),
        ("after:2021", True, True, True, False),
        ("after:2022", False, True, True, False),
        ("after:2024-10-07", False, False, True, False),
        ("after:2024-09", False, True, True, False),
        ('after:"January 1, 2024"', False, True, True, False),
        ('before:"Oct 8, 2024"', True, False, False, False),
        ("date:2022-01..2022-12", True, False, False, False),
        ("-date:2022", False, True, True, True),
    ],
)
def test_date_spans(
    text: str, year_2022: bool, oct_2024: bool, day_2024_10_08: bool, undated: bool
) -> None:
    query = parse_query(text)
    assert query.matches(_dated(2022, source="inferred")) is year_2022
    assert query.matches(_dated(2024, 10)) is oct_2024
    assert query.matches(_dated(2024, 10, 8)) is day_2024_10_08
    assert query.matches(article(date=None)) is undated


def test_date_keys_are_case_insensitive() -> None:
    assert parse_query("DATE:2024").clauses == parse_query("date:2024").clauses
    assert isinstance(parse_query("Before:2024").clauses[0][0], DateTerm)
    assert isinstance(parse_query("IS:Read").clauses[0][0], StateTerm)


# ------------------------------------------------------------------ state


def test_state_terms() -> None:
    one, two = article(key="one"), article(key="two", date=_dated(2020, source="inferred").date)
    state = FakeState(read={"one"}, flagged={"two"})
    assert parse_query("is:read").matches(one, state)
    assert not parse_query("is:read").matches(two, state)
    assert parse_query("is:unread").matches(two, state)
    assert parse_query("is:flagged").matches(two, state)
    assert parse_query("-is:flagged").matches(one, state)
    assert parse_query("is:undated").matches(one)
    assert parse_query("is:inferred").matches(two)
    assert not parse_query("is:read").matches(one), "no state: nothing is read"
    assert parse_query("is:unread").matches(one)
    assert parse_query("is:read").uses_state()
    assert parse_query("x is:flagged").uses_state()
    assert not parse_query("is:undated is:inferred x").uses_state()


# ------------------------------------------------------------------ errors


@pytest.mark.parametrize(
    ("text", "position", "length", "message"),
    [
        ("date:notadate", 0, 13, "not a date"),
        ("x date:2024-13", 2, 12, "not a date"),
        ("date:", 0, 5, "date: needs a date"),
        ("before:", 0, 7, "before: needs a date"),
        ("pak after: x", 4, 6, "after: needs a date"),
        ("before:May", 0, 10, "not a date"),
        ("before:10:30", 0, 12, "no year"),
        ("is:bogus", 0, 8, "unknown state"),
        ("a -is:bogus", 3, 8, "unknown state"),
        ("is:", 0, 3, "is: needs"),
        ("unknownfield:x", 0, 14, "unknown field"),
        ("ok Foo:bar baz", 3, 7, "unknown field"),
        ("title:", 0, 6, "title: needs"),
        ("title:&&", 0, 8, "title: needs letters"),
        ('say "hello', 4, 6, "unclosed quote"),
        ('title:"open', 6, 5, "unclosed quote"),
        ("a OR", 2, 2, "OR needs a term"),
        ("OR a", 0, 2, "OR needs a term"),
        ("a OR OR b", 5, 2, "OR needs a term"),
        ("-", 0, 1, "- needs"),
        ("sco -", 4, 1, "- needs"),
        ("a - b", 2, 1, "- needs"),
        ("-&", 0, 2, "nothing to exclude"),
        ("date:2023..2021", 0, 15, "ends before it starts"),
        ("date:2022-06..2022-05", 0, 21, "ends before it starts"),
        ("date:..", 0, 7, "a range needs a date"),
        ("date:2021..2022..2023", 0, 21, "one '..'"),
        ("before:2021..2022", 0, 17, "not a date"),
    ],
)
def test_errors(text: str, position: int, length: int, message: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse_query(text)
    error = caught.value
    assert isinstance(error, ValueError)
    assert message in error.message
    assert (error.position, error.length) == (position, length)
    part = text[position : position + length]
    assert str(error) == f"{part} at column {position + 1}: {error.message}"


def test_error_text_is_neutralised() -> None:
    with pytest.raises(QueryError) as caught:
        parse_query("is:\x1b[31m")
    assert "\x1b" not in str(caught.value)


def test_query_constructor_parses() -> None:
    assert Query("pak") == parse_query("pak")
    with pytest.raises(QueryError):
        Query("is:nope")


# ------------------------------------------------------------------ normalising


def test_normalise() -> None:
    assert normalise("Café NAÏVE Straße ﬁnance Ｆｕｌｌ") == "cafe naive strasse finance full"
    assert normalise("plain ASCII") == "plain ascii"
    assert normalise("e\u0301") == "e"


def test_marks_live_only_where_the_mark_classes_look() -> None:
    import unicodedata

    from tui.corpus.text import MARK_FREE_RANGES, MARK_PLANES, _is_mark

    astral_planes = set().union(*MARK_PLANES)
    outside = [
        code
        for code in range(0x10000, 0x110000)
        if code not in astral_planes and _is_mark(chr(code))
    ]
    outside += [code for block in MARK_FREE_RANGES for code in block if _is_mark(chr(code))]
    outside += [code for code in range(0x300) if _is_mark(chr(code))]
    assert outside == [], unicodedata.unidata_version
    assert _bmp_marks().sub("", "a\u0301\u20dd") == "a"
    assert _astral_marks().sub("", "a\U0001d167") == "a"
    assert normalise("a\U0001d167\u0301") == "a"


# ------------------------------------------------------------------ highlighting


def highlighted(text: str, query: str, **kwargs: bool) -> list[str]:
    return [text[s:e] for s, e in parse_query(query).highlight_spans(text, **kwargs)]


def test_highlight_accents_map_back() -> None:
    text = "Le Café, les CAFÉS et le cafe\u0301 décaféiné"
    assert highlighted(text, "cafe") == ["Café", "CAFÉS", "cafe\u0301"]


def test_highlight_expanding_characters() -> None:
    text = "Die Straße, die STRASSE; ﬁnance"
    assert highlighted(text, "strasse") == ["Straße", "STRASSE"]
    assert highlighted(text, "fin") == ["ﬁnance"]


def test_highlight_whole_words_phrases_and_not_negated() -> None:
    text = "Pakistan’s Prime Minister met Putin; prime time."
    assert highlighted(text, "pak -putin") == ["Pakistan"]
    assert highlighted(text, '"prime minister"') == ["Prime Minister"]
    assert highlighted(text, "prime OR putin") == ["Prime", "Putin", "prime"]
    assert highlighted(text, "date:2024 is:read") == []
    assert highlighted(text, "") == []


def test_highlight_title_terms() -> None:
    text = "Xi meets Putin"
    assert highlighted(text, "title:xi putin") == ["Xi", "Putin"]
    assert highlighted(text, "title:xi putin", title=False) == ["Putin"]
    assert highlighted(text, "title:xi putin", title=True) == ["Xi", "Putin"]


def test_highlight_spans_overlap_merged() -> None:
    spans = parse_query("pak pakistan").highlight_spans("Pakistan")
    assert spans == [(0, 8)]


def test_highlight_terms() -> None:
    terms = parse_query('sco -putin "prime minister" title:xi date:2024').highlight_terms()
    assert [t.tokens for t in terms] == [("sco",), ("prime", "minister"), ("xi",)]
    assert all(isinstance(t, TextTerm) for t in terms)


# ------------------------------------------------------------------ narrowing


@pytest.mark.parametrize(
    ("new", "old", "expected"),
    [
        ("pa", "p", True),
        ("pakistan", "pak", True),
        ("pakistan r", "pakistan", True),
        ("sco -p", "sco", True),
        ("sco -pu", "sco -p", False),
        ("sco -p", "sco -pu", True),
        ("p", "pa", False),
        ("pak OR x", "pak", False),
        ("pak", "pak OR x", True),
        ("date:2024-10", "date:2024", True),
        ("date:2024", "date:2024-10", False),
        ('"prime minister"', "prime", True),
        ('"prime minister"', "minister", True),
        ('"prime min"', '"prime minister"', False),
        ('"prime minister"', '"prime min"', True),
        ("title:pak", "pak", True),
        ("pak", "title:pak", False),
        ("is:read pak", "is:read", False),
        ("x", "", True),
        ("", "x", False),
    ],
)
def test_narrows(new: str, old: str, expected: bool) -> None:
    assert parse_query(new).narrows(parse_query(old)) is expected


# ------------------------------------------------------------------ scripts and symbols


def test_cjk_is_found_anywhere_in_a_run() -> None:
    doc = article(title="東京都知事選挙", body="選挙は2024年7月7日。ロンドンでも報道された。")
    for text in ("東京", "京都", "都", "知事選", "挙", "2024", "7月", "年7月", "ロンドン", "ンド"):
        assert parse_query(text).matches(doc), text
    for text in ("京東", "大阪", "2025", "ドンロ"):
        assert not parse_query(text).matches(doc), text
    assert tokenise("2024年7月") == ["2024", "年", "7", "月"]
    assert tokenise("iPhone手机") == ["iphone", "手机"]


def test_cjk_highlights_only_the_match() -> None:
    assert highlighted("東京都知事", "京都") == ["京都"]
    assert highlighted("東京都知事、都民", "都") == ["都", "都"]
    assert highlighted("2024年7月", "7月") == ["7月"]


def test_hangul_is_matched_from_the_start_of_a_word() -> None:
    """Korean spaces its words; particles attach (서울에서): a word-prefix search is the
    documented choice, so 울 does not find 서울 (as kistan does not find Pakistan)."""
    doc = article(body="서울에서 회의가 열렸다. 울산은 조용했다.")
    assert parse_query("서울").matches(doc)
    assert parse_query("서울에서").matches(doc)
    assert parse_query("울산").matches(doc)
    assert not parse_query("에서").matches(doc)
    assert not parse_query("울").matches(article(body="서울에서 회의가 열렸다."))
    assert parse_query("서").matches(doc), "a syllable being typed (서 of 서울) already finds it"
    assert highlighted("서울에서 회의", "서울") == ["서울에서"]


@pytest.mark.parametrize(
    ("query", "found", "not_found"),
    [
        ("£1bn", "a £1bn deal", "a $1bn deal"),
        ("$1bn", "a $1bn deal", "a £1bn deal"),
        ("1bn", "a $1bn deal", "one billion"),
        ("€", "costs 5 € now", "costs 5 dollars"),
        ("€", "costs €5 now", "costs $5 now"),
        ("€5", "costs €5m", "costs €6m or 5"),
        ("$100", "US$100 fine", "100 fine"),
        ("#climate", "see #ClimateWeek", "see climate week"),
        ("climate", "see #climate", "see nothing"),
        ("@handle", "ask @Handle now", "a handle"),
        ("c++", "written in C++ and C", "written in C and D"),
        ("C#", "written in C# today", "written in C today"),
        ("c", "written in C++", "written in D"),
        ("¥", "¥300", "300 yen"),
        ('"£1bn deal"', "a £1bn deal", "a £1bn new deal"),
    ],
)
def test_symbol_terms(query: str, found: str, not_found: str) -> None:
    assert parse_query(query).matches(article(body=found)), found
    assert not parse_query(query).matches(article(body=not_found)), not_found


def test_symbol_tokens_and_highlights() -> None:
    assert tokenise("£1bn C++ c# #tag @me € $") == ["£1bn", "c++", "c#", "#tag", "@me", "€", "$"]
    assert tokenise("a+b abc# x@") == ["a", "b", "abc", "x"]
    assert highlighted("a £1bn and a $1bn deal", "£1") == ["£1bn"]
    assert highlighted("C++ and C#", "c++ OR c#") == ["C++", "C#"]


def test_currency_list_is_every_currency_sign_normalise_keeps() -> None:
    import sys
    import unicodedata

    from tui.corpus.text import CURRENCY

    kept = {
        chr(code)
        for code in range(0x10000)
        if unicodedata.category(chr(code)) == "Sc" and normalise(chr(code)) == chr(code)
    }
    pattern = re.compile(f"[{CURRENCY}]")
    listed = {char for char in map(chr, range(0x10000)) if pattern.match(char)}
    assert listed <= kept, sys.version
    # A later Unicode may add signs (after U+20C0); the ones up to Unicode 14 are all here.
    assert {char for char in kept - listed if char <= "\u20c0"} == set()
    assert {"$", "£", "€", "¥", "₹", "₽", "₩", "¢"} <= listed


def test_cjk_classes_take_only_word_characters() -> None:
    from tui.corpus.text import CJK_RANGES, spaced

    # An unassigned code point in a Han block is not a word: it must split, not join.
    unassigned = next(chr(c) for c in range(0x2A6E0, 0x2A700) if not re.match(r"\w", chr(c)))
    assert tokenise(f"東{unassigned}京") == ["東", "京"]
    assert spaced(f"a東{unassigned}京b").split() == ["a", f"東{unassigned}京", "b"]
    assert re.match(f"[{CJK_RANGES}]", "\uac00") is None, "Hangul is not spaceless"


# ------------------------------------------------------------------ author:, site:, tag:


def meta(author: str | None = None, url: str | None = None, tags: tuple[str, ...] = ()) -> Article:
    doc = article()
    doc.author, doc.url, doc.tags = author, url, tags
    return doc


@pytest.mark.parametrize(
    ("query", "doc", "expected"),
    [
        ("author:smith", meta(author="Jane Smith"), True),
        ("author:smi", meta(author="Jane Smith"), True),
        ("author:SMITH", meta(author="jane smith"), True),
        ("author:muller", meta(author="Jürgen Müller"), True),
        ('author:"jane smith"', meta(author="Jane Smith"), True),
        ('author:"smith jane"', meta(author="Jane Smith"), False),
        ("author:mith", meta(author="Jane Smith"), False),
        ("author:smith", meta(), False),
        ("author:o'brien", meta(author="Pat O’Brien"), True),
        ("site:bbc.co.uk", meta(url="https://www.bbc.co.uk/news/world-123"), True),
        ("site:BBC.co.uk", meta(url="https://news.bbc.co.uk/x"), True),
        ("site:co.uk", meta(url="https://www.bbc.co.uk/news"), True),
        ("site:www.bbc.co.uk", meta(url="http://bbc.co.uk"), True),
        ("site:bbc.co.uk", meta(url="https://www.notbbc.co.uk/news"), False),
        ("site:bbc.co.uk", meta(url="https://www.bbc.com/news"), False),
        ("site:bbc", meta(url="https://www.bbc.co.uk/news"), False),
        ("site:bbc.co.uk", meta(url="www.bbc.co.uk/news/x"), True),
        ("site:https://www.bbc.co.uk/news/x", meta(url="https://bbc.co.uk"), True),
        ("site:bbc.co.uk/news", meta(url="https://bbc.co.uk/sport"), True),
        ("site:münchen.de", meta(url="https://www.xn--mnchen-3ya.de/"), True),
        ("site:bbc.co.uk", meta(), False),
        ("site:bbc.co.uk", meta(url="not a url at all"), False),
        ("tag:climate", meta(tags=("Climate Change", "Energy")), True),
        ("tag:chan", meta(tags=("Climate Change",)), True),
        ("tag:#climate", meta(tags=("climate",)), True),
        ('tag:"change energy"', meta(tags=("Climate Change", "Energy")), False),
        ("tag:energy", meta(tags=()), False),
        ("-tag:energy", meta(tags=()), True),
        ("-site:bbc.co.uk", meta(url="https://bbc.co.uk"), False),
        ("author:smith OR tag:energy", meta(tags=("energy",)), True),
        ("author:smith tag:energy", meta(tags=("energy",)), False),
    ],
)
def test_field_terms(query: str, doc: Article, expected: bool) -> None:
    assert parse_query(query).matches(doc) is expected


@pytest.mark.parametrize(
    ("text", "position", "length", "message"),
    [
        ("author:", 0, 7, "author: needs a name"),
        ("author:&&", 0, 9, "author: needs letters"),
        ("site:", 0, 5, "site: needs a host"),
        ("x site:bbc..uk", 2, 12, "not a host name"),
        ("site:bbc.co.uk:8080", 0, 19, "without a port"),
        ('site:"bbc co"', 0, 13, "not a host name"),
        ("site:https://", 0, 13, "site: needs a host"),
        ("tag:", 0, 4, "tag: needs"),
        ("tag:#", 0, 5, "tag: needs letters"),
        ("writer:smith", 0, 12, "use title:, author:, site:, tag:"),
    ],
)
def test_field_errors(text: str, position: int, length: int, message: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse_query(text)
    assert message in caught.value.message
    assert (caught.value.position, caught.value.length) == (position, length)


def test_field_terms_are_not_highlighted_and_narrow() -> None:
    assert parse_query("author:smith tag:x site:a.b").highlight_terms() == []
    assert parse_query("author:smith").narrows(parse_query("author:smi"))
    assert not parse_query("author:smi").narrows(parse_query("author:smith"))
    assert parse_query("site:news.bbc.co.uk").narrows(parse_query("site:bbc.co.uk"))
    assert not parse_query("site:bbc.co.uk").narrows(parse_query("site:news.bbc.co.uk"))
    assert not parse_query("tag:smith").narrows(parse_query("author:smith"))
    assert not parse_query("smith").narrows(parse_query("author:smith"))
