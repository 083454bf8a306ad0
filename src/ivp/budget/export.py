"""The year summary as a document (CLI JSON), as CSV rows and as an XLSX workbook.

Amounts are integer cents; CSV and XLSX add a euro column for people, computed exactly (Decimal).
Each export is made from a summary already limited to what the viewer may see (`visible_to`);
the totals are those of the whole fund.
"""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils.translation import gettext as _

from ivp.core.tabular import append_row, csv_dict_writer, new_workbook, workbook_bytes
from ivp.money import format_euro_plain

from .summary import YearSummary


def benefit_rule() -> str:
    return _("An allocation that names a municipality benefits that municipality. A base-team-wide allocation is "
             "split over the municipalities in proportion to their contributions of that year (largest remainder, "
             "so the parts add up to the cent).")


def summary_document(summary: YearSummary) -> dict:
    return {
        "year": summary.year,
        "rate_cents": summary.rate_cents,
        "contributions": [{
            "municipality": c.municipality.name,
            "cbs_code": c.cbs_code,
            "population": c.population,
            "population_date": c.population_date.isoformat() if c.population_date else None,
            "population_fallback": c.is_fallback,
            "rate_cents": c.rate_cents,
            "amount_cents": c.amount_cents,
            "warning": c.warning,
        } for c in summary.contributions],
        "allocations": [{
            "id": line.allocation.pk,
            "kind": line.allocation.kind,
            "kind_label": line.allocation.get_kind_display(),
            "title": line.allocation.title,
            "beneficiary": line.allocation.beneficiary.cbs_code if line.allocation.beneficiary else None,
            "amount_cents": line.allocation.amount_cents,
            "committed_cents": line.committed_cents,
            "spent_cents": line.spent_cents,
            "outstanding_commitments_cents": line.outstanding_cents,
        } for line in summary.allocations],
        "commitments": [_entry(e) for e in summary.commitments],
        "expenditures": [_entry(e) for e in summary.expenditures],
        "per_municipality": [{
            "cbs_code": b.municipality.cbs_code,
            "municipality": b.municipality.name,
            "contributed_cents": b.contributed_cents,
            "benefit_allocated_cents": b.allocated_cents,
            "benefit_spent_cents": b.spent_cents,
            "benefit_direct_allocated_cents": b.direct_allocated_cents,
            "benefit_shared_allocated_cents": b.shared_allocated_cents,
            "benefit_direct_spent_cents": b.direct_spent_cents,
            "benefit_shared_spent_cents": b.shared_spent_cents,
        } for b in summary.benefits],
        "benefit_rule": benefit_rule(),
        "balance": {
            "contributions_cents": summary.contributions_cents,
            "expenditures_cents": summary.spent_cents,
            "balance_cents": summary.balance_cents,
            "committed_cents": summary.committed_cents,
            "outstanding_commitments_cents": summary.outstanding_cents,
            "balance_after_commitments_cents": summary.balance_after_commitments_cents,
            "negative": summary.is_negative,
            "negative_approved": summary.negative_approved,
            "negative_reason": summary.settings.negative_balance_reason,
        },
        "totals": {
            "population": summary.population_total,
            "contributions_cents": summary.contributions_cents,
            "allocations_cents": summary.allocated_cents,
            "commitments_cents": summary.committed_cents,
            "expenditures_cents": summary.spent_cents,
            "unallocated_cents": summary.unallocated_cents,
            "balance_cents": summary.balance_cents,
        },
        "warnings": summary.warnings,
    }


def _entry(entry) -> dict:
    return {"id": entry.pk, "allocation_id": entry.allocation_id, "date": entry.date.isoformat(),
            "description": entry.description, "reference": entry.reference, "amount_cents": entry.amount_cents}


# --- CSV: one long table, one amount per row ---------------------------------------------------

CSV_COLUMNS = ["onderdeel", "jaar", "cbs_code", "gemeente", "soort", "titel", "datum", "referentie", "inwoners",
               "peildatum_inwoners", "tarief_centen", "bedrag_centen", "bedrag_euro", "toelichting"]


def summary_rows(summary: YearSummary) -> list[dict]:
    rows = []

    def add(part: str, amount: int, **values):
        rows.append({"onderdeel": part, "jaar": summary.year, **values, "bedrag_centen": amount,
                     "bedrag_euro": format_euro_plain(amount)})

    for c in summary.contributions:
        add("bijdrage", c.amount_cents, cbs_code=c.cbs_code, gemeente=c.municipality.name,
            inwoners="" if c.population is None else c.population,
            peildatum_inwoners=c.population_date.isoformat() if c.population_date else "", tarief_centen=c.rate_cents,
            toelichting=c.warning)
    for line in summary.allocations:
        a = line.allocation
        add("toewijzing", a.amount_cents, cbs_code=a.beneficiary.cbs_code if a.beneficiary else "",
            gemeente=a.beneficiary.name if a.beneficiary else "", soort=a.kind, titel=a.title,
            toelichting=a.description)
    for part, entries in (("verplichting", summary.commitments), ("uitgave", summary.expenditures)):
        for e in entries:
            add(part, e.amount_cents, titel=e.allocation.title, datum=e.date.isoformat(), referentie=e.reference,
                toelichting=e.description)
    for b in summary.benefits:
        for part, amount in (("bijgedragen", b.contributed_cents), ("baat_toegewezen", b.allocated_cents),
                             ("baat_uitgegeven", b.spent_cents)):
            add(part, amount, cbs_code=b.municipality.cbs_code, gemeente=b.municipality.name)
    for title, amount in (("bijdragen", summary.contributions_cents), ("toewijzingen", summary.allocated_cents),
                          ("verplichtingen", summary.committed_cents), ("uitgaven", summary.spent_cents),
                          ("openstaande_verplichtingen", summary.outstanding_cents),
                          ("niet_toegewezen", summary.unallocated_cents), ("saldo", summary.balance_cents),
                          ("saldo_na_verplichtingen", summary.balance_after_commitments_cents)):
        add("totaal", amount, titel=title, inwoners=summary.population_total if title == "bijdragen" else "",
            tarief_centen=summary.rate_cents if title == "bijdragen" else "")
    return rows


