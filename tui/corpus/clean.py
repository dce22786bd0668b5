"""Cleaning a body: HTML tags and entities, scraping boilerplate, repeated lines, and
hard-wrapped lines joined back into paragraphs."""

from __future__ import annotations

import bisect
import functools
import html
import re
from dataclasses import dataclass

from .safe import UNSAFE_CHARACTERS

PARAGRAPH_LIMIT = 5000
"""Longer paragraphs (a 2 MB single line) are split at sentence or word boundaries
so that wrapping and drawing stay fast; no text is dropped."""

# --- boilerplate ------------------------------------------------------------------
#
# Scraping boilerplate is removed a sentence at a time: "Share this article. The
# minister said…" keeps the minister. A sentence is boilerplate only when one rule
# matches ALL of it (bar decoration such as "- Anzeige -" or "[…]"), so an article
# sentence that merely starts like one ("Share prices fell.") stays. A few labels
# ("Read more:", "Lire aussi :") are removed from the front of a sentence, keeping
# the rest. In the rules below a space stands for any run of blanks.

_BLANK = r"\x20\t\x0b\x0c\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
"""Blank characters bar the line break, for a character class."""
_OPT = r"\s?"
r"""An optional blank (a space in a rule stands for one or more: the rules run on single
lines, so ``\s`` never meets a line break there)."""
_DASH = r"[\s-]"
_IN_SENTENCE = r"(?:[^.!?\n]|[.!?](?=[^\s.!?]))"
"""A character of a sentence: not a stop unless a word goes on right after it (".com").
A rule never reads past a stop and a blank, even one :func:`_is_abbreviation` finds
("Ltd. The talks…"): a sentence joined to its neighbour that way stays whole."""
_REST = _IN_SENTENCE + "*"
"""The rest of a sentence."""
_SHORT = _IN_SENTENCE + "{1,60}"
_NETWORK = (
    r"(?:facebook|twitter|x|linkedin|whatsapp|e-?mail|reddit|pinterest|telegram|threads"
    r"|bluesky|mastodon|xing|messenger|flipboard|instagram|vk)"
)
_COOKIES = rf"{_REST}\bcookies?\b{_REST}"
_NEWSLETTER = (
    rf"newsletters?(?:{_DASH}(?:sign{_OPT}-?up|signup|subscription|anmeldung|abonnieren"
    r"|bestellen))?"
)
_COOKIE_PAGE = (
    rf"cookies?{_DASH}(?:policy|settings|preferences|notice|consent|einstellungen|richtlinie)"
)
_TO_READ = rf"(?:to|for) (?:read|continue|view|comment|access|post){_REST}"

