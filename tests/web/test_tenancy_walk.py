"""Walk every URL pattern x role x own/other municipality and check the answer.

Every named route of the web app must appear in EXPECTED_GET; a new route without an entry fails
`test_every_route_has_expectations`. Municipal test users belong to Vught (own); the "other"
municipality is Heusden.
"""

from datetime import date

import pytest
from django.urls import get_resolver, reverse

from ivp.budget import services as fund_services
from ivp.budget.models import Allocation, Commitment, Expenditure
from ivp.core.audit.models import AuditEvent
from ivp.execution.models import Activity, ExecutionPlan, Milestone
from ivp.partners.models import CooperationAgreement, PartnerProfile
from ivp.plans.models import Adoption, LocalPriority

from ..conftest import OTHER, OWN

ROLES = ["anonymous", "coordinator", "advisor", "councillor", "police", "prosecutor", "partner"]
LOGIN = "login"  # marker: redirect to the login page

# (own, other) status per role. "same" routes do not depend on the municipality.
ALL_200 = {role: (200, 200) for role in ROLES}
EXPECTED_GET = {
    "plan_overview": ALL_200,
    "plan_versions": ALL_200,
    "accessibility_statement": ALL_200,
    "plan_version": ALL_200,
    "theme_detail": ALL_200,
    "login": {**{role: (302, 302) for role in ROLES}, "anonymous": (200, 200)},
    # Two-factor pages: editors here are already verified and read-only roles need none: both move on (302).
    "mfa_verify": {**{role: (302, 302) for role in ROLES}, "anonymous": (LOGIN, LOGIN)},
    "mfa_setup": {**{role: (302, 302) for role in ROLES}, "anonymous": (LOGIN, LOGIN)},
    "logout": {role: (405, 405) for role in ROLES},
    "municipality_detail": {
        "anonymous": (200, 200), "coordinator": (200, 200), "advisor": (200, 404), "councillor": (200, 404),
        "police": (200, 200), "prosecutor": (200, 200), "partner": (200, 200),
    },
    "local_priority_create": {
        "anonymous": (LOGIN, LOGIN), "coordinator": (200, 200), "advisor": (200, 404), "councillor": (403, 404),
        "police": (403, 403), "prosecutor": (403, 403), "partner": (403, 403),
    },
    "local_priority_detail": {
        "anonymous": (404, 404), "coordinator": (200, 200), "advisor": (200, 404), "councillor": (200, 404),
        "police": (200, 200), "prosecutor": (200, 200), "partner": (404, 404),
    },
    "local_priority_edit": {
        "anonymous": (LOGIN, LOGIN), "coordinator": (200, 200), "advisor": (200, 404), "councillor": (403, 404),
        "police": (403, 403), "prosecutor": (403, 403), "partner": (404, 404),
    },
    "local_priority_delete": {
        "anonymous": (LOGIN, LOGIN), "coordinator": (405, 405), "advisor": (405, 405), "councillor": (405, 405),
        "police": (405, 405), "prosecutor": (405, 405), "partner": (405, 405),
    },
    "adoption_edit": {
        "anonymous": (LOGIN, LOGIN), "coordinator": (200, 200), "advisor": (200, 404), "councillor": (403, 404),
        "police": (403, 403), "prosecutor": (403, 403), "partner": (403, 403),
    },
    "object_history": None,  # walked per history kind below
    "comment_add": {**{role: (405, 405) for role in ROLES}, "anonymous": (LOGIN, LOGIN)},
    "base_team_dashboard": ALL_200,
    "municipality_dashboard": {
        "anonymous": (200, 200), "coordinator": (200, 200), "advisor": (200, 404), "councillor": (200, 404),
        "police": (200, 200), "prosecutor": (200, 200), "partner": (200, 200),
    },
    "indicator_detail": {
        "anonymous": (200, 200), "coordinator": (200, 200), "advisor": (200, 404), "councillor": (200, 404),
        "police": (200, 200), "prosecutor": (200, 200), "partner": (200, 200),
    },
    "interpretation_edit": {**{role: (405, 405) for role in ROLES}, "anonymous": (LOGIN, LOGIN)},
    "interpretation_cosign": {**{role: (405, 405) for role in ROLES}, "anonymous": (LOGIN, LOGIN)},
    "local_figures_upload": {
        "anonymous": (LOGIN, LOGIN), "coordinator": (200, 200), "advisor": (200, 404), "councillor": (403, 404),
        "police": (403, 403), "prosecutor": (403, 403), "partner": (403, 403),
    },
    "local_figures_template": ALL_200,
    "structural_break_add": {**{role: (405, 405) for role in ROLES}, "anonymous": (LOGIN, LOGIN)},
    # Partner register: base-team wide, for signed-in users. Agreements: own = Vught's, to which the partner
    # test user's organisation is a party; other = Heusden's.
    "partner_register": {**ALL_200, "anonymous": (LOGIN, LOGIN)},
    "partner_detail": {**ALL_200, "anonymous": (LOGIN, LOGIN)},
    "partner_edit": {**{role: (403, 403) for role in ROLES}, "anonymous": (LOGIN, LOGIN), "coordinator": (200, 200)},
    "agreement_list": {**ALL_200, "anonymous": (LOGIN, LOGIN)},
    "agreement_create": {
        "anonymous": (LOGIN, LOGIN), "coordinator": (200, 200), "advisor": (200, 200), "councillor": (403, 403),
        "police": (403, 403), "prosecutor": (403, 403), "partner": (403, 403),
    },
    "agreement_detail": {
        "anonymous": (LOGIN, LOGIN), "coordinator": (200, 200), "advisor": (200, 404), "councillor": (200, 404),
        "police": (200, 200), "prosecutor": (200, 200), "partner": (200, 404),
    },
    "agreement_edit": {
        "anonymous": (LOGIN, LOGIN), "coordinator": (200, 200), "advisor": (200, 404), "councillor": (403, 404),
        "police": (403, 403), "prosecutor": (403, 403), "partner": (403, 404),
    },
    # Safety fund: base-team wide, not for partners; councillors see totals and their own contribution only.
    # own/other: the allocation benefits Vught (own) or Heusden (other); the fund is readable as a whole.
    # Anonymous visitors get the public fund page (ADR 0020) on the overview, a year and a municipality's page, and a
    # page explaining that the history and allocations are working pages (with a sign-in link): 200, never a login.
    "budget_overview": {**ALL_200, "partner": (403, 403)},
    "budget_year": {**ALL_200, "partner": (403, 403)},
    "budget_export": {**ALL_200, "anonymous": (LOGIN, LOGIN), "partner": (403, 403)},
    "budget_history": {**ALL_200, "councillor": (403, 403), "partner": (403, 403)},
    "budget_municipality": {
        "anonymous": (200, 200), "coordinator": (200, 200), "advisor": (200, 404), "councillor": (200, 404),
        "police": (200, 200), "prosecutor": (200, 200), "partner": (403, 403),
    },
    "budget_rate_edit": {**{role: (403, 403) for role in ROLES}, "anonymous": (LOGIN, LOGIN),
                         "coordinator": (200, 200)},
    "budget_negative_approve": {**{role: (403, 403) for role in ROLES}, "anonymous": (LOGIN, LOGIN),
                                "coordinator": (200, 200)},
    "budget_allocation_create": {**{role: (403, 403) for role in ROLES}, "anonymous": (LOGIN, LOGIN),
                                 "coordinator": (200, 200)},
    "budget_allocation_detail": {**ALL_200, "councillor": (403, 403),
                                 "partner": (403, 403)},
    "budget_allocation_edit": {**{role: (403, 403) for role in ROLES}, "anonymous": (LOGIN, LOGIN),
                               "coordinator": (200, 200)},
    "budget_allocation_delete": {**{role: (403, 403) for role in ROLES}, "anonymous": (LOGIN, LOGIN),
                                 "coordinator": (200, 200)},
    "budget_commitment_add": {**{role: (405, 405) for role in ROLES}, "anonymous": (LOGIN, LOGIN)},
    "budget_expenditure_add": {**{role: (405, 405) for role in ROLES}, "anonymous": (LOGIN, LOGIN)},
    # Deleting a commitment or expenditure asks for confirmation on its own page first, like an allocation.
    "budget_commitment_delete": {**{role: (403, 403) for role in ROLES}, "anonymous": (LOGIN, LOGIN),
                                 "coordinator": (200, 200)},
    "budget_expenditure_delete": {**{role: (403, 403) for role in ROLES}, "anonymous": (LOGIN, LOGIN),
                                  "coordinator": (200, 200)},
}

