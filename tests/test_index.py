"""The search index agrees with scanning (``Query.matches``) on every query it is asked."""

from __future__ import annotations

import os
import random
import re
import sqlite3
import string
import threading
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.corpus import load_corpus
from tui.corpus.bits import Bits
from tui.corpus.dates import ArticleDate
from tui.corpus.index import _TABLE_SQL, SearchIndex, fts5_available, fts_texts, prepare
from tui.corpus.model import Article, Corpus, default_corpus_path
from tui.corpus.query import Query, QueryError, parse_query
from tui.corpus.text import fts_text, tokenise

BACKENDS = ["fts5", "scan"] if fts5_available() else ["scan"]
CONFIGURATIONS = (
    [("fts5", 1), ("fts5", 2), ("fts5-files", 2), ("scan", 1)]
    if fts5_available()
    else [("scan", 1)]
)
"""Backend and shard count: two shards are filled in parallel and queried together
("-files": in files, as beside a store)."""

VOCABULARY = [
    "pakistan", "pak", "russia", "russian", "putin", "xi", "sco", "prime", "minister",
    "café", "Cafe", "naïve", "straße", "STRASSE", "ﬁnance", "trade", "zanzibarite", "or",
    "the", "of", "10", "30", "a_b", "Ελλάδα", "ελλαδα", "日本",
    "東京都", "京都", "知事", "2024年7月", "ロンドン", "서울에서", "울산", "£1bn", "$1bn", "€",
    "€5m", "C++", "c#", "#climate", "@bbc", "Москва",
]  # fmt: skip
AUTHORS = [None, None, "Jane Smith", "Jürgen Müller", "Pat O’Brien", "山田太郎"]
URLS = [
    None, "https://www.bbc.co.uk/news/1", "https://news.bbc.co.uk/2", "http://bbc.com/x",
    "https://www.xn--mnchen-3ya.de/a", "not a url", "https://example.org:8080/p",
]  # fmt: skip
TAGS = [(), (), ("Climate Change",), ("energy", "climate"), ("#SCO",), ("政治",)]
PUNCTUATION = [" ", " ", " ", ", ", ". ", "\n", "’s ", " — ", "-", ":", " “", "” ", "…"]


class FakeState:
    def __init__(self, read: set[str], flagged: set[str]) -> None:
        self.read, self.flagged = read, flagged

    def is_read(self, key: str) -> bool:
        return key in self.read

    def is_flagged(self, key: str) -> bool:
        return key in self.flagged


def make_article(
    serial: int,
    title: str,
    body: str,
    date: ArticleDate | None,
    author: str | None = None,
    url: str | None = None,
    tags: tuple[str, ...] = (),
) -> Article:
    return Article(
        key=f"key{serial}",
        id=f"id{serial}",
        path=f"s/{serial}.txt",
        title=title,
        title_source="header",
        date=date,
        date_text=None,
        date_line=None,
        source=None,
        author=author,
        words=len(body.split()),
        body=body.encode("utf-8", "surrogatepass"),
        serial=serial,
        url=url,
        tags=tags,
    )


def synthetic(count: int, seed: int = 7) -> list[Article]:
    rng = random.Random(seed)

    def text(words: int) -> str:
        parts = []
        for _ in range(words):
            parts.append(rng.choice(VOCABULARY))
            parts.append(rng.choice(PUNCTUATION))
        return "".join(parts).strip()

    articles = []
    for serial in range(count):
        roll = rng.random()
        date: ArticleDate | None
        if roll < 0.15:
            date = None
        else:
            year = rng.randint(2020, 2025)
            if roll < 0.6:
                date = ArticleDate(year, rng.randint(1, 12), rng.randint(1, 28))
            elif roll < 0.8:
                date = ArticleDate(year, rng.randint(1, 12))
            else:
                date = ArticleDate(year, source=rng.choice(["stated", "inferred"]))
        articles.append(
            make_article(
                serial,
                text(rng.randint(1, 6)),
                text(rng.randint(0, 40)),
                date,
                rng.choice(AUTHORS),
                rng.choice(URLS),
                rng.choice(TAGS),
            )
        )
    return articles


