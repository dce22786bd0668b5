"""Three fuzzers over untrusted input, run for a bounded time: ``make fuzz``.

- ``bytes``: random file contents through ``read_article`` (decoding, headers, dates,
  cleaning, markdown): it never raises, no displayed field carries a control character
  or a surrogate, and every date is a real day within 1900–2099.
- ``names``: random file and folder names (bytes that are not UTF-8, control and bidi
  characters, very long names) through ``discover``, ``read_article``, ``to_json`` and
  the ``--list`` printer: nothing raises, every displayed string encodes as UTF-8 and
  has no control character, ``path_bytes`` gives the real name back, and the real path
  opens the file and finds the article (``--show PATH``).
- ``queries``: random query text (the language's syntax, the corpus' own words, any
  Unicode, long shapes) through ``parse_query`` and the search index: nothing raises but
  ``QueryError``, and FTS5 answers what scanning every article answers.

Plain seeded random loops, not Hypothesis: each case is made from its own seed, so a
failure prints a reproducer (``--fuzzer F --seed S``) and the input itself. Not part of
``make test``: it runs for ``--seconds`` in all (default 120), split between the
fuzzers; a case that runs longer than ``--case-timeout`` is a failure (a hang).

    python scripts/fuzz.py [--seconds 120] [--fuzzer bytes|names|queries] [--seed S]
"""

from __future__ import annotations

import argparse
import base64
import codecs
import datetime
import io
import json
import os
import random
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from tui.corpus.files import ARTICLE_SUFFIXES, Skipped, discover
from tui.corpus.index import SearchIndex, fts5_available
from tui.corpus.markdown import document_for, safe_link
from tui.corpus.model import Article, Corpus, read_article, read_found, read_raw
from tui.corpus.query import QueryError, parse_query
from tui.corpus.safe import is_safe

# --- checks shared by the fuzzers ------------------------------------------------------


def text_problem(name: str, value: object, one_line: bool = True) -> str | None:
    """Why *value*, shown to a person, is unsafe: None when it is fine."""
    if value is None:
        return None
    if not isinstance(value, str):
        return f"{name} is {type(value).__name__}, not text"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        return f"{name} does not encode as UTF-8 ({error.reason}): {value!r}"
    if not is_safe(value):
        return f"{name} holds a control character: {value!r}"
    if one_line and ("\n" in value or "\t" in value or "\r" in value):
        return f"{name} holds a line break or tab: {value!r}"
    return None


def shown_fields(article: Article) -> Iterator[tuple[str, object, bool]]:
    """Every string of *article* that reaches a screen or stdout: (name, value, one line)."""
    for name in ("id", "path", "title", "title_source", "date_text", "source", "author", "url"):
        yield name, getattr(article, name), True
    yield "date", article.date_iso, True
    yield "describe_date()", article.describe_date(), True
    yield "describe_title()", article.describe_title(), True
    for number, value in enumerate(article.tags):
        yield f"tags[{number}]", value, True
    for number, value in enumerate(article.warnings):
        yield f"warnings[{number}]", value, True
    for number, value in enumerate(article.duplicates):
        yield f"duplicates[{number}]", value, True
    for number, paragraph in enumerate(article.paragraphs):
        yield f"paragraph {number}", paragraph, False


def date_problems(article: Article) -> list[str]:
    problems = []
    date = article.date
    if date is not None:
        if not 1900 <= date.year <= 2099:
            problems.append(f"date year {date.year} outside 1900–2099")
        try:
            datetime.date(date.year, date.month or 1, date.day or 1)
        except ValueError as error:
            problems.append(f"date {date!r} is no real day: {error}")
    if article.not_before is not None and not 1900 <= article.not_before <= 2099:
        problems.append(f"not_before {article.not_before} outside 1900–2099")
    problems += [f"years_named has {y}" for y in article.years_named if not 1900 <= y <= 2099]
    return problems


