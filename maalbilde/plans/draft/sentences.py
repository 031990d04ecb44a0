"""The numeric targets and dated milestones in one goal or indicator sentence of a Norwegian
strategy document (bokmål and nynorsk), read by fixed rules: regular expressions, no language
model, so the same sentence always gives the same draft and every reading can be explained.

A sentence is read in three passes. First the years: a year after "innen", "til", "i", in
brackets and so on is a deadline, after "målt mot", "sammenlignet med" and so on a baseline,
and neither is ever a value. Then the quantities: the numbers left, with their scale
("1,5 millioner"), unit ("%", "kr", "timer") and site ("300 på Rockheim"). Last the kind of
target, from the words around the number (docs/plan-file.md, "targets[]").

Where the rules cannot tell which role a number plays, they give no target for it rather than
a wrong one, and `unplaced_numbers` names it so that the caller can ask a person. Where they
choose one reading of several, the target says so in `guesses`, in bokmål.
"""

import dataclasses
import re
from dataclasses import dataclass

from maalbilde.lib.norwegian import parse_number


@dataclass(frozen=True)
class TargetGuess:
    """A target read from a sentence, in the terms of a plan file's `targets[]`."""

    value: float
    unit: str
    kind: str
    deadline: int | None
    site: str | None
    baseline_year: int | None
    sentence: str
    guesses: tuple[str, ...] = ()
    baseline_value: float | None = None  # "målt mot 85 000 i 2025"

    @property
    def everyone(self) -> bool:
        """Read from "Alle … skal …" as 100 %: a target only where a share measures it."""
        return _READ_ALL in self.guesses

    @property
    def lower_is_better(self) -> bool:
        """A level to come down to ("under 4,5 % innen 2027", "redusere … til 5 %")."""
        return self.kind == "level_by" and _READ_AS_DECREASE in self.guesses


@dataclass(frozen=True)
class MilestoneGuess:
    """A dated goal with no number: a milestone to tick off in its year."""

    title: str
    year: int
    sentence: str


# --- what a person should check ---------------------------------------------------------------
_NO_DEADLINE = "Fristen er ikke oppgitt; planperiodens siste år brukes."
_NO_BASELINE = "Det er ikke oppgitt hvilket år endringen måles fra; året før planperioden brukes."
_READ_AS_TOTAL = (
    "Lest som en sum fra planperiodens start til fristen (total), ikke et nivå hvert år."
)
_READ_WITHOUT_VERB = "Setningen har ikke verb; lest som et nivå å nå innen fristen (level_by)."
_READ_AS_DECREASE = "Et nivå å komme ned til: lavere er bedre (indikatorens retning «decrease»)."
_READ_AS_FLOOR = "Ingen frist er oppgitt; lest som et gulv, minst så mye hvert år (floor)."
_READ_ALL = "«Alle …» lest som 100 % innen fristen (level_by)."
_READ_AS_GROWTH = "«Vekst» uten «årlig» og uten frist lest som vekst hvert år på året før (growth)."
_READ_FLOOR_AS_LEVEL = "«Minst» med frist lest som et nivå å nå innen fristen (level_by)."


def _read_as_level(verb: str) -> str:
    return f"«{verb.capitalize()} … til» lest som et nivå å nå (level_by), ikke et gulv hvert år."


