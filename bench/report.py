"""Turn raw samples into the published table: medians, percentiles, targets, ✓ and ✗.

Targets are PRODUCT.md's "Speed and memory" table plus issue 6's wire budgets. A cell
is marked ✓ or ✗ only where a target applies to that column; everything else is shown
for information. The raw samples stay in the JSON, so any figure can be recomputed.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from .corpora import SEEDS_SIZE
from .scenario import AppRun, LoadingRun, OpenRun, Sample
from .wire import kib, link_ms

LARGE = 100_000
"""From this size on, the looser targets for 100,000 articles apply."""


@dataclass(slots=True)
class SizeResult:
    """Everything measured at one corpus size."""

    size: int
    path: str
    raw_bytes: int
    runs: list[AppRun] = field(default_factory=list)
    bare: list[float] = field(default_factory=list)
    grep: dict[str, list[float]] = field(default_factory=dict)
    grep_files: dict[str, int] = field(default_factory=dict)
    loading: LoadingRun | None = None
    reopens: list[AppRun] = field(default_factory=list)
    """Second launches: the store written by a first launch answers (issue 13)."""
    html: bool = False
    """Saved web pages (``make_corpus.py --html``, issue 14) rather than text files."""

    @property
    def label(self) -> str:
        if self.size == SEEDS_SIZE and not self.html:
            return "5 seeds"
        if self.size >= 1000 and self.size % 1000 == 0:
            count = f"{self.size // 1000:,}k"
        else:
            count = f"{self.size:,}"
        return f"{count} html" if self.html else count


def median(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def percentile(values: Iterable[float | None], q: float) -> float | None:
    """Nearest-rank percentile (no interpolation: it is one of the samples)."""
    present = sorted(v for v in values if v is not None)
    if not present:
        return None
    rank = max(1, math.ceil(q / 100 * len(present)))
    return present[rank - 1]


def _samples(runs: Sequence[AppRun], pick: Callable[[AppRun], Iterable[Sample]]) -> list[Sample]:
    return [sample for run in runs for sample in pick(run)]


def summarise(result: SizeResult) -> dict[str, float | int | None]:
    """The figures of one size, by metric key (seconds and bytes; None when not measured)."""
    runs = [run for run in result.runs if run.first_rows is not None]
    held = _samples(runs, lambda r: r.held)
    scrolled = _samples(runs, lambda r: r.scrolled)
    rested = _samples(runs, lambda r: r.rested)
    preview = _samples(runs, lambda r: r.preview)
    page = _samples(runs, lambda r: r.page)
    opened = _samples(runs, lambda r: r.opened)
    typed = [s for run in runs for samples in run.filter.values() for s in samples]
    load_moves = result.loading.moves if result.loading else []
    first = median(run.first_rows for run in runs)
    bare = median(result.bare)
    rare = next(iter(result.grep), None)
    again = [run for run in result.reopens if run.first_rows is not None]
    again_typed = [s for run in again for samples in run.filter.values() for s in samples]
    return {
        "reopen_rows": median(run.first_rows for run in again),
        "reopen_loaded": median(run.loaded for run in again),
        "reopen_filter_p95": percentile((s.done for s in again_typed), 95),
        "reopen_filter_shown_p95": percentile((s.shown for s in again_typed), 95),
        "reopen_rss": median(run.peak_rss for run in again),
        "reopen_n": len(again),
        "first_rows": first,
        "bare_first": bare,
        "first_ratio": first / bare if first is not None and bare else None,
        "startup_bytes": median(run.startup_bytes for run in runs),
        "loaded": median(run.loaded for run in runs),
        "load_gave_up": max((run.load_gave_up or 0 for run in runs), default=0) or None,
        "files_read": min(
            (run.files_read for run in runs if run.files_read is not None), default=None
        ),
        "load_move_p50": median(load_moves),
        "load_move_p95": percentile(load_moves, 95),
        "load_move_n": len(load_moves),
        "load_move_lost": result.loading.lost if result.loading else 0,
        "filter_p50": median(s.done for s in typed),
        "filter_p95": percentile((s.done for s in typed), 95),
        "filter_shown_p50": median(s.shown for s in typed),
        "filter_shown_p95": percentile((s.shown for s in typed), 95),
        "filter_bytes": median(s.nbytes for s in typed),
        "filter_bytes_max": max((s.nbytes for s in typed), default=None),
        "filter_n": len(typed),
        "move_p50": median(s.shown for s in held),
        "move_p95": percentile((s.shown for s in held), 95),
        "move_lost": sum(1 for s in held if s.shown is None),
        "move_bytes": median(s.nbytes for s in held),
        "move_bytes_max": max((s.nbytes for s in held), default=None),
        "move_lines": median(s.lines for s in held),
        "move_n": len(held),
        "scroll_p50": median(s.shown for s in scrolled),
        "scroll_bytes": median(s.nbytes for s in scrolled),
        "scroll_bytes_mean": statistics.fmean(s.nbytes for s in scrolled) if scrolled else None,
        "scroll_bytes_max": max((s.nbytes for s in scrolled), default=None),
        "scroll_lines": median(s.lines for s in scrolled),
        "scroll_n": len(scrolled),
        "rested_p50": median(s.done for s in rested),
        "rested_bytes": median(s.nbytes for s in rested),
        "preview_bytes": median(s.nbytes for s in preview),
        "preview_lines": median(s.lines for s in preview),
        "preview_after": median(s.done for s in preview),
        "page_p50": median(s.done for s in page),
        "page_bytes": median(run_bytes for run in runs for run_bytes in run.page_settled_bytes),
        "open_p50": median(s.done for s in opened),
        "open_bytes": median(s.nbytes for s in opened),
        "rested_lines": median(s.lines for s in rested),
        "filter_lines": median(s.lines for s in typed),
        "peak_rss": max((run.peak_rss or 0 for run in runs), default=0) or None,
        "peak_tree_rss": max((run.peak_tree_rss or 0 for run in runs), default=0) or None,
        "raw_bytes": result.raw_bytes,
        "grep": median(result.grep[rare]) if rare else None,
        "grep_files": result.grep_files.get(rare) if rare else None,
        "app_matches": median(run.matches.get(rare) for run in runs) if rare else None,
        "runs": len(result.runs),
        "errors": sum(1 for run in result.runs if run.error),
    }


# --- formatting ---------------------------------------------------------------------


def seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f} s"


def millis(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value * 1000:.1f} ms" if value < 0.1 else f"{value * 1000:.0f} ms"


def megabytes(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value / 2**20:.0f} MB" if value >= 2**20 else kib(value)


def duration(value: float | None) -> str:
    """Seconds when it is long, milliseconds when short (grep over five files)."""
    return seconds(value) if value is None or value >= 1 else millis(value)


def _lines(value: float | None) -> str:
    return "" if value is None else f" [{value:.0f}]"


def _mark(ok: bool | None) -> str:
    return "" if ok is None else (" ✓" if ok else " ✗")


@dataclass(slots=True)
class Row:
    """One metric: how to show it in a column and, where a target applies, check it."""

    label: str
    show: Callable[[dict, SizeResult], str]
    target: str = ""
    check: Callable[[dict, SizeResult], bool | None] = lambda figures, result: None
    after_load: bool = False
    """Measured on the loaded corpus only (skipped when loading never finished)."""


Check = Callable[[dict, SizeResult], bool | None]


def _under(key: str, limit: Callable[[SizeResult], float | None]) -> Check:
    def check(figures: dict, result: SizeResult) -> bool | None:
        value, bound = figures.get(key), limit(result)
        if value is None or bound is None:
            return None
        return value <= bound

    return check


def _seeds(result: SizeResult) -> bool:
    return result.size == SEEDS_SIZE and not result.html


def _memory_limit(result: SizeResult) -> float | None:
    if result.size >= LARGE:
        return 1.5 * result.raw_bytes + 100 * 2**20
    if result.size >= 10_000:
        return 200 * 2**20
    return None


def _show_loaded(figures: dict, result: SizeResult) -> str:
    if figures["load_gave_up"] is None:
        return seconds(figures["loaded"])
    read = figures["files_read"]
    text = f"not after {figures['load_gave_up']:.0f} s"
    if read is not None:
        text += f" ({read:,} files read)"
    if figures["loaded"] is not None:  # some runs finished, some did not
        text += f"; finished runs: {seconds(figures['loaded'])}"
    return text


def _check_loaded(figures: dict, result: SizeResult) -> bool | None:
    if result.html:
        return None  # issue 14 sets no loading target for web pages, only for re-opening
    limit = None if _seeds(result) else (15.0 if result.size >= LARGE else 2.0)
    if limit is None:
        return None
    if figures["load_gave_up"] is not None:
        return False
    return _under("loaded", lambda r: limit)(figures, result)


def _show_load_moves(figures: dict, result: SizeResult) -> str:
    if result.loading is None:
        return "not measured"
    if result.loading.error:
        return "failed"
    if result.loading.loaded_first:
        return "loaded before the first key"
    text = f"{millis(figures['load_move_p50'])} / {millis(figures['load_move_p95'])}"
    text += f" (n={figures['load_move_n']}"
    if figures["load_move_lost"]:
        text += f", {figures['load_move_lost']} lost"
    return text + ")"


def _show_rss(figures: dict, result: SizeResult) -> str:
    text = megabytes(figures["peak_rss"])
    tree = figures["peak_tree_rss"]
    if tree and figures["peak_rss"] and tree > 1.05 * figures["peak_rss"]:
        text += f" (tree {megabytes(tree)})"
    if figures["loaded"] is None and figures["load_gave_up"] is not None:
        text += f" with {figures['files_read'] or 0:,} files read"
    return text


def _check_rss(figures: dict, result: SizeResult) -> bool | None:
    if figures["loaded"] is None:
        return None  # memory of a half-loaded corpus says nothing about the target
    return _under("peak_rss", _memory_limit)(figures, result)


def _reopen_words(result: SizeResult) -> list[str]:
    """The words a re-open searched for, in the order typed."""
    return list(dict.fromkeys(word for run in result.reopens for word in run.listed))


def _targeted_words(result: SizeResult) -> list[str]:
    """The re-open's words when its size has targets for them (100k and more)."""
    return _reopen_words(result) if result.size >= LARGE else []


