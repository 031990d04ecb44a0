"""A plan file drafted from a strategy document: the Ringve og Rockheim document gives its
focus areas, 41 goals, 37 indicators, the seven numeric targets with their sites and the
2028 milestone, and a valid plan file; the same text as PDF and as Word gives the same draft;
a file without text to read is refused with a message, never drafted empty."""

import datetime
import io
import zipfile
from html import escape
from pathlib import Path

import docx
import pytest
import yaml
from django.core.management import CommandError, call_command

from maalbilde.plans.draft.building import plan_draft, target_kind, target_year
from maalbilde.plans.draft.text import DocumentRefused, document_text
from maalbilde.plans.files import parse_plan_file

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
RINGVE_ROCKHEIM = next(SEEDS.glob("000_*.txt"))
OWNER = "norges-musikkmuseum-ringve-og-rockheim"


def targets_of(data: dict) -> set[tuple]:
    """(indicator name, organisation, value, kind and its year) for every target."""
    found = set()
    for area in data["focus_areas"]:
        for indicator in area.get("indicators", []):
            for t in indicator.get("targets", []):
                shape = ("by", t["by"]) if "by" in t else ("deadline", t["deadline"]) if (
                    "deadline" in t) else (t.get("comparator"), "each year")  # fmt: skip
                found.add((indicator["name"], t["organisation"], t["value"], *shape))
    return found


def test_the_ringve_rockheim_document_drafts_its_plan(tmp_path, capsys):
    out = tmp_path / "rr-draft.yaml"
    call_command("plan", "draft", str(RINGVE_ROCKHEIM), "-o", str(out))
    said = capsys.readouterr().err
    assert "mål 41, indikatorer 37, tallmål 7, milepæler 1; ikke plassert 0" in said
    text = out.read_text(encoding="utf-8")
    document = parse_plan_file(text.encode())  # a valid plan file
    data = yaml.safe_load(text)
    areas = data["focus_areas"]
    assert [(a.get("number"), a["kind"]) for a in areas] == [(None, "perspective")] + [
        (str(n), "focus_area") for n in range(1, 9)]  # fmt: skip
    assert areas[0]["title"] == "Overordna perspektiv: mangfold og inkludering"
    assert areas[4]["title"] == "Rockheim Hall of Fame"  # the names as the text writes them
    assert sum(len(a["goals"]) for a in areas) == 41
    assert sum(len(a.get("indicators", [])) for a in areas) == 37
    # The seven targets, each on the indicator that measures it, per site where the goal
    # names the sites; the period runs to the latest deadline, 2030.
    end = data["plan"]["end_year"]
    assert end == 2030
    assert targets_of(data) == {
        ("Antall registrerte skole-/barnehagebestillinger per år.", "rockheim", 300, "by", end),
        ("Antall registrerte skole-/barnehagebestillinger per år.", "ringve", 275, "by", end),
        ("Gjennomsnittlig billettsalg i prosent per arrangement.", OWNER, 80, "at_least",
         "each year"),
        ("Totalt årlig besøkstall registrert gjennom billettsystem.", "ringve", 65000, "by", end),
        ("Totalt årlig besøkstall registrert gjennom billettsystem.", "rockheim", 80000, "by",
         end),
        ("Antall avspillinger (podkaster, videoer, digitale ressurser).", OWNER, 1500000,
         "deadline", 2030),
        ("Årlig økonomisk rapport som viser omsetning og vekstrate.", OWNER, 5,
         "growth_at_least", "each year"),
    }  # fmt: skip
    assert {(o["slug"], o["kind"], o.get("parent")) for o in data["organisations"]} == {
        (OWNER, "organisation", None),
        ("ringve", "site", OWNER),
        ("rockheim", "site", OWNER),
    }
    milestones = [i for a in areas for g in a["goals"] for i in g.get("initiatives", [])
                  if i["kind"] == "milestone"]  # fmt: skip
    assert [(m["title"], m["due"]) for m in milestones] == [
        ("Vi har en operativ bevaringsplan", "2028-12-31")
    ]
    # Every guess says what was guessed and from which sentence.
    assert "# GJETTET fra «Øke årlige skole- og barnehagebesøk til 300 på Rockheim og 275 på " \
           "Ringve.»: level_by, sted Rockheim." in text  # fmt: skip
    assert "# GJETTET: Dokumentet oppgir ingen planperiode" in text
    assert document.slug == data["plan"]["slug"]


