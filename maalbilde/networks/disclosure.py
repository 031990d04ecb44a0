"""Disclosure control: which aggregates of members' answers may be shown to anyone but the
secretariat, so that nobody recovers another member's exact answer — not from one release,
not by comparing releases made at different times, not together with one other member.

The threat model and the reasoning are in docs/networks.md. In short:

* A **sum** (and a mean, which is a sum over a published count) is a linear equation over the
  answers of the members who contributed to it. Every figure ever released for one measure
  (a number question, or one option of a survey question) is a row of a linear system whose
  unknowns are the answers each member gave (a corrected answer is a new unknown). An answer
  is given away exactly when the system, after an attacker and one other member put in what
  they know of their own answers, determines it. `solvable` decides that exactly, with
  rational arithmetic; `hold_back` keeps a new cell out of a release when it would make an
  answer solvable that was not before. This covers one more approval between two releases,
  a reopened answer, a correction, and combinations of any number of releases and groups.
* **Limits** give answers away where sums cannot: counts in which all but one or two
  respondents chose the same (a unanimous one too), a sum at the least or most every answer
  may be, and the same of what changed between two releases (four newcomers who all said
  Ja). `alike` decides that, on the answers and on what `changed`.
* A **quartile** of a handful of answers is one of the answers. Quartiles are shown only from
  `NETWORK_MIN_ANSWERS_FOR_QUARTILES` answers and rounded (`rounded_quartile`), so that a
  shown quartile is a band of possible answers, never one answer.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from fractions import Fraction
from typing import TypeVar

# The attacker and one other member, pooling what they know of their own answers.
COALITION = 2

# A measure's contributions in one released cell: each contributing member and its answer.
Contributions = Mapping[int, float]
Cell = TypeVar("Cell", bound=Hashable)
Measure = TypeVar("Measure", bound=Hashable)
Unknown = tuple[int, float]

# The finest step a quartile is rounded to, by the unit of the question. Whole-number units
# (counts, kroner, hours) at least to tens, so that a quartile stands for ten possible answers
# or more; percentages and full-time equivalents, answered with a decimal, to whole units;
# ratios (tickets per seat) to two significant digits, and never finer than hundredths.
QUARTILE_STEP = {"percent": 1.0, "fte": 1.0, "scale": 0.5, "ratio": 0.01}
WHOLE_NUMBER_STEP = 10.0


def rounded_quartile(value: float | None, unit: str) -> float | None:
    """A quartile as it may be shown: to two significant digits, and never finer than the
    unit's step (`QUARTILE_STEP`)."""
    if value is None:
        return None
    magnitude = 10 ** (math.floor(math.log10(abs(value))) - 1) if value else 0.0
    step = max(magnitude, QUARTILE_STEP.get(unit, WHOLE_NUMBER_STEP))
    # Half away from zero, as statistics offices round, not to the even step.
    return float(math.copysign(math.floor(abs(value) / step + 0.5) * step, value))


def solvable(rows: Iterable[Contributions], coalition: int = COALITION) -> set[Unknown]:
    """The answers that some group of up to `coalition` members can work out exactly from
    released sums over `rows` (each row: the members contributing and their answers),
    knowing their own answers. An answer of one of the coalition is not counted: they knew
    it."""
    rows = [dict(row) for row in rows]
    pattern: dict[Unknown, frozenset[int]] = {}
    for index, row in enumerate(rows):
        for member, value in row.items():
            unknown = (member, float(value))
            pattern[unknown] = pattern.get(unknown, frozenset()) | {index}
    # Unknowns that appear in exactly the same rows always appear added together: a class,
    # one column of the system.
    grouped: dict[frozenset[int], list[Unknown]] = {}
    for unknown, rows_of in pattern.items():
        grouped.setdefault(rows_of, []).append(unknown)
    columns = list(grouped)
    classes = [grouped[c] for c in columns]
    # A class's sum is determined, once the classes V the coalition knows whole are taken
    # out, exactly when its row of the null space lies in the span of the rows of V.
    null = _null_space_rows(len(rows), columns)
    # Only members in small classes can, by what they know, leave one unknown alone in a class
    # or take a class out of the system.
    small = [j for j, members in enumerate(classes) if len(members) <= coalition + 1]
    helpers = sorted({u[0] for j in small for u in classes[j]})
    found: set[Unknown] = set()
    for size in range(coalition + 1):
        for known in itertools.combinations(helpers, size):
            gone = [null[j] for j in small if all(u[0] in known for u in classes[j])]
            for j in small:
                left = [u for u in classes[j] if u[0] not in known]
                if len(left) == 1 and left[0] not in found and _in_span(null[j], gone):
                    found.add(left[0])
    return found


