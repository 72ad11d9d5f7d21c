"""Server-rendered SVG charts: no JavaScript library, no CDN, and a data table for every chart.

A chart is computed here (geometry in SVG user units) and drawn by ``charts/_chart.html``,
which shows the figure and, under it, the same values as a DSFR table for screen readers and
for anyone who wants the exact figures.

Usage in a view::

    chart = line_chart(
        "Part de produits durables et de qualité",
        [Series("2027", [("janv.", Decimal("42.5")), ("févr.", Decimal("51"))])],
        thresholds=[Threshold("Objectif EGAlim (50 %)", Decimal(50))],
        unit="%",
    )

and in the template: ``{% include "charts/_chart.html" with chart=chart %}``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from openamo.money import format_cents

WIDTH = 640
HEIGHT = 280
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 48
LINE_INSET = 32
PALETTE = ["#000091", "#e1000f", "#18753c", "#b34000", "#6a6af4", "#695240"]
THRESHOLD_COLOURS = ["#ce0500", "#66673d", "#a558a0"]


@dataclass(frozen=True)
class Series:
    label: str
    points: Sequence[tuple[str, Decimal]]


@dataclass(frozen=True)
class Threshold:
    label: str
    value: Decimal


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class XLabel:
    x: float
    label: str


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    title: str


@dataclass(frozen=True)
class Line:
    label: str
    colour: str
    points: str
    dots: list[tuple[float, float, str]]


@dataclass(frozen=True)
class Rule:
    label: str
    colour: str
    y: float


@dataclass
class Chart:
    title: str
    description: str
    unit: str
    kind: str
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    baseline: float = HEIGHT - BOTTOM
    ticks: list[Tick] = field(default_factory=list)
    x_labels: list[XLabel] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)
    table_header: list[str] = field(default_factory=list)
    table_rows: list[list[str]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.table_rows


def _display(value: Decimal, unit: str) -> str:
    text = format_cents(value)
    if text.endswith(",00"):
        text = text[:-3]
    return f"{text}\u00a0{unit}" if unit else text


def _nice_max(value: Decimal) -> Decimal:
    """The smallest of 1, 2, 2.5, 5 × 10ⁿ above ``value``: round axis graduations."""
    if value <= 0:
        return Decimal(1)
    exponent = value.adjusted()
    for step in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10)):
        candidate = step.scaleb(exponent)
        if candidate >= value:
            return candidate
    return Decimal(10).scaleb(exponent)


def _scale(
    chart: Chart, values: list[Decimal], y_max: Decimal | None
) -> tuple[Decimal, Decimal, float]:
    low = min([Decimal(0), *values])
    high = _nice_max(max([*values, y_max or Decimal(0), Decimal(0)]))
    if y_max is not None:
        high = max(high, y_max)
    if low < 0:
        low = -_nice_max(-low)
    span = float(high - low) or 1.0
    plot_height = chart.baseline - TOP
    for i in range(5):
        value = low + (high - low) * i / 4
        y = chart.baseline - float(value - low) / span * plot_height
        chart.ticks.append(Tick(y, _display(value.quantize(Decimal("0.01")), chart.unit)))
    return low, high, plot_height / span


def _y(chart: Chart, value: Decimal, low: Decimal, per_unit: float) -> float:
    return round(chart.baseline - float(value - low) * per_unit, 1)


def _categories(series: Sequence[Series]) -> list[str]:
    return list(dict.fromkeys(label for s in series for label, _ in s.points))


def _table(chart: Chart, series: Sequence[Series], categories: list[str]) -> None:
    chart.table_header = ["", *(s.label for s in series)]
    by_series = [dict(s.points) for s in series]
    for category in categories:
        row = [category]
        for values in by_series:
            value = values.get(category)
            row.append("—" if value is None else _display(value, chart.unit))
        chart.table_rows.append(row)


def _rules(chart: Chart, thresholds: Sequence[Threshold], low: Decimal, per_unit: float) -> None:
    for i, threshold in enumerate(thresholds):
        colour = THRESHOLD_COLOURS[i % len(THRESHOLD_COLOURS)]
        label = f"{threshold.label} : {_display(threshold.value, chart.unit)}"
        chart.rules.append(Rule(label, colour, _y(chart, threshold.value, low, per_unit)))


def _describe(series: Sequence[Series], thresholds: Sequence[Threshold], unit: str) -> str:
    parts = []
    for s in series:
        if s.points:
            last_label, last_value = s.points[-1]
            parts.append(f"{s.label} : {_display(last_value, unit)} ({last_label})")
    for t in thresholds:
        parts.append(f"{t.label} : {_display(t.value, unit)}")
    return " ; ".join(parts)


def _frame(
    title: str,
    kind: str,
    series: Sequence[Series],
    thresholds: Sequence[Threshold],
    unit: str,
    y_max: Decimal | None,
) -> tuple[Chart, list[str], Decimal, float]:
    """The chart every kind starts from: its description, categories and vertical scale
    (lowest value, units per value) over the series and the reference lines."""
    chart = Chart(title, _describe(series, thresholds, unit), unit, kind)
    values = [v for s in series for _, v in s.points] + [t.value for t in thresholds]
    low, _, per_unit = _scale(chart, values, y_max)
    return chart, _categories(series), low, per_unit


def line_chart(
    title: str,
    series: Sequence[Series],
    *,
    thresholds: Sequence[Threshold] = (),
    unit: str = "",
    y_max: Decimal | None = None,
) -> Chart:
    """Values over ordered categories (months, dates), with horizontal reference lines."""
    chart, categories, low, per_unit = _frame(title, "line", series, thresholds, unit, y_max)
    width = chart.right_edge - chart.left
    # The first and last points stand back from the edges so that their labels (a date is
    # about 60 units wide) are not cut by the figure's frame.
    inset = LINE_INSET
    step = (width - 2 * inset) / max(len(categories) - 1, 1)
    x_of = {c: round(chart.left + inset + i * step, 1) for i, c in enumerate(categories)}
    if len(categories) == 1:
        x_of = {categories[0]: chart.left + width / 2}
    chart.x_labels = [XLabel(x, c) for c, x in x_of.items()]
    for i, s in enumerate(series):
        colour = PALETTE[i % len(PALETTE)]
        dots = [
            (x_of[c], _y(chart, v, low, per_unit), f"{c} : {_display(v, unit)}")
            for c, v in s.points
        ]
        chart.lines.append(Line(s.label, colour, " ".join(f"{x},{y}" for x, y, _ in dots), dots))
        chart.legend.append((s.label, colour))
    _rules(chart, thresholds, low, per_unit)
    _table(chart, series, categories)
    return chart


def bar_chart(
    title: str,
    series: Sequence[Series],
    *,
    thresholds: Sequence[Threshold] = (),
    unit: str = "",
    y_max: Decimal | None = None,
) -> Chart:
    """Grouped vertical bars: one group per category, one bar per series."""
    chart, categories, low, per_unit = _frame(title, "bar", series, thresholds, unit, y_max)
    width = chart.right_edge - chart.left
    group = width / max(len(categories), 1)
    bar_width = group * 0.8 / max(len(series), 1)
    zero = _y(chart, max(low, Decimal(0)), low, per_unit)
    for i, category in enumerate(categories):
        chart.x_labels.append(XLabel(round(chart.left + group * (i + 0.5), 1), category))
    for j, s in enumerate(series):
        colour = PALETTE[j % len(PALETTE)]
        chart.legend.append((s.label, colour))
        for category, value in s.points:
            i = categories.index(category)
            x = chart.left + group * i + group * 0.1 + bar_width * j
            y = _y(chart, value, low, per_unit)
            top, height = (y, zero - y) if y <= zero else (zero, y - zero)
            chart.bars.append(
                Bar(
                    round(x, 1),
                    round(top, 1),
                    round(bar_width, 1),
                    round(height, 1),
                    colour,
                    f"{s.label} — {category} : {_display(value, unit)}",
                )
            )
    _rules(chart, thresholds, low, per_unit)
    _table(chart, series, categories)
    return chart
