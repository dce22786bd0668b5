"""Write a deterministic, realistic corpus of N articles for benchmarks and tests.

Usage: ``python -m bench.make_corpus N DIR [--seed S]`` (or ``python bench/make_corpus.py``).

The same N and seed always give the same bytes, so benchmark figures from two runs
compare like with like. The articles imitate what people feed Broadsheet: the header
styles PRODUCT.md names, scraped boilerplate, hard-wrapped text, accents and curly
quotes, about 5% undated and some with only an inferred year, and a rare word
("zanzibarite") in about 1% of them so that a search benchmark has a needle.

Speed matters (100,000 articles in well under a minute): sentences are drawn from a
pool built once, and each article adds its own names and numbers so that no two
cleaned texts coincide.
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import random
import sys
from collections.abc import Sequence

RARE_WORD = "zanzibarite"
RARE_SHARE = 0.01
UNDATED_SHARE = 0.05
INFERRED_SHARE = 0.10
FILES_PER_FOLDER = 1000
FOLDERS_PER_PART = 10
"""Articles go in DIR/part-NN/batch-NNN/: at most 1000 files in any one folder."""

SIZE_MEDIAN = 3300
SIZE_MIN = 1000
SIZE_MAX = 8000


def _words(text: str) -> list[str]:
    """Word lists written as prose: easier to read and extend than quoted lists."""
    return text.split()


_FUNCTION_WORDS = _words(
    "the of and to in a that for on with as was is by at from it its has have had be"
    " were are this which their an not but also will would after over more than said"
    " into about who they been between while during under against since both other"
)

_CONTENT_WORDS = _words(
    "government minister president ministry talks meeting summit visit agreement trade"
    " energy security defence defense cooperation relations bilateral regional border"
    " officials delegation ambassador embassy economy economic investment corridor"
    " pipeline project projects railway port airport infrastructure loan loans bank"
    " banking currency market markets exports imports tariffs sanctions oil gas power"
    " electricity grid dam water climate flood floods drought harvest wheat cotton rice"
    " prices inflation budget deficit growth reform reforms parliament senate assembly"
    " election elections party parties opposition coalition court judges ruling law"
    " police army military troops exercise exercises drills navy airforce missile"
    " drones fighter aircraft helicopters weapons arms deal deals contract contracts"
    " company companies firm firms industry industrial factory workers union strike"
    " students universities education schools hospital hospitals health vaccine doses"
    " pandemic tourism tourists visa visas flights route routes highway trucks freight"
    " shipment shipments container cargo transit terminal zone zones province capital"
    " city cities village villages region district council mayor governor spokesperson"
    " statement press conference interview report reports analysts observers experts"
    " diplomats envoy forum platform framework memorandum understanding partnership"
    " strategic dialogue consultations negotiations proposal proposals initiative plan"
    " plans programme program strategy policy policies priorities interests concerns"
    " stability peace conflict crisis tensions dispute disputes ceasefire refugees aid"
    " assistance humanitarian relief reconstruction development connectivity science"
    " technology research satellite space digital cyber internet telecom network data"
    " media newspaper television broadcast journalists readers audience commentary"
    " history culture heritage festival exhibition museum language exchange exchanges"
    " youth women farmers traders merchants investors consumers households families"
    " week month year years decade quarter morning evening weekend session round"
    " agenda topics issues progress momentum commitment support confidence trust"
    " important significant major key new first second third next last latest recent"
    " early late long short high low strong weak closer deeper wider broader joint"
    " mutual regional global international national local foreign domestic public"
    " private federal provincial official formal informal historic modest sharp steady"
    " expected agreed discussed announced signed reviewed welcomed stressed noted urged"
    " highlighted emphasised emphasized confirmed denied rejected approved launched"
    " opened completed delayed expanded reduced increased doubled raised cut extended"
    " planned proposed promised pledged warned praised criticised criticized hosted"
    " attended visited met called told added explained described reported"
)

_PLACES = _words(
    "Islamabad Karachi Lahore Peshawar Quetta Gwadar Moscow Beijing Shanghai Tashkent"
    " Samarkand Astana Almaty Bishkek Dushanbe Kabul Tehran Ankara Istanbul Baku"
    " Tbilisi Yerevan Minsk Delhi Mumbai Dhaka Colombo Kathmandu Ulaanbaatar Urumqi"
    " Kashgar Vladivostok Novosibirsk Kazan Sochi Geneva Vienna Brussels Berlin Paris"
) + [
    "Zürich", "São Paulo", "Montréal", "Gdańsk", "Kraków", "Düsseldorf", "Córdoba",
    "Málaga", "Reykjavík", "Tórshavn",
]

_PEOPLE_FIRST = _words(
    "Imran Shehbaz Asif Bilawal Maryam Ahsan Khawaja Vladimir Sergei Mikhail Dmitry"
    " Maria Anna Xi Wang Li Zhang Chen Liu Nursultan Kassym Shavkat Emomali Sadyr"
    " Ilham Recep Narendra Sheikh Ayesha Fatima Zainab Olga Irina Elena Natalia"
) + ["José", "François", "Zoë", "Renée", "Søren", "Björn", "Łukasz"]

_PEOPLE_LAST = _words(
    "Khan Sharif Zardari Bhutto Iqbal Dar Lavrov Putin Mishustin Peskov Zakharova"
    " Shoigu Jinping Yi Qiang Wei Mirziyoyev Tokayev Rahmon Japarov Aliyev Erdogan"
    " Modi Hasina Ushakov Khorev Ganich Kazi Mansoor Qureshi Malik Hussain Ahmed"
) + ["Núñez", "Müller", "Gonçalves", "Erdoğan", "Łęcki", "Sørensen"]

_ORGS = [
    "the SCO", "BRICS", "CPEC", "the Kremlin", "the Foreign Office", "the State Council",
    "the United Nations", "the Eurasian Economic Union", "the Asian Development Bank",
    "the World Bank", "the IMF", "Radio Pakistan", "TASS", "Xinhua", "Dawn",
    "the Shanghai Cooperation Organisation", "the Belt and Road Initiative",
]

_SOURCES = ["Dawn", "TASS", "Xinhua", "The News", "Express Tribune", "RIA Novosti",
            "Global Times", "Al Jazeera", "Reuters", "Defence Connect", "Le Monde"]

_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]
_MONTHS_SHORT = [name[:3] for name in _MONTHS]

_SYLLABLES = _words(
    "ka ri to man sa lo ve ni ta ro mi ko de ra su na be li go ha ze po qu an el or"
    " un is ar en ti mo pa va"
)

_BOILERPLATE_TOP = [
    "Powered by MOMENTUM MEDIA", "Powered by NewsPress", "defence connect logo",
    "daily wire logo", "Skip to main content", "Advertisement", "Share this article",
]
_BOILERPLATE_BOTTOM = [
    "[Related: {headline}]", "You need to be a member to post comments. Become a member"
    " for free today!", "Sign up for our newsletter", "Follow us on Twitter",
    "All rights reserved.", "Read more:",
]
_SEPARATORS = ["==============", "----------", "* * *", "______________"]


def _vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    """Real words plus made-up ones, with Zipf-like cumulative weights.

    Made-up words give the index a realistic tail of rare terms.
    """
    invented = {
        "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
        for _ in range(6000)
    }
    real = _FUNCTION_WORDS + _CONTENT_WORDS
    words = real + sorted(invented - {RARE_WORD})
    # Invented words are about one word in twelve: a long tail, not the bulk.
    weights = [
        (1.0 if rank < len(real) else 0.15) / (rank + 8) for rank in range(len(words))
    ]
    return words, list(itertools.accumulate(weights))


def _sentence(rng: random.Random, words: list[str], cumulative: list[float]) -> str:
    count = rng.randint(8, 26)
    chosen = rng.choices(words, cum_weights=cumulative, k=count)
    # Names and organisations, so that queries on them find a realistic share.
    if rng.random() < 0.45:
        chosen[rng.randrange(count)] = rng.choice(_PLACES)
    if rng.random() < 0.30:
        chosen[rng.randrange(count)] = (
            f"{rng.choice(_PEOPLE_FIRST)} {rng.choice(_PEOPLE_LAST)}"
        )
    if rng.random() < 0.25:
        chosen[rng.randrange(count)] = rng.choice(_ORGS)
    if rng.random() < 0.15:
        chosen[rng.randrange(count)] = f"{rng.choice(_PLACES)}’s"
    if rng.random() < 0.2:
        # Counts never look like a year: under 1000, or written with a comma.
        chosen[rng.randrange(count)] = f"{rng.randrange(2, 99_999):,}"
    if rng.random() < 0.1:
        chosen.insert(count // 2, ",")
    text = " ".join(chosen).replace(" ,", ",")
    text = text[0].upper() + text[1:]
    if rng.random() < 0.12:
        speaker = f"{rng.choice(_PEOPLE_FIRST)} {rng.choice(_PEOPLE_LAST)}"
        return f"“{text},” {speaker} said."
    return text + "."


def _sentence_pool(rng: random.Random, size: int) -> list[str]:
    words, cumulative = _vocabulary(rng)
    return [_sentence(rng, words, cumulative) for _ in range(size)]


def _wrap(paragraph: str, width: int) -> str:
    """Greedy hard wrap, as an email client or a copy from a PDF would leave it."""
    lines: list[str] = []
    current: list[str] = []
    length = 0
    for word in paragraph.split(" "):
        if current and length + 1 + len(word) > width:
            lines.append(" ".join(current))
            current, length = [word], len(word)
        else:
            length += len(word) + (1 if current else 0)
            current.append(word)
    if current:
        lines.append(" ".join(current))
    return "\n".join(lines)


class _Writer:
    """Draws articles from one seeded generator, so the output depends only on N and seed."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.pool = _sentence_pool(self.rng, 6000)
        self.headline_words = [word for word in _CONTENT_WORDS if len(word) > 3]

    def _size(self) -> int:
        size = math.exp(self.rng.gauss(math.log(SIZE_MEDIAN), 0.45))
        return int(min(SIZE_MAX, max(SIZE_MIN, size)))

    def _headline(self) -> str:
        rng = self.rng
        words = rng.sample(self.headline_words, rng.randint(3, 6))
        words.insert(rng.randrange(len(words)), rng.choice(self.pool).split()[-1].rstrip("."))
        place = rng.choice(_PLACES)
        verb = rng.choice(["hosts", "signs", "weighs", "backs", "opens", "delays", "eyes"])
        text = f"{place} {verb} {' '.join(words)}"
        return text[0].upper() + text[1:]

    def _date(self) -> tuple[int, int, int]:
        rng = self.rng
        return rng.randint(2005, 2025), rng.randint(1, 12), rng.randint(1, 28)

    def _paragraphs(self, target: int, index: int, rare: bool, year: int | None) -> list[str]:
        rng = self.rng
        # A sentence of its own makes every cleaned text distinct.
        names = f"{rng.choice(_PEOPLE_FIRST)} {rng.choice(_PEOPLE_LAST)}"
        own = (
            f"{names} of {rng.choice(_PLACES)} spoke to reporter number"
            f" {index:,} about {rng.choice(_ORGS)} and {rng.randrange(2, 999)} delegates."
        )
        sentences = [own]
        size = len(own)
        while size < target:
            sentence = rng.choice(self.pool)
            sentences.append(sentence)
            size += len(sentence) + 1
        if year is not None:
            where = rng.randrange(len(sentences))
            sentences.insert(
                where, f"So far in {year}, the plan has been discussed by {rng.choice(_ORGS)}."
            )
        if rare:
            where = rng.randrange(len(sentences))
            sentences.insert(
                where, f"Engineers found traces of {RARE_WORD} in the samples near"
                f" {rng.choice(_PLACES)}."
            )
        paragraphs: list[str] = []
        position = 0
        while position < len(sentences):
            step = rng.randint(2, 5)
            paragraphs.append(" ".join(sentences[position : position + step]))
            position += step
        return paragraphs

    def article(self, index: int, rare: bool) -> tuple[str, bytes]:
        """One article's file suffix and bytes."""
        rng = self.rng
        kind = rng.random()
        headline = self._headline()
        year, month, day = self._date()
        undated = kind < UNDATED_SHARE
        inferred = not undated and kind < UNDATED_SHARE + INFERRED_SHARE
        named_year = rng.randint(1990, 2025) if inferred else None
        paragraphs = self._paragraphs(self._size(), index, rare, named_year)
        wrapped = rng.random() < 0.15
        if wrapped:
            width = rng.choice([68, 72, 76])
            paragraphs = [_wrap(paragraph, width) for paragraph in paragraphs]
        body = "\n\n".join(paragraphs)
        suffix = ".txt"

        if undated or inferred:
            # Scraped pages: boilerplate, a repeated headline, separators; no stated date.
            top = rng.sample(_BOILERPLATE_TOP, rng.randint(1, 3))
            bottom = [
                line.format(headline=self._headline())
                for line in rng.sample(_BOILERPLATE_BOTTOM, rng.randint(1, 2))
            ]
            separator = rng.choice(_SEPARATORS)
            repeat = rng.random() < 0.5
            parts = [*top, "", headline, "", *([headline, ""] if repeat else []), body,
                     "", separator, "", *bottom]
            text = "\n".join(parts) + "\n"
        else:
            style = rng.randrange(7)
            if style == 0:  # the seeds' own style: the date shares its line with the body
                text = f" date {year:04d}-{month:02d}-{day:02d} {body}\n"
            elif style == 1:
                text = f" date {year:04d}-{month:02d}-{day:02d} \n\n\n\n{body}\n"
            elif style == 2:
                text = (
                    f"Title: {headline}\nDate: {day} {_MONTHS[month - 1]} {year}\n"
                    f"Source: {rng.choice(_SOURCES)}\n\n{body}\n"
                )
            elif style == 3:
                text = (
                    f"Published: {_MONTHS_SHORT[month - 1]} {day}, {year}\n\n"
                    f"{headline}\n\n{body}\n"
                )
            elif style == 4:
                suffix = ".md"
                text = f"*{year:04d}-{month:02d}-{day:02d}*\n\n# {headline}\n\n{body}\n"
            elif style == 5:
                text = f"Date: {_MONTHS[month - 1]} {year}\n\n{headline}\n\n{body}\n"
            else:  # day-first numeric, as British and Pakistani papers print it
                day = rng.randint(13, 28)
                text = f"Date: {day:02d}/{month:02d}/{year}\n\n{headline}\n\n{body}\n"
        data = text.encode("utf-8")
        if rng.random() < 0.03:
            data = data.replace(b"\n", b"\r\n")
        return suffix, data


