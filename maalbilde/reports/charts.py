"""Charts from one specification: the page draws it as SVG with a table beside it, and a
printed report can draw the same specification. A chart always says in words what it
shows, so a screen reader gets the title, the description and the table."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from maalbilde.organisations.models import Organisation
from maalbilde.plans.engine import Engine, is_running_total
from maalbilde.plans.models import Indicator, PlanVersion, Target
from maalbilde.plans.observations import BASELINE_YEARS
from maalbilde.plans.status import format_value, period_label, running_year, yearly_goal


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


def bar_chart(
    title: str, description: str, labels: list[str], values: list[float | None], unit: str
) -> dict[str, Any]:
    """A chart of one series of bars, its figures given in a table of the page's own."""
    spec = ChartSpec(title=title, description=description, labels=labels,
                     series=[Series(title, values, "bar")], unit=unit)  # fmt: skip
    return {"spec": spec, "geometry": spec.geometry(), "rows": []}


def indicator_charts(
    engine: Engine,
    item: Indicator,
    organisations: list[Organisation],
    reach: set[str],
    version: PlanVersion,
    today: datetime.date,
) -> list[dict[str, Any]]:
    """A measure's chart per organisation, every year with figures from as far back as
    figures may go, and a chart of its running total for a total by a deadline."""
    targets = [t for t in item.targets.select_related("organisation")
               if t.organisation.slug in reach]  # fmt: skip
    years = list(version.years)
    values = engine.values(item.slug, organisations, years[0] - BASELINE_YEARS, years[-1])
    first = min([years[0], *(y for _root, y in values)])
    return [_chart(item, organisation, targets, values, list(range(first, years[-1] + 1)),
                   version, today) for organisation in organisations] + [
        _total_chart(item, target, values, today) for target in targets
        if target.kind == Target.Kind.TOTAL and not is_running_total(item)
    ]  # fmt: skip


def _chart(
    item: Indicator,
    organisation: Organisation,
    targets: list,
    values: dict,
    years: list[int],
    version: PlanVersion,
    today: datetime.date,
) -> dict[str, Any]:
    """Every year with figures: the years before the plan show where it started, and the
    running year is marked as a part of a year (so that it does not look like a fall)."""
    actual = [values.get((organisation.pk, y)) for y in years]
    goal = [_yearly_target(targets, organisation, y, values, today) for y in years]
    running = running_year(item, today)
    rows = [
        {"year": _year_label(item, y, today), "actual": format_value(a, item.unit),
         "target": format_value(g, item.unit)}
        for y, a, g in zip(years, actual, goal, strict=True)
    ]  # fmt: skip
    description = (
        _("Bars: the figure each year. Line: the target each year.")
        if any(g is not None for g in goal)
        else _("Bars: the figure each year.")
    )
    if years[0] < version.start_year:
        description += " " + _("The plan runs %(first)s–%(last)s; the years before show where "
                               "it started.") % {"first": version.start_year,
                                                 "last": version.end_year}  # fmt: skip
    if running in years:
        description += " " + _("%(year)s is not over: its bar holds the figures until "
                               "%(date)s.") % {"year": period_label(item, running),
                                               "date": formats.date_format(today)}  # fmt: skip
    chart = ChartSpec(
        title=_("%(indicator)s, %(organisation)s") % {"indicator": item.name.rstrip("."),
                                                      "organisation": organisation.name},
        description=description,
        labels=[_year_label(item, y, today) for y in years],
        series=[Series(_("Figure"), actual, "bar"), Series(_("Target"), goal, "line")],
        unit=item.unit,
        partial=[y == running for y in years],
    )  # fmt: skip
    return {"spec": chart, "geometry": chart.geometry(), "rows": rows}


def _year_label(item: Indicator, year: int, today: datetime.date) -> str:
    """A year as a chart names it, in the indicator's calendar: the running one says it is
    not over."""
    label = period_label(item, year)
    return _("%(year)s (so far)") % {"year": label} if year == running_year(item, today) else label


