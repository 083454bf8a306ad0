"""`ivp indicator_funnel`: the funnel plot of an indicator as data: per area its count, population, rate, flag
and limits, with the method, the target, the denominator and the overdispersion estimate used (ADR 0011).

This is an operator's command (read with the internal view of the publication gate): it prints small counts.
"""

import json

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from ivp.areas.models import Area
from ivp.core.management.base import IvpCommand
from ivp.indicators import dashboard
from ivp.indicators.definitions import INDICATORS
from ivp.indicators.labels import FUNNEL_LABELS, FUNNEL_ORDER
from ivp.indicators.series import BASE_TEAM, base_team_areas, indicator_series
from ivp.stats.funnel import TAIL_95, TAIL_998, FunnelMethod, flags, funnel_limits
from ivp.stats.small_areas import MIN_POPULATION_FOR_RATE

# Flags an area can get besides the funnel codes, and why.
OTHER_FLAGS = {
    "no_rate_small_area": "fewer inhabitants than the minimum for a rate: count only",
    "no_rate_no_population": "no population known: no rate",
    "no_figure": "the source published no figure",
    "not_assessed": "too few areas to estimate the spread between them: no flag",
}


def _round(value, digits=4):
    return None if value is None else round(value, digits)


def _dispersion_doc(dispersion) -> dict:
    return {"method": str(dispersion.method), "phi": _round(dispersion.phi), "tau2": _round(dispersion.tau2, 6),
            "n_areas": dispersion.n_areas, "winsor": dispersion.winsor, "reliable": dispersion.reliable}


def _area_doc(row: dict, target: float, dispersion) -> dict:
    if row["count"] is None:
        flag = "no_figure"
    elif not row["population"]:
        flag = "no_rate_no_population"
    elif row["population"] < MIN_POPULATION_FOR_RATE:
        flag = "no_rate_small_area"
    elif not dispersion.reliable:
        flag = "not_assessed"
    else:
        flag = row["flag_code"]
    limits = None
    if row["rate"] is not None:
        point = funnel_limits(target, [row["population"]], dashboard.PER, overdispersion=dispersion)[0]
        limits = {"lower_998": _round(point.lower_998), "lower_95": _round(point.lower_95),
                  "upper_95": _round(point.upper_95), "upper_998": _round(point.upper_998)}
    return {"code": row["code"], "name": row["name"], "count": row["count"], "population": row["population"],
            "rate": _round(row["rate"]), "rate_lower": _round(row["lower"]), "rate_upper": _round(row["upper"]),
            "flag": flag, "z": _round(row.get("z")), "limits": limits, "exposure_note": row.get("exposure") or ""}


