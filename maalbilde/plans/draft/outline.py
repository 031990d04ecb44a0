"""A strategy document's shape, read from its text: the chapters and focus areas from its
headings, the goals, indicators and initiatives from the lists under "Mål:", "Indikator:"
and "Tiltak:", and the vision, mission, values and ambitions where it names them. Norwegian
strategy documents share this shape in bokmål and nynorsk; each rule is one pattern here, and
what fits none of them is kept as unplaced, to be reported."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

# List labels, bokmål and nynorsk, by what their items become.
LABELS = {
    "goals": r"(?:hoved|del|effekt|resultat)?mål(?:\s+(?:for|i)\s+perioden)?|målsetting(?:er|ar)?",
    "indicators": r"indikator(?:er|ar|ane|ene)?|måltal(?:l)?|slik\s+måler\s+vi(?:\s+det)?|"
                  r"slik\s+måler\s+me(?:\s+det)?",
    "initiatives": r"(?:tiltak|aktivitet(?:er|ar)?|handling(?:er|ar)?)"
                   r"(?:\s+(?:for|i)\s+(?:plan)?perioden)?",
    "contents": r"(?:innsats|satsings|fokus|mål)områd(?:e|er|a|ene)",
}  # fmt: skip
LABEL = re.compile(
    r"^(?:"
    + "|".join(f"(?P<{kind}>{pattern})" for kind, pattern in LABELS.items())
    + r")\s*:?\s*$",
    re.IGNORECASE,
)
# "Indikator: Tal på residensar", on the line after its goal: a list of one.
INLINE_LABEL = re.compile(
    r"^(?P<label>indikator(?:er|ar)?|måltal(?:l)?|tiltak|(?:vi|me)\s+måler|slik\s+måler\s+(?:vi|me))"
    r"\s*:\s*(?P<text>\S.*)$",
    re.IGNORECASE,
)
# "1.2 Me skal koprodusere …": a goal numbered within its focus area's number.
SUBITEM = re.compile(r"^\d{1,2}\.\d{1,2}\.?\s+(?P<text>[A-ZÆØÅ«\"].*)$")
BULLET = re.compile(r"^(?:[•▪◦‣●■□➢➤\-–—*]|o(?=\s)|\d{1,2}[.)](?=\s))\s*(?P<text>\S.*)$")
# "1: RELEVANTE …", "2. SAMFUNNSOPPDRAG", "OVERORDNA PERSPEKTIV: MANGFOLD …"
NUMBERED = re.compile(r"^(?P<number>\d{1,2})(?:\s*(?P<mark>[:.])\s*|\s+)(?P<title>\S.*)$")
# "Innsatsområde 2: Bærekraftig drift", "SATSINGSOMRÅDE 3 – PUBLIKUM": a focus area by name.
NAMED_AREA = re.compile(
    r"^(?:innsats|satsings|fokus|hovud|hoved)?(?:område|mål)\s+(?P<number>\d{1,2})\s*[:.–—-]\s*"
    r"(?P<title>\S.*)$",
    re.IGNORECASE,
)
PERSPECTIVE = re.compile(r"perspektiv|gjennomgåande|gjennomgående|tverrgåande|tverrgående",
                         re.IGNORECASE)  # fmt: skip
KEYS = {
    # "Visjon", "Visjon: …"; not "Visjonen vår er at …", a sentence (`VISION_IN_TEXT`).
    "vision": re.compile(r"^visjon(?:en)?(?:\s*:\s*(?P<rest>.*)|\s*)$", re.IGNORECASE),
    "mission": re.compile(
        r"^(?:samfunnsoppdrag(?:et)?|formål(?:et)?|oppdrag(?:et)?)(?:\s*:\s*(?P<rest>.*)|\s*)$",
        re.IGNORECASE,
    ),
    "values": re.compile(
        r"^(?:våre\s+)?verdi(?:er|ar|ane|ene)(?:\s*:\s*(?P<rest>.*)|\s*)$", re.IGNORECASE
    ),
}
# The plan's period: two years joined by a dash, near the word strategy, plan or period.
PERIOD = re.compile(
    r"(?:strategi|plan|periode)[^.]{0,60}?\b(?P<first>20\d\d)\s*[-–—]\s*(?P<last>20\d\d)\b"
    r"|\b(?P<first2>20\d\d)\s*[-–—]\s*(?P<last2>20\d\d)\b[^.]{0,20}?(?:strategi|plan)",
    re.IGNORECASE,
)
# "Strategi 2025 - 2030 for Norsk Teknisk Museum", "Strategiplan for Norske Kulturhus 2023-2027"
TITLE = re.compile(
    r"^(?P<title>(?:strategi|strategisk\s+plan|handlingsplan)\w*(?:\s+20\d\d\s*[-–—]\s*20\d\d)?"
    r"\s+(?:for|til)\s+(?P<name>[A-ZÆØÅ][\wæøåÆØÅ.]*(?:\s+(?:(?!Dato\b|Versjon\b|Vedtatt\b)[A-ZÆØÅ][\wæøåÆØÅ.]*|og|i|for|–|-))*)"
    r"(?:\s+20\d\d\s*[-–—]\s*20\d\d)?)",
    re.IGNORECASE,
)
# "Strategiplan 2026–2029" on a line of its own, the organisation's name on the line before
# or after it.
TITLE_ALONE = re.compile(
    r"^(?:strategi|strategisk\s+plan|handlingsplan|plan)\w*(?:\s+(?:for|til)\s+\w+){0,1}"
    r"\s+20\d\d\s*[-–—]\s*20\d\d$",
    re.IGNORECASE,
)
NAME_DASH_TITLE = re.compile(
    r"^(?P<name>[A-ZÆØÅ][^–—]{2,60}?)\s+[–—-]\s+(?P<title>(?:strategi|strategisk\s+plan|handlingsplan"
    r"|plan)\w*\s+20\d\d\s*[-–—]\s*20\d\d)$",
    re.IGNORECASE,
)
NAME_LINE = re.compile(r"^[A-ZÆØÅ][^.!?:;]{1,80}$")
# "Planen har fem innsatsområder:", "Strategien har fem satsingsområde:": a list of the
# focus areas' names, read again under their own headings.
CONTENTS_LEAD = re.compile(
    r"(?:(?:innsats|satsings|fokus)områd\w*|(?:hoved|hovud)mål\w*)\b[^:]*:\s*$", re.IGNORECASE
)
# "UTSTILLING OG UTSTILLINGS-", "FRIVILLIGHET OG": a heading's line that cannot end it.
HEADING_GOES_ON = re.compile(r"(?:-|,|\b(?:og|eller|i|for|til|med|av|på|som)\s*)$", re.IGNORECASE)
TABLE_ROW = re.compile(r"^[^|]+(?:\s\|\s[^|]+)+$")
SEPARATOR = re.compile(r"^[-_=*]{3,}$")
MARKED_HEADING = re.compile(r"^#{1,6}\s+(?=\S)")
# A heading in lower case: a capital, then words without digits or a sentence's marks.
PLAIN_HEADING = re.compile(r"^[A-ZÆØÅ][^\d.,:;!?«»\"()]{1,59}$")
# Captions and credits are no headings of lists.
NOT_HEADING = re.compile(r"^(?:foto|figur|tabell|kilde|illustrasjon)\b", re.IGNORECASE)
VISION_IN_TEXT = re.compile(
    r"visjon(?:en)?(?:\s+vår)?\s+(?:om|er)\s+(?:at\s+)?(?P<vision>[^.\n]+)", re.IGNORECASE
)
VALUES_IN_TEXT = re.compile(
    r"(?:skal|vil)\s+(?:vi|me)\s+være\s+(?P<values>[\wæøåÆØÅ]+(?:,\s*[\wæøåÆØÅ]+)*\s+og\s+"
    r"[\wæøåÆØÅ]+)\.\s+(?:Disse|Desse)\s+verdi(?:ene|ane|er|ar)",
    re.IGNORECASE,
)
AMBITIONS_LEAD = re.compile(
    r"ambisjon(?:er|ar)\b.*(?:er\s+å|vil\s+være|:)\s*$"
    r"|(?:særleg|særlig|spesielt)\s+prioritere\s*:\s*$", re.IGNORECASE)  # fmt: skip
# Words joined across a line break keep their hyphen before these ("forsker- og kunnskaps…").
KEEP_HYPHEN_BEFORE = ("og ", "eller ", "til ", "og/")


@dataclass
class Item:
    text: str
    line: int
    goal: Item | None = None  # the goal an indicator is written under ("Indikator: …")
    several: bool = False  # "Vi måler: a, b, c": one item yet, several when read whole


@dataclass
class Area:
    number: str
    title: str
    perspective: bool
    line: int
    goals: list[Item] = field(default_factory=list)
    indicators: list[Item] = field(default_factory=list)
    initiatives: list[Item] = field(default_factory=list)
    description: list[str] = field(default_factory=list)  # paragraphs under its heading


@dataclass
class Section:
    number: str
    title: str
    line: int
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class Outline:
    title: str = ""
    organisation: str = ""
    introduction: list[str] = field(default_factory=list)
    period: tuple[int, int] | None = None
    vision: str = ""
    mission: str = ""
    values: list[tuple[str, str]] = field(default_factory=list)  # (name, what it means)
    ambitions: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    areas: list[Area] = field(default_factory=list)
    contents: list[Item] = field(default_factory=list)  # "Innsatsområder:" listed
    unplaced: list[Item] = field(default_factory=list)


def _clean(line: str) -> str:
    return re.sub(r"[ \t\f\v\u00a0\u2009\u202f]+", " ", line).strip()


def _uppercase(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) / len(letters) > 0.8


def _joined(first: str, then: str) -> str:
    """Two lines of one sentence or heading: a word broken at a hyphen joined again."""
    if first.endswith("-") and len(first) > 1 and first[-2].isalpha() and not then.lower(
            ).startswith(KEEP_HYPHEN_BEFORE):  # fmt: skip
        return first[:-1] + then
    if first.endswith("/"):  # "skole-/" and "barnehagebestillinger": one word
        return first + then
    return f"{first} {then}"


def outline_of(text: str) -> Outline:
    """The document's outline (see the module's text)."""
    lines = [_clean(line) for line in text.split("\n")]
    # "## Publikum": a heading marked as in Markdown, and as a Word file's headings are read.
    marked = {index for index, line in enumerate(lines) if MARKED_HEADING.match(line)}
    lines = [MARKED_HEADING.sub("", line) for line in lines]
    outline = Outline()
    casing = _casing(lines)
    area: Area | None = None
    section: Section | None = None
    listing: str | None = None  # the kind of list being read
    item: Item | None = None
    paragraph = ""
    pending_heading: tuple[str, str, int] | None = None  # a heading not yet an area or section
    opening: int | None = None  # a list label's heading line, -1 for the heading above
    last_listed = -1  # the index of the last line read into a list
    broken: Item | None = None  # the last item, ended by a blank line
    index = 0

    def close_paragraph() -> None:
        nonlocal paragraph
        if paragraph:
            text_here().append(paragraph)
            paragraph = ""

    def text_here() -> list[str]:
        """Where running text goes: the chapter's; the focus area's before its lists (after
        them it is seldom the area's); or the introduction."""
        if section:
            return section.paragraphs
        if area and not (area.goals or area.indicators or area.initiatives):
            return area.description
        return outline.introduction

    def stands_alone(at: int, take: bool = False) -> bool:
        """Whether the line at `at` is a paragraph of its own, to be a heading; with `take`,
        taken out of the running text."""
        nonlocal paragraph
        if paragraph == lines[at]:
            if take:
                paragraph = ""
            return True
        if paragraph:
            return False
        paragraphs = text_here()
        if paragraphs and paragraphs[-1] == lines[at]:
            if take:
                paragraphs.pop()
            return True
        return False

    def open_area(at: int) -> Area:
        """The focus area a list opens: under the line `at` written as a heading, or else
        (-1) under the heading above; a chapter of that heading becomes the area, its text
        the area's description."""
        nonlocal section
        if at >= 0:
            stands_alone(at, take=True)
            number_, title = _numbered(lines[at])
            opened = Area(number_, title, bool(PERSPECTIVE.search(title)), at + 1)
        else:
            number_, title, line_ = pending_heading or ("", "", number)
            opened = Area(number_, title, bool(PERSPECTIVE.search(title)), line_)
            if pending_heading and outline.sections and outline.sections[-1].line == line_:
                opened.description = outline.sections.pop().paragraphs
        outline.areas.append(opened)
        section = None
        return opened

    while index < len(lines):
        line, number = lines[index], index + 1
        index += 1
        if not line:
            if item is not None:
                broken = item  # a PDF may break an item with a blank line: see below
            item = None
            close_paragraph()
            continue
        if TABLE_ROW.match(line) and re.search(r"\d", line):
            # A table's row with figures ("Besøkende Tangen | 36 200 | 45 000"): its figures
            # may be targets, which no rule reads from a table; listed for a person.
            close_paragraph()
            outline.unplaced.append(Item(f"tabellrad: {line}", number))
            continue
        if SEPARATOR.match(line):  # "---": what follows belongs to no focus area
            close_paragraph()
            listing, item, area, section, opening = None, None, None, None, None
            continue
        label = LABEL.match(line)
        if label:
            close_paragraph()
            listing = next(kind for kind, found in label.groupdict().items() if found)
            item = None
            before = _previous(lines, number - 1)
            opening = None
            if listing == "contents":
                pass
            elif (
                before is not None
                and before != last_listed
                and not _uppercase(lines[before])
                and _list_heading(lines[before])
                and stands_alone(before)
            ):
                # "Overordnet perspektiv: Tilgjengelighet" and then "Mål:": a heading
                # written as a line of text.
                opening = before
            elif area is None:
                opening = -1  # the heading above, or none
            continue
        heading = _heading(line, lines, index, marked=number - 1 in marked)
        if heading is not None:
            close_paragraph()
            number_, title, used = heading
            index += used
            title = _cased(title, casing)
            listing, item, area, opening = None, None, None, None
            pending_heading = (number_, title, number)
            numbered = NUMBERED.match(line)
            if (
                (numbered and numbered.group("mark") == ":")
                or NAMED_AREA.match(line)
                or PERSPECTIVE.search(title)
            ):
                area = Area(number_, title, bool(PERSPECTIVE.search(title)), number)
                outline.areas.append(area)
                section = None
            else:
                section = Section(number_, title, number)
                outline.sections.append(section)
            continue
        inline = INLINE_LABEL.match(line)
        if inline and area is not None:
            # "Indikator: Tal på residensar" under its goal, "Tiltak: …": a list of one.
            close_paragraph()
            kind = "initiatives" if inline["label"].lower() == "tiltak" else "indicators"
            several = "måler" in inline["label"].lower()  # "Vi måler: antall …, andel …"
            measured = area.goals[-1] if kind == "indicators" and area.goals else None
            item = Item(inline["text"], number, goal=None if several else measured,
                        several=several)  # fmt: skip
            getattr(area, kind).append(item)
            listing, last_listed = listing or "goals", number - 1
            continue
        numbered_goal = SUBITEM.match(line)
        if numbered_goal and listing in (None, "goals") and (area or pending_heading):
            # "1.1 Me skal …" under "1 KUNSTNARLEG UTVIKLING": the area's goals, numbered.
            close_paragraph()
            if area is None:
                area, opening = open_area(-1), None
            item = Item(numbered_goal["text"], number)
            area.goals.append(item)
            listing, last_listed = "goals", number - 1
            continue
        bullet = BULLET.match(line)
        before = _previous(lines, number - 1)
        if (
            bullet
            and before is not None
            and before != last_listed
            and _list_heading(lines[before])
            and stands_alone(before)
        ):
            if CONTENTS_LEAD.search(lines[before]) and not NAMED_AREA.match(lines[before]):
                listing = "contents"  # "Planen har fem innsatsområder:" and their names
            else:
                # "Engasjement og formidling:" (or a short line without a full stop) followed
                # by dashes: a focus area whose goals they are.
                area, listing, opening = open_area(before), "goals", None
        if listing and bullet:
            if opening is not None and listing != "contents":
                area, opening = open_area(opening), None
            item = Item(bullet.group("text"), number)
            target = outline.contents if listing == "contents" else getattr(area, listing)
            target.append(item)
            last_listed = number - 1
            continue
        # "300 på Rockheim …" after a blank line too: a PDF's lines may stand far apart.
        goes_on = line[:1].islower() or line[:1].isdigit() or line[:1] == "("
        if listing and item is None and broken is not None and goes_on and not (
                broken.text.endswith((".", ":", "!", "?"))):  # fmt: skip
            item = broken  # the item goes on after a blank line, in the middle of a sentence
        if listing and item is not None:
            item.text = _joined(item.text, line)
            last_listed = number - 1
            continue
        listing, opening = None, None  # a line of text after a blank one ends the list
        paragraph = _joined(paragraph, line) if paragraph else line
    close_paragraph()
    # "Hovudmål 1: …" listed in the introduction and again over its goals: the list's line
    # is no focus area of its own, and the text after it the introduction's.
    titles = Counter(found.title.lower() for found in outline.areas)
    for found in list(outline.areas):
        listless = not (found.goals or found.indicators or found.initiatives)
        if listless and titles[found.title.lower()] > 1:
            outline.areas.remove(found)
            outline.introduction += found.description
    for found in outline.areas:
        _read_in_prose(found)
    _keys(outline, lines, casing, frozenset(marked))
    return outline


def _read_in_prose(area: Area) -> None:
    """A focus area written as running text ("Satsingsområde 1 – Publikum" and then "Vi
    skal ha 4 000 besøkende i 2028. Minst to nye utstillinger i året."): the sentences of its
    first paragraph are its goals; "Vi måler: a, b og c" its indicators."""
    area.indicators = [
        one for item in area.indicators for one in (
            [Item(name, item.line) for name in _listed(item.text)] if item.several else [item])
    ]  # fmt: skip
    if area.goals or not area.description or not area.title:
        return
    line = area.line + 1
    area.goals = [Item(sentence, line) for sentence in SENTENCE_END.split(area.description.pop(0))]


# Where a sentence ends: a full stop and a capital ("2024). Minst to …"), not "ca. 6 200".
SENTENCE_END = re.compile(r"(?<=[.!?)])\s+(?=[A-ZÆØÅ])")


def _listed(text: str) -> list[str]:
    """ "antall besøkende (billettkassa og gratisdagene), antall nye utstillinger og andel …":
    the items of a list written in a sentence, split at commas and the last "og" outside
    brackets."""
    parts = re.split(r",\s*|\s+og\s+(?![^(]*\))", text.rstrip("."))
    found = [part.strip() for part in parts if part.strip()]
    return [part[:1].upper() + part[1:] for part in found]


def _previous(lines: list[str], index: int) -> int | None:
    """The index of the last line before `index` with text."""
    return next((i for i in range(index - 1, -1, -1) if lines[i]), None)


def _numbered(heading: str) -> tuple[str, str]:
    """A heading's number and title: "1: Et levende program", "Innsatsområde 2 – Drift"."""
    found = NUMBERED.match(heading) or NAMED_AREA.match(heading)
    if not found:
        return "", heading.rstrip(":").strip()
    title = found.group("title").rstrip(":").strip()
    return found.group("number"), title[:1].upper() + title[1:]


def _list_heading(line: str) -> bool:
    """Whether a line heads a list of goals: a short line, not a sentence (no full stop) or
    ending with a colon, that is no label, no key (vision, values) and no lead-in to the
    ambitions."""
    return (len(line) <= 80 and not line.endswith((".", "!", "?")) and not LABEL.match(line)
            and not NOT_HEADING.match(line)
            and not BULLET.match(line) and not AMBITIONS_LEAD.search(line)
            and not any(key.match(line) for key in KEYS.values()))  # fmt: skip


def _heading(
    line: str, lines: list[str], after: int, *, marked: bool = False
) -> tuple[str, str, int] | None:
    """(number, title, lines used after this one) if the line is a heading: marked as one,
    in capitals, numbered or not, its title going on over the next lines in capitals, or
    standing alone in lower case (`_plain_heading`)."""
    numbered = NUMBERED.match(line) or NAMED_AREA.match(line)
    title = numbered.group("title") if numbered else line
    if marked or (NAMED_AREA.match(line) and not _uppercase(title) and len(line) <= 100):
        return (numbered.group("number") if numbered else ""), title.rstrip(":").strip(), 0
    if not _uppercase(title):
        plain = 0 < after <= len(lines) and _plain_heading(lines, after - 1)
        return ("", line, 0) if plain else None
    if len(title) > 120 or (BULLET.match(line) and not numbered):
        return None
    used = 0
    while after + used < len(lines):
        # "UTSTILLING OG UTSTILLINGS-", a blank line, "TEKNOLOGI": a PDF's lines of one
        # heading may stand apart, but a word broken at its end goes on.
        skip = 1 if not lines[after + used] and HEADING_GOES_ON.search(title) else 0
        following = lines[after + used + skip] if after + used + skip < len(lines) else ""
        if not following or not _uppercase(following) or LABEL.match(following):
            break
        title = _joined(title.rstrip(), following)
        used += 1 + skip
    title = re.sub(r"\s*:\s*", ": ", title).strip(" :")
    return (numbered.group("number") if numbered else ""), title, used


def _plain_heading(lines: list[str], at: int) -> bool:
    """Whether the line at `at` is a chapter's heading written in lower case ("Innledning",
    "Føreord", "Oppfølging"): a few words alone between blank lines, no sentence, number or
    list, before running text."""
    line = lines[at]
    following = next((other for other in lines[at + 1 :] if other), None)
    return (
        (at == 0 or not lines[at - 1])
        and (at + 1 >= len(lines) or not lines[at + 1])
        and following is not None
        and not BULLET.match(following)
        and not LABEL.match(following)
        and len(line.split()) <= 6
        and PLAIN_HEADING.match(line) is not None
        and not BULLET.match(line)
        and not LABEL.match(line)
        and not NOT_HEADING.match(line)
        and not any(key.match(line) for key in KEYS.values())
    )


def _casing(lines: list[str]) -> dict[str, str]:
    """Each word's usual spelling in the document's running text, for headings in
    capitals: "ROCKHEIM" is written Rockheim, "FORMIDLINGSTILBUD" formidlingstilbud. A
    sentence's first word says nothing ("Museet har …"), unless the word is never written
    elsewhere ("Dansekyst er …")."""
    seen: dict[str, Counter[str]] = {}
    first: dict[str, str] = {}
    for line in lines:
        if _uppercase(line):
            continue
        for found in re.finditer(r"[\wæøåÆØÅ]+", line):
            word = found.group()
            if SENTENCE_START.search(line[: found.start()]) and word[:1].isupper():
                first.setdefault(word.lower(), word)
            else:
                seen.setdefault(word.lower(), Counter())[word] += 1
    usual = {lower: spellings.most_common(1)[0][0] for lower, spellings in seen.items()}
    return first | usual


# Before a sentence's first word: the line's start, or a full stop, colon and so on.
SENTENCE_START = re.compile(r"(?:^|[.!?:•–-])\W*$")


def _cased(title: str, casing: dict[str, str]) -> str:
    """A heading in capitals written as a sentence, names as the text writes them."""
    if not _uppercase(title):
        return title

    def word(match: re.Match[str]) -> str:
        found = match.group(0)
        return casing.get(found.lower(), found.lower())

    written = re.sub(r"[\wæøåÆØÅ]+", word, title)
    return written[:1].upper() + written[1:]


def _title_lines(outline: Outline, lines: list[str], casing: dict[str, str]) -> None:
    """A title on a line of its own with the organisation's name on the line before or after
    it ("Kulturhuset Fjordlys" / "Strategiplan 2026–2029"), near the top; the two lines are
    then no text of the introduction or a chapter."""
    top = [index for index, line in enumerate(lines) if line][:12]
    for index in top:
        dashed = NAME_DASH_TITLE.match(lines[index])
        if dashed:  # "Sørkyst kunstmuseum – Strategi 2026–2029"
            name = _cased(dashed["name"], casing)
            outline.title = f"{_cased(dashed['title'], casing)} for {name}"
            outline.organisation = name
            _drop_title_text(outline, {lines[index], _cased(lines[index], casing)}, lines[index])
            return
        if not TITLE_ALONE.match(lines[index]):
            continue
        named = TITLE.match(lines[index])
        if named:  # "STRATEGI FOR DANSEKYST 2025–2029": the line names the organisation
            outline.title = _cased(lines[index], casing)
            outline.organisation = _cased(named["name"].strip(" –-"), casing)
            _drop_title_text(outline, {lines[index], outline.title}, lines[index])
            return
        for other in (index - 1, index + 1):
            if other not in top or not NAME_LINE.match(lines[other]) or LABEL.match(lines[other]):
                continue
            if TITLE_ALONE.match(lines[other]) or any(k.match(lines[other]) for k in KEYS.values()):
                continue
            title, name = _cased(lines[index], casing), _cased(lines[other], casing)
            outline.title = title if re.search(r"\s(?:for|til)\s", title) else f"{title} for {name}"
            outline.organisation = name
            written = {lines[index], lines[other], _cased(lines[other], casing),
                       _cased(lines[index], casing)}  # fmt: skip
            joined = " ".join(lines[min(index, other) : max(index, other) + 1])
            _drop_title_text(outline, written, joined)
            return


def _drop_title_text(outline: Outline, written: set[str], joined: str) -> None:
    """The title's lines are no text of the introduction, nor a chapter of their own."""
    outline.introduction = [p for p in outline.introduction if p != joined and p not in written]
    for section in list(outline.sections):
        if section.title in written:  # the title or name in capitals read as a chapter
            outline.sections.remove(section)
            rest = [p for p in section.paragraphs if p not in written]
            outline.introduction = rest + outline.introduction


def _keys(
    outline: Outline, lines: list[str], casing: dict[str, str], marked: frozenset[int]
) -> None:
    """The vision, mission, values, ambitions and period where the document states them."""
    text = "\n".join(lines)
    _title_lines(outline, lines, casing)
    for index, line in enumerate(lines):
        titled = TITLE.match(line) if not outline.title else None
        if titled:
            outline.title, outline.organisation = titled["title"], titled["name"].strip(" –-")
        for key, pattern in KEYS.items():
            found = pattern.match(line)
            if not found or getattr(outline, key):
                continue
            following = _following(lines, index + 1, marked)
            rest = (found.group("rest") or "").strip()
            if rest and following and following[0][:1].islower():
                # "Visjon: … skal ha et" going on over the next line: one text.
                rest, following = _paragraph([rest, *following]), []
            if key == "values":
                if not rest and len(following) == 1 and not BULLET.match(following[0]):
                    rest = following[0]  # "Verdier" and then "Raus, modig, profesjonell"
                if rest:
                    named = [(v, "") for v in re.split(r",|;|\s[–—-]\s|\bog\b", rest)]
                else:  # "• Nysgjerrig – vi stiller spørsmål og lytter."
                    named = [_value(v) for v in _items(following)]
                outline.values = [(v.strip().rstrip("."), meaning) for v, meaning in named
                                  if v.strip() and len(v.split()) <= 3]  # fmt: skip
            else:
                setattr(outline, key, rest or _paragraph(following))
        if AMBITIONS_LEAD.search(line) and not outline.ambitions:
            outline.ambitions = [a for a in _items(_following(lines, index + 1, marked))
                                 if len(a) <= 200]  # fmt: skip
    if not outline.vision:
        found = VISION_IN_TEXT.search(text.replace("\n", " "))
        outline.vision = found.group("vision").strip() if found else ""
    if not outline.values:
        found = VALUES_IN_TEXT.search(text.replace("\n", " "))
        if found and found.group("values"):
            named = re.split(r",|\s+og\s+", found.group("values"))
            outline.values = [(v.strip().capitalize(), "") for v in named if v.strip()]
    mission = next((s for s in outline.sections if "samfunnsoppdrag" in s.title.lower()), None)
    if not outline.mission and mission and mission.paragraphs:
        outline.mission = mission.paragraphs[0]
    period = PERIOD.search(text)
    if period:
        first, last = (
            int(period["first"] or period["first2"]),
            int(period["last"] or period["last2"]),
        )
        outline.period = (first, last) if first < last else None


def _paragraph(lines: list[str]) -> str:
    """Lines of one paragraph as one text, words broken at a line's end joined again."""
    text = ""
    for line in lines:
        text = _joined(text, line) if text else line
    return text


def _items(lines: list[str]) -> list[str]:
    """A list's items: a line with a bullet starts one, a line without goes on with it."""
    items: list[str] = []
    for line in lines:
        bullet = BULLET.match(line)
        if bullet or not items:
            items.append(bullet.group("text") if bullet else line)
        else:
            items[-1] = _joined(items[-1], line)
    return items


def _value(item: str) -> tuple[str, str]:
    """A value and what it means: "Nysgjerrig – vi stiller spørsmål og lytter."."""
    parts = re.split(r"\s[–—-]\s|:\s", item, maxsplit=1)
    return parts[0], parts[1].strip() if len(parts) > 1 else ""


def _following(lines: list[str], start: int, marked: frozenset[int] = frozenset()) -> list[str]:
    """The lines after `start` up to the next blank line or heading."""
    found = []
    for index, line in enumerate(lines[start:], start):
        if not line or index in marked or LABEL.match(line) or _heading(line, [], 0) or any(
                key.match(line) for key in KEYS.values()):  # fmt: skip
            if found:
                break
            continue
        found.append(line)
    return found
