"""Trend charts as geometry, computed at build time (no JavaScript, no chart library).

Python decides where every bar goes; the theme's ``charts.html`` macro draws
the SVG and the accessible data table from this geometry.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int
    value: int


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass
class Chart:
    """A bar chart: one group per year, stacked or side by side series."""

    id: str
    title: str
    series: list[str]
    years: list[int]
    values: list[list[int | None]]  # values[series][year index]; None: no report that year
    stacked: bool = False
    width: int = 480
    height: int = 250
    bars: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    labels: list[tuple[float, str]] = field(default_factory=list)  # x of each year label
    plot_left: int = 44
    plot_top: int = 12
    plot_bottom: int = 218

    def layout(self) -> Chart:
        plot_h = self.plot_bottom - self.plot_top
        plot_w = self.width - self.plot_left - 8
        n = max(1, len(self.years))
        if self.stacked:
            top = max([sum(v[i] or 0 for v in self.values) for i in range(len(self.years))] or [0])
        else:
            top = max([x or 0 for v in self.values for x in v] or [0])
        scale_max = _nice(top)
        group_w = plot_w / n
        inner = group_w * 0.7
        for i, year in enumerate(self.years):
            gx = self.plot_left + i * group_w + (group_w - inner) / 2
            self.labels.append((self.plot_left + i * group_w + group_w / 2, str(year)))
            base = float(self.plot_bottom)
            for s, series_values in enumerate(self.values):
                v = series_values[i]
                if v is None:
                    continue
                h = plot_h * v / scale_max if scale_max else 0
                if self.stacked:
                    self.bars.append(Bar(round(gx, 1), round(base - h, 1), round(inner, 1), round(h, 1), s, v))
                    base -= h
                else:
                    w = inner / len(self.values)
                    self.bars.append(
                        Bar(round(gx + s * w, 1), round(self.plot_bottom - h, 1), round(w, 1), round(h, 1), s, v)
                    )
        steps = 4
        for k in range(steps + 1):
            value = scale_max * k / steps
            y = self.plot_bottom - plot_h * k / steps
            self.ticks.append(Tick(round(y, 1), f"{value:g}"))
        return self


def _nice(top: int) -> int:
    """A round upper bound for the axis (1, 2, 5 × 10ⁿ steps of four)."""
    if top <= 0:
        return 4
    step = 1
    while True:
        for m in (1, 2, 5):
            if step * m * 4 >= top:
                return step * m * 4
        step *= 10
