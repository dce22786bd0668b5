"""Benchmark the parsing of loaded texts: ``parse_text`` over every file of a corpus,
and ``clean_lines`` over their lines alone (the cleaning pass runs for every line of
every file at load).

    python -m bench.bench_clean DIR [--limit N] [--runs 5]

The files are read and decoded first (not timed); each figure is the best of *runs*
passes over all of them, in one process, in CPU seconds (the machine may be shared:
wall time would count the waits), so it measures the parser and not the disk.
Run it from another checkout's root (``PYTHONPATH=that/root``) to compare versions.
"""

from __future__ import annotations

import argparse
import os
import time

from tui.corpus.clean import clean_lines
from tui.corpus.files import SourceText, read_source
from tui.corpus.parse import parse_text


def _sources(folder: str, limit: int) -> list[SourceText]:
    found: list[SourceText] = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            if not name.endswith((".txt", ".md")):
                continue
            source = read_source(os.path.join(root, name))
            if isinstance(source, SourceText):
                found.append(source)
                if len(found) >= limit:
                    return found
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder")
    parser.add_argument("--limit", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sources = _sources(args.folder, args.limit)
    texts = [(source.text, source.utf8, source.path) for source in sources]
    lines = [source.text.split("\n") for source in sources]
    characters = sum(len(text) for text, _, _ in texts)
    parse_best = clean_best = float("inf")
    for _ in range(args.runs):
        started = time.process_time()
        for text, utf8, path in texts:
            parse_text(text, "x", utf8=utf8, path=path)
        parse_best = min(parse_best, time.process_time() - started)
        started = time.process_time()
        for split in lines:
            clean_lines(split)
        clean_best = min(clean_best, time.process_time() - started)
    count = len(texts)
    print(f"{count} files, {characters / 1e6:.1f} M characters, best of {args.runs}")
    print(f"parse_text : {parse_best:.3f} s ({parse_best / count * 1e6:.1f} µs a file)")
    print(f"clean_lines: {clean_best:.3f} s ({clean_best / count * 1e6:.1f} µs a file)")


if __name__ == "__main__":
    main()