# Execution (uitvoering): signed-in users only. own/other = Vught's/Heusden's execution plan and activity;
# partners see only the base team's shared execution plan, so a municipality's execution pages answer 404.
EXECUTION_READ = {
    "anonymous": (LOGIN, LOGIN), "coordinator": (200, 200), "advisor": (200, 404), "councillor": (200, 404),
    "police": (200, 200), "prosecutor": (200, 200), "partner": (404, 404),
}
EXECUTION_WRITE = {
    "anonymous": (LOGIN, LOGIN), "coordinator": (200, 200), "advisor": (200, 404), "councillor": (403, 404),
    "police": (403, 403), "prosecutor": (403, 403), "partner": (404, 404),
}
EXECUTION_POST_ONLY = {**{role: (405, 405) for role in ROLES}, "anonymous": (LOGIN, LOGIN)}
SIGNED_IN_200 = {**ALL_200, "anonymous": (LOGIN, LOGIN)}
# Anonymous visitors get the public activities (ADR 0020) on the execution pages of a municipality and the base team,
# and a page explaining that the others are working pages (with a sign-in link): 200, never a bare login form.
PUBLIC_FOR_ANONYMOUS = {**EXECUTION_READ, "anonymous": (200, 200)}
EXPECTED_GET.update({
    "execution_overview": ALL_200,
    "base_team_execution": ALL_200,
    "coverage_matrix": ALL_200,
    "coverage_export": SIGNED_IN_200,
    "my_activities": SIGNED_IN_200,
    "municipality_execution": PUBLIC_FOR_ANONYMOUS,
    "activity_detail": PUBLIC_FOR_ANONYMOUS,
    "execution_plan_create": EXECUTION_WRITE,
    "execution_plan_edit": EXECUTION_WRITE,
    "theme_adjustment_edit": EXECUTION_WRITE,
    "activity_create": EXECUTION_WRITE,
    "activity_edit": EXECUTION_WRITE,
    "activity_status_add": EXECUTION_POST_ONLY,
    "milestone_add": EXECUTION_POST_ONLY,
    "milestone_update": EXECUTION_POST_ONLY,
})

