"""Write a deterministic corpus of N saved web pages (``.html``) for benchmarks.

Usage: ``python -m bench.make_html_corpus N DIR [--seed S]``.

Each page wraps an article drawn like ``bench.make_corpus``'s (the same sentence
pool) in the furniture real pages carry: a head with metadata (Open Graph,
``article:published_time``, author, keywords, a canonical link, sometimes JSON-LD),
styles and scripts, a navigation bar, a byline, related links, comments with their
own dates, a cookie banner and a footer. About a third of the pages state their date
only in the byline, a third only in the metadata, the rest in both; 5 % state none.

It is a module of its own, which ``make_corpus.py --html`` hands over to: the text
corpora cached under ``bench/.corpora`` are keyed by a hash of that file's text
generator (``bench/corpora.py``), and they must not be regenerated for this.
"""

from __future__ import annotations

import argparse
import html
import os
import random
import sys
from collections.abc import Sequence

from bench.make_corpus import _ORGS, _PEOPLE_FIRST, _PEOPLE_LAST, _PLACES, _Writer, article_path

MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip

UNDATED_SHARE = 0.05


def _page(writer: _Writer, rng: random.Random, index: int) -> bytes:
    headline = writer._headline()
    year, month, day = writer._date()
    author = f"{rng.choice(_PEOPLE_FIRST)} {rng.choice(_PEOPLE_LAST)}"
    site = f"The {rng.choice(_PLACES)} {rng.choice(['Courier', 'Herald', 'Post', 'Gazette'])}"
    slug = "-".join(headline.lower().split()[:6])
    url = f"https://news{index % 50}.example.com/{slug}-{index}"
    paragraphs = writer._paragraphs(writer._size(), index, False, None)
    iso = f"{year:04d}-{month:02d}-{day:02d}"
    style = rng.random()
    undated = rng.random() < UNDATED_SHARE
    in_meta = not undated and style < 0.67
    in_byline = not undated and style >= 0.33
    e = html.escape
    head = [
        '<meta charset="utf-8">',
        f"<title>{e(headline)} | {e(site)}</title>",
        f'<meta property="og:title" content="{e(headline)}">',
        f'<meta property="og:site_name" content="{e(site)}">',
        f'<link rel="canonical" href="{url}">',
        f'<meta name="author" content="{e(author)}">',
        f'<meta name="keywords" content="{e(rng.choice(_PLACES))}, {e(rng.choice(_ORGS))}">',
        "<style>body{margin:0}.nav a{padding:4px}.cookie{position:fixed}</style>",
        "<script>window.dataLayer=[];function track(e){dataLayer.push(e)}</script>",
    ]
    if in_meta:
        head.append(f'<meta property="article:published_time" content="{iso}T08:{day:02d}:00Z">')
        if rng.random() < 0.4:
            head.append(
                '<script type="application/ld+json">{"@type":"NewsArticle",'
                f'"headline":"{e(headline)}","datePublished":"{iso}"}}</script>'
            )
    nav = "".join(
        f'<li><a href="/{word.lower()}">{word}</a></li>'
        for word in ("Home", "World", "Business", "Politics", "Sport", "Culture", "Opinion")
    )
    byline = f"By {e(author)}"
    if in_byline:
        byline += f" | {MONTHS[month - 1]} {day}, {year}"
    body = "".join(f"<p>{e(paragraph)}</p>" for paragraph in paragraphs)
    related = "".join(
        f'<li><a href="/r/{index}-{n}">{e(writer._headline())}</a>'
        f" <span>{rng.randint(1, 28)} {MONTHS[rng.randrange(12)]} {year}</span></li>"
        for n in range(rng.randint(3, 6))
    )
    comments = "".join(
        f"<div class=comment><b>{e(rng.choice(_PEOPLE_FIRST))}</b>"
        f" <span>{MONTHS[rng.randrange(12)]} {rng.randint(1, 28)}, {min(year + 1, 2025)}</span>"
        f"<p>{e(rng.choice(writer.pool))}</p><a href=#>Reply</a></div>"
        for _ in range(rng.randint(0, 4))
    )
    page = (
        "<!DOCTYPE html>\n<html lang=en><head>" + "".join(head) + "</head><body>"
        f'<div class="cookie">We use cookies. <button>Accept</button></div>'
        f'<header><a class="logo" href="/">{e(site)}</a><nav class="nav"><ul>{nav}</ul></nav>'
        "</header><main><article>"
        f"<h1>{e(headline)}</h1><div class=byline>{byline}</div>{body}"
        "<div class=share>Share on Facebook · Share on X · Email</div></article>"
        f"<aside><h2>Related</h2><ul>{related}</ul></aside>"
        f"<section class=comments><h2>Comments</h2>{comments}</section></main>"
        f"<footer><p>© {year} {e(site)}. All rights reserved.</p>"
        '<p><a href="/privacy">Privacy</a> · <a href="/terms">Terms</a></p></footer>'
        "<script>track({page:'article'})</script></body></html>\n"
    )
    return page.encode("utf-8")


def make_html_corpus(count: int, root: str, seed: int = 2024) -> int:
    """Write *count* pages under *root*; return the bytes written."""
    writer = _Writer(seed)
    rng = random.Random(seed ^ 0x4854)
    total = 0
    made: set[str] = set()
    for index in range(count):
        data = _page(writer, rng, index)
        stem = article_path(root, index)
        folder = os.path.dirname(stem)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        with open(stem + ".html", "wb") as handle:
            handle.write(data)
        total += len(data)
    return total


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.make_html_corpus", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("count", type=int, metavar="N", help="how many pages")
    parser.add_argument("root", metavar="DIR", help="folder to write them into")
    parser.add_argument("--seed", type=int, default=2024, help="default 2024")
    args = parser.parse_args(argv)
    if args.count < 0:
        parser.error("N must be 0 or more")
    total = make_html_corpus(args.count, args.root, args.seed)
    print(f"wrote {args.count} pages, {total / 1e6:.1f} MB, to {args.root}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