# --- years ------------------------------------------------------------------------------------
# A year as a deadline or baseline: 1900–2100 standing alone, not part of "12.2030" or "2030,5";
# after a date's day and month ("31.12.2027") it is one.
_YEAR_DIGITS = r"(?:19[0-9]{2}|20[0-9]{2}|2100)(?![0-9]|[.,][0-9])"
_YEAR = rf"(?<![0-9.,]){_YEAR_DIGITS}"
_MONTH = r"(?:januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember)"
# Words between a cue and its year: "innen utgangen av 2027", "innen 31.12.2027",
# "innan 1. juli 2027", "i løpet av året 2027".
_WHEN = (
    r"(?:(?:utgangen|slutten|løpet|enden|starten)\s+av\s+(?:år(?:et)?\s+)?|år(?:et)?\s+"
    rf"|[0-9]{{1,2}}\.\s?[0-9]{{1,2}}\.\s?|(?:[0-9]{{1,2}}\.\s+)?{_MONTH}\s+)?"
)
# "fra 2025 til 2028", "frå 2023–2027": the change is measured from the first year.
_FROM_TO = re.compile(
    rf"(?i)\b(?:fra|frå)\s+(?P<baseline>{_YEAR})\s*(?:[–—-]|til(?:\s+og\s+med)?)\s*"
    rf"(?P<deadline>{_YEAR})"
)
# "i perioden 2024–2030": a period, whose end is the deadline; its start is no baseline.
_PERIOD = re.compile(rf"(?i)(?P<start>{_YEAR})\s*[–—-]\s*(?P<deadline>{_YEAR})")
# "målt mot 2025", "sammenlignet med nivået i 2023", "samanlikna med 2022", "fra 2023-nivå".
_BASELINE = re.compile(
    r"(?i)\b(?:målt\s+mot|(?:sammenlign|sammenlikn|samanlikn)\w*\s+med|jamført\s+med"
    r"|i\s+forhold\s+til|med\s+utgangspunkt\s+i|basisår(?:et)?(?:\s+er)?"
    r"|(?:fra|frå)(?=\s+(?:nivået|tallet|talet|tala|tallene)\s|\s+[0-9]{4}\s*-?\s*nivå))\s+"
    rf"(?:(?:nivået|tallet|talet|tala|tallene|resultatet)\s+(?:i|for|fra|frå)\s+|året\s+)?"
    rf"(?P<baseline>{_YEAR})(?:\s*-\s*nivå\w*|\s+nivå\w*|-tal\w*)?"
)
# "med 2025 som utgangspunkt"
_BASELINE_AS = re.compile(
    rf"(?i)\bmed\s+(?P<baseline>{_YEAR})\s+som\s+(?:utgangspunkt|basisår|basis|referanseår)"
)
# "fra 2026 skal vi ...": the year a target starts to hold, neither deadline nor baseline.
_START = re.compile(rf"(?i)\b(?:fra|frå)(?:\s+og\s+med)?\s+(?P<other>{_YEAR})")
# "innen 2030", "innan 2030", "seinast (i) 2029", "fram mot 2030", "i 2027", "ut 2028".
_DEADLINE = re.compile(
    r"(?i)\b(?:innen|innan|(?:senest|seinast|seinest)(?:\s+i)?|før|fram\s+mot|frem\s+mot"
    r"|(?:fram|frem)\s+til(?:\s+og\s+med)?|til\s+og\s+med|i|ved|ut|per|pr\.)\s+"
    rf"{_WHEN}(?P<deadline>{_YEAR_DIGITS})"
)
# "til 2030" only at the end of a clause of the sentence as written (`_AT_CLAUSE_END`):
# "øke til 2000 besøkende innen 2028" has a value 2000.
_DEADLINE_TIL = re.compile(rf"(?i)\btil\s+{_WHEN}(?P<deadline>{_YEAR_DIGITS})")
_AT_CLAUSE_END = re.compile(r"\s*(?:[.,;:!?)]|$)")
# "Vi har en operativ bevaringsplan (2028)."
_DEADLINE_BRACKETS = re.compile(rf"(?i)\(\s*{_WHEN}(?P<deadline>{_YEAR_DIGITS})\s*\)")
# A date without a cue ("åpnet 1.6.2027") is when the thing is due.
_DEADLINE_DATE = re.compile(
    rf"(?i)(?<![0-9.])(?:[0-9]{{1,2}}\.\s?[0-9]{{1,2}}\.\s?|[0-9]{{1,2}}\.\s+{_MONTH}\s+)"
    rf"(?P<deadline>{_YEAR_DIGITS})"
)
# In this order: a later pattern only sees what an earlier one left.
_YEAR_PATTERNS = (
    _FROM_TO,
    _PERIOD,
    _BASELINE,
    _BASELINE_AS,
    _START,
    _DEADLINE,
    _DEADLINE_TIL,
    _DEADLINE_BRACKETS,
    _DEADLINE_DATE,
)

# --- numbers that are no values -----------------------------------------------------------------
# "1. Øke …", "2.3 Øke …", "• 4) …": the number of a list item or section ("1.5 millioner"
# is a number, so a section number without a final stop needs a capital after it).
_LIST_NUMBER = re.compile(
    r"^\s*(?:[•·▪◦*–—-]\s*)?\(?(?:[0-9]{1,2}(?:\.[0-9]{1,2})*[.)]\s+"
    r"|[0-9]{1,2}(?:\.[0-9]{1,2})+\s+(?=[A-ZÆØÅ]))"
)
# "besøkende under 30 år", "unge mellom 13 og 19 år": an age group, no value. (A duration
# in years as a target, "ventetid under 2 år", is read as an age too: a rare shape.)
_AGE = re.compile(
    r"(?i)\b(?:under|over|mellom|opp\s+til|fra|frå|eldre\s+enn|yngre\s+enn)\s+[0-9]{1,3}"
    r"(?:\s*(?:[-–]|og|til)\s*[0-9]{1,3})?\s*år\b"
)
# "stillingar på 50 % eller meir": a condition on what is counted, no value.
_CONDITION = re.compile(
    r"(?i)\bpå\s+[0-9]+(?:[.,][0-9]+)?\s*(?:%|prosent)?\s+eller\s+"
    r"(?:mer|meir|mindre|over|under|høyere|høgare|lavere|lågare)\b"
)
# "en score på minst 4,5 av 6": the top of the scale, no value.
_OUT_OF = re.compile(r"(?i)(?<=[0-9])\s+av\s+(?:maks(?:imalt)?\s+)?[0-9]+(?:,[0-9]+)?\b")
# "minst 15 av dei 20 kommunane": the whole the number is counted in, no value.
_OF_THE = re.compile(r"(?i)(?<=[0-9])\s+av\s+(?:de|dei|disse|desse|i\s+alt)\s+[0-9]+\b")
_SCORE_WORDS = r"(?:score|skår|karakter)"
_SCORE_WORD = re.compile(rf"(?i){_SCORE_WORDS}")
# "for 3. gang", "den 2. utgaven", "5.-klassinger", "10. trinn": an ordinal.
_ORDINAL = re.compile(r"(?<![\w.,])[0-9]{1,3}\.(?=\s+[a-zæøå]|\s*[-–]\s*[a-zæøå])")