EXPECTED_HISTORY = {
    "plan": {**{role: (200, 200) for role in ROLES}, "anonymous": (LOGIN, LOGIN)},
    "thema": {**{role: (200, 200) for role in ROLES}, "anonymous": (LOGIN, LOGIN)},
    "prioriteit": {**EXPECTED_GET["local_priority_detail"], "anonymous": (LOGIN, LOGIN)},
    "vaststelling": {
        "anonymous": (LOGIN, LOGIN), "coordinator": (200, 200), "advisor": (200, 404), "councillor": (200, 404),
        "police": (200, 200), "prosecutor": (200, 200), "partner": (200, 200),
    },
    "gemeente": {
        "anonymous": (LOGIN, LOGIN), "coordinator": (200, 200), "advisor": (200, 404), "councillor": (200, 404),
        "police": (200, 200), "prosecutor": (200, 200), "partner": (404, 404),
    },
    "afspraak": EXPECTED_GET["agreement_detail"],
    "partnerprofiel": {**{role: (200, 200) for role in ROLES}, "anonymous": (LOGIN, LOGIN)},
}

EXPECTED_HISTORY.update({"uitvoeringsplan": EXECUTION_READ, "activiteit": EXECUTION_READ})

# Reports (rapporten): internal, signed-in readers of the area's internal data. own/other = a finished HTML report
# run of Vught/Heusden; partners see no report runs (404 on a municipality's, 403 on the base team's list).
REPORTS_READ = EXECUTION_READ
EXPECTED_GET.update({
    "municipality_reports": PUBLIC_FOR_ANONYMOUS,
    # A base-team report holds all five municipalities' activities: only readers of all municipalities see them.
    "base_team_reports": {**ALL_200, "advisor": (403, 403), "councillor": (403, 403), "partner": (403, 403)},
    "report_run_detail": REPORTS_READ,
    "report_run_progress": REPORTS_READ,
    "report_run_download": REPORTS_READ,
    "report_run_view": REPORTS_READ,
    # Reports for the council (versions with conclusions and approval): the same readers; own/other = an adopted
    # report of Vught/Heusden with a kept file.
    "council_report_create": EXECUTION_POST_ONLY,
    "council_report_detail": PUBLIC_FOR_ANONYMOUS,
    "council_report_download": REPORTS_READ,
})
EXPECTED_HISTORY["rapportage"] = REPORTS_READ

# People (issue 14): for those who manage people (the coordinator; an advisor for the council members of their own
# municipality); own/other = an invited council member of Vught/Heusden. Everyone else: 403 (their role manages
# nobody). The invitation link is open to anyone who has it (signed in: a page that says to sign out first); the
# "forgot password" pages are open to all.
PEOPLE_LIST = {**{role: (403, 403) for role in ROLES}, "anonymous": (LOGIN, LOGIN), "coordinator": (200, 200),
               "advisor": (200, 200)}
PEOPLE_MANAGE = {**PEOPLE_LIST, "advisor": (200, 404)}
EXPECTED_GET.update({
    "start": SIGNED_IN_200,
    "api_tokens": SIGNED_IN_200,  # one's own API keys (ADR 0019); the API itself: tests/api
    "api_token_revoke": EXECUTION_POST_ONLY,
    "people_list": PEOPLE_LIST,
    "person_invite": PEOPLE_LIST,
    "person_detail": PEOPLE_MANAGE,
    "person_edit": PEOPLE_MANAGE,
    "membership_add": PEOPLE_MANAGE,
    "membership_edit": PEOPLE_MANAGE,
    "person_deactivate": EXECUTION_POST_ONLY,
    "person_reactivate": EXECUTION_POST_ONLY,
    "person_mfa_reset": EXECUTION_POST_ONLY,
    "person_invitation_resend": EXECUTION_POST_ONLY,
    "invitation_accept": ALL_200,
    "password_reset": ALL_200,
    "password_reset_done": ALL_200,
    "password_reset_confirm": ALL_200,  # an invalid link: a page that says so
    "password_reset_complete": ALL_200,
})

# Information registers (issue 15, ADR 0021): restricted to READ_INFORMATION (coordinator, the municipality's advisor,
# police, OM); council members read only the overview's gated totals; the partner test user's organisation has
# Vught's signals register shared with it (`information_rows`), so it reads that register of Vught but writes nothing.
INFORMATION_READ = {
    "anonymous": (LOGIN, LOGIN), "coordinator": (200, 200), "advisor": (200, 404), "councillor": (404, 404),
    "police": (200, 200), "prosecutor": (200, 200), "partner": (200, 404),
}
INFORMATION_WRITE = {**INFORMATION_READ, "police": (403, 403), "prosecutor": (403, 403), "partner": (403, 404)}
EXPECTED_GET.update({
    "information_overview": {**INFORMATION_READ, "councillor": (200, 404)},
    "information_register": INFORMATION_READ,
    "information_export": INFORMATION_READ,
    "information_create": INFORMATION_WRITE,
    "information_edit": INFORMATION_WRITE,
    "information_shares": INFORMATION_WRITE,
    "information_share_end": EXECUTION_POST_ONLY,
    # The quarterly safety picture (issue 15 item 6): the capability itself, not a share of one register.
    "information_safety_picture": {**INFORMATION_READ, "partner": (404, 404)},
    "information_safety_picture_pdf": {**INFORMATION_READ, "partner": (404, 404)},
})


