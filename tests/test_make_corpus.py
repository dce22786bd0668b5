"""The benchmark corpus generator: deterministic, realistic, and readable by the model."""

from __future__ import annotations

import hashlib
import os
import statistics
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from bench.make_corpus import FILES_PER_FOLDER, RARE_WORD, make_corpus
from tui.corpus import load_corpus

REPO = Path(__file__).resolve().parent.parent
COUNT = 1200


def snapshot(root: Path) -> dict[str, str]:
    """Every file's path (relative) and content digest."""
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    make_corpus(COUNT, str(root))
    return root


def test_same_count_same_bytes(generated: Path, tmp_path: Path) -> None:
    make_corpus(COUNT, str(tmp_path))
    assert snapshot(tmp_path) == snapshot(generated)


def test_another_seed_differs(generated: Path, tmp_path: Path) -> None:
    make_corpus(COUNT, str(tmp_path), seed=7)
    assert snapshot(tmp_path) != snapshot(generated)


def test_layout_and_sizes(generated: Path) -> None:
    files = [path for path in generated.rglob("*") if path.is_file()]
    assert len(files) == COUNT
    per_folder = Counter(path.parent for path in files)
    assert max(per_folder.values()) <= FILES_PER_FOLDER
    assert len(per_folder) == 2  # nested: part-00/batch-000 and part-00/batch-001
    assert all(path.parent.parent.parent == generated for path in files)
    assert {path.suffix for path in files} == {".txt", ".md"}
    sizes = [path.stat().st_size for path in files]
    assert min(sizes) >= 900 and max(sizes) <= 9500
    assert 3000 <= statistics.median(sizes) <= 4000


def test_rare_word_in_about_one_percent(generated: Path) -> None:
    having = [
        path for path in generated.rglob("*") if path.is_file() and RARE_WORD in path.read_text()
    ]
    assert len(having) == round(COUNT / 100)


def test_plain_vocabulary_with_accents_quotes_and_boilerplate(generated: Path) -> None:
    paths = sorted(generated.rglob("*.*"))[:200]
    text = "".join(path.read_text(encoding="utf-8") for path in paths)
    for expected in ("“", "”", "’", "é", "Powered by", "Date: ", "Title: ", " date ", "# "):
        assert expected in text
    words = text.split()
    common = {"the", "of", "and", "to", "in", "minister", "said"}
    assert sum(word in common for word in words) / len(words) > 0.05


def test_the_model_reads_it_as_intended(generated: Path) -> None:
    corpus = load_corpus([str(generated)])
    assert corpus.skipped == []
    assert len(corpus) == COUNT  # every cleaned text distinct
    kinds = Counter(
        ("undated",) if a.date is None else (a.date.precision, a.date.source) for a in corpus
    )
    assert 0.03 <= kinds[("undated",)] / COUNT <= 0.08
    assert 0.06 <= kinds[("year", "inferred")] / COUNT <= 0.15
    assert kinds[("month", "stated")] > 0 and kinds[("day", "stated")] > COUNT / 2
    assert all(a.warnings == () for a in corpus)
    titles = Counter(a.title_source for a in corpus)
    assert {"header", "headline", "first sentence"} <= set(titles)
    # The scraped boilerplate the generator adds is all cleaned away again.
    for article in corpus:
        for line in (article.title, *article.paragraphs):
            assert not line.startswith(("Powered by", "[Related:", "You need to be", "==="))
            assert not line.endswith(" logo")