# --- quantities -------------------------------------------------------------------------------
# Thousands separators in print: space, no-break space, narrow no-break space, thin space.
_SPACES = " \u00a0\u202f\u2009"
# Scales and units as written after a number, each with what the number is multiplied by.
_SCALES = (
    (r"milliard\w*|mrd\.?", 1e9),
    (r"million\w*|mill\.?|mln\.?|mio\.?", 1e6),
    (r"tusen|tusin", 1e3),
)
# The plan file's units; "points" (percentage points) is none of them, so a number in points
# is never placed: 5 points more is not 5 % more. In this order: the first that fits is taken.
_UNITS = (
    (r"%-?\s?poeng|prosentpoeng", "points", 1.0),
    (r"%|prosent", "percent", 1.0),
    # "NOK" in capitals only: "nok" is also a word ("enough").
    (r"(?-i:MNOK)", "nok", 1e6),
    (r"kroner|kr\.?|,-|(?-i:NOK)", "nok", 1.0),
    (r"\w*tim(?:er|ar)|timeverk|time", "hours", 1.0),
    (r"årsverk", "fte", 1.0),
    (r"kwh", "kwh", 1.0),
    (r"mwh", "kwh", 1e3),
    (r"gwh", "kwh", 1e6),
    (r"kg|kilo", "kg", 1.0),
    (r"tonn", "kg", 1e3),
    (r"poeng", "score", 1.0),
)
_NUMBER = (
    rf"[0-9]{{1,3}}(?:[{_SPACES}][0-9]{{3}})+(?:,[0-9]+)?"
    r"|[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?|[0-9]+(?:[.,][0-9]+)?"
)
_SCALE = "|".join(pattern for pattern, _ in _SCALES)
# "to nye undervisningsopplegg", "minst tre fagartiklar": numbers written as words, before a
# word ("ein", "en" and "ett" are articles as often as numbers, so they are left out; "én"
# with its accent is the number).
_WORD_NUMBERS = {
    "én": 1, "éin": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6, "sju": 7, "syv": 7,
    "åtte": 8, "ni": 9, "ti": 10, "elleve": 11, "tolv": 12, "femten": 15, "tjue": 20,
    "tretti": 30, "femti": 50, "hundre": 100,
}  # fmt: skip
# After these a number word names which or where, not how many: "de tre avdelingene",
# "bygget i tre", "alle fem skolene".
_NOT_A_COUNT_AFTER = re.compile(
    r"(?i)\b(?:i|av|de|dei|disse|desse|alle|våre|sine|siste|første|neste|hver|kvar|hvert|kvart"
    r"|hele|heile|begge|som)\s+$"
)
_QUANTITY = re.compile(
    # "kr 150 000", "NOK 2,5 millioner": the currency first.
    r"(?i)(?:(?P<currency>(?<!\w)(?:kr\.?|(?-i:NOK))\s*)|(?<![\w.,/])(?<![a-zæøå]-))"
    # "65 000", "65.000", "12,5", "300": groups of three only after a space or dot, so that
    # "300 275" stays two numbers; "ICT-2", "H2" and "24/7" are no numbers at all.
    rf"(?:(?P<number>{_NUMBER})|(?P<word>{'|'.join(_WORD_NUMBERS)})(?=\s+[a-zæøå«])"
    r"|(?P<half>halvparten|halvdelen))"
    rf"(?:\s*(?P<scale>{_SCALE}))?"
    rf"(?:\s*(?P<unit>{'|'.join(pattern for pattern, _, _ in _UNITS)}))?"
    r"(?![\w/]|[.,][0-9])"
)
# "300 på Rockheim", "65 000 besøkende ved Ringve", "80 000 for Rockheim Hall of Fame",
# "30 000 i Romsdal": a capitalised name after a preposition, at most three lower-case words
# after the number.
# "Store scene", "Lille sal": a name of a stage or building may end in a lower-case noun.
_PLACE_NOUN = (
    r"(?:scene|scenen|sal|salen|hall|hallen|huset|bygget|gård|gården|gard|garden|senter"
    r"|senteret|avdeling|museum|museet)\b"
)
_NAME = rf"[A-ZÆØÅ][\w-]*(?:\s+(?:of\s+)?[A-ZÆØÅ][\w-]*)*(?:\s+{_PLACE_NOUN})?"
_SITE = re.compile(
    rf"(?:\s+[a-zæøå][\w-]*){{0,3}}?\s+(?:på|ved|for|i)\s+(?P<site>{_NAME}(?:\s+og\s+{_NAME})?)"
)
# "målt mot 85 000 i 2025", "sammenlignet med 1 040 elever i 2025", "fra 12 % i 2024": the
# figure a change or level starts from, with its year; the figure is no target.
_BASELINE_VALUE = re.compile(
    r"(?i)(?:\b(?:målt\s+mot|mot|(?:sammenlign|sammenlikn|samanlikn)\w*\s+med|jamført\s+med|fra|frå"
    r"|i\s+dag)\s+|\(\s*)"
    rf"(?P<value>(?<![0-9])(?:{_NUMBER})(?:\s*(?:{_SCALE}))?(?:\s*(?:%|prosent))?)"
    rf"(?:\s+[a-zæøå][\w-]*){{0,2}}?\s+(?:i|for|per)\s+(?:året\s+)?(?P<baseline>{_YEAR})"
)
_RESPECTIVELY = re.compile(
    rf"\b(?:henholdsvis|høvesvis)\s+(?:på\s+|ved\s+|i\s+)?(?P<sites>{_NAME}(?:\s*,\s*{_NAME})*"
    rf"\s+og\s+{_NAME})"
)
_APPROXIMATELY = re.compile(r"(?i)\b(?:ca\.?|cirka|om\s+lag|omlag|omtrent|rundt)\s*$")
# "en score på 4,5", "skår på minst 5": a score, whatever the number's own unit word.
_SCORE = re.compile(rf"(?i)\b(?:en\s+)?\w*{_SCORE_WORDS}\s+(?:på\s+)?$")

