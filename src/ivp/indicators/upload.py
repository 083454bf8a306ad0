"""Reading an uploaded file of local figures (CSV or XLSX, one template) into validated rows.

Template columns: gebied_code, jaar, maat, waarde, eenheid, steekproef_n, bron. Errors name the
file, the line (row) and the field; a file with any error is refused as a whole.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from ivp.core.tabular import csv_writer
from ivp.opendata.snapshot.records import ImportIssue

logger = logging.getLogger(__name__)

COLUMNS = ["gebied_code", "jaar", "maat", "waarde", "eenheid", "steekproef_n", "bron"]
UNITS = {"aantal", "percentage", "score"}
AREA = re.compile(r"^(GM\d{4}|WK\d{6}|BU\d{8})$")
MEASURE = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
TEMPLATE_EXAMPLE = ["GM0000", "2023", "voorbeeld_maat", "12.5", "percentage", "850",
                    "Veiligheidsmonitor 2023 (voorbeeldregel)"]
MAX_BYTES = 5 * 1024 * 1024
# LocalFigure.value is numeric(14, 4): at most 10 digits before the decimal sign and 4 after. A value outside
# that is refused here, with its line; the database would round it out of range (SQLite keeps it and then fails
# on every read, PostgreSQL refuses the whole upload).
VALUE_MAX_DIGITS, VALUE_DECIMAL_PLACES = 14, 4
MAX_VALUE = Decimal(10) ** (VALUE_MAX_DIGITS - VALUE_DECIMAL_PLACES)
# Limits checked before and while a file is parsed (a municipality's own figures are hundreds of rows, not
# tens of thousands): rows of figures, columns, characters in one cell; for XLSX the zip directory's member
# count, total unpacked size and compression ratio (members above RATIO_CHECK_FROM bytes), and the rows
# openpyxl may fill in (Excel's own maximum).
MAX_ROWS = 10_000
MAX_COLUMNS = 20
MAX_CELL_CHARS = 1_000
MAX_ZIP_MEMBERS = 100
MAX_UNCOMPRESSED_BYTES = 10 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
RATIO_CHECK_FROM = 1024 * 1024
XLSX_MAX_ROWS = 1_048_576
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .xlsx and old .xls files


@dataclass(frozen=True)
class LocalRow:
    line: int
    area_code: str
    year: int
    measure: str
    value: Decimal
    unit: str
    sample_size: int | None
    source: str


def template_csv() -> str:
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerow(TEMPLATE_EXAMPLE)
    return out.getvalue()


def _xlsx_archive_issue(content: bytes, name: str) -> ImportIssue | None:
    """Look at the zip directory before openpyxl unpacks anything: a small file can unpack to gigabytes (a zip
    bomb), which would hold a server process for seconds to minutes and take its memory. The sizes in the
    directory are upper bounds: Python's zipfile never returns more bytes than a member declares."""
    if content[:8] == OLE_SIGNATURE:
        return ImportIssue(name, None, "", _("this is a password-protected workbook or an old Excel file (.xls); "
                                             "remove the password and save it as .xlsx or as CSV UTF-8"))
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        return ImportIssue(name, None, "", _unreadable_xlsx())
    if len(members) > MAX_ZIP_MEMBERS:
        return ImportIssue(name, None, "", _("the workbook consists of more than %(count)d parts; this is not an "
                                             "ordinary workbook. Save the template as a new .xlsx or as CSV UTF-8")
                           % {"count": MAX_ZIP_MEMBERS})
    if sum(m.file_size for m in members) > MAX_UNCOMPRESSED_BYTES:
        return ImportIssue(name, None, "", _("the workbook unpacks to more than %(mb)d MB; upload only the figures "
                                             "(one sheet, the template's columns) or save them as CSV UTF-8")
                           % {"mb": MAX_UNCOMPRESSED_BYTES // (1024 * 1024)})
    for member in members:
        if member.flag_bits & 0x1:
            return ImportIssue(name, None, "", _("the workbook is encrypted; save it without a password"))
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_CHECK_FROM and ratio > MAX_COMPRESSION_RATIO:
            return ImportIssue(name, None, "", _("the workbook is packed far more tightly than a spreadsheet with "
                                                 "figures can be; this is not an ordinary workbook. Save the "
                                                 "template as a new .xlsx or as CSV UTF-8"))
    return None


def _unreadable_xlsx() -> str:
    return _("not a readable XLSX file; open it in Excel or LibreOffice and save it again as .xlsx (Excel "
             "workbook), or save it as CSV UTF-8")


def _rows_from_xlsx(content: bytes, name: str) -> tuple[list[tuple[int, list[str]]], list[ImportIssue]]:
    from openpyxl import load_workbook

    issue = _xlsx_archive_issue(content, name)
    if issue is not None:
        return [], [issue]
    rows = []
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            # max_col/max_row bound what openpyxl builds per row and how many missing rows it fills in (a cell in
            # row 1,000,000 would otherwise make it yield every empty row before it, as wide as the widest row).
            for line, values in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS + 1, max_row=XLSX_MAX_ROWS,
                                                          values_only=True), start=1):
                if values.count(None) == len(values):  # a missing row openpyxl filled in: skipped fast
                    continue
                cells = ["" if v is None else str(v).strip() for v in values]
                if not any(cells):
                    continue
                problem = _shape_issue(name, line, cells, len(rows))
                if problem is not None:
                    return [], [problem]
                rows.append((line, cells))
        finally:
            workbook.close()
    except Exception as exc:  # noqa: BLE001
        # A damaged workbook makes openpyxl raise almost anything (zipfile, zlib, XML parser, KeyError, IndexError,
        # ...), also while reading the rows (read-only mode reads lazily): all mean "not readable". The exception's
        # own (English, technical) text is not shown; the type goes to the log for the administrator.
        logger.info("uploaded workbook %r not readable: %s: %.200s", name, type(exc).__name__, exc)
        return [], [ImportIssue(name, None, "", _unreadable_xlsx())]
    return rows, []