@pytest.fixture(autouse=True)
def information_rows(db, request):
    """A signal count of Vught and of Heusden, and Vught's signals register shared with the partner test user's
    organisation (a small test fixture, not data)."""
    if "plan" not in request.fixturenames or "users" not in request.fixturenames:
        return
    from ivp.core.models import Organisation
    from ivp.information import services as information

    users = request.getfixturevalue("users")
    for code in (OWN, OTHER):
        municipality = Organisation.objects.get(cbs_code=code)
        information.signal_create(actor=users["coordinator"], municipality=municipality, month=date(2024, 3, 1),
                                  category="drugs", source_kind="mma", count=3, follow_up="lio",
                                  description="Testregel")
    partner = users["partner"].memberships.get().organisation
    information.share_create(actor=users["coordinator"], municipality=Organisation.objects.get(cbs_code=OWN),
                             organisation=partner, register="signals")


def _information_kwargs(code):
    from ivp.information.models import RegisterShare, Signal

    signal = Signal.objects.filter(municipality__cbs_code=code).first()
    share = RegisterShare.objects.first()
    return {
        "information_overview": {"cbs_code": code}, "information_shares": {"cbs_code": code},
        "information_register": {"cbs_code": code, "register": "signalen"},
        "information_export": {"cbs_code": code, "register": "signalen"},
        "information_create": {"cbs_code": code, "register": "signalen"},
        "information_edit": {"register": "signalen", "pk": signal.pk if signal else 0},
        "information_share_end": {"pk": share.pk if share else 0},
        "information_safety_picture": {"cbs_code": code}, "information_safety_picture_pdf": {"cbs_code": code},
    }


# A proposed plan version (ADR 0015), a concept: readable by every signed-in user (not public yet: anonymous 404);
# changed by the coordinator only; local priorities in it by the municipality's own editors. Not per municipality.
PROPOSAL_READ = {**ALL_200, "anonymous": (404, 404)}
PROPOSAL_EDIT = {**{role: (403, 403) for role in ROLES}, "anonymous": (LOGIN, LOGIN), "coordinator": (200, 200)}
EXPECTED_GET.update({
    "plan_proposal_create": EXECUTION_POST_ONLY,
    "plan_next_period": EXECUTION_POST_ONLY,
    "plan_proposal": PROPOSAL_READ,
    "plan_proposal_diff": PROPOSAL_READ,
    "plan_proposal_submit": EXECUTION_POST_ONLY,
    "plan_proposal_discard": EXECUTION_POST_ONLY,
    "proposal_theme_create": PROPOSAL_EDIT,
    "proposal_theme_edit": PROPOSAL_EDIT,
    "proposal_theme_delete": EXECUTION_POST_ONLY,
    "proposal_statement_create": PROPOSAL_EDIT,
    "proposal_statement_edit": PROPOSAL_EDIT,
    "proposal_statement_delete": EXECUTION_POST_ONLY,
    "proposal_item_create": PROPOSAL_EDIT,
    "proposal_item_edit": PROPOSAL_EDIT,
    "proposal_item_delete": EXECUTION_POST_ONLY,
    "proposal_priority_create": EXPECTED_GET["local_priority_create"],
})

# Filled by the `plan_proposal` fixture.
PROPOSAL: dict[str, int] = {}


@pytest.fixture
def plan_proposal(plan, users):
    """A proposed new version of the plan (a concept copy of the plan in force)."""
    from ivp.plans.services import plan_proposal_create

    proposal = plan_proposal_create(actor=users["coordinator"], plan=plan)
    theme = proposal.themes.order_by("order").first()
    PROPOSAL.update(pk=proposal.pk, theme=theme.pk, statement=theme.statements.first().pk,
                    goal=proposal.general_goals.first().pk)
    return proposal


def _proposal_kwargs(code):
    pk, theme = PROPOSAL.get("pk", 0), PROPOSAL.get("theme", 0)
    return {
        "plan_proposal_create": {}, "plan_next_period": {},
        **{name: {"pk": pk} for name in ("plan_proposal", "plan_proposal_diff", "plan_proposal_submit",
                                         "plan_proposal_discard", "proposal_theme_create")},
        **{name: {"theme_pk": theme} for name in ("proposal_theme_edit", "proposal_theme_delete",
                                                  "proposal_statement_create")},
        **{name: {"pk": PROPOSAL.get("statement", 0)} for name in ("proposal_statement_edit",
                                                                   "proposal_statement_delete")},
        "proposal_item_create": {"pk": pk, "kind": "doel"},
        **{name: {"kind": "doel", "item_pk": PROPOSAL.get("goal", 0)} for name in ("proposal_item_edit",
                                                                                  "proposal_item_delete")},
        "proposal_priority_create": {"pk": pk, "cbs_code": code},
    }


