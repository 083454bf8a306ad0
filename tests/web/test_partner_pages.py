"""Pages of the partner register and the cooperation agreements, as each role gets them."""

import datetime as dt

import pytest
from django.urls import reverse

from ivp.core.audit.models import AuditEvent
from ivp.core.models import Organisation
from ivp.partners.models import CooperationAgreement, PartnerProfile

from ..conftest import OTHER, OWN
from .test_pages import _parse, assert_accessible_basics

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "coordinator", "advisor", "councillor", "police", "prosecutor", "partner"]


def _text(response) -> str:
    return " ".join(_parse(response).text)


def _form_data(agreement, **overrides):
    parties = list(agreement.parties.all())
    data = {
        "title": agreement.title, "kind": agreement.kind, "status": agreement.status,
        "municipality": agreement.municipality_id or "", "owner": agreement.owner_id,
        "start_date": agreement.start_date.isoformat(),
        "review_date": agreement.review_date.isoformat() if agreement.review_date else "",
        "party_municipalities": [p.pk for p in parties if p.kind == "municipality"],
        "party_partners": [p.pk for p in parties if p.kind == "partner"],
        "summary": agreement.summary, "task_division": agreement.task_division, "backup": agreement.backup,
        "information_sharing": agreement.information_sharing, "version": agreement.version,
    }
    data.update(overrides)
    return data


def _make_overdue(agreement):
    CooperationAgreement.objects.filter(pk=agreement.pk).update(review_date=dt.date(2020, 1, 1))


def test_pages_are_accessible(client, users, agreements, partner_profile):
    client.force_login(users["coordinator"])
    partner = partner_profile.organisation
    agreement = agreements[OWN]
    for url in [reverse("web:partner_register"), reverse("web:partner_detail", kwargs={"pk": partner.pk}),
                reverse("web:partner_edit", kwargs={"pk": partner.pk}), reverse("web:agreement_list"),
                reverse("web:agreement_create"), reverse("web:agreement_detail", kwargs={"pk": agreement.pk}),
                reverse("web:agreement_edit", kwargs={"pk": agreement.pk}),
                reverse("web:object_history", kwargs={"kind": "afspraak", "pk": agreement.pk}),
                reverse("web:object_history", kwargs={"kind": "partnerprofiel", "pk": partner_profile.pk})]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_accessible_basics(response)


# --- The overdue flag -------------------------------------------------------------------------------

def test_overdue_reviews_are_flagged_on_the_municipality_page(client, users, agreements):
    _make_overdue(agreements[OWN])
    _make_overdue(agreements[OTHER])
    url = reverse("web:municipality_detail", kwargs={"cbs_code": OWN})
    client.force_login(users["advisor"])
    page = client.get(url).content.decode()
    assert 'id="overdue-agreements-heading"' in page
    assert "Testafspraak boa-politie Vught" in page
    assert "Testafspraak boa-politie Heusden" not in page  # another municipality's
    assert reverse("web:agreement_edit", kwargs={"pk": agreements[OWN].pk}) in page  # the advisor may record it
    # The coordinator sees Heusden's on Heusden's page, not on Vught's.
    client.force_login(users["coordinator"])
    assert "Testafspraak boa-politie Heusden" not in client.get(url).content.decode()
    heusden_page = client.get(reverse("web:municipality_detail", kwargs={"cbs_code": OTHER})).content.decode()
    assert "Testafspraak boa-politie Heusden" in heusden_page
    # Agreements are not public: no block for anonymous visitors.
    client.logout()
    page = client.get(url).content.decode()
    assert 'id="overdue-agreements-heading"' not in page and "Testafspraak" not in page


def test_nothing_overdue_is_said_so(client, users, agreements):
    client.force_login(users["advisor"])
    page = client.get(reverse("web:municipality_detail", kwargs={"cbs_code": OWN}))
    assert 'id="overdue-agreements-heading"' in page.content.decode()
    assert "Testafspraak" not in page.content.decode()


def test_overdue_block_and_badge_on_the_list(client, users, agreements):
    _make_overdue(agreements["base"])
    client.force_login(users["councillor"])
    response = client.get(reverse("web:agreement_list"))
    assert_accessible_basics(response)
    page = response.content.decode()
    block = page.split('id="overdue-agreements-heading"')[1].split("</section>")[0]
    assert "Testafspraak BIM" in block and "Testafspraak boa-politie Vught" not in block
    assert "ivp-badge--overdue" in page
    # A councillor reads, and cannot record the review.
    assert reverse("web:agreement_edit", kwargs={"pk": agreements["base"].pk}) not in page