@pytest.mark.parametrize(
    "command",
    [["-m", "bench.make_corpus"], [os.path.join("bench", "make_corpus.py")]],
    ids=["module", "script"],
)
def test_command_line(command: list[str], tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, *command, "150", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "wrote 150 articles" in result.stderr
    reference = tmp_path / "reference"
    make_corpus(150, str(reference))
    assert snapshot(out) == snapshot(reference)


def test_bad_count_is_a_usage_error(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bench.make_corpus", "-5", str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


# --- the HTML corpus (issue 14): `make_corpus.py --html`, and the cache keys ---------------


@pytest.mark.parametrize(
    "command",
    [["-m", "bench.make_corpus"], [os.path.join("bench", "make_corpus.py")]],
    ids=["module", "script"],
)
def test_html_flag_writes_saved_web_pages(command: list[str], tmp_path: Path) -> None:
    from bench.make_html_corpus import make_html_corpus

    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, *command, "40", str(out), "--html", "--seed", "7"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "wrote 40 pages" in result.stderr
    reference = tmp_path / "reference"
    make_html_corpus(40, str(reference), seed=7)
    assert snapshot(out) == snapshot(reference)
    assert {Path(name).suffix for name in snapshot(out)} == {".html"}


def _fake_repo(root: Path) -> Path:
    (root / "bench").mkdir(parents=True)
    for name in ("make_corpus.py", "make_html_corpus.py"):
        (root / "bench" / name).write_bytes((REPO / "bench" / name).read_bytes())
    return root


def test_the_html_flag_is_not_part_of_the_text_corpora_key(tmp_path: Path) -> None:
    """The cached 100k text corpus is keyed by its generator, not by the --html flag.

    bench/corpora.py hashes make_corpus.py without its ``--html`` blocks: the text
    corpora keep their folder (no regeneration) when only the flag changes, and the
    HTML corpora get a fresh one whenever their generator changes.
    """
    from bench import corpora

    text = corpora.text_generator_source(REPO)
    assert b"--html" not in text and b"make_html_corpus" not in text
    source = (REPO / "bench" / "make_corpus.py").read_bytes()
    assert b"--html" in source  # the flag is there, only left out of the key

    fake = _fake_repo(tmp_path / "repo")
    text_key, html_key = corpora.generator_hash(fake), corpora.html_generator_hash(fake)
    assert text_key == corpora.generator_hash(REPO) and html_key != text_key
    maker = fake / "bench" / "make_corpus.py"

    # A change inside an --html block: the text key stays, the HTML key follows.
    edited = source.replace(b"# --html: end", b"    pass\n# --html: end", 1)
    assert edited != source
    maker.write_bytes(edited)
    assert corpora.generator_hash(fake) == text_key
    # A change to the text generator itself changes both (the pages reuse its sentences).
    maker.write_bytes(source.replace(b"SIZE_MEDIAN = 3300", b"SIZE_MEDIAN = 3301"))
    assert corpora.generator_hash(fake) != text_key
    assert corpora.html_generator_hash(fake) != html_key
    # A change to the page generator changes the HTML key only.
    maker.write_bytes(source)
    page_maker = fake / "bench" / "make_html_corpus.py"
    page_maker.write_bytes(page_maker.read_bytes() + b"\n# changed\n")
    assert corpora.generator_hash(fake) == text_key
    assert corpora.html_generator_hash(fake) != html_key


def test_html_corpus_cached_beside_the_text_one(tmp_path: Path) -> None:
    from bench import corpora

    cache = tmp_path / "cache"
    logged: list[str] = []
    html = corpora.corpus_path(REPO, cache, 25, 2024, log=logged.append, html=True)
    text = corpora.corpus_path(REPO, cache, 25, 2024, log=logged.append)
    assert html != text and html.parent == text.parent == cache
    assert html.name == f"25h-seed2024-{corpora.html_generator_hash(REPO)}"
    assert text.name == f"25-seed2024-{corpora.generator_hash(REPO)}"
    assert {p.suffix for p in html.rglob("*") if p.is_file()} == {".html"}
    assert {p.suffix for p in text.rglob("*") if p.is_file()} <= {".txt", ".md"}
    assert len(logged) == 2 and "25 saved web pages" in logged[0]
    # Cached: a second call generates nothing and neither folder evicts the other.
    assert corpora.corpus_path(REPO, cache, 25, 2024, log=logged.append, html=True) == html
    assert corpora.corpus_path(REPO, cache, 25, 2024, log=logged.append) == text
    assert len(logged) == 2 and html.is_dir() and text.is_dir()
    # The memory target's base counts the pages' bytes, as it counts text files'.
    pages = sum(p.stat().st_size for p in html.rglob("*.html"))
    assert corpora.raw_size(html) == pages > 0
