"""F2/F3: an uploaded file of own figures is bounded before it is parsed (size, zip directory, rows, columns,
cell length), unreadable files get a Dutch message without the parser's English text, and values must fit
LocalFigure.value (14 digits, 4 decimals) before they reach the database."""

import io
import time
import zipfile

import openpyxl
import pytest
from django.utils import translation
from openpyxl import Workbook

from ivp.indicators import upload
from ivp.indicators.upload import COLUMNS, read_local_figures

HEADER = ",".join(COLUMNS) + "\n"
ROW = "GM0865,2023,vaak_onveilig,12.5,percentage,850,Testbron\n"


def _xlsx(extra=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS)
    sheet.append(["GM0865", 2023, "vaak_onveilig", 12.5, "percentage", 850, "Testbron"])
    if extra:
        extra(sheet)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _with_members(members: dict[str, bytes]) -> bytes:
    """The template workbook plus extra zip members."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_xlsx())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))
        for name, data in members.items():
            dst.writestr(name, data)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in English here (the msgids); the Dutch tests below switch to Dutch."""
    with translation.override("en"):
        yield


@pytest.fixture
def openpyxl_must_not_open(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl opened a file the zip directory already refuses")
    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


def _one_issue(content, name="cijfers.xlsx"):
    rows, issues = read_local_figures(name, content)
    assert rows == [] and len(issues) == 1, issues
    return issues[0]


def test_the_template_workbook_reads():
    rows, issues = read_local_figures("cijfers.xlsx", _xlsx())
    assert issues == [] and [(r.area_code, r.value) for r in rows] == [("GM0865", 12.5)]


def test_unpacked_size_is_checked_before_parsing(openpyxl_must_not_open):
    content = _with_members({"xl/media/padding.bin": b"\0" * (11 * 1024 * 1024)})
    assert len(content) < 100_000  # a small upload ...
    issue = _one_issue(content)  # ... that would unpack to 11 MB
    assert "10 MB" in issue.message and issue.file == "cijfers.xlsx"


def test_compression_ratio_is_checked_before_parsing(openpyxl_must_not_open):
    issue = _one_issue(_with_members({"xl/worksheets/sheet2.xml": b" " * (3 * 1024 * 1024)}))
    assert "not an ordinary workbook" in issue.message


def test_member_count_is_checked_before_parsing(openpyxl_must_not_open):
    issue = _one_issue(_with_members({f"xl/media/{i}.bin": b"x" for i in range(upload.MAX_ZIP_MEMBERS)}))
    assert str(upload.MAX_ZIP_MEMBERS) in issue.message


def test_a_cell_far_away_does_not_make_openpyxl_fill_in_a_million_rows():
    started = time.monotonic()
    issue = _one_issue(_xlsx(lambda sheet: sheet.cell(row=1_048_576, column=upload.MAX_COLUMNS + 1, value="x")))
    assert issue.line == 1_048_576 and "columns" in issue.message
    rows, issues = read_local_figures("cijfers.xlsx", _xlsx(lambda sheet: sheet.cell(row=1_048_576, column=16_384,
                                                                                       value="x")))
    assert issues == [] and len(rows) == 1
    assert time.monotonic() - started < 15  # was 29 s for one such file


def test_too_many_rows_are_refused_with_the_line():
    content = (HEADER + "".join(f"GM0865,2023,maat_{i},1,aantal,,Bron\n" for i in range(upload.MAX_ROWS + 1)))
    issue = _one_issue(content.encode(), name="cijfers.csv")
    assert issue.line == upload.MAX_ROWS + 2 and "10000" in issue.message


def test_too_long_cells_are_refused_with_the_field():
    issue = _one_issue((HEADER + ROW.replace("Testbron", "x" * (upload.MAX_CELL_CHARS + 1))).encode(), "c.csv")
    assert (issue.line, issue.field) == (2, "bron")


def test_too_many_columns_in_csv():
    issue = _one_issue((HEADER + ROW.strip() + "," * 20 + "x\n").encode(), "c.csv")
    assert issue.line == 2 and "20" in issue.message


@pytest.mark.parametrize("content", [b"PK\x03\x04 damaged", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
                                     _xlsx()[:-200]])
def test_unreadable_workbooks_get_a_dutch_message_without_english_parser_text(content):
    with translation.override("nl"):
        issue = _one_issue(content)
    assert "zip" not in issue.message.lower() and "file" not in issue.message.lower()
    assert "xlsx" in issue.message.lower() and ("opslaan" in issue.message or "sla" in issue.message)


def test_unreadable_csv_gets_a_dutch_message():
    with translation.override("nl"):
        issue = _one_issue((HEADER + 'GM0865,2023,"a' + "x" * 200_000 + "\n").encode(), "c.csv")
    assert "field larger" not in issue.message and "aanhalingstekens" in issue.message


@pytest.mark.parametrize("value, message", [
    ("9999999999.99999", "decimals"),  # rounds to 11 digits before the decimal sign
    ("1.23456", "decimals"),
    ("10000000000", "too large"),
    ("1e11", "too large"),
])
def test_values_must_fit_the_column(value, message):
    issue = _one_issue((HEADER + ROW.replace("12.5", value).replace("percentage", "aantal")).encode(), "c.csv")
    assert (issue.line, issue.field) == (2, "waarde") and message in issue.message


@pytest.mark.parametrize("value", ["9999999999.9999", "12.50000", "0.0001"])
def test_values_that_fit_are_accepted(value):
    rows, issues = read_local_figures("c.csv", (HEADER + ROW.replace("12.5", value)
                                                .replace("percentage", "aantal")).encode())
    assert issues == [] and len(rows) == 1