# Notifications (ADR 0016): each person's own list and choices; the POST-only actions answer 405 to a GET. Remarks on
# a duiding: POST only; the duiding's history (its remark thread) for who reads the municipality in full.
EXPECTED_GET.update({
    "notification_list": SIGNED_IN_200,
    "notification_preferences": SIGNED_IN_200,
    "notification_read": EXECUTION_POST_ONLY,
    "notifications_read_all": EXECUTION_POST_ONLY,
    "interpretation_remark": EXECUTION_POST_ONLY,
    "interpretation_remark_handle": EXECUTION_POST_ONLY,
})
EXPECTED_HISTORY["duiding"] = EXECUTION_READ
# Public pages (ADR 0020): the same for everyone, signed in or not. The council reports of the fixture are adopted,
# not yet presented to the council: their files are not public (404 for everyone).
EXPECTED_GET.update({name: ALL_200 for name in (
    "public_index", "public_fund", "public_fund_year", "public_fund_csv", "public_landing", "public_activities",
    "public_activities_csv", "public_reports", "public_comparison", "public_comparison_csv", "public_figures_csv")})
EXPECTED_GET["public_report_download"] = {role: (404, 404) for role in ROLES}

# Filled by the `people` fixture: per municipality code the invited person, their membership and the link's token
# (only its hash is stored, so the fixture keeps the token for the walk).
PEOPLE: dict[str, dict] = {}


@pytest.fixture
def people(users, vught, heusden):
    """An invited council member in Vught and one in Heusden (test fixture, not data)."""
    from ivp.core.people import person_invite

    PEOPLE.clear()
    for code, organisation in ((OWN, vught), (OTHER, heusden)):
        sent = person_invite(actor=users["coordinator"], email=f"raadslid-{code.lower()}@example.org",
                             name=f"Test Raadslid {organisation.name}", organisation=organisation, role="councillor",
                             function="raadslid (testfixture)")
        PEOPLE[code] = {"person": sent.user.pk, "membership": sent.user.memberships.get().pk,
                        "token": sent.url.rstrip("/").rsplit("/", 1)[-1]}
    return PEOPLE


def _people_kwargs(code):
    person = PEOPLE.get(code, {})
    return {
        "start": {}, "api_tokens": {}, "api_token_revoke": {"pk": 1}, "people_list": {}, "person_invite": {},
        **{name: {"pk": person.get("person", 0)} for name in (
            "person_detail", "person_edit", "membership_add", "person_deactivate", "person_reactivate",
            "person_mfa_reset", "person_invitation_resend")},
        "membership_edit": {"pk": person.get("membership", 0)},
        "invitation_accept": {"token": person.get("token", "none")},
        "password_reset": {}, "password_reset_done": {}, "password_reset_complete": {},
        "password_reset_confirm": {"uidb64": "MQ", "token": "geen-geldige-link"},
    }


def _kwargs(name, code, plan, priorities, themes):
    allocation = Allocation.objects.get(beneficiary__cbs_code=code, year=FUND_YEAR)
    adoption = Adoption.objects.get(plan=plan, municipality__cbs_code=code)
    agreement = CooperationAgreement.objects.get(municipality__cbs_code=code)
    partner_pk = PartnerProfile.objects.get().organisation_id
    return {
        "plan_overview": {}, "plan_versions": {}, "login": {}, "logout": {}, "mfa_verify": {}, "mfa_setup": {},
        "accessibility_statement": {},
        "plan_version": {"key": plan.key, "version": plan.version},
        "theme_detail": {"pk": themes[0].pk},
        "municipality_detail": {"cbs_code": code},
        "local_priority_create": {"cbs_code": code},
        "local_priority_detail": {"pk": priorities[code].pk},
        "local_priority_edit": {"pk": priorities[code].pk},
        "local_priority_delete": {"pk": priorities[code].pk},
        "adoption_edit": {"pk": adoption.pk},
        "comment_add": {"kind": "prioriteit", "pk": priorities[code].pk},
        "base_team_dashboard": {},
        "municipality_dashboard": {"cbs_code": code},
        "indicator_detail": {"area_code": code, "indicator": "crime_total"},
        "interpretation_edit": {"area_code": code, "indicator": "crime_total"},
        "interpretation_cosign": {"area_code": code, "indicator": "crime_total"},
        "local_figures_upload": {"cbs_code": code},
        "local_figures_template": {},
        "structural_break_add": {"area_code": code, "indicator": "crime_total"},
        "partner_register": {}, "agreement_list": {}, "agreement_create": {},
        "partner_detail": {"pk": partner_pk},
        "partner_edit": {"pk": partner_pk},
        "agreement_detail": {"pk": agreement.pk},
        "agreement_edit": {"pk": agreement.pk},
        "budget_overview": {}, "budget_history": {},
        "budget_year": {"year": FUND_YEAR}, "budget_export": {"year": FUND_YEAR, "fmt": "csv"},
        "budget_rate_edit": {"year": FUND_YEAR}, "budget_negative_approve": {"year": FUND_YEAR},
        "budget_allocation_create": {"year": FUND_YEAR},
        "budget_municipality": {"cbs_code": code},
        "budget_allocation_detail": {"pk": allocation.pk}, "budget_allocation_edit": {"pk": allocation.pk},
        "budget_allocation_delete": {"pk": allocation.pk}, "budget_commitment_add": {"pk": allocation.pk},
        "budget_expenditure_add": {"pk": allocation.pk},
        "budget_commitment_delete": {"pk": Commitment.objects.get(allocation=allocation).pk},
        "budget_expenditure_delete": {"pk": Expenditure.objects.get(allocation=allocation).pk},
        **_execution_kwargs(code, plan, themes),
        **_report_kwargs(code),
        **_people_kwargs(code),
        **_information_kwargs(code),
        **_proposal_kwargs(code),
        **_notification_kwargs(code),
        **_public_kwargs(code),
    }[name]


