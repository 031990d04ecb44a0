"""Charts from one specification: the page draws it as SVG with a table beside it, and a
printed report can draw the same specification. A chart always says in words what it
shows, so a screen reader gets the title, the description and the table."""

from __future__ import annotations

import math
from dataclasses import dataclass, field


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

    def top(self) -> float:
        """The axis's top: four even, round steps (1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a
        power of ten) that reach the highest value."""
        highest = max((v for s in self.series for v in s.values if v is not None), default=0)
        return self.step(highest) * 4

    @staticmethod
    def step(highest: float) -> float:
        if highest <= 0:
            return 0.25
        rough = highest / 4
        power = 10 ** math.floor(math.log10(rough))
        return next(f * power for f in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if f * power >= rough)

    def geometry(self) -> dict:
        """Pixel positions for the template: bars, polylines, axis ticks."""
        width, height, margin = self.WIDTH, self.HEIGHT, self.MARGIN
        step = (width - 2 * margin) / max(1, len(self.labels))
        top = self.top()

        def y(value: float) -> float:
            return round(height - margin - (height - 2 * margin) * value / top, 1)

        bars, lines = [], []
        bar_series = [s for s in self.series if s.kind == "bar"]
        bar_width = step * 0.7 / max(1, len(bar_series))
        for index, series in enumerate(bar_series):
            for position, value in enumerate(series.values):
                if value is not None:
                    x = margin + step * position + step * 0.15 + bar_width * index
                    bars.append(
                        {
                            "x": round(x, 1),
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
            points = [
                f"{round(margin + step * (i + 0.5), 1)},{y(v)}"
                for i, v in enumerate(series.values)
                if v is not None
            ]
            if points:
                lines.append({"points": " ".join(points), "kind": series.kind})
        ticks = [{"y": y(top * f / 4), "value": top * f / 4} for f in range(5)]
        labels = [
            {"x": round(margin + step * (i + 0.5), 1), "text": t} for i, t in enumerate(self.labels)
        ]
        return {
            "bars": bars,
            "lines": lines,
            "ticks": ticks,
            "labels": labels,
            "width": width,
            "height": height,
            "baseline": height - margin,
            "left": margin,
        }