# --- the words that decide a target's kind ----------------------------------------------------
_NOT = r"ikk(?:e|je)\s+(?:[a-zæøå]+\s+)?"
_MORE = r"over|mer\s+enn|meir\s+enn|flere\s+enn|fleire\s+enn|høyere\s+enn|høgare\s+enn|overstig[ea]"
_LESS = r"under|mindre\s+enn|færre\s+enn|lavere\s+enn|lågare\s+enn"
# Right before the number only: "under" elsewhere is as often "during" ("under festivalen").
# "ikke over" is a ceiling and "ikkje færre enn" a floor, so the negations come first.
_COMPARATORS = (
    (re.compile(rf"(?i)\b{_NOT}(?:{_MORE})\s+$"), "ceiling"),
    (re.compile(rf"(?i)\b{_NOT}(?:{_LESS})\s+$"), "floor"),
    (re.compile(rf"(?i)\b(?:{_LESS}|høyst|høgst|maks\w*\.?)\s+$"), "ceiling"),
    (re.compile(rf"(?i)\b(?:{_MORE}|minst|minimum|min\.)\s+$"), "floor"),
)
_UP = (
    r"øk(?:e|er|es|t|te|ning\w*)|auk(?:e|ar|ast|a|ing\w*)|hev(?:e|a|er)|løft(?:e|a)|vekst\w*"
    r"|(?:for|tre)?dobl\w*|voks(?:e|er|a)|veks(?:e|t)"
)
_DOWN = (
    r"redus\w+|reduksjon\w*|kutt\w*|senk(?:e|a|er|es)|minsk(?:e|er|es)|mink(?:e|a|ar)"
    r"|nedgang\w*|halver\w*"
)
# "halvere matsvinnet", "doble antallet", "tredoble": a change by a multiple, in per cent.
_MULTIPLE = re.compile(
    r"(?i)\b(?:(?P<half>halver(?:e|a|es|ast|t|ing\w*))|(?P<triple>tredobl(?:e|a|es|et|ing\w*))"
    r"|(?P<double>(?:for)?dobl(?:e|a|es|ast|et|ing\w*)))\b"
)
_MULTIPLES = {"half": -50.0, "double": 100.0, "triple": 200.0}
_DIRECTION = re.compile(rf"(?i)\b(?:(?P<up>{_UP})|(?P<down>{_DOWN}))\b")
# "redusere … med 15 %", "auke … med 10 %": a verb of change before "med".
_CHANGE_BY = re.compile(r"(?i)\bmed\s+$")
# "en økning på 10 %", "vekst på 5 %": a noun of change right before the number.
_CHANGE_NOUN = re.compile(
    r"(?i)\b(?:økning\w*|auke|auking\w*|vekst\w*|reduksjon\w*|nedgang\w*|kutt)\s+(?:på|med)\s+$"
)
# "5 % årlig vekst", "15 % lavere", "10 % flere": the change named after the number.
_CHANGE_AFTER = re.compile(
    r"(?i)^\s*(?:(?:årlig|årleg)\s+)?(?:(?P<up>økning|auke|auking|vekst|høyere|høgare|flere"
    r"|fleire|mer|meir)|(?P<down>reduksjon|nedgang|kutt|lavere|lågare|færre|mindre))\b"
)
_GROWTH = re.compile(r"(?i)\bvekst")
_ANNUAL = (
    r"(?:årlig|årleg|årlige|årlege|hvert\s+år|kvart\s+år|per\s+år|pr\.?\s*år|i\s+året"
    r"|om\s+året|per\s+sesong|hver\s+sesong|kvar\s+sesong)"
)
_ANNUAL_ANYWHERE = re.compile(rf"(?i)\b{_ANNUAL}(?!\w)")
# For a rate the yearly word goes with the per cent ("med 5 % årleg", "5 % vekst per år",
# "årlig vekst på 5 %"), not with a noun elsewhere ("de årlige inntektene med 10 % innen 2028").
_ANNUAL_AFTER = re.compile(rf"(?i)^\s*(?:\w+\s+)?{_ANNUAL}(?!\w)")
_ANNUAL_BEFORE = re.compile(rf"(?i)\b{_ANNUAL}\s+(?:vekst|økning|auke|auking)\w*\s+(?:på|med)\s+$")
# "øke … til 300", "auke … til 40", "redusere … til 5 %": a level to reach.
_TO = re.compile(r"(?i)\btil\s+$")
_LEVEL_VERB = re.compile(
    rf"(?i)\b(?:(?P<up>{_UP}|komme\s+opp|kome\s+opp|(?:skal|må)\s+opp)"
    rf"|(?P<down>{_DOWN}|få\s+ned|komme\s+ned|(?:skal|må)\s+ned))\b"
)
# "holde sykefraværet under 5 %", "halde … under": a ceiling every year, deadline or not.
_HOLD = re.compile(r"(?i)\b(?:hold\w*|hald\w*|forbli\w*|ligge|liggje)\b")
# "i planperioden", "i løpet av strategiperioden": by the plan's last year.
_IN_PERIOD = re.compile(r"(?i)\bi\s+(?:løpet\s+av\s+)?(?:plan|strategi)?perioden\b(?!\s+[0-9])")
_READ_IN_PERIOD = "«I planperioden» lest som frist i planperiodens siste år."
_SUM = re.compile(
    r"(?i)\b(?:totalt|til\s+sammen|til\s+saman|samlet|samla|i\s+alt|akkumulert|i\s+sum"
    r"|i\s+(?:plan|strategi)?perioden)\b"
)
# "nå 50 000", "oppnå 80 %", "ha 300 frivillige": a level.
_REACH = re.compile(
    r"(?i)\b(?:nå|oppnå|ha|være|vere|ligge|liggje|komme\s+opp\s+i|kome\s+opp\s+i|passere|runde)\b"
)
# "gjennomføre 20 konserter", "digitalisere 5 000 gjenstander": things made and counted.
_MAKE = re.compile(
    r"(?i)\b(?:gjennomføre|gjennomføra|utvikle|utvikla|lage|laga|produsere|produsera"
    r"|publisere|publisera|arrangere|arrangera|etablere|etablera|digitalisere|digitalisera"
    r"|registrere|registrera|katalogisere|katalogisera|rekruttere|rekruttera|skaffe|skaffa"
    r"|samle\s+inn|samla\s+inn|selge|selje|selja|tilby|levere|levera|avholde)\b"
)


