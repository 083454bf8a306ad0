"""Fixtures of the execution tests: execution plans of Vught, Heusden and the base team for 2023-2024,
and a small area registry (two municipalities, a wijk each with two buurten). Test fixtures, not data."""

import pytest

from ivp.areas.models import Area, Population
from ivp.execution.services import activity_create, execution_plan_create
from ivp.indicators.models import ImportBatch, Observation
from ivp.indicators.services.interpretations import interpretation_save


@pytest.fixture
def areas(vught, heusden):
    """Gemeente -> wijk -> buurten for Vught and Heusden (made-up codes, test fixture)."""
    result = {}
    for org, prefix in ((vught, "0865"), (heusden, "0797")):
        gemeente, _created = Area.objects.get_or_create(
            code=org.cbs_code, defaults={"level": "gemeente", "name": org.name, "organisation": org})
        wijk = Area.objects.create(code=f"WK{prefix}01", level="wijk", name=f"Testwijk {org.name}", parent=gemeente)
        buurten = [Area.objects.create(code=f"BU{prefix}01{i:02d}", level="buurt", name=f"Testbuurt {org.name} {i}",
                                       parent=wijk) for i in (1, 2)]
        result[org.cbs_code] = {"gemeente": gemeente, "wijk": wijk, "buurten": buurten}
    return result


@pytest.fixture
def execution_plans(plan, vught, heusden, users):
    coordinator = users["coordinator"]
    return {
        "GM0865": execution_plan_create(actor=coordinator, plan=plan, municipality=vught, period_start=2023),
        "GM0797": execution_plan_create(actor=coordinator, plan=plan, municipality=heusden, period_start=2023),
        None: execution_plan_create(actor=coordinator, plan=plan, municipality=None, period_start=2023),
    }


@pytest.fixture
def lenses(plan):
    return {lens.code: lens for lens in plan.focus_lenses.all()}


@pytest.fixture
def themes(plan):
    return {theme.code: theme for theme in plan.themes.all()}


@pytest.fixture
def make_activity(users, lenses, themes):
    def make(execution_plan, *, actor=None, title="Testactiviteit", lens_codes=("youth",), theme_codes=("youth",),
             owner=None, **values):
        actor = actor or users["coordinator"]
        return activity_create(
            actor=actor, execution_plan=execution_plan, title=title, owner=owner or actor,
            focus_lenses=[lenses[c] for c in lens_codes],
            themes=[themes[c] for c in theme_codes],
            **values)
    return make


@pytest.fixture
def figures(areas, users):
    """Registered crime per buurt (TEST FIXTURE, made-up counts): six wijken of two buurten in Vught and Heusden,
    1,000 inhabitants per buurt; the first buurt of Vught far above the rest. Twelve wijken and 24 buurten: enough
    areas to estimate the usual spread between them. The neighbourhoods of both municipalities have a published
    interpretation, so the public view (council reports) shows them too."""
    batch = ImportBatch.objects.create(source="snapshot", location="test")
    for code, prefix in (("GM0865", "0865"), ("GM0797", "0797")):
        gemeente = areas[code]["gemeente"]
        for i in range(1, 7):
            wijk = areas[code]["wijk"] if i == 1 else Area.objects.create(
                code=f"WK{prefix}{i:02d}", level="wijk", name=f"Testwijk {gemeente.name} {i}", parent=gemeente)
            buurten = areas[code]["buurten"] if i == 1 else [
                Area.objects.create(code=f"BU{prefix}{i:02d}{b:02d}", level="buurt", parent=wijk,
                                    name=f"Testbuurt {gemeente.name} {i}.{b}") for b in (1, 2)]
            values = (150, 40) if (code, i) == ("GM0865", 1) else (30 + i, 36 - i) if code == "GM0865" else (28 + i, 33)
            Population.objects.create(area=wijk, year=2023, value=2000, boundary_year=2023, source_table="85984NED")
            for buurt, value in zip(buurten, values, strict=True):
                Population.objects.create(area=buurt, year=2023, value=1000, boundary_year=2023,
                                          source_table="85984NED")
                Observation.objects.create(table="47022NED", category="0.0.0", area=buurt, year=2023, month=0,
                                           value=value, boundary_year=2023, batch=batch)
        interpretation_save(actor=users["coordinator"], indicator="crime_total", area=gemeente, period="2023",
                            text="Testduiding buurten (testfixture)", published=True, scope="neighbourhoods")
    return areas
