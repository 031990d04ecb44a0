"""Goal and indicator sentences of Norwegian strategy documents, in bokmål and nynorsk, give
the targets and milestones a person would write in a plan file, or none and the numbers left
over, never a wrong number in silence.

Every expected value below is worked out by hand from the sentence and docs/plan-file.md
("targets[]"): (value, unit, kind, deadline, site, baseline year).
"""

import pytest

from maalbilde.plans.draft.sentences import (
    MilestoneGuess,
    milestone_in,
    targets_in,
    unplaced_numbers,
)

NBSP, NNBSP, THIN = "\u00a0", "\u202f", "\u2009"

# The goals of «Strategiplan for Norges musikkmuseum – Ringve og Rockheim», each as written
# there with its line breaks joined.
RR_SCHOOL_VISITS = "Øke årlige skole- og barnehagebesøk til 300 på Rockheim og 275 på Ringve."
RR_OCCUPANCY = "Oppnå 80 % belegg på arrangementer."
RR_VISITORS = "Øke det totale årlige besøkstallet til 65 000 på Ringve og 80 000 på Rockheim."
RR_PLAYS = "Nå minst 1,5 millioner avspillinger på digitale formidlingstilbud innen 2030."
RR_OWN_INCOME = "Oppnå 5 % årlig vekst i museets egeninntjening (butikk, utleie og arrangement)."
RR_CONSERVATION_PLAN = "Vi har en operativ bevaringsplan (2028)."
# As the PDF's text has it, with the list's bullet and tab.
RR_CONSERVATION_PLAN_RAW = "•\t Vi har en operativ bevaringsplan (2028). "
RR_PROFESSIONAL = "Styrke faglig utvikling internt gjennom kompetanseheving og deling."

