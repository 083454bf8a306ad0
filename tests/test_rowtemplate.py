"""The session's open-data template (tests/rowtemplate.py) gives the rows the real import gives: restored on top of
the plan, each table holds the same rows as after `snapshot_import` (references compared by what they point at,
time stamps by being the time of the restore), new rows get fresh ids, and a database that is not in the captured
state gets the real import instead."""

import datetime as dt

import pytest
from django.apps import apps
from django.db import models, transaction
from django.utils import timezone

from ivp.areas.models import Area
from ivp.core.audit.models import AuditEvent
from ivp.indicators.cache import figures_token
from ivp.indicators.models import ImportBatch, Observation
from ivp.indicators.services.snapshot_import import snapshot_import

from .conftest import _load_plan_file, _role_users

pytestmark = pytest.mark.django_db


# Made at random each time (a state token, salted password hashes, authenticator secrets): not compared.
RANDOM = {("indicators_figuresstate", "token"), ("core_user", "password"), ("otp_totp_totpdevice", "key")}


def _value(obj, f, memo):
    value = getattr(obj, f.attname)
    if isinstance(f, models.DateTimeField):
        return "<time>"
    if f.is_relation and value is not None:
        return _referenced(f.related_model, value, memo)
    return value


def _referenced(model, pk, memo):
    if (model, pk) not in memo:
        memo[model, pk] = "<cycle>"
        target = model._base_manager.filter(pk=pk).first()
        memo[model, pk] = _canonical(target, memo) if target is not None else None
    return memo[model, pk]


def _canonical(obj, memo):
    """A row as what it says, with references replaced by the row they point at (ids left out); an audit event's
    object too, and whether its text is that of the object."""
    row = tuple((f.name, _value(obj, f, memo)) for f in obj._meta.concrete_fields
                if not f.primary_key and (obj._meta.db_table, f.column) not in RANDOM)
    if isinstance(obj, AuditEvent) and obj.object_type:
        model = apps.get_model(obj.object_type)
        target = model._base_manager.filter(pk=obj.object_id).first()
        row = tuple(item for item in row if item[0] not in ("object_id", "object_repr"))
        row += (("object", _referenced(model, int(obj.object_id), memo) if target else obj.object_id),
                ("object_repr is the object's text", target is not None and obj.object_repr == str(target)[:300]))
    return row


def _state():
    """Every row of every table, as a sorted list of canonical rows per table (audit events without their time)."""
    memo = {}
    return {m._meta.db_table: sorted(repr(_canonical(obj, memo)) for obj in m._base_manager.all())
            for m in apps.get_models(include_auto_created=True) if m._meta.managed}


def _restored_and_done(template, action):
    with transaction.atomic():
        assert template.restore() is True
        restored = _state()
        transaction.set_rollback(True)
    with transaction.atomic():
        action()
        done = _state()
        transaction.set_rollback(True)
    assert restored.keys() == done.keys()
    for table in restored:
        assert restored[table] == done[table], table
    return restored


def test_a_restore_gives_the_rows_of_the_real_import(plan, users, opendata_template, shared_data):
    restored = _restored_and_done(opendata_template, lambda: snapshot_import(actor=None, root=shared_data))
    assert len(restored["indicators_observation"]) > 10_000 and len(restored["areas_area"]) > 100


def test_restored_users_are_the_made_users(plan, users_template):
    restored = _restored_and_done(users_template, _role_users)
    assert len(restored["core_user"]) == 6 and len(restored["otp_totp_totpdevice"]) == 2


def test_restored_users_have_their_password_and_keep_their_enrolment_permit(users):
    from ivp.core.models import MfaEnrolmentPermit

    permit = MfaEnrolmentPermit.objects.get(user=users["police"])
    assert permit.expires_at - users["police"].date_joined > dt.timedelta(days=1)  # moved on with the restore
    assert permit.expires_at > timezone.now()
    assert users["police"].check_password("test-password-123!")


def test_a_restored_plan_is_the_loaded_plan(db, plan_template):
    restored = _restored_and_done(plan_template, _load_plan_file)
    assert len(restored["plans_themestatement"]) > 50 and len(restored["core_auditevent"]) > 5
    assert opendata_is_absent()


def opendata_is_absent():
    return not Area.objects.exists() and not Observation.objects.exists()


def test_restored_rows_are_stamped_now_and_later_rows_get_fresh_ids(plan, users, opendata_template):
    start = timezone.now()
    with transaction.atomic():
        assert opendata_template.restore() is True
        first_token = figures_token()
        transaction.set_rollback(True)
    assert opendata_template.restore() is True
    assert figures_token() not in (None, first_token)  # a new state of the figures, as after every import
    event = AuditEvent.objects.filter(action="opendata.import").get()
    batch = ImportBatch.objects.get()
    assert event.occurred_at >= start and batch.created_at >= start
    assert {o.updated_at for o in Observation.objects.all()[:100]} == {Observation.objects.first().updated_at}
    assert Observation.objects.first().updated_at >= start
    # The import's audit event comes after those of the test's own fixtures, as it would after a real import.
    assert AuditEvent.objects.order_by("-occurred_at", "-id").first() == event
    assert event.pk > AuditEvent.objects.exclude(pk=event.pk).latest("pk").pk
    # The municipalities are those of this test's plan.
    assert Area.objects.get(code="GM0865").organisation.cbs_code == "GM0865"
    # New rows do not collide with the restored ones (PostgreSQL sequences moved past them).
    area = Area.objects.create(code="BU99999999", level="buurt", name="Testbuurt (testfixture)",
                               parent=Area.objects.get(code="GM0865"))
    assert area.pk > Area.objects.exclude(pk=area.pk).latest("pk").pk
    batch2 = ImportBatch.objects.create(source="snapshot", location="test")
    assert batch2.pk > batch.pk


def test_a_database_not_in_the_captured_state_gets_the_real_import(plan, opendata_template, shared_data):
    def an_area_first():
        Area.objects.create(code="GM0865", level="gemeente", name="Vught (testfixture)")

    with transaction.atomic():
        an_area_first()
        assert opendata_template.restore() is False
        assert Area.objects.count() == 1 and not Observation.objects.exists()
        assert opendata_template.apply() is False  # the real import ran instead
        assert Observation.objects.count() > 10_000
        transaction.set_rollback(True)