def _pdf(text: str) -> bytes:
    from weasyprint import HTML

    page = f"<pre style='font: 9pt sans-serif; white-space: pre-wrap'>{escape(text)}</pre>"
    return HTML(string=page).write_pdf()


def _docx(text: str) -> bytes:
    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_the_same_text_as_pdf_and_as_word_gives_the_same_draft():
    text = RINGVE_ROCKHEIM.read_text(encoding="utf-8")
    from_text = plan_draft(document_text(text.encode(), "plan.txt")).data
    from_pdf = plan_draft(document_text(_pdf(text), "plan.pdf")).data
    from_word = plan_draft(document_text(_docx(text), "plan.docx")).data
    assert from_pdf == from_text
    assert from_word == from_text


def test_a_word_files_headings_and_lists_are_read_by_their_styles():
    """Word writes a heading or a bullet as a style, not as text: a heading in lower case,
    with no blank line around it, is a heading still, and a bullet list a list."""
    document = docx.Document()
    document.add_paragraph(f"Strategiplan {THIS_YEAR}–{THIS_YEAR + 3} for Fjordlys kulturhus",
                           style="Title")  # fmt: skip
    for style, text in [
        ("Heading 1", "Innledning"),
        (None, "Fjordlys kulturhus er byens storstue."),
        ("Heading 1", "Publikum og program"),
        ("Heading 2", "Mål"),
        ("List Bullet", "Selge minst 110 000 billetter årlig."),
        ("List Bullet", "Oppnå 80 % belegg i salene."),
        ("Heading 2", "Indikatorer"),
        ("List Bullet", "Antall solgte billetter per år."),
        ("List Bullet", "Belegg i prosent."),
        ("Heading 1", "Drift"),
        ("Heading 2", "Mål"),
        ("List Bullet", "Holde sykefraværet under 4,5 %."),
        ("Heading 2", "Indikatorer"),
        ("List Bullet", "Sykefravær i prosent."),
    ]:
        document.add_paragraph(text, style=style)
    table = document.add_table(rows=2, cols=3)
    rows = [
        ("Indikator", "Status 2024", "Mål 2029"),
        ("Følgere i sosiale medier", "9 500", "15 000"),
    ]
    for row, cells in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    draft = plan_draft(document_text(buffer.getvalue(), "strategi.docx"))
    data = draft.data
    # A table's figures are no targets the rules read, but they are shown, not dropped.
    assert [line.split(": ", 1)[1] for line in draft.unplaced] == [
        "tabellrad: Indikator | Status 2024 | Mål 2029",
        "tabellrad: Følgere i sosiale medier | 9 500 | 15 000",
    ]
    assert (
        data["plan"]["title"] == f"Strategiplan {THIS_YEAR}–{THIS_YEAR + 3} for Fjordlys kulturhus"
    )
    assert data["plan"]["sections"] == [
        {"title": "Innledning", "text": "Fjordlys kulturhus er byens storstue."}
    ]
    owner = data["plan"]["owner"]
    assert [(a["title"], len(a["goals"]), len(a["indicators"])) for a in data["focus_areas"]] == [
        ("Publikum og program", 2, 2),
        ("Drift", 1, 1),
    ]
    assert targets_of(data) == {
        ("Antall solgte billetter per år.", owner, 110_000, "at_least", "each year"),
        ("Belegg i prosent.", owner, 80, "at_least", "each year"),
        ("Sykefravær i prosent.", owner, 4.5, "at_most", "each year"),
    }


@pytest.mark.parametrize(("columns", "page"), [(2, "A4"), (3, "A4 landscape")])
def test_a_pdf_in_columns_is_read_one_column_after_the_other(columns, page):
    """A designer's layout: the text in two or three columns. Read side by side, the
    columns' lines would be mixed; read in order, the focus areas, goals, indicators and
    targets are the text's (the chapters' paragraphs run together, which no count depends
    on), also where an item or a heading goes on after a line left blank."""
    from weasyprint import HTML

    text = RINGVE_ROCKHEIM.read_text(encoding="utf-8")
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n\n"))
    pdf = HTML(string=f"<style>@page {{ size: {page} }} body {{ columns: {columns}; "
                      "font: 8.5pt sans-serif } p { margin: 0 0 .8em; white-space: pre-wrap }"
                      f"</style>{paragraphs}").write_pdf()  # fmt: skip
    from_text = plan_draft(document_text(text.encode(), "plan.txt")).data
    from_columns = plan_draft(document_text(pdf, "plan.pdf")).data
    assert from_columns["focus_areas"] == from_text["focus_areas"]
    assert targets_of(from_columns) == targets_of(from_text)