def _listed(result: SizeResult, word: str) -> tuple[float | None, float | None, int | None]:
    """A re-open's ``--list --query WORD``: median seconds of its first and second
    runs, and its matches."""
    runs = [run.listed[word] for run in result.reopens if word in run.listed]
    return (
        median(first for first, _, _ in runs),
        median(again for _, again, _ in runs),
        runs[0][2] if runs else None,
    )


def _typed(result: SizeResult, word: str) -> float | None:
    return median(run.typed_at_rows[word] for run in result.reopens if word in run.typed_at_rows)


def _each_word(result: SizeResult, shown_for: Callable[[str], str]) -> str:
    """Each re-open word with what *shown_for* says of it."""
    return "; ".join(f"{word} {shown_for(word)}" for word in _reopen_words(result)) or (
        "not measured"
    )


def _show_listed(figures: dict, result: SizeResult) -> str:
    def shown_for(word: str) -> str:
        first, again, matches = _listed(result, word)
        return f"{seconds(first)} / {seconds(again)} [{matches:,}]"

    return _each_word(result, shown_for)


def _check_listed(figures: dict, result: SizeResult) -> bool | None:
    words = _targeted_words(result)
    if not words:
        return None
    took = _listed(result, words[0])[1]  # the target is for a word, the rare one, unchanged
    return None if took is None else took <= 0.3