def summary_csv(summary: YearSummary) -> str:
    """Semicolon-separated (Dutch spreadsheets), UTF-8 with BOM."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv_dict_writer(out, CSV_COLUMNS, delimiter=";", restval="", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(summary_rows(summary))
    return out.getvalue()


# --- XLSX: one sheet per part -----------------------------------------------------------------

EURO_FORMAT = '"€" #,##0.00;"€" -#,##0.00'


def _euro(cents: int) -> Decimal:
    return Decimal(cents) / 100


def summary_xlsx(summary: YearSummary) -> bytes:
    from openpyxl.styles import Font

    workbook = new_workbook(keep_first_sheet=False)
    bold = Font(bold=True)

    def sheet(title: str, headers: list[str], rows: list[list], euro_columns: tuple[int, ...] = ()):
        ws = workbook.create_sheet(title[:31])
        append_row(ws, headers)
        for cell in ws[1]:
            cell.font = bold
        for row in rows:
            append_row(ws, row)
        for column in euro_columns:
            for (cell,) in ws.iter_rows(min_row=2, min_col=column, max_col=column):
                cell.number_format = EURO_FORMAT
        for i, header in enumerate(headers, start=1):
            ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = max(12, min(len(header) + 4, 60))
        ws.freeze_panes = "A2"

    amount, amount_eur = _("Amount (cents)"), _("Amount (€)")
    totals = [
        (_("Contributions"), summary.contributions_cents), (_("Allocated"), summary.allocated_cents),
        (_("Committed"), summary.committed_cents), (_("Spent"), summary.spent_cents),
        (_("Open commitments"), summary.outstanding_cents), (_("Not allocated"), summary.unallocated_cents),
        (_("Balance (contributions - expenditures)"), summary.balance_cents),
        (_("Balance after open commitments"), summary.balance_after_commitments_cents),
    ]
    sheet(_("Summary %(year)s") % {"year": summary.year}, [_("Item"), amount, amount_eur],
          [[label, cents, _euro(cents)] for label, cents in totals]
          + [[_("Rate per inhabitant (cents)"), summary.rate_cents, _euro(summary.rate_cents)],
             [_("Inhabitants counted"), summary.population_total, None],
             [_("Negative balance approved"), _("yes") if summary.negative_approved else _("no"), None]]
          + [[w, None, None] for w in summary.warnings],
          euro_columns=(3,))
    sheet(_("Contributions"), [_("CBS code"), _("Municipality"), _("Inhabitants"), _("Population date"),
                               _("Rate (cents)"), amount, amount_eur, _("Note")],
          [[c.cbs_code, c.municipality.name, c.population, c.population_date, c.rate_cents, c.amount_cents,
            _euro(c.amount_cents), c.warning] for c in summary.contributions], euro_columns=(7,))
    if not summary.details_hidden:
        sheet(_("Allocations"), [_("Kind"), _("Title"), _("Benefiting municipality"), amount, amount_eur,
                                 _("Committed (cents)"), _("Spent (cents)"), _("Open commitments (cents)")],
              [[line.allocation.get_kind_display(), line.allocation.title,
                line.allocation.beneficiary.name if line.allocation.beneficiary else _("whole base team"),
                line.allocation.amount_cents, _euro(line.allocation.amount_cents), line.committed_cents,
                line.spent_cents, line.outstanding_cents] for line in summary.allocations], euro_columns=(5,))
        for title, entries in ((_("Commitments"), summary.commitments), (_("Expenditures"), summary.expenditures)):
            sheet(title, [_("Date"), _("Allocation"), _("Description"), _("Reference"), amount, amount_eur],
                  [[e.date, e.allocation.title, e.description, e.reference, e.amount_cents, _euro(e.amount_cents)]
                   for e in entries], euro_columns=(6,))
    sheet(_("Per municipality"), [_("CBS code"), _("Municipality"), _("Contributed (cents)"),
                                  _("Benefit allocated (cents)"), _("Benefit spent (cents)"), _("Rule")],
          [[b.municipality.cbs_code, b.municipality.name, b.contributed_cents, b.allocated_cents, b.spent_cents,
            benefit_rule()] for b in summary.benefits])
    return workbook_bytes(workbook)