def _locked_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf("Mål:\n• Øke besøket."))))
    writer.encrypt("hemmelig")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _picture_only_pdf() -> bytes:
    from weasyprint import HTML

    return HTML(string="<div style='width:10cm;height:10cm;background:#345'></div>").write_pdf()


def _bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (64 << 20))
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "make", "says"), [
    ("tom.txt", lambda: b"   \n\n  ", "har ingen tekst å lese"),
    ("skannet.pdf", _picture_only_pdf, "En skannet PDF har bare bilder av sidene"),
    ("last.pdf", _locked_pdf, "låst med passord"),
    ("ikke.pdf", lambda: b"Dette er ikke en PDF", "ikke det PDF- eller Word-dokumentet navnet"),
    ("skadet.pdf", lambda: b"%PDF-1.7\n1 0 obj <<", "PDF-en er skadet"),
    ("bombe.docx", _bomb, "pakkes ut til langt mer"),
    ("ikke.docx", lambda: _zip_of_text(), "kan ikke leses som et Word-dokument"),
    ("binær.txt", lambda: b"\x00\x01\x02" * 100, "verken tekst, PDF eller Word"),
])  # fmt: skip
def test_a_file_without_text_to_read_gets_a_message(name, make, says):
    with pytest.raises(DocumentRefused) as refused:
        document_text(make(), name)
    assert says in refused.value.message


def _zip_of_text() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "Mål: øke besøket")
    return buffer.getvalue()


def test_a_document_without_goals_is_refused_and_nothing_is_written(tmp_path):
    path = tmp_path / "brev.txt"
    path.write_text("Kjære styre,\n\ntakk for et godt år. Vi gleder oss til neste.\n",
                    encoding="utf-8")  # fmt: skip
    out = tmp_path / "utkast.yaml"
    with pytest.raises(CommandError, match="fant ingen mål"):
        call_command("plan", "draft", str(path), "-o", str(out))
    assert not out.exists()


def test_reading_stops_at_the_time_limit(settings):
    settings.STRATEGY_DOCUMENT_SECONDS = 0
    with pytest.raises(DocumentRefused, match="innen 0 sekunder"):
        document_text(_docx("Mål:\n• Øke besøket til 300."), "plan.docx")


THIS_YEAR = datetime.date.today().year
HOUSE = f"""Strategi {THIS_YEAR}–{THIS_YEAR + 3} for Havnekonserthuset

1: PUBLIKUM OG ØKONOMI

Mål:

•\tOppnå 10 % årlig vekst i billettinntektene.

•\tRedusere registreringsetterslepet med 25 % innen {THIS_YEAR + 2}, målt mot {THIS_YEAR - 1}.

Indikator:

•\tAntall solgte billetter per år.

•\tBillettinntekter i kroner.

•\tAntall uregistrerte gjenstander i etterslep.

2: ARBEIDSMILJØ

Mål:

•\tSykefraværet skal være under 4,5 % innen {THIS_YEAR + 1}.

•\tGi alle 5.-klassinger i kommunen et konsertbesøk hvert år.

Indikator:

•\tAndel ansatte som svarer i medarbeiderundersøkelsen.

•\tSykefravær i prosent.
"""