@dataclass(frozen=True)
class _Quantity:
    text: str  # as written in the sentence
    start: int
    end: int
    value: float
    unit: str
    site: str | None
    yearlike: bool  # "2000" with no cue: a count, or a year written without one
    before: str  # the words since the number before, less its comparator, "ca." and score
    comparator: str | None  # "floor" or "ceiling", from the words right before the number
    approximate: bool  # "ca. 300"


@dataclass(frozen=True)
class _Reading:
    work: str  # the sentence with its years and list numbers blanked out
    quantities: tuple[_Quantity, ...]
    deadlines: tuple[int, ...]
    baselines: tuple[int, ...]
    # "målt mot 85 000 i 2025": the figure as written and its value, in the baseline year.
    baseline_values: tuple[tuple[str, float], ...]
    other_years: tuple[int, ...]
    period: bool
    year_spans: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class _Kind:
    kind: str
    guesses: tuple[str, ...] = ()


def targets_in(sentence: str) -> list[TargetGuess]:
    """The targets a goal or indicator sentence sets, one per site; [] when it sets none or
    when the rules cannot tell which of its numbers is the target (see `unplaced_numbers`)."""
    return _place(sentence)[0]


def unplaced_numbers(sentence: str) -> list[str]:
    """The numbers in the sentence, as written, that `targets_in` did not use, so that the
    caller can show them to a person instead of dropping them silently."""
    return [quantity.text for quantity in _place(sentence)[1]]


def milestone_in(sentence: str) -> MilestoneGuess | None:
    """A dated goal with no number ("Vi har en operativ bevaringsplan (2028)."), as a
    milestone due in that year; None for a sentence with numbers, several years or none."""
    reading = _read(sentence)
    if (
        reading.quantities
        or _MULTIPLE.search(reading.work)
        or len(reading.deadlines) != 1
        or reading.baselines
        or reading.other_years
        or reading.period
    ):
        return None
    title = _title(sentence, reading.year_spans)
    return MilestoneGuess(title, reading.deadlines[0], sentence) if title else None


# --- reading ----------------------------------------------------------------------------------
def _read(sentence: str) -> _Reading:
    """The years and quantities of a sentence, each number read once."""
    work = sentence
    deadlines: list[int] = []
    baselines: list[int] = []
    baseline_values: list[tuple[str, float]] = []
    other_years: list[int] = []
    spans: list[tuple[int, int]] = []
    period = False

    def blank(start: int, end: int) -> None:
        nonlocal work
        work = work[:start] + " " * (end - start) + work[end:]

    for found in list(_BASELINE_VALUE.finditer(work)):
        value = _QUANTITY.match(found["value"])
        if value and (read := _value(value)) is not None:
            baselines.append(int(found["baseline"]))
            baseline_values.append((found["value"].strip(), read[0]))
            blank(*found.span())
    for pattern in _YEAR_PATTERNS:
        for found in list(pattern.finditer(work)):
            if pattern is _DEADLINE_TIL and not _AT_CLAUSE_END.match(sentence, found.end()):
                continue
            groups = found.groupdict()
            if groups.get("baseline"):
                baselines.append(int(groups["baseline"]))
            if groups.get("deadline"):
                deadlines.append(int(groups["deadline"]))
                spans.append(found.span())
            if groups.get("other"):
                other_years.append(int(groups["other"]))
            period = period or pattern is _PERIOD
            blank(*found.span())
    for pattern in (_LIST_NUMBER, _ORDINAL, _AGE, _CONDITION, _OF_THE, _OUT_OF):
        if pattern is _OUT_OF and not _SCORE_WORD.search(sentence):
            continue
        for found in list(pattern.finditer(work)):
            blank(*found.span())

    quantities: list[_Quantity] = []
    for found in _QUANTITY.finditer(work):
        read = _value(found)
        if read is None or (found["word"] and _NOT_A_COUNT_AFTER.search(work[: found.start()])):
            continue
        value, unit = read
        site = _SITE.match(work, found.end())
        since = quantities[-1].end if quantities else 0
        before, comparator, approximate, score = _words_before(work[since : found.start()])
        quantities.append(
            _Quantity(
                text=sentence[found.start() : found.end()].strip(),
                start=found.start(),
                end=found.end(),
                value=value,
                unit="score" if score and unit == "count" else unit,
                site=site["site"] if site else None,
                yearlike=bool(re.fullmatch(_YEAR, found.group())),
                before=before,
                comparator=comparator,
                approximate=approximate,
            )
        )
    return _Reading(
        work=work,
        quantities=tuple(quantities),
        deadlines=tuple(dict.fromkeys(deadlines)),
        baselines=tuple(dict.fromkeys(baselines)),
        baseline_values=tuple(baseline_values),
        other_years=tuple(dict.fromkeys(other_years)),
        period=period,
        year_spans=tuple(spans),
    )