def _shape_issue(name: str, line: int, cells: list[str], rows_so_far: int) -> ImportIssue | None:
    """Too many rows, columns or characters in a cell: refused before the row is kept."""
    if rows_so_far >= MAX_ROWS + 1:  # the header plus MAX_ROWS rows of figures
        return ImportIssue(name, line, "", _("the file has more than %(max)d rows of figures; split it into "
                                             "several files") % {"max": MAX_ROWS})
    if any(cells[MAX_COLUMNS:]):
        return ImportIssue(name, line, "", _("the row has more than %(max)d columns; use the template's columns")
                           % {"max": MAX_COLUMNS})
    for column, value in enumerate(cells):
        if len(value) > MAX_CELL_CHARS:
            field = COLUMNS[column] if column < len(COLUMNS) else ""
            return ImportIssue(name, line, field,
                               _("a cell holds more than %(max)d characters") % {"max": MAX_CELL_CHARS})
    return None


def _rows_from_csv(content: bytes, name: str) -> tuple[list[tuple[int, list[str]]], list[ImportIssue]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        return [], [ImportIssue(name, line, "", _("the file is not UTF-8; save it as CSV UTF-8"))]
    first = text.split("\n", 1)[0]
    # Dutch Excel saves "CSV" with semicolons.
    delimiter = ";" if first.count(";") > first.count(",") else ","
    # newline="": line ends inside quoted fields and old Mac (\r) line ends are read as the csv module intends.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        for values in reader:
            cells = [c.strip() for c in values]
            if not any(cells):
                continue
            problem = _shape_issue(name, reader.line_num, cells, len(rows))
            if problem is not None:
                return [], [problem]
            rows.append((reader.line_num, cells))
    except csv.Error:
        # The csv module's own (English) text is not shown: a quote that is never closed is the usual cause.
        return [], [ImportIssue(name, max(reader.line_num, 1), "",
                                _("this line cannot be read as CSV; check the quotation marks (\") in and "
                                  "around it, or save the file again as CSV UTF-8"))]
    return rows, []


def _value_issue(text: str) -> tuple[Decimal | None, str]:
    """The value as a Decimal that fits LocalFigure.value, or a message why not."""
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None, _("not a number: %r") % text[:100]
    if not value.is_finite():
        return None, _("not a number: %r") % text[:100]
    places = max(0, -value.normalize().as_tuple().exponent)
    if places > VALUE_DECIMAL_PLACES:
        return None, _("at most %(places)d decimals, not %(value)s; round the value (in Excel with ROUND)") % {
            "places": VALUE_DECIMAL_PLACES, "value": text[:100]}
    if abs(value) >= MAX_VALUE:
        return None, _("the value is too large: at most %(digits)d digits before the decimal sign") % {
            "digits": VALUE_MAX_DIGITS - VALUE_DECIMAL_PLACES}
    return value, ""


def read_table(name: str, content: bytes) -> tuple[list[tuple[int, list[str]]], list[ImportIssue]]:
    """The non-empty rows of an uploaded CSV or XLSX file as (line, cells), with the same limits and messages as the
    local figures (size, zip bombs, rows, columns, cell length, encoding). Also used by other imports (signals)."""
    if len(content) > MAX_BYTES:
        return [], [ImportIssue(name, None, "", _("the file is larger than 5 MB"))]
    if not content.strip():
        return [], [ImportIssue(name, 1, "", _("the file is empty"))]
    is_xlsx = name.lower().endswith(".xlsx") or content[:2] == b"PK" or content[:8] == OLE_SIGNATURE
    raw, issues = (_rows_from_xlsx if is_xlsx else _rows_from_csv)(content, name)
    if issues:
        return [], issues
    if not raw:
        return [], [ImportIssue(name, 1, "", _("the file is empty"))]
    return raw, []


def read_local_figures(name: str, content: bytes) -> tuple[list[LocalRow], list[ImportIssue]]:
    raw, issues = read_table(name, content)
    if issues:
        return [], issues
    header_line, header = raw[0]
    header = [h.lower() for h in header]
    if header[: len(COLUMNS)] != COLUMNS or any(header[len(COLUMNS):]):
        return [], [ImportIssue(name, header_line, "header", _("wrong header; expected: %s") % ",".join(COLUMNS))]
    rows, seen = [], {}
    for index, values in raw[1:]:
        values = (values + [""] * len(COLUMNS))[: len(COLUMNS)]
        record = dict(zip(COLUMNS, values, strict=True))
        row_issues = []

        def bad(field, message, _issues=row_issues, _line=index):
            _issues.append(ImportIssue(name, _line, field, message))

        if not AREA.match(record["gebied_code"]):
            bad("gebied_code", _("not a CBS area code (GM/WK/BU): %r") % record["gebied_code"])
        year = None
        if re.fullmatch(r"\d{4}", record["jaar"].split(".")[0]) and 1990 <= int(record["jaar"].split(".")[0]) <= 2100:
            year = int(record["jaar"].split(".")[0])
        else:
            bad("jaar", _("not a year: %r") % record["jaar"])
        if not MEASURE.match(record["maat"]) or len(record["maat"]) > 80:
            bad("maat", _("use lowercase letters, digits and _ for the measure (at most 80), not %r")
                % record["maat"][:100])
        value, problem = _value_issue(record["waarde"])
        if problem:
            bad("waarde", problem)
        unit = record["eenheid"].lower()
        if unit not in UNITS:
            bad("eenheid", _("choose aantal, percentage or score, not %r") % record["eenheid"])
        elif value is not None and unit == "percentage" and not 0 <= value <= 100:
            bad("waarde", _("a percentage lies between 0 and 100"))
        elif value is not None and value < 0:
            bad("waarde", _("negative value"))
        sample = None
        if record["steekproef_n"]:
            if re.fullmatch(r"[0-9]{1,9}", record["steekproef_n"]):  # ASCII digits ("²".isdigit() is true)
                sample = int(record["steekproef_n"])
            else:
                bad("steekproef_n", _("not a whole number: %r") % record["steekproef_n"])
        if not record["bron"]:
            bad("bron", _("say where the figure comes from"))
        elif len(record["bron"]) > 200:
            bad("bron", _("the source is longer than 200 characters"))
        elif any(ord(c) < 32 or ord(c) == 127 for c in record["bron"]):  # NUL and friends: PostgreSQL refuses NUL
            bad("bron", _("the source contains control characters"))
        key = (record["gebied_code"], record["maat"], year)
        if not row_issues and key in seen:
            bad("", _("duplicate row: same area, measure and year as line %d") % seen[key])
        if row_issues:
            issues += row_issues
            continue
        seen[key] = index
        rows.append(LocalRow(index, record["gebied_code"], year, record["maat"], value, unit, sample,
                             record["bron"]))
    if not rows and not issues:
        issues.append(ImportIssue(name, 2, "", _("the file has a header but no figures")))
    return rows, issues