# Each alternative starts with a letter (or the one character it needs), for speed:
# see _by_first_chars().
_SENTENCE_RULES = (
    # English
    rf"share(?: (?:this|the))?(?: (?:article|story|page|post|link|video|photo|gallery))?"
    rf"(?: (?:on|via|with|to) {_NETWORK})?",
    r"shares|tweet|print|email|e-mail|whatsapp|pin it|comments|comment",
    rf"click (?:here|to|below){_REST}|tap here{_REST}",
    r"advertisement|advertising|advertiser disclosure|ad|advertise(?: with us)?",
    r"sponsored(?: content| post)?|promoted(?: content)?|paid (?:content|post|partner)",
    r"story continues below(?: (?:this )?advertisement)?"
    r"|continue reading(?: (?:below|the main story))?"
    r"|scroll (?:down )?to continue(?: (?:reading|with content))?"
    r"|article continues (?:below|after (?:this )?advertisement)",
    r"read (?:more|next|also|the full (?:story|article))|view more|also read|see also",
    rf"more from {_IN_SENTENCE}{{1,40}}",
    r"related(?: (?:articles?|stories|posts|news|content|topics))?",
    rf"\[{_OPT}related{_OPT}:[^\]\n]*\]",
    *(
        rf"you {verb} to (?:be )?(?:a )?(?:member|subscriber|subscribed|registered"
        rf"|logged in|log in|sign in){_REST}"
        for verb in ("need", "must", "have")
    ),
    rf"become a (?:member|subscriber){_REST}",
    rf"please (?:log{_OPT}in|sign{_OPT}in|subscribe|register) {_TO_READ}|register {_TO_READ}",
    # (Each alternative starts with enough literal text to look for: see _head().)
    rf"subscribe(?: (?:now|today|here))?(?: (?:to|for) {_REST})?",
    r"subscribers? only|subscriber (?:terms|services|login)",
    *(
        rf"{sign}(?: (?:now|today|here|for free))?(?: (?:for|to) {_REST})?"
        for sign in ("sign up", "signup", "sign in", "signin")
    ),
    rf"log in(?: (?:to|for) {_REST})?|login(?: (?:to|for) {_REST})?",
    rf"follow us(?: (?:on|at)(?: {_REST})?)?",
    rf"{_NEWSLETTER}|our {_NEWSLETTER}|more {_NEWSLETTER}|email {_NEWSLETTER}|e-mail {_NEWSLETTER}"
    rf"|daily {_NEWSLETTER}|weekly {_NEWSLETTER}",
    *(
        rf"we {verb}{_COOKIES}"
        for verb in ("use", "may use", "and our partners use", "store", "set")
    ),
    rf"this website{_COOKIES}|this site{_COOKIES}",
    rf"our website uses cookies{_REST}|our site uses cookies{_REST}",
    *(
        rf"by {verb}{_REST}\b(?:agree|accept|consent){_REST}"
        for verb in ("continuing", "using", "clicking", "browsing", "remaining")
    ),
    rf"{_COOKIE_PAGE}|privacy (?:and|&) {_COOKIE_PAGE}",
    r"accept all cookies|accept cookies|reject all cookies|reject cookies|manage cookies",
    r"all rights reserved",
    rf"copyright(?:{_OPT}(?:©|\(c\)|(?:19|20)\d\d){_IN_SENTENCE}{{0,80}})?"
    rf"|copyright (?:policy|notice|information|by {_SHORT})"
    rf"|©{_OPT}{_IN_SENTENCE}{{0,80}}|this material may not be published{_REST}",
    r"skip to (?:the )?(?:main )?(?:content|navigation|search)",
    rf"powered by(?: {_SHORT})?",
    # German
    r"anzeige|anzeigen|werbung|gesponsert|weiterlesen|mehr (?:lesen|anzeigen|dazu)|drucken|teilen"
    r"|jetzt (?:teilen|abonnieren|anmelden|lesen)|artikel teilen|abonnieren"
    r"|möchten sie weiterlesen|alle rechte vorbehalten",
    rf"teilen (?:via|auf|per|mit) {_SHORT}",
    r"lesen sie (?:auch|mehr|hier mehr|weiter)",
    rf"folgen sie uns(?: (?:auf|bei) {_REST})?",
    rf"wir verwenden{_COOKIES}|diese (?:web)?(?:seite|site) (?:verwendet|nutzt){_COOKIES}",
    # French
    r"publicité|lire (?:aussi|la suite|plus|également)|à lire (?:aussi|également)|voir aussi"
    r"|partager|partagez(?: cet article)?|imprimer|tous droits réservés",
    rf"partager (?:sur|par|via) {_SHORT}",
    rf"abonnez-vous(?: {_REST})?|s'abonner(?: {_REST})?|s’abonner(?: {_REST})?"
    rf"|inscrivez-vous(?: {_REST})?",
    rf"suivez-nous(?: sur {_REST})?",
    rf"nous utilisons{_COOKIES}|ce site (?:web )?utilise{_COOKIES}",
    # Spanish
    r"publicidad|anuncio|leer más|lee también|lee más|lea también|lea más|ver también|ver más"
    r"|te puede interesar|compartir|comparte(?: esta noticia| este artículo)?|imprimir"
    r"|todos los derechos reservados",
    rf"compartir (?:en|por) {_SHORT}",
    rf"síguenos(?: en {_REST})?",
    rf"suscr(?:íbete|íbase|ibirse)(?: {_REST})?",
    rf"utilizamos{_COOKIES}|usamos{_COOKIES}|este sitio (?:web )?utiliza{_COOKIES}",
    # Italian
    r"pubblicità|leggi anche|condividi|tutti i diritti riservati",
    rf"condividi su {_SHORT}",
    rf"seguici(?: su {_REST})?",
    rf"iscriviti{_REST}\bnewsletter{_REST}",
    rf"utilizziamo{_COOKIES}|questo sito utilizza{_COOKIES}",
    # Portuguese
    r"publicidade|leia (?:também|mais)|compartilhe|compartilhar|partilhar"
    r"|todos os direitos reservados",
    rf"siga-nos(?: n[oa] {_REST})?",
    rf"este site utiliza{_COOKIES}",
    # Dutch
    r"advertentie|lees (?:ook|meer)|delen|alle rechten voorbehouden",
    # Russian
    r"реклама|читайте (?:также|тоже)|поделиться|все права защищены",
    rf"подписывайтесь{_REST}",
    # Chinese, Japanese, Korean: "advertisement", "share"
    r"广告|廣告|広告|광고|分享|シェア|공유하기",
)
_LABEL_WORDS = (
    "read more", "read next", "read also", "also read", "see also", "related", "share",
    "share this", "lire aussi", "à lire aussi", "voir aussi", "lesen sie auch",
    "mehr zum thema", "auch interessant", "lee también", "lea también", "ver también",
    "leia também", "leggi anche", "читайте также", "teilen", "partager", "compartir",
    "privacy & cookies", "privacy and cookies",
)  # fmt: skip
_LABEL_END = f"{_OPT}[:»›>|]"
_LEAD = rf"[\[(\-–—*•·|.…>»›{_BLANK}]*"
"""Decoration before a boilerplate sentence: "- Anzeige -", "....weiterlesen", "» Lire"."""
_TAIL = rf"[.!?:;,…»›>)\]|*\-–—{_BLANK}]*"


def _blanks(rule: str) -> str:
    return rule.replace(" ", r"\s+")


def _alternatives(rule: str) -> list[str]:
    """*rule* split at its top-level ``|``."""
    found: list[str] = []
    depth = start = index = 0
    in_class = False
    while index < len(rule):
        char = rule[index]
        if char == "\\":
            index += 1
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            found.append(rule[start:index])
            start = index + 1
        index += 1
    found.append(rule[start:])
    return found


_HEAD_SIZE = 6


def _head(alternative: str) -> list[str]:
    """The first few tokens of *alternative* that every text it matches starts with: a
    literal character, an escaped one, ``\\d``, or a run of blanks (``\\s+``)."""
    tokens: list[str] = []
    index = 0
    while index < len(alternative) and len(tokens) < _HEAD_SIZE:
        char = alternative[index]
        if alternative.startswith(r"\s+", index):
            token, size = r"\s+", 3
        elif char == "\\":
            token, size = alternative[index : index + 2], 2
            if len(token) < 2 or (token[1].isalnum() and token != r"\d"):
                break
        elif char in "()[].^$*+?{|":
            break
        else:
            token, size = char, 1
        if alternative[index + size : index + size + 1] in ("*", "+", "?", "{"):
            break  # the token may be absent or repeated
        tokens.append(token)
        index += size
    if index == len(alternative):  # all of it: "ad" must not find "Added"
        tokens.append(r"(?!\w)")
    return tokens