def _show_typed(figures: dict, result: SizeResult) -> str:
    def shown_for(word: str) -> str:
        took = _typed(result, word)
        asked = any(word in run.typed_at_rows for run in result.reopens)
        return seconds(took) if took is not None or not asked else "never"

    return _each_word(result, shown_for)


def _check_typed(figures: dict, result: SizeResult) -> bool | None:
    words = _targeted_words(result)
    if not words:
        return None
    limit = 3.0 if result.size >= 1_000_000 else 1.5
    times = [_typed(result, word) for word in words]
    return all(took is not None and took <= limit for took in times)


ROWS: list[Row] = [
    Row(
        "launch → first frame with rows",
        lambda f, r: seconds(f["first_rows"]),
        "5 seeds: ≤ 1.5× bare; 10k, 100k: ≤ 0.5 s",
        lambda f, r: (
            _under("first_ratio", lambda r: 1.5)(f, r)
            if _seeds(r)
            else _under("first_rows", lambda r: 0.5)(f, r)
        ),
    ),
    Row("bare Textual app, first frame (yardstick)", lambda f, r: seconds(f["bare_first"])),
    Row(
        "first frame ÷ bare app",
        lambda f, r: "—" if f["first_ratio"] is None else f"{f['first_ratio']:.2f}×",
        "5 seeds: ≤ 1.5×",
        lambda f, r: _under("first_ratio", lambda r: 1.5)(f, r) if _seeds(r) else None,
    ),
    Row("start-up bytes (to first frame with rows)", lambda f, r: kib(f["startup_bytes"])),
    Row(
        "whole corpus loaded (header stops saying loading)",
        _show_loaded,
        "10k: ≤ 2 s; 100k: ≤ 15 s (html: none)",
        _check_loaded,
    ),
    Row(
        "re-open: second launch → first rows / every article read (header stops saying loading)",
        lambda f, r: (
            "not measured"
            if not f["reopen_n"]
            else f"{seconds(f['reopen_rows'])} / {seconds(f['reopen_loaded'])}"
        ),
        "100k: ≤ 0.5 s / ≤ 0.5 s (1.5 s at most)",
        lambda f, r: (
            None
            if not f["reopen_n"] or r.size < LARGE or f["reopen_loaded"] is None
            else f["reopen_rows"] <= 0.5 and f["reopen_loaded"] <= 1.5
        ),
    ),
    Row(
        "re-open: `--list --query WORD`, first / second run [matches], each word",
        _show_listed,
        "100k: ≤ 0.3 s (the rare word)",
        _check_listed,
    ),
    Row(
        "re-open: WORD typed at first rows → every match listed, from launch, each word",
        _show_typed,
        "100k: ≤ 0.5 s (1.5 s at most); 1M: ≤ 3 s",
        _check_typed,
    ),
    Row(
        "re-open: filter p95 / peak RSS",
        lambda f, r: (
            "not measured"
            if not f["reopen_n"]
            else f"{millis(f['reopen_filter_p95'])} / {megabytes(f['reopen_rss'])}"
        ),
        "100k: RSS ≤ 250 MB",
        lambda f, r: (
            None
            if not f["reopen_n"] or r.size < LARGE or f["reopen_rss"] is None
            else f["reopen_rss"] <= 250 * 2**20
        ),
    ),
    Row(
        "↓ while loading, key → frame p50 / p95",
        _show_load_moves,
        "≤ 5 ms",
        _under("load_move_p50", lambda r: 0.005),
    ),
    Row(
        "filter keystroke → list repainted p50 / p95",
        lambda f, r: f"{millis(f['filter_p50'])} / {millis(f['filter_p95'])}",
        "p95 ≤ 16 ms; 100k: ≤ 50 ms",
        _under("filter_p95", lambda r: 0.05 if r.size >= LARGE else 0.016),
        after_load=True,
    ),
    Row(
        "filter keystroke → the typed text and its list on screen p50 / p95 (re-open: p95)",
        lambda f, r: (
            f"{millis(f['filter_shown_p50'])} / {millis(f['filter_shown_p95'])}"
            + (f" (re-open: {millis(f['reopen_filter_shown_p95'])})" if f["reopen_n"] else "")
        ),
        "— (the row above also waits for the app to stop computing)",
        after_load=True,
    ),
    Row(
        "bytes per filter keystroke, median / max [lines written]",
        lambda f, r: (
            f"{kib(f['filter_bytes'])} / {kib(f['filter_bytes_max'])}" + _lines(f["filter_lines"])
        ),
        "≤ 20 KB",
        _under("filter_bytes", lambda r: 20 * 1024),
        after_load=True,
    ),
    Row(
        "↓ held (list only), key → frame p50 / p95",
        lambda f, r: (
            f"{millis(f['move_p50'])} / {millis(f['move_p95'])}"
            + (f" ({f['move_lost']} lost)" if f["move_lost"] else "")
        ),
        "≤ 5 ms",
        _under("move_p50", lambda r: 0.005),
        after_load=True,
    ),
    Row(
        "bytes per ↓ held (list only), median / max [lines written]",
        lambda f, r: (
            f"{kib(f['move_bytes'])} / {kib(f['move_bytes_max'])}" + _lines(f["move_lines"])
        ),
        "≤ 2 KB",
        _under("move_bytes", lambda r: 2048),
        after_load=True,
    ),
    Row(
        "bytes per ↓ held across the list's last row (the list scrolls), mean / median / max",
        lambda f, r: (
            "too few rows to scroll"
            if not f["scroll_n"]
            else f"{kib(f['scroll_bytes_mean'])} / {kib(f['scroll_bytes'])} / "
            f"{kib(f['scroll_bytes_max'])}"
        ),
        "≤ 2 KB (mean)",
        _under("scroll_bytes_mean", lambda r: 2048),
        after_load=True,
    ),
    Row(
        "preview redraw once the cursor rests: bytes [lines]",
        lambda f, r: (
            kib(f["preview_bytes"])
            + _lines(f["preview_lines"])
            + (
                f", done {millis(f['preview_after'])} after the last key"
                if f["preview_after"]
                else ""
            )
        ),
        "≤ 8 KB",
        _under("preview_bytes", lambda r: 8 * 1024),
        after_load=True,
    ),
    Row(
        "↓ from rest, list + preview: time to a resting screen, bytes [lines]",
        lambda f, r: (
            f"{millis(f['rested_p50'])}, {kib(f['rested_bytes'])}" + _lines(f["rested_lines"])
        ),
        after_load=True,
    ),
    Row(
        "page down: time, bytes (incl. preview)",
        lambda f, r: f"{millis(f['page_p50'])}, {kib(f['page_bytes'])}",
        "≤ 8 KB",
        _under("page_bytes", lambda r: 8 * 1024),
        after_load=True,
    ),
    Row(
        "open next article (↓⏎): time, bytes",
        lambda f, r: f"{millis(f['open_p50'])}, {kib(f['open_bytes'])}",
        "≤ 16 ms (articles here are 1–8 KB)",
        _under("open_p50", lambda r: 0.016),
        after_load=True,
    ),
    Row(
        "peak RSS (app process, VmHWM)",
        _show_rss,
        "10k: ≤ 200 MB; 100k: ≤ 1.5× raw + 100 MB",
        _check_rss,
    ),
    Row("raw text on disk (html: the pages' bytes)", lambda f, r: megabytes(f["raw_bytes"])),
    Row("grep -ril WORD (yardstick for search)", lambda f, r: duration(f["grep"])),
    Row(
        "matches for WORD: app / grep (files)",
        lambda f, r: (
            f"{'—' if f['app_matches'] is None else int(f['app_matches'])}"
            f" / {'—' if f['grep_files'] is None else f['grep_files']}"
        ),
        after_load=True,
    ),
]