def rare_indices(count: int, seed: int) -> set[int]:
    """Which articles carry the rare word: exactly 1% (at least one), spread at random."""
    wanted = max(1, round(count * RARE_SHARE)) if count else 0
    return set(random.Random(seed ^ 0x5EED).sample(range(count), wanted))


def article_path(root: str, index: int) -> str:
    folder = index // FILES_PER_FOLDER
    return os.path.join(
        root,
        f"part-{folder // FOLDERS_PER_PART:02d}",
        f"batch-{folder % FOLDERS_PER_PART:03d}",
        f"article-{index:06d}",
    )


def make_corpus(count: int, root: str, seed: int = 2024) -> int:
    """Write *count* articles under *root*; return the bytes written."""
    writer = _Writer(seed)
    rare = rare_indices(count, seed)
    total = 0
    made: set[str] = set()
    for index in range(count):
        suffix, data = writer.article(index, index in rare)
        stem = article_path(root, index)
        folder = os.path.dirname(stem)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        with open(stem + suffix, "wb") as handle:
            handle.write(data)
        total += len(data)
    return total


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.make_corpus", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("count", type=int, metavar="N", help="how many articles")
    parser.add_argument("root", metavar="DIR", help="folder to write them into")
    parser.add_argument("--seed", type=int, default=2024, help="default 2024")
    # --html: begin. bench/corpora.py keys the cached text corpora by this file without
    # its --html blocks: the flag leaves their fingerprint, and their folders, unchanged.
    parser.add_argument(
        "--html",
        action="store_true",
        help="write N saved web pages (.html, with nav, byline, related links, comments "
        "and metadata) instead of text files: bench/make_html_corpus.py",
    )
    # --html: end
    args = parser.parse_args(argv)
    if args.count < 0:
        parser.error("N must be 0 or more")
    # --html: begin
    if args.html:
        if not __package__:  # run as a script: bench/ is on the path, its parent is not
            sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        from bench.make_html_corpus import make_html_corpus

        total = make_html_corpus(args.count, args.root, args.seed)
        print(f"wrote {args.count} pages, {total / 1e6:.1f} MB, to {args.root}", file=sys.stderr)
        return 0
    # --html: end
    total = make_corpus(args.count, args.root, args.seed)
    print(f"wrote {args.count} articles, {total / 1e6:.1f} MB, to {args.root}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
