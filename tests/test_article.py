"""Article's folded fields: a dozen rarely varied fields held in one shared tuple, each
still read, set, replaced and pickled by its name (``model._fold_rarely_varied``)."""

from __future__ import annotations

import dataclasses
import inspect
import marshal
import pickle

from tui.corpus import Article
from tui.corpus.dates import ArticleDate
from tui.corpus.model import _FOLDED_FIELDS
from tui.corpus.store import _record


def _article(serial: int, **changes: object) -> Article:
    fields: dict[str, object] = {
        "key": f"{serial:032x}",
        "id": f"{serial:010x}",
        "path": f"news/{serial}.txt",
        "title": f"Title {serial}",
        "title_source": "header",
        "date": ArticleDate(2024, 5, serial % 28 + 1),
        "date_text": None,
        "date_line": 2,
        "source": None,
        "author": None,
        "words": 300 + serial,
        "body": f"Body {serial}".encode(),
        "serial": serial,
    }
    fields.update(changes)
    return Article(**fields)  # type: ignore[arg-type]


def _values(article: Article) -> dict[str, object]:
    return {field.name: getattr(article, field.name) for field in dataclasses.fields(Article)}


def test_init_takes_the_fields_in_their_order_with_their_defaults() -> None:
    # The hand-written __init__ must stay the dataclass's: records and pickles pass
    # the fields by position.
    parameters = list(inspect.signature(Article.__init__).parameters.values())[1:]
    declared = dataclasses.fields(Article)
    assert [p.name for p in parameters] == [f.name for f in declared]
    for parameter, field in zip(parameters, declared, strict=True):
        expected = (
            inspect.Parameter.empty if field.default is dataclasses.MISSING else field.default
        )
        assert parameter.default == expected, field.name
    assert set(_FOLDED_FIELDS) <= {f.name for f in declared}


def test_articles_alike_share_one_tuple_and_each_is_changed_alone() -> None:
    first, second = _article(1), _article(2)
    assert first._folded is second._folded
    assert "markup" not in Article.__slots__  # type: ignore[attr-defined]

    second.markup = "markdown"
    second.duplicates += ("copy.txt",)
    assert (second.markup, second.duplicates) == ("markdown", ("copy.txt",))
    assert (first.markup, first.duplicates) == ("text", ())
    third = _article(3, markup="markdown", duplicates=("copy.txt",))
    assert third._folded is second._folded


def test_every_field_survives_replace_pickle_and_the_store_record() -> None:
    article = _article(
        7,
        title_source="front matter", date_line=None, encoding="latin-1",
        warnings=("odd byte",), duplicates=("b.txt",), url="https://example.org/a",
        tags=("x", "y"), date_origin="front matter", years_named=(2020, 2019),
        not_before=2018, markup="markdown", body_line=4, real_path="news/\udcff.txt",
        stored=-1,
    )  # fmt: skip
    before = _values(article)
    assert before["years_named"] == (2020, 2019) and before["real_path"] == "news/\udcff.txt"

    replaced = dataclasses.replace(article, words=1)
    assert _values(replaced) == {**before, "words": 1}
    assert _values(pickle.loads(pickle.dumps(article))) == before
    # The store's record: body and serial left out, the date as a tuple.
    remade = Article(*marshal.loads(_record(article)))
    assert _values(remade) == {**before, "body": b"", "serial": -1, "date": (2024, 5, 8, "stated")}


def test_a_list_where_a_tuple_belongs_is_held_not_refused() -> None:
    article = _article(9, tags=["a"])
    assert article.tags == ["a"]
