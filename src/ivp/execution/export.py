"""The coverage matrix as CSV and XLSX: one row per municipality x theme x lens (long format, easy to
filter and pivot), and a second table of the wijken that stand out. Amounts in cents and in euros."""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils.translation import gettext as _

from ivp.core.tabular import append_row, csv_writer, new_workbook, workbook_bytes

from .coverage import Coverage


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def matrix_table(coverage: Coverage) -> tuple[list[str], list[list]]:
    header = [_("Municipality"), _("CBS code"), _("Period"), _("Theme number"), _("Theme"), _("Focus lens"),
              _("Activities"), _("Planned budget (cents)"), _("Planned budget (euros)"), _("Empty"),
              _("Not applicable here"), _("No execution plan")]
    rows = []
    period = f"{coverage.period_start}-{coverage.period_start + 1}"
    for row in coverage.rows:
        theme = row["theme"]
        for column, cells in zip(coverage.columns, row["cells"], strict=True):
            for lens, cell in zip(coverage.lenses, cells, strict=True):
                rows.append([column.name, column.cbs_code, period, theme.number, theme.title, lens.name,
                             cell.activities, cell.planned_budget_cents,
                             (Decimal(cell.planned_budget_cents) / 100).quantize(Decimal("0.01")), _yes_no(cell.empty),
                             _yes_no(cell.not_applicable), _yes_no(cell.no_plan)])
    return header, rows


def wijken_table(coverage: Coverage) -> tuple[list[str], list[list]]:
    header = [_("Municipality"), _("Wijk code"), _("Wijk"), _("Year"), _("Registered crimes"), _("Inhabitants"),
              _("Per 1,000 inhabitants"), _("Compared with the base team"), _("Neighbourhoods that stand out"),
              _("Addressed by an activity"), _("Activities")]
    rows = []
    for row in coverage.wijken.get("rows", []):
        rate = None if row["rate"] is None else round(Decimal(str(row["rate"])), 1)
        rows.append([row["municipality"].name, row["code"], row["wijk_name"], coverage.wijken["year"],
                     row["count"], row["population"], rate, row["flag"],
                     ", ".join(row["buurten"]), _yes_no(row["addressed"]),
                     ", ".join(a.title for a in row["activities"])])
    return header, rows


def coverage_csv(coverage: Coverage) -> str:
    """The matrix, then (after an empty line) the wijken that stand out. Decimal point, comma-separated."""
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\n")
    header, rows = matrix_table(coverage)
    writer.writerow(header)
    writer.writerows(rows)
    header, rows = wijken_table(coverage)
    writer.writerow([])
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def coverage_xlsx(coverage: Coverage) -> bytes:
    from openpyxl.styles import Font

    workbook = new_workbook()
    for index, (title, (header, rows), euro_columns) in enumerate((
        (_("Coverage"), matrix_table(coverage), {9}),
        (_("Wijken"), wijken_table(coverage), set()),
    )):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = title[:31]
        append_row(sheet, header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            append_row(sheet, row)
        for column in euro_columns:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
                cell.number_format = '"€" #,##0.00'
        sheet.freeze_panes = "A2"
        for column_cells in sheet.columns:
            width = max(len(str(c.value)) if c.value is not None else 0 for c in column_cells)
            sheet.column_dimensions[column_cells[0].column_letter].width = min(max(width + 2, 8), 60)
    return workbook_bytes(workbook)
