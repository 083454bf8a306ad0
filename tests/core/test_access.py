"""Role scopes, as derived from memberships."""

import pytest
from django.core.exceptions import ValidationError

from ivp.core.access import access_for
from ivp.core.models import Membership
from ivp.core.roles import Role
from ivp.core.selectors import municipalities_for_user

pytestmark = pytest.mark.django_db


def test_scopes(users, vught, heusden):
    a = {role: access_for(user) for role, user in users.items()}
    assert a["coordinator"].read_all and a["coordinator"].edit_all
    assert a["police"].read_all and not a["police"].edit_all and a["police"].can_comment
    assert a["prosecutor"].read_all and not a["prosecutor"].edit_all
    assert a["advisor"].can_edit_municipality(vught.pk) and not a["advisor"].can_edit_municipality(heusden.pk)
    assert a["councillor"].can_read_municipality(vught.pk) and not a["councillor"].can_edit_municipality(vught.pk)
    assert not a["councillor"].can_read_municipality(heusden.pk)
    assert not a["partner"].read_all and not a["partner"].readable_municipality_ids
    assert not a["anonymous"].authenticated


def test_municipal_users_open_only_their_own_municipality(users, vught):
    assert list(municipalities_for_user(users["advisor"])) == [vught]
    assert municipalities_for_user(users["coordinator"]).count() == 5


def test_role_must_fit_the_organisation(users, vught):
    membership = Membership(user=users["police"], organisation=vught, role=Role.COORDINATOR)
    with pytest.raises(ValidationError):
        membership.full_clean()
