"""The folders the benchmark reads: the seeds, cached generated corpora, two sized articles.

Generated corpora are cached under ``bench/.corpora/`` (git-ignored), keyed by size,
seed and a hash of their generator: a change to the generator makes a fresh corpus
instead of silently comparing figures across different data. A corpus is built in a
temporary folder and renamed into place, so an interrupted run never leaves a
half-written folder that a later run would trust.

Text corpora (``10000-seed2024-KEY``) are keyed by ``bench/make_corpus.py`` without its
``--html`` blocks, so the flag that delegates to the page generator never invalidates
the 100k text corpus (minutes to write); saved-web-page corpora (``10000h-seed2024-KEY``,
issue 14) by that text generator, whose sentences they reuse, and
``bench/make_html_corpus.py``.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

SEEDS_SIZE = 5
"""The size that means "the bundled seeds" rather than a generated corpus."""

SMALL_TITLE = "Benchmark article of 5 KB"
LARGE_TITLE = "Benchmark article of 50 KB"
OPEN_SIZES = {SMALL_TITLE: 5 * 1024, LARGE_TITLE: 50 * 1024}
"""Titles (what the harness looks for on screen) and file sizes of the open-sizes corpus."""


HTML_BEGIN = b"# --html: begin"
HTML_END = b"# --html: end"
"""Comment lines around the parts of make_corpus.py that only serve ``--html``."""


class CorpusSize(NamedTuple):
    """One column of the benchmark: how many articles, and whether they are web pages."""

    size: int
    html: bool = False


def text_generator_source(repo: Path) -> bytes:
    """``bench/make_corpus.py`` without its ``--html`` blocks (markers included).

    What writes the text corpora, byte for byte as it was before the flag existed: the
    cached text corpora keep their key when only the flag's code changes.
    """
    kept: list[bytes] = []
    skipping = False
    for line in (repo / "bench" / "make_corpus.py").read_bytes().splitlines(keepends=True):
        marker = line.strip()
        if not skipping and marker.startswith(HTML_BEGIN):
            skipping = True
        elif skipping and marker.startswith(HTML_END):
            skipping = False
        elif not skipping:
            kept.append(line)
    return b"".join(kept)


def generator_hash(repo: Path) -> str:
    """The text corpora's key: their generator, without the ``--html`` flag."""
    return hashlib.sha256(text_generator_source(repo)).hexdigest()[:10]


def html_generator_hash(repo: Path) -> str:
    """The HTML corpora's key: the page generator and the text generator it draws on."""
    digest = hashlib.sha256(text_generator_source(repo))
    digest.update((repo / "bench" / "make_html_corpus.py").read_bytes())
    return digest.hexdigest()[:10]


def corpus_path(
    repo: Path,
    cache: Path,
    size: int,
    seed: int,
    log: Callable[[str], None] = print,
    html: bool = False,
) -> Path:
    """The folder for *size* articles: the seeds for 5, else a cached generated corpus.

    With *html*, *size* saved web pages (``make_corpus.py --html``); never the seeds.
    """
    if size == SEEDS_SIZE and not html:
        return repo / "seeds"
    tag = html_generator_hash(repo) if html else generator_hash(repo)
    kind = f"{size}h" if html else f"{size}"
    final = cache / f"{kind}-seed{seed}-{tag}"
    if final.is_dir():
        return final
    cache.mkdir(parents=True, exist_ok=True)
    for stale in cache.glob(f"{kind}-seed{seed}-*"):
        # An older generator's corpus of the same size: 380 MB at 100k is worth freeing.
        shutil.rmtree(stale, ignore_errors=True)
    building = cache / f".building-{kind}-seed{seed}-{tag}-{os.getpid()}"
    shutil.rmtree(building, ignore_errors=True)
    shown = final.relative_to(repo) if final.is_relative_to(repo) else final
    what = "saved web pages" if html else "articles"
    log(f"generating {size:,} {what} into {shown} …")
    command = [sys.executable, "-m", "bench.make_corpus", str(size), str(building)]
    command += ["--seed", str(seed), *(["--html"] if html else [])]
    subprocess.run(command, cwd=repo, check=True)
    building.rename(final)
    return final


def raw_size(path: Path) -> int:
    """Bytes of the files the reader reads (``*.txt``, ``*.md``, saved pages): the memory
    target's base."""
    total = 0
    for folder, _dirs, files in os.walk(path):
        for name in files:
            if name.lower().endswith((".txt", ".md", ".html", ".htm")):
                total += os.path.getsize(os.path.join(folder, name))
    return total


def open_sizes_corpus(repo: Path, cache: Path) -> Path:
    """Two articles, about 5 KB and 50 KB, made of the seeds' own paragraphs.

    The generated corpora stop at 8 KB, and the product's open-time targets name 5 KB
    and 50 KB. Paragraphs are numbered so cleaning never folds repeats together. The
    small one is dated later, so it is the first row and the large one the second.
    """
    paragraphs: list[str] = []
    for seed in sorted((repo / "seeds").glob("*.txt")):
        text = seed.read_text(encoding="utf-8", errors="replace")
        text = re.sub(r"^\s*date\s+\d{4}-\d{2}-\d{2}\s*", "", text)
        paragraphs.extend(p.strip() for p in re.split(r"\n\s*\n", text) if len(p.strip()) > 80)
    folder = cache / "open-sizes"
    folder.mkdir(parents=True, exist_ok=True)
    for (title, size), (name, date) in zip(
        OPEN_SIZES.items(),
        (("a-5kb.txt", "2024-01-02"), ("b-50kb.txt", "2024-01-01")),
        strict=True,
    ):
        parts = [f"Title: {title}\nDate: {date}\n"]
        length = len(parts[0].encode("utf-8"))
        index = 0
        while length < size:
            paragraph = f"({index + 1}) {paragraphs[index % len(paragraphs)]}\n"
            parts.append(paragraph)
            length += len(paragraph.encode("utf-8")) + 1
            index += 1
        data = "\n".join(parts).encode("utf-8")
        target = folder / name
        if not target.is_file() or target.read_bytes() != data:
            target.write_bytes(data)
    return folder