TARGETS = [
    # --- Ringve og Rockheim, as written ---
    pytest.param(
        RR_SCHOOL_VISITS,
        [
            (300, "count", "level_by", None, "Rockheim", None),
            (275, "count", "level_by", None, "Ringve", None),
        ],
        id="rr-school-visits-two-sites",
    ),
    pytest.param(
        # As the PDF's text has it: a bullet, a tab, two spaces and a line break.
        "•\t Øke årlige skole- og barnehagebesøk til  \n300 på Rockheim og 275 på Ringve.",
        [
            (300, "count", "level_by", None, "Rockheim", None),
            (275, "count", "level_by", None, "Ringve", None),
        ],
        id="rr-school-visits-raw-bullet-and-line-break",
    ),
    pytest.param(RR_OCCUPANCY, [(80, "percent", "floor", None, None, None)], id="rr-occupancy"),
    pytest.param(
        RR_VISITORS,
        [
            (65_000, "count", "level_by", None, "Ringve", None),
            (80_000, "count", "level_by", None, "Rockheim", None),
        ],
        id="rr-visitors-two-sites",
    ),
    pytest.param(RR_PLAYS, [(1_500_000, "count", "total", 2030, None, None)], id="rr-plays-total"),
    pytest.param(
        RR_OWN_INCOME, [(5, "percent", "growth", None, None, None)], id="rr-own-income-growth"
    ),
    pytest.param(RR_CONSERVATION_PLAN, [], id="rr-conservation-plan-is-a-milestone"),
    pytest.param(RR_PROFESSIONAL, [], id="rr-qualitative"),
    pytest.param(
        "Utvikle nye pedagogiske tilbud for skole og barnehage hvert år.",
        [],
        id="rr-qualitative-each-year",
    ),
    pytest.param("Antall registrerte skole-/barnehagebestillinger per år.", [], id="rr-indicator"),
    # --- bokmål ---
    pytest.param(
        "Redusere energiforbruket med 15 % innen 2028.",
        [(-15, "percent", "change_by", 2028, None, None)],
        id="reduce-by-per-cent",
    ),
    pytest.param(
        "Redusere energiforbruket med 15 % innen 2028, målt mot 2025.",
        [(-15, "percent", "change_by", 2028, None, 2025)],
        id="reduce-by-measured-against",
    ),
    pytest.param(
        "Redusere klimagassutslippene med 15 % fra 2025 til 2028.",
        [(-15, "percent", "change_by", 2028, None, 2025)],
        id="reduce-from-year-to-year",
    ),
    pytest.param(
        "Kutte matsvinnet med 20 % innen 2027 sammenlignet med 2023.",
        [(-20, "percent", "change_by", 2027, None, 2023)],
        id="cut-compared-with",
    ),
    pytest.param(
        "Redusere utslippene med 20 % innen 31.12.2029.",
        [(-20, "percent", "change_by", 2029, None, None)],
        id="reduce-by-a-date",
    ),
    pytest.param(
        "Øke antall skolebesøk med 10 % fra 2023-nivå innen 2030.",
        [(10, "percent", "change_by", 2030, None, 2023)],
        id="increase-from-year-level",
    ),
    pytest.param(
        "Oppnå 15 % lavere energiforbruk innen 2028.",
        [(-15, "percent", "change_by", 2028, None, None)],
        id="per-cent-lower",
    ),
    pytest.param(
        "Øke de årlige inntektene med 10 % innen 2028.",
        [(10, "percent", "change_by", 2028, None, None)],
        id="yearly-noun-is-no-growth-rate",
    ),
    pytest.param(
        "Holde sykefraværet under 5 %.",
        [(5, "percent", "ceiling", None, None, None)],
        id="hold-under",
    ),
    pytest.param(
        "Sykefraværet skal ikke være over 5,5 prosent.",
        [(5.5, "percent", "ceiling", None, None, None)],
        id="not-over-decimal-comma",
    ),
    pytest.param(
        "Sykefraværet skal ikke overstige 5 %.",
        [(5, "percent", "ceiling", None, None, None)],
        id="not-exceed",
    ),
    pytest.param(
        "Sykefraværet skal være under 5 % innen 2027.",
        [(5, "percent", "level_by", 2027, None, None)],
        id="under-by-deadline",
    ),
    pytest.param(
        "Redusere avfallet til høyst 12 tonn per år.",
        [(12_000, "kg", "ceiling", None, None, None)],
        id="at-most-tonnes",
    ),
    pytest.param(
        "Redusere energiforbruket til under 400 000 kWh innen 2028.",
        [(400_000, "kwh", "level_by", 2028, None, None)],
        id="down-to-under-kwh",
    ),
    pytest.param(
        "Øke antall frivillige til 120 innen 2027.",
        [(120, "count", "level_by", 2027, None, None)],
        id="increase-to-by",
    ),
    pytest.param(
        "Øke besøket til 65.000 innen 2030.",
        [(65_000, "count", "level_by", 2030, None, None)],
        id="dot-thousands",
    ),
    pytest.param(
        f"Øke besøket til 65{NBSP}000 innen 2030.",
        [(65_000, "count", "level_by", 2030, None, None)],
        id="no-break-space-thousands",
    ),
    pytest.param(
        f"Øke besøkstallet til 65{THIN}000 på Ringve og 80{NNBSP}000 på Rockheim "
        "innen utgangen av 2030.",
        [
            (65_000, "count", "level_by", 2030, "Ringve", None),
            (80_000, "count", "level_by", 2030, "Rockheim", None),
        ],
        id="thin-space-thousands-two-sites",
    ),
    pytest.param(
        "Øke besøkstallet fra 50 000 til 65 000 innen 2030.",
        [(65_000, "count", "level_by", 2030, None, None)],
        id="from-value-to-value",
    ),
    pytest.param(
        "Øke besøket til 65 000 innen 2030 sammenlignet med nivået i 2023.",
        [(65_000, "count", "level_by", 2030, None, 2023)],
        id="compared-with-the-level-in",
    ),
    pytest.param(
        "Øke antall utlån til 500 i 2027.",
        [(500, "count", "level_by", 2027, None, None)],
        id="deadline-after-i",
    ),
    pytest.param(
        "Øke antall medlemmer til 2000 innen 2028.",
        [(2000, "count", "level_by", 2028, None, None)],
        id="year-like-value-after-til",
    ),
    pytest.param(
        "1. Øke antall medlemmer til 2 500 innen 2026.",
        [(2500, "count", "level_by", 2026, None, None)],
        id="list-number-is-no-value",
    ),
    pytest.param(
        "Øke antall følgere til 20 tusen innen 2026.",
        [(20_000, "count", "level_by", 2026, None, None)],
        id="thousand-word",
    ),
    pytest.param(
        "Øke sponsorinntektene til NOK 2,5 millioner innen 2029.",
        [(2_500_000, "nok", "level_by", 2029, None, None)],
        id="nok-millions",
    ),
    pytest.param(
        "Øke samlet omsetning i nettverket til 2 mrd kroner innen 2030.",
        [(2_000_000_000, "nok", "level_by", 2030, None, None)],
        id="billions-of-kroner",
    ),
    pytest.param(
        "Skaffe 2,5 mill. kroner i eksterne midler innen 2028.",
        [(2_500_000, "nok", "total", 2028, None, None)],
        id="mill-kroner-raised-by",
    ),
    pytest.param(
        "Sponsorinntekter på minst kr 150 000 hvert år.",
        [(150_000, "nok", "floor", None, None, None)],
        id="kr-at-least-each-year",
    ),
    pytest.param(
        "Øke bemanningen til 12,5 årsverk innen 2027.",
        [(12.5, "fte", "level_by", 2027, None, None)],
        id="full-time-equivalents",
    ),
    pytest.param(
        "Gjennomføre minst 200 timer kompetanseheving per år.",
        [(200, "hours", "floor", None, None, None)],
        id="hours-at-least-per-year",
    ),
    pytest.param(
        "Øke publikumstilfredsheten til en score på 5,2 innen 2028.",
        [(5.2, "score", "level_by", 2028, None, None)],
        id="score",
    ),
    pytest.param(
        "Ha minst 300 skolebesøk hvert år.",
        [(300, "count", "floor", None, None, None)],
        id="at-least-each-year",
    ),
    pytest.param(
        "Minimum 40 konserter årlig.", [(40, "count", "floor", None, None, None)], id="minimum"
    ),
    pytest.param(
        "Fra 2026 skal vi ha minst 300 skolebesøk hvert år.",
        [(300, "count", "floor", None, None, None)],
        id="from-year-is-no-value",
    ),
    pytest.param(
        "Oppnå ca. 300 skolebesøk hvert år.",
        [(300, "count", "floor", None, None, None)],
        id="approximately",
    ),
    pytest.param(
        "Gjennomføre 12 konserter i året.",
        [(12, "count", "floor", None, None, None)],
        id="so-many-a-year",
    ),
    pytest.param(
        "Minst 80 % av samlingen skal være registrert innen 2028.",
        [(80, "percent", "level_by", 2028, None, None)],
        id="at-least-per-cent-by",
    ),
    pytest.param(
        "Digitalisere 5 000 gjenstander innen 2030.",
        [(5000, "count", "total", 2030, None, None)],
        id="things-made-by",
    ),
    pytest.param(
        "Oppnå 4 000 besøkende ved Ringve innen 2027.",
        [(4000, "count", "level_by", 2027, "Ringve", None)],
        id="site-after-ved",
    ),
    pytest.param(
        "Ha 300 skolebesøk på Rockheim, 275 på Ringve og 150 på Sverresborg hvert år.",
        [
            (300, "count", "floor", None, "Rockheim", None),
            (275, "count", "floor", None, "Ringve", None),
            (150, "count", "floor", None, "Sverresborg", None),
        ],
        id="three-sites",
    ),
    pytest.param(
        "Nå 90 % kundetilfredshet fram mot 2030.",
        [(90, "percent", "level_by", 2030, None, None)],
        id="reach-per-cent-towards",
    ),
    pytest.param(
        "Egeninntjeningen skal økes med 10 % årlig.",
        [(10, "percent", "growth", None, None, None)],
        id="increase-by-per-cent-yearly",
    ),
    pytest.param(
        "Vekst på 5 % per år i billettinntektene.",
        [(5, "percent", "growth", None, None, None)],
        id="growth-per-year",
    ),
    pytest.param(
        "Øke antall besøkende under festivalen til 5 000.",
        [(5000, "count", "level_by", None, None, None)],
        id="under-meaning-during",
    ),
    pytest.param(
        "Museet skal være et møtested hvor musikk og mennesker står i sentrum.",
        [],
        id="qualitative",
    ),
    pytest.param("Delta i ICT-2 og levere rapport innen 2027.", [], id="number-in-a-name"),
    pytest.param(
        "Øke andelen digitaliserte gjenstander med 10 prosentpoeng.",
        [],
        id="percentage-points-unplaced",
    ),
    pytest.param("Øke besøket med 10 000 besøkende.", [], id="absolute-change-unplaced"),
    pytest.param(
        "Øke antall medlemmer til 300 og antall frivillige til 40.",
        [],
        id="two-numbers-no-sites-unplaced",
    ),
    pytest.param("Nå 300 besøkende innen 2027 og 400 innen 2030.", [], id="two-deadlines-unplaced"),
    pytest.param(
        "Øke besøket til 50 000 på Rockheim og 20 % på Ringve.",
        [],
        id="two-units-unplaced",
    ),
    pytest.param("Redusere avfallet med 2 % årlig.", [], id="yearly-fall-unplaced"),
    # --- nynorsk ---
    pytest.param(
        "Auke talet på konsertar til 40 innan 2027.",
        [(40, "count", "level_by", 2027, None, None)],
        id="nn-auke-til-innan",
    ),
    pytest.param(
        "Talet på skuleelevar skal aukast til 2 500 innan 2029.",
        [(2500, "count", "level_by", 2029, None, None)],
        id="nn-aukast-til",
    ),
    pytest.param(
        "Auke talet på besøkande til 30 000 på Ringve og 45 000 på Rockheim fram mot 2030.",
        [
            (30_000, "count", "level_by", 2030, "Ringve", None),
            (45_000, "count", "level_by", 2030, "Rockheim", None),
        ],
        id="nn-two-sites-fram-mot",
    ),
    pytest.param(
        "Nå 50 000 besøkande seinast 2029.",
        [(50_000, "count", "level_by", 2029, None, None)],
        id="nn-seinast",
    ),
    pytest.param(
        "Halde sjukefråværet under 5 %.",
        [(5, "percent", "ceiling", None, None, None)],
        id="nn-halde-under",
    ),
    pytest.param(
        "Sjukefråværet skal ikkje vere over 6 prosent.",
        [(6, "percent", "ceiling", None, None, None)],
        id="nn-ikkje-vere-over",
    ),
    pytest.param(
        "Redusere avfallet til høgst 8 tonn i året.",
        [(8000, "kg", "ceiling", None, None, None)],
        id="nn-hogst-tonn",
    ),
    pytest.param(
        "Auke eigeninntektene med 5 % årleg.",
        [(5, "percent", "growth", None, None, None)],
        id="nn-auke-med-arleg",
    ),
    pytest.param(
        "Auke besøkstalet med 10 % innan 2027.",
        [(10, "percent", "change_by", 2027, None, None)],
        id="nn-auke-med-innan",
    ),
    pytest.param(
        "Redusere energibruken med 15 % innan 2028, samanlikna med 2022.",
        [(-15, "percent", "change_by", 2028, None, 2022)],
        id="nn-samanlikna-med",
    ),
    pytest.param(
        "Kutte utsleppa med 20 % frå 2023-nivå innan 2030.",
        [(-20, "percent", "change_by", 2030, None, 2023)],
        id="nn-fra-niva",
    ),
    pytest.param(
        "Ha minst 200 skulebesøk kvart år.",
        [(200, "count", "floor", None, None, None)],
        id="nn-minst-kvart-ar",
    ),
    pytest.param(
        "Ikkje færre enn 12 utstillingar per år.",
        [(12, "count", "floor", None, None, None)],
        id="nn-ikkje-faerre-enn",
    ),
    pytest.param(
        "Museet skal ha minst 40 000 besøkjande årleg.",
        [(40_000, "count", "floor", None, None, None)],
        id="nn-minst-arleg",
    ),
    pytest.param(
        "Kvart år skal me ha minst 30 konsertar.",
        [(30, "count", "floor", None, None, None)],
        id="nn-kvart-ar-first",
    ),
    pytest.param(
        "Gje 500 timar undervisning til skulane kvart år.",
        [(500, "hours", "floor", None, None, None)],
        id="nn-timar",
    ),
    pytest.param(
        "Oppnå 85 prosent belegg på framsyningane.",
        [(85, "percent", "floor", None, None, None)],
        id="nn-prosent-belegg",
    ),
    pytest.param(
        "Auke sponsorinntektene til 1,2 mill. kroner innan 2028.",
        [(1_200_000, "nok", "level_by", 2028, None, None)],
        id="nn-mill-kroner",
    ),
    pytest.param(
        "Auke talet på frivillige frå 80 til 120 innan 2028.",
        [(120, "count", "level_by", 2028, None, None)],
        id="nn-fra-verdi-til-verdi",
    ),
    pytest.param("Museet skal vere ein open og inkluderande møtestad.", [], id="nn-qualitative"),
    pytest.param(
        "Nå 50 000 besøkende på Nordmøre og 30 000 i Romsdal innen 2029.",
        [
            (50_000, "count", "level_by", 2029, "Nordmøre", None),
            (30_000, "count", "level_by", 2029, "Romsdal", None),
        ],
        id="sites-after-pa-and-i",
    ),
    pytest.param(
        "2,5 millioner kroner i sponsorinntekter innen 2027.",
        [(2_500_000, "nok", "level_by", 2027, None, None)],
        id="no-verb-a-level-by-the-deadline",
    ),
    # An ordinal is no target: a class, a school year.
    pytest.param(
        "Gi alle 5.-klassinger i kommunen et konsertbesøk hvert år.", [], id="ordinal-class"
    ),
    pytest.param("Elevar på 10. trinn skal få tilbod om konsert.", [], id="nn-ordinal-trinn"),
    # A change by a multiple: halving is -50 %, doubling +100 %, tripling +200 %.
    pytest.param(
        "Halvere matsvinnet i kafeen innen 2028.",
        [(-50, "percent", "change_by", 2028, None, None)],
        id="halvere",
    ),
    pytest.param(
        "Doble antall abonnementskunder innen 2028.",
        [(100, "percent", "change_by", 2028, None, None)],
        id="doble",
    ),
    pytest.param(
        "Me skal halvera ventelista innan 2027, samanlikna med 2025.",
        [(-50, "percent", "change_by", 2027, None, 2025)],
        id="nn-halvera-with-baseline-year",
    ),
    pytest.param(
        "Tredoble talet på konsertar fram mot 2030.",
        [(200, "percent", "change_by", 2030, None, None)],
        id="nn-tredoble",
    ),
    # A baseline's figure with its year is no target ("målt mot 85 000 i 2025").
    pytest.param(
        "Øke antall publikummere med 10 % innen 2029, målt mot 85 000 i 2025.",
        [(10, "percent", "change_by", 2029, None, 2025)],
        id="change-measured-against-a-figure",
    ),
    pytest.param(
        "Auke talet på elevar frå 1 040 i 2025 til 1 200 innan 2029.",
        [(1200, "count", "level_by", 2029, None, 2025)],
        id="nn-from-a-figure-in-a-year-to-a-level",
    ),
    # A whole and its parts: the whole for the organisation, each part for its site.
    pytest.param(
        "Gjennomføre 300 konserter i året, 180 på Store scene og 120 på Lille scene.",
        [
            (300, "count", "floor", None, None, None),
            (180, "count", "floor", None, "Store scene", None),
            (120, "count", "floor", None, "Lille scene", None),
        ],
        id="whole-and-parts",
    ),
    pytest.param(
        "Gjennomføre 300 konserter i året, 180 på Store scene og 100 på Lille scene.",
        [],
        id="parts-that-do-not-add-up-are-not-placed",
    ),
    pytest.param(
        "Arrangere minst 40 og 25 åpne arrangementer i året på henholdsvis Solvik gård og "
        "Hammerverket.",
        [
            (40, "count", "floor", None, "Solvik gård", None),
            (25, "count", "floor", None, "Hammerverket", None),
        ],
        id="henholdsvis",
    ),
    # Numbers written as words, before a noun; not after "alle", "de", "i".
    pytest.param(
        "Utvikle to nye undervisningsopplegg hvert år.",
        [(2, "count", "floor", None, None, None)],
        id="number-word-to",
    ),
    pytest.param(
        "Inngå minst fem nye avtaler med lokale bedrifter innen 2028.",
        [(5, "count", "total", 2028, None, None)],
        id="number-word-fem-by-a-deadline",
    ),
    pytest.param(
        "Kulturskulen skal ha samarbeidsavtale med alle dei fem grunnskulane.",
        [],
        id="nn-number-word-after-dei-names-which",
    ),
    # An age group and a condition on what is counted are no values.
    pytest.param(
        "Øke andelen besøkende under 30 år til 35 % innen 2029.",
        [(35, "percent", "level_by", 2029, None, None)],
        id="age-group-is-no-value",
    ),
    pytest.param("Andel besøkende under 30 år.", [], id="age-group-in-an-indicator"),
    pytest.param(
        "Minst 80 % av lærarane skal ha stillingar på 50 % eller meir innan 2028.",
        [(80, "percent", "level_by", 2028, None, None)],
        id="nn-condition-is-no-value",
    ),
    pytest.param(
        "Publikum skal gi museet en score på minst 4,5 av 6.",
        [(4.5, "score", "floor", None, None, None)],
        id="score-out-of-a-scale",
    ),
    # "I planperioden" is a deadline: the plan's last year (None here: the plan decides).
    pytest.param(
        "Minst 60 % av grunnskolene skal ha brukt et skoletilbud i løpet av planperioden.",
        [(60, "percent", "level_by", None, None, None)],
        id="in-the-plan-period-a-level",
    ),
    pytest.param(
        "Redusere talet på mellombelse tilsetjingar med 30 % i planperioden.",
        [(-30, "percent", "change_by", None, None, None)],
        id="nn-in-the-plan-period-a-change",
    ),
    pytest.param(
        "Egeninntjeningen skal vokse med 4 % hvert år.",
        [(4, "percent", "growth", None, None, None)],
        id="vokse-growth",
    ),
    pytest.param(
        "Minst halvparten av innkjøpene skal være verk av kvinnelige kunstnere.",
        [(50, "percent", "floor", None, None, None)],
        id="halvparten",
    ),
    pytest.param(
        "Produsere minst én ny separatutstilling hvert år.",
        [(1, "count", "floor", None, None, None)],
        id="number-word-en-with-accent",
    ),
    pytest.param(
        "Selge 14 000 billetter i 2028 (mot 10 500 i 2024).",
        [(14_000, "count", "level_by", 2028, None, 2024)],
        id="against-a-figure-in-brackets-a-level",
    ),
    pytest.param(
        "Me skal doble talet på deltakarar innan 2028 (22 deltakarar i 2024).",
        [(100, "percent", "change_by", 2028, None, 2024)],
        id="nn-doubling-from-a-figure-in-brackets",
    ),
    pytest.param(
        "Vise framsyningar i minst 15 av dei 20 kommunane kvart år.",
        [(15, "count", "floor", None, None, None)],
        id="nn-of-the-whole-is-no-value",
    ),
    # "Alle … skal" is all of them: 100 % (placed only where a share measures it).
    pytest.param(
        "Alle fast ansatte skal ha gjennomført kurset innen 2026.",
        [(100, "percent", "level_by", 2026, None, None)],
        id="everyone-by-a-deadline",
    ),
]


