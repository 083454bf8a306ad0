"""The optimistic-locking helper: one conditional UPDATE on the version, StaleEdit when it matches no row."""

import pytest
from django.utils import timezone

from ivp.core.locking import StaleEdit, create_once, require_version, save_versioned
from ivp.partners.models import CooperationAgreement
from ivp.plans.models import Adoption, LocalPriority

from ..concurrency import one_won, postgres_only, race

pytestmark = pytest.mark.django_db


def test_writes_the_named_fields_and_raises_the_version(priorities):
    priority = priorities["GM0865"]
    priority.title, priority.description = "Nieuwe titel", "Niet genoemd, dus niet geschreven"
    save_versioned(priority, expected_version=1, fields=["title"])
    stored = LocalPriority.objects.get(pk=priority.pk)
    assert (stored.title, stored.description, stored.version) == ("Nieuwe titel", "Testfixture", 2)
    assert priority.version == 2


def test_a_stale_version_changes_nothing(priorities):
    priority = priorities["GM0865"]
    LocalPriority.objects.filter(pk=priority.pk).update(version=2)  # someone else saved
    priority.title = "Mijn titel"
    with pytest.raises(StaleEdit) as refused:
        save_versioned(priority, expected_version=1, fields=["title"])
    assert "Iemand anders heeft dit opgeslagen" in str(refused.value)
    stored = LocalPriority.objects.get(pk=priority.pk)
    assert (stored.title, stored.version) == ("Testprioriteit Vught", 2)
    assert priority.version == 1


def test_none_means_the_version_that_was_read(priorities):
    priority = priorities["GM0865"]
    LocalPriority.objects.filter(pk=priority.pk).update(version=5)  # written after this instance was read
    priority.title = "Op een oude lezing gebaseerd"
    with pytest.raises(StaleEdit):
        save_versioned(priority, expected_version=None, fields=["title"])
    priority.refresh_from_db()
    priority.title = "Op de huidige lezing gebaseerd"
    save_versioned(priority, expected_version=None, fields=["title"])
    assert LocalPriority.objects.get(pk=priority.pk).version == 6


def test_auto_now_fields_are_refreshed(agreements):
    agreement = agreements["GM0865"]
    before = CooperationAgreement.objects.get(pk=agreement.pk).updated_at
    agreement.summary = "Nieuwe samenvatting"
    save_versioned(agreement, expected_version=1, fields=["summary"])
    assert CooperationAgreement.objects.get(pk=agreement.pk).updated_at > before


def test_an_unknown_field_is_a_programming_error(priorities):
    with pytest.raises(ValueError, match="no field"):
        save_versioned(priorities["GM0865"], expected_version=1, fields=["titel"])


def test_require_version(priorities):
    priority = priorities["GM0865"]
    require_version(priority, expected_version=1)
    require_version(priority, expected_version=None)
    with pytest.raises(StaleEdit):
        require_version(priority, expected_version=2)


def test_create_once_refuses_a_row_created_in_the_meantime(plan, vught):
    Adoption.objects.filter(plan=plan, municipality=vught).delete()
    key = {"plan": plan, "municipality": vught}
    adoption = create_once(Adoption, key=key, status="adopted", date=timezone.localdate())
    assert adoption.version == 1
    with pytest.raises(StaleEdit):
        create_once(Adoption, key=key, status="pending")
    with pytest.raises(StaleEdit, match="verwijderd"):
        create_once(Adoption, key={"plan": plan, "municipality": vught}, expected_version=3)
    assert Adoption.objects.get(plan=plan, municipality=vught).status == "adopted"


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_connections_at_the_same_moment(priorities):
    pk = priorities["GM0865"].pk

    def save(title):
        def run():
            priority = LocalPriority.objects.get(pk=pk)
            priority.title = title
            save_versioned(priority, expected_version=1, fields=["title"])
            return title
        return run

    winner = one_won(race(save("Eerste"), save("Tweede"), pause_before_writing=LocalPriority))
    stored = LocalPriority.objects.get(pk=pk)
    assert (stored.title, stored.version) == (winner, 2)
