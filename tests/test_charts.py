"""Charts' geometry: round axis steps, room for the axis's texts, gaps left as gaps."""

import pytest

from maalbilde.reports.charts import ChartSpec, Series


def chart(values, unit="count", kind="bar") -> ChartSpec:
    return ChartSpec("T", "D", [str(2020 + i) for i in range(len(values))],
                     [Series("S", values, kind)], unit=unit)  # fmt: skip


@pytest.mark.parametrize(
    ("highest", "unit", "step", "steps"),
    [
        (1136, "count", 250, 5),  # 250 × 5 = 1 250 is the first round top above 1 136
        (15.4, "count", 5, 4),  # 2,5 would not be a whole count
        (3, "count", 1, 3),  # never 0,8 events
        (2_359_500, "nok", 500_000, 5),
        (78.1, "percent", 20, 4),
        (0, "count", 1, 4),  # an empty chart: 0–4, whole steps
    ],
)
def test_the_axis_takes_round_steps(highest, unit, step, steps):
    assert chart([highest], unit).axis() == (step, steps)


def test_the_axis_makes_room_for_its_longest_text():
    geometry = chart([2_359_500], "nok").geometry()
    # "2 500 000 kr" is 12 characters: 12 + 7 × 12 = 96 units left of the plot, not 60.
    assert geometry["ticks"][-1]["text"] == "2\u00a0500\u00a0000\u00a0kr"
    assert geometry["left"] == 96


def test_a_gap_in_a_line_stays_a_gap():
    geometry = chart([2, None, None, 1, 3], kind="line").geometry()
    assert [len(line["points"].split()) for line in geometry["lines"]] == [1, 2]


def test_a_running_years_label_takes_two_lines():
    spec = ChartSpec("T", "D", ["2025", "2026 (så langt)"], [Series("S", [1, 2], "bar")])
    assert [label["lines"] for label in spec.geometry()["labels"]] == [
        ["2025"],
        ["2026", "(så langt)"],
    ]