def _heads_regex(alternatives: list[str]) -> str:
    """A small regex matching the start of every text that one of *alternatives* (regex
    sources) matches: a trie of their heads (:func:`_head`), case-insensitive.

    Python's regex engine tries the branches of an alternation one by one, but skips a
    branch at once when it starts with a literal character the text does not have;
    case-insensitive literals get no such shortcut. So the first letter is a plain
    ``S`` or ``s`` branch: a place where no rule can start costs a few comparisons.
    """
    heads = sorted({tuple(_head(alternative)) for alternative in alternatives})
    # A head that another one starts with makes that other one redundant.
    minimal = [head for number, head in enumerate(heads) if not any(
        head[: len(other)] == other for other in heads[:number] if other and len(other) < len(head)
    )]  # fmt: skip
    if () in minimal:
        return ""  # some rule can start anywhere: match everywhere

    def trie(group: list[tuple[str, ...]], first: bool) -> str:
        branches: dict[str, list[tuple[str, ...]]] = {}
        for head in group:
            branches.setdefault(head[0].lower(), []).append(head[1:])
        parts: list[str] = []
        for token, rests in branches.items():
            inner = "" if () in rests else trie(rests, False)
            if first and inner:
                inner = f"(?i:{inner})"  # only the first character is matched plainly
            if len(token) > 1:  # an escape or a blank run
                parts.append(token + inner)
            elif first:
                parts.extend(
                    re.escape(variant) + inner
                    for variant in dict.fromkeys((token, token.upper()))
                    if len(variant) == 1
                )
            else:
                parts.append(re.escape(token) + inner)
        return f"(?:{'|'.join(parts)})"

    return trie(minimal, True)


_RELATED = rf"\[{_OPT}(?i:related){_OPT}:[^\]\n]*\]"
"""Another story's headline: "[Related: …]" (before the "Related:" label)."""


@functools.cache
def _rule_alternatives() -> tuple[list[str], list[str]]:
    """Every rule's alternatives, and the labels', as regex sources."""
    rules = [part for rule in _SENTENCE_RULES for part in _alternatives(_blanks(rule))]
    labels = [_blanks(re.escape(word).replace("\\ ", " ")) + _LABEL_END for word in _LABEL_WORDS]
    return rules, labels


_LEAD_CHARS = frozenset("[(-–—*•·|.…>»›")


def _key(alternative: str) -> str:
    """The character a text that *alternative* matches starts with, decoration aside."""
    if alternative.startswith("\\["):  # "[Related: …]": the lead may take the bracket
        return "r"
    return alternative[:1].lower()


