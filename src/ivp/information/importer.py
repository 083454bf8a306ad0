"""Importing aggregated signal overviews (CSV or XLSX) into the signals register: `ivp import_signals`.

The file is one table with a header (docs/examples/signals.csv documents it):

    maand, gebied, categorie, bron, aantal, opvolging, omschrijving

* maand: the month, 2024-03 (or a date in it, 2024-03-01);
* gebied: a CBS code of a wijk or buurt of the municipality (WK086501, BU08650101), or the municipality's own code
  (GM0865) for the municipality as a whole;
* categorie, bron, opvolging: the Dutch words of the lists below (the register's own values are accepted too);
* aantal: a whole number;
* omschrijving: optional, short (at most 280 characters), and passes the personal-data check.

The whole file is read and checked first (file reading and its limits are those of the local figures upload,
`ivp.indicators.upload.read_table`); any problem refuses the file as a whole, each problem with file, line and field,
and nothing is written. A valid file is written in one transaction: a row with the same month, area, category,
source and follow-up as an existing one replaces its number and description, so running the same file again
changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from ivp.areas.models import Area, AreaLevel
from ivp.core.audit.recorder import NothingChanged, audited
from ivp.core.models import Organisation
from ivp.indicators.upload import read_table
from ivp.opendata.snapshot.records import ImportIssue

from .models import FollowUp, Signal, SignalCategory, SignalSource
from .services import can_edit_information
from .validation import MAX_COUNT, text_problem

COLUMNS = ["maand", "gebied", "categorie", "bron", "aantal", "opvolging", "omschrijving"]

CATEGORIES = {
    "drugs": SignalCategory.DRUGS, "mensenhandel": SignalCategory.HUMAN_TRAFFICKING,
    "witwassen": SignalCategory.MONEY_LAUNDERING, "vastgoed": SignalCategory.REAL_ESTATE,
    "ondermijning-overig": SignalCategory.UNDERMINING_OTHER, "polarisatie": SignalCategory.POLARISATION,
    "woonoverlast": SignalCategory.RESIDENTIAL_NUISANCE, "jeugd": SignalCategory.YOUTH,
    "zorg-en-veiligheid": SignalCategory.CARE_SAFETY, "digitale-veiligheid": SignalCategory.DIGITAL,
    "overig": SignalCategory.OTHER,
}
SOURCES = {
    "mma": SignalSource.MMA, "politie": SignalSource.POLICE, "partner": SignalSource.PARTNER,
    "eigen-medewerker": SignalSource.OWN_STAFF, "inwoner": SignalSource.RESIDENT,
    "signalen": SignalSource.SIGNALEN,
}
FOLLOW_UPS = {
    "lio": FollowUp.LIO, "riec": FollowUp.RIEC, "zvh": FollowUp.ZVH, "politie": FollowUp.POLICE,
    "in-onderzoek": FollowUp.INVESTIGATING, "geen-actie": FollowUp.NO_ACTION,
}
MONTH = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{1,2})(?:-\d{1,2})?(?: 00:00:00)?$")
FIRST_YEAR = 2015


class SignalsImportRefused(Exception):
    """The file has problems; nothing was written."""

    def __init__(self, issues: list[ImportIssue]):
        self.issues = issues
        super().__init__("\n".join(str(i) for i in issues[:50]) + (
            f"\n... {len(issues) - 50} more" if len(issues) > 50 else ""))


@dataclass
class SignalsImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: list[dict] = field(default_factory=list)


def _choice(text: str, mapping: dict, choices) -> str | None:
    key = text.strip().lower().replace(" ", "-").replace("_", "-")
    if key in mapping:
        return mapping[key]
    raw = text.strip().lower()
    return raw if raw in choices.values else None


def _areas_of(municipality: Organisation) -> dict[str, Area | None]:
    """{CBS code: area} for the municipality (None: the municipality as a whole) and its wijken and buurten."""
    own = Area.objects.filter(organisation=municipality).first()
    codes: dict[str, Area | None] = {}
    if municipality.cbs_code:
        codes[municipality.cbs_code] = None
    if own is not None:
        for area in Area.objects.filter(parent=own, level=AreaLevel.DISTRICT):
            codes[area.code] = area
        for area in Area.objects.filter(parent__parent=own, level=AreaLevel.NEIGHBOURHOOD):
            codes[area.code] = area
    return codes


def read_signals(name: str, content: bytes, municipality: Organisation,
                 today: dt.date | None = None) -> tuple[list[dict], list[ImportIssue]]:
    """Every row of the file as the register's values, or every problem found (file, line, field)."""
    raw, issues = read_table(name, content)
    if issues:
        return [], issues
    header_line, header = raw[0]
    header = [h.strip().lower() for h in header]
    if header[: len(COLUMNS)] != COLUMNS or any(header[len(COLUMNS):]):
        return [], [ImportIssue(name, header_line, "header", _("wrong header; expected: %s") % ",".join(COLUMNS))]
    today = today or dt.date.today()
    areas = _areas_of(municipality)
    rows, seen = [], {}
    for line, cells in raw[1:]:
        if any(cells[len(COLUMNS):]):
            # Nothing is dropped unread: a comma in an unquoted description splits it into more cells.
            issues.append(ImportIssue(name, line, "omschrijving", _(
                "the row has more cells than the header; put text that contains a comma between double quotes")))
            continue
        record = dict(zip(COLUMNS, (cells + [""] * len(COLUMNS))[: len(COLUMNS)], strict=True))
        row_issues: list[ImportIssue] = []

        def bad(column: str, message: str, _issues=row_issues, _line=line) -> None:
            _issues.append(ImportIssue(name, _line, column, message))

        month = None
        match = MONTH.match(record["maand"].strip())
        if match and 1 <= int(match["month"]) <= 12:
            month = dt.date(int(match["year"]), int(match["month"]), 1)
            if month.year < FIRST_YEAR or month > today:
                bad("maand", _("the month lies outside %(first)s up to this month") % {"first": FIRST_YEAR})
                month = None
        else:
            bad("maand", _("not a month such as 2024-03"))
        code = record["gebied"].strip().upper()
        if code not in areas:
            bad("gebied", _("not the code of %(name)s or of one of its wijken or buurten (such as %(example)s)")
                % {"name": municipality, "example": next((c for c in areas if c.startswith("WK")),
                                                         municipality.cbs_code or "")})
        category = _choice(record["categorie"], CATEGORIES, SignalCategory)
        if category is None:
            bad("categorie", _("choose one of: %s") % ", ".join(CATEGORIES))
        source = _choice(record["bron"], SOURCES, SignalSource)
        if source is None:
            bad("bron", _("choose one of: %s") % ", ".join(SOURCES))
        count = None
        if re.fullmatch(r"[0-9]{1,9}", record["aantal"].strip()):
            count = int(record["aantal"].strip())
            if count > MAX_COUNT:
                bad("aantal", _("implausibly large (more than %s)") % MAX_COUNT)
        else:
            bad("aantal", _("not a whole number of 0 or more"))
        follow_up = _choice(record["opvolging"], FOLLOW_UPS, FollowUp)
        if follow_up is None:
            bad("opvolging", _("choose one of: %s") % ", ".join(FOLLOW_UPS))
        description = " ".join(record["omschrijving"].split())
        problem = text_problem(description, _("The description"))
        if problem:
            bad("omschrijving", problem)
        if row_issues:
            issues += row_issues
            continue
        key = (month, code, category, source, follow_up)
        if key in seen:
            bad("", _("duplicate row: same month, area, category, source and follow-up as line %d") % seen[key])
            issues += row_issues
            continue
        seen[key] = line
        rows.append({"month": month, "area": areas[code], "category": category, "source_kind": source,
                     "count": count, "follow_up": follow_up, "description": description, "line": line})
    if not rows and not issues:
        issues.append(ImportIssue(name, header_line + 1, "", _("the file has a header but no rows")))
    return rows, issues


