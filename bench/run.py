"""``make bench``: launch the real reader in a pseudo-terminal and publish what it costs.

    python -m bench.run                                  # 5 seeds, 10k, 10k pages, 100k
    python -m bench.run --sizes 5,10000 --runs 1         # quicker
    python -m bench.run --sizes 10000h --runs 3          # 10k saved web pages only
    make bench ARGS="--sizes 100000 --runs 3"

For each corpus size it launches, in the same run, a bare Textual app (the yardstick)
and the reader, at 120×36 with TERM=xterm-256color, and times what a person would
notice: first rows, loading, keys, filter, opening; it counts the bytes written to the
terminal for each, reads the peak memory, and times ``grep -ril`` over the same folder.
The table goes to stdout and to ``bench/results/latest.md``, the raw samples to
``bench/results/latest.json`` (both git-ignored). Nothing here is a pass/fail test:
missed targets are marked ✗ and the exit status stays 0; it is 1 only if a session
failed (the app crashed or never showed what was awaited).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import importlib.metadata
import json
import os
import platform
import shlex
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .corpora import CorpusSize

if TYPE_CHECKING:
    from .report import SizeResult
    from .scenario import OpenRun, Settings

REPO = Path(__file__).absolute().parent.parent
"""The checkout whose app is measured (``python -m tui`` runs with this as its folder)."""

DEFAULT_SIZES = "5,10000,10000h,100000"
"""The seeds, 10k and 100k text articles, and 10k saved web pages (issue 14)."""


def _sizes(text: str) -> list[CorpusSize]:
    """``5,10000,100k`` articles; a size ending in ``h`` or ``html`` (``10kh``,
    ``10000h``, ``10k-html``) is that many saved web pages."""
    sizes = []
    for part in text.split(","):
        part = part.strip().lower().replace("_", "")
        if not part:
            continue
        count = part
        html = False
        for suffix in ("-html", "html", "h"):
            if count.endswith(suffix):
                count, html = count[: -len(suffix)], True
                break
        if count == "seeds" and not html:
            sizes.append(CorpusSize(5))
        elif count.endswith("k") and count[:-1].isdigit():
            sizes.append(CorpusSize(int(count[:-1]) * 1000, html))
        elif count.isdigit():
            sizes.append(CorpusSize(int(count), html))
        else:
            raise argparse.ArgumentTypeError(
                f"not a size: {part!r} (use e.g. 5,10000,100k; 10kh for 10k web pages)"
            )
    if not sizes:
        raise argparse.ArgumentTypeError("no sizes given")
    return sizes


def _words(text: str) -> list[str]:
    words = [word.strip() for word in text.split(",") if word.strip()]
    if not words or not all(word.isalnum() for word in words):
        raise argparse.ArgumentTypeError("words are letters and digits, comma-separated")
    return words


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run",
        description=(
            "Launch the real reader in a pseudo-terminal on the seeds and on generated "
            "corpora, and print what it costs: start-up, loading, keys, filter, opening, "
            "bytes on the wire, memory (the table of PRODUCT.md's Speed and memory)."
        ),
        epilog=(
            "Size 5 means the bundled seeds/; other sizes are generated once with "
            "bench/make_corpus.py (--html for a size ending in h) and cached in "
            "bench/.corpora/. Latencies are medians "
            "(p95: nearest rank over all samples of all runs); a frame is done when the "
            "output has been quiet for --quiet-ms, which is never counted as latency."
        ),
    )
    parser.add_argument(
        "--sizes",
        type=_sizes,
        default=_sizes(DEFAULT_SIZES),
        help=f"corpus sizes, comma-separated (default {DEFAULT_SIZES}; 5 = the seeds; 10k "
        "works; 10000h or 10kh = that many saved web pages)",
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=5,
        help="launches per size below 100k (default 5: start-up times vary by ±20%% from "
        "launch to launch on a shared VM, and the figures are medians)",
    )
    parser.add_argument(
        "--large-runs",
        type=int,
        default=1,
        help="launches per size of 100k and more (default 1: each loads ~380 MB)",
    )
    parser.add_argument(
        "--words",
        type=_words,
        default=["zanzibarite", "pakistan"],
        help="words typed into the filter, one character at a time; the "
        "first is also grepped (default zanzibarite,pakistan)",
    )
    parser.add_argument(
        "--presses", type=int, default=10, help="held ↓ presses per series (default 10)"
    )
    parser.add_argument(
        "--series", type=int, default=3, help="↓ series per launch, each from rest (default 3)"
    )
    parser.add_argument(
        "--samples", type=int, default=3, help="page-down and open samples per launch (default 3)"
    )
    parser.add_argument(
        "--load-presses",
        type=int,
        default=40,
        help="↓ presses while loading, in one extra launch per size (keys slow loading, "
        "so the timed launches press none); 0 skips it (default 40)",
    )
    parser.add_argument(
        "--quiet-ms",
        type=float,
        default=30,
        help="output quiet this long ends a frame (default 30)",
    )
    parser.add_argument(
        "--filter-quiet-ms",
        type=float,
        default=50,
        help="the same for filter keystrokes (default 50: a few frames, but less than the "
        "app's 120 ms preview debounce, whose redraw is not the keystroke's answer)",
    )
    parser.add_argument(
        "--key-interval-ms",
        type=float,
        default=60,
        help="time between held ↓ presses; keep it under the app's preview debounce (default 60)",
    )
    parser.add_argument(
        "--rest-ms",
        type=float,
        default=300,
        help="quiet time before a measurement from rest (default 300)",
    )
    parser.add_argument("--cols", type=int, default=120, help="terminal width (default 120)")
    parser.add_argument("--rows", type=int, default=36, help="terminal height (default 36)")
    parser.add_argument(
        "--truecolor",
        action="store_true",
        help="also set COLORTERM=truecolor (longer colour codes, more bytes)",
    )
    parser.add_argument("--seed", type=int, default=2024, help="make_corpus seed (default 2024)")
    parser.add_argument(
        "--no-open-sizes", action="store_true", help="skip the 5 KB / 50 KB article session"
    )
    parser.add_argument("--no-grep", action="store_true", help="skip the grep yardstick")
    parser.add_argument(
        "--no-reopen",
        action="store_true",
        help="skip the second launches (a first launch writes the store, the next reads it)",
    )
    parser.add_argument(
        "--load-timeout",
        type=float,
        default=120,
        help="stop waiting for a corpus to load after this many seconds from "
        "launch; the run then reports how far it got (default 120)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=REPO / "bench" / "results",
        help="folder for latest.md and latest.json (default bench/results)",
    )
    parser.add_argument(
        "--corpora",
        type=Path,
        default=REPO / "bench" / ".corpora",
        help="cache of generated corpora (default bench/.corpora)",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    return parser


def machine() -> dict[str, str | int | None]:
    """What the figures were measured on: they mean little without it."""
    cpu = None
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = None
    try:
        with open("/proc/meminfo") as handle:
            for line in handle:
                if line.startswith("MemTotal:"):
                    memory = int(line.split()[1]) * 1024
                    break
    except OSError:
        pass
    usable: int | None
    try:
        usable = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        usable = os.cpu_count()
    return {
        "nproc": usable,
        "cpu": cpu or platform.processor() or None,
        "memory_bytes": memory,
        "kernel": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "textual": _version("textual"),
        "pyte": _version("pyte"),
        "commit": _commit(),
    }


def _version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.strip()


def _commit() -> str | None:
    try:
        head = _git("rev-parse", "--short", "HEAD")
        dirty = _git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.CalledProcessError):
        return None
    return f"{head} + uncommitted changes" if dirty else head


def grep_times(path: Path, word: str, runs: int) -> tuple[list[float], int]:
    """``grep -ril WORD DIR``: what finding a word costs with no index, page cache warm."""
    times = []
    files = 0
    for _ in range(max(1, runs)):
        started = time.perf_counter()
        done = subprocess.run(["grep", "-ril", word, str(path)], capture_output=True)
        times.append(time.perf_counter() - started)
        files = len(done.stdout.splitlines())
    return times, files


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        import pyte  # noqa: F401
    except ImportError:
        print("bench: the pty harness needs pyte: pip install pyte", file=sys.stderr)
        return 2
    # Imported here so that --help and the message above work without pyte.
    from . import corpora, report
    from .pty_session import SessionError
    from .report import SizeResult
    from .scenario import (
        Settings,
        app_session,
        bare_session,
        launch_only,
        loading_session,
        open_sizes_session,
        reopen_session,
    )

    def log(message: str) -> None:
        if not args.quiet:
            print(f"bench: {message}", file=sys.stderr, flush=True)

    settings = Settings(
        repo=REPO,
        cols=args.cols,
        rows=args.rows,
        quiet=args.quiet_ms / 1000,
        filter_quiet=args.filter_quiet_ms / 1000,
        rest=args.rest_ms / 1000,
        key_interval=args.key_interval_ms / 1000,
        series=args.series,
        presses=args.presses,
        samples=args.samples,
        load_presses=args.load_presses,
        words=tuple(args.words),
        load_timeout=args.load_timeout,
        truecolor=args.truecolor,
    )
    started = dt.datetime.now(dt.UTC)
    info = machine()
    log(f"{info['nproc']} CPUs, {info['cpu']}, Python {info['python']}")

    # A first launch compiles bytecode and fills the page cache: keep it out of the figures.
    log("warming up (one unmeasured launch of each app)")
    try:
        bare_session(settings)
        launch_only(settings, ["seeds"])
    except SessionError as error:
        # Nothing can be measured if the reader does not start: say why, with its screen.
        print(f"bench: the app did not start: {error}", file=sys.stderr)
        return 1

    results: list[SizeResult] = []
    failed = False
    for size, html in args.sizes:
        path = corpora.corpus_path(REPO, args.corpora, size, args.seed, log=log, html=html)
        shown_path = os.path.relpath(path, REPO) if path.is_relative_to(REPO) else str(path)
        result = SizeResult(size, shown_path, corpora.raw_size(path), html=html)
        runs = args.large_runs if size >= report.LARGE else args.runs
        for index in range(max(1, runs)):
            result.bare.append(bare_session(settings))
            run = app_session(settings, [shown_path])
            result.runs.append(run)
            if run.error:
                failed = True
                log(f"{result.label} run {index + 1}: FAILED: {run.error}")
            else:
                loaded = (
                    report.seconds(run.loaded)
                    if run.load_gave_up is None
                    else f"not after {run.load_gave_up:.0f} s ({run.files_read or 0:,} files read)"
                )
                log(
                    f"{result.label} run {index + 1}/{runs}: first rows "
                    f"{report.seconds(run.first_rows)} (bare {report.seconds(result.bare[-1])}), "
                    f"loaded {loaded}, peak RSS {report.megabytes(run.peak_rss)}"
                )
        if not args.no_reopen:
            for index in range(max(1, runs)):
                again = reopen_session(settings, [shown_path])
                result.reopens.append(again)
                if again.error:
                    failed = True
                    log(f"{result.label} re-open {index + 1}: FAILED: {again.error}")
                else:
                    log(
                        f"{result.label} re-open {index + 1}/{runs}: first rows "
                        f"{report.seconds(again.first_rows)}, searchable "
                        f"{report.seconds(again.loaded)}, peak RSS "
                        f"{report.megabytes(again.peak_rss)}"
                    )
        if args.load_presses > 0:
            result.loading = loading_session(settings, [shown_path])
            if result.loading.error:
                failed = True
                log(f"{result.label} keys while loading: FAILED: {result.loading.error}")
        if not args.no_grep:
            for word in args.words[:1]:
                result.grep[word], result.grep_files[word] = grep_times(path, word, runs)
        results.append(result)

    open_run = None
    if not args.no_open_sizes:
        folder = corpora.open_sizes_corpus(REPO, args.corpora)
        shown = os.path.relpath(folder, REPO) if folder.is_relative_to(REPO) else str(folder)
        open_run = open_sizes_session(settings, shown, corpora.SMALL_TITLE, corpora.LARGE_TITLE)
        if open_run.error:
            failed = True
            log(f"open-sizes session FAILED: {open_run.error}")

    figures = [report.summarise(result) for result in results]
    given = list(argv) if argv is not None else sys.argv[1:]
    command = " ".join(["python -m bench.run", *(shlex.quote(a) for a in given)])
    markdown = render(results, figures, open_run, info, settings, started, command)
    print(markdown)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "latest.md").write_text(markdown + "\n", encoding="utf-8")
    payload = {
        "started": started.isoformat(timespec="seconds"),
        "command": command,
        "machine": info,
        "settings": {
            "cols": settings.cols,
            "rows": settings.rows,
            "quiet": settings.quiet,
            "filter_quiet": settings.filter_quiet,
            "rest": settings.rest,
            "key_interval": settings.key_interval,
            "series": settings.series,
            "presses": settings.presses,
            "samples": settings.samples,
            "words": list(settings.words),
            "truecolor": settings.truecolor,
            "runs": args.runs,
            "large_runs": args.large_runs,
        },
        "sizes": [
            {
                "size": result.size,
                "html": result.html,
                "label": result.label,
                "path": result.path,
                "raw_bytes": result.raw_bytes,
                "summary": numbers,
                "bare_first_rows": result.bare,
                "grep": result.grep,
                "grep_files": result.grep_files,
                "runs": [run.to_json() for run in result.runs],
                "reopens": [run.to_json() for run in result.reopens],
                "loading": None if result.loading is None else dataclasses.asdict(result.loading),
            }
            for result, numbers in zip(results, figures, strict=True)
        ],
        "open_sizes": None
        if open_run is None
        else {
            "small": [vars_of(s) for s in open_run.small],
            "large": [vars_of(s) for s in open_run.large],
            "error": open_run.error,
        },
    }
    (args.out / "latest.json").write_text(
        json.dumps(payload, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    log(f"wrote {args.out / 'latest.md'} and latest.json")
    return 1 if failed else 0


def vars_of(sample: object) -> dict[str, object]:
    return dataclasses.asdict(sample)  # type: ignore[call-overload]


def render(
    results: Sequence[SizeResult],
    figures: Sequence[dict[str, Any]],
    open_run: OpenRun | None,
    info: dict[str, Any],
    settings: Settings,
    started: dt.datetime,
    command: str,
) -> str:
    """The Markdown page: machine, table, the two small tables, and how it was measured."""
    from . import report

    memory = info.get("memory_bytes")
    runs = ", ".join(f"{r.label}: {len(r.runs)}" for r in results)
    lines = [
        "# Broadsheet benchmark",
        "",
        f"Measured {started:%Y-%m-%d %H:%M} UTC on {info['nproc']} CPUs "
        f"({info['cpu'] or 'unknown CPU'}), "
        f"{(memory or 0) / 2**30:.0f} GiB RAM, {info['kernel']}; Python {info['python']}, "
        f"Textual {info['textual']}; commit {info['commit'] or 'unknown'}.",
        f"Terminal: a pty of {settings.cols}×{settings.rows}, TERM=xterm-256color"
        f"{', COLORTERM=truecolor' if settings.truecolor else ''}, read continuously. "
        f"Launches per size: {runs}. KB = 1,024 bytes. Filter words: "
        f"{', '.join(settings.words)}; WORD below is {settings.words[0]!r}.",
        f"Command: `{command}`",
        "",
        report.main_table(results, figures),
    ]
    if open_run is not None:
        lines += [
            "",
            "Opening a 5 KB and a 50 KB article (a two-article folder made from "
            "the seeds' paragraphs):",
            "",
            report.open_table(open_run),
        ]
    wire = report.wire_table(results, figures)
    if wire:
        lines += ["", "Bytes on the wire (transfer time alone, no link latency):", "", wire]
    lines += [
        "",
        HOW.format(
            quiet=round(settings.quiet * 1000),
            filter_quiet=round(settings.filter_quiet * 1000),
            load_interval=round(settings.load_interval * 1000),
            interval=round(settings.key_interval * 1000),
            rest=round(settings.rest * 1000),
        ),
    ]
    errors = [
        f"- {result.label} run {index + 1}: {run.error.splitlines()[0]}"
        for result in results
        for index, run in enumerate(result.runs)
        if run.error
    ]
    if errors:
        lines += ["", "Failed sessions (their figures are left out):", "", *errors]
    return "\n".join(lines)


HOW = """\
How each figure is measured (bench/scenario.py): the app runs as `python -m tui PATH` in
a pseudo-terminal; every chunk it writes is timestamped when read and fed to a VT
emulator (pyte), so a measurement waits for what the screen shows. A frame is done
when the output has been quiet for {quiet} ms ({filter_quiet} ms after a filter
keystroke) and the app used under a quarter of a CPU meanwhile (still computing is not
done); its time is that of its last byte, so the quiet window is never counted.
[n] = screen lines written.
- *First frame with rows*: spawn to the chunk that puts a list row (a date, `c. YYYY` or
  `undated` at the left) on screen; the bare app (bench/bare_app.py, one Static) is
  timed the same way just before each launch. *Start-up bytes*: everything written until
  that frame is complete.
