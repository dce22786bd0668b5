"""The parallel loader agrees with the sequential one, article for article, in order.

``load_batches`` parses in worker processes; ``iter_corpus`` in this one. Whatever the
scheduling, both must give the same items in the same order (so de-duplication picks
the same primary file), report the same skipped files, and the index's prepared text
must be what the index would compute itself. No test here times anything.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import random
import re
import shutil
from array import array
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.make_corpus import make_corpus
from tui.corpus import model as model_module
from tui.corpus.dates import ArticleDate
from tui.corpus.files import Skipped
from tui.corpus.index import (
    BackgroundIndexer,
    IndexText,
    SearchIndex,
    fold_body,
    fold_text,
    prepare,
)
from tui.corpus.loader import (
    LoadBatch,
    _malloc_trim,
    collector_paused,
    load_batches,
    release_free_memory,
)
from tui.corpus.model import (
    ID_LENGTH,
    Article,
    Corpus,
    _hinted_run,
    _merged,
    _order_key,
    iter_corpus,
    load_corpus,
    sort_key,
)
from tui.corpus.query import date_span, parse_query

from .test_index import STATE, SYNTHETIC, scanned

SMALL_POOL: dict[str, Any] = {
    "pool_threshold": 40,
    "chunk_size": 16,
    "first_batch": 8,
    "batch_size": 48,
    "parse_while_starting": False,
}
"""Forces the process pool on a few hundred files, with many chunks and batches (else
this process would parse them all before the pool had started)."""


def describe(item: Article | Skipped) -> tuple[object, ...]:
    """Everything observable about an item, so two loads can be compared exactly."""
    if isinstance(item, Skipped):
        return ("skipped", item.path, item.reason)
    return (
        "article", item.key, item.id, item.path, item.title, item.title_source, item.date,
        item.date_text, item.date_line, item.source, item.author, item.words, item.body,
        item.encoding, tuple(item.warnings),
    )  # fmt: skip


def same_words(a: str, b: str) -> bool:
    """The same words with the same boundaries: what FTS5 and the scan regexes see
    (a run of punctuation may fold to one space or to several)."""
    return NON_WORDS.sub(" ", a) == NON_WORDS.sub(" ", b)


NON_WORDS = re.compile(r"\W+")


def flatten(batches: list[LoadBatch]) -> list[Article | Skipped]:
    return [item for batch in batches for item in batch.items]


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """~300 generated articles, plus duplicates and files that must be skipped."""
    root = tmp_path_factory.mktemp("corpus")
    make_corpus(300, str(root), seed=7)
    files = sorted(root.rglob("*.txt"))
    extra = root / "zz-extra"
    extra.mkdir()
    for number, source in enumerate(files[::37]):  # the same text under other names
        shutil.copy(source, extra / f"copy-{number}.txt")
    shutil.copy(files[5], root / "aa-first-copy.txt")  # a duplicate met before its twin
    (extra / "empty.txt").write_bytes(b"")
    (extra / "binary.md").write_bytes(b"\x00\x01\x02binary")
    (extra / "blank.txt").write_text("   \n\n")
    (extra / "ignored.csv").write_text("a,b\n")
    return root


@pytest.fixture(scope="module")
def reference(corpus_dir: Path) -> list[Article | Skipped]:
    return list(iter_corpus([str(corpus_dir)]))


def test_pool_path_gives_the_same_items_in_the_same_order(
    corpus_dir: Path, reference: list[Article | Skipped]
) -> None:
    batches = list(load_batches([str(corpus_dir)], workers=2, **SMALL_POOL))
    assert [describe(item) for item in flatten(batches)] == [describe(i) for i in reference]
    assert any(batch.workers for batch in batches), "the pool was never used"
    assert len(batches[0].items) == SMALL_POOL["first_batch"]
    # Progress counts every file found, read or skipped, and ends at the total.
    counts = [batch.files_read for batch in batches]
    assert counts == sorted(counts) and counts[-1] == len(reference)


def test_skipped_files_are_reported_in_order(
    corpus_dir: Path, reference: list[Article | Skipped]
) -> None:
    items = flatten(list(load_batches([str(corpus_dir)], workers=2, **SMALL_POOL)))
    skipped = [item for item in items if isinstance(item, Skipped)]
    assert [(s.path, s.reason) for s in skipped] == [
        (s.path, s.reason) for s in reference if isinstance(s, Skipped)
    ]
    assert {os.path.basename(s.path) for s in skipped} == {"empty.txt", "binary.md", "blank.txt"}


def test_duplicates_resolve_as_the_sequential_load_does(corpus_dir: Path) -> None:
    expected = load_corpus([str(corpus_dir)])
    corpus = Corpus("parallel")
    for batch in load_batches([str(corpus_dir)], workers=2, **SMALL_POOL):
        corpus.add(batch.items)
    assert [(a.path, a.serial, a.duplicates) for a in corpus.by_serial] == [
        (a.path, a.serial, a.duplicates) for a in expected.by_serial
    ]
    assert any(a.duplicates for a in corpus.by_serial)
    first = corpus.find(str(corpus_dir / "aa-first-copy.txt"))
    assert first is not None and first.path.endswith("aa-first-copy.txt")  # met first: primary
    assert corpus.serials("newest") == expected.serials("newest")
    assert corpus.serials("oldest") == expected.serials("oldest")


@pytest.mark.parametrize("options", [{"workers": 1}, {"workers": 2}, {"start_method": "nope"}])
def test_in_process_paths_agree(
    corpus_dir: Path, reference: list[Article | Skipped], options: dict[str, object]
) -> None:
    """One worker, the default threshold (300 files: pool), and a pool that cannot start."""
    batches = list(load_batches([str(corpus_dir)], **options))  # type: ignore[arg-type]
    assert [describe(item) for item in flatten(batches)] == [describe(i) for i in reference]
    if options.get("workers") == 1 or "start_method" in options:
        assert not any(batch.workers for batch in batches)


def test_seeds_load_in_process_and_agree(in_repo: Path) -> None:
    batches = list(load_batches(["seeds"]))
    assert len(batches) == 1 and batches[0].workers == 0  # 5 files: no pool
    assert [describe(item) for item in flatten(batches)] == [
        describe(item) for item in iter_corpus(["seeds"])
    ]


def test_paths_are_relative_to_the_working_folder_in_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers read and show paths as this process would (relative to its folder), even
    when it changed folder after the pool's server started."""
    make_corpus(60, str(tmp_path / "rel"), seed=3)
    monkeypatch.chdir(tmp_path)
    batches = list(load_batches(["rel"], workers=2, **{**SMALL_POOL, "pool_threshold": 10}))
    assert any(batch.workers for batch in batches)
    assert [describe(item) for item in flatten(batches)] == [
        describe(item) for item in iter_corpus(["rel"])
    ]
    assert all(item.path.startswith("rel" + os.sep) for item in flatten(batches))