def _null_space_rows(height: int, columns: list[frozenset[int]]) -> list[dict[int, Fraction]]:
    """For each column (given by the rows it has a 1 in), its row of a basis of the null space,
    as {free column: coefficient}: from the reduced row echelon form, in exact arithmetic."""
    matrix = [[Fraction(int(r in c)) for c in columns] for r in range(height)]
    pivot_row: dict[int, int] = {}
    row = 0
    for col in range(len(columns)):
        if row == height:
            break
        pivot = next((r for r in range(row, height) if matrix[r][col]), None)
        if pivot is None:
            continue
        matrix[row], matrix[pivot] = matrix[pivot], matrix[row]
        lead = matrix[row][col]
        matrix[row] = [x / lead for x in matrix[row]]
        for r in range(height):
            if r != row and matrix[r][col]:
                factor = matrix[r][col]
                matrix[r] = [x - factor * y for x, y in zip(matrix[r], matrix[row], strict=True)]
        pivot_row[col] = row
        row += 1
    free = [col for col in range(len(columns)) if col not in pivot_row]
    return [
        {f: -matrix[pivot_row[col]][f] for f in free if matrix[pivot_row[col]][f]}
        if col in pivot_row else {col: Fraction(1)}
        for col in range(len(columns))
    ]  # fmt: skip


def _in_span(vector: dict[int, Fraction], basis: list[dict[int, Fraction]]) -> bool:
    """Whether a sparse vector is a linear combination of a few others (exact)."""
    if not vector:
        return True
    reduced: list[tuple[int, dict[int, Fraction]]] = []
    for candidate in [*basis, vector]:
        v = dict(candidate)
        for pivot, b in reduced:
            if v.get(pivot):
                factor = v[pivot] / b[pivot]
                for k, x in b.items():
                    v[k] = v.get(k, Fraction(0)) - factor * x
                v = {k: x for k, x in v.items() if x}
        if candidate is vector:
            return not v
        if v:
            reduced.append((next(iter(v)), v))
    return False


def alike(answers: Mapping[int, Hashable], coalition: int = COALITION) -> bool:
    """Whether all but at most `coalition` of the members gave the same answer: those outside
    it then know every other answer. Linear algebra cannot see this where answers have limits
    (a choice is made or not; a number has its least and most), so it is a rule of its own.
    An answer that cannot be told from another (a number inside its limits) is given as a
    value of its own, so that it never counts as alike."""
    tally = Counter(answers.values())
    return bool(answers) and max(tally.values()) >= len(answers) - coalition


def changed(before: Mapping[int, Hashable], after: Mapping[int, Hashable]) -> dict[int, tuple]:
    """What happened to each member between two releases of a cell: came with an answer,
    went with one, or changed from one to another. Members that stayed as they were are not
    in it."""
    moves: dict[int, tuple] = {m: ("came", a) for m, a in after.items() if m not in before}
    moves |= {m: ("went", b) for m, b in before.items() if m not in after}
    moves |= {m: ("changed", before[m], a) for m, a in after.items()
              if m in before and before[m] != a}  # fmt: skip
    return moves


def hold_back(
    candidates: Mapping[Cell, Mapping[Measure, Contributions]],
    released: Mapping[Measure, Sequence[Contributions]],
) -> set[Cell]:
    """The candidate cells that must be held back. A cell releases a sum for each of its
    measures; `released` has every sum of each measure released before. Cells are taken in
    the order given, and each is released only if no answer becomes solvable that was not
    already, given everything released before and every cell taken before it."""
    shown: dict[Measure, list[Contributions]] = {m: list(rows) for m, rows in released.items()}
    before: dict[Measure, set[Unknown]] = {}
    held: set[Cell] = set()
    for cell, measures in candidates.items():
        after: dict[Measure, set[Unknown]] = {}
        for measure, contributions in measures.items():
            rows = shown.get(measure, [])
            if measure not in before:
                before[measure] = solvable(rows)
            after[measure] = solvable([*rows, contributions])
            if not after[measure] <= before[measure]:
                held.add(cell)
                break
        else:
            for measure, contributions in measures.items():
                shown.setdefault(measure, []).append(contributions)
            before.update(after)
    return held
