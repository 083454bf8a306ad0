"""The columnar figures of the online import (services/online_months.py), on small frames written here: SYNTHETIC
area codes (GM99xx, never issued by CBS) and made-up figures."""

import polars as pl
import pytest
from django.utils import translation

from ivp.indicators.services.online_import import UpdateWindow
from ivp.indicators.services.online_months import buurt_months, municipality_figures, yearly_sums
from ivp.opendata.odata.frames import COLUMNS
from ivp.opendata.snapshot.records import SnapshotError


def _frame(rows):
    """rows: (area code, year, kind, month, category, value)."""
    return pl.DataFrame([{"area_code": code, "area_level": {"GM": "gemeente", "WK": "wijk", "BU": "buurt"}[code[:2]],
                          "year": year, "kind": kind, "month": month, "quarter": None,
                          "measure": "GeregistreerdeMisdrijven_1", "category": category, "value": value}
                         for code, year, kind, month, category, value in rows], schema=COLUMNS)


def test_a_figure_served_twice_counts_once_the_last():
    first = _frame([("BU99010101", 2024, "month", 1, "1.1.1", 3), ("BU99010101", 2024, "month", 2, "1.1.1", 4)])
    again = _frame([("BU99010101", 2024, "month", 1, "1.1.1", 5)])
    months = buurt_months([first, again], ["1.1.1"], {"9901"}, None)
    assert sorted(months.iter_rows()) == [("1.1.1", "BU99010101", 2024, 1, 5), ("1.1.1", "BU99010101", 2024, 2, 4)]


def test_only_the_buurt_months_of_the_municipalities_types_and_window_are_kept():
    rows = [("BU99010101", 2023, "month", 12, "1.1.1", 1),  # before the window
            ("BU99010101", 2024, "month", 6, "1.1.1", 2),
            ("BU99020101", 2024, "month", 6, "1.1.1", 3),  # another municipality
            ("BU99010101", 2024, "month", 6, "9.9.9", 4),  # not an indicator type
            ("WK990101", 2024, "month", 6, "1.1.1", 5),  # a wijk
            ("BU99010101", 2024, "year", None, "1.1.1", 6)]  # a year figure
    months = buurt_months([_frame(rows)], ["1.1.1"], {"9901"}, UpdateWindow(2024, 1))
    assert months.rows() == [("1.1.1", "BU99010101", 2024, 6, 2)]


def test_municipality_figures_keep_years_and_months_from_the_windows_year():
    rows = [("GM9901", 2022, "year", None, "0.0.0", 100), ("GM9901", 2023, "year", None, "0.0.0", 110),
            ("GM9901", 2023, "month", 4, "0.0.0", 9), ("GM9902", 2023, "year", None, "0.0.0", 120)]
    figures = municipality_figures([_frame(rows)], ["0.0.0"], {"GM9901"}, UpdateWindow(2023, 7))
    assert figures.rows() == [("0.0.0", "GM9901", 2023, None, 110), ("0.0.0", "GM9901", 2023, 4, 9)]


@pytest.mark.parametrize("value", [-1, 2.5])
def test_a_value_that_is_not_a_count_is_refused_naming_area_and_period(value):
    frame = _frame([("GM9901", 2023, "year", None, "0.0.0", 1)]).with_columns(value=pl.lit(value))
    with translation.override("en"), pytest.raises(SnapshotError, match=r"not a count: .*\(GM9901, 2023\)"):
        municipality_figures([frame], ["0.0.0"], {"GM9901"}, None)


def test_yearly_sums_only_for_complete_years_and_none_when_a_month_is_missing():
    months = pl.DataFrame({"category": ["1.1.1"] * 24, "area_code": ["BU99010101"] * 12 + ["BU99010102"] * 12,
                           "year": [2024] * 24, "month": list(range(1, 13)) * 2,
                           "value": [1] * 12 + [None] + [2] * 11}).cast({"year": pl.Int32, "month": pl.Int32})
    partial = months.filter(pl.col("month") < 12).with_columns(area_code=pl.lit("BU99010103"))
    sums = yearly_sums(pl.concat([months, partial]), (), None)
    assert sorted(sums.iter_rows()) == [("1.1.1", "BU99010101", 2024, None, 12),
                                        ("1.1.1", "BU99010102", 2024, None, None)]