def test_prepared_texts_are_what_the_index_computes(corpus_dir: Path) -> None:
    corpus = Corpus("x")
    for batch in load_batches([str(corpus_dir)], workers=2, **SMALL_POOL):
        added = corpus.add(batch.items)
        texts = batch.texts_for(added)
        assert texts == [prepare(article) for article in added]
        for article, text in zip(added, texts, strict=True):
            assert same_words(text.body, fold_text(article.text))
            assert text.title == fold_text(article.title)


def test_without_texts(corpus_dir: Path) -> None:
    batch = next(iter(load_batches([str(corpus_dir)], with_texts=False)))
    assert batch.texts == [None] * len(batch.items)
    articles = [item for item in batch.items if isinstance(item, Article)]
    with pytest.raises(ValueError):
        batch.texts_for(articles)


def test_first_batch_without_texts(corpus_dir: Path) -> None:
    batches = list(load_batches([str(corpus_dir)], first_batch=8, first_with_texts=False))
    first, rest = batches[0], batches[1:]
    assert len(first.items) == 8 and first.texts == [None] * 8
    assert rest and all(
        (text is None) == isinstance(item, Skipped)
        for batch in rest
        for item, text in zip(batch.items, batch.texts, strict=True)
    )


def test_closing_early_stops_cleanly(corpus_dir: Path) -> None:
    batches = load_batches([str(corpus_dir)], workers=2, **SMALL_POOL)
    first = next(batches)
    second = next(batches)
    batches.close()
    assert first.items and second.items


