"""Plan versions proposed in the application (issue 13 item 4, ADR 0015): copy as concept, edit its parts, put it
out for consultation, record the councils' adoptions; adopted by all five it is the plan in force. Also the next
plan period, the plan file staying idempotent, refusals and stale edits."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from ivp.core.audit.models import AuditEvent
from ivp.core.locking import StaleEdit
from ivp.execution.models import Activity, ExecutionPlan
from ivp.plans import services
from ivp.plans.export import plan_document
from ivp.plans.models import Adoption, GeneralGoal, LocalPriority, Plan, Theme, ThemeStatement
from ivp.plans.planfile import parse_plan_file
from ivp.plans.selectors import current_plan, is_current_version
from ivp.reports import plan_diff

from ..concurrency import one_won, postgres_only, race
from ..conftest import PLAN_FILE

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(plan, users):
    return services.plan_proposal_create(actor=users["coordinator"], plan=plan)


def _adopt_all(proposal, actor, *, skip: str | None = None):
    for adoption in Adoption.objects.filter(plan=proposal).select_related("municipality"):
        if adoption.municipality.cbs_code == skip:
            continue
        services.adoption_update(actor=actor, adoption=adoption, status="vastgesteld", date=dt.date(2025, 6, 1),
                                 decision_reference=f"Raadsbesluit {adoption.municipality.name}")


def test_a_proposal_is_a_complete_concept_copy_and_not_the_plan_in_force(plan, proposal, users):
    assert (proposal.version, proposal.status, proposal.is_proposal, proposal.based_on) == (2, "concept", True, plan)
    old, new = plan_document(plan), plan_document(proposal)
    assert new["themes"] == old["themes"] and new["general_goals"] == old["general_goals"]
    assert {m["adoption"]["status"] for m in new["municipalities"]} == {"in_behandeling"}
    assert not plan_diff.diff_plans(old, new)
    # The plan in force does not change: pages, execution and reports keep using version 1.
    assert current_plan(users["advisor"]) == plan and is_current_version(plan)
    assert not is_current_version(proposal)
    event = AuditEvent.objects.get(action="plan.propose")
    assert event.object_id == str(proposal.pk) and event.actor == users["coordinator"]


def test_one_open_proposal_at_a_time(plan, proposal, users):
    with pytest.raises(ValidationError):
        services.plan_proposal_create(actor=users["coordinator"], plan=plan)
    with pytest.raises(ValidationError):
        services.plan_proposal_create(actor=users["coordinator"], plan=proposal)


def test_the_coordinator_edits_every_part_and_the_diff_shows_it(plan, proposal, users, vught):
    actor = users["coordinator"]
    theme = Theme.objects.get(plan=proposal, code="subversion")
    services.proposal_statement_create(actor=actor, theme=theme, kind="ambition", text="Nieuwe ambitie (test)")
    action = ThemeStatement.objects.filter(theme__plan=proposal, kind="planned_action").first()
    services.proposal_statement_delete(actor=actor, statement=action)
    why = ThemeStatement.objects.filter(theme__plan=proposal, kind="why_priority").first()
    services.proposal_statement_update(actor=actor, statement=why, text="Gewijzigde reden (test)")
    new_theme = services.proposal_theme_create(actor=actor, plan=proposal, number="5", title="Verkeersveiligheid")
    services.proposal_theme_create(actor=actor, plan=proposal, number="5.1", title="Snelheid", parent=new_theme)
    services.proposal_theme_update(actor=actor, theme=theme, number=theme.number, title="Ondermijning (test)",
                                   short_title=theme.short_title, introduction=theme.introduction)
    services.proposal_theme_delete(actor=actor, theme=Theme.objects.get(plan=proposal, code="digital_safety"))
    goal = services.proposal_item_create(actor=actor, plan=proposal, kind="doel", title="Minder verkeersongevallen")
    lens = proposal.focus_lenses.first()
    services.proposal_item_update(actor=actor, item=lens, title=lens.name, description="Nieuwe uitleg (test)")
    services.proposal_item_delete(actor=actor, item=proposal.principles.last())
    services.local_priority_create(actor=users["advisor"], plan=proposal, municipality=vught, title="Drugs (test)")

    changes = {(c.part, c.action) for c in plan_diff.diff_plans(plan_document(plan), plan_document(proposal))}
    assert {("ambition", "added"), ("planned_action", "removed"), ("why_priority", "changed"), ("theme", "added"),
            ("sub_theme", "added"), ("theme", "removed"), ("general_goal", "added"), ("focus_lens", "changed"),
            ("principle", "removed"), ("local_priority", "added")} <= changes
    assert goal.number == 7 and goal.code == "minder_verkeersongevallen"
    # The adopted version is untouched; the history of the proposal holds every step.
    assert plan_document(plan)["themes"][3]["title"] != "Ondermijning (test)"
    actions = set(AuditEvent.objects.filter(object_type="plans.plan", object_id=str(proposal.pk))
                  .values_list("action", flat=True))
    assert {"proposal.statement.create", "proposal.statement.delete", "proposal.theme.create",
            "proposal.theme.delete", "proposal.item.create", "proposal.item.update"} <= actions


def test_others_than_the_coordinator_are_refused_and_recorded(plan, proposal, users):
    theme = Theme.objects.filter(plan=proposal).first()
    for role in ("advisor", "councillor", "police", "partner"):
        with pytest.raises(PermissionDenied):
            services.proposal_statement_create(actor=users[role], theme=theme, kind="ambition", text="Nee")
    with pytest.raises(PermissionDenied):
        services.plan_proposal_submit(actor=users["advisor"], plan=proposal)
    with pytest.raises(PermissionDenied):
        services.plan_proposal_create(actor=users["advisor"], plan=plan)
    denied = AuditEvent.objects.filter(result="denied")
    assert denied.filter(action="proposal.statement.create").count() == 4
    assert denied.filter(action="plan.consult", object_id=str(proposal.pk)).exists()
    assert not ThemeStatement.objects.filter(theme__plan=proposal, text="Nee").exists()


def test_the_text_is_fixed_once_out_for_consultation_and_decisions_wait_for_it(proposal, users, vught):
    adoption = Adoption.objects.get(plan=proposal, municipality=vught)
    with pytest.raises(PermissionDenied):
        services.adoption_update(actor=users["coordinator"], adoption=adoption, status="vastgesteld",
                                 date=dt.date(2025, 6, 1), decision_reference="Te vroeg")
    services.plan_proposal_submit(actor=users["coordinator"], plan=proposal)
    assert Plan.objects.get(pk=proposal.pk).status == "ter_consultatie"
    with pytest.raises(PermissionDenied):
        services.proposal_item_create(actor=users["coordinator"], plan=proposal, kind="doel", title="Te laat")
    with pytest.raises(PermissionDenied):
        services.local_priority_create(actor=users["advisor"], plan=proposal, municipality=vught, title="Te laat")


def test_adopted_by_all_five_the_proposal_is_in_force_and_execution_moves_along(plan, proposal, users, vught):
    coordinator = users["coordinator"]
    undermining = Theme.objects.get(plan=plan, code="subversion")
    execution_plan = ExecutionPlan.objects.create(plan=plan, municipality=vught, period_start=2025, period_end=2026)
    activity = Activity.objects.create(execution_plan=execution_plan, municipality=vught, title="Testactiviteit",
                                       owner=coordinator)
    activity.themes.set([undermining, Theme.objects.get(plan=plan, code="digital_safety")])
    activity.focus_lenses.set([plan.focus_lenses.first()])
    services.proposal_theme_delete(actor=coordinator, theme=Theme.objects.get(plan=proposal, code="digital_safety"))
    services.plan_proposal_submit(actor=coordinator, plan=proposal)

    _adopt_all(proposal, coordinator, skip="GM0757")
    proposal.refresh_from_db()
    assert proposal.is_proposal and current_plan(coordinator) == plan  # four of five: not yet
    _adopt_all(proposal, coordinator)
    proposal.refresh_from_db()
    assert (proposal.is_proposal, proposal.status) == (False, "vastgesteld")
    assert current_plan(coordinator) == proposal and not is_current_version(plan)
    assert AuditEvent.objects.filter(action="plan.adopt", object_id=str(proposal.pk), result="success").exists()
    # The previous version stays readable as it was; the execution plan now follows the plan in force.
    assert Plan.objects.get(pk=plan.pk).status == plan.status
    execution_plan.refresh_from_db()
    assert execution_plan.plan == proposal
    assert list(activity.themes.values_list("plan_id", "code")) == [(proposal.pk, "subversion")]
    assert activity.focus_lenses.get().plan == proposal
    moved = AuditEvent.objects.get(action="execution_plan.carry_over", object_id=str(execution_plan.pk))
    assert any("Digitale" in text for text in moved.changes["dropped"])


def test_a_proposal_nobody_adopted_can_be_withdrawn(plan, proposal, users):
    services.plan_proposal_discard(actor=users["coordinator"], plan=proposal)
    assert not Plan.objects.filter(pk=proposal.pk).exists()
    assert AuditEvent.objects.filter(action="plan.discard", object_id=str(plan.pk)).exists()


def test_next_period_copies_the_current_plan_as_a_new_concept(plan, users):
    nxt = services.plan_next_period(actor=users["coordinator"], plan=plan)
    assert (nxt.key, nxt.title, nxt.period_start, nxt.period_end) == (
        "meierij-ivp-2027-2030", "Integraal Veiligheidsplan 2027-2030", 2027, 2030)
    assert (nxt.version, nxt.status, nxt.is_proposal) == (1, "concept", True)
    assert plan_document(nxt)["themes"] == plan_document(plan)["themes"]
    assert current_plan(users["advisor"]) == plan and is_current_version(plan)
    with pytest.raises(ValidationError):
        services.plan_next_period(actor=users["coordinator"], plan=plan)


def test_the_plan_file_stays_idempotent_and_export_writes_the_proposal(plan, proposal, users, tmp_path):
    call_command("load_plan", str(PLAN_FILE))
    assert Plan.objects.filter(key=plan.key).count() == 2
    services.proposal_item_create(actor=users["coordinator"], plan=proposal, kind="doel", title="Exporttest")
    out = tmp_path / "voorstel.yaml"
    call_command("export_plan", "--proposal", "-o", str(out))
    exported = parse_plan_file(out)
    assert exported["plan"]["status"] == "concept"
    assert exported["general_goals"][-1]["title"] == "Exporttest"
    current = tmp_path / "huidig.yaml"
    call_command("export_plan", "-o", str(current))
    assert parse_plan_file(current) == parse_plan_file(PLAN_FILE)
    # A changed file next to an open proposal is refused (it would become a version beside the proposal).
    with pytest.raises(services.PlanLoadConflict):
        services.plan_load(actor=None, document=exported)


def test_a_stale_edit_of_the_proposal_is_refused(proposal, users):
    goal = GeneralGoal.objects.filter(plan=proposal).first()
    first, second = (GeneralGoal.objects.get(pk=goal.pk) for _ in range(2))
    services.proposal_item_update(actor=users["coordinator"], item=first, title="Eerste", expected_version=1)
    with pytest.raises(StaleEdit):
        services.proposal_item_update(actor=users["coordinator"], item=second, title="Tweede", expected_version=1)
    assert GeneralGoal.objects.get(pk=goal.pk).title == "Eerste"
    theme = Theme.objects.filter(plan=proposal).first()
    services.proposal_theme_update(actor=users["coordinator"], theme=Theme.objects.get(pk=theme.pk), number="9",
                                   title="Eerste", expected_version=1)
    with pytest.raises(StaleEdit):
        services.proposal_theme_update(actor=users["coordinator"], theme=theme, number="9", title="Tweede",
                                       expected_version=1)
    assert AuditEvent.objects.filter(action__startswith="proposal.", result="error").count() == 2


def test_putting_out_for_consultation_twice_is_stale(proposal, users):
    stale = Plan.objects.get(pk=proposal.pk)
    services.plan_proposal_submit(actor=users["coordinator"], plan=proposal)
    with pytest.raises(PermissionDenied):  # the copy read before still says "concept": the claim refuses it
        services.plan_proposal_submit(actor=users["coordinator"], plan=Plan.objects.get(pk=proposal.pk))
    with pytest.raises(StaleEdit):
        services.plan_proposal_submit(actor=users["coordinator"], plan=stale)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_goal_saves_at_the_same_moment(proposal, users):
    pk = GeneralGoal.objects.filter(plan=proposal).first().pk

    def save(title):
        return lambda: services.proposal_item_update(actor=users["coordinator"], item=GeneralGoal.objects.get(pk=pk),
                                                     title=title, expected_version=1)

    winner = one_won(race(save("Doel A"), save("Doel B"), pause_before_writing=GeneralGoal))
    assert GeneralGoal.objects.get(pk=pk).title == winner.title


def test_local_priorities_of_the_proposal_are_for_that_municipality(proposal, users, heusden):
    with pytest.raises(PermissionDenied):
        services.local_priority_create(actor=users["advisor"], plan=proposal, municipality=heusden, title="Nee")
    assert not LocalPriority.objects.filter(plan=proposal, title="Nee").exists()


def test_the_midterm_report_reads_the_concept_proposal_until_it_is_in_force(plan, proposal, users, vught):
    from ivp.reports.assembly.revision import diff_section, plan_versions

    coordinator = users["coordinator"]
    services.adoption_update(actor=coordinator, adoption=Adoption.objects.get(plan=plan, municipality=vught),
                             status="vastgesteld", date=dt.date(2022, 12, 15), decision_reference="Besluit 2022")
    services.proposal_item_create(actor=coordinator, plan=proposal, kind="doel", title="Minder woninginbraken")
    assert plan_versions(coordinator, plan.key, vught) == (plan, proposal)
    section = diff_section(coordinator, plan.key, vught, "Vught")
    assert any(ch.new == "Minder woninginbraken" and ch.change == "added" for ch in section.changes)
    # Vught adopting the proposal does not make it Vught's adopted version before every council did.
    services.plan_proposal_submit(actor=coordinator, plan=proposal)
    services.adoption_update(actor=coordinator, adoption=Adoption.objects.get(plan=proposal, municipality=vught),
                             status="vastgesteld", date=dt.date(2025, 6, 1), decision_reference="Besluit 2025")
    assert plan_versions(coordinator, plan.key, vught) == (plan, Plan.objects.get(pk=proposal.pk))
