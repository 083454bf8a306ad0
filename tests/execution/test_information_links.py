"""Activities can point at signal categories and youth groups (issue 15 item 5), optional, audited, checked."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ivp.core.audit.models import AuditEvent
from ivp.execution.services import activity_update
from ivp.information import services as information

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups(users, vught, heusden, areas):
    make = information.youth_group_create
    return {
        "vught": make(actor=users["advisor"], municipality=vught, code="VU-01", group_type="nuisance",
                      size_band="11-20", phase="approach", first_seen=dt.date(2024, 2, 1)),
        "heusden": make(actor=users["coordinator"], municipality=heusden, code="HE-01", group_type="criminal",
                        size_band="5-10", phase="shortlist", first_seen=dt.date(2024, 3, 1)),
    }


def test_links_are_optional_saved_and_audited_without_the_group_code(execution_plans, make_activity, users, groups):
    plain = make_activity(execution_plans["GM0865"])
    assert plain.signal_categories == [] and not plain.youth_groups.exists()
    activity = make_activity(execution_plans["GM0865"], title="Aanpak jeugdgroep", actor=users["advisor"],
                             signal_categories=["youth", "drugs"], youth_groups=[groups["vught"]])
    assert activity.signal_categories == ["drugs", "youth"]
    assert list(activity.youth_groups.all()) == [groups["vught"]]
    event = AuditEvent.objects.filter(action="activity.create").latest("pk")
    assert event.changes["youth_groups"] == [[], [groups["vught"].pk]] and "VU-01" not in str(event.changes)
    # An update without the links (e.g. a form without the youth-group field) leaves them as they are.
    activity_update(actor=users["advisor"], activity=activity, expected_version=activity.version,
                    title="Aanpak jeugdgroep Zuid", owner=activity.owner, focus_lenses=activity.focus_lenses.all(),
                    themes=activity.themes.all())
    activity.refresh_from_db()
    assert activity.youth_groups.count() == 1 and activity.signal_categories == ["drugs", "youth"]


def test_another_municipalitys_group_or_an_unknown_category_is_refused(execution_plans, make_activity, users,
                                                                       groups):
    with pytest.raises(ValidationError) as info:
        make_activity(execution_plans["GM0865"], youth_groups=[groups["heusden"]])
    assert "youth_groups" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        make_activity(execution_plans["GM0865"], signal_categories=["gossip"])
    assert "signal_categories" in info.value.message_dict


def test_the_groups_show_only_to_readers_of_the_registers(client, execution_plans, make_activity, users, groups):
    activity = make_activity(execution_plans["GM0865"], signal_categories=["youth"], youth_groups=[groups["vught"]])
    url = reverse("web:activity_detail", kwargs={"pk": activity.pk})
    client.force_login(users["advisor"])
    assert "VU-01" in client.get(url).content.decode()
    form = client.get(reverse("web:activity_edit", kwargs={"pk": activity.pk})).content.decode()
    assert 'name="youth_groups"' in form and 'name="signal_categories"' in form
    client.force_login(users["councillor"])
    page = client.get(url)
    assert page.status_code == 200 and "VU-01" not in page.content.decode()
