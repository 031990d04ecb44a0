"""A report in every format from one content (`build.Report`): HTML (with a print
stylesheet), PDF drawn from that HTML by WeasyPrint as tagged PDF/UA (title, language,
bookmarks from the headings, a structure tree), DOCX with Word's own heading styles and real
tables, and XLSX with a sheet per section, numbers as numbers."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from maalbilde.lib.spreadsheets import formula_safe
from maalbilde.plans.status import unit_words
from maalbilde.reports.analysis import NetworkAnalysis, analysis_section_title
from maalbilde.reports.build import (
    Figure,
    IndicatorPart,
    Report,
    Table,
    section_title,
    sheet_title,
)
from maalbilde.reports.charts import chart_png

FORMATS = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


STYLESHEET = Path(__file__).with_name("static") / "reports" / "report.css"


def report_html(report: Report, back: str = "") -> str:
    """The report as one HTML document, styled for the screen and for print: as a file, with
    its stylesheet inside; as a page of the site (with a way `back`), with it linked, as
    the site's security policy wants."""
    return render_to_string("reports/report.html", {
        "report": report, "titles": {s: section_title(s) for s in report.sections},
        **_document(report.title, report.owner, back),
    })  # fmt: skip


def _document(title: str, author: str, back: str) -> dict[str, Any]:
    """What every report document has: its title, author and language, and its stylesheet
    inside as a file, linked as a page of the site (with a way `back`)."""
    return {"title": title, "author": author, "back": back,
            "language": translation.get_language() or "nb",
            "css": "" if back else STYLESHEET.read_text(encoding="utf-8")}  # fmt: skip


def report_pdf(report: Report) -> bytes:
    return pdf_from_html(report_html(report))


def pdf_from_html(html: str) -> bytes:
    """A document as tagged PDF (PDF/UA-1): its title and language, a bookmark for every
    heading, and every heading, table, figure and list in the structure tree."""
    from weasyprint import HTML

    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")


def report_bytes(report: Report, kind: str) -> bytes:
    makers: dict[str, Callable[[Report], bytes]] = {
        "html": lambda r: report_html(r).encode("utf-8"), "pdf": report_pdf,
        "docx": report_docx, "xlsx": report_xlsx,
    }  # fmt: skip
    return makers[kind](report)


def _figure_cells(figure: Figure) -> list[str]:
    row = figure.row
    return [row.name, row.organisation_name, row.period, figure.actual, figure.target,
            figure.verdict]  # fmt: skip


def _figure_header() -> list[str]:
    return [_("Indicator"), _("Organisation"), _("Period"), _("Actual"), _("Target"),
            _("Verdict")]  # fmt: skip


# --- Word ------------------------------------------------------------------------------


def report_docx(report: Report) -> bytes:
    from docx import Document

    document = Document()
    properties = document.core_properties
    properties.title = report.title
    properties.language = "en-GB" if translation.get_language() == "en" else "nb-NO"
    properties.author = report.owner
    document.add_heading(report.title, level=0)
    document.add_paragraph(_cover_line(report))
    for section in report.sections:
        if section == "cover" or (section == "funding" and report.funding is None):
            continue
        document.add_heading(section_title(section), level=1)
        if section == "summary":
            counted = [[words, str(count)] for _key, words, count in report.verdict_counts]
            _docx_table(document, [_("Verdict"), _("Targets")], counted)
        elif section == "deviations":
            if not report.deviations:
                document.add_paragraph(_("No target is behind, at risk or not met."))
            _docx_figures(document, report.deviations, comments=True)
        elif section == "focus_areas":
            for area in report.focus_areas:
                document.add_heading(_area_title(area.number, area.title), level=2)
                if area.description:
                    document.add_paragraph(area.description)
                for goal in area.goals:
                    document.add_heading(goal.title, level=3)
                    if goal.status and goal.status.row.verdict:
                        document.add_paragraph(f"{goal.status.verdict}: {goal.status.row.reason}")
                    _docx_indicators(document, goal.indicators)
                if area.indicators:
                    document.add_heading(_("Indicators of %(area)s") % {"area": area.title},
                                         level=3)  # fmt: skip
                    _docx_indicators(document, area.indicators)
        elif section == "initiatives":
            _docx_table(document, [_("Goal"), _("Initiative"), _("Kind"), _("Status"), _("Due")],
                        [[goal, i["title"], str(i["kind"]), str(i["status"]),
                          i["due"].strftime("%d.%m.%Y") if i["due"] else ""]
                         for goal, i in report.initiatives])  # fmt: skip
        elif section == "sources":
            header, rows = _sources_table(report)
            _docx_table(document, header, Table("", header, rows).texts())
        elif section == "funding" and report.funding:
            if report.funding.rows:
                _docx_titled_table(document, report.funding)
            else:
                document.add_paragraph(_funding_none(report))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_indicators(document: Any, parts: list[IndicatorPart]) -> None:
    """The indicators' charts (as pictures, with their words), then their figures."""

    for part in parts:
        _docx_charts(document, part.charts)
    if parts:
        _docx_figures(document, [f for i in parts for f in i.figures] or None,
                      names=[i.name for i in parts])  # fmt: skip


