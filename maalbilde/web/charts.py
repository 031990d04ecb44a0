"""Charts from one specification: the page draws it as SVG with a table beside it, and a
printed report can draw the same specification. A chart always says in words what it
shows, so a screen reader gets the title, the description and the table."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from maalbilde.plans.status import format_value


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float | None]
    kind: str  # "bar" (actual), "line" (target), "dashed" (expected or projected)


@dataclass(frozen=True)
class ChartSpec:
    title: str
    description: str
    labels: list[str]
    series: list[Series] = field(default_factory=list)
    unit: str = "count"
    # For each label, whether it is a period not over yet (drawn apart, so it is not read as
    # a fall).
    partial: list[bool] = field(default_factory=list)

    WIDTH = 640
    HEIGHT = 260
    MARGIN = 60
    RIGHT = 20

    def axis(self) -> tuple[float, int]:
        """The axis's step and how many steps reach the highest value: a round step (1, 2,
        2.5 or 5 times a power of ten; a whole number for counts, no 0,8 events), at most
        five of them."""
        highest = max((v for s in self.series for v in s.values if v is not None), default=0)
        whole = self.unit == "count"
        if highest <= 0:
            return 1.0, 4
        power = 10 ** math.floor(math.log10(highest / 5))
        for step in (f * power for f in (1, 2, 2.5, 5, 10)):
            intervals = math.ceil(highest / step - 1e-9)
            if intervals <= 5 and (not whole or step == int(step)):
                return (max(step, 1.0) if whole else step), max(intervals, 1)
        return 10 * power, math.ceil(highest / (10 * power))

    def geometry(self) -> dict:
        """Pixel positions for the template: bars, polylines, axis ticks and their texts."""
        width, height, margin = self.WIDTH, self.HEIGHT, self.MARGIN
        step_value, intervals = self.axis()
        top = step_value * intervals
        ticks = [{"value": step_value * f, "text": format_value(step_value * f, self.unit)}
                 for f in range(intervals + 1)]  # fmt: skip
        # The axis texts stand right-aligned left of the plot: room for the longest, at about
        # 7 units a character.
        left = max(margin, 12 + 7 * max(len(t["text"]) for t in ticks))
        step = (width - left - self.RIGHT) / max(1, len(self.labels))

        def y(value: float) -> float:
            return round(height - margin - (height - 2 * margin) * value / top, 1)

        def x(position: int) -> float:
            return round(left + step * (position + 0.5), 1)

        bars, lines = [], []
        bar_series = [s for s in self.series if s.kind == "bar"]
        bar_width = step * 0.7 / max(1, len(bar_series))
        for index, series in enumerate(bar_series):
            for position, value in enumerate(series.values):
                if value is not None:
                    bars.append(
                        {
                            "x": round(left + step * position + step * 0.15 + bar_width * index, 1),
                            "y": y(value),
                            "width": round(bar_width, 1),
                            "height": round(height - margin - y(value), 1),
                            "series": index,
                            "partial": position < len(self.partial) and self.partial[position],
                        }
                    )
        for series in self.series:
            if series.kind == "bar":
                continue
            # A gap in the figures is a gap in the line, not a straight line across it.
            runs: list[list[str]] = [[]]
            for position, value in enumerate(series.values):
                if value is None:
                    runs.append([])
                else:
                    runs[-1].append(f"{x(position)},{y(value)}")
            lines += [{"points": " ".join(run), "kind": series.kind} for run in runs if run]
        for tick in ticks:
            tick["y"] = y(tick["value"])
        # A long label ("2026 (så langt)") takes two lines rather than run into the next.
        labels = [{"x": x(i), "lines": text.split(" (", 1)} for i, text in enumerate(self.labels)]
        for label in labels:
            label["lines"][1:] = [f"({rest}" for rest in label["lines"][1:]]
        return {
            "bars": bars,
            "lines": lines,
            "ticks": ticks,
            "labels": labels,
            "width": width,
            "height": height,
            "baseline": height - margin,
            "left": left,
        }