@pytest.mark.parametrize(("sentence", "lower"), [
    ("Sykefraværet skal være under 4,5 % innen 2027.", True),
    ("Ventelista skal vere under 50 elevar innan 2027.", True),
    ("Øke antall elever til 1 200 innen 2028.", False),
])  # fmt: skip
def test_a_level_to_come_down_to_says_lower_is_better(sentence: str, lower: bool) -> None:
    """Read as a level by a year, a ceiling with a deadline must say lower is better, or the
    level would be judged as a floor."""
    (found,) = targets_in(sentence)
    assert (found.kind, found.lower_is_better) == ("level_by", lower)


@pytest.mark.parametrize(("sentence", "expected"), TARGETS)
def test_targets(sentence: str, expected: list[tuple]) -> None:
    found = targets_in(sentence)
    assert [
        (target.value, target.unit, target.kind, target.deadline, target.site, target.baseline_year)
        for target in found
    ] == expected
    assert all(target.sentence == sentence for target in found)


GUESSES = [
    pytest.param(
        RR_SCHOOL_VISITS,
        [
            "Fristen er ikke oppgitt; planperiodens siste år brukes.",
            "«Øke … til» lest som et nivå å nå (level_by), ikke et gulv hvert år.",
        ],
        id="level-without-deadline",
    ),
    pytest.param(
        RR_OCCUPANCY,
        ["Ingen frist er oppgitt; lest som et gulv, minst så mye hvert år (floor)."],
        id="per-cent-level-as-floor",
    ),
    pytest.param(
        RR_PLAYS,
        ["Lest som en sum fra planperiodens start til fristen (total), ikke et nivå hvert år."],
        id="total",
    ),
    pytest.param(RR_OWN_INCOME, [], id="growth-says-yearly"),
    pytest.param(
        "Redusere energiforbruket med 15 % innen 2028.",
        ["Det er ikke oppgitt hvilket år endringen måles fra; året før planperioden brukes."],
        id="change-without-baseline",
    ),
    pytest.param(
        "Redusere energiforbruket med 15 % innen 2028, målt mot 2025.", [], id="change-complete"
    ),
    pytest.param(
        "Øke besøkstallet fra 50 000 til 65 000 innen 2030.",
        ["Utgangsverdien 50 000 er ikke brukt som mål; den kan føres som utgangspunkt (baseline)."],
        id="from-value",
    ),
    pytest.param(
        "Øke antall medlemmer til 2000 innen 2028.",
        ["«2000» kan være et årstall; lest som et tall."],
        id="year-like-value",
    ),
    pytest.param(
        "Oppnå ca. 300 skolebesøk hvert år.",
        ["«ca.» og lignende er lest som et eksakt tall."],
        id="approximately",
    ),
    pytest.param(
        "Sykefraværet skal være under 5 % innen 2027.",
        ["Et nivå å komme ned til: lavere er bedre (indikatorens retning «decrease»)."],
        id="ceiling-by-deadline-is-a-level",
    ),
    pytest.param(
        "Fra 2026 skal vi ha minst 300 skolebesøk hvert år.",
        ["Årstallet 2026 er ikke brukt som frist."],
        id="unused-year",
    ),
    pytest.param(
        "Auke talet på konsertar til 40.",
        [
            "Fristen er ikke oppgitt; planperiodens siste år brukes.",
            "«Auke … til» lest som et nivå å nå (level_by), ikke et gulv hvert år.",
        ],
        id="nn-level-without-deadline",
    ),
    pytest.param(
        "Halvere matsvinnet i kafeen innen 2028.",
        [
            "«Halvere» lest som en endring på -50 % (change_by).",
            "Det er ikke oppgitt hvilket år endringen måles fra; året før planperioden brukes.",
        ],
        id="halving",
    ),
    pytest.param(
        "Øke antall publikummere med 10 % innen 2029, målt mot 85 000 i 2025.",
        ["Utgangsverdien 85 000 i 2025 er ført som utgangspunkt (baseline)."],
        id="baseline-figure",
    ),
    pytest.param(
        "Gjennomføre 300 konserter i året, 180 på Store scene og 120 på Lille scene.",
        [
            "Ingen frist er oppgitt; lest som et gulv, minst så mye hvert år (floor).",
            "300 er summen av 180 (Store scene), 120 (Lille scene); målet er ført for hele og "
            "for hvert sted.",
        ],
        id="whole-and-parts",
    ),
    pytest.param(
        "Gjennomføre minst 40 og 25 konserter i året på henholdsvis Ringve og Rockheim.",
        ["«Henholdsvis» lest som at tallene gjelder stedene i samme rekkefølge."],
        id="henholdsvis",
    ),
    pytest.param(
        "Publisere minst tre fagartikler i året.",
        ["«tre» er lest som tallet 3."],
        id="number-word",
    ),
    pytest.param(
        "Minst 60 % av grunnskolene skal ha brukt et skoletilbud i løpet av planperioden.",
        [
            "«I planperioden» lest som frist i planperiodens siste år.",
            "«Minst» med frist lest som et nivå å nå innen fristen (level_by).",
        ],
        id="in-the-plan-period",
    ),
    pytest.param(
        "Alle ansatte skal ha en individuell kompetanseplan.",
        [
            "«Alle …» lest som 100 % innen fristen (level_by).",
            "Fristen er ikke oppgitt; planperiodens siste år brukes.",
        ],
        id="everyone",
    ),
]