def _docx_charts(document: Any, charts: list[dict[str, Any]]) -> None:
    """Charts as pictures, each with its words as the caption and its figures as a table."""
    from docx.shared import Cm

    for chart in charts:
        document.add_picture(io.BytesIO(chart_png(chart)), width=Cm(15))
        document.add_paragraph(f"{chart['spec'].title}. {chart['spec'].description}",
                               style="Caption")  # fmt: skip
        if chart["rows"]:  # the chart's figures beside it, as on the page
            header = chart.get("columns") or (_("Year"), _("Figure"), _("Target"))
            _docx_table(document, [str(h) for h in header],
                        [[str(r["year"]), str(r["actual"]), str(r["target"])]
                         for r in chart["rows"]])  # fmt: skip


def _docx_figures(
    document: Any, figures: list[Figure] | None, *, comments: bool = False,
    names: list[str] | None = None,
) -> None:  # fmt: skip
    """The figures as a table, with their comments under it; indicators without figures
    named in a line."""
    if figures is None:
        if names:
            document.add_paragraph(_("Indicators without figures: %(names)s.")
                                   % {"names": "; ".join(names)})  # fmt: skip
        return
    _docx_table(document, _figure_header(), [_figure_cells(f) for f in figures])
    for figure in figures:
        said = figure.row.comment if comments or figure.row.comment else None
        if said:
            document.add_paragraph(f"{figure.row.name}: {said}", style="Quote")


def _docx_table(document: Any, header: list[str], rows: list[list[str]]) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    # The first row is the table's header, repeated on every page.
    header_row = table.rows[0]._tr.get_or_add_trPr()
    mark = OxmlElement("w:tblHeader")
    mark.set(qn("w:val"), "true")
    header_row.append(mark)
    for values in rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text


# --- Excel -----------------------------------------------------------------------------

NUMBER_FORMATS = {"percent": '0.0" %"', "nok": '#,##0" kr"', "count": "#,##0"}


