"""The figures cache (ivp.indicators.cache): computed once per figures' state and language, computed again after
a write through a service (import, structural break); an interpretation edit shows at once on the dashboard."""

import dataclasses
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from ivp.areas.models import Area
from ivp.indicators.cache import figures_changed, figures_token, memoised
from ivp.indicators.models import Observation
from ivp.indicators.series import indicator_series
from ivp.indicators.services.interpretations import structural_break_add
from ivp.indicators.services.snapshot_import import apply_snapshot
from ivp.opendata.snapshot.pipeline import read_snapshot


class Counter:
    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return self.calls


def test_without_a_token_nothing_is_cached():
    compute = Counter()
    assert [memoised("test", ("a",), compute, token=None) for _ in range(3)] == [1, 2, 3]


def test_cached_per_token_key_and_language():
    compute = Counter()
    with translation.override("nl"):
        assert memoised("test", ("a",), compute, token="t1") == 1
        assert memoised("test", ("a",), compute, token="t1") == 1  # cached
        assert memoised("test", ("b",), compute, token="t1") == 2  # another key
        assert memoised("other", ("a",), compute, token="t1") == 3  # another kind
        assert memoised("test", ("a",), compute, token="t2") == 4  # another state of the figures
    with translation.override("en"):
        assert memoised("test", ("a",), compute, token="t1") == 5  # series carry translated notes
    assert compute.calls == 5


@pytest.mark.django_db
def test_every_change_gives_a_new_token():
    assert figures_token() is None  # nothing written through a service yet: nothing is cached
    figures_changed()
    first = figures_token()
    figures_changed()
    assert first and figures_token() and figures_token() != first


@pytest.mark.django_db
def test_an_import_is_seen_at_once_a_write_behind_the_services_back_is_not(imported, shared_data):
    before = indicator_series("crime_total", "GM0865").latest
    assert figures_token() is not None
    rows = Observation.objects.filter(table="47013NED", area__code="GM0865", year=before.year, month=0)
    original = {o.pk: o.value for o in rows}
    rows.update(value=0)  # not through a service: the cached series stays (documented in ivp.indicators.cache)
    assert indicator_series("crime_total", "GM0865").latest.count == before.count
    for pk, value in original.items():  # put the figures back, then re-import with one figure revised
        Observation.objects.filter(pk=pk).update(value=value)
    snapshot = read_snapshot(shared_data, known_area_codes=set(Area.objects.values_list("code", flat=True)))
    key, record = next((k, r) for k, r in snapshot.observations.items()
                       if r.table == "47013NED" and r.area_code == "GM0865" and r.year == before.year
                       and r.month is None and r.value)
    snapshot.observations[key] = dataclasses.replace(record, value=record.value + 40)
    result = apply_snapshot(actor=None, snapshot=snapshot, source="snapshot", location="test")
    assert result.revised == 1
    assert indicator_series("crime_total", "GM0865").latest.count == before.count + 40


@pytest.mark.django_db
def test_a_structural_break_gives_a_new_token(imported, users):
    token = figures_token()
    structural_break_add(actor=users["advisor"], area=Area.objects.get(code="GM0865"), start=dt.date(2024, 1, 1),
                         end=None, kind="registration_change", description="Nieuwe registratiewijze (testgeval)")
    assert figures_token() != token


@pytest.mark.django_db
def test_a_published_interpretation_shows_at_once_on_the_cached_dashboard(client, users, imported):
    url = reverse("web:municipality_dashboard", kwargs={"cbs_code": "GM0865"})
    assert figures_token() is not None
    assert "Daling na de piek van 2023." not in client.get(url).content.decode()  # renders and caches the cards
    client.force_login(users["advisor"])
    client.post(reverse("web:interpretation_edit", kwargs={"area_code": "GM0865", "indicator": "crime_total"}),
                {"period": "2024", "text": "Daling na de piek van 2023.", "published": "on", "version": "0"})
    client.logout()
    assert "Daling na de piek van 2023." in client.get(url).content.decode()
    # An edit of the same interpretation (same pk, next version) and its withdrawal show at once too.
    edit = reverse("web:interpretation_edit", kwargs={"area_code": "GM0865", "indicator": "crime_total"})
    client.force_login(users["advisor"])
    client.post(edit, {"period": "2024", "text": "Daling, maar nog boven 2022.", "published": "on", "version": "1"})
    client.logout()
    page = client.get(url).content.decode()
    assert "Daling, maar nog boven 2022." in page and "Daling na de piek van 2023." not in page
    client.force_login(users["advisor"])
    client.post(edit, {"period": "2024", "text": "Daling, maar nog boven 2022.", "version": "2"})  # unpublished
    client.logout()
    assert "Daling, maar nog boven 2022." not in client.get(url).content.decode()


def test_long_keys_are_hashed_into_a_short_valid_cache_key(recwarn):
    compute = Counter()
    long_key = tuple(f"{i}.1.2026-11-28T21:27:46.953453+00:00" for i in range(80))  # e.g. 80 interpretations
    assert memoised("test", long_key, compute, token="t1") == 1
    assert memoised("test", long_key, compute, token="t1") == 1
    assert memoised("test", long_key[:-1], compute, token="t1") == 2  # a different set of parts
    assert memoised("test", ("a:b", "c"), compute, token="t1") == 3
    assert memoised("test", ("a", "b:c"), compute, token="t1") == 4  # parts are not confused by the joiner
    assert not [w for w in recwarn if "CacheKeyWarning" in type(w.message).__name__]