@functools.cache
def _rules(key: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The rules for sentences that start with *key* (lower case, decoration aside),
    compiled on first use, a few at a time (all of them take ~15 ms to compile): a
    boilerplate sentence (``fullmatch``), a label at the front of a sentence (``match``)."""
    rules, labels = _rule_alternatives()
    rules = [rule for rule in rules + labels if _key(rule) == key] or ["(?!)"]
    labels = [label for label in labels if _key(label) == key] or ["(?!)"]
    related = f"{_RELATED}|" if key == "r" else ""
    # On one line "\s" is a blank: a shorter class than _BLANK, quicker to compile.
    lead, tail = _LEAD.replace(_BLANK, r"\s"), _TAIL.replace(_BLANK, r"\s")
    return (
        re.compile(f"{lead}(?i:{'|'.join(rules)}){tail}"),
        re.compile(f"(?:{related}{lead}(?i:{'|'.join(labels)}))\\s*"),
    )


def _first_key(line: str, start: int, end: int) -> str:
    while start < end and (line[start] in _LEAD_CHARS or line[start].isspace()):
        start += 1
    return line[start].lower() if start < end else ""


def _whole_boilerplate(line: str, start: int, end: int) -> bool:
    """``line[start:end]`` is one boilerplate sentence (or label) and nothing else."""
    return _rules(_first_key(line, start, end))[0].fullmatch(line, start, end) is not None


def _label(line: str, start: int, end: int) -> re.Match[str] | None:
    """A label at the start of ``line[start:end]``."""
    return _rules(_first_key(line, start, end))[1].match(line, start, end)


@functools.cache
def _trigger() -> re.Pattern[str]:
    """Where a boilerplate sentence or label may start after a full stop, compiled on
    first use.

    It looks for the heads of the rules only (:func:`_heads_regex`): a superset, kept
    small, for the whole rules took seconds to compile into it.
    """
    rules, labels = _rule_alternatives()
    # Possessive repeats, for speed (no backtracking point to push at every full stop);
    # they give up nothing: the blanks after the quotes are not quotes, and the lead
    # without its "[" is all it can be when no head starts with one of its characters
    # (a "[" at the front stays for the "\[" head, or for the lead to take on re-trying).
    lead = _LEAD.replace("\\[", "", 1)
    for alternative in rules + labels:
        first = (_head(alternative) or [""])[0]
        char = first[1:] if first[:1] == "\\" and not first[1:].isalnum() else first
        if first != "\\[" and (len(char) != 1 or re.fullmatch(lead, char)):
            raise AssertionError(f"a head starts with a lead character: {alternative}")
    return re.compile(
        rf"\.[\"'”’»)\]]*+[{_BLANK}](?=[^\n])(?P<at>{lead}+{_heads_regex(rules + labels)})"
    )


_OTHER_BREAKS = {"!": ".", "?": ".", "|": "."}
_WIDE_BREAKS = {"…": ".", "•": ".", "·": ".", "。": ". ", "！": ". ", "？": ". "}
"""Other sentence ends and separators, made full stops for :func:`_trigger` (where the
text has them: each replacement is one pass in C, one search for a class of
characters would cost more than all of them)."""
_JOINER = "\n. "
"""Joins the lines for :func:`_sentence_lines`: each line then starts like a sentence
after a full stop, so that one search finds the starts of lines and of sentences."""


_CREDIT = re.compile(rf"©{_IN_SENTENCE}{{0,80}}{_TAIL}")
"""A copyright notice or photo credit that ends a sentence ("Weisssee © Österreich
Werbung", "InvestmentWatchBlog.com © 2018."): removed from the sign on (``fullmatch``);
the triggers cannot look for it, :func:`_sentence_lines` looks for the sign instead."""
_CREDIT_WORD = re.compile(rf"(?i:(?:all content )?copyright)[{_BLANK}]*$")

_PIECE_BREAK = re.compile(r"[.!?…。！？|•·][.!?…。！？\"'”’»)\]」』|•·]*")
"""Where a line may split into sentences (after a stop: a blank must follow ".", not
"。") and around ``|`` separators (blanks on both sides). One character class first,
so that the engine scans for it in C: the rest is decided in :func:`_sentence_removals`."""
_FULL_WIDTH_STOPS = "。！？"

_SEPARATOR = re.compile(r"^[\s=\-_*~#+.•·—–|<>]{3,}$")

_HTML_TAG_NAMES = (
    "a|abbr|address|area|article|aside|audio|b|base|bdi|bdo|big|blockquote|body|br|button|"
    "canvas|caption|center|cite|code|col|colgroup|data|datalist|dd|del|details|dfn|dialog|"
    "div|dl|dt|em|embed|fieldset|figcaption|figure|font|footer|form|h[1-6]|head|header|"
    "hgroup|hr|html|i|iframe|img|input|ins|kbd|label|legend|li|link|main|map|mark|meta|"
    "meter|nav|nobr|noscript|object|ol|optgroup|option|output|p|param|picture|pre|"
    "progress|q|rp|rt|ruby|s|samp|script|section|select|small|source|span|strike|strong|"
    "style|sub|summary|sup|svg|table|tbody|td|template|textarea|tfoot|th|thead|time|"
    "title|tr|track|tt|u|ul|var|video|wbr|o:p|st1:[a-z]+"
)
_TAG = re.compile(
    rf"</?(?:{_HTML_TAG_NAMES})"
    r"""(?:\s+[A-Za-z_:][-\w:.]*(?:\s*=\s*(?:"[^"<>]{0,500}"|'[^'<>]{0,500}'|[^\s"'=<>`]{1,500}))?)*"""
    r"\s*/?>",
    re.IGNORECASE,
)
"""An HTML tag: a known element's name, attributes written as HTML writes them (so
"a<b && c>d", "List<Integer>" and "std::vector<std::string>" are text, not tags)."""
_BLOCK_TAG = re.compile(r"<(?:br\s*/?|/?p|/?div|/?h[1-6]|/?li|/?tr)(?:\s[^<>]{0,500})?/?>", re.I)
_SCRIPT_OPEN = re.compile(r"<(script|style)\b[^<>]{0,500}>", re.I)
_SCRIPT_CLOSE = {name: re.compile(rf"</{name}\s*>", re.I) for name in ("script", "style")}
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_ODD_SPACES = "\t\u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"
"""Every white-space character that str.split() honours, bar the plain space and the
line breaks (which neutralise() and the line split have already dealt with)."""
_SPACES = re.compile(f"[ {_ODD_SPACES}]+")
SPACE_RUNS = re.compile(f"[ {_ODD_SPACES}]{{2,}}|[{_ODD_SPACES}]")
NOT_PLAIN = re.compile(f"[{UNSAFE_CHARACTERS}{_ODD_SPACES}]")
"""A character that :func:`neutralise` or :func:`tidy_spaces` would change."""
PLAIN_ASCII = bytes([*range(0x20, 0x7F), 0x0A, 0x0D])
"""Printable ASCII and line breaks: bytes that never encode a :data:`NOT_PLAIN` character."""
_LIST_ITEM = re.compile(r"^\s*(?:[-*•+]\s|\d{1,3}[.)]\s)")
MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")


def _script_ranges(text: str) -> list[tuple[int, int]]:
    """Where the ``<script>``/``<style>`` elements of *text* are, contents included,
    found in linear time.

    A single regex with a lazy ``.*?`` rescanned the rest of the text from every
    opener, so a file of 100,000 unclosed ``<script>`` tags took minutes. Here each
    opener searches forward once for its closer; once a closer is missing, no later
    opener of that kind can have one. An unclosed opener is left for the tag pass.
    """
    ranges: list[tuple[int, int]] = []
    search_from = 0
    unclosed: set[str] = set()
    while True:
        opener = _SCRIPT_OPEN.search(text, search_from)
        if opener is None:
            break
        name = opener.group(1).lower()
        search_from = opener.end()
        if name in unclosed:
            continue
        closer = _SCRIPT_CLOSE[name].search(text, opener.end())
        if closer is None:
            unclosed.add(name)
            continue
        ranges.append((opener.start(), closer.end()))
        search_from = closer.end()
    return ranges


def _drop_scripts(text: str) -> str:
    """Remove ``<script>``/``<style>`` elements with their contents (see :func:`_script_ranges`)."""
    ranges = _script_ranges(text)
    if not ranges:
        return text
    pieces: list[str] = []
    position = 0
    for start, end in ranges:
        pieces.append(text[position:start])
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def strip_html(text: str) -> str:
    """Drop tags (block tags become line breaks) and unescape entities."""
    if "<" in text and _TAG.search(text):
        text = _drop_scripts(text)
        text = _BLOCK_TAG.sub("\n", text)
        text = _TAG.sub("", text)
    if "&" in text and _ENTITY.search(text):
        text = html.unescape(text)
    return text


_NAME_JOINERS = frozenset(("the", "of", "and", "&", "for", "de", "la", "le", "der", "die"))


def _is_logo_line(line: str) -> bool:
    """``… logo`` (a scraped image's alt text): at most 60 characters of a name, then
    the word. A name's words are all capitalised ("The Washington Post logo", "CNN
    logo") or all not ("defence connect logo"); a headline that ends so mixes them
    ("Mozilla unveils new Firefox logo", "Designing the new logo")."""
    if len(line) > 64 or line[-4:].lower() != "logo":
        return False
    before = line[-5:-4]
    if before and (before.isalnum() or before == "_"):
        return False
    words = [word for word in line[:-4].split() if word.lower() not in _NAME_JOINERS]
    capitalised = sum(1 for word in words if word[:1].isupper() or word[:1].isdigit())
    return capitalised in (0, len(words))


def is_boilerplate(line: str) -> bool:
    """The whole line is boilerplate: a separator, a logo's name, or nothing but
    boilerplate sentences."""
    stripped = line.strip()
    if not stripped:
        return False
    if _SEPARATOR.match(stripped) or _is_logo_line(stripped):
        return True
    return _sentence_removals(stripped) == [(0, len(stripped))]


def drop_boilerplate(line: str) -> str:
    """*line* (stripped) without its boilerplate sentences and labels: ``""`` when it
    was all boilerplate."""
    stripped = line.strip()
    if not stripped or _SEPARATOR.match(stripped) or _is_logo_line(stripped):
        return ""
    removals = _sentence_removals(stripped)
    return _without(stripped, removals) if removals else stripped


def _add_piece(
    pieces: list[tuple[int, int, bool]], line: str, start: int, end: int, sep: bool
) -> None:
    """Add ``line[start:end]``, stripped, as a sentence or (*sep*, or nothing but
    punctuation such as a lone ".") a separator."""
    while start < end and line[start].isspace():
        start += 1
    while end > start and line[end - 1].isspace():
        end -= 1
    if start < end:
        pieces.append((start, end, sep or _NO_WORD.fullmatch(line, start, end) is not None))


def _sentence_removals(line: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` ranges of *line* that are boilerplate sentences, labels, or
    separators (``|``, ``•``) next to a boilerplate sentence; merged, in order."""
    if _whole_boilerplate(line, 0, len(line)):  # the common case: a line of boilerplate
        return [(0, len(line))]
    pieces: list[tuple[int, int, bool]] = []
    position = 0
    size = len(line)
    for match in _PIECE_BREAK.finditer(line):
        at, after = match.span()
        blank_after = after == size or line[after].isspace()
        if line[at] in "|•·":
            if not (blank_after and (at == 0 or line[at - 1].isspace())):
                continue
            _add_piece(pieces, line, position, at, False)
            _add_piece(pieces, line, at, after, True)
        elif blank_after or line[at] in _FULL_WIDTH_STOPS:
            if _is_abbreviation(line, at, after):
                continue
            _add_piece(pieces, line, position, after, False)
        else:
            continue
        position = after
    _add_piece(pieces, line, position, len(line), False)
    whole = [not sep and _whole_boilerplate(line, start, end) for start, end, sep in pieces]
    removals: list[tuple[int, int]] = []
    last = len(pieces) - 1
    for number, (start, end, sep) in enumerate(pieces):
        if sep:
            if not ((number > 0 and whole[number - 1]) or (number < last and whole[number + 1])):
                continue
        elif not whole[number]:
            cut = start  # past the labels at the front: "Read more: Related: …"
            while (label := _label(line, cut, end)) is not None and label.end() < end:
                cut = label.end()
            credit = line.find("©", start, end)
            if cut > start:
                if not _whole_boilerplate(line, cut, end):
                    end = cut  # "Read more: Minister resigns" keeps the headline
                    while line[end - 1].isspace():
                        end -= 1
            elif credit > start and _CREDIT.fullmatch(line, credit, end):
                word = _CREDIT_WORD.search(line, start, credit)
                start = word.start() if word else credit  # the caption before it stays
            else:
                continue
        if removals and not line[removals[-1][1] : start].strip():
            removals[-1] = (removals[-1][0], end)
        else:
            removals.append((start, end))
    return removals


_NO_WORD = re.compile(r"[^\w©]+")

_ABBREVIATIONS = frozenset(
    {
        "st", "dr", "mr", "mrs", "ms", "prof", "jr", "sr",
        "gen", "no", "nr", "vs", "etc", "ca", "bzw", "usw", "mme", "mlle", "sra", "jan", "feb",
        "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    }
)  # fmt: skip


def _is_abbreviation(line: str, stop: int, end: int) -> bool:
    """The full stop at *stop* ends an abbreviation or an initial ("Dr.", "U.S.", "J."),
    not a sentence. (A company's "Ltd." often ends a copyright sentence: it ends one
    here.)"""
    if end - stop != 1 or line[stop] != ".":
        return False
    word = line[line.rfind(" ", 0, stop) + 1 : stop]
    if len(word) == 1:
        return word.isupper()
    if "." in word:  # "U.S.", "e.g.", but not "Salon.com."
        return all(len(part) <= 2 for part in word.split("."))
    return word.casefold() in _ABBREVIATIONS


def _without(line: str, removals: list[tuple[int, int]]) -> str:
    """*line* with the *removals* cut out, what is left joined by single spaces."""
    kept: list[str] = []
    position = 0
    for start, end in removals:
        kept.append(line[position:start].strip())
        position = end
    kept.append(line[position:].strip())
    return " ".join(piece for piece in kept if piece)


def _sentence_lines(lines: list[str]) -> set[int]:
    """The indexes of the *lines* where a boilerplate sentence or label may start: a
    superset, found by one search over all of them in C."""
    # One copy: the text starts with the joiner, so line n follows the n+1-th break.
    text = _JOINER.join(["", *lines])
    for char, stop in _OTHER_BREAKS.items():
        if char in text:
            text = text.replace(char, stop)
    if not text.isascii():  # (known without a scan)
        for char, stop in _WIDE_BREAKS.items():
            if char in text:
                text = text.replace(char, stop)  # (offsets change; line breaks do not)
    found = [match.start("at") for match in _trigger().finditer(text)]
    if "©" in text:  # see _CREDIT
        position = text.find("©")
        while position >= 0:
            found.append(position)
            position = text.find("©", position + 1)
    if not found:
        return set()
    found.sort()
    indexes: set[int] = set()
    line = -1  # the text's first break comes before line 0
    position = 0
    for at in found:
        line += text.count("\n", position, at)
        position = at
        indexes.add(line)
    return indexes


def tidy_spaces(text: str) -> str:
    """Collapse each run of spaces, tabs and other blanks to one space (never a newline).

    Most texts need nothing: plain ``in`` tests find that far faster than a
    substitution that rewrites every single space.
    """
    if (
        "  " in text
        or "\t" in text
        or (not text.isascii() and any(char in text for char in _ODD_SPACES))
    ):
        text = SPACE_RUNS.sub(" ", text)
    return text


def tidy(line: str) -> str:
    return tidy_spaces(line).strip()


def clean_lines(lines: list[str], *, tidied: bool = False) -> list[str]:
    """Drop boilerplate and a line repeated right after itself; keep blank lines.

    *tidied* says :func:`tidy_spaces` already ran over the whole text.
    """
    return _clean(lines, tidied, None)


Report = list[tuple[int, int, int, str]]
"""What a cleaning pass removed: (index of the line, start, end, reason), the offsets
within the line as :func:`_clean` saw it (stripped); and each line it kept, as
``(index, 0, 0, KEPT)``."""
KEPT = "kept"
_NOTHING: list[tuple[int, int]] = []  # never changed


def _whole_line_reason(line: str) -> str | None:
    """Why cleaning drops a whole (stripped, non-blank) *line* on sight, or None: a
    separator (it has no letter or digit first) or a logo's alt text."""
    if not line[0].isalnum() and _SEPARATOR.match(line):
        return "separator"
    if line[-1] in "oO" and _is_logo_line(line):
        return "boilerplate"
    return None


def _clean(lines: list[str], tidied: bool, report: Report | None) -> list[str]:
    """The cleaning pass of :func:`clean_lines`; with a *report* list, it also records
    every removal there (what :func:`removed_spans` shows)."""
    # Almost every text has no line where a boilerplate sentence could start, and a
    # few searches over the whole text say so: its lines then skip the sentence rules.
    candidates = _sentence_lines(lines)
    if report is None:
        return _clean_quickly(lines, tidied, candidates)
    kept: list[str] = []
    previous = ""
    for index, raw in enumerate(lines):
        line = raw.strip() if tidied else tidy(raw)
        if not line:
            kept.append("")
            continue
        size = len(line)
        reason = _whole_line_reason(line)
        if reason is not None:
            report.append((index, 0, size, reason))
            continue
        removals = _NOTHING
        if candidates and index in candidates:
            removals = _sentence_removals(line)
            if removals:
                report.extend((index, start, end, "boilerplate") for start, end in removals)
                if len(removals) == 1 and removals[0] == (0, size):
                    continue
                original, line = line, _without(line, removals)
                if not line:
                    continue
                size = len(line)
        # Scraped pages repeat headlines and standfirsts; only a line of the same
        # length can be a repeat, so most lines are never case-folded.
        if size == len(previous) and line.casefold() == previous.casefold():
            whole = original if removals else line
            report.extend(
                (index, start, end, "repeated line") for start, end in _complement(whole, removals)
            )
            continue
        previous = line
        kept.append(line)
        report.append((index, 0, 0, KEPT))
    return kept


def _clean_quickly(lines: list[str], tidied: bool, candidates: set[int]) -> list[str]:
    """:func:`_clean` without a report, what loading runs for every line of every file.

    The same steps in the same order, but the lines between the *candidates* (where a
    boilerplate sentence may start: almost all of them) go through a tight loop that
    has no sentence rules to try and no index to keep.
    """
    kept: list[str] = []
    append = kept.append
    separator = _SEPARATOR.match
    prepare = str.strip if tidied else tidy
    previous = ""
    previous_size = 0
    count = len(lines)
    start = 0
    for stop in (*sorted(candidates), count) if candidates else (count,):
        for line in map(prepare, lines[start:stop] if start or stop < count else lines):
            if not line:
                append(line)
                continue
            # _whole_line_reason(), inlined: this loop runs for every line of every file.
            # A separator has no letter or digit first.
            if not line[0].isalnum() and separator(line):
                continue
            if line[-1] in "oO" and _is_logo_line(line):
                continue
            # Scraped pages repeat headlines and standfirsts; only a line of the same
            # length can be a repeat, so most lines are never case-folded.
            size = len(line)
            if size == previous_size and line.casefold() == previous.casefold():
                continue
            previous, previous_size = line, size
            append(line)
        if stop == count:
            break
        start = stop + 1
        line = prepare(lines[stop])  # a candidate: the sentence rules too
        if not line:
            append(line)
            continue
        size = len(line)
        if _whole_line_reason(line) is not None:
            continue
        removals = _SEEN_REMOVALS.get(line)
        if removals is None:
            removals = _sentence_removals(line)
            if size <= _SEEN_SIZE:
                if len(_SEEN_REMOVALS) >= _SEEN_LIMIT:
                    _SEEN_REMOVALS.clear()
                _SEEN_REMOVALS[line] = removals
        if removals:
            if len(removals) == 1 and removals[0] == (0, size):
                continue
            line = _without(line, removals)
            if not line:
                continue
            size = len(line)
        if size == previous_size and line.casefold() == previous.casefold():
            continue
        previous, previous_size = line, size
        append(line)
    return kept


_SEEN_REMOVALS: dict[str, list[tuple[int, int]]] = {}
"""What :func:`_sentence_removals` found in the short candidate lines seen so far (never
changed once stored): a site's pages repeat their boilerplate lines ("Advertisement",
"Share this article"), so most candidates of a corpus were seen in an earlier file."""
_SEEN_SIZE = 200
_SEEN_LIMIT = 4096


def _complement(line: str, removals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The ranges of *line* outside *removals* that hold more than blanks."""
    ranges: list[tuple[int, int]] = []
    position = 0
    for start, end in [*removals, (len(line), len(line))]:
        if line[position:start].strip():
            ranges.append((position, start))
        position = end
    return ranges


def _split_long(paragraph: str) -> list[str]:
    if len(paragraph) <= PARAGRAPH_LIMIT:
        return [paragraph]
    pieces: list[str] = []
    start = 0
    while len(paragraph) - start > PARAGRAPH_LIMIT:
        window = paragraph[start : start + PARAGRAPH_LIMIT]
        cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! "))
        if cut < PARAGRAPH_LIMIT // 2:
            cut = window.rfind(" ")
        if cut < PARAGRAPH_LIMIT // 2:
            cut = PARAGRAPH_LIMIT - 1
        pieces.append(paragraph[start : start + cut + 1].strip())
        start += cut + 1
    pieces.append(paragraph[start:].strip())
    return [piece for piece in pieces if piece]


_MAYBE_STANDALONE = frozenset("#-*•+0123456789")
"""First characters of a Markdown heading or list item: any other line (stripped) is
neither, and skips both regexes."""


def _strip_heading(line: str) -> tuple[str, bool]:
    """The line without a Markdown ``#`` marker, and whether it had one."""
    if line[:1] == "#" or line[:1].isspace():
        heading = MD_HEADING.match(line)
        if heading:
            return line[heading.end() :], True
    return line, False


def _join_block(block: list[str], paragraphs: list[str]) -> int:
    """Join one run of non-blank lines (see :func:`join_paragraphs`); return the length
    of its longest line."""
    width = max(map(len, block))
    wrapped = width <= 100
    short = width - 20
    current = ""
    last = len(block) - 1
    for position, line in enumerate(block):
        # Most lines start with a letter: neither a heading nor a list item, so they skip
        # _strip_heading and both regexes (a call and two tests fewer for ~16 lines an
        # article; the same answers, as the first character decides both).
        first = line[:1]
        if first in _MAYBE_STANDALONE or first.isspace():
            line, heading = _strip_heading(line)
            standalone = heading or (
                (line[:1] in _MAYBE_STANDALONE or line[:1].isspace())
                and _LIST_ITEM.match(line) is not None
            )
            # "-- ": an e-mail's or a news article's signature follows, on lines of its own.
            standalone = standalone or line.rstrip() == "--"
        else:
            standalone = False
        if current and (standalone or not wrapped):
            _add_paragraph(current, paragraphs)
            current = ""
        if not current:
            current = line
        elif current.endswith("-") and line[:1].islower() and not current.endswith(" -"):
            current += line  # a word hyphenated at the wrap: "multi-" + "faceted"
        else:
            current += " " + line
        if (standalone or (wrapped and len(line) < short)) and position != last:
            _add_paragraph(current, paragraphs)
            current = ""
    if current:
        _add_paragraph(current, paragraphs)
    return width


def _add_paragraph(paragraph: str, paragraphs: list[str]) -> None:
    """Append *paragraph*, split when too long: ``paragraphs.extend(_split_long(...))``
    without building a one-item list for the usual short paragraph."""
    if len(paragraph) <= PARAGRAPH_LIMIT:
        paragraphs.append(paragraph)
    else:
        paragraphs.extend(_split_long(paragraph))


def join_paragraphs(lines: list[str]) -> list[str]:
    """Re-join hard-wrapped lines into paragraphs.

    Blank lines always separate paragraphs. Inside a block, a line is joined to the
    next when the block looks wrapped (no line over 100 characters) and the line is
    about as long as the block's widest line; a short line ends its paragraph. List
    items and Markdown headings stand alone.
    """
    return join_measured(lines)[0]


def join_measured(lines: list[str]) -> tuple[list[str], int]:
    """:func:`join_paragraphs`, and the length of the longest of the *lines* (0 when
    none): what parse_text warns about, from the lengths the joining takes anyway
    (a separate pass over the lines cost ~1.5 µs an article)."""
    paragraphs: list[str] = []
    longest = 0
    count = len(lines)
    index = 0
    while index < count:
        line = lines[index]
        if not line:
            index += 1
            continue
        end = index + 1
        while end < count and lines[end]:
            end += 1
        if end == index + 1:  # the common case: a paragraph on one line
            size = len(line)
            if size > longest:
                longest = size
            first = line[:1]
            if first == "#" or first.isspace():  # (the test _strip_heading starts with)
                line = _strip_heading(line)[0]
                size = len(line)
            if size > PARAGRAPH_LIMIT:
                paragraphs.extend(_split_long(line))
            elif line:
                paragraphs.append(line)
        else:
            width = _join_block(lines[index:end], paragraphs)
            if width > longest:
                longest = width
        index = end
    return paragraphs, longest


# --- what cleaning removed, for the raw view --------------------------------------


@dataclass(frozen=True, slots=True)
class RemovedSpan:
    """Text that cleaning removed from a file: ``raw_text.split("\\n")[line][start:end]``."""

    line: int
    """0-based index of the line in the raw text."""
    start: int
    end: int
    reason: str
    """``boilerplate``, ``separator``, ``repeated line`` or ``HTML markup``."""


_CHARREF = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)")
"""The character references :func:`html.unescape` replaces (its own pattern)."""


class _Mapped:
    """A text derived from the raw text, each character knowing the raw range
    ``[starts[i], ends[i])`` it came from."""

    __slots__ = ("ends", "starts", "text")

    def __init__(self, text: str, starts: list[int], ends: list[int]) -> None:
        self.text, self.starts, self.ends = text, starts, ends

    @classmethod
    def identity(cls, text: str) -> _Mapped:
        return cls(text, list(range(len(text))), list(range(1, len(text) + 1)))

    def replace(
        self, changes: list[tuple[int, int, str]], removed: list[tuple[int, int]] | None = None
    ) -> _Mapped:
        """Replace each ``(start, end, new)`` range (sorted, disjoint) with *new*; the
        raw ranges of the replaced text go to *removed* when given."""
        if not changes:
            return self
        text, starts, ends = self.text, self.starts, self.ends
        pieces: list[str] = []
        new_starts: list[int] = []
        new_ends: list[int] = []
        position = 0
        for start, end, new in changes:
            if start < position or start >= end:
                continue
            pieces.append(text[position:start])
            new_starts.extend(starts[position:start])
            new_ends.extend(ends[position:start])
            raw_start, raw_end = starts[start], ends[end - 1]
            if removed is not None:
                removed.append((raw_start, raw_end))
            pieces.append(new)
            new_starts.extend([raw_start] * len(new))
            new_ends.extend([raw_end] * len(new))
            position = end
        pieces.append(text[position:])
        new_starts.extend(starts[position:])
        new_ends.extend(ends[position:])
        return _Mapped("".join(pieces), new_starts, new_ends)


def _matches(pattern: re.Pattern[str], text: str, new: str) -> list[tuple[int, int, str]]:
    return [(match.start(), match.end(), new) for match in pattern.finditer(text)]


def _mapped_strip_html(mapped: _Mapped, markup: list[tuple[int, int]]) -> _Mapped:
    """:func:`strip_html` and the blank tidying of ``parse_text``, keeping the map."""
    text = mapped.text
    if "<" in text and _TAG.search(text):
        scripts = [(start, end, "") for start, end in _script_ranges(text)]
        mapped = mapped.replace(scripts, markup)
        mapped = mapped.replace(_matches(_BLOCK_TAG, mapped.text, "\n"), markup)
        mapped = mapped.replace(_matches(_TAG, mapped.text, ""), markup)
    text = mapped.text
    if "&" in text and _ENTITY.search(text):
        # From neutralise(html.unescape(text)): unescaping each reference alone gives
        # what unescaping the whole text does, and neutralising maps one to one.
        from .safe import neutralise

        changes = [
            (match.start(), match.end(), neutralise(html.unescape(match.group())))
            for match in _CHARREF.finditer(text)
        ]
        mapped = mapped.replace(changes)
    return mapped.replace(_matches(SPACE_RUNS, mapped.text, " "))


def removed_spans(raw_text: str) -> list[RemovedSpan]:
    """What cleaning removes from *raw_text* (what :func:`model.read_raw` returns), in
    raw-text lines and offsets, in order.

    It runs the cleaning pass itself (:func:`_clean` with a report), over the body that
    ``parse_text`` cleans: the header block that :func:`headers.read_header` takes is
    metadata, not removed text.
    """
    from .headers import read_header

    markup: list[tuple[int, int]] = []
    mapped = _mapped_strip_html(_Mapped.identity(raw_text), markup)
    text = mapped.text
    line_starts = [0]
    for index, char in enumerate(text):
        if char == "\n":
            line_starts.append(index + 1)
    lines = text.split("\n")
    header = read_header(lines, [])
    # Each body line as the cleaning pass sees it (stripped), with where it starts.
    body: list[str] = []
    offsets: list[int] = []
    if header.first_body_line is not None and header.body_start > 0:
        host = header.body_start - 1
        at = lines[host].rfind(header.first_body_line)
        if at >= 0:
            body.append(header.first_body_line)
            offsets.append(line_starts[host] + at)
    end = header.body_end if header.body_end is not None else len(lines)
    for index in range(header.body_start, end):
        if index in header.body_replace:
            continue  # an export's field read as its value: not text cleaning removed
        line = lines[index]
        stripped = line.strip()
        body.append(stripped)
        offsets.append(line_starts[index] + len(line) - len(line.lstrip()))
    report: Report = []
    kept = [line for line in _clean(body, True, report) if line]
    kept_at = [index for index, _, _, reason in report if reason == KEPT]
    if len(kept) >= 2 and _drops_headline_repeat(raw_text, kept):
        # parse_text took the first line as the headline and dropped its repeat.
        index = kept_at[1]
        removals = [(start, end) for at, start, end, _ in report if at == index and start < end]
        repeat = _complement(body[index], removals)
        report.extend((index, start, end, "repeated line") for start, end in repeat)
    ranges: list[tuple[int, int, str]] = [(start, end, "HTML markup") for start, end in markup]
    for index, start, end, reason in report:
        if start < end:
            first, last = offsets[index] + start, offsets[index] + end - 1
            ranges.append((mapped.starts[first], mapped.ends[last], reason))
    return _to_lines(raw_text, ranges)


def _drops_headline_repeat(raw_text: str, kept: list[str]) -> bool:
    """Whether ``parse_text`` takes the first of the *kept* lines as the headline and
    drops the second as its repeat: the one removal it makes itself."""
    headline = MD_HEADING.sub("", kept[0]).strip().casefold()
    if kept[1].casefold() != headline:
        return False
    from .parse import parse_text

    parsed = parse_text(raw_text)
    return parsed.title_source == "headline" and parsed.title.casefold() == headline


def _to_lines(raw_text: str, ranges: list[tuple[int, int, str]]) -> list[RemovedSpan]:
    """Raw-text ranges as spans within lines (a range over a line break becomes one
    span per line), sorted, touching spans of one reason merged."""
    raw_starts = [0]
    position = raw_text.find("\n")
    while position >= 0:
        raw_starts.append(position + 1)
        position = raw_text.find("\n", position + 1)
    pieces: list[tuple[int, int, int, str]] = []
    for start, end, reason in ranges:
        line = bisect.bisect_right(raw_starts, start) - 1
        while start < end and line < len(raw_starts):
            line_end = raw_starts[line + 1] - 1 if line + 1 < len(raw_starts) else len(raw_text)
            stop = min(end, line_end)
            if start < stop:
                pieces.append((line, start - raw_starts[line], stop - raw_starts[line], reason))
            line += 1
            if line < len(raw_starts):
                start = max(start, raw_starts[line])
    pieces.sort()
    spans: list[RemovedSpan] = []
    for line, start, end, reason in pieces:
        if spans and spans[-1].line == line and start <= spans[-1].end:
            last = spans[-1]
            if last.reason == reason:
                spans[-1] = RemovedSpan(line, last.start, max(last.end, end), reason)
                continue
            start = last.end  # spans never overlap: the first reason found stands
            if start >= end:
                continue
        spans.append(RemovedSpan(line, start, end, reason))
    return spans