def article_problems(article: Article) -> list[str]:
    """What is wrong with a parsed article as the list, the reader and the CLI show it."""
    problems = [p for f in shown_fields(article) if (p := text_problem(*f))]
    problems += date_problems(article)
    try:
        encoded = json.dumps(article.to_json(), ensure_ascii=False).encode("utf-8")
        json.loads(encoded)
    except (TypeError, ValueError) as error:
        problems.append(f"to_json fails: {error!r}")
    out = io.StringIO()
    Printer.print_list([article], as_json=False, out=out)
    problems += [p for p in [text_problem("--list line", out.getvalue().rstrip("\n"))] if p]
    raw = read_raw(article.file_path)
    problems += [p for p in [text_problem("raw text (r)", raw, one_line=False)] if p]
    if article.markup == "markdown" and article.body_line >= 0:
        document = document_for(
            raw, article.body_line, article.title, article.title_source, article.paragraphs
        )
        if document is not None:
            for number, block in enumerate(document.blocks):
                where = f"markdown block {number}"
                problems += [
                    p
                    for p in (
                        text_problem(f"{where} text", block.text, one_line=False),
                        text_problem(f"{where} marker", block.marker),
                        text_problem(f"{where} language", block.language),
                        *(text_problem(f"{where} cell", c) for row in block.rows for c in row),
                        *(
                            text_problem(f"{where} link", safe_link(span.link))
                            for span in block.spans
                        ),
                    )
                    if p
                ]
            for group in document.text_groups():
                for lead, text, _wrap in group:
                    problems += [p for p in [text_problem("--show line", lead + text)] if p]
    return problems


class Printer:
    """The CLI's ``--list`` printer, imported lazily (``tui.__main__`` imports argparse)."""

    @staticmethod
    def print_list(articles: list[Article], as_json: bool, out: io.StringIO) -> None:
        from tui.__main__ import print_list

        print_list(articles, as_json, out)


# --- fuzzer 1: random bytes as file contents ------------------------------------------------

TEXT_PIECES = [
    "Date: ", "Title: ", "Published: ", "Source: ", "Author: ", "By ", "Subject: ", "From: ",
    "Headline: ", "URL: ", "Tags: ", "---\n", "+++\n", "title: ", "date: ", "tags: [", "]",
    "author: ", "\n", "\n\n", "\r\n", "\r", " ", "  ", "\t", ": ", ", ", ". ",
    "2024-10-08", "2024-13-45", "2024-02-30", "31/12/1899", "1899", "1900", "2099", "2100",
    "0000", "9999-99-99", "October 8, 2024", "8 octobre 2024", "2024年7月8日", "٢٠٢٤",
    "१९९९", "Sept. 31", "12:30", "+0500", "T10:00:00Z", "*2024-02-14*", " date 2024-10-08 ",
    "# ", "## ", "**", "_", "[", "](", "http://example.org/a", "javascript:alert(1)",
    "<script>", "</p>", "<a href='x'>", "&amp;", "&#27;", "&#x1b;", "&#0;", "&#x9b;",
    "&#x202e;", "<!--", "```", "```python\n", "|", "| --- |", "> ", "- ", "1. ", "    ",
    "\x1b]0;pwned\x07", "\x1b[31m", "\x1b[2J", "\x9b", "\x00", "\x07", "\x08", "\x7f",
    "\u202e", "\u2066", "\u2028", "\u2029", "\ufeff", "\u200d", "\ufe0f", "\u0301",
    "Powered by ", " logo", "=====", "[Related: ", "You need to be a member",
    "Pakistan", "Москва", "東京", "서울", "café", "e\u0301", "👩\u200d👩\u200d👧", "🇫🇷",
    "In 1998 and in 2031 ", "the year 2150", "SCO summit", "Putin", "Xi",
]  # fmt: skip

ENCODINGS = ["utf-8", "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252", "latin-1"]


def random_text(rng: random.Random, pieces: int) -> str:
    parts = []
    for _ in range(pieces):
        roll = rng.random()
        if roll < 0.8:
            parts.append(rng.choice(TEXT_PIECES))
        elif roll < 0.95:
            parts.append("".join(chr(rng.randint(0x20, 0x2FFF)) for _ in range(rng.randint(1, 8))))
        else:
            parts.append(chr(rng.randint(0, 0x10FFFF)))
    return "".join(parts)


