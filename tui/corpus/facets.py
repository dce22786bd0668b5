"""Facets: who and what a list of articles is about (F), counted once an article.

The names (:mod:`corpus.names`: people, places, organisations) come from the store's
``article_names`` table, filled with the relevance table after a load; authors,
sites, tags and folders from the articles. Each article's facets are kept as small
ints in two arrays by serial, so counting a list's is a loop in C: a slice of the
arrays per article, fed to a ``Counter``. A name found in more than half of a large
collection (a site's boilerplate, its own name) is the collection's stopword, and is
left out.
"""

from __future__ import annotations

import itertools
import os
from array import array
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from .model import Article
from .query import url_host

KINDS = ("name", "author", "site", "tag", "folder")

_SHOWN = {"name": 20, "author": 8, "site": 8, "tag": 8, "folder": 6}
"""Facets listed of each kind, the most frequent first."""

_STOPWORD_SHARE = 0.5
"""A name in more than this share of the collection says nothing about any article."""

_STOPWORD_MINIMUM = 20
"""Articles a collection needs before any name is called a stopword."""


@dataclass(frozen=True, slots=True)
class Facet:
    kind: str
    """One of :data:`KINDS`."""
    label: str
    """As shown (file text, neutralised when it was read)."""
    count: int
    """Articles of the list that have it."""
    term: str | None
    """What Enter adds to the query (None: the query language has no term for it)."""


def _quoted(text: str) -> str:
    return '"' + text.replace('"', " ").strip() + '"'


def term_for(kind: str, label: str) -> str | None:
    """The query term that narrows a list to the articles with this facet."""
    if kind == "name":
        return _quoted(label)
    if kind == "author":
        return f"author:{_quoted(label)}"
    if kind == "site":
        return f"site:{label}"
    if kind == "tag":
        return f"tag:{_quoted(label.lstrip('#'))}"
    return None


class FacetIndex:
    """Every article's facets as ints (:attr:`values` index (kind, label) pairs)."""

    def __init__(self) -> None:
        self.values: list[tuple[str, str]] = []
        """(kind, label) of each facet id."""
        self.offsets = array("i", [0])
        """Article *serial*'s facets are ``facets[offsets[serial]:offsets[serial + 1]]``."""
        self.facets = array("i")
        self.stopwords: frozenset[int] = frozenset()
        self.size = 0
        """Articles indexed (serials 0 … size-1)."""

    @classmethod
    def build(
        cls,
        articles: Sequence[Article],
        names: Iterable[tuple[int, str]],
        removed: Collection[int] = (),
    ) -> FacetIndex:
        """The facets of *articles* (by serial), their names from *names*: (serial,
        names one a line); *removed* serials have none."""
        index = cls()
        names_of: dict[int, str] = dict(names)
        offsets, facets = index.offsets, index.facets
        # A value's id on first sight, in C: a defaultdict whose factory is a counter
        # (a Python function a value cost 1 s at 100k articles of ~19 names each).
        fresh = itertools.count()
        ids: dict[str, defaultdict[str, int]] = {
            kind: defaultdict(fresh.__next__) for kind in KINDS
        }
        name_id, author_id, site_id = ids["name"], ids["author"], ids["site"]
        tag_id, folder_id = ids["tag"], ids["folder"]
        hosts: dict[str, str | None] = {}
        for article in articles:
            if article.serial not in removed:
                text = names_of.get(article.serial)
                if text:
                    facets.extend(map(name_id.__getitem__, text.split("\n")))
                if article.author:
                    facets.append(author_id[article.author])
                url = article.url
                if url:
                    # The host, worked out once a site (a URL's parse costs ~2 µs).
                    place = url.partition("//")[2].partition("/")[0] or url
                    host = hosts.get(place, "")
                    if host == "":
                        host = hosts[place] = url_host(url)
                    if host:
                        facets.append(site_id[host])
                if article.tags:
                    facets.extend(map(tag_id.__getitem__, dict.fromkeys(article.tags)))
                folder = article.path.rpartition(os.sep)[0]
                if folder:
                    facets.append(folder_id[folder])
            offsets.append(len(facets))
        values: list[tuple[str, str]] = [("", "")] * next(fresh)
        for kind, known in ids.items():
            for label, number in known.items():
                values[number] = (kind, label)
        index.values = values
        index.size = len(articles)
        if index.size >= _STOPWORD_MINIMUM:
            everywhere = index._counter(range(index.size))
            limit = index.size * _STOPWORD_SHARE
            index.stopwords = frozenset(
                found
                for found, count in everywhere.items()
                if count > limit and values[found][0] == "name"
            )
        return index

    def _counter(self, serials: Iterable[int]) -> Counter[int]:
        offsets, facets, size = self.offsets, self.facets, self.size
        return Counter(
            itertools.chain.from_iterable(
                facets[offsets[serial] : offsets[serial + 1]] for serial in serials if serial < size
            )
        )

    def count(self, serials: Iterable[int]) -> list[Facet]:
        """The most frequent facets of the articles *serials*, each kind's best first,
        names first."""
        counts = self._counter(serials)
        for stopword in self.stopwords:
            counts.pop(stopword, None)
        shown: dict[str, list[Facet]] = {kind: [] for kind in KINDS}
        for found, count in counts.most_common():
            kind, label = self.values[found]
            listed = shown[kind]
            if len(listed) < _SHOWN[kind]:
                listed.append(Facet(kind, label, count, term_for(kind, label)))
                if all(len(shown[k]) >= _SHOWN[k] for k in KINDS):
                    break
        return [facet for kind in KINDS for facet in shown[kind]]
