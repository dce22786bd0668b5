"""Cleaning a body: what is removed (boilerplate, separators, repeats, HTML markup), at
the granularity it occurs, and the report of it that the raw view shows."""

from __future__ import annotations

import os
import re
from collections import Counter

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tui.corpus.clean import (
    RemovedSpan,
    _clean,
    _sentence_lines,
    _sentence_removals,
    clean_lines,
    drop_boilerplate,
    is_boilerplate,
    join_paragraphs,
    removed_spans,
    strip_html,
)
from tui.corpus.parse import parse_text

PROPERTY = settings(
    # CLEAN_EXAMPLES=3000 for a longer run.
    max_examples=int(os.environ.get("CLEAN_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def removed(text: str) -> list[tuple[str, str]]:
    """Each removed span as (its text, its reason)."""
    lines = text.split("\n")
    return [(lines[s.line][s.start : s.end], s.reason) for s in removed_spans(text)]


def cleaned(line: str) -> list[str]:
    return [kept for kept in clean_lines([line]) if kept]


# --- a sentence, not the line around it ---------------------------------------------


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        # The two examples.
        (
            "Share this article. The minister said on Tuesday that talks would resume.",
            "The minister said on Tuesday that talks would resume.",
        ),
        ("Click here to subscribe. Prices rose 3 %.", "Prices rose 3 %."),
        # In the middle and at the end of a paragraph.
        (
            "The talks ended on Friday. Advertisement. The delegation flew home.",
            "The talks ended on Friday. The delegation flew home.",
        ),
        ("The report was published on Monday. Read more", "The report was published on Monday."),
        ("Did the talks fail? Share this article", "Did the talks fail?"),
        ("Die Gespräche endeten am Freitag. ....weiterlesen", "Die Gespräche endeten am Freitag."),
        # A label keeps what it introduces.
        ("Read more: Minister resigns over budget", "Minister resigns over budget"),
        ("Lire aussi : Le ministre démissionne", "Le ministre démissionne"),
        ("Lesen Sie auch: Der Minister tritt zurück", "Der Minister tritt zurück"),
        # A copyright notice or photo credit after a caption: the caption stays.
        ("Hohe Tauern - Weisssee © Österreich Werbung", "Hohe Tauern - Weisssee"),
        (
            "Lee Elder war der Zuschauermagnet. | © Augusta National/Getty Images",
            "Lee Elder war der Zuschauermagnet.",
        ),
        (
            "© 2020 Healthline Media. All rights reserved. Our content is for information only.",
            "Our content is for information only.",
        ),
        # Navigation items between separators go with their separators.
        ("By Staff Reporter | Share | Tweet", "By Staff Reporter"),
        # Full-width stops need no blank after them.
        ("北京会谈结束。广告", "北京会谈结束。"),
    ],
)
def test_boilerplate_goes_and_the_article_sentence_stays(line: str, kept: str) -> None:
    assert cleaned(line) == [kept]


@pytest.mark.parametrize(
    "line",
    [
        # English
        "Share this article", "Share on Facebook",
        "Click to share on Twitter (Opens in new window)",
        "Advertisement", "Story continues below advertisement", "Sponsored content",
        "Subscribe to our newsletter for free!", "Sign up for our daily newsletter",
        "You need to be a member to post comments. Become a member for free today!",
        "We use cookies to improve your experience. By continuing to browse you agree to it.",
        "Cookie Policy", "Follow us on Twitter", "Skip to main content", "Read more »",
        "All rights reserved.", "Copyright © 2023 Example Media Ltd. All rights reserved.",
        "[Related: China blames NSA for cyber-attack on its military research university ]",
        "Powered by MOMENTUM MEDIA", "Comments",
        # German
        "Anzeige", "- Anzeige -", "Werbung", "Weiterlesen", "Teilen", "Teilen via E-Mail",
        "Newsletter-Anmeldung", "Folgen Sie uns auf Instagram", "Alle Rechte vorbehalten.",
        "Wir verwenden Cookies, um Ihnen ein optimales Webseiten-Erlebnis zu bieten.",
        # French
        "Publicité", "Lire aussi", "Partager sur Facebook", "Abonnez-vous à notre lettre",
        "Suivez-nous sur Twitter", "Tous droits réservés",
        "Nous utilisons des cookies pour mesurer l'audience.",
        # Spanish, Italian, Portuguese, Dutch
        "Publicidad", "Leer más", "Compartir en WhatsApp", "Síguenos en Twitter",
        "Todos los derechos reservados", "Pubblicità", "Leggi anche", "Seguici su Facebook",
        "Publicidade", "Leia também", "Advertentie", "Lees ook",
        # Russian, Chinese, Japanese, Korean
        "Реклама", "Читайте также", "Поделиться", "Все права защищены", "广告", "広告", "광고",
        # Separators and logos
        "==============", "* * *", "defence connect logo",
    ],
)  # fmt: skip
def test_a_boilerplate_line_goes_whole(line: str) -> None:
    assert cleaned(line) == []
    assert is_boilerplate(line)
    assert drop_boilerplate(line) == ""


@pytest.mark.parametrize(
    "line",
    [
        # Article sentences that only start like boilerplate.
        "Share prices fell sharply on Monday.",
        "Copyright law was changed in 1998.",
        "Advertising revenue rose by a third.",
        "Click chemistry won the Nobel prize.",
        "Subscribers to the service rose to two million.",
        "Read more books, the minister urged.",
        "Follow-up talks began in Geneva.",
        "We use the same method as last year.",
        "This website was hacked on Tuesday, the bank said.",
        "Teilen ist wichtig, sagte die Ministerin.",
        "Publicidad engañosa: la empresa fue multada.",
        "Anzeigen machen inzwischen weniger als ein Drittel aus.",
        "The company unveiled its new logo at a ceremony attended by the minister.",
        "More from the minister on Tuesday, he said, would follow in due course.",
    ],
)
def test_article_sentences_that_start_like_boilerplate_stay(line: str) -> None:
    assert cleaned(line) == [line]
    assert not is_boilerplate(line)
    assert drop_boilerplate(line) == line


def test_a_repeated_line_goes_once_its_boilerplate_is_gone() -> None:
    lines = ["Xi to visit Moscow", "Share this: Xi to visit Moscow", "The trip is his first."]
    assert clean_lines(lines) == ["Xi to visit Moscow", "The trip is his first."]


def test_long_lines_without_boilerplate_skip_the_sentence_rules() -> None:
    paragraph = "The committee met again and agreed on a date for the vote. " * 2000
    text = "\n".join(["The talks began.", paragraph, "", paragraph])
    assert _sentence_lines(text.split("\n")) == set()
    assert _sentence_lines([*text.split("\n"), "Advertisement"]) == {4}
    assert _sentence_lines([paragraph + "Share this article."]) == {0}


def test_cleaning_stays_linear_on_hostile_lines() -> None:
    # Rules with open tails ("By continuing … agree …") must not backtrack badly.
    for line in (
        "By continuing " + "agree " * 20_000,
        "Share this. " * 20_000,
        "Copyright © " + "x " * 50_000,
        "Read more: " * 20_000,
    ):
        clean_lines([line])  # finishes: no catastrophic backtracking


# --- removed_spans ----------------------------------------------------------------


def test_removed_spans_name_each_removal_with_its_reason() -> None:
    text = (
        "Share this\n"
        "The minister   said so on Tuesday.\n"
        "-----\n"
        "The minister said so on Tuesday.\n"
        "All rights reserved."
    )
    assert removed_spans(text) == [
        RemovedSpan(0, 0, 10, "boilerplate"),
        RemovedSpan(2, 0, 5, "separator"),
        RemovedSpan(3, 0, 32, "repeated line"),
        RemovedSpan(4, 0, 20, "boilerplate"),
    ]


def test_removed_spans_mark_the_sentence_not_the_line() -> None:
    text = "The talks began.\nShare this article. The minister said so.\nRead more: Talks fail"
    assert removed(text) == [("Share this article.", "boilerplate"), ("Read more:", "boilerplate")]


def test_removed_spans_skip_the_header_block() -> None:
    text = "Title: Share this\nDate: 2024-01-02\n\nShare this\nThe talks went on.\n"
    assert removed_spans(text) == [RemovedSpan(3, 0, 10, "boilerplate")]


def test_removed_spans_skip_front_matter_and_follow_a_body_sharing_the_date_line() -> None:
    text = "---\ntitle: Talks\ndate: 2024-01-02\n---\n\nShare this article. Talks began.\nAd\n"
    assert removed(text) == [("Share this article.", "boilerplate"), ("Ad", "boilerplate")]
    text = " date 2024-10-08 The envoy met the minister on Monday. Share this article.\n"
    assert removed(text) == [("Share this article.", "boilerplate")]
    assert removed_spans(text)[0].line == 0


def test_removed_spans_report_the_dropped_repeat_of_the_headline() -> None:
    text = "Xi to visit Moscow\n\nXi to visit Moscow\n\nThe president travels on Monday.\n"
    assert parse_text(text).title == "Xi to visit Moscow"
    assert removed_spans(text) == [RemovedSpan(2, 0, 18, "repeated line")]


def test_removed_spans_of_a_clean_text_are_none() -> None:
    assert removed_spans("Prices rose.\n\nThe bank held its rate.\n") == []
    assert removed_spans("") == []


def test_removed_spans_report_html_markup_in_raw_offsets() -> None:
    text = "<p>Advertisement</p><p>Real &amp; text</p> <b>bold</b>\n<script>\nvar a;\n</script>end"
    assert removed(text) == [
        ("<p>", "HTML markup"),
        ("Advertisement", "boilerplate"),
        ("</p><p>", "HTML markup"),
        ("</p>", "HTML markup"),
        ("<b>", "HTML markup"),
        ("</b>", "HTML markup"),
        ("<script>", "HTML markup"),
        ("var a;", "HTML markup"),
        ("</script>", "HTML markup"),
    ]


def test_removed_spans_map_back_through_tidied_spaces_and_entities() -> None:
    # Runs of blanks are collapsed and entities unescaped before cleaning; the spans
    # still point at the raw text.
    text = "Body text here.\n\n  Share\u00a0\u00a0this   \nA&amp;B said &#8364;5.\nA&B said €5."
    assert removed(text) == [
        ("Share\u00a0\u00a0this", "boilerplate"),
        ("A&B said €5.", "repeated line"),
    ]


# --- properties -------------------------------------------------------------------

# Article words come from letters that no boilerplate rule can be spelt with (every rule
# needs a vowel such as a, e, i, o or а, е, и, о), in several scripts.
_LATIN = st.text(alphabet="bdgkvzuy", min_size=2, max_size=7)
_CYRILLIC = st.text(alphabet="жщфюы", min_size=2, max_size=6)
_GREEK = st.text(alphabet="θξψωλ", min_size=2, max_size=6)
_CJK = st.text(alphabet="龍鳥雲山川", min_size=1, max_size=4)
_WORD = st.one_of(_LATIN, _CYRILLIC, _GREEK, _CJK)


@st.composite
def _article_sentence(draw: st.DrawFn) -> str:
    words = draw(st.lists(_WORD, min_size=1, max_size=8))
    words[0] = words[0][:1].upper() + words[0][1:]
    stop = "。" if re.match(r"[龍鳥雲山川]", words[-1][-1:]) else draw(st.sampled_from(".!?…"))
    return " ".join(words) + stop


BOILERPLATE_SENTENCES = [
    "Share this article.", "Advertisement.", "Click here to subscribe.",
    "Subscribe to our newsletter!", "Sign up for our newsletter.", "Follow us on Twitter.",
    "We use cookies to improve your experience.", "All rights reserved.",
    "© 2024 Example Media Ltd.", "Copyright © 2024 Example Media.", "Skip to main content.",
    "Anzeige.", "Weiterlesen.", "Teilen.", "Publicité.", "Publicidad.", "Leer más.",
    "Pubblicità.", "Реклама.", "Поделиться.", "Alle Rechte vorbehalten.",
    "Tous droits réservés.", "[Related: Dyk bu gyz]", "Read more »",
]  # fmt: skip
SEPARATOR_LINES = ["==============", "-----", "* * *", "______________"]


@st.composite
def _scraped_text(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A page of article sentences with boilerplate sentences and separator lines
    between them, on the same lines and on their own; and its article sentences."""
    sentences = draw(st.lists(_article_sentence(), min_size=1, max_size=12, unique=True))
    # The first line is an article sentence ending in a full stop: never a headline
    # (parse_text would take it as the title) and never front matter.
    sentences[0] = sentences[0][:-1] + "."
    lines: list[list[str]] = [[sentences[0]]]
    for sentence in sentences[1:]:
        for _ in range(draw(st.integers(0, 2))):
            noise = draw(st.sampled_from(BOILERPLATE_SENTENCES + SEPARATOR_LINES))
            if noise in SEPARATOR_LINES:
                lines.extend([[noise], []])
            elif draw(st.booleans()):
                lines[-1].append(noise)
            else:
                lines.append([noise])
        if draw(st.booleans()):
            lines.append([])  # a paragraph break
        if draw(st.booleans()):
            lines[-1].append(sentence)
        else:
            lines.append([sentence])
    blank = draw(st.sampled_from([" ", "  ", "\u00a0", " \t"]))
    return "\n".join(blank.join(line) for line in lines), sentences


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


@pytest.mark.heavy
@PROPERTY
@given(_scraped_text())
@example(("Dyk bu. Share this article. Gyz vuk.", ["Dyk bu.", "Gyz vuk."]))
@example(("Dyk bu.\nAdvertisement. Anzeige. Gyz vuk!", ["Dyk bu.", "Gyz vuk!"]))
def test_cleaning_keeps_every_article_sentence_and_no_boilerplate(
    page: tuple[str, list[str]],
) -> None:
    text, sentences = page
    paragraphs = join_paragraphs(clean_lines(text.split("\n")))
    # Every article word survives, in order, and nothing else does: no word of any
    # boilerplate sentence is left.
    assert _words(" ".join(paragraphs)) == _words(" ".join(sentences))


@pytest.mark.heavy
@PROPERTY
@given(_scraped_text())
def test_removed_spans_and_kept_text_account_for_every_character(
    page: tuple[str, list[str]],
) -> None:
    text, _ = page
    lines = text.split("\n")
    spans = removed_spans(text)
    kept = clean_lines(lines)

    def visible(chunks: list[str]) -> Counter[str]:
        return Counter(char for chunk in chunks for char in chunk if not char.isspace())

    reported = [lines[span.line][span.start : span.end] for span in spans]
    # Nothing vanishes unreported, and nothing reported is still shown.
    assert visible(lines) == visible(reported) + visible(kept)
    # Spans lie inside their lines, in order, without overlapping.
    for span, following in zip(spans, spans[1:], strict=False):
        assert (span.line, span.end) <= (following.line, following.start)
    assert all(0 <= span.start < span.end <= len(lines[span.line]) for span in spans)


_FRAGMENT = st.one_of(
    _article_sentence(),
    st.sampled_from(BOILERPLATE_SENTENCES + SEPARATOR_LINES),
    st.sampled_from(["Read more:", "Share |", "| ", " • ", "» ", "- ", "(", ")", "\n", "\n\n"]),
)


@PROPERTY
@given(st.lists(_FRAGMENT, max_size=20).map(" ".join))
def test_the_fast_path_never_skips_a_line_the_sentence_rules_change(text: str) -> None:
    candidates = _sentence_lines(text.split("\n"))
    for index, line in enumerate(text.split("\n")):
        if _sentence_removals(line.strip()):
            assert index in candidates, line


_LINE = st.one_of(
    st.lists(_FRAGMENT, max_size=4).map(" ".join),
    st.sampled_from(["", " ", "Example logo", "THE TIMES LOGO", "Dyk bu", "DYK BU", "• • •"]),
)


@PROPERTY
@given(st.lists(_LINE, max_size=16), st.booleans())
@example(["Dyk bu", "Share this: Dyk bu", "dyk BU", "", "Dyk bu"], False)
def test_the_quick_pass_keeps_what_the_reporting_pass_keeps(lines: list[str], tidied: bool) -> None:
    # clean_lines runs a quicker loop than the one removed_spans reports from, and
    # remembers the candidate lines it has seen: a second time it finds them there.
    lines = "\n".join(lines).split("\n")
    reported = _clean(lines, tidied, [])
    assert clean_lines(lines, tidied=tidied) == reported
    assert clean_lines(lines, tidied=tidied) == reported


@pytest.mark.parametrize(
    "headline",
    ["Mozilla unveils new Firefox logo", "Designing the new logo", "Twitter unveils new logo"],
)
def test_a_headline_that_ends_in_logo_is_kept(headline: str) -> None:
    # Taken for an image's alt text ("CNN logo"), it was dropped without a word.
    assert cleaned(headline) == [headline]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Compare a<b && c>d in prose.", "Compare a<b && c>d in prose."),
        ("Java's List<Integer> and C++'s std::vector<std::string>.", None),
        ("Tom <Reuters> said so.", None),
        ('<p class="lead">Tom &amp; Jerry</p><br/>met <B>again</B>.', "Tom & Jerry\n\nmet again."),
    ],
)
def test_only_html_tags_are_stripped_from_a_text(text: str, kept: str | None) -> None:
    # Any "<word …>" went: "a<b && c>d" became "ad", "List<Integer>" "List".
    assert strip_html(text).strip() == (kept if kept is not None else text)
