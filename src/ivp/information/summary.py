"""Aggregates of the information registers per municipality and period, as one viewer may see them (ADR 0021).

Two audiences, decided by the one access policy:

* **restricted** (Capability.READ_INFORMATION for the municipality, or a share of the register with the viewer's
  organisation): every register the viewer may read, in full detail (per category, source, follow-up, wijk,
  quarter), as recorded.
* **public** (council members, partners without a share, anonymous): per register only municipality-wide totals per
  category, and only when the publication gate lets the register through: a published interpretation (duiding)
  covers the register's indicator (`codes.GATE_KEYS`, e.g. `info_signals`) for the municipality and the period's year
  (`FigureGate.covered_until`, ADR 0011). Counts are protected by `ivp.stats.disclosure.protect` (1-4 never, plus
  secondary suppression against the total); signals are never given below the municipality. A hidden count is None.

Reading the summary is itself an audit event; the callers (command, pages) record it with `services.record_read`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ivp.indicators.publication import FigureGate
from ivp.stats.disclosure import Relation, protect

from .codes import GATE_KEYS
from .models import (
    AveCount,
    BibobCount,
    IntegralControl,
    LioMeeting,
    Register,
    Signal,
    YouthGroup,
    YouthGroupTypeChange,
)
from .services import can_read_information as may_read

PERIOD = re.compile(r"^(?P<year>\d{4})(?:-?[QqKk](?P<quarter>[1-4]))?$")
TOTAL = "total"


@dataclass(frozen=True)
class Period:
    year: int
    quarter: int | None = None

    @classmethod
    def parse(cls, text: str) -> Period:
        match = PERIOD.match((text or "").strip())
        if not match or not 2000 <= int(match["year"]) <= 2100:
            raise ValidationError({"period": _("Enter a year (2024) or a quarter (2024-Q1).")})
        return cls(int(match["year"]), int(match["quarter"]) if match["quarter"] else None)

    @property
    def label(self) -> str:
        return f"{self.year}" if self.quarter is None else f"{self.year}-Q{self.quarter}"

    @property
    def quarters(self) -> list[int]:
        return [1, 2, 3, 4] if self.quarter is None else [self.quarter]

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1 if self.quarter is None else 3 * self.quarter - 2, 1)

    @property
    def end(self) -> dt.date:
        """The first day after the period."""
        if self.quarter is None or self.quarter == 4:
            return dt.date(self.year + 1, 1, 1)
        return dt.date(self.year, 3 * self.quarter + 1, 1)


def gate_key(register: str) -> str:
    """The indicator whose published duiding releases a register's aggregates to the public audience: the same key
    as the register's indicator on the dashboards (ivp.information.codes.GATE_KEYS)."""
    return GATE_KEYS[register]


def _quarter(date: dt.date) -> int:
    return (date.month - 1) // 3 + 1


def _counter(pairs: Iterable[tuple[str, int]]) -> dict[str, int]:
    counter: Counter[str] = Counter()
    for key, number in pairs:
        counter[key] += number
    return dict(sorted(counter.items()))


def _area_label(area) -> str:
    return area.code if area is not None else "gemeente"


# --- restricted audience: the registers in detail ---------------------------------------------------------------


def _signals(rows: list[Signal]) -> dict:
    return {
        TOTAL: sum(r.count for r in rows),
        "by_category": _counter((r.category, r.count) for r in rows),
        "by_source": _counter((r.source_kind, r.count) for r in rows),
        "by_follow_up": _counter((r.follow_up, r.count) for r in rows),
        "by_area": _counter((_area_label(r.area), r.count) for r in rows),
        "by_quarter": _counter((f"Q{_quarter(r.month)}", r.count) for r in rows),
    }


def _controls(rows: list[IntegralControl]) -> dict:
    return {
        "controls": len(rows),
        "premises": sum(r.premises_count for r in rows),
        "findings": sum(r.findings for r in rows),
        "closures": sum(r.closures for r in rows),
        "fines": sum(r.fines for r in rows),
        "bibob_started": sum(r.bibob_started for r in rows),
        "care_referrals": sum(r.care_referrals for r in rows),
        "by_premises_kind": _counter((r.premises_kind, 1) for r in rows),
        "by_area": _counter((_area_label(r.area), 1) for r in rows),
    }


def _bibob(rows: list[BibobCount]) -> dict:
    return {TOTAL: sum(r.count for r in rows), "by_kind": _counter((r.kind, r.count) for r in rows),
            "by_outcome": _counter((r.outcome, r.count) for r in rows)}


def _youth_groups(groups: list[YouthGroup], changes: list[YouthGroupTypeChange]) -> dict:
    return {TOTAL: len(groups), "by_type": _counter((g.group_type, 1) for g in groups),
            "by_phase": _counter((g.phase, 1) for g in groups),
            "type_changes": len([c for c in changes if c.old_type])}


def _lio(rows: list[LioMeeting]) -> dict:
    by_category: Counter[str] = Counter()
    for row in rows:
        by_category.update(row.cases_by_category)
    return {"meetings": len(rows), "cases_discussed": sum(by_category.values()),
            "by_category": dict(sorted(by_category.items())), "actions_agreed": sum(r.actions_agreed for r in rows),
            "cases_closed": sum(r.cases_closed for r in rows)}