def _public_kwargs(code):
    from ivp.reports.models import CouncilReport

    return {
        "public_index": {}, "public_fund": {}, "public_fund_year": {"year": FUND_YEAR},
        "public_fund_csv": {"year": FUND_YEAR},
        **{name: {"scope": code} for name in ("public_landing", "public_activities", "public_activities_csv",
                                               "public_reports", "public_comparison", "public_comparison_csv",
                                               "public_figures_csv")},
        "public_report_download": {"pk": CouncilReport.objects.get(area_code=code).pk, "variant": "report",
                                   "fmt": "html"},
    }



def _notification_kwargs(code):
    from ivp.indicators.models import InterpretationRemark

    remark = InterpretationRemark.objects.filter(municipality__cbs_code=code).first()
    return {
        "notification_list": {}, "notification_preferences": {}, "notifications_read_all": {},
        "notification_read": {"pk": 0},
        "interpretation_remark": {"area_code": code, "indicator": "crime_total"},
        "interpretation_remark_handle": {"pk": remark.pk if remark else 0},
    }



def _report_kwargs(code):
    from ivp.reports.models import CouncilReport, ReportRun

    run = ReportRun.objects.get(area_code=code)
    council_report = CouncilReport.objects.get(area_code=code)
    return {
        "municipality_reports": {"cbs_code": code}, "base_team_reports": {},
        "report_run_detail": {"pk": run.pk}, "report_run_progress": {"pk": run.pk},
        "report_run_download": {"pk": run.pk}, "report_run_view": {"pk": run.pk},
        "council_report_create": {}, "council_report_detail": {"pk": council_report.pk},
        "council_report_download": {"pk": council_report.pk, "variant": "report", "fmt": "html"},
    }


def _execution_kwargs(code, plan, themes):
    execution_plan = ExecutionPlan.objects.get(plan=plan, municipality__cbs_code=code)
    activity = Activity.objects.get(municipality__cbs_code=code)
    return {
        "execution_overview": {}, "base_team_execution": {}, "coverage_matrix": {}, "my_activities": {},
        "coverage_export": {"fmt": "csv"},
        "municipality_execution": {"cbs_code": code},
        "execution_plan_create": {"scope": code},
        "execution_plan_edit": {"pk": execution_plan.pk},
        "theme_adjustment_edit": {"pk": execution_plan.pk, "theme_pk": themes[0].pk},
        "activity_create": {"pk": execution_plan.pk},
        "activity_detail": {"pk": activity.pk},
        "activity_edit": {"pk": activity.pk},
        "activity_status_add": {"pk": activity.pk},
        "milestone_add": {"pk": activity.pk},
        "milestone_update": {"pk": Milestone.objects.get(activity=activity).pk},
    }

def _history_kwargs(kind, code, plan, priorities, themes):
    adoption = Adoption.objects.get(plan=plan, municipality__cbs_code=code)
    pk = {
        "plan": plan.pk, "thema": themes[0].pk, "prioriteit": priorities[code].pk,
        "vaststelling": adoption.pk, "gemeente": adoption.municipality_id,
        "afspraak": CooperationAgreement.objects.get(municipality__cbs_code=code).pk,
        "partnerprofiel": PartnerProfile.objects.get().pk,
        "uitvoeringsplan": ExecutionPlan.objects.get(municipality__cbs_code=code).pk,
        "activiteit": Activity.objects.get(municipality__cbs_code=code).pk,
        "rapportage": _council_report_pk(code),
        "duiding": _interpretation_pk(code),
    }[kind]
    return {"kind": kind, "pk": pk}


FUND_YEAR = 2024


@pytest.fixture
def fund(users, vught, heusden):
    """Per municipality a fund allocation benefiting it, with a commitment and an expenditure (test fixture).

    There are no population figures here, so the fund has no contributions: the negative balance is approved.
    """
    coordinator = users["coordinator"]
    fund_services.negative_balance_approve(actor=coordinator, year=FUND_YEAR, reason="Testfixture")
    for org in (vught, heusden):
        allocation = fund_services.allocation_create(actor=coordinator, year=FUND_YEAR, kind="project",
                                                     title=f"Testtoewijzing {org.name}", amount_cents=1_000_00,
                                                     beneficiary=org)
        fund_services.commitment_create(actor=coordinator, allocation=allocation, date=date(2024, 2, 1),
                                        description="Testverplichting", amount_cents=500_00)
        fund_services.expenditure_create(actor=coordinator, allocation=allocation, date=date(2024, 3, 1),
                                         description="Testuitgave", amount_cents=250_00)