# ---------------------------------------------------------------- folding for the index

TEXT = st.text(
    st.characters(blacklist_categories=["Cs"])
    | st.sampled_from(list("éÉøŁłß’“”—…\u00a0\u0301ﬁİΣς日本Ελλάδα")),
    max_size=80,
)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_fold_body_is_fold_text(text: str) -> None:
    """The fast, per-character fold equals normalising the whole text (up to how many
    spaces a run of punctuation becomes)."""
    body = text.encode("utf-8", "surrogatepass")
    folded, plain = fold_body(body)
    assert same_words(folded, fold_text(text))
    stripped = body
    for char in "\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u00a0":
        stripped = stripped.replace(char.encode(), b" ")
    assert plain == stripped.isascii()


# ------------------------------------------------------------ staged (scanned) articles


@pytest.mark.parametrize("indexed", [0, 120, 299])
def test_staged_articles_are_found_by_scanning(indexed: int) -> None:
    """Articles staged but not yet in FTS5 are scanned: the answer is the same."""
    index = SearchIndex()
    index.add(SYNTHETIC[:indexed])
    index.stage(SYNTHETIC[indexed:], [prepare(a) for a in SYNTHETIC[indexed:]])
    assert len(index) == len(SYNTHETIC) and index.staged == len(SYNTHETIC) - indexed
    for text in ["pak", '"prime min"', "sco -putin", "title:xi", "café", "date:2022", "is:read"]:
        query = parse_query(text)
        assert index.search(query, STATE) == scanned(SYNTHETIC, query, STATE), text
    previous = index.search(parse_query("pak"))
    assert previous is not None
    narrowed = index.search(parse_query("paki"), within=previous)
    assert narrowed == scanned(SYNTHETIC, parse_query("paki"))
    index.index_staged()
    assert index.staged == 0
    assert index.search(parse_query("pak -xi")) == scanned(SYNTHETIC, parse_query("pak -xi"))


def test_background_indexer_catches_up() -> None:
    index = SearchIndex()
    index.chunk_size = 8
    indexer = BackgroundIndexer(index, max_staged=16)
    query = parse_query("russia OR putin")
    for start in range(0, len(SYNTHETIC), 25):
        batch = SYNTHETIC[start : start + 25]
        indexer.put(batch, [prepare(article) for article in batch])
        assert index.search(query) == scanned(SYNTHETIC[: start + len(batch)], query)
    indexer.close()
    assert index.staged == 0
    assert index.search(query) == scanned(SYNTHETIC, query)


def test_stage_checks_serials_and_texts() -> None:
    index = SearchIndex()
    with pytest.raises(ValueError):
        index.stage(SYNTHETIC[1:2], [prepare(SYNTHETIC[1])])
    with pytest.raises(ValueError):
        index.stage(SYNTHETIC[:2], [prepare(SYNTHETIC[0])])
    assert len(index) == 0


def test_index_text_is_a_plain_tuple() -> None:
    text = prepare(SYNTHETIC[0])
    assert isinstance(text, IndexText) and isinstance(text.plain, bool)


# ----------------------------------------------------------------- the corpus's orders


def _random_articles(
    rng: random.Random,
    count: int,
    start: int = 0,
    *,
    years: tuple[int, int] = (2018, 2021),
    days: int = 3,
    folders: int = 9,
) -> list[Article]:
    """Articles with dates of every precision, some undated, some inferred; few
    *days* and *folders* make many share a day, so the path decides."""
    articles = []
    for serial in range(start, start + count):
        roll = rng.random()
        date = (
            None
            if roll < 0.1
            else ArticleDate(
                rng.randint(*years),
                rng.randint(1, 12) if roll < 0.8 else None,
                rng.randint(1, days) if roll < 0.5 else None,
                "inferred" if roll > 0.9 else "stated",
            )
        )
        articles.append(Article(
            key=f"k{serial}", id=f"i{serial}", path=f"p/{rng.randint(0, folders):03d}-{serial}.txt",
            title="t", title_source="header", date=date, date_text=None, date_line=None,
            source=None, author=None, words=1, body=b"x",
        ))  # fmt: skip
    return articles


