"""Widgets: each presents part of the model and reports what the user did."""

from .article_list import ArticleList
from .filter_bar import FilterBar
from .glyphs import Glyphs, glyphs_for_terminal
from .header_bar import HeaderBar
from .help_screen import HelpScreen
from .key_bar import KeyBar
from .reading_pane import ReadingPane
from .timeline import Timeline

__all__ = [
    "ArticleList",
    "FilterBar",
    "Glyphs",
    "HeaderBar",
    "HelpScreen",
    "KeyBar",
    "ReadingPane",
    "Timeline",
    "glyphs_for_terminal",
]
