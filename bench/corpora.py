"""The folders the benchmark reads: the seeds, cached generated corpora, two sized articles.

Generated corpora are cached under ``bench/.corpora/`` (git-ignored), keyed by size,
seed and a hash of ``bench/make_corpus.py``: a change to the generator makes a fresh
corpus instead of silently comparing figures across different data. A corpus is built
in a temporary folder and renamed into place, so an interrupted run never leaves a
half-written folder that a later run would trust.
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

SEEDS_SIZE = 5
"""The size that means "the bundled seeds" rather than a generated corpus."""

SMALL_TITLE = "Benchmark article of 5 KB"
LARGE_TITLE = "Benchmark article of 50 KB"
OPEN_SIZES = {SMALL_TITLE: 5 * 1024, LARGE_TITLE: 50 * 1024}
"""Titles (what the harness looks for on screen) and file sizes of the open-sizes corpus."""


def generator_hash(repo: Path) -> str:
    return hashlib.sha256((repo / "bench" / "make_corpus.py").read_bytes()).hexdigest()[:10]


def corpus_path(
    repo: Path, cache: Path, size: int, seed: int, log: Callable[[str], None] = print
) -> Path:
    """The folder for *size* articles: the seeds for 5, else a cached generated corpus."""
    if size == SEEDS_SIZE:
        return repo / "seeds"
    tag = generator_hash(repo)
    final = cache / f"{size}-seed{seed}-{tag}"
    if final.is_dir():
        return final
    cache.mkdir(parents=True, exist_ok=True)
    for stale in cache.glob(f"{size}-seed{seed}-*"):
        # An older generator's corpus of the same size: 380 MB at 100k is worth freeing.
        shutil.rmtree(stale, ignore_errors=True)
    building = cache / f".building-{size}-seed{seed}-{tag}-{os.getpid()}"
    shutil.rmtree(building, ignore_errors=True)
    shown = final.relative_to(repo) if final.is_relative_to(repo) else final
    log(f"generating {size:,} articles into {shown} …")
    subprocess.run(
        [sys.executable, "-m", "bench.make_corpus", str(size), str(building), "--seed", str(seed)],
        cwd=repo,
        check=True,
    )
    building.rename(final)
    return final


def raw_size(path: Path) -> int:
    """Bytes of the files the reader reads (``*.txt`` and ``*.md``): the memory target's base."""
    total = 0
    for folder, _dirs, files in os.walk(path):
        for name in files:
            if name.endswith((".txt", ".md")):
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
