"""The command line as a user runs it: a real subprocess, real exit codes and streams."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

import tui

REPO = Path(__file__).resolve().parent.parent

JSON_FIELDS: dict[str, tuple[type, ...]] = {
    "id": (str,),
    "path": (str,),
    "title": (str,),
    "date": (str, type(None)),
    "date_precision": (str, type(None)),
    "date_source": (str, type(None)),
    "words": (int,),
    "duplicates": (list,),
    "warnings": (list,),
}


def run(
    *args: str, cwd: Path = REPO, state: Path | None = None, exe: list[str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    # Never the real home: the autouse fixture already points this at a temp folder.
    env["BROADSHEET_STATE_DIR"] = str(state) if state else os.environ["BROADSHEET_STATE_DIR"]
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run(
        [*(exe or [sys.executable, "-m", "tui"]), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


@pytest.fixture
def dated_folder(tmp_path: Path) -> Path:
    """Day, month, year (stated and inferred) precision and an undated file."""
    folder = tmp_path / "articles"
    folder.mkdir()
    files = {
        "a_day.txt": "Date: 2023-05-17\n\nTalks were held.\n",
        "b_month.txt": "Date: May 2023\n\nTalks were planned.\n",
        "c_inferred.txt": "Scraped headline\n\nSo far in 2023 the deal has been signed twice.\n",
        "d_undated.txt": "No year is named anywhere in this text.\n",
        "e_old.txt": "Published: 3 March 2001\n\nAn older report.\n",
        "f_new.txt": " date 2024-10-08 The newest report.\n",
        "g_dup.txt": " date 2024-10-08 The newest report.\n",
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def names(stdout: str) -> list[str]:
    return [Path(json.loads(line)["path"]).name for line in stdout.splitlines()]


def assert_one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("broadsheet: error: ")
    return lines[0]


def test_help() -> None:
    result = run("--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: broadsheet")
    for option in ("--list", "--json", "--show", "--sort", "--query", "--no-state"):
        assert option in result.stdout
    assert result.stderr == ""


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"broadsheet {tui.__version__}"


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--bogus"], "unrecognized arguments: --bogus"),
        (["--list", "no/such/folder"], "no/such/folder: no such file or folder"),
        (["--show", "ffffffffff"], "no article 'ffffffffff'"),
        (["--json"], "--json goes with --list"),
        (["--list", "--sort", "sideways"], "invalid choice: 'sideways'"),
        (["--list", "--show", "x"], "not allowed with argument"),
    ],
)
def test_usage_errors(args: list[str], says: str, tmp_path: Path) -> None:
    line = assert_one_error_line(run(*args, state=tmp_path))
    assert says in line


def test_error_message_is_neutralised(tmp_path: Path) -> None:
    line = assert_one_error_line(run("--list", "bad\x1b[2Jname", state=tmp_path))
    assert "\x1b" not in line and "␛[2J" in line


def test_skipped_files_do_not_change_the_exit_status(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "ok.txt").write_text("Fine text.\n", encoding="utf-8")
    result = run("--list", ".", cwd=tmp_path, state=tmp_path)
    assert result.returncode == 0
    assert result.stderr == "broadsheet: skipped empty.txt: empty file\n"
    assert len(result.stdout.splitlines()) == 1


def test_sort_orders_with_undated_last(dated_folder: Path, tmp_path: Path) -> None:
    newest = run("--list", "--json", str(dated_folder), state=tmp_path)
    assert newest.returncode == 0, newest.stderr
    assert names(newest.stdout) == [
        "f_new.txt",
        "a_day.txt",  # a day in May 2023, then May 2023 itself, then 2023
        "b_month.txt",
        "c_inferred.txt",
        "e_old.txt",
        "d_undated.txt",
    ]
    oldest = run("--list", "--json", "--sort", "oldest", str(dated_folder), state=tmp_path)
    assert names(oldest.stdout) == [
        "e_old.txt",
        "c_inferred.txt",
        "b_month.txt",
        "a_day.txt",
        "f_new.txt",
        "d_undated.txt",
    ]
    text = run("--list", "--sort", "oldest", str(dated_folder), state=tmp_path).stdout
    assert text.splitlines()[-1].split()[1] == "undated"
    assert "2023 (inferred)" in text.splitlines()[1]


def test_json_fields_and_types(dated_folder: Path, tmp_path: Path) -> None:
    result = run("--list", "--json", str(dated_folder), state=tmp_path)
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 6
    for row in rows:
        assert set(row) >= set(JSON_FIELDS)
        for key, types in JSON_FIELDS.items():
            assert isinstance(row[key], types), (key, row[key])
        assert all(isinstance(item, str) for item in row["duplicates"] + row["warnings"])
        assert row["date_precision"] in ("day", "month", "year", None)
        assert row["date_source"] in ("stated", "inferred", None)
        assert (row["date"] is None) == (row["date_precision"] is None)
        assert (row["date"] is None) == (row["date_source"] is None)
        assert 6 <= len(row["id"]) <= 32 and all(c in "0123456789abcdef" for c in row["id"])
    by_name = {Path(row["path"]).name: row for row in rows}
    assert by_name["a_day.txt"]["date"] == "2023-05-17"
    assert by_name["b_month.txt"]["date"] == "2023-05"
    assert by_name["b_month.txt"]["date_precision"] == "month"
    assert by_name["c_inferred.txt"]["date"] == "2023"
    assert by_name["c_inferred.txt"]["date_source"] == "inferred"
    assert by_name["d_undated.txt"]["date"] is None
    assert by_name["e_old.txt"]["words"] == 3
    assert [Path(p).name for p in by_name["f_new.txt"]["duplicates"]] == ["g_dup.txt"]
    assert len({row["id"] for row in rows}) == len(rows)


def test_ids_are_stable_across_runs_and_folders(dated_folder: Path, tmp_path: Path) -> None:
    first = run("--list", "--json", str(dated_folder), state=tmp_path).stdout
    copy = tmp_path / "copy"
    copy.mkdir()
    for path in dated_folder.iterdir():
        (copy / path.name).write_bytes(path.read_bytes())
    second = run("--list", "--json", str(copy), state=tmp_path).stdout
    assert [json.loads(x)["id"] for x in first.splitlines()] == [
        json.loads(x)["id"] for x in second.splitlines()
    ]


def test_show_prints_the_cleaned_article(dated_folder: Path, tmp_path: Path) -> None:
    rows = [
        json.loads(line)
        for line in run("--list", "--json", str(dated_folder), state=tmp_path).stdout.splitlines()
    ]
    target = next(row for row in rows if row["path"].endswith("a_day.txt"))
    result = run("--show", target["id"], str(dated_folder), state=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == target["title"]
    assert "2023-05-17" in lines[1]
    assert lines[-1] == "Talks were held."
    # A duplicate's path finds the article it duplicates.
    dup = run("--show", str(dated_folder / "g_dup.txt"), str(dated_folder), state=tmp_path)
    assert dup.returncode == 0
    assert dup.stdout.splitlines()[-1] == "The newest report."


def test_show_a_file_outside_the_default_corpus(dated_folder: Path, tmp_path: Path) -> None:
    result = run("--show", str(dated_folder / "e_old.txt"), cwd=tmp_path, state=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "An older report."


def test_default_corpus_from_another_folder(tmp_path: Path) -> None:
    result = run("--list", "--json", cwd=tmp_path, state=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 5
    assert all(Path(row["path"]).is_absolute() for row in rows)
    assert all(Path(row["path"]).is_file() for row in rows)


def test_list_into_a_closed_pipe_is_not_an_error(tmp_path: Path) -> None:
    """`broadsheet --list | head -1`: the reader leaving early is not a failure."""
    env = {**os.environ, "BROADSHEET_STATE_DIR": str(tmp_path)}
    producer = subprocess.Popen(
        [sys.executable, "-m", "tui", "--list", "--json", str(REPO / "seeds")],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert producer.stdout is not None and producer.stderr is not None
    producer.stdout.readline()
    producer.stdout.close()
    stderr = producer.stderr.read().decode()
    assert producer.wait(timeout=60) == 0
    assert "Traceback" not in stderr


@pytest.mark.heavy
def test_pip_install_elsewhere_has_the_seeds(tmp_path: Path) -> None:
    """A plain (non-editable) install carries the seeds inside the package.

    The package is built and installed into a fresh venv; its dependencies are taken
    from this one (a ``.pth`` line to its site-packages, after the new venv's own), not
    installed again: that took 8 of the suite's 300 seconds, and is what ``make test``
    itself proves on a clean clone. The new venv has no pip of its own (putting one in
    took 6.6 s): this venv's pip installs into it (``--python``)."""
    venv = tmp_path / "venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=300
    )
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    own = subprocess.run(
        [str(bindir / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(own, "outer-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    install = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(bindir / "python"),
            "install",
            "--quiet",
            "--no-deps",
            "--disable-pip-version-check",
            str(REPO),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    env = {
        key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")
    }
    env["BROADSHEET_STATE_DIR"] = str(tmp_path / "state")
    result = subprocess.run(
        [str(bindir / "broadsheet"), "--list"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 5
    assert "Xi to break travel drought for meeting with Putin" in lines[3]
    located = subprocess.run(
        [str(bindir / "python"), "-c", "import tui; print(tui.__file__)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    # The installed copy, not this checkout.
    assert Path(located.stdout.strip()).resolve().is_relative_to(venv.resolve())


def test_list_with_query(tmp_path: Path) -> None:
    result = run("--list", "--json", "--query", "putin", state=tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 3
    bad = run("--list", "--query", '"unclosed', state=tmp_path)
    assert "bad query" in assert_one_error_line(bad)


def test_a_query_that_begins_with_a_negation_is_taken_as_the_query(tmp_path: Path) -> None:
    """The README teaches ``-word``; argparse took ``--query -russia`` for an option and
    refused it (issue 15)."""
    everything = run("--list", "--json", state=tmp_path)
    without = run("--list", "--json", "--query", "-putin", state=tmp_path)
    assert without.returncode == 0, without.stderr
    with_putin = run("--list", "--json", "--query", "putin", state=tmp_path)
    ids = {json.loads(line)["id"] for line in without.stdout.splitlines()}
    putin = {json.loads(line)["id"] for line in with_putin.stdout.splitlines()}
    assert ids and putin and not ids & putin
    assert len(ids) + len(putin) == len(everything.stdout.splitlines())
    also = run("--list", "--json", "--query=-putin", state=tmp_path)
    assert also.stdout == without.stdout
    missing = run("--list", "--query", state=tmp_path)
    assert missing.returncode == 2 and "expected one argument" in missing.stderr


@pytest.mark.heavy
def test_list_query_finds_what_scanning_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--list --query`` filters each batch as it loads (with the search index's folded
    texts, in the parsing processes): the same articles, in the same order, as reading
    every article with ``Query.matches``, read/flag state included. The first query
    loads the files and writes the store, the others re-open it. Run in this process
    (the command line's own entry), not 13 interpreters: each took ~0.7 s to start."""
    import contextlib
    import io

    from bench.make_corpus import make_corpus
    from tui.__main__ import run as run_here
    from tui.corpus import ReadState, SortOrder, load_corpus
    from tui.corpus.query import parse_query

    folder = tmp_path / "corpus"
    make_corpus(260, str(folder), seed=5)  # over the loader's pool threshold
    (folder / "extra.txt").write_text(
        "Title: Naïve café\nDate: 2021-03-04\n\nThe Ελλάδα “talks” — STRASSE 日本 a_b.\n",
        encoding="utf-8",
    )
    corpus = load_corpus([str(folder)])
    state_dir = tmp_path / "state"
    state = ReadState.open(str(state_dir))
    for article in corpus.ordered()[::3]:
        state.set_read(article.key)
    for article in corpus.ordered()[::5]:
        state.set_flagged(article.key)
    state.save()
    queries = [
        "zanzibarite", "pakistan -putin", '"prime minister" OR sco', "title:moscow",
        "date:2010..2015 kar", "is:inferred", "is:undated -the", "naive OR gonçalves",
        "łęcki", "is:read trade", "is:flagged OR is:unread", "strasse ελλαδα", "café",
    ]  # fmt: skip
    for number, text in enumerate(queries):
        query = parse_query(text)
        order: SortOrder = "oldest" if number % 4 == 3 else "newest"
        expected = [a.id for a in corpus.ordered(order) if query.matches(a, state)]
        if text.startswith("is:read"):
            assert 0 < len(expected) < len(corpus)  # the marks are read, not ignored
        monkeypatch.setenv("BROADSHEET_STATE_DIR", str(state_dir))
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            status = run_here(["--list", "--json", "--sort", order, "--query", text, str(folder)])
        assert status == 0, text
        found = [json.loads(line)["id"] for line in out.getvalue().splitlines()]
        assert found == expected, text


@pytest.fixture
def summit_folder(tmp_path: Path) -> Path:
    """Articles that match "summit" more and less: in the title, often, once, not."""
    folder = tmp_path / "summits"
    folder.mkdir()
    filler = "Officials met and talked about many other things. " * 12
    files = {
        "a_once.txt": f"Title: Budget talks\nDate: 2024-01-02\n\n{filler} A summit, once.\n",
        "b_title.txt": f"Title: Summit in Kazan\nDate: 2023-05-01\n\nLeaders met. {filler}\n",
        "c_often.txt": f"Title: Trade report\nDate: 2022-03-04\n\n{'summit ' * 6}{filler}\n",
        "d_none.txt": f"Title: Weather\nDate: 2024-06-01\n\n{filler}\n",
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_sort_relevance_lists_best_first_with_a_score_and_a_snippet(summit_folder: Path) -> None:
    result = run("--list", "--query", "summit", "--sort", "relevance", str(summit_folder))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    titles = [line for line in lines if not line.startswith(" ")]
    snippets = [line.strip() for line in lines if line.startswith(" ")]
    assert len(titles) == 3  # the weather report does not match
    assert "Budget talks" in titles[-1]  # said once, in passing: last
    assert "100%" in titles[0]
    assert any("summit" in snippet.casefold() for snippet in snippets)
    by_date = run("--list", "--query", "summit", str(summit_folder))
    assert [line.split()[0] for line in by_date.stdout.splitlines()][0] != titles[0].split()[0]


def test_json_with_a_query_gives_score_and_snippet(summit_folder: Path) -> None:
    result = run("--list", "--json", "--query", "summit", "--sort", "relevance", str(summit_folder))
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    scores = [row["score"] for row in rows]
    assert scores == sorted(scores, reverse=True) and all(s > 0 for s in scores)
    # A body that names it: the passage that does; the title alone: the opening.
    snippets = {row["title"]: row["snippet"] for row in rows}
    assert "summit" in snippets["Trade report"] and "summit" in snippets["Budget talks"]
    assert snippets["Summit in Kazan"].startswith("Leaders met.")
    # In date order too: the same fields, the rows by date.
    dated = [
        json.loads(line)
        for line in run(
            "--list", "--json", "--query", "summit", str(summit_folder)
        ).stdout.splitlines()
    ]
    assert [row["date"] for row in dated] == sorted((row["date"] for row in dated), reverse=True)
    assert {row["id"]: row["score"] for row in dated} == {row["id"]: row["score"] for row in rows}
    # Without a query there is nothing to score: the fields are the usual ones.
    plain = json.loads(run("--list", "--json", str(summit_folder)).stdout.splitlines()[0])
    assert "score" not in plain and "snippet" not in plain


def test_scores_are_the_same_from_the_store_as_from_the_files(tmp_path: Path) -> None:
    """A word in a few articles of many: a re-open scores it as a first run does.

    A re-open reads only a query's candidates from the store; ranked over a table of
    those alone, bm25 took the word for one that every article holds, and scored
    every match ~1e-6 (a phrase's matches in another order)."""
    folder = tmp_path / "many"
    folder.mkdir()
    filler = "Officials met and talked about many other things. " * 8
    for number in range(30):
        said = "summit talks " * (number % 4) if number < 8 else ""
        text = f"Title: Report {number}\nDate: 2024-{number // 28 + 1:02}-{number % 28 + 1:02}"
        text += f"\n\n{said}{filler}\n"
        (folder / f"{number:02}.txt").write_text(text, encoding="utf-8")

    def scores(*extra: str) -> dict[str, float]:
        result = run("--list", "--json", "--query", "summit talks", *extra, str(folder))
        assert result.returncode == 0, result.stderr
        return {row["id"]: row["score"] for row in map(json.loads, result.stdout.splitlines())}

    for path in [*folder.iterdir(), folder]:  # settled: a re-open trusts their record
        os.utime(path, (1_700_000_000, 1_700_000_000))
    assert run("--list", str(folder)).returncode == 0  # the store, and its folders' record
    first, again, without_store = scores(), scores(), scores("--no-cache")
    assert len(first) == 6
    assert again == first == without_store
    assert min(first.values()) > 0.01  # the word is rare here: it counts
    assert len(set(first.values())) == 3  # said once, twice or three times

    # A matching file changed since: its new text is scored (the store does not hold
    # it, so the whole store is read), as it is without the store.
    with (folder / "01.txt").open("a", encoding="utf-8") as changed:
        changed.write("More summit talks.\n")
    changed_scores = scores()
    assert changed_scores == scores("--no-cache") == scores()
    assert changed_scores != first


@pytest.mark.parametrize(
    "args",
    [
        ["--list", "--sort", "relevance"],
        ["--list", "--sort", "relevance", "--query", "date:2024"],
        ["--export", "md", "--sort", "relevance", "--query", "summit"],
    ],
)
def test_sort_relevance_needs_a_listed_query_with_words(
    summit_folder: Path, args: list[str]
) -> None:
    line = assert_one_error_line(run(*args, str(summit_folder)))
    assert "relevance" in line


def test_sort_relevance_works_without_a_store(summit_folder: Path) -> None:
    result = run(
        "--list", "--query", "summit", "--sort", "relevance", "--no-cache", str(summit_folder)
    )
    assert result.returncode == 0, result.stderr
    assert "Budget talks" in result.stdout.splitlines()[-2]  # its snippet line follows


def test_the_reader_without_a_terminal_says_so_and_does_not_spin() -> None:
    # Textual drew into the pipe and waited for keys, at 100 % of a core, for ever.
    result = subprocess.run(
        [sys.executable, "-m", "tui", "--no-state", str(REPO / "seeds")],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "broadsheet: error: the reader needs a terminal on its input and output;"
        " --list, --show and --export print without one\n"
    )


@pytest.mark.parametrize(
    ("reference", "said"),
    [
        ("", "no article '' in seeds (ids are listed by --list)"),
        ("2", "an id prefix needs 4 characters or more: '2' is too short"),
    ],
)
def test_show_of_nothing_or_of_a_short_prefix_is_an_error(reference: str, said: str) -> None:
    # --show '' opened the reader (an empty string counted as no --show at all).
    result = run("--show", reference, "seeds")
    assert result.returncode == 2
    assert result.stderr == f"broadsheet: error: {said}\n"


def test_an_ambiguous_id_prefix_names_the_ids(tmp_path: Path) -> None:
    # It said "no article '015a'" though two articles' ids start so.
    from tui.__main__ import _not_found, load

    for number in range(1000):  # two of a thousand ids share four digits (99.9 %)
        (tmp_path / f"a{number:04}.txt").write_text(f"Article {number} of many.\n", "utf-8")
    corpus = load([str(tmp_path)], cache=False)[0]
    ids = sorted(article.id for article in corpus)
    prefix = next(a[:4] for a, b in zip(ids, ids[1:], strict=False) if a[:4] == b[:4])
    shared = [id for id in ids if id.startswith(prefix)]
    assert corpus.ids_starting(prefix) == shared
    assert corpus.find(prefix) is None
    assert _not_found(corpus, prefix) == (
        f"the id prefix {prefix!r} is ambiguous: {', '.join(shared)}"
    )


def test_a_missing_saved_search_is_said(tmp_path: Path) -> None:
    result = run("--list", "--query", "@nosuch", "seeds", state=tmp_path / "state")
    assert result.returncode == 0
    assert "broadsheet: note: no saved search '@nosuch': searching for the text @nosuch" in (
        result.stderr
    )


def test_a_closed_stdout_is_an_error_not_a_traceback() -> None:
    result = subprocess.run(
        f"{shlex.quote(sys.executable)} -m tui --list seeds >&-",
        shell=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr == "broadsheet: error: standard output is closed: nowhere to print\n"
