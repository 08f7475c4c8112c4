"""Geometry of the report's charts: where each mark goes, as plain numbers for the templates.

The markup of the gauge, the histogram and the outlet chart is in
``templates/*.svg.j2``; this module only computes coordinates, in the charts'
own viewBox units.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from framing.labels import COLOURS, ENFORCEMENT, NEUTRAL, RIGHTS

SLANT_TICKS = ((-1, "−1"), (-0.5, "−0.5"), (0, "0"), (0.5, "+0.5"), (1, "+1"))
# Longer outlet names are cut to fit the chart's name column (the full name is in a tooltip).
OUTLET_NAME_CHARS = 26


def fmt(value: float) -> str:
    """A coordinate with one decimal."""
    return f"{value:.1f}"


def clamp(value: float) -> float:
    return min(1.0, max(-1.0, float(value)))


def slant_scale(left: float, right: float) -> Callable[[float], float]:
    """The x position of a slant on an axis drawn from ``left`` (-1) to ``right`` (+1)."""

    def x(value: float) -> float:
        return left + (clamp(value) + 1.0) / 2.0 * (right - left)

    return x


def ticks(x: Callable[[float], float]) -> list[tuple[float, str]]:
    """(x position, text) of each tick of a slant axis."""
    return [(x(value), text) for value, text in SLANT_TICKS]


@dataclass(frozen=True)
class Gauge:
    """An axis from -1 (rights) to +1 (enforcement) with a slant's marker and its interval's band."""

    left: float
    right: float
    middle: float
    zero: float
    band_x: float
    band_width: float
    marker: float
    ticks: list[tuple[float, str]]


def gauge(slant: float, interval: tuple[float, float]) -> Gauge:
    """The gauge of a slant and its 95% interval; values outside [-1, 1] sit at the ends."""
    left, right, middle = 20.0, 410.0, 34.0
    x = slant_scale(left, right)
    low, high = sorted((clamp(interval[0]), clamp(interval[1])))
    # A one-sentence article's interval is a point: keep its band visible, centred on it.
    band_width = max(x(high) - x(low), 3.0)
    return Gauge(
        left=left, right=right, middle=middle, zero=x(0), band_x=(x(low) + x(high)) / 2 - band_width / 2,
        band_width=band_width, marker=x(slant), ticks=ticks(x),
    )


@dataclass(frozen=True)
class Bar:
    x: float
    width: float
    height: float
    count: int
    low: float
    fill: str


@dataclass(frozen=True)
class Histogram:
    left: float
    right: float
    top: float
    bottom: float
    bars: list[Bar]
    edges: list[tuple[float, str]]
    total: int


def histogram(bins: Sequence[int]) -> Histogram:
    """Ten bars of width 0.2 over [-1, 1], heights relative to the fullest bin."""
    left, right, top, bottom = 40.0, 640.0, 24.0, 180.0
    width = (right - left) / len(bins)
    peak = max(bins) if bins and max(bins) else 1
    bars = []
    for index, count in enumerate(bins):
        low = -1.0 + 0.2 * index
        # Position on the axis carries the meaning; colour repeats it. The two bins around
        # zero hold the "balanced or neutral" band (-0.1 to +0.1), so they are grey.
        central = index in (len(bins) // 2 - 1, len(bins) // 2)
        fill = COLOURS[NEUTRAL] if central else COLOURS[RIGHTS] if low < 0 else COLOURS[ENFORCEMENT]
        bars.append(Bar(x=left + index * width, width=width, height=(bottom - top) * count / peak,
                        count=count, low=low, fill=fill))
    edges = []
    for index in range(len(bins) + 1):
        value = -1.0 + 0.2 * index
        edges.append((left + index * width, "0" if abs(value) < 1e-9 else f"{value:+.1f}".replace("-", "−")))
    return Histogram(left=left, right=right, top=top, bottom=bottom, bars=bars, edges=edges, total=sum(bins))


@dataclass(frozen=True)
class OutletRow:
    name: str
    short_name: str
    y: float
    shaded: bool
    mean: float | None
    low: float | None
    high: float | None
    articles: int
    x_mean: float | None
    x_low: float | None
    x_high: float | None


@dataclass(frozen=True)
class OutletChart:
    name_width: float
    left: float
    right: float
    top: float
    row_height: float
    height: float
    zero: float
    axis_y: float
    rows: list[OutletRow]
    ticks: list[tuple[float, str]]


def outlet_chart(outlets: Sequence) -> OutletChart:
    """One row per outlet (top to bottom in the order given): its mean slant and 95% interval."""
    name_width, left, right, row_height, top = 190.0, 200.0, 640.0, 30.0, 26.0
    x = slant_scale(left, right)
    rows = []
    for index, outlet in enumerate(outlets):
        name = outlet.name
        short = name if len(name) <= OUTLET_NAME_CHARS else name[: OUTLET_NAME_CHARS - 1] + "…"
        scored = outlet.mean_slant is not None and outlet.interval is not None
        low, high = outlet.interval if scored else (None, None)
        rows.append(OutletRow(
            name=name, short_name=short, y=top + row_height * index + row_height / 2, shaded=index % 2 == 0,
            mean=outlet.mean_slant if scored else None, low=low, high=high, articles=outlet.articles,
            x_mean=x(outlet.mean_slant) if scored else None,
            x_low=x(low) if scored else None, x_high=x(high) if scored else None,
        ))
    return OutletChart(
        name_width=name_width, left=left, right=right, top=top, row_height=row_height,
        height=top + row_height * len(outlets) + 44, zero=x(0), axis_y=top + row_height * len(outlets) + 4,
        rows=rows, ticks=ticks(x),
    )
