"""No state change over GET: a coordinator GETs every named web route; no successful audit event is
recorded and no table changes its number of rows.

Reuses the route expectations and URL arguments of tests/web/test_tenancy_walk.py (and its fixtures,
which build one object of every kind)."""

import pytest
from django.db import connection
from django.urls import reverse

from ivp.core.audit.models import AuditEvent

from ..conftest import OTHER, OWN
from ..web import test_tenancy_walk as walk
from ..web.test_tenancy_walk import (  # noqa: F401  (fixtures used by the walk)
    council_reports,
    duidingen,
    execution_objects,
    fund,
    information_rows,
    municipal_areas,
    report_runs,
)

pytestmark = pytest.mark.django_db

READ_LOG_ACTIONS = {"information.read", "information.summary"}


def _row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608  (table names from the schema)
            counts[table] = cursor.fetchone()[0]
        return counts


@pytest.mark.parametrize("role", ["coordinator", "advisor"])
def test_get_changes_nothing(client, users, plan, priorities, agreements, partner_profile, fund, role):  # noqa: F811
    themes = list(plan.themes.order_by("order"))
    client.force_login(users[role])
    urls = []
    for name, expected in walk.EXPECTED_GET.items():
        if expected is None or name == "logout":
            continue
        for code in (OWN, OTHER):
            urls.append(reverse(f"web:{name}", kwargs=walk._kwargs(name, code, plan, priorities, themes)))
    for kind in walk.EXPECTED_HISTORY:
        urls.append(reverse("web:object_history",
                            kwargs=walk._history_kwargs(kind, OWN, plan, priorities, themes)))
    last_event = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    before = _row_counts()
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 302, 403, 404, 405), url
    after = _row_counts()
    # Reading an information register is itself recorded (ADR 0021: restricted and read-logged); those read events
    # are the only successful events a GET may leave.
    new_events = AuditEvent.objects.filter(id__gt=last_event).exclude(action__in=READ_LOG_ACTIONS)
    assert AuditEvent.objects.filter(id__gt=last_event, action="information.read").exists()
    assert not new_events.filter(result="success").exists(), list(new_events.values_list("action", flat=True))
    changed = {t: (before[t], after[t]) for t in before if before[t] != after[t] and t != AuditEvent._meta.db_table}
    assert not changed, changed
    # Only refusals may have been recorded (403 page views).
    assert set(new_events.values_list("action", flat=True)) <= {"access.denied"}
    assert len(urls) > 100
