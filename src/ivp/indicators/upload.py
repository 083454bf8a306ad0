"""Reading an uploaded file of local figures (CSV or XLSX, one template) into validated rows.

Template columns: gebied_code, jaar, maat, waarde, eenheid, steekproef_n, bron. Errors name the
file, the line (row) and the field; a file with any error is refused as a whole.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from ivp.core.tabular import csv_writer
from ivp.opendata.snapshot.records import ImportIssue

COLUMNS = ["gebied_code", "jaar", "maat", "waarde", "eenheid", "steekproef_n", "bron"]
UNITS = {"aantal", "percentage", "score"}
AREA = re.compile(r"^(GM\d{4}|WK\d{6}|BU\d{8})$")
MEASURE = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
TEMPLATE_EXAMPLE = ["GM0000", "2023", "voorbeeld_maat", "12.5", "percentage", "850",
                    "Veiligheidsmonitor 2023 (voorbeeldregel)"]
MAX_BYTES = 5 * 1024 * 1024
MAX_VALUE = Decimal(10) ** 10  # LocalFigure.value: 14 digits, 4 of them decimals


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


def _rows_from_xlsx(content: bytes, name: str) -> tuple[list[list[str]], list[ImportIssue]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = [["" if v is None else str(v).strip() for v in row] for row in sheet.iter_rows(values_only=True)]
    except Exception as exc:  # noqa: BLE001
        # A damaged workbook makes openpyxl raise almost anything (zipfile, zlib, XML parser, KeyError,
        # IndexError, ...), also while reading the rows (read-only mode reads lazily): all mean "not readable".
        return [], [ImportIssue(name, None, "", _("not a readable XLSX file (%s)") % exc)]
    return rows, []


def _rows_from_csv(content: bytes, name: str) -> tuple[list[list[str]], list[ImportIssue]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        return [], [ImportIssue(name, line, "", _("the file is not UTF-8; save it as CSV UTF-8"))]
    first = text.splitlines()[0] if text else ""
    # Dutch Excel saves "CSV" with semicolons.
    delimiter = ";" if first.count(";") > first.count(",") else ","
    # newline="": line ends inside quoted fields and old Mac (\r) line ends are read as the csv module intends.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [[c.strip() for c in row] for row in reader], []
    except csv.Error as exc:
        return [], [ImportIssue(name, max(reader.line_num, 1), "", _("unreadable CSV: %s") % exc)]


def read_local_figures(name: str, content: bytes) -> tuple[list[LocalRow], list[ImportIssue]]:
    if len(content) > MAX_BYTES:
        return [], [ImportIssue(name, None, "", _("the file is larger than 5 MB"))]
    if not content.strip():
        return [], [ImportIssue(name, 1, "", _("the file is empty"))]
    is_xlsx = name.lower().endswith(".xlsx") or content[:2] == b"PK"
    raw, issues = (_rows_from_xlsx if is_xlsx else _rows_from_csv)(content, name)
    if issues:
        return [], issues
    raw = [r for r in raw if any(c for c in r)]
    if not raw:
        return [], [ImportIssue(name, 1, "", _("the file is empty"))]
    header = [h.lower() for h in raw[0]]
    if header[: len(COLUMNS)] != COLUMNS or any(header[len(COLUMNS):]):
        return [], [ImportIssue(name, 1, "header", _("wrong header; expected: %s") % ",".join(COLUMNS))]
    rows, seen = [], {}
    for index, values in enumerate(raw[1:], start=2):
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
        try:
            value = Decimal(record["waarde"].replace(",", "."))
            if not value.is_finite() or abs(value) >= MAX_VALUE:
                raise InvalidOperation
        except InvalidOperation:
            bad("waarde", _("not a number: %r") % record["waarde"])
            value = None
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