def report_xlsx(report: Report) -> bytes:
    """A sheet per section; figures as numbers with a number format by unit, texts that
    look like formulas written as texts."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for section in report.sections:
        if section == "cover":
            continue
        if section == "funding" and report.funding is None:
            continue
        sheet = book.create_sheet(sheet_title(section))
        if section == "summary":
            header, rows = [_("Verdict"), _("Targets")], [
                [words, count] for _key, words, count in report.verdict_counts]  # fmt: skip
        elif section == "deviations":
            header, rows = _figures_sheet([(None, None, f) for f in report.deviations])
        elif section == "focus_areas":
            header, rows = _figures_sheet([
                (_area_title(a.number, a.title), g.title if g else "", f)
                for a, g, f in report.placed_figures()
            ])  # fmt: skip
        elif section == "initiatives":
            header = [_("Goal"), _("Initiative"), _("Kind"), _("Status"), _("Due")]
            rows = [[goal, i["title"], str(i["kind"]), str(i["status"]), i["due"]]
                    for goal, i in report.initiatives]  # fmt: skip
        elif section == "funding" and report.funding:
            header, rows = report.funding.header, report.funding.rows
        else:
            header, rows = _sources_table(report)
        sheet.append([formula_safe(h) for h in header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for values in rows:
            sheet.append([formula_safe(v) if isinstance(v, str) else v for v in values])
        sheet.freeze_panes = "A2"
        if section in ("deviations", "focus_areas"):
            figures = report.deviations if section == "deviations" else [
                f for _area, _goal, f in report.placed_figures()]  # fmt: skip
            _number_formats(sheet, header, figures)
        elif section == "funding":
            for cell in (c for line in sheet.iter_rows(min_row=2) for c in line):
                if isinstance(cell.value, int | float | Decimal):
                    cell.number_format = NUMBER_FORMATS["nok"]
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _figures_sheet(
    placed: list[tuple[str | None, str | None, Figure]],
) -> tuple[list[str], list[list[Any]]]:
    with_place = any(area is not None for area, _goal, _figure in placed)
    header = ([_("Focus area"), _("Goal")] if with_place else []) + [
        _("Indicator"), _("Organisation"), _("Period"), _("Unit"), _("Actual"), _("Target"),
        _("Verdict"), _("Reason"), _("Comment")]  # fmt: skip
    rows = [([area or "", goal or ""] if with_place else []) + [
        f.row.name, f.row.organisation_name, f.row.period, unit_words(f.row), f.row.actual,
        f.row.target, f.verdict, f.row.reason, f.row.comment or ""]
        for area, goal, f in placed]  # fmt: skip
    return header, rows


def _number_formats(sheet: Any, header: list[str], figures: list[Figure]) -> None:
    """The figure and the target of each row in the format of its unit (a growth target's
    as percent, whatever is counted)."""
    unit_column = header.index(_("Unit"))
    for line, figure in zip(sheet.iter_rows(min_row=2), figures, strict=True):
        unit = "percent" if figure.growth else figure.row.unit
        for cell in (line[unit_column + 1], line[unit_column + 2]):
            cell.number_format = NUMBER_FORMATS.get(unit, "#,##0.##")


# --- shared ----------------------------------------------------------------------------


def _cover_line(report: Report) -> str:
    return _("%(plan)s · %(organisation)s · %(year)s · made %(made)s") % {
        "plan": report.plan_title, "organisation": report.organisation, "year": report.year,
        "made": report.made.strftime("%d.%m.%Y")}  # fmt: skip


def _funding_none(report: Report) -> str:
    return _("No money in or out is recorded for %(year)s.") % {"year": report.year}


def _area_title(number: str, title: str) -> str:
    return f"{number}: {title}" if number else title


def _sources_table(report: Report) -> tuple[list[str], list[list[str]]]:
    header = [_("Data"), _("Organisation"), _("Files"), _("Rows"), _("Last imported")]
    return header, [[s.dataset, s.organisation, s.files, s.rows or 0,
                     s.latest.strftime("%d.%m.%Y") if s.latest else ""]
                    for s in report.sources]  # fmt: skip


# --- the network's yearly analysis -------------------------------------------------------

ANALYSIS_FORMATS = ("html", "pdf", "docx")


def analysis_html(
    analysis: NetworkAnalysis, back: str = "", downloads: tuple[tuple[str, str], ...] = ()
) -> str:
    """The analysis as one HTML document; as a page of the site, with a way `back` and the
    addresses of its `downloads` (format, address)."""
    return render_to_string("reports/analysis.html", {
        "analysis": analysis, "tables": analysis.tables(), "downloads": downloads,
        "titles": {s: analysis_section_title(s) for s in analysis.sections},
        **_document(analysis.title, analysis.network, back),
    })  # fmt: skip


def analysis_docx(analysis: NetworkAnalysis) -> bytes:
    """The analysis in Word: the same headings, charts (as pictures) and tables as the page."""
    from docx import Document

    document = Document()
    document.core_properties.title = analysis.title
    document.core_properties.language = "en-GB" if translation.get_language() == "en" else "nb-NO"
    document.core_properties.author = analysis.network
    tables = analysis.tables()
    document.add_heading(analysis.title, level=0)
    _docx_titled_table(document, tables["rounds"])
    document.add_heading(analysis_section_title("development"), level=1)
    _docx_titled_table(document, tables["development"])
    document.add_paragraph(tables["development_note"])
    document.add_heading(analysis_section_title("groups"), level=1)
    for question, table in tables["groups"]:
        document.add_heading(question.label, level=2)
        _docx_charts(document, question.charts)
        _docx_titled_table(document, table)
    if tables["ratios"]:
        document.add_heading(analysis_section_title("ratios"), level=1)
        for words, table, by_group in tables["ratios"]:
            document.add_heading(words[:1].upper() + words[1:], level=2)
            _docx_titled_table(document, table)
            _docx_titled_table(document, by_group)
    if tables["survey"]:
        document.add_heading(analysis_section_title("survey"), level=1)
        for table in tables["survey"]:
            _docx_titled_table(document, table)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def analysis_bytes(analysis: NetworkAnalysis, kind: str) -> bytes:
    if kind == "docx":
        return analysis_docx(analysis)
    html = analysis_html(analysis)
    return pdf_from_html(html) if kind == "pdf" else html.encode("utf-8")


def _docx_titled_table(document: Any, table: Table) -> None:
    document.add_paragraph(table.caption, style="Caption")
    _docx_table(document, table.header, table.texts())
