"""The one submit helper of the form views, and every versioned edit page seen from two browsers at once."""

import datetime as dt
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django import forms
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client, RequestFactory
from django.urls import reverse

from ivp.budget import services as budget_services
from ivp.budget.models import Allocation, FundYear
from ivp.core.audit.models import AuditEvent
from ivp.core.locking import StaleEdit
from ivp.core.models import Organisation
from ivp.execution import services as execution_services
from ivp.execution.models import Activity, ExecutionPlan, ThemeAdjustment
from ivp.partners.models import CooperationAgreement, PartnerProfile
from ivp.plans.models import Adoption, LocalPriority
from ivp.web.forms import VersionedForm
from ivp.web.views.submit import form_status, submit

from ..conftest import OWN

pytestmark = pytest.mark.django_db


# --- the helper ------------------------------------------------------------------------------------------------

class _Form(VersionedForm):
    title = forms.CharField(label="Titel")
    done = forms.BooleanField(label="Klaar", required=False)
    amount_cents = forms.IntegerField(label="Bedrag", required=False)
    due = forms.DateField(label="Datum", required=False)


class _Refused(PermissionDenied):
    pass


def _post(data):
    request = RequestFactory().post("/", data)
    request._messages = CookieStorage(request)
    return request


def _submit(data, service, **kwargs):
    form = _Form(data)
    return form, submit(_post(data), form, service=service, success_message="Opgeslagen.", success_url="/klaar/",
                        **kwargs)


def test_a_valid_form_goes_to_the_service_and_redirects():
    received = {}

    def service(values):
        received.update(values)
        return "object"

    form, response = _submit({"title": "Iets", "version": "3"}, service)
    assert response.status_code == 302 and response["Location"] == "/klaar/"
    # The service gets the values without the version; the version is the form's expected_version.
    assert received == {"title": "Iets", "done": False, "amount_cents": None, "due": None}
    assert form.expected_version == 3
    # The address can depend on what the service made.
    response = submit(_post({"title": "x"}), _Form({"title": "x"}), service=lambda values: 7, success_message="",
                      success_url=lambda result: f"/object/{result}/")
    assert response["Location"] == "/object/7/"


def test_get_and_invalid_input_show_the_form_again():
    form = _Form()
    assert submit(RequestFactory().get("/"), form, service=None, success_message="", success_url="/") is None
    assert form_status(form) == 200
    form, response = _submit({"title": ""}, lambda values: pytest.fail("not called"))
    assert response is None and form_status(form) == 400 and "title" in form.errors


def test_a_service_error_lands_on_the_field():
    def service(values):
        raise ValidationError({"title": "Te kort.", "elders": "Geen veld."})

    form, response = _submit({"title": "x"}, service)
    assert response is None and form_status(form) == 400
    assert form.errors["title"] == ["Te kort."] and form.non_field_errors() == ["Geen veld."]


def test_a_stale_save_shows_what_was_saved_and_moves_the_version_on():
    def service(values):
        raise StaleEdit

    saved = {"title": "Hun titel", "done": True, "amount_cents": 123456, "due": dt.date(2026, 12, 4), "version": 5}
    form, response = _submit({"title": "Mijn titel", "amount_cents": "123456", "version": "4"}, service,
                             saved=lambda: saved)
    assert response is None and form_status(form) == 409
    assert "Iemand anders heeft dit opgeslagen" in form.non_field_errors()[0]
    assert [(d.label, d.saved, d.yours) for d in form.conflict] == [
        ("Titel", "Hun titel", "Mijn titel"), ("Klaar", "ja", "nee"), ("Datum", "04-12-2026", "-")]
    assert form.data["version"] == "5" and form.data["title"] == "Mijn titel"


def test_a_refusal_named_for_the_form_lands_on_its_field_and_others_propagate():
    def refused(values):
        raise _Refused("Niet uw gemeente.")

    form, response = _submit({"title": "x"}, refused, refused={_Refused: "title"})
    assert response is None and form_status(form) == 403 and form.errors["title"] == ["Niet uw gemeente."]

    def not_allowed(values):
        raise PermissionDenied("Nee.")

    with pytest.raises(PermissionDenied):  # not the form's business: the 403 page
        _submit({"title": "x"}, not_allowed, refused={_Refused: "title"})


# --- every versioned edit page, from two browsers --------------------------------------------------------------