def _keyed(key: str, path: str) -> Article:
    return Article(
        key=key, id=key[:ID_LENGTH], path=path, title="t", title_source="header",
        date=None, date_text=None, date_line=None, source=None, author=None, words=1,
        body=b"x",
    )  # fmt: skip


def test_keys_sharing_an_id_are_found_by_key_and_id_before_and_after_a_removal() -> None:
    """by_key looks in the ids first: texts whose keys begin alike (longer ids) and a
    removal of the one holding the short id must not hide the others, nor let a
    repeat of one of them in as a new article."""
    shared = "abcdef0123"
    first, second, third = (shared + tail for tail in ("11" * 11, "22" * 11, "23" * 11))
    corpus = Corpus("x")
    added = corpus.add([_keyed(first, "a.txt"), _keyed(second, "b.txt"), _keyed(third, "c.txt")])
    assert [a.id for a in added] == [shared, shared + "22", shared + "23"]
    for article in added:
        assert corpus.by_key(article.key) is article
        assert corpus.find(article.id) is article
    assert corpus.by_key(shared + "99" * 11) is None
    corpus.remove(["a.txt"])
    assert corpus.by_key(first) is None and corpus.find(shared) is None
    assert corpus.by_key(second) is added[1] and corpus.by_key(third) is added[2]
    assert corpus.add([_keyed(third, "c-copy.txt")]) == []  # a repeat: a duplicate
    assert added[2].duplicates == ("c-copy.txt",)
    again = corpus.add([_keyed(first, "a.txt")])  # back: the short id is free again
    assert [a.id for a in again] == [shared] and corpus.by_key(first) is again[0]
    corpus.remove(["c.txt"])
    assert corpus.by_key(third) is None and corpus.by_key(second) is added[1]


def test_orders_merged_batch_by_batch_equal_a_full_sort_and_select_matches() -> None:
    rng = random.Random(5)
    articles = _random_articles(rng, 400, years=(1990, 2030), days=28, folders=50)
    corpus = Corpus("x")
    corpus.serials("oldest")  # an order asked for early catches up later
    start = 0
    while start < len(articles):
        size = rng.choice([1, 3, 17, 64])
        corpus.add(articles[start : start + size])
        start = min(start + size, len(articles))
        assert len(corpus) == start
        for order in ("newest", "oldest"):
            expected = sorted(articles[:start], key=lambda a: sort_key(a, order))  # noqa: B023
            assert corpus.ordered(order) == expected
            assert corpus.serials(order) == [a.serial for a in expected]
            # A search's matches in display order: few (sorted by position) or many
            # (filtered out of the order), with serials the corpus does not have yet.
            for share in (0.02, 0.5, 1.0):
                subset = {serial for serial in range(start + 5) if rng.random() < share}
                want = [a.serial for a in expected if a.serial in subset]
                assert corpus.in_order(subset, order) == want
        # The header's span: stated dates only (an inferred year is a guess).
        dated = [a for a in corpus.articles if a.date is not None and not a.date.inferred]
        span = corpus.date_span()
        assert span == ((dated[-1].date, dated[0].date) if dated else None)