def _value(found: re.Match[str]) -> tuple[float, str] | None:
    """The value of a quantity `_QUANTITY` found and the plan file's unit it is in."""
    if found["half"]:  # "minst halvparten av innkjøpene": 50 %
        return 50.0, "percent"
    number = _WORD_NUMBERS[found["word"]] if found["word"] else parse_number(found["number"])
    if number is None:
        return None
    unit, factor = _unit(found["unit"], found["currency"])
    # Plan files keep four decimals; 1,2 millioner is 1200000, not 1199999.99….
    return round(number * _scale(found["scale"]) * factor, 4), unit


def _unit(word: str | None, currency: str | None) -> tuple[str, float]:
    """The plan file's unit for the word after a number, and what to multiply by (tonn → kg)."""
    if currency:
        return "nok", 1.0
    for pattern, unit, factor in _UNITS:
        if word and re.fullmatch(pattern, word, re.IGNORECASE):
            return unit, factor
    return "count", 1.0


def _scale(word: str | None) -> float:
    """What "millioner", "mrd" or "tusen" multiplies a number by."""
    for pattern, factor in _SCALES:
        if word and re.fullmatch(pattern, word, re.IGNORECASE):
            return factor
    return 1.0


def _words_before(text: str) -> tuple[str, str | None, bool, bool]:
    """The words before a number less, from the number backwards, its comparator ("minst",
    "ikke over"), "ca." and score words; with the comparator's kind, and whether the number
    was approximate and a score."""
    comparator = None
    approximate = score = False
    while True:
        found = None
        if comparator is None:
            for pattern, kind in _COMPARATORS:
                found = pattern.search(text)
                if found:
                    comparator = kind
                    break
        if not found and (found := _APPROXIMATELY.search(text)):
            approximate = True
        if not found and (found := _SCORE.search(text)):
            score = True
        if not found:
            return text, comparator, approximate, score
        text = text[: found.start()]


def _title(sentence: str, spans: tuple[tuple[int, int], ...]) -> str:
    """A milestone's title: the sentence less its dates, list number and final stop."""
    for start, end in sorted(spans, reverse=True):
        sentence = sentence[:start] + sentence[end:]
    title = _LIST_NUMBER.sub("", sentence)
    title = re.sub(r"\(\s*\)", "", title)
    title = re.sub(r"\s+", " ", title)
    title = re.sub(r"\s+([.,;:!?)])", r"\1", title).strip(" .,;:!?•·-–")
    # "Innen 2027 skal vi ha …" less its date is "skal vi ha …": put the subject first.
    inverted = re.match(r"(?i)(skal|vil|har|er|blir|kan|må|bør)\s+(vi|me|alle)\s+", title)
    if inverted:
        title = f"{inverted[2]} {inverted[1].lower()} {title[inverted.end() :]}"
    return title[:1].upper() + title[1:]


# --- placing ----------------------------------------------------------------------------------
def _place(sentence: str) -> tuple[list[TargetGuess], list[_Quantity]]:
    """The targets of a sentence and the quantities left unused."""
    reading = _read(sentence)
    quantities = list(reading.quantities)
    # Two deadlines or baselines: which number goes with which is not written down.
    if len(reading.deadlines) > 1 or len(reading.baselines) > 1:
        return [], quantities
    if not quantities:
        return _multiple(reading, sentence) or _everyone(reading, sentence), []
    chosen, from_value = _choose(reading)
    # Each site takes the sentence's kind, unless a word of its own says otherwise
    # ("minst 300 på Rockheim og høyst 200 på Ringve").
    own_words = any(q.comparator not in (None, chosen[0].comparator) for q in chosen[1:])
    kind = _kind(reading, chosen[0]) if chosen and not own_words else None
    if kind is None:
        return [], quantities
    baseline_value, baseline_guesses = _baseline_value(reading, kind.kind)
    if (
        kind.kind in ("level_by", "total", "change_by")
        and not reading.deadlines
        and _IN_PERIOD.search(reading.work)
    ):
        kind = _Kind(kind.kind, (_READ_IN_PERIOD, *kind.guesses))
    targets = [
        TargetGuess(
            value=_signed(reading, quantity) if kind.kind == "change_by" else quantity.value,
            unit=quantity.unit,
            kind=kind.kind,
            deadline=reading.deadlines[0] if reading.deadlines else None,
            site=quantity.site,
            baseline_year=reading.baselines[0] if reading.baselines else None,
            sentence=sentence,
            guesses=(
                *kind.guesses,
                *from_value,
                *baseline_guesses,
                *_quantity_guesses(reading, quantity),
            ),
            baseline_value=baseline_value,
        )
        for quantity in chosen
    ]
    used = {quantity.start for quantity in chosen}
    return targets, [quantity for quantity in quantities if quantity.start not in used]


