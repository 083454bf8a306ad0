"""The registers as figures of the cycle (ADR 0021, section "Into the cycle").

The information registers are aggregated per municipality and year into `Observation` rows of the table
`REGISTER_TABLE` (one row per register category), so that the indicators of goal 6 and themes 3 and 4 registered in
`ivp.indicators.definitions` are computed, gated (ivp.indicators.publication.FigureGate), suppressed and shown
exactly like the police and CBS figures. Only the municipality level is written: never a wijk or buurt.

The rows are derived data: `sync_register_figures` recomputes all years of one municipality from its registers and
is run after every committed change of a register row (signals below, `ready()` connects them), and by
`ivp sync_register_figures` by hand. A value therefore always equals the sum of the register rows.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from ivp.areas.models import Area
from ivp.indicators.cache import figures_changed
from ivp.indicators.models import ImportBatch, ImportSource, Observation

from .codes import (  # noqa: F401  (re-exported: the codes belong to the figures)
    AVE_CODES,
    AVE_OPEN,
    BIBOB_CODES,
    CLOSURES,
    CONTROLS,
    GATE_KEYS,
    LIO_CASES,
    POLARISATION_SIGNALS,
    REGISTER_TABLE,
    SIGNAL_CODES,
    UNDERMINING_SIGNALS,
    YOUTH_CODES,
)
from .models import (
    AveCount,
    BibobCount,
    IntegralControl,
    LioMeeting,
    Signal,
    YouthGroup,
    YouthGroupTypeChange,
)


def municipality_area(municipality) -> Area | None:
    return Area.objects.defer("geometry").filter(level="gemeente", organisation=municipality).first()


def _years(municipality) -> list[int]:
    """Every year from the first register row of the municipality up to this year."""
    firsts = [
        Signal.objects.filter(municipality=municipality).order_by("month").values_list("month__year", flat=True)[:1],
        IntegralControl.objects.filter(municipality=municipality).order_by("date").values_list("date__year",
                                                                                               flat=True)[:1],
        BibobCount.objects.filter(municipality=municipality).order_by("year").values_list("year", flat=True)[:1],
        YouthGroup.objects.filter(municipality=municipality).order_by("first_seen").values_list("first_seen__year",
                                                                                               flat=True)[:1],
        LioMeeting.objects.filter(municipality=municipality).order_by("date").values_list("date__year", flat=True)[:1],
        AveCount.objects.filter(municipality=municipality).order_by("year").values_list("year", flat=True)[:1],
    ]
    years = [y for q in firsts for y in q]
    if not years:
        return []
    return list(range(min(years), max(timezone.localdate().year, max(years)) + 1))


def register_values(municipality, year: int) -> dict[str, int]:
    """{observation category: value} of one municipality and year. A register without any row in the year gives
    no categories (no figure rather than a zero nobody recorded); youth groups count when on the list that year."""
    start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    values: dict[str, int] = {}
    signals = list(Signal.objects.filter(municipality=municipality, month__gte=start, month__lt=end)
                   .values_list("category", "count"))
    if signals:
        values.update({code: 0 for code in SIGNAL_CODES.values()})
        for category, count in signals:
            values[SIGNAL_CODES[category]] += count
    controls = list(IntegralControl.objects.filter(municipality=municipality, date__gte=start, date__lt=end)
                    .values_list("closures", flat=True))
    if controls:
        values[CONTROLS] = len(controls)
        values[CLOSURES] = sum(controls)
    bibob = list(BibobCount.objects.filter(municipality=municipality, year=year).values_list("outcome", "count"))
    if bibob:
        values.update({code: 0 for code in BIBOB_CODES.values()})
        for outcome, count in bibob:
            values[BIBOB_CODES[outcome]] += count
    groups = [g for g in YouthGroup.objects.filter(municipality=municipality, first_seen__lt=end)
              if not (g.phase == "closed" and g.updated_at.date() < start)]
    if groups:
        values.update({code: 0 for code in YOUTH_CODES.values()})
        for group in groups:
            values[YOUTH_CODES[_type_at(group, end)]] += 1
    meetings = list(LioMeeting.objects.filter(municipality=municipality, date__gte=start, date__lt=end))
    if meetings:
        values[LIO_CASES] = sum(m.cases_discussed for m in meetings)
    ave = list(AveCount.objects.filter(municipality=municipality, year=year).values_list("quarter", "stage", "count"))
    if ave:
        last = max(q for q, _s, _c in ave)
        values.update({code: 0 for code in AVE_CODES.values()})
        for quarter, stage, count in ave:
            if quarter == last:
                values[AVE_CODES[stage]] += count
    return values


def _type_at(group: YouthGroup, end: dt.date) -> str:
    """The group's type at the end of the period (its type history), or its current type."""
    change = (YouthGroupTypeChange.objects.filter(group=group, date__lt=end).order_by("-date", "-pk").first())
    return change.new_type if change is not None else group.group_type


@transaction.atomic
def sync_register_figures(*, municipality) -> int:
    """Recompute the municipality's register figures; returns the number of observations changed."""
    area = municipality_area(municipality)
    if area is None:
        return 0
    wanted: dict[tuple[str, int], int] = {}
    for year in _years(municipality):
        for category, value in register_values(municipality, year).items():
            wanted[(category, year)] = value
    existing = {(o.category, o.year): o for o in Observation.objects.filter(table=REGISTER_TABLE, area=area,
                                                                               month=0)}
    stale = [o.pk for key, o in existing.items() if key not in wanted]
    changed = [o for key, o in existing.items() if key in wanted and o.value != wanted[key]]
    new = [key for key in wanted if key not in existing]
    if not (stale or changed or new):
        return 0
    batch = ImportBatch.objects.create(source=ImportSource.REGISTERS, location=f"registers {area.code}",
                                       counts={"created": len(new), "updated": len(changed), "deleted": len(stale)})
    Observation.objects.filter(pk__in=stale).delete()
    for observation in changed:
        observation.value = wanted[(observation.category, observation.year)]
        observation.batch = batch
        observation.save(update_fields=["value", "batch", "updated_at"])
    Observation.objects.bulk_create([
        Observation(table=REGISTER_TABLE, category=category, area=area, year=year, month=0,
                    value=wanted[(category, year)], boundary_year=year, batch=batch) for category, year in new])
    figures_changed()
    return len(stale) + len(changed) + len(new)


# --- after every committed change of a register row ---------------------------------------------------------------

_REGISTER_MODELS = (Signal, IntegralControl, BibobCount, YouthGroup, YouthGroupTypeChange, LioMeeting, AveCount)


def _changed(sender, instance, **kwargs) -> None:
    municipality_id = instance.municipality_id
    connection = transaction.get_connection()
    pending: set[int] = connection.__dict__.setdefault("ivp_register_figures_pending", set())
    if not connection.run_on_commit:
        pending.clear()  # a rolled-back transaction dropped its callbacks: nothing is pending any more
    if municipality_id in pending:
        return
    pending.add(municipality_id)

    def run() -> None:
        pending.discard(municipality_id)
        from ivp.core.models import Organisation
        municipality = Organisation.objects.filter(pk=municipality_id).first()
        if municipality is not None:
            sync_register_figures(municipality=municipality)

    transaction.on_commit(run)


def connect() -> None:
    for model in _REGISTER_MODELS:
        post_save.connect(_changed, sender=model, dispatch_uid=f"register-figures-save-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"register-figures-delete-{model.__name__}")