@settings(max_examples=80, deadline=None)
@given(
    seed=st.integers(0, 2**16),
    sizes=st.lists(st.integers(1, 120), min_size=1, max_size=5),
    hints=st.lists(
        st.sampled_from(
            ["right", "shuffled", "reversed", "repeat", "short", "outside", "negative"]
        ),
        min_size=5,
        max_size=5,
    ),
)
def test_a_batch_placed_by_a_hint_is_in_the_order_a_full_sort_gives(
    seed: int, sizes: list[int], hints: list[str]
) -> None:
    """A re-open hands its rows over with their positions in the list as the store's
    index keeps them (``in_order``): the order takes them in that order, then sorts,
    one pass when the hint is right. A hint that is wrong in any way (not the order,
    a position twice, too short, out of range, negative) must still give the true
    order."""
    rng = random.Random(seed)
    corpus = Corpus("x")
    added: list[Article] = []
    for size, hint in zip(sizes, hints, strict=False):
        batch = _random_articles(rng, size, len(added))
        truth = sorted(range(size), key=lambda i: sort_key(batch[i]))  # noqa: B023
        in_order = {
            "right": truth,
            "shuffled": rng.sample(range(size), size),
            "reversed": truth[::-1],
            "repeat": [truth[0], *truth[:-1]],
            "short": truth[:-1],
            "outside": [*truth[:-1], size + 3],
            "negative": [*truth[:-1], -1 - truth[-1]],  # the last one, counted from the end
        }[hint]
        corpus.add(batch, in_order=in_order)
        added += batch
        expected = sorted(added, key=sort_key)
        assert corpus.serials() == [article.serial for article in expected], hint
        assert corpus.ordered("oldest") == sorted(added, key=lambda a: sort_key(a, "oldest"))


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**16),
    sizes=st.lists(st.integers(0, 150), min_size=1, max_size=4),
    removals=st.integers(0, 10),
)
def test_the_oldest_order_asked_for_late_is_the_newest_read_backwards_by_day(
    seed: int, sizes: list[int], removals: int
) -> None:
    """The first ``s`` makes the oldest-first order from the newest one's keys, day by
    day backwards, reading no article: it must be the order a full sort gives, with
    ties on a day (decided by the path), undated and removed articles, and stay so as
    articles come and go afterwards."""
    rng = random.Random(seed)
    corpus = Corpus("x")
    for size in sizes:
        corpus.add(_random_articles(rng, size, len(corpus.by_serial)))
    everything = list(corpus.by_serial)
    gone = rng.sample(everything, min(removals, len(everything)))
    corpus.remove([article.path for article in gone])
    kept = [article for article in everything if article not in gone]
    made = []
    original = model_module._order_key
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(model_module, "_order_key", lambda *a: made.append(a) or original(*a))
        oldest = corpus.ordered("oldest")
    assert made == []  # no article read for its key
    assert oldest == sorted(kept, key=lambda a: sort_key(a, "oldest"))
    later = _random_articles(rng, 30, len(corpus.by_serial))
    corpus.add(later)
    corpus.remove([later[0].path])
    kept += later[1:]
    assert corpus.ordered("oldest") == sorted(kept, key=lambda a: sort_key(a, "oldest"))
    assert corpus.ordered("newest") == sorted(kept, key=sort_key)


def test_a_hinted_batch_leaves_out_the_articles_removed_before_it_was_placed() -> None:
    rng = random.Random(3)
    batch = _random_articles(rng, 50)
    for serial, article in enumerate(batch):
        article.serial = serial
    truth = sorted(range(50), key=lambda i: sort_key(batch[i]))
    removed = {4, 9, 30}
    run = _hinted_run(batch, "newest", removed, truth)
    assert run is not None
    codes, serials = run
    assert serials == [i for i in truth if i not in removed]
    assert list(codes) == [_order_key(batch[i], "newest")[0] for i in serials]
    assert _hinted_run(batch, "newest", removed, [*truth[:-1], truth[0]]) is None
    # Every position once, but not the order: the caller sorts then.
    swapped = list(truth)
    first, second = (truth.index(i) for i in serials[:2])
    swapped[first], swapped[second] = swapped[second], swapped[first]
    assert _hinted_run(batch, "newest", removed, swapped) is None


def test_an_order_holds_the_articles_own_serials() -> None:
    """The serials an order keeps are the articles' own int objects, however their
    batch came (a million made afresh held 30 MB more)."""
    rng = random.Random(8)
    corpus = Corpus("x")
    first = _random_articles(rng, 300)
    corpus.add(first)
    second = _random_articles(rng, 300, 300)
    truth = sorted(range(300), key=lambda i: sort_key(second[i]))
    corpus.add(second, in_order=truth)  # a re-open's hinted batch
    corpus.serials("oldest")
    corpus.remove([first[5].path, second[7].path])
    for order in ("newest", "oldest"):
        serials = corpus.serials(order)  # type: ignore[arg-type]
        assert len(serials) == 598
        assert all(serial is corpus.by_serial[serial].serial for serial in serials)