def random_contents(rng: random.Random) -> bytes:
    """A file's bytes: structured text in some encoding, mutated, or noise."""
    roll = rng.random()
    if roll < 0.15:
        return rng.randbytes(rng.randint(0, 4096))
    text = random_text(rng, rng.randint(0, 120))
    if rng.random() < 0.05:
        text += rng.choice(TEXT_PIECES) * rng.randint(1000, 40000)  # a very long line
    encoding = rng.choice(ENCODINGS)
    lone_surrogates = encoding.startswith("utf") and rng.random() < 0.5
    data = text.encode(encoding, "surrogatepass" if lone_surrogates else "replace")
    if rng.random() < 0.1:
        data = rng.choice([codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE]) + data
    if data and rng.random() < 0.3:
        mutable = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            position = rng.randrange(len(mutable) + 1)
            choice = rng.random()
            if choice < 0.4 and position < len(mutable):
                mutable[position] = rng.randrange(256)
            elif choice < 0.7:
                mutable[position:position] = rng.randbytes(rng.randint(1, 4))
            else:
                del mutable[position : position + rng.randint(1, 16)]
        data = bytes(mutable)
    return data


def bytes_case(rng: random.Random, folder: Path, record: Callable[[str], None]) -> list[str]:
    data = random_contents(rng)
    suffix = rng.choice([".txt", ".txt", ".md", ".md", ".html"])
    path = folder / f"case{suffix}"
    path.write_bytes(data)
    record(f"file {path.name!r}, {len(data)} bytes, base64 {base64.b64encode(data).decode()}")
    item = read_article(str(path))
    if isinstance(item, Skipped):
        problems = [p for p in (text_problem("skipped path", item.path),) if p]
        problems += [p for p in (text_problem("skipped reason", item.reason),) if p]
        return problems
    return article_problems(item)


# --- fuzzer 2: random file names ---------------------------------------------------------

NAME_PIECES = [
    b"\xe9", b"\xff", b"\xfe", b"\xc3", b"\x80", b"\xed\xa0\x80", b"\x1b]0;pwned\x07",
    b"\x1b[2J", b"\x1b", b"\x9b", "\u009b".encode(), "\u202e".encode(), "\u2066".encode(),
    "\u2028".encode(), "\ufeff".encode(), b"\n", b"\r", b"\t", b" ", b"-", b"--", b"..", b".",
    b"~", b"$HOME", b"`id`", b"$(id)", b";", b"|", b"&", b"*", b"?", b"[", b"\\", b"'", b'"',
    b"%s", b"%n", "caf\u00e9".encode(), "東京".encode(), "👩\u200d👩\u200d👧".encode(),
    b"2024-01-02", b"report", b"news", b" ", b"\x7f", b"\x01",
]  # fmt: skip


def random_name(rng: random.Random, suffix: bool) -> bytes:
    """A name's bytes: anything but ``/`` and NUL, at most 255 bytes in all."""
    parts = []
    for _ in range(rng.randint(1, 8)):
        if rng.random() < 0.6:
            parts.append(rng.choice(NAME_PIECES))
        else:
            parts.append(bytes(rng.choice(range(1, 256)) for _ in range(rng.randint(1, 6))))
    if rng.random() < 0.05:
        parts.append(rng.choice(NAME_PIECES) * 300)
    name = b"".join(parts).replace(b"/", b"_").replace(b"\0", b"_")
    end = rng.choice([b".txt", b".txt", b".md", b".TXT", b".Md", b".html", b""]) if suffix else b""
    name = name[: 255 - len(end)] + end
    return b"_" + name[1:] if name in (b".", b"..") or not name else name