@pytest.fixture(autouse=True)
def municipal_areas(db, request):
    """The two municipalities as areas (a small fixture; the real registry comes from the open data)."""
    if "plan" not in request.fixturenames:
        return
    from ivp.areas.models import Area
    from ivp.core.models import Organisation

    request.getfixturevalue("plan")
    for code in (OWN, OTHER):
        org = Organisation.objects.get(cbs_code=code)
        Area.objects.get_or_create(code=code, defaults={"level": "gemeente", "name": org.name, "organisation": org})



@pytest.fixture(autouse=True)
def execution_objects(db, request):
    """An execution plan (2023-2024) with one activity and one milestone for each of the two municipalities,
    and the base team's execution plan (a small test fixture)."""
    if "plan" not in request.fixturenames or "users" not in request.fixturenames:
        return
    import datetime as dt

    from ivp.core.models import Organisation
    from ivp.execution.services import activity_create, execution_plan_create, milestone_create

    plan, coordinator = request.getfixturevalue("plan"), request.getfixturevalue("users")["coordinator"]
    lens = plan.focus_lenses.first()
    execution_plan_create(actor=coordinator, plan=plan, municipality=None, period_start=2023)
    for code in (OWN, OTHER):
        municipality = Organisation.objects.get(cbs_code=code)
        execution_plan = execution_plan_create(actor=coordinator, plan=plan, municipality=municipality,
                                               period_start=2023)
        activity = activity_create(actor=coordinator, execution_plan=execution_plan, title=f"Testactiviteit {code}",
                                   owner=coordinator, focus_lenses=[lens])
        milestone_create(actor=coordinator, activity=activity, title="Testmijlpaal", due_date=dt.date(2024, 1, 1))

@pytest.fixture(autouse=True)
def report_runs(db, request):
    """A finished HTML report run for each of the two municipalities (a small test fixture, not a real report)."""
    if "plan" not in request.fixturenames or "users" not in request.fixturenames:
        return
    from ivp.core.models import Organisation
    from ivp.reports.models import ReportRun

    coordinator = request.getfixturevalue("users")["coordinator"]
    for code in (OWN, OTHER):
        content = b"<!DOCTYPE html><html><body><article><h1>Testrapport</h1></article></body></html>"
        ReportRun.objects.create(municipality=Organisation.objects.get(cbs_code=code), area_code=code, kind="annual",
                                 period="2024", fmt="html", status="done", progress=100, content=content,
                                 filename=f"testrapport-{code}.html", content_type="text/html; charset=utf-8",
                                 size=len(content), sha256="0" * 64, created_by=coordinator)


def _interpretation_pk(code):
    from ivp.indicators.models import Interpretation

    return Interpretation.objects.get(area__code=code, indicator="crime_total").pk


@pytest.fixture(autouse=True)
def duidingen(db, request):
    """A duiding of Vught and of Heusden with a remark of the police, and a notification for every test user (small
    test fixtures, not real interpretations)."""
    if "plan" not in request.fixturenames or "users" not in request.fixturenames:
        return
    from ivp.areas.models import Area
    from ivp.indicators.services.interpretations import interpretation_remark_add, interpretation_save
    from ivp.notifications.services import notify

    request.getfixturevalue("municipal_areas")
    users = request.getfixturevalue("users")
    for code in (OWN, OTHER):
        area = Area.objects.get(code=code)
        note = interpretation_save(actor=users["coordinator"], indicator="crime_total", area=area, period="2024",
                                   text=f"Testduiding {area.name}.", published=True)
        interpretation_remark_add(actor=users["police"], interpretation=note, kind="suggestion",
                                  text="Testopmerking.", suggested_text=f"Voorgestelde testduiding {area.name}.")
    for user in users.values():
        if user is not None:
            notify(recipients=[user], kind="report_ready", occasion="walk",
                   params={"kind": "Testrapport", "period": "2024"}, url="/mijn-ivp/")


def _council_report_pk(code):
    from ivp.reports.models import CouncilReport

    return CouncilReport.objects.get(area_code=code).pk


@pytest.fixture(autouse=True)
def council_reports(db, request):
    """An adopted council report with one kept HTML file for each of the two municipalities (a small test fixture,
    written directly: not a real report)."""
    if "plan" not in request.fixturenames or "users" not in request.fixturenames:
        return
    import datetime as dt
    import hashlib

    from ivp.core.models import Organisation
    from ivp.reports.models import CouncilReport, CouncilReportFile

    coordinator = request.getfixturevalue("users")["coordinator"]
    for code in (OWN, OTHER):
        report = CouncilReport.objects.create(
            municipality=Organisation.objects.get(cbs_code=code), area_code=code, kind="annual", period="2024",
            as_of=dt.date(2024, 12, 31), status="vastgesteld", adopted_on=dt.date(2025, 2, 1),
            decision_reference="Testbesluit", created_by=coordinator)
        content = b"<!DOCTYPE html><html><body><article><h1>Testrapport</h1></article></body></html>"
        CouncilReportFile.objects.create(report=report, variant="report", fmt="html", content=content,
                                         filename=f"testrapport-{code}.html", content_type="text/html; charset=utf-8",
                                         size=len(content), sha256=hashlib.sha256(content).hexdigest())


