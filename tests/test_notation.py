"""Dutch notation: one module for numbers, percentages, amounts and dates, with the strings the pages and reports
have always shown."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.template import Context, Template

from ivp import notation


def _old_report_number(value, digits=1) -> str:
    """The reports' own helper before ivp.notation took over (reports/assembly/common.fmt_number)."""
    if value is None:
        return "-"
    return f"{value:,.{digits}f}".replace(",", "X").replace(".", ",").replace("X", ".")


@pytest.mark.parametrize("value", [None, 0, 0.04, -0.04, 1.25, 12.34, 999.95, 1234.56, -1234.56, 1_234_567.891])
@pytest.mark.parametrize("digits", [0, 1, 2])
def test_decimal_writes_what_the_reports_wrote(value, digits):
    assert notation.decimal(value, digits) == _old_report_number(value, digits)


def test_numbers():
    assert notation.integer(32356) == "32.356"
    assert notation.integer(1_234_567.6) == "1.234.568"
    assert notation.integer(-1062) == "-1.062"
    assert notation.integer(None) == "-"
    assert notation.decimal(1234.56) == "1.234,6"
    assert notation.percent(12.34) == "12,3%"
    assert notation.percent(12.34, signed=True) == "+12,3%"
    assert notation.percent(-3.0, signed=True) == "-3,0%"
    assert notation.percent(None) == "-"


def test_money_is_reachable_from_notation():
    assert notation.euro(123456) == "€ 1.234,56"
    assert notation.euro(123456, symbol=False) == "1.234,56"
    assert notation.euro(-5) == "€ -0,05"
    assert notation.euro(None) == "-"


def test_dates():
    assert notation.date(dt.date(2026, 12, 4)) == "04-12-2026"
    assert notation.date(dt.datetime(2026, 3, 1, 23, 30)) == "01-03-2026"  # naive: taken as it is
    assert notation.date(None) == ""


def test_a_moment_is_dated_in_dutch_time():
    # 23:30 UTC on 31 December is already New Year's Day in the Netherlands (winter time, UTC+1)...
    assert notation.date(dt.datetime(2025, 12, 31, 23, 30, tzinfo=dt.UTC)) == "01-01-2026"
    # ... and 22:30 UTC on 30 June is 00:30 on 1 July in summer time (UTC+2).
    assert notation.date(dt.datetime(2026, 6, 30, 22, 30, tzinfo=dt.UTC)) == "01-07-2026"
    assert notation.date(dt.datetime(2026, 6, 30, 21, 30, tzinfo=ZoneInfo("UTC"))) == "30-06-2026"


def test_the_time_zone_is_the_platforms():
    assert notation.TIME_ZONE.key == settings.TIME_ZONE


def test_template_filters_use_the_same_notation():
    rendered = Template(
        "{% load money execution %}"
        "{{ cents|euro }}|{{ n|number }}|{{ missing|euro }}|{{ none|euros }}|{{ cents|euros }}"
    ).render(Context({"cents": 123456, "n": 32356, "none": None}))
    assert rendered == "€ 1.234,56|32.356||-|€ 1.234,56"
