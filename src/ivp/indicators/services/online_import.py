"""Fetch the figures for the plan's municipalities from the CBS/Politie open-data service (OData v3)
and write them like a snapshot: validated first, one transaction, idempotent, revisions kept.

This is the production source. It cannot be reached from the development machines; its parsing is
tested against recorded responses (tests/indicators/test_online_import.py, tests/opendata/odata).

Once the database holds the police figures, a run is an incremental update: the police tables are asked only for
the periods of a revision window (the last REVISION_MONTHS months before the newest imported one, and everything
after), see docs/adr/0008-incremental-open-data-update.md. ``full=True`` fetches everything again.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ivp.core.models import Organisation
from ivp.opendata.odata import ODataError, ODataHTTPError, client_for, fetch_observations
from ivp.opendata.odata.frames import fetch_frames
from ivp.opendata.odata.gc_pause import cyclic_gc_paused
from ivp.opendata.odata.query import and_, any_prefix, period_from
from ivp.opendata.snapshot.formats import BOUNDARIES_47013, BOUNDARIES_47022, BOUNDARIES_KWB
from ivp.opendata.snapshot.pipeline import Snapshot, check_area_tree
from ivp.opendata.snapshot.records import (
    AreaRecord,
    ImportIssue,
    PopulationRecord,
    SnapshotError,
)

from ..definitions import INDICATORS
from ..models import ImportSource
from .online_months import CRIME_TOPIC, add_figures, buurt_months, municipality_figures, yearly_sums
from .online_months import MAX_COUNT as MAX_COUNT  # noqa: F401 (re-exported: the limit of a count)
from .online_months import count as _count
from .snapshot_import import ImportResult, apply_snapshot

POPULATION_TOPIC = "BevolkingAanHetBeginVanDePeriode_1"
KWB_INHABITANTS = "AantalInwoners_5"
#: Police figures are revised for some months after publication: an update fetches this many months before the
#: newest imported one again (and everything after it). ADR 0008.
REVISION_MONTHS = 6
#: Above this many municipalities the service is asked per area level (one startswith clause) instead of per
#: municipality (one clause each, 345-1,035 nationally: URLs of tens of kB), and the municipalities are picked here.
LOCAL_AREA_FILTER_ABOVE = 40

log = logging.getLogger(__name__)


class OnlineImportError(Exception):
    """The open-data service could not be reached or answered in an unexpected way; nothing was written."""


def police_categories(table: str) -> list[str]:
    """The crime types the indicators need from a police table."""
    codes = {c for ind in INDICATORS.values() for s in ind.sources if s.table == table for c in s.categories}
    return sorted(codes)


@dataclass(frozen=True)
class UpdateWindow:
    """The periods an incremental update fetches: 47022NED months from (year, month) on; 47013NED from the same
    year's ``JJ00`` on (its year figure sorts before the months of that year, see ``period_from``)."""

    year: int
    month: int

    @classmethod
    def months_before(cls, year: int, month: int, months: int) -> UpdateWindow:
        index = year * 12 + (month - 1) - months
        return cls(index // 12, index % 12 + 1)

    def covers(self, year: int, month: int) -> bool:
        return (year, month) >= (self.year, self.month)


def online_import(*, actor, municipality_codes: Iterable[str] | None = None,
                  client_factory: Callable | None = None, full: bool = False) -> ImportResult:
    """Fetch and write the figures; an incremental update unless ``full`` or the police figures are not there yet."""
    codes: list[str] = sorted(municipality_codes or Organisation.objects.filter(  # type: ignore[arg-type]
        cbs_code__isnull=False).values_list("cbs_code", flat=True))  # (isnull=False: each code is a str)
    if not codes:
        raise OnlineImportError(_("No municipalities are known: load the plan first."))
    window = None if full else update_window(codes)
    try:
        snapshot = _fetch(codes, client_factory or client_for, window=window)
    except ODataError as exc:
        raise OnlineImportError(_("The open-data service gave no usable answer: %(error)s") % {"error": exc}) from exc
    from ivp.areas.models import Area

    issues = check_area_tree(snapshot, set(Area.objects.values_list("code", flat=True)))
    if issues:
        raise SnapshotError(issues)
    if window is not None:
        _drop_unchanged_areas(snapshot)
    return apply_snapshot(actor=actor, snapshot=snapshot, source=ImportSource.ODATA, location="odata")


def monthly_update() -> str:
    """The monthly scheduled job (ivp.indicators.scheduled): `ivp fetch_opendata`, an incremental update. When the
    service cannot be reached or answers unusably, nothing is written and OnlineImportError/SnapshotError is raised:
    the scheduler records the run as failed with this message, and the next month tries again."""
    return online_import(actor=None).summary()


def _drop_unchanged_areas(snapshot: Snapshot) -> None:
    """An update hands the store only the areas that are new or would change (name, parent, a municipality's
    organisation link), compared here in one query: the store would otherwise look at every area of the country."""
    from ivp.areas.models import Area

    stored = {code: (level, name, parent, organisation_id) for code, level, name, parent, organisation_id
              in Area.objects.values_list("code", "level", "name", "parent__code", "organisation_id")}
    linked = set(Organisation.objects.filter(cbs_code__isnull=False).values_list("cbs_code", flat=True))
    for code, record in list(snapshot.areas.items()):
        if (current := stored.get(code)) is None:
            continue
        level, name, parent, organisation_id = current
        renamed = record.name != name and (level != "buurt" or not name)
        moved = record.parent_code is not None and record.parent_code != parent
        if not (renamed or moved or (code in linked and organisation_id is None)):
            del snapshot.areas[code]


def update_window(codes: list[str]) -> UpdateWindow | None:
    """The window of an incremental update, or None (full import) when the police figures of one of the
    municipalities are not in the database yet."""
    from django.db.models import Max

    from ..models import Observation

    monthly = Observation.objects.filter(table="47022NED", month__gt=0)
    newest_year = monthly.aggregate(year=Max("year"))["year"]
    if newest_year is None:
        return None
    imported = set(Observation.objects.filter(table="47013NED", area__code__in=codes)
                   .values_list("area__code", flat=True).distinct())
    if not set(codes) <= imported:  # a municipality new to the plan needs its whole history
        return None
    newest_month = monthly.filter(year=newest_year).aggregate(month=Max("month"))["month"]
    return UpdateWindow.months_before(newest_year, newest_month, REVISION_MONTHS)


def _stored_months(window: UpdateWindow, categories: list[str],
                   digits: set[str]) -> Iterator[tuple[str, str, int, int | None]]:
    """47022NED months already in the database of the window's first year before the window:
    ``(category, buurt code, month, value)``, as tuples (a national year holds ~350,000 of them)."""
    from ivp.areas.models import Area

    from ..models import Observation

    codes = dict(Area.objects.values_list("pk", "code"))
    rows = (Observation.objects.filter(table="47022NED", category__in=categories, year=window.year,
                                       month__gte=1, month__lt=window.month)
            .values_list("category", "area_id", "month", "value"))
    for category, area_id, month, value in rows.iterator(chunk_size=10_000):
        code = codes.get(area_id, "")
        if code[2:6] in digits:
            yield category, code, month, value


def _area_filter(field: str, levels: tuple[str, ...], digits: list[str]) -> str:
    """``startswith`` clauses per municipality, or per area level only for long lists (picked locally then)."""
    if len(digits) > LOCAL_AREA_FILTER_ABOVE:
        return any_prefix(field, levels)
    return any_prefix(field, [level + d for d in digits for level in levels])


def _observations(client, table: str, *, filter: str | None, period: str | None, topics: list[str],
                  fetch: Callable = fetch_observations):
    """``fetch`` (``fetch_observations`` or ``fetch_frames``) with ``period`` added to the filter. Should the service
    refuse the period comparison (HTTP 400 on the first page), the table is fetched without it; the caller drops the
    older periods itself."""
    rows = fetch(client, table, filter=and_(filter, period), topics=topics)
    try:
        first = next(rows, None)
    except ODataHTTPError as exc:
        if period is None or exc.status != 400:
            raise
        log.warning("%s: the service refused the period filter (%s); fetching the whole table", table, exc)
        rows = fetch(client, table, filter=filter, topics=topics)
        first = next(rows, None)
    return iter(()) if first is None else itertools.chain([first], rows)


@cyclic_gc_paused()
def _fetch(codes: list[str], client_factory: Callable, *, window: UpdateWindow | None = None,
           stored_months: Callable = _stored_months) -> Snapshot:
    snapshot = Snapshot()
    digits = [c[2:] for c in codes]
    digit_set, code_set = set(digits), set(codes)
    # Areas and buurt/wijk population (Kerncijfers wijken en buurten 2024).
    kwb = client_factory("85984NED")
    titles = {item.key: item.title for item in kwb.dimension("85984NED", "WijkenEnBuurten")}
    for obs in fetch_observations(kwb, "85984NED", filter=_area_filter("WijkenEnBuurten", ("GM", "WK", "BU"), digits),
                                  topics=[KWB_INHABITANTS]):
        code = obs.area_code
        level = obs.area_level
        if level not in ("gemeente", "wijk", "buurt") or code[2:6] not in digit_set:
            continue
        parent = None if level == "gemeente" else ("GM" + code[2:6] if level == "wijk" else "WK" + code[2:8])
        snapshot.areas[code] = AreaRecord(code, level, titles.get(code, code), parent, source_file="odata:85984NED")
        if (inhabitants := _count(obs)) is not None:
            snapshot.populations[(code, BOUNDARIES_KWB, "85984NED")] = PopulationRecord(
                code, BOUNDARIES_KWB, inhabitants, BOUNDARIES_KWB, "85984NED")
    # Municipal population on 1 January (historic boundaries).
    pop = client_factory("37230ned")
    # Keys are served padded ("GM0865    "); startswith matches them without knowing the padding.
    for obs in fetch_observations(pop, "37230ned", filter=_area_filter("RegioS", ("GM",), digits),
                                  topics=[POPULATION_TOPIC]):
        if obs.area_code in code_set and obs.period.kind == "year" and (inhabitants := _count(obs)) is not None:
            snapshot.populations[(obs.area_code, obs.period.year, "37230ned")] = PopulationRecord(
                obs.area_code, obs.period.year, inhabitants, obs.period.year, "37230ned")
    # Registered crime per municipality and year (current boundaries); an update asks from its first year on.
    crime = client_factory("47013NED")
    categories = police_categories("47013NED")
    frames = _observations(crime, "47013NED", fetch=fetch_frames,
                           filter=and_(_area_filter("RegioS", ("GM",), digits),
                                       any_prefix("SoortMisdrijf", categories)),
                           period=period_from("Perioden", window.year) if window else None, topics=[CRIME_TOPIC])
    yearly = municipality_figures(frames, categories, code_set, window)
    add_figures(snapshot, "47013NED", yearly, BOUNDARIES_47013)
    # Registered crime per buurt and month, summed to complete calendar years: columnar (national: millions).
    buurt = client_factory("47022NED")
    buurt_categories = police_categories("47022NED")
    frames = _observations(buurt, "47022NED", fetch=fetch_frames,
                           filter=and_(_area_filter("WijkenEnBuurten", ("BU",), digits),
                                       any_prefix("SoortMisdrijf", buurt_categories)),
                           period=period_from("Perioden", window.year, window.month) if window else None,
                           topics=[CRIME_TOPIC])
    monthly = buurt_months(frames, buurt_categories, digit_set, window)
    stored = (stored_months(window, buurt_categories, digit_set) if window and window.month > 1 and monthly.height
              else ())
    add_figures(snapshot, "47022NED", monthly, BOUNDARIES_47022)
    add_figures(snapshot, "47022NED", yearly_sums(monthly, stored, window), BOUNDARIES_47022)
    snapshot.files = [("odata:85984NED", "odata", 0), ("odata:37230ned", "odata", 0),
                      ("odata:47013NED", "odata", 0), ("odata:47022NED", "odata", 0)]
    if not snapshot.observation_count():
        raise SnapshotError([ImportIssue("odata", None, "", _("the service returned no figures"))])
    return snapshot
