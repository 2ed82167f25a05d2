"""Articles per month as numbers a template draws as SVG (no JavaScript, no inline style)."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field

WIDTH = 720
HEIGHT = 200
MARGIN_LEFT = 40
MARGIN_BOTTOM = 24
MARGIN_TOP = 10


@dataclass
class Bar:
    month: datetime.date
    count: int
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0

    @property
    def label(self) -> str:
        return f"{self.month:%B %Y}: {self.count} article{'' if self.count == 1 else 's'}"


@dataclass
class Tick:
    x: float = 0
    y: float = 0
    label: str = ""


@dataclass
class Timeline:
    bars: list[Bar]
    width: int = WIDTH
    height: int = HEIGHT
    y_ticks: list[Tick] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    baseline: float = HEIGHT - MARGIN_BOTTOM
    left: int = MARGIN_LEFT

    @property
    def total(self) -> int:
        return sum(bar.count for bar in self.bars)

    @property
    def digest(self) -> str:
        """What the drawing is made of, for caching it: the same digest, the same SVG."""
        drawn = (
            self.width,
            self.height,
            self.left,
            [(b.month, b.count, b.x, b.y, b.width, b.height) for b in self.bars],
            [(t.x, t.y, t.label) for t in (*self.y_ticks, *self.x_ticks)],
        )
        return hashlib.md5(repr(drawn).encode(), usedforsecurity=False).hexdigest()

    @property
    def rows(self) -> list[Bar]:
        """The months with articles, for the table under the chart (the bars keep the gaps)."""
        return [bar for bar in self.bars if bar.count]

    @property
    def peak(self) -> Bar | None:
        return max(self.bars, key=lambda bar: bar.count, default=None)

    @property
    def first(self) -> Bar | None:
        return self.bars[0] if self.bars else None

    @property
    def last(self) -> Bar | None:
        return self.bars[-1] if self.bars else None


def next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def fill_months(rows: list[tuple[datetime.date, int]]) -> list[tuple[datetime.date, int]]:
    """Every month from the first to the last, zero where nothing was published."""
    if not rows:
        return []
    counts = dict(rows)
    month, last = rows[0][0], rows[-1][0]
    filled = []
    while month <= last:
        filled.append((month, counts.get(month, 0)))
        month = next_month(month)
    return filled


def timeline(rows: list[tuple[datetime.date, int]]) -> Timeline:
    """Lay out ``[(month, n), ...]`` (``search.Summary.months`` or ``per_month()``) as bars."""
    bars = [Bar(month, count) for month, count in fill_months(rows)]
    chart = Timeline(bars)
    if not bars:
        return chart
    plot_width = WIDTH - MARGIN_LEFT - 8
    plot_height = HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
    peak = max(bar.count for bar in bars) or 1
    step = plot_width / len(bars)
    gap = min(2.0, step * 0.2)
    for i, bar in enumerate(bars):
        bar.width = round(max(step - gap, 0.5), 2)
        bar.height = round(plot_height * bar.count / peak, 2)
        bar.x = round(MARGIN_LEFT + i * step, 2)
        bar.y = round(chart.baseline - bar.height, 2)
    chart.y_ticks = [
        Tick(0, round(chart.baseline - plot_height * value / peak, 2), str(value))
        for value in sorted({0, peak // 2, peak})
    ]
    years = [(i, bar) for i, bar in enumerate(bars) if bar.month.month == 1 or i == 0]
    every = max(1, len(years) // 8)
    chart.x_ticks = [
        Tick(
            round(MARGIN_LEFT + i * step, 2),
            HEIGHT - 6,
            f"{bar.month:%Y}" if len(bars) > 14 else f"{bar.month:%b %Y}",
        )
        for i, bar in years[::every]
    ]
    if len(bars) <= 14:
        chart.x_ticks = [
            Tick(round(MARGIN_LEFT + i * step, 2), HEIGHT - 6, f"{bar.month:%b %y}")
            for i, bar in enumerate(bars)
        ][:: max(1, len(bars) // 6)]
    return chart


LINEAGE_ROW = 30


@dataclass
class Era:
    """One name of a lineage, as a bar under the articles-per-month chart."""

    name: str
    url: str
    began: datetime.date | None
    ended: datetime.date | None  # None: still its name
    current: bool = False  # the actor whose page this is
    x: float = 0
    y: float = 0
    width: float = 0

    @property
    def label(self) -> str:
        began = f"{self.began:%Y}" if self.began else "?"
        ended = f"{self.ended:%Y}" if self.ended else "today"
        return f"{self.name}, {began} to {ended}"


@dataclass
class Lineage:
    chart: Timeline
    eras: list[Era]
    height: int = 0
    width: int = WIDTH


def _month_index(month: datetime.date, first: datetime.date) -> int:
    return (month.year - first.year) * 12 + month.month - first.month


def lineage(eras: list[Era], rows: list[tuple[datetime.date, int]]) -> Lineage:
    """Articles per month over the whole lineage (from the first name's start to the last
    month with articles), and one bar per name on the same time axis."""
    starts = [era.began.replace(day=1) for era in eras if era.began]
    ends = [era.ended.replace(day=1) for era in eras if era.ended]
    bounds = sorted({*starts, *ends, *(month for month, _ in rows)})
    padded = sorted({**dict.fromkeys(bounds[:1] + bounds[-1:], 0), **dict(rows)}.items())
    chart = timeline(padded)
    if not chart.bars:
        return Lineage(chart, eras)
    first = chart.bars[0].month
    step = (WIDTH - MARGIN_LEFT - 8) / len(chart.bars)
    right = MARGIN_LEFT + len(chart.bars) * step

    def x_of(day: datetime.date | None, default: float) -> float:
        if day is None:
            return default
        return MARGIN_LEFT + (_month_index(day, first) + (day.day - 1) / 31) * step

    for i, era in enumerate(eras):
        era.x = round(x_of(era.began, MARGIN_LEFT), 2)
        era.width = round(max(x_of(era.ended, right) - era.x, 2), 2)
        era.y = i * LINEAGE_ROW + 4
    return Lineage(chart, eras, height=len(eras) * LINEAGE_ROW + 8)