class Command(IvpCommand):
    help = ("Print the funnel plot of an indicator as data: per area count, population, rate (none below the "
            "minimum population), flag and limits, with the method and the overdispersion estimate.")

    def add_arguments(self, parser):
        parser.add_argument("--area", required=True, help=f"'{BASE_TEAM}' or a municipality's CBS code (GM...)")
        parser.add_argument("--level", required=True, choices=["gemeente", "wijk", "buurt"])
        parser.add_argument("--indicator", default=dashboard.TABLE_INDICATOR)
        parser.add_argument("--period", type=int, help="year (default: the latest with populations)")
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args, **options):
        code = options["indicator"]
        if code not in INDICATORS:
            raise CommandError(_("Unknown indicator %(code)s; known: %(known)s")
                               % {"code": code, "known": ", ".join(INDICATORS)})
        area, level = options["area"].strip(), options["level"]
        if area == BASE_TEAM:
            municipalities = base_team_areas()
        else:
            municipalities = list(Area.objects.filter(code=area.upper(), level="gemeente",
                                                      organisation__isnull=False).defer("geometry"))
            if not municipalities:
                raise CommandError(_("Unknown municipality %(code)s; use a CBS code of the base team or '%(team)s'.")
                                   % {"code": area, "team": BASE_TEAM})
        document = (self._municipalities(code, options["period"], municipalities) if level == "gemeente"
                    else self._areas(code, level, options["period"], municipalities))
        document.update(indicator=code, level=level, area=area, per=dashboard.PER,
                        min_population_for_rate=MIN_POPULATION_FOR_RATE,
                        tails={"95": TAIL_95, "99.8": TAIL_998},
                        flags={**{c: str(FUNNEL_LABELS[c]) for c in FUNNEL_ORDER}, **OTHER_FLAGS})
        rated = [a for a in document["areas"] if a["rate"] is not None]
        outer = [a for a in rated if a["flag"] in ("above_998", "below_998")]
        document["summary"] = {"areas": len(document["areas"]), "with_rate": len(rated),
                               "beyond_outer_limit": len(outer),
                               "share_beyond_outer_limit": _round(len(outer) / len(rated)) if rated else None}
        if options["format"] == "json":
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{document['indicator']} {level} {area} {document['period']}: target "
                          f"{document['target_rate']} per {dashboard.PER} ({document['method']}, "
                          f"phi {document['dispersion']['phi']}, tau2 {document['dispersion']['tau2']})")
        for a in document["areas"]:
            self.stdout.write(f"{a['code']:<12} {a['count']!s:>6} {a['population']!s:>7} {a['rate']!s:>9}  "
                              f"{a['flag']}")

    def _areas(self, code, level, year, municipalities) -> dict:
        areas, figures = [], None
        for municipality in municipalities:
            figures = dashboard.neighbourhood_figures(municipality, indicator_code=code, level=level, year=year)
            if figures.get("reason"):
                raise CommandError(figures["reason"])
            areas += [_area_doc(r, figures["target"], figures["dispersion"]) for r in figures["rows"]]
        dispersion = figures["dispersion"]
        return {"period": str(figures["year"]), "target_rate": _round(figures["target"]),
                "target": f"rate of all {level} areas of the base team with at least {MIN_POPULATION_FOR_RATE} "
                          f"inhabitants ({figures['reference_areas']} areas)",
                "denominator": f"inhabitants on 1 January {figures['year']} (CBS 85984NED)",
                "source_table": figures["source_table"], "method": str(dispersion.method),
                "dispersion": _dispersion_doc(dispersion), "areas": areas}

    def _municipalities(self, code, year, municipalities) -> dict:
        team = indicator_series(code, BASE_TEAM)
        point = next((p for p in reversed(team.points) if p.rate is not None and (year is None or p.year == year)),
                     None)
        if point is None:
            raise CommandError(_("No base-team rate for this indicator and period."))
        dispersion = dashboard.national_overdispersion(team.source, point.year)
        rows = []
        for area in municipalities:
            p = next((q for q in indicator_series(code, area.code).points if q.year == point.year), None)
            rows.append({"code": area.code, "name": area.name, "count": p.count if p else None,
                         "population": p.population if p else None, "rate": p.rate if p else None,
                         "lower": p.lower if p else None, "upper": p.upper if p else None, "flag_code": ""})
        rated = [r for r in rows if r["rate"] is not None]
        for row, result in zip(rated, flags([r["count"] for r in rated], [r["population"] for r in rated], point.rate,
                                            dashboard.PER, overdispersion=dispersion), strict=True):
            row.update(flag_code=str(result.code), z=result.z)
        method = dispersion.method if dispersion.reliable else FunnelMethod.POISSON
        return {"period": str(point.year), "target_rate": _round(point.rate),
                "target": "rate of the base team (all its municipalities)",
                "denominator": f"inhabitants on 1 January {point.year} (CBS 37230ned)",
                "source_table": team.source.table, "method": str(method),
                "dispersion": {**_dispersion_doc(dispersion), "estimated_from": "all Dutch municipalities"},
                "areas": [_area_doc(r, point.rate, dispersion) for r in rows]}
