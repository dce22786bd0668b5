"""The search index agrees with scanning (``Query.matches``) on every query it is asked."""

from __future__ import annotations

import os
import random
import re
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.corpus import load_corpus
from tui.corpus.dates import ArticleDate
from tui.corpus.index import SearchIndex, fts5_available, fts_text
from tui.corpus.model import Article, Corpus, default_corpus_path
from tui.corpus.query import Query, parse_query, tokenise

BACKENDS = ["fts5", "scan"] if fts5_available() else ["scan"]
CONFIGURATIONS = [("fts5", 1), ("fts5", 2), ("scan", 1)] if fts5_available() else [("scan", 1)]
"""Backend and shard count: two shards are filled in parallel and queried together."""

VOCABULARY = [
    "pakistan", "pak", "russia", "russian", "putin", "xi", "sco", "prime", "minister",
    "café", "Cafe", "naïve", "straße", "STRASSE", "ﬁnance", "trade", "zanzibarite", "or",
    "the", "of", "10", "30", "a_b", "Ελλάδα", "ελλαδα", "日本",
]  # fmt: skip
PUNCTUATION = [" ", " ", " ", ", ", ". ", "\n", "’s ", " — ", "-", ":", " “", "” ", "…"]


class FakeState:
    def __init__(self, read: set[str], flagged: set[str]) -> None:
        self.read, self.flagged = read, flagged

    def is_read(self, key: str) -> bool:
        return key in self.read

    def is_flagged(self, key: str) -> bool:
        return key in self.flagged


def make_article(serial: int, title: str, body: str, date: ArticleDate | None) -> Article:
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
        author=None,
        words=len(body.split()),
        body=body.encode("utf-8", "surrogatepass"),
        serial=serial,
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
            make_article(serial, text(rng.randint(1, 6)), text(rng.randint(0, 40)), date)
        )
    return articles


SYNTHETIC = synthetic(300)
STATE = FakeState({f"key{i}" for i in range(0, 300, 3)}, {f"key{i}" for i in range(0, 300, 7)})


@pytest.fixture(scope="module", params=CONFIGURATIONS, ids=lambda c: f"{c[0]}-{c[1]}")
def synthetic_index(request: pytest.FixtureRequest) -> SearchIndex:
    backend, shards = request.param
    index = SearchIndex(backend=backend, shards=shards)
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
    kind = draw(st.sampled_from(["word", "word", "word", "phrase", "title", "date", "is", "range"]))
    word = draw(st.sampled_from(VOCABULARY))
    if draw(st.booleans()):
        word = word[: draw(st.integers(1, max(1, len(word))))]
    if kind == "word":
        text = word
    elif kind == "phrase":
        second = draw(st.sampled_from(VOCABULARY))
        text = f'"{word} {second[: draw(st.integers(1, len(second)))]}"'
    elif kind == "title":
        text = f"title:{word}"
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


@settings(
    max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=queries())
def test_index_agrees_with_scan(synthetic_index: SearchIndex, text: str) -> None:
    query = parse_query(text)
    assert synthetic_index.search(query, STATE) == scanned(SYNTHETIC, query, STATE)


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


def test_fts_text_words_are_the_tokens() -> None:
    sample = "Pakistan’s CAFÉ — naïve “x” a_b Ελλάδα 日本… end."
    # FTS5's ascii tokenizer: every ASCII character but letters, digits and _ separates.
    separators = re.compile(r"[\x00-\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f]")
    assert separators.sub(" ", fts_text(sample)).lower().split() == tokenise(sample)


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


def test_results_are_fresh_sets(synthetic_index: SearchIndex) -> None:
    one = synthetic_index.search(parse_query("pak"))
    assert one is not None
    one.clear()
    assert synthetic_index.search(parse_query("pak"))


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


def test_index_module_does_not_import_textual() -> None:
    import subprocess
    import sys

    code = "import sys, tui.corpus.index, tui.corpus.query; print('textual' in sys.modules)"
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert output.stdout.strip() == "False"