def test_targets_go_on_the_indicator_that_measures_them_and_lower_is_better_is_kept():
    """A growth in ticket income on the income, not on the tickets sold; a cut in the backlog
    on the backlog, not on a share; a level to come down to judged as at most; a class year
    no target."""
    draft = plan_draft(HOUSE)
    data = draft.data
    placed = {(indicator["name"], indicator.get("direction"), target.get("comparator"),
               target.get("kind"), target["value"], target.get("by"))
              for area in data["focus_areas"] for indicator in area.get("indicators", [])
              for target in indicator.get("targets", [])}  # fmt: skip
    assert placed == {
        ("Billettinntekter i kroner.", None, "growth_at_least", None, 10, None),
        (
            "Antall uregistrerte gjenstander i etterslep.",
            None,
            None,
            "change_by",
            -25,
            THIS_YEAR + 2,
        ),
        ("Sykefravær i prosent.", "decrease", None, None, 4.5, THIS_YEAR + 1),
    }
    assert (data["plan"]["title"], data["plan"]["start_year"], data["plan"]["end_year"]) == (
        f"Strategi {THIS_YEAR}–{THIS_YEAR + 3} for Havnekonserthuset",
        THIS_YEAR,
        THIS_YEAR + 3,
    )
    normal = parse_plan_file(draft.yaml.encode()).data
    sickness = next(i for a in normal["focus_areas"] for i in a["indicators"]
                    if i["name"] == "Sykefravær i prosent.")  # fmt: skip
    assert sickness["targets"][0]["comparator"] == "at_most"


def test_the_vision_and_values_go_on_over_a_line_break():
    from maalbilde.plans.draft.outline import outline_of

    outline = outline_of("Visjon: Alle i regionen skal ha et\nforhold til huset.\n\n"
                         "Verdier: raus, nysgjerrig og\nbærekraftig.\n")  # fmt: skip
    assert outline.vision == "Alle i regionen skal ha et forhold til huset."
    assert outline.values == [("raus", ""), ("nysgjerrig", ""), ("bærekraftig", "")]


FJORD = f"""Kulturhuset Fjordlys
Strategiplan {THIS_YEAR}–{THIS_YEAR + 3}

Kulturhuset Fjordlys er regionens scene for musikk, teater og møter.

Verdier:
Raus, modig, profesjonell

Hovedmål for perioden:
Fjordlys skal være regionens foretrukne scene for hele lokalsamfunnet.

1. INNSATSOMRÅDER

Planen har to innsatsområder:

1. Publikum
2. Drift

INNSATSOMRÅDE 1: PUBLIKUM

Mål:
• Gjennomføre 300 konserter i året, 180 på Store scene og 120 på Lille scene.
• Halvere ventetida for en plass på kurs innen {THIS_YEAR + 2}.
• Publisere 200 konsertopptak på Strømmeportalen innen {THIS_YEAR + 3}.

Indikatorer:
• Antall konserter per scene.
• Andel av kursplassene som er fylt.
• Gjennomsnittlig ventetid i måneder.
• Antall konsertopptak publisert.

INNSATSOMRÅDE 2: DRIFT

Mål:
• Alle ansatte skal ha en individuell kompetanseplan.
• Alle vaktene skal ha gjennomført brannkurs innen {THIS_YEAR + 1}.
• Øke sponsorinntektene til kr 2 mill. innen {THIS_YEAR + 3}.

Indikatorer:
• Andel ansatte med individuell kompetanseplan.
• Sponsorinntekter (kr).

Overordnet perspektiv: Tilgjengelighet
Mål:
• Tilrettelagte plasser på alle forestillinger.

Oppfølging

Daglig leder rapporterer til styret hvert tertial.
"""