SYNTHETIC = synthetic(300)
STATE = FakeState({f"key{i}" for i in range(0, 300, 3)}, {f"key{i}" for i in range(0, 300, 7)})


@pytest.fixture(scope="module", params=CONFIGURATIONS, ids=lambda c: f"{c[0]}-{c[1]}")
def synthetic_index(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> SearchIndex:
    backend, shards = request.param
    folder = str(tmp_path_factory.mktemp("shards")) if backend.endswith("-files") else None
    index = SearchIndex(backend=backend.removesuffix("-files"), shards=shards, folder=folder)
    index.chunk_size = 16  # many chunks, so rounds are spread over the shards
    index.add(SYNTHETIC[:120])  # incremental, in batches that do not align with chunks
    index.add(SYNTHETIC[120:121])
    index.add(SYNTHETIC[121:])
    return index


@pytest.fixture(scope="module")
def seeds() -> Corpus:
    return load_corpus([default_corpus_path()])


def scanned(articles: list[Article], query: Query, state: object = None) -> set[int]:
    return {a.serial for a in articles if query.matches(a, state)}  # type: ignore[arg-type]


SEED_QUERIES = [
    '"winter olympics"', "date:2024", "before:2022", "sco -putin", "is:inferred", "pak",
    "sco putin OR xi", "title:xi", "date:2021..2022", "date:2022-06..2023", '-"prime minister"',
    "is:undated", "russia-pakistan", 'after:"January 1, 2024"', "-pak", "title:pak -sco",
    "putin OR date:2021", '"prime min"', "-is:inferred xi", "zzz", "p", "the -the",
]  # fmt: skip


@pytest.mark.parametrize("backend", BACKENDS)
def test_seeds_index_agrees_with_scan(seeds: Corpus, backend: str) -> None:
    index = SearchIndex(backend=backend)  # type: ignore[arg-type]
    index.add(seeds.by_serial)
    assert len(index) == 5
    for text in SEED_QUERIES:
        query = parse_query(text)
        assert index.search(query) == scanned(seeds.by_serial, query), text


def test_seed_expectations_through_the_index(seeds: Corpus) -> None:
    index = SearchIndex()
    index.add(seeds.by_serial)

    def names(text: str) -> list[str]:
        found = index.search(parse_query(text))
        assert found is not None
        return sorted(os.path.basename(seeds.by_serial[s].path)[:3] for s in found)

    assert names('"winter olympics"') == ["000"]
    assert names("date:2024") == ["001", "003"]
    assert names("before:2022") == ["002"]
    assert names("sco -putin") == ["002"]
    assert names("is:inferred") == ["004"]


def test_empty_query_means_everything(synthetic_index: SearchIndex) -> None:
    assert synthetic_index.search(parse_query("")) is None
    assert synthetic_index.search(parse_query("  — ")) is None
    assert len(synthetic_index) == 300


def _term(draw: st.DrawFn) -> str:
    kind = draw(
        st.sampled_from(
            ["word", "word", "word", "phrase", "title", "date", "is", "range", "field", "site"]
        )
    )
    word = draw(st.sampled_from(VOCABULARY))
    if draw(st.booleans()):
        cut = word[: draw(st.integers(1, max(1, len(word))))]
        word = cut if tokenise(cut) else word  # "#" alone would be no term at all
    if kind == "word":
        text = word
    elif kind == "phrase":
        second = draw(st.sampled_from(VOCABULARY))
        text = f'"{word} {second[: draw(st.integers(1, len(second)))]}"'
    elif kind == "title":
        text = f"title:{word}"
    elif kind == "field":
        value = draw(st.sampled_from(["smith", "jane", "mul", "o'brien", "山田", "clim", "sco"]))
        text = f"{draw(st.sampled_from(['author', 'tag']))}:{value}"
    elif kind == "site":
        text = "site:" + draw(st.sampled_from(["bbc.co.uk", "co.uk", "bbc.com", "münchen.de"]))
    elif kind == "date":
        field = draw(st.sampled_from(["date", "before", "after"]))
        year = draw(st.integers(2019, 2026))
        value = draw(
            st.sampled_from([f"{year}", f"{year}-{draw(st.integers(1, 12)):02d}", f"{year}-06-15"])
        )
        text = f"{field}:{value}"
    elif kind == "range":
        low, high = sorted([draw(st.integers(2019, 2026)), draw(st.integers(2019, 2026))])
        text = draw(st.sampled_from([f"date:{low}..{high}", f"date:{low}-03..", f"date:..{high}"]))
    else:
        text = "is:" + draw(st.sampled_from(["read", "unread", "flagged", "undated", "inferred"]))
    if draw(st.integers(0, 4)) == 0:
        text = "-" + text
    return text


@st.composite
def queries(draw: st.DrawFn) -> str:
    parts: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        parts.append(_term(draw))
        if draw(st.integers(0, 3)) == 0:
            parts.extend(["OR", _term(draw)])
    return " ".join(parts)


@pytest.mark.heavy
@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=queries())
def test_index_agrees_with_scan(synthetic_index: SearchIndex, text: str) -> None:
    query = parse_query(text)
    assert synthetic_index.search(query, STATE) == scanned(SYNTHETIC, query, STATE)


