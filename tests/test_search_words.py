"""Any word of an article's own text is found by search (``broadsheet --list --query``).

A "word" here is what a reader would copy out of the text to search for: a chunk between
spaces with the punctuation around it taken off (``Pakistan’s``, ``Russia-Pakistan``,
``£1bn``, ``C++``, ``#fintech``, ``desk@example.com``, ``60.62%``), and each run of
letters or digits inside it (``Pakistan``, ``s``). Chinese and Japanese put no spaces
between words, so there every run of one to three characters of Han or kana counts.
Each is searched as typed, through the app's search index and through the store's as
a re-open reads it (one in ten through the command line's in-process entry too), and
must find every article whose text holds it.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from tui.__main__ import run
from tui.corpus import load_corpus
from tui.corpus.index import SearchIndex
from tui.corpus.model import Article, default_corpus_path
from tui.corpus.query import parse_query
from tui.corpus.session import CorpusSession
from tui.corpus.text import CJK_RANGES, CURRENCY

ARTICLES = {
    "en_markets.txt": (
        "Title: Markets rally on a £1bn deal\nDate: 2024-03-05\n\n"
        "The FTSE 100 rose 1.2% after a £1bn deal; rivals paid $1.2bn. Engineers who write "
        "C++ and C# joined #fintech talks with @ReutersBiz. Don't panic: it's a well-known "
        "pattern, e-mail desk@example.com before 10:30.\n"
    ),
    "fr_politique.txt": (
        "Title: Élections à Paris\nDate: 2024-06-30\n\n"
        "Les électeurs se sont rendus aux urnes dimanche. L’abstention a atteint 33 % : un "
        "record. Coût estimé : 5 M€, selon le ministère de l’Intérieur.\n"
    ),
    "de_wirtschaft.txt": (
        "Title: Neue Straßenbahn für München\nDate: 2024-02-01\n\n"
        "Die Stadtwerke München investieren 250 Mio. € in neue Straßenbahnen. Der "
        "Oberbürgermeister sprach von einem „großen Schritt“ für die Bürger.\n"
    ),
    "es_clima.txt": (
        "Title: Sequía en Andalucía\nDate: 2023-08-14\n\n"
        "La sequía afecta a Andalucía; los agricultores piden ayuda. ¿Qué hará el "
        "Gobierno? El año pasado llovió un 40 % menos.\n"
    ),
    "ru_moskva.txt": (
        "Title: Переговоры в Москве\nDate: 2024-05-16\n\n"
        "Президент России встретился с премьер-министром Пакистана. Стороны обсудили "
        "торговлю, энергетику и «зелёный» коридор.\n"
    ),
    "el_athina.txt": (
        "Title: Εκλογές στην Ελλάδα\nDate: 2023-06-25\n\n"
        "Οι ψηφοφόροι στην Αθήνα ψήφισαν την Κυριακή. Η συμμετοχή ήταν χαμηλή, "
        "σύμφωνα με το υπουργείο Εσωτερικών.\n"
    ),
    "ar_qahira.txt": (
        "Title: قمة في القاهرة\nDate: 2024-02-10\n\n"
        "اجتمع وزراء الخارجية العرب في القاهرة لمناقشة الأزمة الاقتصادية، "
        "وقالوا إن التعاون ضروري.\n"
    ),
    "zh_beijing.txt": (
        "Title: 上海合作组织会议在北京举行\nDate: 2024-10-17\n\n"
        "2024年10月17日，上海合作组织成员国领导人在北京举行会议，讨论能源合作。"
        "iPhone手机销量上升。\n"
    ),
    "ja_tokyo.txt": (
        "Title: 東京都知事選挙の結果\nDate: 2024-07-08\n\n"
        "東京都知事選挙は2024年7月7日に行われ、現職が再選された。投票率は60.62%だった。"
        "ロンドンでも報道された。\n"
    ),
    "ko_seoul.txt": (
        "Title: 서울에서 열린 정상회의\nDate: 2024-05-27\n\n"
        "한국과 일본의 정상이 서울에서 만나 경제 협력을 논의했다. 회의는 2024년 5월 27일에 "
        "열렸다.\n"
    ),
}
"""Ten languages in seven scripts (Latin, Cyrillic, Greek, Arabic, Han, kana, Hangul)."""

_SIGNS = set("#@") | {
    chr(code) for code in range(0x10000) if re.fullmatch(f"[{CURRENCY}]", chr(code))
}
_CJK_RUN = re.compile(f"[{CJK_RANGES}]+")
_QUOTES = set('"“”„')


def _lead_ok(char: str) -> bool:
    return char.isalnum() or char in _SIGNS


def _tail_ok(char: str) -> bool:
    return char.isalnum() or char in _SIGNS or char == "+"


def user_words(text: str) -> set[str]:
    """What a reader would search for in *text* (see the module docstring)."""
    words: set[str] = set()
    for chunk in text.split():
        start, end = 0, len(chunk)
        while start < end and not _lead_ok(chunk[start]):
            start += 1
        while end > start and not _tail_ok(chunk[end - 1]):
            end -= 1
        core = chunk[start:end]
        if not any(char.isalnum() for char in core) and not set(core) & _SIGNS:
            continue
        if not set(core) & _QUOTES:
            words.add(core)
        words.update(re.findall(r"\w+", core))
        for run_ in _CJK_RUN.findall(core):
            for size in range(1, 4):
                words.update(run_[i : i + size] for i in range(len(run_) - size + 1))
    return words


def as_typed(word: str) -> str:
    """The query a user types for *word*: quoted where the language would read syntax."""
    if ":" in word or word == "OR" or word.startswith("-"):
        return f'"{word}"'
    return word


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("words")
    for name, text in ARTICLES.items():
        (root / name).write_text(text, encoding="utf-8")
    for seed in Path(default_corpus_path()).iterdir():
        if seed.suffix in (".txt", ".md"):
            shutil.copy(seed, root / seed.name)
    return root


def listed(query: str, path: Path) -> list[str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert run(["--list", "--json", "--no-state", "--query", query, str(path)]) == 0
    return [json.loads(line)["id"] for line in out.getvalue().splitlines()]


def words_of(article: Article) -> set[str]:
    return user_words(article.title) | user_words(article.text)


def test_the_word_rule_is_what_a_reader_would_pick() -> None:
    assert user_words("(Pakistan’s) “Russia-Pakistan” C++, £1bn. #tag @me 5 M€, -x 10:30.") == {
        "Pakistan’s", "Pakistan", "s", "Russia-Pakistan", "Russia", "C++", "C", "£1bn",
        "1bn", "#tag", "tag", "@me", "me", "5", "M€", "M", "x", "10:30", "10", "30",
    }  # fmt: skip
    assert user_words("東京都。") == {"東京都", "東", "京", "都", "東京", "京都"}


@pytest.mark.heavy
def test_every_word_of_every_article_is_found(folder: Path) -> None:
    """Each word through the app's index in memory, and through the store's on disk as
    the command line re-opens it; one pair in ten through the command line itself
    (each run opens a store and reads its file: ~25 ms, so all 1,300 took 20 s)."""
    corpus = load_corpus([str(folder)])
    assert len(corpus.by_serial) == len(ARTICLES) + 5
    index = SearchIndex()
    index.add(corpus.by_serial)
    assert listed("zzzzqqq", folder) == []  # the first run writes the store
    stored = CorpusSession([str(folder)], cache=True)
    assert stored.open_store() is None and stored.can_reopen
    assert stored.reopen(lambda *_, **__: None)
    assert stored.index is not None and stored.index._stored is not None  # the store's FTS5
    stored_serial = {article.id: article.serial for article in stored.corpus.by_serial}
    assert len(stored_serial) == len(corpus.by_serial)
    missed: list[tuple[str, str]] = []
    searched = 0
    try:
        for article in corpus.by_serial:
            path = folder / Path(article.path).name
            words = words_of(article)
            assert len(words) > 10, article.path
            for word in sorted(words):
                query = as_typed(word)
                searched += 1
                if searched % 10 == 0 and article.id not in listed(query, path):
                    missed.append((article.path, query))
                found = index.search(parse_query(query))
                if found is None or article.serial not in found:
                    missed.append((f"index: {article.path}", query))
                found = stored.search(parse_query(query))
                if found is None or stored_serial[article.id] not in found:
                    missed.append((f"store: {article.path}", query))
    finally:
        stored.close()
    assert not missed, missed[:20]
    assert searched > 1000


def test_each_language_is_really_there(folder: Path) -> None:
    """The corpus is what the docstring says, and search is not trivially true."""
    corpus = load_corpus([str(folder)])
    by_name = {Path(a.path).name: a for a in corpus.by_serial}
    for name, probe in [
        ("ru_moskva.txt", "Пакистана"), ("el_athina.txt", "Αθήνα"), ("ar_qahira.txt", "القاهرة"),
        ("zh_beijing.txt", "合作"), ("ja_tokyo.txt", "知事"), ("ko_seoul.txt", "서울"),
        ("fr_politique.txt", "electeurs"), ("de_wirtschaft.txt", "strassenbahn"),
        ("es_clima.txt", "sequia"),
    ]:  # fmt: skip
        assert listed(probe, folder) == [by_name[name].id], probe
    assert listed("£1bn", folder) == [by_name["en_markets.txt"].id]
    assert listed("zzzzqqq", folder) == []