def test_list_filters(client, users, agreements):
    client.force_login(users["coordinator"])
    text = _text(client.get(reverse("web:agreement_list"), {"soort": "bim"}))
    assert "Testafspraak BIM" in text and "Testafspraak boa-politie Vught" not in text
    text = _text(client.get(reverse("web:agreement_list"), {"status": "ended"}))
    assert "Testafspraak" not in text


# --- Writing through the pages ----------------------------------------------------------------------

def test_advisor_adds_an_agreement(client, users, vught):
    police = Organisation.objects.get(code="politie")
    client.force_login(users["advisor"])
    form_page = client.get(reverse("web:agreement_create")).content.decode()
    # An advisor chooses their own municipality only: no other municipality, no base-team option.
    select = form_page.split('name="municipality"')[1].split("</select>")[0]
    assert "Vught" in select and "Heusden" not in select and 'value=""' not in select
    response = client.post(reverse("web:agreement_create"), {
        "title": "LIO Vught (test)", "kind": "lio", "status": "active", "municipality": vught.pk,
        "owner": users["advisor"].pk, "start_date": "2025-02-01", "review_date": "2026-02-01",
        "party_partners": [police.pk], "information_sharing": "Casusoverleg volgens convenant.",
    })
    agreement = CooperationAgreement.objects.get(title="LIO Vught (test)")
    assert response.status_code == 302 and response["Location"] == reverse("web:agreement_detail",
                                                                          kwargs={"pk": agreement.pk})
    assert set(agreement.parties.all()) == {vught, police}
    assert AuditEvent.objects.for_object(agreement).get().origin == "web"


def test_invalid_input_stays_on_screen(client, users, vught):
    client.force_login(users["advisor"])
    response = client.post(reverse("web:agreement_create"), {
        "title": "", "kind": "boa_police", "status": "active", "municipality": vught.pk, "owner": users["advisor"].pk,
        "start_date": "2025-02-01", "review_date": "2026-02-01", "task_division": "Mijn lange taakverdeling",
    })
    assert response.status_code == 400
    content = response.content.decode()
    assert "Mijn lange taakverdeling" in content and 'aria-invalid="true"' in content
    assert not CooperationAgreement.objects.exists()


def test_service_errors_land_on_the_parties(client, users, vught):
    client.force_login(users["advisor"])
    response = client.post(reverse("web:agreement_create"), {
        "title": "Alleen Vught", "kind": "other", "status": "concept", "municipality": vught.pk,
        "owner": users["advisor"].pk, "start_date": "2025-02-01", "review_date": "2026-02-01",
    })
    assert response.status_code == 400
    assert 'id="id_party_partners_error"' in response.content.decode()
    assert not CooperationAgreement.objects.exists()


# Writes: (own, other) outcome per role: "ok" = saved, or the refusal status. The partner can read
# Vught's agreement (their organisation is a party) but not change it; Heusden's they cannot see.
EXPECTED_POST_EDIT = {
    "anonymous": ("login", "login"), "coordinator": ("ok", "ok"), "advisor": ("ok", 404), "councillor": (403, 404),
    "police": (403, 403), "prosecutor": (403, 403), "partner": (403, 404),
}


@pytest.mark.parametrize("role", ROLES)
def test_post_edit_agreement(client, role, users, agreements):
    for code, outcome in zip((OWN, OTHER), EXPECTED_POST_EDIT[role], strict=True):
        agreement = agreements[code]
        if users[role] is not None:
            client.force_login(users[role])
        denied_before = AuditEvent.objects.filter(result="denied").count()
        response = client.post(reverse("web:agreement_edit", kwargs={"pk": agreement.pk}),
                               _form_data(agreement, title=f"Changed by {role}"))
        agreement.refresh_from_db()
        if outcome == "ok":
            assert response.status_code == 302
            assert agreement.title == f"Changed by {role}"
        else:
            assert agreement.title.startswith("Testafspraak"), "a refused write must not change anything"
            if outcome == "login":
                assert response.status_code == 302 and "/inloggen/" in response["Location"]
            else:
                assert response.status_code == outcome
            if outcome == 403:
                assert AuditEvent.objects.filter(result="denied").count() == denied_before + 1
        client.logout()


@pytest.mark.parametrize("role", ["councillor", "police", "prosecutor", "partner"])
def test_read_only_roles_cannot_post_a_new_agreement(client, role, users, vught):
    client.force_login(users[role])
    response = client.post(reverse("web:agreement_create"), {
        "title": "Niet toegestaan", "kind": "other", "status": "concept", "municipality": vught.pk,
        "owner": users["advisor"].pk, "start_date": "2025-02-01", "review_date": "2026-02-01",
    })
    assert response.status_code == 403
    assert not CooperationAgreement.objects.exists()
    assert AuditEvent.objects.filter(action="agreement.create", result="denied", actor=users[role]).exists()


