"""The command line: parse arguments, load the corpus, then print or open the reader."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NoReturn, TextIO

from .corpus import (
    Article,
    Corpus,
    CorpusPathError,
    Skipped,
    default_corpus_path,
    neutralise_line,
)
from .corpus.loader import load_batches
from .corpus.model import ID_PREFIX_MIN, read_titles
from .corpus.plaintext import write_article

if TYPE_CHECKING:
    from .corpus.index import Matches
    from .corpus.query import Query, StateView
    from .corpus.relevance import Ranking

PROG = "broadsheet"

DESCRIPTION = """\
A terminal reader for a folder of dated news articles.

Opens the reader on PATH (files, or folders read recursively for *.txt, *.md,
*.markdown, *.eml, *.html and *.htm); with no PATH, on the bundled seed articles.
--list and --show print and exit."""

EPILOG = """\
examples:
  broadsheet ~/articles                  read a folder
  broadsheet --list --sort oldest .      list oldest first
  broadsheet --list --query 'sco summit' --sort relevance .
                                         best matches first, each with a snippet
  broadsheet --list --json --query 'sco -putin' ~/articles
  broadsheet --show 3f2a9c81d0           print one article (id from --list)
  broadsheet --export md --flagged . > reading-list.md

exit status: 0 done; 2 bad usage, unreadable PATH, unknown article or bad query.
Read/flag state lives in $BROADSHEET_STATE_DIR (default: the platform's user
state folder); --no-state keeps none."""


class UsageError(Exception):
    """A user mistake: reported in one line, exit status 2."""


class _ArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see {PROG} --help)")


class _VersionAction(argparse.Action):
    """Like argparse's "version" action, but finds the version only when asked."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> NoReturn:
        from . import __version__

        sys.stdout.write(f"{PROG} {__version__}\n")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = _ArgumentParser(
        prog=PROG,
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="article files or folders")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--list", action="store_true", help="print the date-sorted list and exit")
    mode.add_argument("--show", metavar="ARTICLE", help="print one cleaned article (id or path)")
    mode.add_argument("--serve", action="store_true", help="serve the reader to a web browser")
    mode.add_argument(
        "--export",
        choices=("md", "csv", "jsonl", "bib"),
        metavar="FORMAT",
        help="print the articles (with --query, the matching ones) as md (a Markdown"
        " reading list), csv, jsonl (the --list --json fields and the body) or bib"
        " (BibTeX), and exit",
    )
    parser.add_argument("--json", action="store_true", help="with --list: JSON Lines output")
    parser.add_argument(
        "--query",
        metavar="Q",
        help="with --list: only matching articles; otherwise start the reader with Q",
    )
    parser.add_argument(
        "--sort",
        choices=("newest", "oldest", "relevance"),
        help="newest (the default; the reader keeps the last one chosen with s) or"
        " oldest first, undated always last; or, with --list and a --query, relevance:"
        " best matches first (BM25, title words counted most), each with its score and"
        " a snippet",
    )
    parser.add_argument(
        "--flagged", action="store_true", help="with --list or --export: flagged articles only"
    )
    parser.add_argument("--no-state", action="store_true", help="keep no read/flag state")
    parser.add_argument(
        "--no-infer",
        action="store_true",
        help="infer no year from an article's text: an article without a stated date is undated",
    )
    parser.add_argument(
        "--no-watch",
        action="store_true",
        help="do not follow the folder: files added, changed or removed while the reader"
        " is open show only at the next start",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="keep no store: read every file at every start, as a first launch does",
    )
    parser.add_argument(
        "--rebuild",
        action="store_true",
        help="start the collection's store afresh (read every file once more)",
    )
    parser.add_argument("--no-mouse", action="store_true", help="no mouse tracking (for SSH)")
    parser.add_argument("--host", default="127.0.0.1", help="with --serve (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="with --serve (default 8000)")
    parser.add_argument(
        "--max-sessions",
        type=int,
        default=4,
        metavar="N",
        help="with --serve: at most N browser sessions at once (default 4)",
    )
    parser.add_argument("--version", action=_VersionAction, nargs=0, help="print the version")
    return parser


def _warn(message: str) -> None:
    # Messages echo paths and arguments, which may carry ESC or newlines of their own.
    if sys.stderr is not None:  # closed (2>&-): the exit status says it alone
        sys.stderr.write(f"{PROG}: {neutralise_line(message)}\n")


def load(
    paths: Sequence[str],
    query: Query | None = None,
    state: StateView | None = None,
    *,
    infer: bool = True,
    cache: bool = False,
    rebuild: bool = False,
) -> tuple[Corpus, Matches]:
    """Load the corpus (see :func:`load_ranked`); return it and the serials of the
    articles matching *query* (empty without one)."""
    corpus, matched, _ = load_ranked(paths, query, state, infer=infer, cache=cache, rebuild=rebuild)
    return corpus, matched


def load_ranked(
    paths: Sequence[str],
    query: Query | None = None,
    state: StateView | None = None,
    *,
    infer: bool = True,
    cache: bool = False,
    rebuild: bool = False,
    rank: bool = False,
    whole: bool = False,
) -> tuple[Corpus, Matches, Ranking | None]:
    """Load the corpus, reporting each skipped file on stderr; return it and the
    serials of the articles matching *query* (empty without one); with *rank*, their
    ranking too. *whole*: read the store's every article, even for one query.

    Through :class:`~tui.corpus.session.CorpusSession`, as the reader loads. With
    *cache*, the collection's store answers: a re-open reads only the files changed
    since, and its index answers the query; a first run reads and indexes every file
    and writes the store. Without it (or when the store cannot be used: a warning says
    why), every file is parsed in a process pool, and indexed only for a query.
    """
    from .corpus.session import CorpusSession, FolderCheck
    from .corpus.watch import read_files

    session = CorpusSession(paths, infer=infer, cache=cache, rebuild=rebuild, keep_titles=True)
    # Before any thread starts: a child compares every file with the store meanwhile,
    # unless the query turns out to need less (then it is stopped at once).
    check = FolderCheck.start(paths, infer=infer) if cache and not rebuild else None
    warning = session.open_store(on_error=lambda message: _warn(f"warning: {message}"))
    if warning is not None:
        _warn(f"warning: {warning}")
    if session.store_note is not None:
        _warn(f"note: {session.store_note}")  # once, after an upgrade: then it is fast
    # A query reads from the store only the articles that may match it (all of them
    # for a negation or a date alone); those and the folders whose mtime changed are
    # all it compares with the folder (quick_difference), once a full check recorded
    # the folders' mtimes.
    # A ranked answer too, when the store's relevance table holds every article: bm25
    # counts words over the whole collection, and a table of the candidates alone took
    # each query word for one that every article holds (all scores ~1e-6, and a
    # phrase's in another order than the reader's). Else it reads the store whole and
    # fills the table, which the store keeps.
    partial = session.can_reopen and not whole
    partial = partial and (not rank or session.store_ranks_every_article())
    only = session.candidates(query) if query is not None and partial else None
    quick = only is not None and len(only) <= QUICK_CHECK_ROWS
    quick = quick and session.store is not None and session.store.folders_recorded()
    if quick and check is not None:
        check.cancel()
        check = None
    try:
        if session.can_reopen and session.reopen(_report_skipped, only):
            if check is not None:
                difference = check.result()
            else:  # None: the full check, here
                difference = session.quick_difference(only) if quick else None
            for changes in session.check_folder(difference=difference):
                applied = session.apply(changes)
                if applied.removal.orphans:  # files repeating an article whose own went
                    session.apply(read_files(applied.removal.orphans))
            # Said once the folder is checked: no file gone or readable again, and
            # none twice (the store's and the check's reading of it).
            _warn_skipped(session.skipped_checked or ())
            session.index_staged()
        else:
            indexed = query is not None or session.store is not None
            batches = load_batches(paths, with_texts=indexed)
            session.load(batches, _report_skipped, indexed=indexed)
        matched = session.search(query, state) if query is not None else None
        ranking = None
        again = False
        if rank and session.partial and matched is not None:
            by_serial = session.corpus.by_serial
            # A file changed since the store was written gives an article the store
            # does not hold (a partial session writes nothing): read the store whole.
            again = any(by_serial[serial].stored < 0 for serial in matched)
        if rank and query is not None and matched is not None and not again:
            session.wait_for_writes()  # a changed file's row, for the count below
            missing = session.relevance_missing()
            if missing > RANKING_NOTE:
                kept = " (the store keeps it)" if session.store is not None else ""
                _warn(f"note: reading {missing:,} articles for relevance{kept}")
            session.fill_relevance()
            ranking = session.ranked(query, matched, "newest")
    finally:
        if check is not None:
            check.cancel()
        session.close(store_seconds=None)  # the store's writes end before the answer
    if again:
        return load_ranked(paths, query, state, infer=infer, cache=cache, rank=rank, whole=True)
    return session.corpus, matched or set(), ranking


def _report_skipped(
    added: object, skipped: list[Skipped], read: int, done: bool, /, *, answers: bool = False
) -> None:
    _warn_skipped(skipped)


def _warn_skipped(items: Iterable[object]) -> None:
    for item in items:
        if isinstance(item, Skipped):
            _warn(f"skipped {item.path}: {item.reason}")


def print_list(
    articles: Sequence[Article],
    as_json: bool,
    out: TextIO,
    ranked: tuple[Query, Ranking] | None = None,
) -> None:
    """The list, a line an article (or a JSON object). *ranked*: the query and its
    ranking: each article then has its score and a snippet (the JSON's ``score`` and
    ``snippet``; in text, the score before the title and the snippet on a line under
    it)."""
    from .corpus.relevance import share
    from .corpus.snippets import snippet

    best = max(ranked[1].scores.values(), default=0.0) if ranked is not None else 0.0

    def extra(article: Article) -> tuple[float | None, str]:
        if ranked is None:
            return None, ""
        query, ranking = ranked
        score = ranking.scores.get(article.serial)
        return score, snippet(article.text, query, SNIPPET_WIDTH)[0]

    # A few thousand lines a write: one write a line was a tenth of a large answer.
    for start in range(0, len(articles), LINES_PER_WRITE):
        chunk = articles[start : start + LINES_PER_WRITE]
        lines = []
        # The store's titles a few hundred a query, not one each (~10 µs): a million lines.
        for article, title in zip(chunk, read_titles(chunk), strict=True):
            score, context = extra(article)
            if as_json:
                fields = article.to_json(title)
                if ranked is not None:
                    fields["score"] = None if score is None else float(f"{score:.4g}")
                    fields["snippet"] = context
                lines.append(json.dumps(fields, ensure_ascii=False) + "\n")
                continue
            line = f"{article.id:<{ID_WIDTH}}  {article.date_label(spelled_out=True):<15}  "
            if ranked is not None:
                line += "   – " if score is None else f"{share(score, best):>3}% "
            lines.append(f"{line}{title}\n")
            if ranked is not None and context:
                lines.append(f"{'':<{ID_WIDTH}}  {context}\n")
        out.write("".join(lines))


QUICK_CHECK_ROWS = 10_000
"""Articles that may match a query beyond which the command line compares every file
in a child process rather than theirs here: at 100k, statting a word's 38,547 files
here took 0.07 s longer than the child's walk of all of them, done meanwhile."""

SNIPPET_WIDTH = 160
"""Characters of a snippet on the command line."""

RANKING_NOTE = 2_000
"""Articles to read for relevance beyond which the command line says it is reading."""


LINES_PER_WRITE = 4096


ID_WIDTH = 10


def show_article(article: Article, out: TextIO) -> None:
    width = shutil.get_terminal_size((80, 24)).columns if out.isatty() else 0
    write_article(article, out, min(width, 78) if width else 0)


FREE_VALUES = ("--query", "--show")
"""Options whose value may begin with "-": a query's negation (``--query -russia``,
as the query syntax teaches), a file's name."""


def _free_values_joined(argv: Sequence[str]) -> list[str]:
    """*argv* with each of :data:`FREE_VALUES` joined to the word after it
    (``--query=-russia``): argparse takes a word that begins with "-" for an option,
    and would refuse the query."""
    joined: list[str] = []
    words = iter(argv)
    for word in words:
        if word == "--":
            joined += [word, *words]
            break
        if word in FREE_VALUES:
            value = next(words, None)
            joined.append(word if value is None else f"{word}={value}")
        else:
            joined.append(word)
    return joined


def run(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(_free_values_joined(sys.argv[1:] if argv is None else argv))
    if args.json and not args.list:
        raise UsageError("--json goes with --list")
    if args.query and args.query.startswith("@"):
        args.query = _saved_search(args.query, args.no_state)
    listing = args.list or args.export is not None
    if args.flagged and not listing:
        raise UsageError("--flagged goes with --list or --export")
    paths = args.paths or [default_corpus_path()]
    if (listing or args.show is not None) and sys.stdout is None:
        raise UsageError("standard output is closed: nowhere to print")
    if listing or args.show is not None:
        # --flagged is the query is:flagged, with any other query's terms.
        text = " ".join(part for part in (args.query, "is:flagged" if args.flagged else "") if part)
        # A bad query is reported before a long load, not after it.
        query = _parse_query(text) if listing and text else None
        infer = not args.no_infer
        from .corpus.relevance import ranking_expression

        if args.sort == "relevance" and (args.show or args.export is not None):
            raise UsageError("--sort relevance goes with --list")
        if args.sort == "relevance" and (query is None or ranking_expression(query) is None):
            raise UsageError("--sort relevance needs a --query with words to rank by")
        # Scores and snippets: for a ranked list, and in JSON whenever a query has words.
        rank = listing and query is not None and ranking_expression(query) is not None
        rank = rank and (args.sort == "relevance" or args.json)
        corpus, matched, ranking = load_ranked(
            paths,
            query,
            _query_state(query, args.no_state),
            infer=infer,
            cache=not args.no_cache,
            rebuild=args.rebuild,
            rank=rank,
        )
        if args.show is not None:
            article = corpus.find(args.show)
            if article is None and os.path.isfile(args.show):
                # A file outside the corpus: `broadsheet --show ~/new.txt` should just work.
                article = load([args.show], infer=infer)[0].find(args.show)
            if article is None:
                raise UsageError(_not_found(corpus, args.show))
            show_article(article, sys.stdout)
            return 0
        if args.sort == "relevance" and ranking is not None:
            by_serial = corpus.by_serial
            articles = [by_serial[serial] for serial in ranking.rows]
        else:
            articles = corpus.ordered("oldest" if args.sort == "oldest" else "newest")
            if query is not None:
                articles = [article for article in articles if article.serial in matched]
        if args.export is not None:
            from .corpus.export import write_export

            write_export(articles, args.export, sys.stdout)
            return 0
        ranked = (query, ranking) if query is not None and ranking is not None else None
        print_list(articles, args.json, sys.stdout, ranked)
        return 0
    if args.serve:
        from .serve import serve

        return serve(args)
    from .corpus.files import check_paths
    from .corpus.headstart import HeadStart

    check_paths(paths)
    if not os.environ.get("TEXTUAL_DRIVER") and not _on_a_terminal():
        # Textual would draw into a pipe and wait for keys that never come (at 100 %
        # of a core). A --serve session runs on Textual's web driver: it has none.
        raise UsageError(
            "the reader needs a terminal on its input and output;"
            " --list, --show and --export print without one"
        )
    # Before Textual is imported, while this process has one thread: a child reads the
    # first rows meanwhile (see corpus/headstart.py).
    # No head start when the store can answer: its rows come faster than files'.
    ready = _store_ready(paths, args)
    head_start = None if ready else HeadStart.start(paths)
    try:
        from .app import run_app

        return run_app(args, paths, head_start, ready)
    finally:
        if head_start is not None:
            head_start.close()


def _on_a_terminal() -> bool:
    try:
        return all(stream is not None and stream.isatty() for stream in (sys.stdin, sys.stdout))
    except ValueError:  # a closed stream
        return False


def _not_found(corpus: Corpus, reference: str) -> str:
    """Why ``--show REFERENCE`` found nothing, and what would."""
    prefix = reference.strip().lower()
    if prefix and all(char in "0123456789abcdef" for char in prefix):
        if len(prefix) < ID_PREFIX_MIN:
            least = ID_PREFIX_MIN
            return f"an id prefix needs {least} characters or more: {reference!r} is too short"
        ids = corpus.ids_starting(prefix)
        if len(ids) > 1:
            shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
            return f"the id prefix {reference!r} is ambiguous: {shown}"
    return f"no article {reference!r} in {corpus.name} (ids are listed by --list)"


def _store_ready(paths: Sequence[str], args: argparse.Namespace) -> bool:
    if args.no_cache or args.rebuild:
        return False
    from .corpus.store import store_ready
    from .corpus.watch import cache_directory

    return store_ready(paths, infer=not args.no_infer, cache_dir=cache_directory())


def _saved_search(text: str, no_state: bool) -> str:
    """The query saved as ``@name``; *text* itself when no search has that name: it
    is then a query for the handle ``@name`` (read-only: nothing in the state folder
    changes)."""
    from .corpus.searches import SavedSearches

    searches = SavedSearches.open(enabled=not no_state)
    for warning in searches.warnings:
        _warn(f"warning: {warning}")
    try:
        return searches.resolve(text)
    except KeyError:
        _warn(f"note: no saved search {text!r}: searching for the text {text}")
        return text


def _parse_query(text: str) -> Query:
    from .corpus.query import QueryError, parse_query

    try:
        return parse_query(text)
    except QueryError as error:
        raise UsageError(f"bad query: {error}") from None


def _query_state(query: Query | None, no_state: bool) -> StateView | None:
    """Read/flag marks, read from disk only for a query that asks about them.

    Read-only: this command must not create, move or write anything in the state
    folder. A bad state file is reported here and left for the reader to set aside.
    """
    if query is None or not query.uses_state():
        return None
    from .corpus.state import ReadState

    state = ReadState.open(enabled=not no_state, read_only=True)
    for warning in state.warnings:
        _warn(f"warning: {warning}")
    return state


def main(argv: Sequence[str] | None = None) -> int:
    # Text from files is neutralised, but a path or an odd locale must never crash output.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    try:
        return run(argv)
    except UsageError as error:
        _warn(f"error: {error}")
        return 2
    except CorpusPathError as error:
        _warn(f"error: {error}")
        return 2
    except BrokenPipeError:
        # `broadsheet --list | head`: the reader went away; that is not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
