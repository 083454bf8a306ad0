"""Fixtures of the execution tests: execution plans of Vught, Heusden and the base team for 2023-2024,
and a small area registry (two municipalities, a wijk each with two buurten). Test fixtures, not data."""

import pytest

from ivp.areas.models import Area
from ivp.execution.services import activity_create, execution_plan_create


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
