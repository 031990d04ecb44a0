"""A chart as a picture for a report: its SVG as a data address, so that the PDF tags it as
a figure with its words as the alternative text."""

import base64
from typing import Any

from django import template
from django.template.loader import render_to_string

register = template.Library()


@register.simple_tag
def chart_image(chart: dict[str, Any]) -> str:
    svg = render_to_string("reports/chart_svg.html", {"chart": chart, "number": chart["number"]})
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