def test_a_document_in_another_hand_gives_every_area_goal_and_target():
    """The name above the title, a list of the areas before them, an area heading in
    lower case, a whole and its parts, a halving on what it halves, "alle" as 100 % where a
    share measures it and as a milestone where none does, and a place named once that is no
    site."""
    draft = plan_draft(FJORD)
    data = draft.data
    plan = data["plan"]
    assert (plan["title"], plan["owner"]) == (
        f"Strategiplan {THIS_YEAR}–{THIS_YEAR + 3} for Kulturhuset Fjordlys",
        "kulturhuset-fjordlys",
    )
    assert plan["values"] == [{"name": "Raus"}, {"name": "modig"}, {"name": "profesjonell"}]
    assert "Fjordlys skal være regionens foretrukne scene" in plan["introduction"]
    # The list of the areas is no focus area of its own; its lead-in stays as text. A
    # chapter's heading may be written in lower case.
    assert plan["sections"] == [
        {"number": "1", "title": "Innsatsområder", "text": "Planen har to innsatsområder:"},
        {"title": "Oppfølging", "text": "Daglig leder rapporterer til styret hvert tertial."},
    ]
    areas = [(a.get("number"), a["title"], a["kind"], len(a["goals"]))
             for a in data["focus_areas"]]  # fmt: skip
    assert areas == [
        (None, "Overordnet perspektiv: Tilgjengelighet", "perspective", 1),
        ("1", "Publikum", "focus_area", 3),
        ("2", "Drift", "focus_area", 3),
    ]
    placed = {(indicator["name"], target["organisation"], target_kind(target), target["value"],
               target_year(target))
              for area in data["focus_areas"] for indicator in area.get("indicators", [])
              for target in indicator.get("targets", [])}  # fmt: skip
    owner, last = "kulturhuset-fjordlys", THIS_YEAR + 3
    assert placed == {
        ("Antall konserter per scene.", owner, "floor", 300, None),
        ("Antall konserter per scene.", "store-scene", "floor", 180, None),
        ("Antall konserter per scene.", "lille-scene", "floor", 120, None),
        ("Gjennomsnittlig ventetid i måneder.", owner, "change_by", -50, THIS_YEAR + 2),
        ("Antall konsertopptak publisert.", owner, "total", 200, last),
        ("Andel ansatte med individuell kompetanseplan.", owner, "level_by", 100, last),
        ("Sponsorinntekter (kr).", owner, "level_by", 2_000_000, last),
    }
    drift = data["focus_areas"][2]
    milestones = [(i["title"], i["due"]) for g in drift["goals"] for i in g.get("initiatives", [])]
    assert milestones == [("Alle vaktene skal ha gjennomført brannkurs", f"{THIS_YEAR + 1}-12-31")]
    units = {i["name"]: i["unit"] for a in data["focus_areas"] for i in a.get("indicators", [])}
    assert units["Sponsorinntekter (kr)."] == "nok"
    assert {o["slug"] for o in data["organisations"]} == {owner, "store-scene", "lille-scene"}
    assert "«Strømmeportalen» er ikke lest som et sted" in draft.yaml
    parse_plan_file(draft.yaml.encode())  # a valid plan file: raises PlanFileInvalid if not


DANCE = f"""STRATEGI FOR DANSEKYST {THIS_YEAR}–{THIS_YEAR + 4}
Regionalt dansesenter for Sunnmøre og Nordfjord

Dansekyst er det regionale dansesenteret for Sunnmøre og Nordfjord.

Strategien har to hovudmål:
Hovudmål 1: Kunstnarleg utvikling
Hovudmål 2: Publikum og økonomi

Visjonen vår er at alle i regionen skal få danse.

Verdiar
• Open – me tek imot alle.
• Raus – me deler det me kan.


1 KUNSTNARLEG UTVIKLING

1.1 Me skal gje minst 8 residensar til dansekunstnarar kvart år.
Indikator: Tal på residensar
1.2 Innan {THIS_YEAR + 2} skal me ha ein fast residensavtale med Stad kulturhus.
Indikator: Avtale underskriven (ja/nei)


2 PUBLIKUM OG
ØKONOMI

2.1 Talet på publikummarar skal aukast til 9 000 i {THIS_YEAR + 4} (mot 6 500 i {THIS_YEAR - 1}).
Indikator: Tal på publikummarar
2.2 Me skal hente inn til saman 1,8 mill. kroner i eksterne midlar innan {THIS_YEAR + 2}.
Indikator: Tilsegn på søknader, i kroner
2.3 Eigeninntektene skal vokse med 5 % kvart år.
Indikator: Eigeninntekter i kroner

Tiltak i perioden:
- Tilsetje ein produsent i 60 % stilling.
- Ny nettstad med påmelding innan {THIS_YEAR + 1}.
"""