def main_table(results: Sequence[SizeResult], figures: Sequence[dict]) -> str:
    header = ["metric", *[result.label for result in results], "target"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in ROWS:
        cells = [row.label]
        for result, numbers in zip(results, figures, strict=True):
            if not result.runs or all(run.first_rows is None for run in result.runs):
                cells.append("failed")
                continue
            if row.after_load and all(run.load_gave_up for run in result.runs):
                cells.append("— (never loaded)")
                continue
            cells.append(row.show(numbers, result) + _mark(row.check(numbers, result)))
        cells.append(row.target or "—")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def open_table(run: OpenRun | None) -> str:
    if run is None:
        return ""
    lines = [
        "| article | open (↓⏎ / ↑⏎), median | bytes | target |",
        "|---|---|---|---|",
    ]
    for label, samples, limit in (("5 KB", run.small, 0.016), ("50 KB", run.large, 0.05)):
        time = median(s.done for s in samples)
        mark = "" if time is None else _mark(time <= limit)
        lines.append(
            f"| {label} | {millis(time)}{mark} | {kib(median(s.nbytes for s in samples))} "
            f"| ≤ {limit * 1000:.0f} ms |"
        )
    if run.error:
        lines.append(f"\nerror: {run.error.splitlines()[0]}")
    return "\n".join(lines)


WIRE = [
    ("start-up (to first frame with rows)", "startup_bytes"),
    ("↓ in the list (held)", "move_bytes"),
    ("↓ held across the list's last row (mean)", "scroll_bytes_mean"),
    ("preview redraw", "preview_bytes"),
    ("page down (incl. preview)", "page_bytes"),
    ("open an article", "open_bytes"),
    ("filter keystroke", "filter_bytes"),
]


def wire_table(results: Sequence[SizeResult], figures: Sequence[dict]) -> str:
    """Issue 6: what each interaction costs on a 1 Mbit/s link (the largest corpus measured;
    a text one when there is one, as the budgets were set for text)."""
    usable = [
        (r, f) for r, f in zip(results, figures, strict=True) if f.get("move_bytes") is not None
    ]
    usable = [(r, f) for r, f in usable if not r.html] or usable
    if not usable:
        return ""
    result, numbers = usable[-1]
    lines = [
        f"| interaction ({result.label}) | bytes | at 1 Mbit/s |",
        "|---|---|---|",
    ]
    for label, key in WIRE:
        value = numbers.get(key)
        ms = link_ms(value)
        lines.append(f"| {label} | {kib(value)} | {'—' if ms is None else f'{ms:.0f} ms'} |")
    return "\n".join(lines)