def test_a_baseline_figure_is_kept_with_its_year() -> None:
    """ "målt mot 85 000 i 2025" is where the change starts: 85 000 in 2025, not a target."""
    (found,) = targets_in("Øke antall publikummere med 10 % innen 2029, målt mot 85 000 i 2025.")
    assert (found.value, found.baseline_year, found.baseline_value) == (10, 2025, 85_000)


@pytest.mark.parametrize(("sentence", "expected"), GUESSES)
def test_guesses_say_what_to_check(sentence: str, expected: list[str]) -> None:
    targets = targets_in(sentence)
    assert targets
    assert [list(target.guesses) for target in targets] == [expected] * len(targets)


UNPLACED = [
    pytest.param(RR_VISITORS, [], id="all-placed"),
    pytest.param(RR_PLAYS, [], id="deadline-year-is-no-number"),
    pytest.param("Øke besøkstallet fra 50 000 til 65 000 innen 2030.", ["50 000"], id="from-value"),
    pytest.param(
        "Øke antall medlemmer til 300 og antall frivillige til 40.",
        ["300", "40"],
        id="two-numbers-no-sites",
    ),
    pytest.param(
        "Øke andelen digitaliserte gjenstander med 10 prosentpoeng.",
        ["10 prosentpoeng"],
        id="percentage-points",
    ),
    pytest.param("Øke besøket med 10 000 besøkende.", ["10 000"], id="absolute-change"),
    pytest.param(
        "Nå 300 besøkende innen 2027 og 400 innen 2030.", ["300", "400"], id="two-deadlines"
    ),
    pytest.param(
        "Øke besøket til 50 000 på Rockheim og 20 % på Ringve.",
        ["50 000", "20 %"],
        id="two-units",
    ),
    pytest.param("Redusere avfallet med 2 % årlig.", ["2 %"], id="yearly-fall"),
    pytest.param("Strategi 2030 skal følges opp.", ["2030"], id="year-without-cue"),
    pytest.param("Delta i ICT-2 og levere rapport innen 2027.", [], id="number-in-a-name"),
    pytest.param("Gjennomføre 4 nye tiltak.", ["4"], id="role-unclear"),
    pytest.param("Auke talet på elevar og lærarar til 300 og 40.", ["300", "40"], id="nn-two"),
    pytest.param(
        "Gjennomføre 300 konserter i året, 180 på Store scene og 100 på Lille scene.",
        ["300", "180", "100"],
        id="parts-not-adding-up",
    ),
]