def _check(client, user, url, expected):
    client.logout()
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    if expected == LOGIN:
        assert response.status_code == 302 and "/inloggen/" in response["Location"], url
    else:
        assert response.status_code == expected, f"{url}: got {response.status_code}, expected {expected}"


def test_every_route_has_expectations():
    names = {p.name for p in get_resolver().url_patterns[-1].url_patterns}
    assert names == set(EXPECTED_GET), names ^ set(EXPECTED_GET)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_get_every_route(client, role, users, plan, priorities, agreements, partner_profile, fund, people,
                         plan_proposal):
    themes = list(plan.themes.order_by("order"))
    for name, expected in EXPECTED_GET.items():
        if expected is None:
            continue
        for code, status in zip((OWN, OTHER), expected[role], strict=True):
            url = reverse(f"web:{name}", kwargs=_kwargs(name, code, plan, priorities, themes))
            _check(client, users[role], url, status)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_history_of_every_kind(client, role, users, plan, priorities, agreements, partner_profile):
    from ivp.web.views.history import HISTORY_KINDS

    assert set(HISTORY_KINDS) == set(EXPECTED_HISTORY)
    themes = list(plan.themes.order_by("order"))
    for kind, expected in EXPECTED_HISTORY.items():
        for code, status in zip((OWN, OTHER), expected[role], strict=True):
            url = reverse("web:object_history", kwargs=_history_kwargs(kind, code, plan, priorities, themes))
            _check(client, users[role], url, status)


# Writes: (own, other) outcome per role: "ok" = saved, or the refusal status. A partner cannot
# see another municipality's unpublished priority at all (404), but can see the public
# municipality page on which a priority would be created (403).
EXPECTED_POST_EDIT = {
    "anonymous": (LOGIN, LOGIN), "coordinator": ("ok", "ok"), "advisor": ("ok", 404), "councillor": (403, 404),
    "police": (403, 403), "prosecutor": (403, 403), "partner": (404, 404),
}
EXPECTED_POST_CREATE = {**EXPECTED_POST_EDIT, "partner": (403, 403)}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_post_edit_priority(client, role, users, priorities):
    for code, outcome in zip((OWN, OTHER), EXPECTED_POST_EDIT[role], strict=True):
        priority = priorities[code]
        if users[role] is not None:
            client.force_login(users[role])
        denied_before = AuditEvent.objects.filter(result="denied").count()
        response = client.post(reverse("web:local_priority_edit", kwargs={"pk": priority.pk}),
                               {"title": f"Changed by {role}", "domain": "sociaal", "description": ""})
        priority.refresh_from_db()
        if outcome == "ok":
            assert response.status_code == 302
            assert priority.title == f"Changed by {role}"
            assert AuditEvent.objects.for_object(priority).filter(action="local_priority.update",
                                                                  result="success").exists()
            continue
        assert priority.title.startswith("Testprioriteit"), "a refused write must not change anything"
        if outcome == LOGIN:
            assert response.status_code == 302 and "/inloggen/" in response["Location"]
        else:
            assert response.status_code == outcome
        if outcome == 403:
            # A refused attempt on a visible object is recorded as denied.
            assert AuditEvent.objects.filter(result="denied").count() == denied_before + 1
        client.logout()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_post_create_priority(client, role, users, plan, priorities):
    for code, outcome in zip((OWN, OTHER), EXPECTED_POST_CREATE[role], strict=True):
        if users[role] is not None:
            client.force_login(users[role])
        before = LocalPriority.objects.count()
        response = client.post(reverse("web:local_priority_create", kwargs={"cbs_code": code}),
                               {"title": "Nieuwe testprioriteit", "domain": "fysiek", "description": ""})
        if outcome == "ok":
            assert response.status_code == 302
            assert LocalPriority.objects.count() == before + 1
        else:
            assert LocalPriority.objects.count() == before
            assert response.status_code == (302 if outcome == LOGIN else outcome)
        client.logout()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_post_delete_priority(client, role, users, priorities):
    for code, outcome in zip((OWN, OTHER), EXPECTED_POST_EDIT[role], strict=True):
        if users[role] is not None:
            client.force_login(users[role])
        target = priorities[code]
        response = client.post(reverse("web:local_priority_delete", kwargs={"pk": target.pk}))
        assert LocalPriority.objects.filter(pk=target.pk).exists() == (outcome != "ok")
        if outcome != "ok":
            assert response.status_code == (302 if outcome == LOGIN else outcome)
        client.logout()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_post_adoption(client, role, users, plan):
    for code, outcome in zip((OWN, OTHER), EXPECTED_POST_CREATE[role], strict=True):
        if users[role] is not None:
            client.force_login(users[role])
        adoption = Adoption.objects.get(plan=plan, municipality__cbs_code=code)
        response = client.post(reverse("web:adoption_edit", kwargs={"pk": adoption.pk}),
                               {"status": "vastgesteld", "date": "2022-12-15", "decision_reference": "TEST-1"})
        adoption.refresh_from_db()
        assert (adoption.status == "vastgesteld") == (outcome == "ok")
        if outcome != "ok":
            assert response.status_code == (302 if outcome == LOGIN else outcome)
        client.logout()