def signals_import(*, actor, municipality: Organisation, name: str, content: bytes,
                   today: dt.date | None = None) -> SignalsImportResult:
    """Check the whole file, then write it in one transaction (see the module docstring). `actor` None: the
    command line (the server's operator). Raises SignalsImportRefused with every problem; nothing is written."""
    result = SignalsImportResult()
    with audited(actor=actor, action="information.import_signals", municipality=municipality) as event:
        if actor is not None and not can_edit_information(actor, municipality.pk):
            raise PermissionDenied(_("You may not change the information registers of %(name)s.")
                                   % {"name": municipality})
        rows, issues = read_signals(name, content, municipality, today)
        if issues:
            raise SignalsImportRefused(issues)
        for row in rows:
            values = {k: v for k, v in row.items() if k != "line"}
            existing = Signal.objects.filter(municipality=municipality, month=values["month"], area=values["area"],
                                             category=values["category"], source_kind=values["source_kind"],
                                             follow_up=values["follow_up"]).first()
            if existing is None:
                Signal.objects.create(municipality=municipality, **values)
                result.created += 1
            elif (existing.count, existing.description) != (values["count"], values["description"]):
                existing.count, existing.description = values["count"], values["description"]
                existing.version += 1
                existing.save(update_fields=["count", "description", "version", "updated_at"])
                result.updated += 1
            else:
                result.unchanged += 1
        result.rows = rows
        if not result.created and not result.updated:
            raise NothingChanged
        event.message = name[:200]
        event.changes = {"created": [None, result.created], "updated": [None, result.updated],
                         "unchanged": [None, result.unchanged]}
    return result
