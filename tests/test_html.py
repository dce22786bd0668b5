"""Saved web pages (.html/.htm) read as articles (issue 14).

Every page here was written for these tests (tests/data/html/) or is generated below:
no third-party page is kept in the repository.
"""

from __future__ import annotations

import codecs
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tui.corpus.files import Skipped, discover
from tui.corpus.model import Article, load_corpus, read_article, read_raw
from tui.corpus.safe import is_safe

REPO = Path(__file__).resolve().parent.parent
PAGES = REPO / "tests" / "data" / "html"


def article(path: Path | str) -> Article:
    found = read_article(str(path))
    assert isinstance(found, Article), found
    return found


def page(body: str, head: str = "", title: str = "A page") -> str:
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title>{head}</head>"
        f"<body>{body}</body></html>"
    )


PROSE = (
    "<p>The council approved the new cycle lanes on Tuesday evening after a debate that"
    " lasted well over three hours and drew a crowd of residents to the chamber.</p>"
    "<p>Supporters said the lanes would make the school run safer, while shop owners on"
    " the high street worried about losing parking spaces outside their doors.</p>"
)


def test_html_and_htm_files_are_found_like_text(tmp_path: Path) -> None:
    for name in ("a.html", "b.HTM", "c.txt", "d.md", "e.css", "f.js"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    found = sorted(os.path.basename(p) for p in discover([tmp_path]) if isinstance(p, str))
    assert found == ["a.html", "b.HTM", "c.txt", "d.md"]


def test_metadata_date_title_author_url_tags() -> None:
    found = article(PAGES / "metadata.html")
    assert found.title == "Talks resume in Tashkent"
    assert found.date_iso == "2024-10-17"  # published, not the later modified time
    assert found.date_origin == "page metadata"
    assert found.describe_date() == (
        "2024-10-17 (from the page's metadata (article:published_time))"
    )
    assert found.author == "Jane Roe"
    assert found.url == "https://news.example.com/2024/talks-resume-in-tashkent"
    assert found.tags == ("trade", "energy")
    assert found.source == "The Example Chronicle"
    text = found.text
    assert text.startswith("Trade ministers from five countries")
    # Navigation, related links, footer, scripts, styles and hidden elements are gone.
    for furniture in ("Home", "Markets rally", "All rights reserved", "TRACKER", "font-family",
                      "HIDDEN-ADVERT"):  # fmt: skip
        assert furniture not in text


def test_text_only_date_from_the_byline() -> None:
    found = article(PAGES / "byline.html")
    assert found.date_iso == "2023-03-03"  # the byline, not the comment's date
    assert found.date_origin == "page text"
    assert found.date_text == "March 3, 2023"
    assert "from the page text" in found.describe_date()
    assert "Great news" not in found.text


def test_the_byline_corrects_a_metadata_date_that_is_not_the_publication() -> None:
    html = page(
        "<h1>Ferry timetable changes</h1><p class=meta>Published 12 May 2021</p>" + PROSE,
        head='<meta property="article:modified_time" content="2022-01-09T10:00:00Z">',
        title="Ferry timetable changes",
    )
    path = Path(os.environ["BROADSHEET_STATE_DIR"]) / "ferry.html"
    path.write_text(html, encoding="utf-8")
    found = article(path)
    assert found.date_iso == "2021-05-12"
    assert found.date_origin == "page text"


def test_a_page_with_no_date_is_undated() -> None:
    found = article(PAGES / "undated.html")
    assert found.date is None
    assert found.date_origin is None
    assert found.title == "How to prune an apple tree"


def test_json_show_and_list_work_for_pages() -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    listed = subprocess.run(
        [sys.executable, "-m", "tui", "--list", "--json", str(PAGES)],
        cwd=REPO, env=env, capture_output=True, text=True, encoding="utf-8", timeout=120,
    )  # fmt: skip
    assert listed.returncode == 0, listed.stderr
    rows = {Path(row["path"]).name: row for row in map(json.loads, listed.stdout.splitlines())}
    meta = rows["metadata.html"]
    assert meta["date"] == "2024-10-17"
    assert meta["date_origin"] == "page metadata"
    assert meta["author"] == "Jane Roe"
    assert meta["url"] == "https://news.example.com/2024/talks-resume-in-tashkent"
    assert meta["tags"] == ["trade", "energy"]
    assert rows["byline.html"]["date_origin"] == "page text"
    shown = subprocess.run(
        [sys.executable, "-m", "tui", "--show", str(PAGES / "metadata.html"), str(PAGES)],
        cwd=REPO, env=env, capture_output=True, text=True, encoding="utf-8", timeout=120,
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    assert "Author:   Jane Roe" in shown.stdout
    assert "article:published_time" in shown.stdout
    assert "<p>" not in shown.stdout


# --- charsets ---------------------------------------------------------------------------

RUSSIAN = "Переговоры возобновились в Ташкенте в четверг утром после долгого перерыва."
FRENCH = "Les négociations ont repris à Tachkent jeudi matin après une longue pause, déjà."


@pytest.mark.parametrize(
    ("data", "expected", "encoding"),
    [
        (codecs.BOM_UTF8 + page(f"<p>{FRENCH}</p>").encode("utf-8"), FRENCH, "utf-8"),
        (codecs.BOM_UTF16_LE + page(f"<p>{RUSSIAN}</p>").encode("utf-16-le"), RUSSIAN, "utf-16"),
        (
            page(f"<p>{RUSSIAN}</p>", head='<meta charset="windows-1251">').encode("cp1251"),
            RUSSIAN,
            "cp1251",
        ),
        (
            page(
                f"<p>{RUSSIAN}</p>",
                head='<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">',
            ).encode("koi8-r"),
            RUSSIAN,
            "koi8",
        ),
        (  # iso-8859-1 is read as its superset, as browsers do
            page(f"<p>{FRENCH}</p>", head="<meta charset=iso-8859-1>").encode("latin-1"),
            FRENCH,
            "cp1252",
        ),
        (page(f"<p>{FRENCH}</p>").encode("cp1252"), FRENCH, "cp1252"),  # undeclared
        (  # an unknown name: the fallback
            page(f"<p>{FRENCH}</p>", head='<meta charset="x-no-such-codec">').encode("utf-8"),
            FRENCH,
            "utf-8",
        ),
        (  # declared UTF-16 without a BOM cannot be: read as UTF-8
            page(f"<p>{FRENCH}</p>", head='<meta charset="utf-16">').encode("utf-8"),
            FRENCH,
            "utf-8",
        ),
    ],    ids=[
        "utf8-bom", "utf16-bom", "meta-cp1251", "http-equiv-koi8r", "latin1-as-cp1252",
        "undeclared-cp1252", "unknown-name", "utf16-without-bom",
    ],  # fmt: skip
)
def test_charsets(tmp_path: Path, data: bytes, expected: str, encoding: str) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(data)
    found = article(path)
    assert expected in found.text
    assert encoding in found.encoding
    assert expected in read_raw(str(path))


def test_a_declared_charset_with_bad_bytes_never_crashes(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(
        b'<html><head><meta charset="utf-8"><title>T</title></head><body><p>Caf\xe9\xff '
        + FRENCH.encode("utf-8")
        + b"</p></body></html>"
    )
    found = article(path)
    assert FRENCH in found.text
    assert any("undecodable" in warning for warning in found.warnings)


# --- safety -------------------------------------------------------------------------------


def test_a_script_only_page_shows_nothing_of_its_script(tmp_path: Path) -> None:
    path = tmp_path / "app.html"
    path.write_text(
        "<html><head><title>Loading…</title><script>document.write('SCRIPT-SECRET');"
        "</script></head><body><script>var x = 'SCRIPT-BODY';</script>"
        "<noscript>NOSCRIPT-TEXT</noscript><style>.a{}</style></body></html>",
        encoding="utf-8",
    )
    found = read_article(str(path))
    raw = read_raw(str(path))
    shown = found.text + found.title if isinstance(found, Article) else found.reason
    for secret in ("SCRIPT-SECRET", "SCRIPT-BODY", "NOSCRIPT-TEXT", ".a{}"):
        assert secret not in shown
        assert secret not in raw


HOSTILE = (
    "<!DOCTYPE html><html><head>"
    "<title>Evil \x1b]0;pwned\x07 title \u202etxt.exe</title>"
    '<meta name="author" content="Mallory \x1b[31mRed\x1b[0m &#27;[2J">'
    '<meta name="keywords" content="a\x9bb, \u2066hidden\u2069">'
    '<meta property="og:url" content="https://example.com/\x1b[1m">'
    '<meta property="article:published_time" content="2022-02-02">'
    "</head><body>"
    "<h1>Evil \x1b]0;pwned\x07 title \u202etxt.exe</h1>"
    "<p>Escape \x1b[2J sequences, C1 \x9b31m and bidi \u202e reversed \u2067 text in a long"
    " enough paragraph for the extractor &#x1b;[5m to keep it whole as the article body.</p>"
    "<p>Entities &lt;script&gt;alert(1)&lt;/script&gt; stay text; &#155;31m too, and the"
    " bell &#7; rings nothing in this second paragraph of the hostile test page.</p>"
    '<iframe src="https://example.com/frame">IFRAME-TEXT</iframe>'
    "<form><input value='FORM-VALUE'><textarea>FORM-TEXT</textarea></form>"
    "<div hidden>HIDDEN-ATTR</div><span style='DISPLAY: none'>HIDDEN-STYLE</span>"
    "</body></html>"
)


def test_metadata_escaped_in_json_ld_reads_as_text(tmp_path: Path) -> None:
    # JSON-LD is not decoded by an HTML parser, and sites write it HTML-escaped (a
    # real page's "articleSection": "All Salon, Science &amp; Health").
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Rock &amp; roll returns to the harbour",
        "datePublished": "2023-11-09T08:00:00Z",
        "articleSection": "All Salon, Science &amp; Health",
    }
    head = f'<script type="application/ld+json">{json.dumps(data)}</script>'
    # Attributes escaped twice, one of them spelling an escape sequence.
    for tag in ("R&amp;amp;B", "&amp;#27;[31mred"):
        head += f'<meta property="article:tag" content="{tag}">'
    path = tmp_path / "escaped.html"
    path.write_text(page(PROSE, head, title="Rock &amp; roll returns"), encoding="utf-8")
    found = article(path)
    assert found.title == "Rock & roll returns to the harbour"  # the headline
    assert "Science & Health" in found.tags and "R&B" in found.tags
    assert not any("&amp;" in tag for tag in found.tags)
    for value in (found.title, *found.tags):
        assert is_safe(value), repr(value)  # the escape a &#27; spelt is not one


ESCAPING_PROSE = (
    "<p>To break a line inside a paragraph, web authors write the &lt;br&gt; element, and"
    " to make text bold they use &lt;b&gt;, which this short tutorial explains.</p>"
    "<p>Shops say Cut&amp;copy and Sales&amp;regional teams, and an address reads"
    " ?a=1&amp;amp;copy=2 when it is escaped twice, as some systems do with &amp;#27;.</p>"
)


@pytest.mark.parametrize(
    ("title", "shown"),
    [
        ("How the &lt;br&gt; tag works", "How the <br> tag works"),
        ("Escaping &amp;lt;div&amp;gt; in templates", "Escaping &lt;div&gt; in templates"),
        (
            "A &lt;p&gt;, &lt;b&gt; and &lt;script&gt;x&lt;/script&gt;",
            "A <p>, <b> and <script>x</script>",
        ),
    ],
)
def test_text_that_looks_like_html_stays_text(tmp_path: Path, title: str, shown: str) -> None:
    # What trafilatura takes out of a page is plain text: what looks like a tag in it is
    # text the page shows (its source escaped it), never a tag to strip.
    path = tmp_path / "tutorial.html"
    path.write_text(page(ESCAPING_PROSE, title=title), encoding="utf-8")
    found = article(path)
    assert found.title == shown  # whole: no word of it lost into the body
    assert found.paragraphs[0].startswith("To break a line")
    written = "write the <br> element, and to make text bold they use <b>, which"
    assert written in found.paragraphs[0]
    assert len(found.paragraphs) == 2


def test_a_page_entities_are_read_once_as_a_browser_reads_them(tmp_path: Path) -> None:
    # lxml reads the entities; trafilatura unescapes its text and metadata once more, and
    # Broadsheet did a third time: "&amp;amp;" came out "&", "&amp;copy" came out "©".
    head = (
        '<meta name="author" content="Ann Lee">'
        '<meta property="og:url" content="https://example.com/story?id=5&amp;copy=1&amp;not=2">'
        '<meta property="article:published_time" content="2024-03-05">'
    )
    cases = {
        "What does &amp;amp; mean in a URL?": "What does &amp; mean in a URL?",
        "Why &amp;copy; shows as a symbol": "Why &copy; shows as a symbol",
        "Fish &amp; chips &copy; and Sales&amp;regional": "Fish & chips © and Sales&regional",
        "Bell &amp;#7; and esc &amp;#x1b;[31m": "Bell &#7; and esc &#x1b;[31m",
    }
    for number, (title, shown) in enumerate(cases.items()):
        path = tmp_path / f"page{number}.html"
        path.write_text(page(ESCAPING_PROSE, head, title=title), encoding="utf-8")
        found = article(path)
        assert found.title == shown
        assert found.url == "https://example.com/story?id=5&copy=1&not=2"
        assert found.author == "Ann Lee"
        assert found.date_iso == "2024-03-05"
        body = found.paragraphs[1]
        assert "Cut&copy and Sales&regional" in body
        assert "?a=1&amp;copy=2" in body and "&#27;" in body
        for value in (found.title, found.text, found.url):
            assert is_safe(value.replace("\n", " ")), repr(value)


def test_reading_a_page_leaves_its_tree_as_lxml_read_it(tmp_path: Path) -> None:
    # The metadata is read on a tree escaped once more for trafilatura; the date's origin
    # is then looked for in the same tree, which must be as it was.
    from tui.corpus.webpage import Page, parse_page, read_page

    head = '<meta name="description" content="R&amp;D"><meta name="date" content="2024-03-05">'
    path = tmp_path / "tree.html"
    path.write_text(page(ESCAPING_PROSE, head, title="Fish &amp; chips"), encoding="utf-8")
    read = read_page(str(path))
    assert isinstance(read, Page) and read.tree is not None
    before = [(e.text, e.tail, dict(e.attrib)) for e in read.tree.iter()]
    parsed = parse_page(read)
    assert [(e.text, e.tail, dict(e.attrib)) for e in read.tree.iter()] == before
    assert parsed.title == "Fish & chips"
    assert parsed.date_origin == "page metadata"


def test_markup_and_escape_sequences_never_reach_the_screen(tmp_path: Path) -> None:
    path = tmp_path / "hostile.html"
    path.write_text(HOSTILE, encoding="utf-8")
    found = article(path)
    raw = read_raw(str(path))
    fields = [
        found.title, found.text, found.author or "", found.url or "", *found.tags,
        found.date_text or "", found.describe_date(), found.source or "", *found.warnings, raw,
    ]  # fmt: skip
    for value in fields:
        assert is_safe(value.replace("\n", " ")), repr(value)
    assert "pwned" in found.title  # shown, harmlessly
    assert "<script>alert(1)</script>" in raw  # entities are text, never markup
    # The page's text is text: what it spells as a tag is shown as the page shows it.
    assert "<script>alert(1)</script>" in found.text
    assert found.date_iso == "2022-02-02"  # the metadata still read
    assert found.author is not None and "Mallory" in found.author
    for gone in ("IFRAME-TEXT", "FORM-VALUE", "FORM-TEXT", "HIDDEN-ATTR", "HIDDEN-STYLE"):
        assert gone not in found.text
        assert gone not in raw


def test_r_shows_the_visible_text_not_the_source() -> None:
    raw = read_raw(str(PAGES / "metadata.html"))
    assert "Trade ministers from five countries" in raw
    assert "Home" in raw  # the whole visible page, furniture included
    for source in ("<p", "<meta", "<!DOCTYPE", "TRACKER", "font-family", "HIDDEN-ADVERT"):
        assert source not in raw


@pytest.mark.heavy
def test_a_20_mb_page_is_capped(tmp_path: Path) -> None:
    path = tmp_path / "huge.html"
    paragraph = (
        "<p>Paragraph {n}: the committee heard evidence from engineers about the state of"
        " the bridge and the cost of repairing its supports before the winter.</p>\n"
    )
    # 1.2 MB of paragraphs (more visible text than the raw view keeps), then a comment
    # to 20 MB: 5 MB of paragraphs took 14.5 s to extract (in a loading worker), this
    # 2.8 s. The test is that the page is cut, whatever is in it.
    with path.open("w", encoding="utf-8") as out:
        out.write("<html><head><title>Huge</title></head><body><article>")
        out.write("".join(paragraph.format(n=n) for n in range(8000)))
        out.write("</article><!-- ")
        while out.tell() < 20 << 20:
            out.write("saved page padding " * 50_000)
        out.write(" --></body></html>")
    assert path.stat().st_size > 20 << 20
    found = article(path)
    assert any("only the first 5 MB was read" in warning for warning in found.warnings)
    assert "Paragraph 0:" in found.text
    assert len(read_raw(str(path))) <= (1 << 20) + 200


def test_deeply_nested_and_malformed_html(tmp_path: Path) -> None:
    path = tmp_path / "deep.html"
    path.write_text(
        "<html><head><title>Deep</title></head><body>"
        + "<div><span><b>" * 30_000
        + "<p>Buried text that is still there.</p>"
        + "</td></tr><p><<<>>>&&&;<x y=\"</p>" * 200,
        encoding="utf-8",
    )
    found = read_article(str(path))
    assert isinstance(found, Article | Skipped)
    assert isinstance(read_raw(str(path)), str)


def test_binary_and_empty_pages_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "empty.html").write_bytes(b"   \n")
    (tmp_path / "binary.html").write_bytes(b"<html>\x00\x01\x02</html>")
    assert isinstance(read_article(str(tmp_path / "empty.html")), Skipped)
    assert isinstance(read_article(str(tmp_path / "binary.html")), Skipped)


# --- nothing from the network -----------------------------------------------------------


def test_nothing_from_the_network(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[str] = []

    def refuse(name: str):  # type: ignore[no-untyped-def]
        def refused(*args: object, **kwargs: object) -> None:
            attempts.append(f"{name}{args!r}")
            raise OSError(f"network use in a test: {name}")

        return refused

    monkeypatch.setattr(socket.socket, "connect", refuse("connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("connect_ex"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    # A page that is nothing but an address (a string htmldate would fetch), pages full
    # of links, canonical URLs, images and stylesheets to load.
    (tmp_path / "url-only.html").write_text("https://example.com/2024/10/17/story", "utf-8")
    (tmp_path / "links.html").write_text(
        page(
            PROSE + '<img src="http://example.com/a.jpg"><a href="https://example.org/x">x</a>'
            '<iframe src="https://example.net/"></iframe>',
            head='<link rel="canonical" href="https://example.com/2024/10/17/story">'
            '<link rel="stylesheet" href="https://example.com/s.css">'
            '<base href="https://example.com/">',
        ),
        "utf-8",
    )
    for name in ("metadata.html", "byline.html", "undated.html"):
        (tmp_path / name).write_bytes((PAGES / name).read_bytes())
    corpus = load_corpus([str(tmp_path)])
    for found in corpus:
        read_raw(found.file_path)
    assert len(corpus) >= 4
    assert attempts == []


# --- a mixed folder -----------------------------------------------------------------------


def test_a_page_and_its_text_copy_are_one_article(tmp_path: Path) -> None:
    (tmp_path / "talks.html").write_bytes((PAGES / "metadata.html").read_bytes())
    paragraphs = article(PAGES / "metadata.html").paragraphs
    # The same article saved as text by a scraper: the headline, then a paragraph a line.
    lines = ["Talks resume in Tashkent", ""]
    for paragraph in paragraphs:
        lines += [paragraph, ""]
    (tmp_path / "talks.txt").write_text("\n".join(lines), encoding="utf-8")
    (tmp_path / "other.md").write_text("# Other\n\nA different article.\n", encoding="utf-8")
    corpus = load_corpus([str(tmp_path)])
    assert len(corpus) == 2
    talks = next(found for found in corpus if found.title == "Talks resume in Tashkent")
    assert len(talks.duplicates) == 1


# --- speed ----------------------------------------------------------------------------------


def test_a_text_folder_never_imports_the_html_libraries(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Title: A\n\nSome text.\n", encoding="utf-8")
    code = (
        "import sys\n"
        "from tui.corpus.model import load_corpus\n"
        f"load_corpus([{str(tmp_path)!r}])\n"
        "heavy = [m for m in ('trafilatura', 'htmldate', 'lxml', 'justext') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_noncharacters_from_a_utf16_page_never_crash(tmp_path: Path) -> None:
    """Found by ``make fuzz``: a UTF-16 page whose text holds U+FFFE, which lxml's parser
    keeps but its setters refuse ("All strings must be XML compatible")."""
    import base64

    data = base64.b64decode(
        "/v///kkAbgAgADEAOQA5ADgAIABhAG4AZAAgAGkAbgAgADIAMAAzADEAIAB0AGgAZQAgAHkAZQBhAHIAIAAy"
        "ADEANQAwADIAMAAyADQALQAxADAALQAwADgAWwBSAGUAbABhAHQAZQBkADoAIABjFWsjUhALIXMkwRcuIA=="
    )
    page = tmp_path / "case.html"
    page.write_bytes(data)
    article = read_article(str(page))
    assert isinstance(article, Article)
    assert is_safe(article.title) and is_safe(article.text)
    assert is_safe(read_raw(str(page)))