@settings(max_examples=150, deadline=None)
@given(
    old=st.sets(st.integers(0, 400), max_size=120),
    fresh=st.sets(st.integers(0, 400), min_size=1, max_size=120),
    days=st.integers(1, 40),
    paths=st.integers(1, 4),
)
def test_merging_two_sorted_runs_gives_one_sorted_run(
    old: set[int], fresh: set[int], days: int, paths: int
) -> None:
    """Either side may be the shorter one that is walked key by key; a day's articles
    are placed among each other by path, then serial."""
    fresh -= old  # a serial is never in both
    if not fresh:
        return
    rng = random.Random(len(old) * 1000 + len(fresh))
    by_serial = [
        SimpleNamespace(path=f"p{rng.randrange(paths)}", serial=serial, code=serial % days)
        for serial in range(401)
    ]

    def run(serials: set[int]) -> tuple[array[int], list[int]]:
        ordered = sorted(serials, key=lambda s: (by_serial[s].code, by_serial[s].path, s))
        return array("q", [by_serial[s].code for s in ordered]), ordered

    codes, serials = _merged(run(old), run(fresh), by_serial)  # type: ignore[arg-type]
    want_codes, want_serials = run(old | fresh)
    assert serials == want_serials
    assert codes == want_codes


def test_a_date_span_is_worked_out_once_per_date_object() -> None:
    """Stored articles share one object per date; each span is remembered by it."""
    date = ArticleDate(2024, 2)
    assert date_span(date) == (dt.date(2024, 2, 1).toordinal(), dt.date(2024, 2, 29).toordinal())
    assert date_span(date) is date_span(date)
    twin = ArticleDate(2024, 2)
    assert date_span(twin) == date_span(date)
    assert date_span(ArticleDate(2023, 2, 30)) is None  # no such day: no span
    assert date_span(ArticleDate(2023)) == (
        dt.date(2023, 1, 1).toordinal(),
        dt.date(2023, 12, 31).toordinal(),
    )


def test_collector_paused_restores_the_collector() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_pool_starts_when_stderr_has_no_file_descriptor(tmp_path: Path) -> None:
    """Inside a Textual app ``sys.stderr`` is a print capture whose ``fileno()`` is -1;
    multiprocessing's resource tracker used to fail on it, and the pool with it. A fresh
    process, so that no tracker is running yet."""
    import subprocess
    import sys

    make_corpus(40, str(tmp_path / "c"), seed=5)
    code = (
        "import sys, io\n"
        "from tui.corpus.loader import load_batches\n"
        "class Capture(io.StringIO):\n"
        "    def fileno(self): return -1\n"
        "if __name__ == '__main__':\n"
        "    sys.stderr = Capture()\n"
        f"    batches = list(load_batches([{str(tmp_path / 'c')!r}], workers=2, pool_threshold=5,"
        " first_batch=4, chunk_size=4, parse_while_starting=False))\n"
        "    print(sum(len(b.items) for b in batches), any(b.workers for b in batches))\n"
    )
    script = tmp_path / "run.py"
    script.write_text(code)
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.split() == ["40", "True"], result.stderr


def _resident_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


@pytest.mark.skipif(_malloc_trim() is None, reason="no glibc malloc_trim here")
def test_memory_freed_among_live_blocks_goes_back_to_the_system() -> None:
    # Blocks of 2 KB come from glibc (Python keeps only small ones itself); keeping one
    # in ten alive leaves the freed ones among them, where free() alone returns nothing.
    blocks = [bytes(2048) for _ in range(60_000)]
    kept = blocks[::10]
    del blocks
    before = _resident_kib()
    release_free_memory()
    after = _resident_kib()
    assert before - after > 50 * 1024, (before, after)
    assert len(kept) == 6_000
