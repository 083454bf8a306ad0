"""The quarterly safety picture (veiligheidsbeeld) of one municipality for the driehoek (issue 15 item 6, ADR 0021).

One page per municipality and quarter: the register figures of the cycle (the one gate's internal view, with their
interpretations), the signal and control aggregates of the quarter, the youth-group overview and the activities that
address them (Activity.signal_categories / youth_groups). Restricted like the registers themselves: only who holds
Capability.READ_INFORMATION for the municipality (not a partner with a share of one register); the caller records
each view or download as a read event.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from ivp import notation
from ivp.core.access import access_for
from ivp.core.roles import Capability
from ivp.execution.selectors import activities_for_user
from ivp.indicators.definitions import INDICATORS
from ivp.indicators.models import Interpretation, InterpretationScope
from ivp.indicators.publication import FigureGate

from .figures import municipality_area
from .models import Register, SignalCategory, YouthGroup
from .summary import Period, information_summary


@dataclass
class FigureLine:
    name: str
    values: list[str]  # per year: the count (internal view)
    interpretation: str = ""  # the latest interpretation (published or draft: internal audience)
    interpretation_state: str = ""


@dataclass
class SafetyPicture:
    municipality: object
    period: Period
    title: str
    years: list[int]
    figures: list[FigureLine]
    method_note: str
    registers: dict  # information_summary's detail of the quarter (restricted audience)
    youth_groups: list[dict]
    activities: list[dict]
    made_at: str
    file_stem: str
    language: str = "nl"
    notes: list[str] = field(default_factory=list)


def may_see(user, municipality) -> bool:
    return access_for(user).can(Capability.READ_INFORMATION, municipality.pk)


def latest_quarter(today=None) -> Period:
    """The last completed quarter."""
    today = today or timezone.localdate()
    quarter = (today.month - 1) // 3
    return Period(today.year - 1, 4) if quarter == 0 else Period(today.year, quarter)


def build(*, user, municipality, period: Period) -> SafetyPicture:
    """Only for who `may_see` (the caller checks and records the read)."""
    years = [period.year - 1, period.year]
    gate = FigureGate(user)
    area = municipality_area(municipality)
    from ivp.indicators.series import indicator_series

    figures, method_note = [], ""
    codes = [i.code for i in INDICATORS.values() if "register" in i.tags]
    notes = {}
    if area is not None:
        for note in (Interpretation.objects.for_user(user).filter(
                indicator__in=codes, area=area, scope=InterpretationScope.FIGURE).order_by("period", "pk")):
            notes[note.indicator] = note
    for code in codes:
        indicator = INDICATORS[code]
        method_note = method_note or str(indicator.method_note)
        values = ["-"] * len(years)
        if area is not None:
            view = gate.series(indicator_series(code, area.code))
            by_year = {p.year: p for p in view.points if not p.month}
            values = [by_year[y].count_text if y in by_year else "-" for y in years]
        note = notes.get(code)
        figures.append(FigureLine(
            str(indicator.name), values, note.text if note else "",
            "" if note is None else (_("published") if note.published else _("draft"))))
    summary = information_summary(user=user, municipality=municipality, period=period)
    registers = summary["registers"]
    groups = [g for g in YouthGroup.objects.for_user(user).filter(municipality=municipality,
                                                                  first_seen__lt=period.end)
              .select_related("area").order_by("code")
              if not (g.phase == "closed" and g.updated_at.date() < period.start)]
    activities = list(activities_for_user(user).filter(municipality=municipality)
                      .prefetch_related("youth_groups").order_by("title"))
    labels = dict(SignalCategory.choices)
    addressing = []
    by_group: dict[int, list[str]] = {}
    for activity in activities:
        linked_groups = [g for g in activity.youth_groups.all() if g.municipality_id == municipality.pk]
        if not activity.signal_categories and not linked_groups:
            continue
        for group in linked_groups:
            by_group.setdefault(group.pk, []).append(activity.title)
        addressing.append({
            "title": activity.title, "pk": activity.pk,
            "status": activity.get_status_display() if activity.status else _("no status yet"),
            "categories": [str(labels.get(c, c)) for c in activity.signal_categories],
            "groups": [g.code for g in linked_groups],
        })
    youth = [{"code": g.code, "type": g.get_group_type_display(), "phase": g.get_phase_display(),
              "size": g.get_size_band_display(), "area": g.area.name if g.area_id else _("whole municipality"),
              "activities": by_group.get(g.pk, [])} for g in groups]
    title = _("Safety picture %(name)s, %(period)s") % {"name": municipality.name,
                                                        "period": quarter_label(period)}
    return SafetyPicture(
        municipality=municipality, period=period, title=title, years=years, figures=figures,
        method_note=method_note, registers=registers, youth_groups=youth, activities=addressing,
        made_at=notation.date(timezone.localtime()),
        file_stem=f"veiligheidsbeeld-{municipality.cbs_code}-{period.label}".lower())


def quarter_label(period: Period) -> str:
    if period.quarter is None:
        return str(period.year)
    return _("quarter %(quarter)s %(year)s") % {"quarter": period.quarter, "year": period.year}


REGISTER_ORDER = [Register.SIGNALS, Register.CONTROLS, Register.BIBOB, Register.LIO, Register.AVE]