def _multiple(reading: _Reading, sentence: str) -> list[TargetGuess]:
    """ "Halvere matsvinnet innen 2028", "doble antallet": a change by -50 % or 100 %."""
    found = _MULTIPLE.search(reading.work)
    if found is None:
        return []
    which = next(name for name, text in found.groupdict().items() if text)
    value = _MULTIPLES[which]
    read_as = f"«{found.group()}» lest som en endring på {value:+g} % (change_by)."
    return [_per_cent(reading, sentence, value, "change_by", read_as)]


# "Alle ansatte skal ha …", "Samtlege lærarar skal …": the whole of those counted.
_ALL = re.compile(r"(?i)^[\W\d]*(?:alle|samtlige|samtlege)\s+[a-zæøå]")


def _everyone(reading: _Reading, sentence: str) -> list[TargetGuess]:
    """ "Alle fast ansatte skal ha gjennomført kurset innen 2026": 100 % by then."""
    if not _ALL.match(reading.work) or reading.baselines:
        return []
    return [_per_cent(reading, sentence, 100.0, "level_by", _READ_ALL)]


def _per_cent(
    reading: _Reading, sentence: str, value: float, kind: str, read_as: str
) -> TargetGuess:
    """A target in per cent that a word sets, not a number ("halvere", "alle"), with the
    sentence's deadline and baseline, and what `read_as` says of the word."""
    baseline_value, baseline_guesses = _baseline_value(reading, kind)
    no_baseline = kind == "change_by" and not reading.baselines
    return TargetGuess(
        value=value,
        unit="percent",
        kind=kind,
        deadline=reading.deadlines[0] if reading.deadlines else None,
        site=None,
        baseline_year=reading.baselines[0] if reading.baselines else None,
        sentence=sentence,
        guesses=(
            read_as,
            *(() if reading.deadlines else (_NO_DEADLINE,)),
            *((_NO_BASELINE,) if no_baseline else ()),
            *baseline_guesses,
        ),
        baseline_value=baseline_value,
    )


def _baseline_value(reading: _Reading, kind: str) -> tuple[float | None, tuple[str, ...]]:
    """The figure the target starts from ("målt mot 85 000 i 2025"), for the kinds measured
    from a baseline, and what to say about it."""
    if not reading.baseline_values:
        return None, ()
    text, value = reading.baseline_values[0]
    year = reading.baselines[0]
    if kind in ("level_by", "change_by"):
        return value, (f"Utgangsverdien {text} i {year} er ført som utgangspunkt (baseline).",)
    return None, (f"Utgangsverdien {text} i {year} er ikke brukt.",)


def _choose(reading: _Reading) -> tuple[list[_Quantity], tuple[str, ...]]:
    """The quantities that are targets: the only one; one per site; or the second of
    "fra 50 000 til 65 000" (with a guess about the first). Nothing when a sentence has
    numbers that no rule places, so that all of them are reported."""
    quantities = reading.quantities
    if len(quantities) == 1:
        return [quantities[0]], ()
    sites = [quantity.site for quantity in quantities]
    units = {quantity.unit for quantity in quantities}
    if None not in sites and len(set(sites)) == len(sites) and len(units) == 1:
        return list(quantities), ()
    # "minst 40 og 25 arrangementer på henholdsvis Solvik gård og Hammerverket"
    respectively = _RESPECTIVELY.search(reading.work)
    if respectively and sites == [None] * len(quantities) and len(units) == 1:
        names = re.split(r"\s*,\s*|\s+og\s+", respectively["sites"])
        if len(names) == len(quantities):
            return [
                dataclasses.replace(q, site=n) for q, n in zip(quantities, names, strict=True)
            ], ("«Henholdsvis» lest som at tallene gjelder stedene i samme rekkefølge.",)
    # "300 konserter i året, 180 på Store scene og 120 på Lille scene": a whole and its parts.
    whole, *parts = quantities
    if (
        len(parts) >= 2
        and whole.site is None
        and None not in sites[1:]
        and len(set(sites[1:])) == len(parts)
        and len(units) == 1
        and abs(sum(part.value for part in parts) - whole.value) < 1e-6
    ):
        named = ", ".join(f"{part.text} ({part.site})" for part in parts)
        return list(quantities), (
            f"{whole.text} er summen av {named}; målet er ført for hele og for hvert sted.",
        )
    if len(quantities) == 2 and sites == [None, None] and len(units) == 1:
        start, end = quantities
        if re.search(r"(?i)\b(?:fra|frå)\s+$", start.before) and re.fullmatch(
            r"(?i)(?:\s+[a-zæøå]+){0,2}\s+til\s+", end.before
        ):
            return [end], (
                f"Utgangsverdien {start.text} er ikke brukt som mål; "
                "den kan føres som utgangspunkt (baseline).",
            )
    return [], ()