def test_advisor_cannot_edit_the_base_team_agreement(client, users, agreements):
    client.force_login(users["advisor"])
    agreement = agreements["base"]
    detail = client.get(reverse("web:agreement_detail", kwargs={"pk": agreement.pk}))
    assert detail.status_code == 200
    assert reverse("web:agreement_edit", kwargs={"pk": agreement.pk}) not in detail.content.decode()
    assert client.get(reverse("web:agreement_edit", kwargs={"pk": agreement.pk})).status_code == 403


def test_a_second_save_does_not_overwrite_the_first(client, users, agreements):
    """Two people open the same agreement; the second save is refused and their input stays on screen."""
    agreement = agreements[OWN]
    url = reverse("web:agreement_edit", kwargs={"pk": agreement.pk})
    opened = _form_data(agreement)  # both forms carry version 1
    client.force_login(users["coordinator"])
    assert client.post(url, {**opened, "task_division": "Eerste opslag"}).status_code == 302
    client.force_login(users["advisor"])
    response = client.post(url, {**opened, "task_division": "Tweede opslag, later"})
    assert response.status_code == 409
    assert "Tweede opslag, later" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.task_division == "Eerste opslag" and agreement.version == 2


# --- Partner register ---------------------------------------------------------------------------------

def test_register_lists_partners_by_kind(client, users, partner_profile):
    client.force_login(users["advisor"])
    response = client.get(reverse("web:partner_register"))
    page = _parse(response)
    groups = [a.get("id") for t, a in page.tags if t == "th" and a.get("scope") == "rowgroup"]
    assert groups[:2] == ["kind-police", "kind-prosecutor"] and "kind-housing" in groups
    text = " ".join(page.text)
    assert "Team leefbaarheid (testfixture)" in text and "Taskforce-RIEC Oost-Brabant" in text
    filtered = _text(client.get(reverse("web:partner_register"), {"gemeente": OWN}))
    assert "Woningcorporaties" in filtered and "Taskforce-RIEC Oost-Brabant" not in filtered


def test_partner_page_shows_what_the_user_may_read(client, users, agreements, partner_profile):
    url = reverse("web:partner_detail", kwargs={"pk": Organisation.objects.get(code="politie").pk})
    client.force_login(users["partner"])
    text = _text(client.get(url))
    assert "Testafspraak boa-politie Vught" in text
    assert "Testafspraak boa-politie Heusden" not in text and "Testafspraak BIM" not in text
    client.force_login(users["police"])
    text = _text(client.get(url))
    assert all(t in text for t in ("Testafspraak boa-politie Vught", "Testafspraak boa-politie Heusden",
                                   "Testafspraak BIM"))


def test_coordinator_edits_the_register(client, users, partner_profile, heusden):
    url = reverse("web:partner_edit", kwargs={"pk": partner_profile.organisation_id})
    client.force_login(users["coordinator"])
    response = client.post(url, {"contact_role": "Afdeling wonen", "contact_email": "wonen@example.org",
                                 "website": "https://example.org/wonen", "description": "Verhuurt woningen.",
                                 "municipalities": [heusden.pk], "version": 1})
    assert response.status_code == 302
    profile = PartnerProfile.objects.get()
    assert profile.contact_role == "Afdeling wonen" and list(profile.municipalities.all()) == [heusden]


def test_a_new_register_entry_from_the_page(client, users, plan):
    riec = Organisation.objects.get(code="taskforce-riec")
    client.force_login(users["coordinator"])
    response = client.post(reverse("web:partner_edit", kwargs={"pk": riec.pk}),
                           {"contact_role": "Secretariaat", "version": 0})
    assert response.status_code == 302
    assert PartnerProfile.objects.get(organisation=riec).contact_role == "Secretariaat"


@pytest.mark.parametrize("role", ["advisor", "councillor", "police", "prosecutor", "partner"])
def test_only_the_coordinator_edits_the_register(client, role, users, partner_profile):
    client.force_login(users[role])
    response = client.post(reverse("web:partner_edit", kwargs={"pk": partner_profile.organisation_id}),
                           {"contact_role": "Iemand anders", "version": 1})
    assert response.status_code == 403
    assert PartnerProfile.objects.get().contact_role == "Team leefbaarheid (testfixture)"
    assert AuditEvent.objects.filter(action="partner_profile.update", result="denied", actor=users[role]).exists()


def test_municipalities_are_not_partner_pages(client, users, vught):
    client.force_login(users["coordinator"])
    assert client.get(reverse("web:partner_detail", kwargs={"pk": vught.pk})).status_code == 404