def names_case(rng: random.Random, folder: Path, record: Callable[[str], None]) -> list[str]:
    root = os.fsencode(folder / "corpus")
    os.mkdir(root)
    made: list[bytes] = []
    expected = 0
    for _ in range(rng.randint(1, 6)):
        parent = root
        hidden = False
        if rng.random() < 0.3:
            sub = random_name(rng, suffix=False)
            parent = os.path.join(root, sub)
            hidden = sub.startswith(b".")
            if not os.path.lexists(parent):
                os.mkdir(parent)
            elif not os.path.isdir(parent):
                continue  # a file made earlier has that name
        name = random_name(rng, suffix=True)
        path = os.path.join(parent, name)
        if os.path.exists(path):
            continue
        body = random_text(rng, rng.randint(0, 12)) if rng.random() < 0.3 else ""
        text = f"Date: 2024-01-{len(made) + 1:02}\n\nBody {len(made)} {body}.\n"
        with open(path, "wb") as handle:
            handle.write(text.encode("utf-8", "surrogatepass"))
        made.append(path)
        suffix = os.path.splitext(name)[1].decode("latin-1").lower()
        expected += suffix in ARTICLE_SUFFIXES and not hidden
    record("names " + repr(made))
    problems: list[str] = []
    found = list(discover([os.fsdecode(root)]))
    if len(found) != expected:
        problems.append(f"{expected} article files made, discover found {len(found)}")
    items = [read_found(item) for item in found]
    corpus = Corpus("fuzz")
    corpus.add(items)
    for item in items:
        if isinstance(item, Skipped):
            problems += [p for p in (text_problem("skipped path", item.path),) if p]
            problems += [p for p in (text_problem("skipped reason", item.reason),) if p]
            line = f"broadsheet: skipped {item.path}: {item.reason}"
            problems += [p for p in (text_problem("skip message", line),) if p]
            continue
        problems += article_problems(item)
        real = os.fsencode(item.file_path)
        if not os.path.isfile(item.file_path):
            problems.append(f"file_path {item.file_path!r} does not open the file")
        record = item.to_json()
        if "path_bytes" in record:
            if base64.b64decode(str(record["path_bytes"])) != real:
                problems.append(f"path_bytes does not give {real!r} back")
        elif os.fsencode(str(record["path"])) != real and item.path != item.file_path:
            problems.append(f"path {item.path!r} is lossy and there is no path_bytes")
        if item.duplicates:
            continue  # a duplicate's path finds its primary article
        if corpus.find(item.file_path) is not corpus.by_key(item.key):
            problems.append(f"--show {item.file_path!r} does not find its article")
    return problems


# --- fuzzer 3: random queries ------------------------------------------------------------------

QUERY_PIECES = [
    "title:", "date:", "before:", "after:", "is:", "IS:", "Date:", "foo:", "OR", "or", " OR ",
    '"', "“", "”", "„", "-", "..", ":", "2024", "2024-10", "2024-13-45", "-08", "read",
    "unread", "flagged", "undated", "inferred", "bogus", " ", "  ", "\t", "\n", "http://",
    "10:30", "café", "ß", "ﬁ", "e\u0301", "\x00", "\x1b", "\ud800", "January 1, 2024",
    "9999", "0000", "..2022", "2021..", "author:", "site:", "tag:", "TAG:#", "bbc.co.uk",
    "//", ".", ":8080", "£", "€", "$", "#", "@", "++", "C#", "東京都", "京", "서울", "ｶﾀｶﾅ",
    "\U00020000", "*", "(", ")", "^", "NEAR", "AND", "NOT", "{", "}", "'", "\\", "%", "_",
]  # fmt: skip

CORPUS_WORDS = [
    "pakistan", "russia", "putin", "xi", "sco", "prime minister", "café", "Cafe", "naïve",
    "straße", "STRASSE", "ﬁnance", "東京都", "京都", "2024年7月", "ロンドン", "서울에서",
    "£1bn", "€5m", "C++", "c#", "#climate", "@bbc", "Москва", "Ελλάδα", "the", "of", "or",
]  # fmt: skip


@dataclass
class QueryWorld:
    """A corpus parsed from generated files, indexed both ways, and a read/flag state."""

    articles: list[Article]
    index: SearchIndex
    words: list[str]
    state: FakeState
    slowest: tuple[float, str] = (0.0, "")
    rejected: int = 0


@dataclass
class FakeState:
    read: set[str] = field(default_factory=set)
    flagged: set[str] = field(default_factory=set)

    def is_read(self, key: str) -> bool:
        return key in self.read

    def is_flagged(self, key: str) -> bool:
        return key in self.flagged