@pytest.mark.heavy
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(first=queries(), second=queries())
def test_within_narrowing_agrees(synthetic_index: SearchIndex, first: str, second: str) -> None:
    previous = parse_query(first)
    query = parse_query(first + " " + second)
    # Adding terms always narrows, unless read/flag state is involved (it may change).
    assert query.narrows(previous) is not (previous.uses_state() or query.uses_state())
    before = synthetic_index.search(previous, STATE)
    after = synthetic_index.search(query, STATE, within=before)
    assert after == scanned(SYNTHETIC, query, STATE)


@settings(max_examples=60, deadline=None)
@given(
    titles=st.lists(st.text(max_size=30), min_size=1, max_size=6),
    bodies=st.lists(st.text(max_size=200), min_size=1, max_size=6),
    words=st.lists(st.text(min_size=1, max_size=6), min_size=1, max_size=3),
)
def test_arbitrary_text_agrees(titles: list[str], bodies: list[str], words: list[str]) -> None:
    """Any Unicode text is tokenised the same by FTS5 and by the scanner."""
    articles = [
        make_article(i, titles[i % len(titles)], body, None) for i, body in enumerate(bodies)
    ]
    index = SearchIndex()
    index.add(articles)
    candidates = {token for a in articles for token in tokenise(a.title + " " + a.text)}
    texts = [
        f'"{w}"' for w in words if '"' not in w and "“" not in w and "”" not in w and "„" not in w
    ]
    texts += sorted(candidates)[:6] + [t[:2] for t in sorted(candidates)[:3]]
    for text in texts:
        query = parse_query(text)
        assert index.search(query) in (None, scanned(articles, query)), text


_SCRIPTS = st.text(
    st.sampled_from(list("ab c-.’#@+$£€¥東京都京ロンド서울에 2024年月\n\u3099ｶ")) | st.characters(),
    max_size=60,
)


@settings(max_examples=150, deadline=None)
@given(bodies=st.lists(_SCRIPTS, min_size=1, max_size=5), query=_SCRIPTS)
def test_cjk_and_symbols_agree_with_scan(bodies: list[str], query: str) -> None:
    """Han, kana, Hangul, signs and symbol terms: FTS5 and the scanner find the same."""
    articles = [make_article(i, "t", body, None) for i, body in enumerate(bodies)]
    index = SearchIndex()
    index.add(articles)
    tokens = sorted({t for a in articles for t in tokenise(a.text)})
    texts = [query.replace('"', " ")] + tokens[:8] + [t[:1] for t in tokens[:4]]
    texts += [f'"{a} {b}"' for a, b in zip(tokens, tokens[1:], strict=False)][:4]
    for text in texts:
        try:
            parsed = parse_query(text)
        except QueryError:
            continue
        assert index.search(parsed) in (None, scanned(articles, parsed)), text