@pytest.mark.parametrize(("sentence", "expected"), UNPLACED)
def test_unplaced_numbers(sentence: str, expected: list[str]) -> None:
    assert unplaced_numbers(sentence) == expected


MILESTONES = [
    pytest.param(
        RR_CONSERVATION_PLAN,
        MilestoneGuess("Vi har en operativ bevaringsplan", 2028, RR_CONSERVATION_PLAN),
        id="rr-conservation-plan",
    ),
    pytest.param(
        RR_CONSERVATION_PLAN_RAW,
        MilestoneGuess("Vi har en operativ bevaringsplan", 2028, RR_CONSERVATION_PLAN_RAW),
        id="rr-conservation-plan-raw-bullet",
    ),
    pytest.param(
        "Ny basisutstilling åpnet innen 2027",
        MilestoneGuess("Ny basisutstilling åpnet", 2027, "Ny basisutstilling åpnet innen 2027"),
        id="innen",
    ),
    pytest.param(
        "Planetariet er realisert i 2029",
        MilestoneGuess("Planetariet er realisert", 2029, "Planetariet er realisert i 2029"),
        id="i",
    ),
    pytest.param(
        "Innen 2027 skal vi ha en ny publikumsstrategi.",
        MilestoneGuess(
            "Vi skal ha en ny publikumsstrategi",
            2027,
            "Innen 2027 skal vi ha en ny publikumsstrategi.",
        ),
        id="date-first",
    ),
    pytest.param(
        "Beredskapsplanen er revidert (innen 2026).",
        MilestoneGuess(
            "Beredskapsplanen er revidert", 2026, "Beredskapsplanen er revidert (innen 2026)."
        ),
        id="in-brackets",
    ),
    pytest.param(
        "Ny utstilling åpnes 1.6.2027.",
        MilestoneGuess("Ny utstilling åpnes", 2027, "Ny utstilling åpnes 1.6.2027."),
        id="date",
    ),
    pytest.param(
        "Delta i ICT-2 og levere rapport innen 2027.",
        MilestoneGuess(
            "Delta i ICT-2 og levere rapport", 2027, "Delta i ICT-2 og levere rapport innen 2027."
        ),
        id="number-in-a-name",
    ),
    pytest.param(
        "Ny fellesutstilling er opna innan 2027.",
        MilestoneGuess(
            "Ny fellesutstilling er opna", 2027, "Ny fellesutstilling er opna innan 2027."
        ),
        id="nn-innan",
    ),
    pytest.param(
        "Innan 2028 skal me ha ein ny samlingsplan.",
        MilestoneGuess(
            "Me skal ha ein ny samlingsplan", 2028, "Innan 2028 skal me ha ein ny samlingsplan."
        ),
        id="nn-date-first",
    ),
    pytest.param(
        "Magasinet er flytta seinast 2029.",
        MilestoneGuess("Magasinet er flytta", 2029, "Magasinet er flytta seinast 2029."),
        id="nn-seinast",
    ),
    pytest.param(
        "Nettbutikken er lansert senest i 2026.",
        MilestoneGuess("Nettbutikken er lansert", 2026, "Nettbutikken er lansert senest i 2026."),
        id="senest-i",
    ),
    pytest.param(RR_PROFESSIONAL, None, id="no-year"),
    pytest.param(RR_PLAYS, None, id="has-a-number"),
    pytest.param("Ny basisutstilling innen 2027 og nytt magasin innen 2029.", None, id="two-years"),
    pytest.param(
        "Redusere energiforbruket innen 2028, målt mot 2025.", None, id="baseline-is-no-date"
    ),
    pytest.param("Gjennomføre tiltakene i perioden 2024–2030.", None, id="period"),
]


@pytest.mark.parametrize(("sentence", "expected"), MILESTONES)
def test_milestones(sentence: str, expected: MilestoneGuess | None) -> None:
    assert milestone_in(sentence) == expected
