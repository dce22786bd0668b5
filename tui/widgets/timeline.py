"""Articles per month (or per year, for long spans) of the filtered set.

Year-only dates (inferred ones above all) cannot be placed in a month. Per year, they
are counted in their year, drawn in a colour of their own on top of the dated ones.
Per month, they are not spread over twelve bars: the months of a year that has some
stand on a band of that colour, a year wide, and the label counts them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

from ..corpus.dates import UNDATED_PERIOD
from .glyphs import UNICODE, Glyphs

ROWS = 2
"""Bar rows: two rows of eighth blocks give sixteen heights."""


@dataclass(frozen=True)
class Bucket:
    label: str
    exact: float
    """Articles dated to a month or day inside this period."""
    vague: float
    """Articles dated only to the year: in a year bucket, its own, stacked on the bar;
    in a month bucket, its year's, drawn as a band under the year's months (not in the
    bar: a month holds none of them)."""

    @property
    def total(self) -> float:
        return self.exact + self.vague

    def height(self, banded: bool) -> float:
        """What the bar shows: a month's own articles (*banded*), or a year's all."""
        return self.exact if banded else self.total


def bucket_counts(counts: Mapping[int, int], max_buckets: int) -> tuple[list[Bucket], str]:
    """Buckets per month, or per year when the months would not fit in *max_buckets*,
    from article counts per period code (see :func:`tui.corpus.dates.period_code`)."""
    months: Counter[tuple[int, int]] = Counter()
    years_exact: Counter[int] = Counter()
    years_vague: Counter[int] = Counter()
    for code, count in counts.items():
        if code == UNDATED_PERIOD or count <= 0:
            continue
        year, month = divmod(code, 16)
        if month == 0:
            years_vague[year] += count
        else:
            months[(year, month)] += count
            years_exact[year] += count
    all_years = set(years_exact) | set(years_vague)
    if not all_years:
        return [], ""
    first_year, last_year = min(all_years), max(all_years)
    ends = list(months)
    for year in years_vague:
        ends += [(year, 1), (year, 12)]
    first, last = min(ends), max(ends)
    span = (last[0] - first[0]) * 12 + last[1] - first[1] + 1
    if span * 2 <= max_buckets:  # months get two cells at least, or years are clearer
        buckets = []
        year, month = first
        for _ in range(span):
            band = years_vague[year]  # the year's year-only articles: its band
            buckets.append(Bucket(f"{year:04d}-{month:02d}", months[(year, month)], band))
            month += 1
            if month > 12:
                year, month = year + 1, 1
        return buckets, "month"
    buckets = [
        Bucket(f"{year:04d}", years_exact[year], years_vague[year])
        for year in range(first_year, last_year + 1)
    ]
    if len(buckets) > max_buckets:
        # Too many years for the width: merge neighbours so every year still counts.
        size = -(-len(buckets) // max_buckets)
        merged = []
        for start in range(0, len(buckets), size):
            group = buckets[start : start + size]
            merged.append(
                Bucket(
                    group[0].label,
                    sum(bucket.exact for bucket in group),
                    sum(bucket.vague for bucket in group),
                )
            )
        return merged, f"{size} years"
    return buckets, "year"


class Timeline(Widget):
    """A small bar chart of the filtered articles over time."""

    COMPONENT_CLASSES = {"timeline--bar", "timeline--vague", "timeline--band", "timeline--label"}

    DEFAULT_CSS = """
    Timeline {
        height: 4;
        background: $surface;
        padding: 0 1;
        border-top: hkey $panel;
        & > .timeline--bar { color: $accent; }
        /* Year-only articles in $secondary: apart from the bars' $accent and legible
           on $surface in every built-in theme ($warning-muted, before, was near
           invisible on the default one). */
        & > .timeline--vague { color: $secondary; }
        & > .timeline--band { background: $secondary 45%; }
        & > .timeline--label { color: $text-muted; }
    }
    """

    def __init__(self, *, glyphs: Glyphs = UNICODE, id: str | None = None) -> None:
        super().__init__(id=id)
        self.glyphs = glyphs
        self._counts: Counter[int] = Counter()
        self._dated = 0
        self._layout: tuple[int, list[Bucket], str] | None = None
        """Buckets for the last width drawn: three lines share one computation."""

    def set_rows(
        self,
        rows: Sequence[int],
        periods: Sequence[int],
        counted: Mapping[int, int] | None = None,
    ) -> None:
        """Chart the articles of serials *rows*, whose period codes are
        ``periods[serial]``. *counted* is their count per period when it is known
        already: the corpus keeps it for all articles (no filter: each batch while
        loading), and many matches are counted faster from their set than from rows
        in order, so that no 100,000-row count runs on the UI thread then."""
        counts = Counter(counted if counted is not None else map(periods.__getitem__, rows))
        counts.pop(UNDATED_PERIOD, None)
        if counts == self._counts and self._layout is not None:
            return  # the same chart: nothing to send
        self._counts = counts
        self._dated = sum(counts.values())
        self._layout = None
        self.refresh()

    @property
    def counts(self) -> Mapping[int, int]:
        """Dated articles charted, per period code."""
        return self._counts

    @property
    def dated(self) -> int:
        return self._dated

    def render_line(self, y: int) -> Strip:
        width = self.content_region.width
        base = self.rich_style
        if width <= 0:
            return Strip.blank(0, base)
        if self._layout is None or self._layout[0] != width:
            self._layout = (width, *bucket_counts(self._counts, max(1, width)))
        _, buckets, unit = self._layout
        if not buckets:
            if y == ROWS:
                label = "timeline: no dated articles"
                style = base + self.get_component_rich_style("timeline--label")
                return Strip([Segment(label[:width], style)]).extend_cell_length(width, base)
            return Strip.blank(width, base)
        cell = max(1, min(4, width // len(buckets)))
        gap = 1 if cell >= 3 else 0
        banded = unit == "month"
        if y < ROWS:
            return self._bars(buckets, y, cell, gap, width, banded)
        return self._labels(buckets, unit, width, banded)

    def _bars(
        self, buckets: list[Bucket], y: int, cell: int, gap: int, width: int, banded: bool
    ) -> Strip:
        base = self.rich_style
        exact_style = base + self.get_component_rich_style("timeline--bar")
        vague_style = base + self.get_component_rich_style("timeline--vague")
        band = Style(bgcolor=self.get_component_rich_style("timeline--band").bgcolor)
        bars = self.glyphs.bars
        levels = len(bars) - 1
        peak = max(bucket.height(banded) for bucket in buckets) or 1
        row_from_bottom = ROWS - 1 - y
        segments = []
        for bucket in buckets:
            height = bucket.height(banded)
            total = round(height / peak * levels * ROWS) if height else 0
            if bucket.exact and total == 0:
                total = 1  # a bucket with articles is never drawn empty
            exact = round(bucket.exact / peak * levels * ROWS)
            fill = max(0, min(levels, total - row_from_bottom * levels))
            middle = row_from_bottom * levels + fill / 2
            if banded:
                # Under a year's months, its year-only articles: a band, gaps and all.
                style = exact_style + band if bucket.vague and not row_from_bottom else exact_style
            else:
                style = exact_style if exact >= middle or not bucket.vague else vague_style
            segments.append(Segment(bars[fill] * (cell - gap), style))
            if gap:
                segments.append(Segment(" ", style if banded else base))
        return Strip(segments).extend_cell_length(width, base).crop(0, width)

    def _labels(self, buckets: list[Bucket], unit: str, width: int, banded: bool) -> Strip:
        base = self.rich_style
        style = base + self.get_component_rich_style("timeline--label")
        first, last = buckets[0].label, buckets[-1].label
        middle = f"{self._dated:,} dated, per {unit}"
        year_only = sum(count for code, count in self._counts.items() if code % 16 == 0)
        if banded and year_only:
            middle += f", {year_only:,} to the year (band)"
        if len(buckets) == 1:
            text = f"{first}  {middle}"
        else:
            room = width - len(first) - len(last)
            if room >= len(middle) + 4:
                pad = room - len(middle)
                text = f"{first}{' ' * (pad // 2)}{middle}{' ' * (pad - pad // 2)}{last}"
            elif room >= 1:
                text = f"{first}{' ' * room}{last}"
            else:
                text = first
        return Strip([Segment(text[:width], style)]).extend_cell_length(width, base)