def test_goals_numbered_with_an_indicator_under_each_are_read():
    """Numbered goals with no "Mål:" label and each goal's indicator on the line under it:
    the indicator measures that goal and holds its targets, whatever words they share. The
    focus areas named first in the introduction are no focus areas of their own."""
    draft = plan_draft(DANCE)
    data = draft.data
    plan = data["plan"]
    assert (plan["title"], plan["owner"]) == (
        f"Strategi for Dansekyst {THIS_YEAR}–{THIS_YEAR + 4}",
        "dansekyst",
    )
    assert plan["vision"] == "alle i regionen skal få danse"
    assert plan["values"] == [
        {"name": "Open", "description": "me tek imot alle."},
        {"name": "Raus", "description": "me deler det me kan."},
    ]
    areas = data["focus_areas"]
    assert [(a["number"], a["title"], len(a["goals"]), len(a["indicators"])) for a in areas] == [
        ("1", "Kunstnarleg utvikling", 2, 2),
        ("2", "Publikum og økonomi", 3, 3),
    ]
    for area in areas:  # each indicator measures the goal it stands under
        assert [i["measures"] for i in area["indicators"]] == [[g["slug"]] for g in area["goals"]]
    assert targets_of(data) == {
        ("Tal på residensar", "dansekyst", 8, "at_least", "each year"),
        ("Tal på publikummarar", "dansekyst", 9000, "by", THIS_YEAR + 4),
        ("Tilsegn på søknader, i kroner", "dansekyst", 1_800_000, "deadline", THIS_YEAR + 2),
        ("Eigeninntekter i kroner", "dansekyst", 5, "growth_at_least", "each year"),
    }
    audience = areas[1]["indicators"][0]["targets"][0]
    assert audience["baseline"] == {"year": THIS_YEAR - 1, "value": 6500}
    milestones = {(i["title"], i["due"]) for a in areas for g in a["goals"]
                  for i in g.get("initiatives", []) if i.get("kind") == "milestone"}  # fmt: skip
    assert milestones == {
        ("Me skal ha ein fast residensavtale med Stad kulturhus", f"{THIS_YEAR + 2}-12-31"),
        ("Ny nettstad med påmelding", f"{THIS_YEAR + 1}-12-31"),  # an initiative with a date
    }
    parse_plan_file(draft.yaml.encode())


LETTER = f"""Fra: Kari Nordby
Emne: Strategien, endelig versjon

Hei alle sammen, her er strategien slik styret vedtok den.

---

Strategi for Åsen bygdemuseum {THIS_YEAR}–{THIS_YEAR + 3}

Visjonen vår er at alle i Åsen skal kjenne historien til bygda si.

Satsingsområde 1 – Publikum
Vi skal ha 4 000 besøkende i {THIS_YEAR + 3} (mot 3 100 i {THIS_YEAR - 1}). Minst to nye
utstillinger i året. Andelen besøkende under 18 år skal opp til 25 %.
Vi måler: antall besøkende (billettkassa og gratisdagene), antall nye utstillinger og
andel besøkende under 18 år.

Satsingsområde 2 – Frivillighet
Vi skal doble antall dugnadstimer innen {THIS_YEAR + 3}.
Vi måler: dugnadstimer (timelister).

---

Si fra innen fredag hvis noe må endres.
"""


def test_focus_areas_written_as_running_text_are_read_sentence_by_sentence():
    """A strategy pasted from an e-mail: each named focus area's sentences are its goals,
    "Vi måler: a, b og c" its indicators, and the greeting and the signature no part of it."""
    data = plan_draft(LETTER).data
    assert (data["plan"]["title"], data["plan"]["vision"]) == (
        f"Strategi for Åsen bygdemuseum {THIS_YEAR}–{THIS_YEAR + 3}",
        "alle i Åsen skal kjenne historien til bygda si",
    )
    areas = data["focus_areas"]
    assert [(a["number"], a["title"]) for a in areas] == [("1", "Publikum"), ("2", "Frivillighet")]
    assert [g["title"] for g in areas[0]["goals"]] == [
        f"Vi skal ha 4 000 besøkende i {THIS_YEAR + 3} (mot 3 100 i {THIS_YEAR - 1}).",
        "Minst to nye utstillinger i året.",
        "Andelen besøkende under 18 år skal opp til 25 %.",
    ]
    assert [i["name"] for a in areas for i in a["indicators"]] == [
        "Antall besøkende (billettkassa og gratisdagene)",
        "Antall nye utstillinger",
        "Andel besøkende under 18 år",
        "Dugnadstimer (timelister)",
    ]
    owner, last = data["plan"]["owner"], THIS_YEAR + 3
    assert targets_of(data) == {
        ("Antall besøkende (billettkassa og gratisdagene)", owner, 4000, "by", last),
        ("Antall nye utstillinger", owner, 2, "at_least", "each year"),
        ("Andel besøkende under 18 år", owner, 25, "by", last),
        ("Dugnadstimer (timelister)", owner, 100, "by", last),
    }
    assert "Si fra innen fredag" not in str(areas)
