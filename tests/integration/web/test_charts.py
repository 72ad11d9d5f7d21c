"""The SVG charts place values where they belong and always carry their data table."""

from __future__ import annotations

from decimal import Decimal

from django.template.loader import render_to_string

from openamo.web.charts import Series, Threshold, bar_chart, line_chart


def test_a_line_chart_puts_a_threshold_at_its_height_and_lists_every_value() -> None:
    chart = line_chart(
        "Part bio",
        [Series("2027", [("janv.", Decimal(10)), ("févr.", Decimal(30))])],
        thresholds=[Threshold("Objectif", Decimal(20))],
        unit="%",
    )
    # 0–50 % axis (next round value above 30): 20 % sits at 40 % of the plot height.
    plot = chart.baseline - 16
    assert chart.rules[0].y == round(chart.baseline - 0.4 * plot, 1)
    assert chart.lines[0].dots[1][1] < chart.rules[0].y < chart.lines[0].dots[0][1]
    assert chart.table_rows == [["janv.", "10\u00a0%"], ["févr.", "30\u00a0%"]]
    html = render_to_string("charts/_chart.html", {"chart": chart})
    assert "Objectif : 20\u00a0%" in html and "<polyline" in html


def test_bars_of_two_series_sit_side_by_side_and_negative_values_go_down() -> None:
    chart = bar_chart(
        "Écart",
        [
            Series("Sans AMO", [("A", Decimal("95000")), ("B", Decimal("-5000"))]),
            Series("Avec AMO", [("A", Decimal("82500"))]),
        ],
        unit="€",
    )
    a_without, b_without, a_with = chart.bars
    assert a_without.x < a_with.x
    assert a_without.height > a_with.height > 0
    assert b_without.y >= a_without.y + a_without.height - 1  # below the zero line
    assert chart.table_rows[1] == ["B", "-5\u202f000\u00a0€", "—"]


def test_an_empty_chart_says_so() -> None:
    chart = line_chart("Rien", [])
    assert chart.is_empty
    assert "Pas encore de données" in render_to_string("charts/_chart.html", {"chart": chart})
