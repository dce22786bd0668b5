"""The corpus model: pure Python, no Textual, testable without a terminal."""

from .dates import ArticleDate
from .files import CorpusPathError, Skipped
from .model import (
    Article,
    Corpus,
    SortOrder,
    corpus_name,
    default_corpus_path,
    iter_corpus,
    load_corpus,
    read_article,
    read_as_loaded,
    read_raw,
)
from .safe import neutralise, neutralise_line
from .state import ReadState, state_directory

__all__ = [
    "Article",
    "ArticleDate",
    "Corpus",
    "ReadState",
    "CorpusPathError",
    "Skipped",
    "SortOrder",
    "corpus_name",
    "default_corpus_path",
    "iter_corpus",
    "load_corpus",
    "neutralise",
    "neutralise_line",
    "read_article",
    "read_as_loaded",
    "read_raw",
    "state_directory",
]