def test_fts_text_words_are_the_tokens() -> None:
    """FTS5 sees the scanner's words, Han and kana as overlapping pairs, then the symbol
    terms (ASCII signs coded as private-use characters)."""
    sample = "Pakistan’s CAFÉ — naïve “x” a_b Ελλάδα 東京都… iPhone手机 £1bn C++ $5 end."
    # FTS5's ascii tokenizer: every ASCII character but letters, digits and _ separates.
    separators = re.compile(r"[\x00-\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f]")
    assert separators.sub(" ", fts_text(sample)).split() == [
        "pakistan", "s", "cafe", "naive", "x", "a_b", "ελλαδα", "東京", "京都", "都",
        "iphone", "手机", "机", "1bn", "c", "5", "end",
        "c\ue02b\ue02b", "\ue0245", "£1bn",
    ]  # fmt: skip
    assert fts_text("plain ascii text") == "plain ascii text"
    assert fts_text("Café au lait") == "cafe au lait"


def test_cjk_symbols_and_fields_through_the_index() -> None:
    articles = [
        make_article(0, "東京都知事選挙", "選挙は2024年7月7日。", None, "山田太郎"),
        make_article(1, "Deal", "A £1bn deal in C++.", None, url="https://www.bbc.co.uk/n"),
        make_article(2, "Deal", "A $1bn deal in C#.", None, tags=("Climate Change",)),
    ]
    index = SearchIndex()
    index.add(articles)
    expected = {
        "京都": {0}, "都": {0}, "知事選": {0}, "7月": {0}, "£1bn": {1}, "$1bn": {2},
        "1bn": {1, 2}, "c++": {1}, "c#": {2}, "c": {1, 2}, "site:bbc.co.uk": {1},
        "author:山田": {0}, "author:太郎": {0}, "tag:climate": {2}, "-site:bbc.co.uk": {0, 2},
        "tag:climate OR site:co.uk": {1, 2}, "deal -tag:change": {1},
    }  # fmt: skip
    for text, serials in expected.items():
        assert index.search(parse_query(text)) == serials, text


def test_within_excludes_and_grows_with_the_index() -> None:
    index = SearchIndex()
    index.add(SYNTHETIC[:100])
    assert index.search(parse_query("pakistan"), within={0, 1, 2}) <= {0, 1, 2}  # type: ignore[operator]
    query = parse_query("pak")
    first = index.search(query)
    assert first == scanned(SYNTHETIC[:100], query)
    index.add(SYNTHETIC[100:])
    # The set this index returned last is extended with the articles added since.
    assert index.search(parse_query("pakistan"), within=first) == scanned(
        SYNTHETIC, parse_query("pakistan")
    )


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("pak", "pakistan"),  # implied: FTS5's answer is taken as it is
        ("pak russia", "russian pakistan"),  # implied
        ("xi", "xi pak"),  # implied
        ("pak ", "pakistan"),  # a whole word before: not implied by a longer one
        ("pakistan", "pak"),  # wider
        ("pak russia", "pakistan"),  # a word dropped
        ("-russia pak", "pakistan"),  # a negation before: not words alone
    ],
)
def test_an_answer_stays_within_the_last_one(
    synthetic_index: SearchIndex, first: str, second: str
) -> None:
    """Asked within the answer just given, the answer never leaves it, whether or not
    the new words imply the old ones (when they do, it is not intersected again)."""
    before = synthetic_index.search(parse_query(first), STATE)
    assert before is not None and before
    query = parse_query(second)
    after = synthetic_index.search(query, STATE, within=before)
    assert after == before & scanned(SYNTHETIC, query, STATE)