def make_world(folder: Path, seed: int) -> QueryWorld:
    rng = random.Random(seed)
    source = folder / "world"
    source.mkdir()
    for number in range(160):
        date = rng.choice(
            ["", f"Date: {rng.randint(2015, 2026)}-{rng.randint(1, 12):02}-{rng.randint(1, 28):02}"]
        )
        head = [date, f"Author: {rng.choice(['Jane Smith', 'Jürgen O’Brien', '山田'])}"]
        if rng.random() < 0.5:
            head.append(f"URL: https://{rng.choice(['www.bbc.co.uk', 'example.org'])}/{number}")
        title = " ".join(rng.choice(CORPUS_WORDS) for _ in range(rng.randint(1, 5)))
        words = [rng.choice(CORPUS_WORDS) for _ in range(rng.randint(0, 40))]
        words += [random_text(rng, 2) for _ in range(rng.randint(0, 3))]
        if rng.random() < 0.3:
            words.append(f"in {rng.randint(1990, 2030)}")
        text = "\n".join(h for h in head if h) + f"\nTitle: {title}\n\n{' '.join(words)}\n"
        (source / f"{number:03}.txt").write_text(text, encoding="utf-8", errors="surrogatepass")
    corpus = Corpus("fuzz")
    corpus.add(read_found(found) for found in discover([str(source)]))
    articles = list(corpus.by_serial)
    index = SearchIndex(backend="fts5" if fts5_available() else "scan", shards=2)
    index.chunk_size = 16
    index.add(articles)
    vocabulary = sorted({w for a in articles for w in (a.title + " " + a.text).split()})
    state = FakeState(
        {a.key for a in articles if rng.random() < 0.3},
        {a.key for a in articles if rng.random() < 0.1},
    )
    return QueryWorld(articles, index, vocabulary[:400], state)


def random_query(rng: random.Random, world: QueryWorld) -> str:
    roll = rng.random()
    if roll < 0.05:  # a long shape: many terms, ORs or negations
        term = rng.choice(["w{}", "-w{}", "w{} OR", "is:read OR is:unread", '"w{} x"', "title:w{}"])
        return " ".join(term.format(n) for n in range(rng.randint(50, 1500)))
    if roll < 0.1:
        return "".join(chr(rng.randint(0, 0x10FFFF)) for _ in range(rng.randint(1, 30)))
    parts = []
    for _ in range(rng.randint(1, 10)):
        pick = rng.random()
        if pick < 0.45:
            word = rng.choice(world.words)
            parts.append(word[: rng.randint(1, len(word))] if rng.random() < 0.3 else word)
        elif pick < 0.9:
            parts.append(rng.choice(QUERY_PIECES))
        else:
            parts.append(chr(rng.randint(0x20, 0x2FFF)))
        if rng.random() < 0.6:
            parts.append(" ")
    return "".join(parts)


def queries_case(rng: random.Random, world: QueryWorld, record: Callable[[str], None]) -> list[str]:
    text = random_query(rng, world)
    record(f"query {text!r}")
    started = time.perf_counter()
    try:
        query = parse_query(text)
    except QueryError as error:
        world.rejected += 1
        problem = text_problem("query error", str(error))
        return [problem] if problem else []
    found = world.index.search(query, world.state)
    took = time.perf_counter() - started
    if took > world.slowest[0]:
        world.slowest = (took, text if len(text) < 120 else text[:117] + "…")
    scanned = {a.serial for a in world.articles if query.matches(a, world.state)}
    problems = []
    if found is None:
        if not query.is_empty():
            problems.append("the index answered None to a query that is not empty")
    elif found != scanned:
        extra, missing = sorted(found - scanned)[:5], sorted(scanned - found)[:5]
        problems.append(f"index and scan differ: index only {extra}, scan only {missing}")
    for article in world.articles[:20]:
        query.highlight_spans(article.title, title=True)
    return problems


# --- running -------------------------------------------------------------------------------------


class Hang(Exception):
    pass


def _alarm(_signal: int, _frame: FrameType | None) -> None:
    raise Hang


@dataclass
class Result:
    name: str
    cases: int = 0
    failures: list[tuple[int, str, list[str]]] = field(default_factory=list)
    seconds: float = 0.0
    note: str = ""