def _ave(rows: list[AveCount]) -> dict:
    """Cases per stage at the end of the last quarter of the period that has counts."""
    if not rows:
        return {"quarter": None, TOTAL: 0, "by_stage": {}}
    last = max(r.quarter for r in rows)
    latest = [r for r in rows if r.quarter == last]
    return {"quarter": f"Q{last}", TOTAL: sum(r.count for r in latest),
            "by_stage": _counter((r.stage, r.count) for r in latest)}


def _rows(user, municipality, period: Period) -> dict[str, dict]:
    """The detailed aggregates of every register `user` may read for this municipality (`user` None: every register
    and every row, for the public totals, which only leave `information_summary` protected)."""
    def scoped(model):
        rows = model.objects.all() if user is None else model.objects.for_user(user)
        return rows.filter(municipality=municipality)

    def can_read_information(reader, municipality_id, register) -> bool:
        return reader is None or may_read(reader, municipality_id, register)

    out: dict[str, dict] = {}
    if can_read_information(user, municipality.pk, Register.SIGNALS):
        out[Register.SIGNALS] = _signals(list(scoped(Signal).filter(month__gte=period.start, month__lt=period.end)
                                              .select_related("area")))
    if can_read_information(user, municipality.pk, Register.CONTROLS):
        out[Register.CONTROLS] = _controls(list(scoped(IntegralControl).filter(
            date__gte=period.start, date__lt=period.end).select_related("area")))
    if can_read_information(user, municipality.pk, Register.BIBOB):
        out[Register.BIBOB] = _bibob(list(scoped(BibobCount).filter(year=period.year,
                                                                     quarter__in=period.quarters)))
    if can_read_information(user, municipality.pk, Register.YOUTH_GROUPS):
        # The groups on the shortlist during the period: on it before the period ended, not closed before it began.
        groups = [g for g in scoped(YouthGroup).filter(first_seen__lt=period.end)
                  if not (g.phase == "closed" and g.updated_at.date() < period.start)]
        changes = list(scoped(YouthGroupTypeChange).filter(date__gte=period.start, date__lt=period.end))
        out[Register.YOUTH_GROUPS] = _youth_groups(groups, changes)
    if can_read_information(user, municipality.pk, Register.LIO):
        out[Register.LIO] = _lio(list(scoped(LioMeeting).filter(date__gte=period.start, date__lt=period.end)))
    if can_read_information(user, municipality.pk, Register.AVE):
        out[Register.AVE] = _ave(list(scoped(AveCount).filter(year=period.year, quarter__in=period.quarters)))
    return out


# --- public audience: municipality totals through the gate and disclosure control --------------------------------


def _protected(parts: dict[str, int]) -> dict:
    """A total and its parts with small counts (and what would give them back) hidden: None."""
    counts: dict[str, int | None] = {TOTAL: sum(parts.values()), **parts}
    status = protect(counts, [Relation(TOTAL, tuple(parts))] if parts else [])
    return {TOTAL: None if status[TOTAL].hidden else counts[TOTAL],
            "parts": {key: None if status[key].hidden else value for key, value in parts.items()}}


def _public_register(register: str, detail: dict) -> dict:
    """The only breakdown the public audience gets per register: one municipal total and its main split."""
    if register == Register.SIGNALS:
        return _protected(detail["by_category"])
    if register == Register.CONTROLS:
        # Carried out controls and closures are counts of events, each protected on its own (no relation).
        return {"controls": _protected({"controls": detail["controls"]})["parts"]["controls"],
                "closures": _protected({"closures": detail["closures"]})["parts"]["closures"]}
    if register == Register.BIBOB:
        return _protected(detail["by_outcome"])
    if register == Register.YOUTH_GROUPS:
        return _protected(detail["by_type"])
    if register == Register.LIO:
        return {"meetings": detail["meetings"], **_protected(detail["by_category"])}
    return _protected(detail["by_stage"])


def information_summary(*, user, municipality, period: Period) -> dict:
    """The aggregates of the municipality's registers for the period, as this user may see them (module docstring).
    The caller records the read (`services.record_read(..., what="information.summary")`)."""
    restricted = any(may_read(user, municipality.pk, register) for register in Register.values)
    document: dict = {
        "municipality": {"code": municipality.cbs_code, "name": municipality.name},
        "period": period.label,
        "audience": "restricted" if restricted else "public",
        "registers": {},
    }
    if restricted:
        document["registers"] = _rows(user, municipality, period)
        return document
    # Public: computed from every row (the totals are the municipality's, not the viewer's), then gated.
    gate = FigureGate(user)
    everything = _rows(None, municipality, period)
    withheld = []
    for register, detail in everything.items():
        until = gate.covered_until(gate_key(register), municipality.cbs_code)
        if until is None or until < period.year:
            withheld.append(register)
            continue
        document["registers"][register] = _public_register(register, detail)
    document["withheld"] = withheld
    return document