def _total_chart(item: Indicator, target: Target, values: dict,
                 today: datetime.date) -> dict[str, Any]:  # fmt: skip
    """A total by a deadline: the running total since its first year against the straight
    path from its baseline (or zero) to the target at the deadline."""
    years = list(range(target.first_year, target.last_year + 1))
    start = float(target.baseline_value or 0)
    goal = float(target.value)
    root = target.organisation_id
    totals: list[float | None] = []
    running = start
    for year in years:
        value = values.get((root, year))
        running += value or 0
        totals.append(round(running, 2) if year <= running_year(item, today) else None)
    # The path runs by days, as the verdict's "expected by now" does.
    first_day = datetime.date(years[0], 1, 1)
    days = (datetime.date(years[-1] + 1, 1, 1) - first_day).days
    path = [round(start + (goal - start) * (datetime.date(y + 1, 1, 1) - first_day).days / days, 2)
            for y in years]  # fmt: skip
    labels = [_year_label(item, y, today) for y in years]
    chart = ChartSpec(
        title=_("%(indicator)s, %(organisation)s, in total since %(since)s") % {
            "indicator": item.name.rstrip("."), "organisation": target.organisation.name,
            "since": target.first_year},
        description=_("Bars: the total at the end of each year. Line: the straight path to "
                      "%(target)s by %(deadline)s.") % {
            "target": format_value(goal, item.unit), "deadline": target.last_year},
        labels=labels,
        series=[Series(_("Total"), totals, "bar"), Series(_("Path"), path, "line")],
        unit=item.unit,
        partial=[y == running_year(item, today) for y in years],
    )  # fmt: skip
    rows = [{"year": label, "actual": format_value(total, item.unit),
             "target": format_value(point, item.unit)}
            for label, total, point in zip(labels, totals, path, strict=True)]  # fmt: skip
    return {"spec": chart, "geometry": chart.geometry(), "rows": rows,
            "columns": (_("Year"), _("Total"), _("Path"))}  # fmt: skip


def _yearly_target(
    targets: list, organisation: Organisation, year: int, values: dict, today: datetime.date
) -> float | None:
    """What the organisation's targets ask of a year's figure (the first that asks anything)."""
    asked = (yearly_goal(t, year, values, today) for t in targets
             if t.organisation_id == organisation.pk)  # fmt: skip
    return next((goal for goal in asked if goal is not None), None)


FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
COLOURS = {"grid": "#d5dae3", "tick": "#4a5468", "bar": "#3a6fc4", "partial": "#a9c0e6",
           "line": "#a4161a"}  # fmt: skip


def chart_png(chart: dict[str, Any], scale: int = 2) -> bytes:
    """The chart as a PNG picture (for a Word document), drawn from the same geometry as the
    SVG: the grid and its figures, the bars, the lines, the labels."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    geometry = chart["geometry"]
    image = Image.new("RGB", (geometry["width"] * scale, geometry["height"] * scale), "white")
    draw = ImageDraw.Draw(image)
    try:
        font = ImageFont.truetype(FONT, 12 * scale)
    except OSError:
        font = ImageFont.load_default()

    def at(*points: float) -> list[float]:
        return [p * scale for p in points]

    for tick in geometry["ticks"]:
        draw.line(at(geometry["left"], tick["y"], geometry["width"], tick["y"]),
                  fill=COLOURS["grid"], width=scale)  # fmt: skip
        draw.text(at(geometry["left"] - 4, tick["y"]), tick["text"], font=font,
                  fill=COLOURS["tick"], anchor="rm")  # fmt: skip
    for bar in geometry["bars"]:
        draw.rectangle(at(bar["x"], bar["y"], bar["x"] + bar["width"], bar["y"] + bar["height"]),
                       fill=COLOURS["partial" if bar["partial"] else "bar"],
                       outline=COLOURS["bar"] if bar["partial"] else None)  # fmt: skip
    for line in geometry["lines"]:
        points = [tuple(float(v) * scale for v in p.split(",")) for p in line["points"].split()]
        if len(points) > 1:
            draw.line(points, fill=COLOURS["line"], width=3 * scale // 2 + 1)
        else:
            x, y = points[0]
            draw.ellipse([x - 3 * scale, y - 3 * scale, x + 3 * scale, y + 3 * scale],
                         fill=COLOURS["line"])  # fmt: skip
    for label in geometry["labels"]:
        for index, text in enumerate(label["lines"]):
            draw.text(at(label["x"], geometry["height"] - 36 + 14 * index), text, font=font,
                      fill=COLOURS["tick"], anchor="ms")  # fmt: skip
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
