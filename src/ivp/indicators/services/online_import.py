"""Fetch the figures for the plan's municipalities from the CBS/Politie open-data service (OData v3)
and write them like a snapshot: validated first, one transaction, idempotent, revisions kept.

This is the production source. It cannot be reached from the development machines; its parsing is
tested against recorded responses (tests/indicators/test_online_import.py, tests/opendata/odata).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from django.utils.translation import gettext as _

from ivp.core.models import Organisation
from ivp.opendata.odata import ODataError, client_for, fetch_observations
from ivp.opendata.odata.query import and_, any_prefix
from ivp.opendata.snapshot.formats import BOUNDARIES_47013, BOUNDARIES_47022, BOUNDARIES_KWB
from ivp.opendata.snapshot.pipeline import Snapshot, check_area_tree
from ivp.opendata.snapshot.records import (
    AreaRecord,
    ImportIssue,
    ObservationRecord,
    PopulationRecord,
    SnapshotError,
)

from ..definitions import INDICATORS
from ..models import ImportSource
from .snapshot_import import ImportResult, apply_snapshot

POPULATION_TOPIC = "BevolkingAanHetBeginVanDePeriode_1"
CRIME_TOPIC = "GeregistreerdeMisdrijven_1"
KWB_INHABITANTS = "AantalInwoners_5"
MAX_COUNT = 2_147_483_647  # the largest count the database stores (PositiveIntegerField, also on PostgreSQL)


class OnlineImportError(Exception):
    """The open-data service could not be reached or answered in an unexpected way; nothing was written."""


def police_categories(table: str) -> list[str]:
    """The crime types the indicators need from a police table."""
    codes = {c for ind in INDICATORS.values() for s in ind.sources if s.table == table for c in s.categories}
    return sorted(codes)


def online_import(*, actor, municipality_codes: Iterable[str] | None = None,
                  client_factory: Callable | None = None) -> ImportResult:
    codes = sorted(municipality_codes or Organisation.objects.filter(cbs_code__isnull=False)
                   .values_list("cbs_code", flat=True))
    if not codes:
        raise OnlineImportError(_("No municipalities are known: load the plan first."))
    try:
        snapshot = _fetch(codes, client_factory or client_for)
    except ODataError as exc:
        raise OnlineImportError(_("The open-data service gave no usable answer: %(error)s") % {"error": exc}) from exc
    from ivp.areas.models import Area

    issues = check_area_tree(snapshot, set(Area.objects.values_list("code", flat=True)))
    if issues:
        raise SnapshotError(issues)
    return apply_snapshot(actor=actor, snapshot=snapshot, source=ImportSource.ODATA, location="odata")


def _count(obs) -> int | None:
    """A figure as a count: None (no figure), or a whole number from 0 to MAX_COUNT; anything else is refused."""
    value = obs.value
    if value is None:
        return None
    if (isinstance(value, float) and not value.is_integer()) or not 0 <= value <= MAX_COUNT:
        raise SnapshotError([ImportIssue(f"odata:{obs.table}", None, obs.measure,
                                         _("not a count: %(value)r (%(area)s, %(period)s)")
                                         % {"value": value, "area": obs.area_code, "period": obs.period})])
    return int(value)


def _fetch(codes: list[str], client_factory: Callable) -> Snapshot:
    snapshot = Snapshot()
    digits = [c[2:] for c in codes]
    # Areas and buurt/wijk population (Kerncijfers wijken en buurten 2024).
    kwb = client_factory("85984NED")
    titles = {item.key: item.title for item in kwb.dimension("85984NED", "WijkenEnBuurten")}
    prefixes = [p + d for d in digits for p in ("GM", "WK", "BU")]
    for obs in fetch_observations(kwb, "85984NED", filter=any_prefix("WijkenEnBuurten", prefixes),
                                  topics=[KWB_INHABITANTS]):
        code = obs.area_code
        level = obs.area_level
        parent = None if level == "gemeente" else ("GM" + code[2:6] if level == "wijk" else "WK" + code[2:8])
        snapshot.areas[code] = AreaRecord(code, level, titles.get(code, code), parent, source_file="odata:85984NED")
        if (inhabitants := _count(obs)) is not None:
            snapshot.populations[(code, BOUNDARIES_KWB, "85984NED")] = PopulationRecord(
                code, BOUNDARIES_KWB, inhabitants, BOUNDARIES_KWB, "85984NED")
    # Municipal population on 1 January (historic boundaries).
    pop = client_factory("37230ned")
    # Keys are served padded ("GM0865    "); startswith matches them without knowing the padding.
    for obs in fetch_observations(pop, "37230ned", filter=any_prefix("RegioS", codes), topics=[POPULATION_TOPIC]):
        if obs.area_code in codes and obs.period.kind == "year" and (inhabitants := _count(obs)) is not None:
            snapshot.populations[(obs.area_code, obs.period.year, "37230ned")] = PopulationRecord(
                obs.area_code, obs.period.year, inhabitants, obs.period.year, "37230ned")
    # Registered crime per municipality and year (current boundaries).
    crime = client_factory("47013NED")
    categories = police_categories("47013NED")
    for obs in fetch_observations(crime, "47013NED", filter=and_(any_prefix("RegioS", codes),
                                                                   any_prefix("SoortMisdrijf", categories)),
                                  topics=[CRIME_TOPIC]):
        if obs.period.kind not in ("year", "month") or obs.area_code not in codes or obs.category not in categories:
            continue
        month = obs.period.month if obs.period.kind == "month" else None
        key = ("47013NED", obs.category, obs.area_code, obs.period.year, month)
        snapshot.observations[key] = ObservationRecord(
            "47013NED", obs.category, obs.area_code, obs.period.year, month,
            _count(obs), BOUNDARIES_47013, "odata:47013NED", 0)
    # Registered crime per buurt and month, summed to complete calendar years.
    buurt = client_factory("47022NED")
    buurt_categories = police_categories("47022NED")
    months: dict[tuple, list] = defaultdict(list)
    for obs in fetch_observations(buurt, "47022NED",
                                  filter=and_(any_prefix("WijkenEnBuurten", ["BU" + d for d in digits]),
                                              any_prefix("SoortMisdrijf", buurt_categories)),
                                  topics=[CRIME_TOPIC]):
        if obs.period.kind == "month" and obs.category in buurt_categories:
            months[(obs.category, obs.area_code, obs.period.year)].append(_count(obs))
            snapshot.observations[("47022NED", obs.category, obs.area_code, obs.period.year, obs.period.month)] = \
                ObservationRecord("47022NED", obs.category, obs.area_code, obs.period.year, obs.period.month,
                                  _count(obs), BOUNDARIES_47022, "odata:47022NED", 0)
    for (category, code, year), values in months.items():
        if len(values) == 12:  # complete years only, like the published yearly sums
            value = None if any(v is None for v in values) else sum(values)
            if value is not None and value > MAX_COUNT:
                raise SnapshotError([ImportIssue("odata:47022NED", None, CRIME_TOPIC,
                                                 _("the yearly sum %(value)d of %(area)s is too large")
                                                 % {"value": value, "area": code})])
            snapshot.observations[("47022NED", category, code, year, None)] = ObservationRecord(
                "47022NED", category, code, year, None, value, BOUNDARIES_47022, "odata:47022NED", 0)
    snapshot.files = [("odata:85984NED", "odata", 0), ("odata:37230ned", "odata", 0),
                      ("odata:47013NED", "odata", 0), ("odata:47022NED", "odata", 0)]
    if not snapshot.observations:
        raise SnapshotError([ImportIssue("odata", None, "", _("the service returned no figures"))])
    return snapshot