class _Forms(HTMLParser):
    """The POST forms of a page with the values a browser would send."""

    def __init__(self):
        super().__init__()
        self.forms, self._select, self._textarea, self._options = [], None, None, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method") == "post":
            self.forms.append({})
        elif not self.forms or "name" not in a and tag in ("input", "select", "textarea"):
            return
        elif tag == "input" and a.get("type") not in ("submit", "button"):
            choice = a.get("type") in ("checkbox", "radio")
            if choice and "checked" not in a:
                return
            self.forms[-1].setdefault(a["name"], []).append(a.get("value", "on" if choice else ""))
        elif tag == "select":
            self._select, self._options = a["name"], []
        elif tag == "option" and self._select:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea":
            self._textarea = a["name"]
            self.forms[-1][self._textarea] = [""]

    def handle_data(self, data):
        if self._textarea:
            self.forms[-1][self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select:
            chosen = [value for value, selected in self._options if selected] or [self._options[0][0]]
            self.forms[-1][self._select] = chosen
            self._select = None


def _form_data(response, field: str) -> dict:
    parser = _Forms()
    parser.feed(response.content.decode())
    form = next(f for f in parser.forms if "version" in f and field in f)
    return {name: values if len(values) > 1 else values[0] for name, values in form.items()}


@dataclass
class Case:
    role: str
    field: str
    first: str
    second: str
    url: object  # (context) -> url
    stored: object  # (context) -> the stored value of the field


def _execution_plan(plan, vught, users):
    return execution_services.execution_plan_create(actor=users["coordinator"], plan=plan, municipality=vught,
                                                    period_start=2023)


CASES = {
    "local priority": Case(
        "advisor", "title", "Titel van de een", "Titel van de ander",
        lambda c: reverse("web:local_priority_edit", kwargs={"pk": c["priorities"][OWN].pk}),
        lambda c: LocalPriority.objects.get(pk=c["priorities"][OWN].pk).title),
    "adoption": Case(
        "advisor", "decision_reference", "Raadsbesluit 12", "Raadsbesluit 13",
        lambda c: reverse("web:adoption_edit", kwargs={"pk": c["adoption"].pk}),
        lambda c: Adoption.objects.get(pk=c["adoption"].pk).decision_reference),
    "execution plan": Case(
        "advisor", "summary", "Samenvatting van de een", "Samenvatting van de ander",
        lambda c: reverse("web:execution_plan_edit", kwargs={"pk": c["execution_plan"].pk}),
        lambda c: ExecutionPlan.objects.get(pk=c["execution_plan"].pk).summary),
    "theme adjustment (made in the meantime)": Case(
        "advisor", "local_target", "Doel van de een", "Doel van de ander",
        lambda c: reverse("web:theme_adjustment_edit", kwargs={"pk": c["execution_plan"].pk,
                                                               "theme_pk": c["theme"].pk}),
        lambda c: ThemeAdjustment.objects.get(theme=c["theme"]).local_target),
    "activity": Case(
        "advisor", "description", "Beschrijving van de een", "Beschrijving van de ander",
        lambda c: reverse("web:activity_edit", kwargs={"pk": c["activity"].pk}),
        lambda c: Activity.objects.get(pk=c["activity"].pk).description),
    "partner register (made in the meantime)": Case(
        "coordinator", "contact_role", "Team van de een", "Team van de ander",
        lambda c: reverse("web:partner_edit", kwargs={"pk": c["housing"].pk}),
        lambda c: PartnerProfile.objects.get(organisation=c["housing"]).contact_role),
    "agreement": Case(
        "advisor", "task_division", "Taken van de een", "Taken van de ander",
        lambda c: reverse("web:agreement_edit", kwargs={"pk": c["agreements"][OWN].pk}),
        lambda c: CooperationAgreement.objects.get(pk=c["agreements"][OWN].pk).task_division),
    "allocation": Case(
        "coordinator", "title", "Titel van de een", "Titel van de ander",
        lambda c: reverse("web:budget_allocation_edit", kwargs={"pk": c["allocation"].pk}),
        lambda c: Allocation.objects.get(pk=c["allocation"].pk).title),
    "rate": Case(
        "coordinator", "rate_cents", "1,20", "1,30",
        lambda c: reverse("web:budget_rate_edit", kwargs={"year": 2024}),
        lambda c: f"{FundYear.objects.get(year=2024).rate_cents / 100:.2f}".replace(".", ",")),
    "negative balance approval": Case(
        "coordinator", "reason", "Besluit van de een", "Besluit van de ander",
        lambda c: reverse("web:budget_negative_approve", kwargs={"year": 2024}),
        lambda c: FundYear.objects.get(year=2024).negative_balance_reason),
}


@pytest.fixture
def context(plan, vught, users, priorities, agreements):
    execution_plan = _execution_plan(plan, vught, users)
    lens = plan.focus_lenses.first()
    return {
        "priorities": priorities, "agreements": agreements, "execution_plan": execution_plan,
        "adoption": Adoption.objects.get(plan=plan, municipality=vught),
        "theme": plan.themes.get(code="digital_safety"),
        "activity": execution_services.activity_create(actor=users["advisor"], execution_plan=execution_plan,
                                                       title="Testactiviteit", owner=users["advisor"],
                                                       focus_lenses=[lens]),
        "housing": Organisation.objects.filter(partner_kind="housing").first(),
        "allocation": budget_services.allocation_create(actor=users["coordinator"], year=2024, kind="bim",
                                                        title="BIM 2024 (test)", amount_cents=100),
    }


@pytest.mark.parametrize("name", CASES)
def test_a_stale_form_is_refused_with_the_input_kept(name, context, users):
    case = CASES[name]
    url = case.url(context)
    one, other = Client(), Client()
    one.force_login(users[case.role])
    other.force_login(users[case.role])
    opened = [_form_data(browser.get(url), case.field) for browser in (one, other)]
    assert opened[0]["version"] == opened[1]["version"]

    assert one.post(url, {**opened[0], case.field: case.first}).status_code == 302
    response = other.post(url, {**opened[1], case.field: case.second})

    assert response.status_code == 409
    page = response.content.decode()
    assert "Iemand anders heeft dit opgeslagen" in page and "Wat de ander heeft opgeslagen" in page
    assert case.second in page  # their input is still in the form ...
    assert case.first in page  # ... next to what the other person saved
    assert _form_data(response, case.field)["version"] == str(int(opened[0]["version"]) + 1)
    assert case.stored(context) == case.first
    assert AuditEvent.objects.filter(result="error", message__startswith="StaleEdit").count() == 1
    # Saving again, now based on the saved version, is accepted.
    assert other.post(url, {**_form_data(response, case.field), case.field: case.second}).status_code == 302
    assert case.stored(context) == case.second
