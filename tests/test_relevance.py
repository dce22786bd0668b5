"""Relevance (issue 15, items 3-5), without a terminal: the ranking, snippets, related
articles, names and facets."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tui.corpus import Article
from tui.corpus.facets import FacetIndex, term_for
from tui.corpus.index import prepare, relevance_row
from tui.corpus.names import names_in
from tui.corpus.query import parse_query
from tui.corpus.relevance import (
    RelevanceTable,
    distinctive_words,
    rank,
    ranking_expression,
    share,
)
from tui.corpus.session import CorpusSession
from tui.corpus.snippets import snippet

from .conftest import OLD_MTIME
from .test_index import make_article


def _article(
    serial: int,
    title: str,
    body: str,
    *,
    author: str | None = None,
    url: str | None = None,
    tags: tuple[str, ...] = (),
) -> Article:
    return make_article(serial, title, body, None, author=author, url=url, tags=tags)


def _table(articles: list[Article]) -> RelevanceTable:
    table = RelevanceTable.temporary()
    table.insert([relevance_row(a.serial, a, prepare(a)) for a in articles])
    return table


# --- what is ranked ------------------------------------------------------------------


def test_the_ranking_asks_for_the_positive_words_and_phrases_only() -> None:
    # A bare word is a prefix (the list narrows as it is typed); a quoted phrase is not.
    assert ranking_expression(parse_query("pakistan -russia")) == '("pakistan"*)'
    expression = ranking_expression(parse_query('"prime minister" OR sco*'))
    assert expression == '("prime" AND "minister"*) OR ("sco"*)'
    assert ranking_expression(parse_query("title:summit")) == 'title : ("summit"*)'
    # Nothing to rank by: a date, a field or a mark alone.
    assert ranking_expression(parse_query("date:2024 author:smith is:unread")) is None
    assert ranking_expression(parse_query("")) is None


def test_a_word_in_the_title_and_a_word_said_often_rank_first() -> None:
    filler = " ".join(["other words here"] * 30)
    articles = [
        _article(0, "Budget talks", f"The summit is mentioned once. {filler}"),
        _article(1, "Summit in Kazan", f"Leaders met. {filler}"),
        _article(2, "Trade report", f"summit summit summit, the summit again. {filler}"),
        _article(3, "Weather", filler),
        *[_article(n, f"Filler {n}", filler) for n in range(4, 20)],
    ]
    table = _table(articles)
    scores = dict(table.scores(ranking_expression(parse_query("summit")) or ""))
    assert set(scores) == {0, 1, 2}  # only those holding the word have a score
    ranking = rank([0, 1, 2, 3], scores)  # the matches, in date order
    assert ranking.rows[:3] in ([1, 2, 0], [2, 1, 0])
    assert ranking.rows[-1] == 3 and ranking.unranked == 1  # no score: last, in date order
    assert scores[0] < scores[1] and scores[0] < scores[2]


def test_equal_scores_keep_the_date_order() -> None:
    ranking = rank([5, 3, 9, 1], {5: 1.0, 3: 2.0, 9: 1.0, 1: 1.0})
    assert ranking.rows == [3, 5, 9, 1]


def test_scores_are_shown_as_a_share_of_the_best() -> None:
    assert share(2.0, 4.0) == 50
    assert share(1.4e-6, 1.4e-6) == 100  # FTS5's floor: still readable
    assert share(1.0, 0.0) == 0


def test_a_bad_expression_ranks_nothing_rather_than_failing() -> None:
    table = _table([_article(0, "A", "words")])
    assert table.scores('"unclosed') == []


# --- snippets --------------------------------------------------------------------------


def test_the_snippet_is_the_paragraph_with_most_of_the_query_cut_around_it() -> None:
    text = (
        "An opening paragraph about nothing in particular.\n"
        "The minister spoke about the weather and the harvest.\n"
        + "Filler words go here before it. "
        * 5
        + "The economy minister said the economy would grow, and markets agreed.\n"
        "The economy alone."
    )
    line, spans = snippet(text, parse_query("economy minister"), 60)
    assert len(line) <= 60
    words = [line[start:end].casefold() for start, end in spans]
    assert "economy" in words and "minister" in words
    assert line.startswith("…")  # cut before: marked
    assert "\n" not in line


def test_a_snippet_never_cuts_a_highlight_into_the_ellipsis() -> None:
    text = "word " * 40 + "target " + "word " * 40
    for width in range(10, 60, 7):
        line, spans = snippet(text, parse_query("target"), width)
        assert len(line) <= width
        for start, end in spans:
            assert line[start:end] and "…" not in line[start:end]
            assert "target".startswith(line[start:end])


def test_without_a_match_in_the_body_the_snippet_is_the_opening() -> None:
    text = "  First   paragraph\there.\nSecond one."
    assert snippet(text, parse_query("date:2024"), 80) == ("First paragraph here.", [])
    assert snippet("", parse_query("x"), 80) == ("", [])


def test_the_opening_is_the_first_paragraph_of_prose_past_a_sites_menus() -> None:
    # A scraped page's text opens with its menus: 157 of 183 real ones.
    menus = "\n".join(["Log in", "News", "Sports", "Opinion", "Obituaries", "Business"])
    lead = "LOS ANGELES (AP) -- Hollywood's actors union reached a tentative deal with studios."
    text = f"{menus}\n{lead}\nA second paragraph that says more about the deal and its terms."
    assert snippet(text, parse_query("date:2023"), 200) == (lead, [])
    # A match still wins over the opening.
    line, spans = snippet(text, parse_query("second"), 200)
    assert line.startswith("A second") and spans
    # Scripts written without spaces: long enough reads as prose.
    chinese = "中国国家统计局十月十七日发布数据显示，" * 5
    assert snippet(f"首页\n新闻\n{chinese}", parse_query("date:2023"), 200)[0] == chinese
    # No paragraph reads as prose: the first, as before.
    assert snippet("Home\nNews\nSports", parse_query("date:2023"), 80) == ("Home", [])


@pytest.mark.parametrize(
    ("query", "written"),
    [
        ("pakistan", "PAKİSTAN’s"),  # a capital dotted I and a curly apostrophe
        ("pakistan", "Pakistán"),
        ("pakistan", "ＰＡＫＩＳＴＡＮ"),  # fullwidth letters fold to ASCII
        ("strasse", "Straße"),
        ("東京", "東京都"),
        ("c++", "C++"),
        ('"prime minister"', "Prime\u00a0Minister"),
    ],
)
def test_a_snippet_finds_a_word_however_the_paragraph_writes_it(query: str, written: str) -> None:
    # Paragraphs are passed over on their folded letters before they are searched:
    # none that folds to the word may be among them.
    text = "\n".join(
        ["Menu", "Opening paragraph about nothing much at all here, for a while."]
        + [f"Filler paragraph {number} with other words." for number in range(20)]
        + [f"Late in the text, {written} is named."]
    )
    line, spans = snippet(text, parse_query(query), 200)
    assert line.startswith("Late in the text") and spans, (query, written, line)


def test_snippet_ellipsis_can_be_ascii() -> None:
    line, _ = snippet("word " * 50 + "target", parse_query("target"), 30, "...")
    assert line.startswith("...") and "…" not in line and len(line) <= 30


# --- related articles ---------------------------------------------------------------


def test_related_articles_share_the_distinctive_words() -> None:
    common = "the report says the meeting was held and people spoke about plans. " * 3
    articles = [
        _article(0, "Kashgar pipeline deal", f"Kashgar pipeline gas deal signed. {common}"),
        _article(1, "Pipeline to Kashgar", f"The Kashgar pipeline carries gas. {common}"),
        _article(2, "Football results", f"The match ended in a draw. {common}"),
        _article(3, "Gas prices", f"Gas prices rose this week. {common}"),
        *[_article(n, f"Other {n}", common) for n in range(4, 12)],
    ]
    table = _table(articles)
    title, body, _ = relevance_row(0, articles[0], prepare(articles[0]))[1:]
    found = table.related(title, body, exclude=0)
    assert found[0][0] == 1  # the other Kashgar pipeline article
    keys = [key for key, _ in found]
    assert 0 not in keys
    # Gas is shared; football shares only the words every article has: it comes after.
    assert 2 not in keys or keys.index(3) < keys.index(2)


def test_distinctive_words_leave_out_common_ones() -> None:
    def frequency(words: list[str]) -> dict[str, int]:
        return {word: {"kashgar": 3, "pipeline": 5}.get(word, 90) for word in words}

    words = distinctive_words("kashgar pipeline", "the kashgar pipeline is long", frequency, 100)
    assert words[:2] == ["kashgar", "pipeline"]
    assert "the" not in words and "long" not in words  # a stopword; in 90 % of articles


# --- names and facets ------------------------------------------------------------------


def test_names_are_runs_of_capitalised_words_without_offices_or_openers() -> None:
    text = (
        "The Shanghai Cooperation Organisation met on Monday. Prime Minister Shehbaz "
        "Sharif said the Bank of England agreed. But Islamabad and New Delhi differ. "
        "China’s People’s Liberation Army. Владимир Путин spoke.\nMonday Morning"
    )
    names = names_in("Putin meets Xi", text)
    assert names == [
        "Shanghai Cooperation Organisation",
        "Shehbaz Sharif",
        "Bank of England",
        "New Delhi",
        "China People Liberation Army",
        "Владимир Путин",
    ]


def test_names_are_counted_once_and_bounded() -> None:
    text = "\n".join(f"Name{n} Person{n} and Name{n} Person{n}" for n in range(100))
    names = names_in("", text)
    assert len(names) == 40 and len(set(names)) == 40


def test_facets_count_each_article_once_and_leave_out_the_collection_s_stopwords() -> None:
    articles = [
        _article(
            n,
            f"Story {n}",
            "x",
            author="Jane Doe" if n < 3 else None,
            url="https://www.example.com/a" if n % 2 else None,
            tags=("trade",) if n < 5 else (),
        )
        for n in range(30)
    ]
    names = [
        (n, "Radio Pakistan\nShehbaz Sharif" if n < 4 else "Radio Pakistan") for n in range(30)
    ]
    index = FacetIndex.build(articles, names)
    every = {(f.kind, f.label): f.count for f in index.count(range(30))}
    assert ("name", "Radio Pakistan") not in every  # in every article: says nothing
    assert every[("name", "Shehbaz Sharif")] == 4
    assert every[("author", "Jane Doe")] == 3
    assert every[("site", "example.com")] == 15
    assert every[("tag", "trade")] == 5
    assert every[("folder", "s")] == 30
    some = {(f.kind, f.label): f.count for f in index.count([0, 1, 2, 10])}
    assert some[("name", "Shehbaz Sharif")] == 3 and some[("author", "Jane Doe")] == 3


def test_a_facet_narrows_the_query_with_a_term_that_finds_it() -> None:
    article = _article(0, "T", "x", author='Ann "Q" Lee', url="https://news.example.org/x")
    for kind, label in (("author", 'Ann "Q" Lee'), ("site", "news.example.org"), ("tag", "#eu")):
        query = parse_query(term_for(kind, label) or "")
        assert not query.is_empty()
    assert parse_query(term_for("name", "Bank of England") or "").matches(
        _article(1, "T", "The Bank of England said")
    )
    assert term_for("folder", "news") is None
    assert parse_query(term_for("site", "news.example.org") or "").matches(article)


# --- the session, with and without a store ---------------------------------------------


@pytest.mark.parametrize("cache", [True, False], ids=["store", "no-store"])
def test_the_session_ranks_relates_and_counts_facets(collection: Path, cache: bool) -> None:
    session = CorpusSession([str(collection)], cache=cache)
    session.open_store()
    from tui.corpus.loader import load_batches

    session.load(load_batches([str(collection)], with_texts=True), lambda *_: None, indexed=True)
    if session.writer is not None:
        session.writer.wait()
    session.fill_relevance()
    assert session.relevance_missing() == 0
    query = parse_query("pakistan russia")
    matches = session.search(query)
    assert matches
    ranking = session.ranked(query, matches, "newest")
    assert ranking is not None
    assert sorted(ranking.rows) == sorted(matches) and ranking.unranked == 0
    best = ranking.scores[ranking.rows[0]]
    assert all(ranking.scores[serial] <= best for serial in ranking.rows)
    first = session.rows("newest", None)[0]
    related = session.related(first)
    assert related and first not in [serial for serial, _ in related]
    facets = session.facets(None)
    assert any(f.kind == "name" and f.label == "Vladimir Putin" for f in facets)
    narrowed = session.facets(matches)
    assert all(f.count <= len(matches) for f in narrowed)
    session.close(store_seconds=None)


def _stored_session(collection: Path) -> CorpusSession:
    """A session that has loaded *collection*, its store written and its relevance
    table filled."""
    from tui.corpus.loader import load_batches

    session = CorpusSession([str(collection)], cache=True)
    session.open_store()
    session.load(load_batches([str(collection)], with_texts=True), lambda *_: None, indexed=True)
    assert session.writer is not None and session.store is not None
    session.writer.wait()
    session.fill_relevance()
    return session


def test_the_store_forgets_a_removed_article_s_relevance_and_names(collection: Path) -> None:
    from tui.corpus.watch import FolderChanges, read_files

    session = _stored_session(collection)
    assert session.writer is not None and session.store is not None
    held = session.store.relevance().count()
    victim = sorted(collection.iterdir())[0]
    victim.unlink()
    session.apply(FolderChanges(gone=[str(victim)]))
    session.writer.wait()
    assert session.store.relevance().count() == held - 1
    assert len(session.store.relevance().names()) == held - 1
    # A new file: ranked once the writer (idle) or a ranking fills it in.
    fresh = collection / "new.txt"
    fresh.write_text("Title: Kazan summit\n\nThe Kazan summit of BRICS leaders opened.\n")
    os.utime(fresh, (OLD_MTIME, OLD_MTIME))
    session.apply(read_files([str(fresh)]))
    session.writer.wait()
    session.fill_relevance()
    assert session.store.relevance().count() == held
    query = parse_query("kazan")
    ranking = session.ranked(query, session.search(query) or set(), "newest")
    assert ranking is not None and ranking.unranked == 0 and ranking.rows
    session.close(store_seconds=None)


def test_a_ranking_after_a_change_waits_for_its_rows(
    collection: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reader ranks again after a file comes (the relevance table filled first):
    the filling waits for the store's writer to write the new article's row. It did
    not, and the new article stayed unranked until the next change."""
    import time

    from tui.corpus.watch import read_files

    session = _stored_session(collection)
    store = session.store
    assert store is not None
    writes = store.apply

    def slow_apply(*args: object, **kwargs: object) -> object:
        time.sleep(0.3)  # a busy disk: the writer's thread is behind the reader
        return writes(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "apply", slow_apply)
    fresh = collection / "new.txt"
    fresh.write_text("Title: Kazan summit\n\nThe Kazan summit of BRICS leaders opened.\n")
    os.utime(fresh, (OLD_MTIME, OLD_MTIME))
    session.apply(read_files([str(fresh)]))
    session.fill_relevance()  # no wait for the writer here: fill_relevance's to do
    query = parse_query("kazan")
    ranking = session.ranked(query, session.search(query) or set(), "newest")
    assert ranking is not None and ranking.rows and ranking.unranked == 0
    session.close(store_seconds=None)