def run_fuzzer(
    name: str,
    case: Callable[[random.Random, Path, Callable[[str], None]], list[str]],
    seconds: float,
    base_seed: int,
    case_timeout: int,
    only_seed: int | None = None,
    stop_after: int | None = None,
    cases: int | None = None,
) -> Result:
    """Run *case* on fresh seeds until *seconds* have passed (or *stop_after* failures)."""
    result = Result(name)
    started = time.monotonic()
    seeds = [only_seed] if only_seed is not None else (base_seed + n for n in range(1 << 62))
    scratch = Path(tempfile.mkdtemp(prefix=f"broadsheet-fuzz-{name}-"))
    try:
        for seed in seeds:
            if only_seed is None and time.monotonic() - started >= seconds:
                break
            if stop_after is not None and len(result.failures) >= stop_after:
                break
            if cases is not None and result.cases >= cases:
                break
            folder = scratch / str(seed)
            folder.mkdir()
            inputs = ["(no input made: the fuzzer itself failed)"]
            signal.alarm(case_timeout)
            try:
                problems = case(random.Random(seed), folder, inputs.append)
            except Hang:
                problems = [f"took over {case_timeout} s (a hang?)"]
            except Exception:
                problems = ["raised:\n" + traceback.format_exc()]
            finally:
                signal.alarm(0)
            result.cases += 1
            if problems:
                if len(result.failures) < 5:
                    result.failures.append((seed, inputs[-1], problems))
                else:
                    result.failures.append((seed, "", []))
            shutil.rmtree(folder, ignore_errors=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    result.seconds = time.monotonic() - started
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=120.0, help="time for all fuzzers")
    parser.add_argument("--fuzzer", choices=["bytes", "names", "queries"], action="append")
    parser.add_argument("--seed", type=int, help="run the one case made from this seed")
    parser.add_argument("--base-seed", type=int, help="first seed (default: from the clock)")
    parser.add_argument("--case-timeout", type=int, default=20, help="seconds a case may take")
    parser.add_argument("--cases", type=int, help="stop each fuzzer after this many cases")
    args = parser.parse_args(argv)
    chosen = args.fuzzer or ["bytes", "names", "queries"]
    base = args.base_seed if args.base_seed is not None else int(time.time()) * 1_000_000
    each = args.seconds / len(chosen)
    signal.signal(signal.SIGALRM, _alarm)
    results = []
    for name in chosen:
        if name == "queries":
            world_folder = Path(tempfile.mkdtemp(prefix="broadsheet-fuzz-world-"))
            try:
                world = make_world(world_folder, 12)

                def query_case(
                    rng: random.Random, _: Path, record: Callable[[str], None]
                ) -> list[str]:
                    return queries_case(rng, world, record)  # noqa: B023 (called at once)

                result = run_fuzzer(
                    name, query_case, each, base, args.case_timeout, args.seed, cases=args.cases
                )
            finally:
                shutil.rmtree(world_folder, ignore_errors=True)
            result.note = (
                f"; {world.rejected} rejected with QueryError; slowest answer "
                f"{world.slowest[0] * 1000:.0f} ms for {world.slowest[1]!r}"
            )
        else:
            case = bytes_case if name == "bytes" else names_case
            result = run_fuzzer(
                name, case, each, base, args.case_timeout, args.seed, cases=args.cases
            )
        results.append(result)
        print(
            f"fuzz {name}: {result.cases} cases in {result.seconds:.0f} s, "
            f"{len(result.failures)} failures{result.note}",
            flush=True,
        )
    failed = False
    for result in results:
        for seed, shown, problems in result.failures:
            failed = True
            if not problems:
                continue
            print(f"\nFAILED {result.name} case, seed {seed}:")
            for problem in problems[:6]:
                print("  - " + problem.replace("\n", "\n    "))
            print(f"  input: {shown if len(shown) < 4000 else shown[:4000] + '…'}")
            print(f"  reproduce: python scripts/fuzz.py --fuzzer {result.name} --seed {seed}")
        hidden = sum(1 for _seed, _shown, problems in result.failures if not problems)
        if hidden:
            print(f"\n({hidden} more {result.name} failures not shown)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