def test_the_last_answer_is_bounded_by_the_articles_searched(
    synthetic_index: SearchIndex,
) -> None:
    """A frozen last answer (no one can add to it) is below the articles searched, so
    the list need not look through it; any other set has no bound."""
    found = synthetic_index.search(parse_query("pakistan"), STATE)
    assert found
    if isinstance(found, frozenset):
        assert synthetic_index.bound_of(found) == len(synthetic_index) > max(found)
    else:
        assert synthetic_index.bound_of(found) is None
    assert synthetic_index.bound_of(frozenset(list(found))) is None  # a copy of it
    synthetic_index.search(parse_query("putin"), STATE)
    assert synthetic_index.bound_of(found) is None  # no longer the last answer


def test_an_answer_among_a_few_limits_the_next(synthetic_index: SearchIndex) -> None:
    """An answer asked among a few articles (the reader's new ones) holds only those:
    a narrower query asked within it stays among them."""
    few = set(range(0, 300, 5))
    before = synthetic_index.search(parse_query("pak"), STATE, within=few)
    assert before is not None and before
    query = parse_query("pakistan")
    after = synthetic_index.search(query, STATE, within=before)
    assert after == before & scanned(SYNTHETIC, query, STATE)
    assert after != scanned(SYNTHETIC, query, STATE)