def test_a_match_at_the_end_of_a_long_line_is_shown_whole() -> None:
    text = "Opening.\nVladimir Putin met Xi Jinping in Kazan."
    for width in range(8, 44):
        line, spans = snippet(text, parse_query("kazan"), width)
        assert len(line) <= width
        assert [line[a:b] for a, b in spans] == ["Kazan"], (width, line)


def test_the_store_s_writer_fills_the_table_when_idle_and_quits_at_once(collection: Path) -> None:
    import time

    from tui.corpus.loader import load_batches

    for number in range(60):  # more than a few rounds of the idle fill
        (collection / f"extra{number}.txt").write_text(
            f"Title: Extra {number}\n\nReport number {number} on Kazan and trade.\n"
        )
        os.utime(collection / f"extra{number}.txt", (OLD_MTIME, OLD_MTIME))
    session = CorpusSession([str(collection)], cache=True)
    session.open_store()
    session.load(load_batches([str(collection)], with_texts=True), lambda *_: None, indexed=True)
    assert session.writer is not None and session.store is not None
    session.writer.wait()
    assert session.relevance_missing() > 0  # not while loading: only once let
    session.fill_relevance_when_idle()
    deadline = time.monotonic() + 10
    while session.relevance_missing() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert session.relevance_missing() == 0
    started = time.monotonic()
    session.close(store_seconds=None)
    assert time.monotonic() - started < 1.0