def _quantity_guesses(reading: _Reading, quantity: _Quantity) -> tuple[str, ...]:
    """What a person should check about the number itself and its site."""
    guesses = []
    if not re.search("[0-9]", quantity.text):
        percent = " %" if quantity.unit == "percent" else ""
        guesses.append(f"«{quantity.text}» er lest som tallet {quantity.value:g}{percent}.")
    if quantity.yearlike:
        guesses.append(f"«{quantity.text}» kan være et årstall; lest som et tall.")
    if quantity.approximate:
        guesses.append("«ca.» og lignende er lest som et eksakt tall.")
    if quantity.site and re.search(r"\sog\s", quantity.site):
        guesses.append(f"«{quantity.site}» nevner flere steder; målet gjelder dem samlet.")
    guesses.extend(f"Årstallet {year} er ikke brukt som frist." for year in reading.other_years)
    return tuple(guesses)


def _signed(reading: _Reading, quantity: _Quantity) -> float:
    """A change's per cent with its sign: from the word right after the number ("15 %
    lavere"), else the direction word nearest before it."""
    after = _CHANGE_AFTER.match(reading.work[quantity.end :])
    before = list(_DIRECTION.finditer(reading.work[: quantity.start]))
    down = bool(after["down"]) if after else bool(before and before[-1]["down"])
    return -quantity.value if down else quantity.value


def _kind(reading: _Reading, quantity: _Quantity) -> _Kind | None:
    """The kind of target a number is, by the first rule that fits; None when none does."""
    prefix = reading.work[: quantity.start]
    after = reading.work[quantity.end :]
    in_period = not reading.deadlines and bool(_IN_PERIOD.search(reading.work))
    deadline = bool(reading.deadlines) or in_period
    annual = bool(_ANNUAL_ANYWHERE.search(reading.work))
    percent = quantity.unit == "percent"
    no_deadline = () if deadline else (_NO_DEADLINE,)
    if quantity.unit == "points":
        return None

    # A change: "redusere … med 15 %", "en økning på 10 %", "5 % årlig vekst".
    if (
        (_CHANGE_BY.search(quantity.before) and _DIRECTION.search(prefix))
        or _CHANGE_NOUN.search(quantity.before)
        or _CHANGE_AFTER.match(after)
    ):
        # A change of 2 000 visitors needs the baseline year's visitors to be a target.
        if not percent:
            return None
        rate = bool(_ANNUAL_AFTER.match(after) or _ANNUAL_BEFORE.search(quantity.before))
        if rate or (_GROWTH.search(reading.work) and not deadline):
            # A plan file's growth is at least so much each year; a fall has no such form.
            if _signed(reading, quantity) < 0:
                return None
            return _Kind("growth", () if rate else (_READ_AS_GROWTH,))
        return _Kind("change_by", no_deadline + (() if reading.baselines else (_NO_BASELINE,)))

    # "holde sykefraværet under 5 %", "høyst 12 tonn": a ceiling every year. With a deadline
    # and no "holde" it is a level to come down to by then.
    if quantity.comparator == "ceiling":
        if deadline and not _HOLD.search(prefix):
            return _Kind("level_by", (_READ_AS_DECREASE,))
        return _Kind("ceiling")

    # "Selge 14 000 billetter i 2028 (mot 10 500 i 2024)": set against a year's figure, a
    # level, not a sum.
    if reading.baseline_values and deadline and not annual:
        return _Kind("level_by")

    # "øke … til 300", "redusere … til 5 %": a level to reach, by the end of the plan when
    # the sentence gives no deadline.
    verbs = list(_LEVEL_VERB.finditer(prefix)) if _TO.search(quantity.before) else []
    if verbs:
        verb = verbs[-1]
        guesses = (*no_deadline, _read_as_level(verb.group().split()[0])) if no_deadline else ()
        return _Kind("level_by", guesses + ((_READ_AS_DECREASE,) if verb["down"] else ()))

    # "minst 300 hvert år" is a floor; "minst 1,5 millioner avspillinger innen 2030" a sum
    # of what is counted until the deadline; "minst 80 % innen 2028" a level to reach.
    if quantity.comparator == "floor":
        if annual:
            return _Kind("floor")
        if deadline and quantity.unit in ("percent", "score"):
            return _Kind("level_by", (_READ_FLOOR_AS_LEVEL,))
        if deadline:
            return _Kind("total", (_READ_AS_TOTAL,))
        return _Kind("floor", (_READ_AS_FLOOR,))

    # "til sammen 500 innen 2030": a sum.
    if _SUM.search(reading.work) and not annual and not percent:
        return _Kind("total", (_READ_AS_TOTAL, *no_deadline))

    # "nå 50 000 innen 2029" is a level to reach; without a deadline a per cent or a yearly
    # number ("oppnå 80 % belegg") holds every year.
    if _REACH.search(prefix):
        if deadline:
            return _Kind("level_by")
        if annual:
            return _Kind("floor")
        if percent:
            return _Kind("floor", (_READ_AS_FLOOR,))
        return _Kind("level_by", no_deadline)

    # "gjennomføre 20 konserter innen 2027": things made, counted until the deadline.
    if _MAKE.search(prefix) and deadline and not annual and not percent:
        return _Kind("total", (_READ_AS_TOTAL,))

    # "12 konserter i året": at least so many every year.
    if annual and not deadline:
        return _Kind("floor", (_READ_AS_FLOOR,))
    # "2,5 millioner kroner i sponsorinntekter innen 2027": a number and a deadline, no verb.
    if deadline and not re.search(r"[a-zæøå]", prefix.lower()):
        return _Kind("level_by", (_READ_WITHOUT_VERB,))
    return None