@pytest.fixture
def fetched(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many rowids each fetch from FTS5 read, in turn."""
    import tui.corpus.index as index_module

    counts: list[int] = []
    rowid_list = index_module.rowid_list

    def counted(joined: str) -> list[int]:
        rows = rowid_list(joined)
        counts.append(len(rows))
        return rows

    monkeypatch.setattr(index_module, "rowid_list", counted)
    return counts


@pytest.mark.skipif(not fts5_available(), reason="needs FTS5")
@pytest.mark.parametrize("shards", [1, 2])
def test_a_letter_most_articles_have_is_found_from_those_that_lack_it(
    shards: int, fetched: list[int]
) -> None:
    """A first letter three in four articles or more have: FTS5 is asked for the rows
    that lack it, and the answer is every article but those. A letter fewer have is
    fetched. Either way the answer is the scan's."""
    index = SearchIndex(shards=shards)
    index.add(SYNTHETIC)
    share = {
        letter: len(scanned(SYNTHETIC, parse_query(letter))) / len(SYNTHETIC)
        for letter in string.ascii_lowercase
    }
    most = [letter for letter, part in share.items() if 0.75 <= part < 1]
    fewer = [letter for letter, part in share.items() if 0 < part < 0.75]
    assert most and fewer
    for letter in most + fewer:
        fetched.clear()
        query = parse_query(letter)
        expected = scanned(SYNTHETIC, query)
        assert index.search(query) == expected, letter
        lacking = len(SYNTHETIC) - len(expected)
        assert sum(fetched) == (lacking if letter in most else len(expected)), letter


@pytest.mark.skipif(not fts5_available(), reason="needs FTS5")
def test_broad_letters_count_the_rows_once_not_each_letters(
    monkeypatch: pytest.MonkeyPatch, fetched: list[int]
) -> None:
    """Whether each article is one row is counted once, until more are registered;
    each broad letter after that counts only its sample before fetching the rows that
    lack it (its own whole count was ~30 ms of ~100 at a million)."""
    import tui.corpus.index as index_module

    counted: list[tuple[str, int]] = []
    count = index_module._count

    def noted(sources: Any, expression: str, below: int = -1) -> int:
        counted.append((expression, below))
        return count(sources, expression, below)

    monkeypatch.setattr(index_module, "_count", noted)
    index = SearchIndex(shards=2)
    index.add(SYNTHETIC[:200])
    share = {
        letter: len(scanned(SYNTHETIC[:200], parse_query(letter))) / 200
        for letter in string.ascii_lowercase
    }
    most = [letter for letter, part in share.items() if 0.75 <= part < 1]
    assert len(most) >= 2
    every_row = f'"{index_module.EVERY_ROW}"'
    for turn, letter in enumerate(most):
        counted.clear()
        fetched.clear()
        query = parse_query(letter)
        assert index.search(query) == scanned(SYNTHETIC[:200], query), letter
        whole = [expression for expression, below in counted if below < 0]
        assert whole == ([every_row] if turn == 0 else []), letter
        assert sum(fetched) == 200 - len(scanned(SYNTHETIC[:200], query)), letter
    index.add(SYNTHETIC[200:])  # registered since: counted again
    counted.clear()
    query = parse_query(most[0])
    assert index.search(query) == scanned(SYNTHETIC, query)
    assert [expression for expression, below in counted if below < 0] == [every_row]


@pytest.mark.skipif(not fts5_available(), reason="needs FTS5")
def test_a_search_while_a_reopen_reads_finds_what_is_registered() -> None:
    """A re-open registers the store's rows a batch at a time: a search meanwhile
    answers with the articles registered, notes the rows it found that are not (read
    next), and a narrower query after more are registered finds them too."""
    articles = SYNTHETIC[:120]
    connection = sqlite3.connect(":memory:", check_same_thread=False)
    for shard in (0, 1):
        for table in ("words", "titles"):
            connection.execute(_TABLE_SQL.format(name=f"{table}_{shard}"))
    for row, article in enumerate(articles):
        text = prepare(article)
        connection.execute(
            f"INSERT INTO words_{row % 2}(rowid, text) VALUES (?, ?)", (row, fts_texts(text)[1])
        )
    index = SearchIndex(shards=1)
    index.register_stored(
        [(connection, 0), (connection, 1)], articles[:50], [True] * 50, list(range(50))
    )
    query = parse_query("pak")
    first = index.search(query)
    assert first == scanned(articles[:50], query)
    assert index.take_unread_hits() == sorted(
        serial for serial in scanned(articles, query) if serial >= 50
    )
    index.register_stored(
        [(connection, 0), (connection, 1)], articles[50:], [True] * 70, list(range(50, 120))
    )
    narrower = parse_query("pakistan")
    assert index.search(narrower, within=first) == scanned(articles, narrower)


def test_results_are_fresh_sets_or_shared_frozen_ones(synthetic_index: SearchIndex) -> None:
    """A remembered answer is handed over as it is, a frozenset no one can change (a
    first letter's million serials were copied on every keystroke); any other answer is
    the caller's own set, and changing it changes no later answer."""
    for text in ("pak", "pak -russia", "pak OR xi", "@bbc"):
        one = synthetic_index.search(parse_query(text))
        assert one is not None and one
        again = synthetic_index.search(parse_query(text))
        assert again == one
        if isinstance(one, frozenset):
            continue
        assert again is not one
        one.clear()
        assert synthetic_index.search(parse_query(text)) == again
    if synthetic_index.backend == "fts5":
        # One word's answer is remembered: the same object, not a copy.
        first = synthetic_index.search(parse_query("russia"))
        assert isinstance(first, frozenset)
        assert synthetic_index.search(parse_query("russia")) is first


def test_matches_are_the_articles_own_serials(synthetic_index: SearchIndex) -> None:
    """A search's matches are the articles' own int objects, not ints made afresh from
    rowids or a range: a first letter's million matches would hold 28 MB more each
    time a set of them is held. (Bits, for most articles or many, hold no ints.)"""
    checked = 0
    for text in ("p", "pak", "the", "t", "russia"):
        found = synthetic_index.search(parse_query(text))
        assert found is not None
        if isinstance(found, Bits):
            continue
        checked += 1
        large = [serial for serial in found if serial > 256]  # smaller ints are shared anyway
        assert large, text
        assert all(serial is SYNTHETIC[serial].serial for serial in large), text
    assert checked >= 3


def test_serials_must_be_contiguous() -> None:
    index = SearchIndex()
    with pytest.raises(ValueError):
        index.add(SYNTHETIC[5:6])
    index.add(SYNTHETIC[:3])
    with pytest.raises(ValueError):
        index.add([SYNTHETIC[3], SYNTHETIC[5]])
    assert len(index) == 3


@pytest.mark.parametrize("shards", [1, 2])
def test_search_while_adding_from_another_thread(shards: int) -> None:
    index = SearchIndex(shards=shards)
    index.chunk_size = 4
    done = threading.Event()

    def load() -> None:
        for start in range(0, 300, 10):
            index.add(SYNTHETIC[start : start + 10])
        done.set()

    worker = threading.Thread(target=load)
    worker.start()
    query = parse_query("pak -xi")
    while not done.is_set():
        found = index.search(query)
        assert found is not None and all(0 <= s < 300 for s in found)
    worker.join()
    assert index.search(query) == scanned(SYNTHETIC, query)


def test_shards_in_files_hold_the_index_on_disk_and_leave_no_file(tmp_path: Path) -> None:
    index = SearchIndex(backend="fts5", shards=2, folder=str(tmp_path))
    index.add(SYNTHETIC)
    files = [shard.execute("PRAGMA database_list").fetchone()[2] for shard in index._shards]
    assert all(name.startswith(str(tmp_path)) for name in files)
    assert list(tmp_path.iterdir()) == []  # gone from the folder once open
    memory = SearchIndex(backend="fts5", shards=2)
    memory.add(SYNTHETIC)
    for text in ("pakistan", "pa*", '"prime minister"', "-russia", "title:sco", "東京", "£1bn"):
        query = parse_query(text)
        assert index.search(query, STATE) == memory.search(query, STATE), text


def test_shards_are_in_memory_when_their_folder_cannot_take_files(tmp_path: Path) -> None:
    index = SearchIndex(backend="fts5", shards=2, folder=str(tmp_path / "missing"))
    index.add(SYNTHETIC)
    assert index.backend == "fts5"
    assert [shard.execute("PRAGMA database_list").fetchone()[2] for shard in index._shards] == [
        "",
        "",
    ]
    query = parse_query("pakistan OR 京都")
    assert index.search(query, STATE) == scanned(SYNTHETIC, query, STATE) != set()


def test_index_module_does_not_import_textual() -> None:
    import subprocess
    import sys

    code = "import sys, tui.corpus.index, tui.corpus.query; print('textual' in sys.modules)"
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert output.stdout.strip() == "False"


def test_each_shard_is_asked_on_a_thread_of_its_own_and_a_failure_waits_for_all(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Shards are asked at once (SQLite lets the GIL go): the second call runs while
    the first does, on another thread; when one fails, the others end before the
    error reaches the caller, so no query is left running on a connection."""
    from tui.corpus import index as index_module

    monkeypatch.setattr(index_module, "_SHARD_WORKERS", 1)
    both_running = threading.Barrier(2, timeout=5)
    threads: list[int] = []

    def call(value: int) -> int:
        threads.append(threading.get_ident())
        both_running.wait()  # each waits for the other: they must run at once
        return value

    assert index_module.each_at_once([lambda: call(1), lambda: call(2)]) == [1, 2]
    assert len(set(threads)) == 2
    assert threading.get_ident() in threads  # the first ran on the caller's thread

    ended: list[str] = []

    def slow() -> str:
        both_running.reset()
        threading.Event().wait(0.2)
        ended.append("slow")
        return "slow"

    def failing() -> str:
        raise sqlite3.OperationalError("database is locked")

    with pytest.raises(sqlite3.OperationalError):
        index_module.each_at_once([failing, slow])
    assert ended == ["slow"]
    monkeypatch.setattr(index_module, "_SHARD_WORKERS", 0)
    threads.clear()
    assert index_module.each_at_once([lambda: threads.append(threading.get_ident())] * 2)
    assert set(threads) == {threading.get_ident()}  # one core: one after the other