def test_a_ranking_asked_while_the_store_was_written_ranks_once_it_is(collection: Path) -> None:
    from tui.corpus.loader import load_batches

    session = CorpusSession([str(collection)], cache=True)
    session.open_store()
    session.load(load_batches([str(collection)], with_texts=True), lambda *_: None, indexed=True)
    query = parse_query("pakistan")
    matches = session.search(query) or set()
    early = session.ranked(query, matches, "newest")  # the store may not be written yet
    assert early is not None
    assert session.writer is not None
    session.writer.wait()
    session.fill_relevance()
    ranking = session.ranked(query, matches, "newest")
    assert ranking is not None and ranking.unranked == 0 and len(ranking.scores) == len(matches)
    session.close(store_seconds=None)


def test_without_a_store_articles_added_later_are_ranked_too(collection: Path) -> None:
    from tui.corpus.loader import load_batches
    from tui.corpus.watch import read_files

    session = CorpusSession([str(collection)], cache=False)
    session.load(load_batches([str(collection)], with_texts=True), lambda *_: None, indexed=True)
    session.fill_relevance()
    fresh = collection / "later.txt"
    fresh.write_text("Title: Kazan summit\n\nThe Kazan summit of BRICS leaders opened.\n")
    session.apply(read_files([str(fresh)]))
    assert session.relevance_missing() == 1 and not session.relevance_filled
    session.fill_relevance()
    query = parse_query("kazan")
    ranking = session.ranked(query, session.search(query) or set(), "newest")
    assert ranking is not None and ranking.rows and ranking.unranked == 0
    session.close()