- *Loaded*: spawn to the chunk after which the header no longer says "loading"; nothing
  is pressed meanwhile. *↓ while loading*: in one extra launch, ↓ every {load_interval} ms while the
  header says loading, key to the highlight moving.
- *Filter*: `/`, then each word typed one character at a time (p50/p95 over all
  keystrokes); key to the end of the frame with the echo, count and list. *The typed text
  and its list on screen*: key to the chunk after which the filter line (the text and
  its count) stops changing, not waiting for the app to stop computing: work in the
  background, such as the store's writing after a load, keeps the first figure open
  though the screen has answered. A slow search runs in the reader's search thread,
  which shows "searching…" by the old count until the count and list of its answer
  come, in one frame.
- *↓ held*: from the top, ↓ every {interval} ms (under the app's preview debounce, so
  each press is the list alone; the first press, from rest, is not counted); key to the
  highlight moving, bytes until the next press. *Scrolls*: the same from the last
  visible row. *Preview redraw*: what arrives once the presses stop. *↓ from rest*: one
  press after {rest} ms of quiet, to the screen resting again.
- *Page down*: from the top; bytes until {rest} ms of quiet. *Open*: ↓ and Enter in one
  write (the article was not previewed), to a quiet screen. *Peak RSS*: VmHWM of the
  app's process at the end ("tree" adds child processes, sampled every 200 ms while
  loading). *grep*: `grep -ril WORD DIR` with the first filter word, page cache warm."""


if __name__ == "__main__":
    sys.exit(main())
