"""Execution plans, local adjustments, activities and their rules; every write audited and role-checked."""

import copy
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from ivp.core.audit.models import AuditEvent
from ivp.core.locking import StaleEdit
from ivp.execution.models import (
    Activity,
    ActivityPartner,
    ExecutionPlan,
    StatusUpdate,
    StatusUpdateImmutableError,
    ThemeAdjustment,
)
from ivp.execution.selectors import current_period_start, my_activities, periods_of, umbrella
from ivp.execution.services import (
    NO_LENS_MESSAGE,
    activity_create,
    activity_update,
    execution_plan_create,
    execution_plan_update,
    milestone_create,
    milestone_delete,
    milestone_update,
    status_update_add,
    theme_adjustment_save,
)
from ivp.plans.services import plan_load

from ..concurrency import one_won, postgres_only, race

pytestmark = pytest.mark.django_db

LENS_MESSAGE = "Every activity must serve at least one focus lens (Weerbaarheid, Jeugd or Kwetsbaren)."


def _values(activity):
    """What activity_update needs to keep an activity as it is."""
    return {
        "title": activity.title, "description": activity.description, "owner": activity.owner,
        "focus_lenses": list(activity.focus_lenses.all()), "themes": list(activity.themes.all()),
        "local_priorities": list(activity.local_priorities.all()), "wijken": list(activity.wijken.all()),
        "partners": {p.organisation: p.role for p in activity.partner_roles.all()},
        "planned_budget_cents": activity.planned_budget_cents, "actual_budget_cents": activity.actual_budget_cents,
        "start_date": activity.start_date, "end_date": activity.end_date,
    }


# --- periods and execution plans ------------------------------------------------------------------

def test_periods_of_the_plan(plan):
    assert periods_of(plan) == [(2023, 2024), (2025, 2026)]
    assert current_period_start(plan, dt.date(2024, 6, 1)) == 2023
    assert current_period_start(plan, dt.date(2025, 1, 1)) == 2025
    assert current_period_start(plan, dt.date(2030, 1, 1)) == 2025
    assert current_period_start(plan, dt.date(2020, 1, 1)) == 2023


def test_advisor_creates_own_execution_plan_only(plan, vught, heusden, users):
    ep = execution_plan_create(actor=users["advisor"], plan=plan, municipality=vught, period_start=2025,
                               status="vastgesteld", adopted_on=dt.date(2025, 2, 11), decision_reference="B&W 12")
    assert (ep.period_label, ep.status, ep.municipality) == ("2025-2026", "vastgesteld", vught)
    event = AuditEvent.objects.get(action="execution_plan.create", result="success")
    assert event.municipality == vught and event.changes["period_start"] == [None, 2025]
    with pytest.raises(PermissionDenied):
        execution_plan_create(actor=users["advisor"], plan=plan, municipality=heusden, period_start=2025)
    for role in ("councillor", "police", "prosecutor", "partner"):
        with pytest.raises(PermissionDenied):
            execution_plan_create(actor=users[role], plan=plan, municipality=vught, period_start=2023)
    assert ExecutionPlan.objects.count() == 1
    assert AuditEvent.objects.filter(action="execution_plan.create", result="denied").count() == 5


def test_base_team_plan_is_the_coordinators(plan, users):
    with pytest.raises(PermissionDenied):
        execution_plan_create(actor=users["advisor"], plan=plan, municipality=None, period_start=2023)
    ep = execution_plan_create(actor=users["coordinator"], plan=plan, municipality=None, period_start=2023)
    assert ep.is_base_team and "2023-2024" in str(ep)
    with pytest.raises(ValidationError) as exc:
        execution_plan_create(actor=users["coordinator"], plan=plan, municipality=None, period_start=2023)
    assert "period_start" in exc.value.error_dict


def test_execution_plan_rules(plan, vught, users):
    coordinator = users["coordinator"]
    with pytest.raises(ValidationError) as exc:
        execution_plan_create(actor=coordinator, plan=plan, municipality=vught, period_start=2024)
    assert "period_start" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        execution_plan_create(actor=coordinator, plan=plan, municipality=vught, period_start=2023, status="vastgesteld")
    assert "adopted_on" in exc.value.error_dict
    with pytest.raises(ValidationError):
        execution_plan_create(actor=coordinator, plan=plan, municipality=vught, period_start=2023,
                              adopted_on=timezone.localdate() + dt.timedelta(days=3))
    assert not ExecutionPlan.objects.exists()


def test_local_priorities_of_the_own_municipality(execution_plans, priorities, users):
    ep = execution_plans["GM0865"]
    execution_plan_update(actor=users["advisor"], execution_plan=ep, status="concept", adopted_on=None,
                          decision_reference="", summary="Ons plan", local_priorities=[priorities["GM0865"]])
    assert list(ep.local_priorities.all()) == [priorities["GM0865"]]
    event = AuditEvent.objects.filter(action="execution_plan.update").latest("id")
    assert event.changes["local_priorities"] == [[], ["Testprioriteit Vught"]]
    with pytest.raises(ValidationError):
        execution_plan_update(actor=users["coordinator"], execution_plan=ep, status="concept", adopted_on=None,
                              decision_reference="", summary="", local_priorities=[priorities["GM0797"]])


def test_nothing_changed_records_nothing(execution_plans, users):
    events = AuditEvent.objects.count()
    ep = execution_plans["GM0865"]
    execution_plan_update(actor=users["advisor"], execution_plan=ep, status="concept", adopted_on=None,
                          decision_reference="", summary="")
    assert AuditEvent.objects.count() == events


# --- local adjustments ---------------------------------------------------------------------------------

def test_theme_adjustments(execution_plans, themes, users):
    ep = execution_plans["GM0865"]
    advisor = users["advisor"]
    adjustment = theme_adjustment_save(actor=advisor, execution_plan=ep, theme=themes["digital_safety"],
                                       local_target="Alle basisscholen krijgen een les digitale weerbaarheid.")
    assert not adjustment.is_inherited and not adjustment.not_applicable
    with pytest.raises(ValidationError) as exc:
        theme_adjustment_save(actor=advisor, execution_plan=ep, theme=themes["polarisation"], not_applicable=True)
    assert "reason" in exc.value.error_dict
    theme_adjustment_save(actor=advisor, execution_plan=ep, theme=themes["polarisation"], not_applicable=True,
                          reason="Geen signalen in de gemeente (test).")
    assert ThemeAdjustment.objects.filter(execution_plan=ep, not_applicable=True).count() == 1
    # Back to the shared plan: the row stays (its history with it) but is inherited again.
    theme_adjustment_save(actor=advisor, execution_plan=ep, theme=themes["digital_safety"])
    adjustment.refresh_from_db()
    assert adjustment.is_inherited
    with pytest.raises(PermissionDenied):
        theme_adjustment_save(actor=users["advisor"], execution_plan=execution_plans["GM0797"],
                              theme=themes["digital_safety"], local_target="x")
    with pytest.raises(PermissionDenied):
        theme_adjustment_save(actor=users["councillor"], execution_plan=ep, theme=themes["subversion"],
                              local_target="x")


def test_not_applicable_and_activities_exclude_each_other(execution_plans, themes, make_activity, users):
    ep = execution_plans["GM0865"]
    activity = make_activity(ep, theme_codes=("polarisation",))
    with pytest.raises(ValidationError) as exc:
        theme_adjustment_save(actor=users["advisor"], execution_plan=ep, theme=themes["polarisation"],
                              not_applicable=True, reason="Niet hier (test)")
    assert activity.title in str(exc.value)
    theme_adjustment_save(actor=users["advisor"], execution_plan=ep, theme=themes["subversion"],
                          not_applicable=True, reason="Niet hier (test)")
    with pytest.raises(ValidationError) as exc:
        make_activity(ep, title="Tweede", theme_codes=("subversion",))
    assert "themes" in exc.value.error_dict


# --- activities ---------------------------------------------------------------------------------------

def test_activity_without_lens_is_refused_and_nothing_saved(execution_plans, themes, users):
    before = (Activity.objects.count(), ActivityPartner.objects.count())
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        activity_create(actor=users["advisor"], execution_plan=execution_plans["GM0865"], title="Zonder lens",
                        owner=users["advisor"], focus_lenses=[], themes=[themes["youth"]])
    assert exc.value.message_dict["focus_lenses"] == [LENS_MESSAGE]
    assert (Activity.objects.count(), ActivityPartner.objects.count()) == before
    event = AuditEvent.objects.get(action="activity.create")
    assert event.result == "error" and LENS_MESSAGE in event.message


def test_the_lens_message_goes_through_the_dutch_catalogue(execution_plans, users):
    with translation.override("nl"), pytest.raises(ValidationError) as exc:
        activity_create(actor=users["advisor"], execution_plan=execution_plans["GM0865"], title="Zonder lens",
                        owner=users["advisor"], focus_lenses=[])
    assert exc.value.message_dict["focus_lenses"] == [translation.gettext(LENS_MESSAGE)]
    assert str(NO_LENS_MESSAGE) == translation.gettext(LENS_MESSAGE)


def test_activity_without_owner_is_refused(execution_plans, lenses, users):
    with pytest.raises(ValidationError) as exc:
        activity_create(actor=users["advisor"], execution_plan=execution_plans["GM0865"], title="Zonder eigenaar",
                        owner=None, focus_lenses=[lenses["youth"]])
    assert set(exc.value.error_dict) == {"owner"}
    with pytest.raises(ValidationError) as exc:
        activity_create(actor=users["advisor"], execution_plan=execution_plans["GM0865"], title="Politie-eigenaar",
                        owner=users["police"], focus_lenses=[lenses["youth"]])
    assert "owner" in exc.value.error_dict
    assert not Activity.objects.exists()


def test_full_activity(execution_plans, areas, lenses, themes, users, plan):
    ep = execution_plans["GM0865"]
    police = plan.plan_partners.get(organisation__code="politie").organisation
    housing = plan.plan_partners.get(organisation__code="woningcorporaties").organisation
    activity = activity_create(
        actor=users["advisor"], execution_plan=ep, title="Jongerenwerk in de wijk (test)", owner=users["advisor"],
        focus_lenses=[lenses["youth"], lenses["resilience"]], themes=[themes["youth"]],
        partners={police: "verantwoordelijk", housing: "geinformeerd"}, wijken=[areas["GM0865"]["wijk"]],
        planned_budget_cents=1_250_000, actual_budget_cents=0, start_date=dt.date(2023, 3, 1),
        end_date=dt.date(2024, 12, 31))
    assert activity.municipality == ep.municipality and activity.version == 1
    assert {p.organisation.code: p.role for p in activity.partner_roles.all()} == {
        "politie": "verantwoordelijk", "woningcorporaties": "geinformeerd"}
    event = AuditEvent.objects.get(action="activity.create", result="success")
    assert event.changes["planned_budget_cents"] == [None, 1_250_000]
    assert event.changes["focus_lenses"][1] == ["Jeugd", "Weerbaarheid"]


def test_activity_rules(execution_plans, areas, lenses, themes, priorities, users):
    ep = execution_plans["GM0865"]
    base = {"actor": users["advisor"], "execution_plan": ep, "title": "Test", "owner": users["advisor"],
            "focus_lenses": [lenses["youth"]]}
    cases = {
        "wijken": {"wijken": [areas["GM0797"]["wijk"]]},
        "planned_budget_cents": {"planned_budget_cents": -5},
        "end_date": {"start_date": dt.date(2024, 1, 1), "end_date": dt.date(2023, 1, 1)},
        "local_priorities": {"local_priorities": [priorities["GM0865"]]},  # not taken on by the plan yet
        "partners": {"partners": {ep.municipality: "verantwoordelijk"}},
        "title": {"title": "  "},
    }
    for field, values in cases.items():
        with pytest.raises(ValidationError) as exc:
            activity_create(**{**base, **values})
        assert field in exc.value.error_dict, field
    # A buurt is not a wijk.
    with pytest.raises(ValidationError):
        activity_create(**base, wijken=[areas["GM0865"]["buurten"][0]])
    assert not Activity.objects.exists()


def test_read_only_roles_cannot_add_activities(execution_plans, lenses, users):
    for role in ("councillor", "police", "prosecutor", "partner"):
        with pytest.raises(PermissionDenied):
            activity_create(actor=users[role], execution_plan=execution_plans["GM0865"], title="x",
                            owner=users["advisor"], focus_lenses=[lenses["youth"]])
    with pytest.raises(PermissionDenied):
        activity_create(actor=users["advisor"], execution_plan=execution_plans[None], title="x",
                        owner=users["coordinator"], focus_lenses=[lenses["youth"]])
    assert not Activity.objects.exists()


# --- optimistic locking -------------------------------------------------------------------------------

def test_stale_version_is_refused(execution_plans, make_activity, users):
    activity = make_activity(execution_plans["GM0865"], actor=users["advisor"], title="Origineel")
    first = Activity.objects.get(pk=activity.pk)
    second = Activity.objects.get(pk=activity.pk)
    saved = activity_update(actor=users["advisor"], activity=first, expected_version=1,
                            **{**_values(first), "title": "Eerste wijziging"})
    assert saved.version == 2
    with pytest.raises(StaleEdit):
        activity_update(actor=users["coordinator"], activity=second, expected_version=1,
                        **{**_values(second), "title": "Tweede wijziging", "planned_budget_cents": 500})
    activity.refresh_from_db()
    assert (activity.title, activity.planned_budget_cents, activity.version) == ("Eerste wijziging", 0, 2)
    assert AuditEvent.objects.filter(action="activity.update", result="error").count() == 1
    # Based on the current version the second person's save goes through.
    activity_update(actor=users["coordinator"], activity=second, expected_version=2,
                    **{**_values(second), "title": "Tweede wijziging"})
    activity.refresh_from_db()
    assert (activity.title, activity.version) == ("Tweede wijziging", 3)


def test_unchanged_save_keeps_the_version(execution_plans, make_activity, users):
    activity = make_activity(execution_plans["GM0865"])
    events = AuditEvent.objects.count()
    activity_update(actor=users["advisor"], activity=activity, expected_version=1, **_values(activity))
    activity.refresh_from_db()
    assert activity.version == 1 and AuditEvent.objects.count() == events


def test_update_records_relation_changes(execution_plans, make_activity, lenses, users):
    activity = make_activity(execution_plans["GM0865"])
    activity_update(actor=users["advisor"], activity=activity, expected_version=1,
                    **{**_values(activity), "focus_lenses": [lenses["vulnerable"]]})
    event = AuditEvent.objects.filter(action="activity.update").latest("id")
    assert event.changes["focus_lenses"] == [["Jeugd"], ["Kwetsbare(n)"]]


# --- status updates, milestones, stale ----------------------------------------------------------------

def test_status_updates_are_append_only(execution_plans, make_activity, users):
    activity = make_activity(execution_plans["GM0865"])
    update = status_update_add(actor=users["advisor"], activity=activity, status="risico",
                               narrative="Partner heeft minder capaciteit (test).")
    activity.refresh_from_db()
    assert (activity.status, activity.last_update_at, activity.version) == ("risico", update.created_at, 1)
    update.narrative = "Herschreven"
    with pytest.raises(StatusUpdateImmutableError):
        update.save()
    with pytest.raises(StatusUpdateImmutableError):
        update.delete()
    with pytest.raises(StatusUpdateImmutableError):
        StatusUpdate.objects.filter(pk=update.pk).update(narrative="x")
    with pytest.raises(StatusUpdateImmutableError):
        StatusUpdate.objects.all().delete()
    assert StatusUpdate.objects.get(pk=update.pk).narrative == "Partner heeft minder capaciteit (test)."
    with pytest.raises(ValidationError):
        status_update_add(actor=users["advisor"], activity=activity, status="op_koers", narrative=" ")
    with pytest.raises(PermissionDenied):
        status_update_add(actor=users["police"], activity=activity, status="op_koers", narrative="x")
    assert StatusUpdate.objects.count() == 1


def test_status_update_table_refuses_update_in_the_database(execution_plans, make_activity, users):
    from django.db import DatabaseError, connection, transaction

    activity = make_activity(execution_plans["GM0865"])
    status_update_add(actor=users["advisor"], activity=activity, status="op_koers", narrative="Start (test)")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE execution_statusupdate SET narrative = 'x'")


def test_milestones(execution_plans, make_activity, users):
    activity = make_activity(execution_plans["GM0865"])
    milestone = milestone_create(actor=users["advisor"], activity=activity, title="Startbijeenkomst",
                                 due_date=dt.date(2023, 5, 1))
    milestone_update(actor=users["advisor"], milestone=milestone, done=True)
    milestone.refresh_from_db()
    assert milestone.done
    with pytest.raises(PermissionDenied):
        milestone_update(actor=users["councillor"], milestone=milestone, done=False)
    with pytest.raises(ValidationError):
        milestone_create(actor=users["advisor"], activity=activity, title="", due_date=None)
    milestone_delete(actor=users["advisor"], milestone=milestone)
    assert not activity.milestones.exists()
    history = AuditEvent.objects.for_object(activity).values_list("action", flat=True)
    assert {"milestone.create", "milestone.update", "milestone.delete"} <= set(history)


def test_stale_badge(execution_plans, make_activity, users, settings):
    settings.IVP_STALE_AFTER_DAYS = 30
    now = timezone.now()
    old = make_activity(execution_plans["GM0865"], title="Oud", actor=users["advisor"])
    Activity.objects.filter(pk=old.pk).update(created_at=now - dt.timedelta(days=45))
    fresh = make_activity(execution_plans["GM0865"], title="Vers", actor=users["advisor"])
    later = make_activity(execution_plans["GM0865"], title="Begint later", actor=users["advisor"],
                          start_date=timezone.localdate() + dt.timedelta(days=10))
    Activity.objects.filter(pk=later.pk).update(created_at=now - dt.timedelta(days=45))
    old.refresh_from_db()
    later.refresh_from_db()
    assert old.is_stale() and not fresh.is_stale() and not later.is_stale()
    assert not old.is_stale(days=60)
    assert [a.title for a in my_activities(users["advisor"])][0] == "Oud"
    status_update_add(actor=users["advisor"], activity=old, status="afgerond", narrative="Klaar (test)")
    old.refresh_from_db()
    assert not old.is_stale(now=now + dt.timedelta(days=400))
    assert my_activities(users["coordinator"]) == []


# --- tenancy and versions -----------------------------------------------------------------------------

def test_reads_go_through_for_user(execution_plans, make_activity, users):
    make_activity(execution_plans["GM0865"], title="Vught")
    make_activity(execution_plans["GM0797"], title="Heusden")
    team = make_activity(execution_plans[None], title="Basisteam")
    seen = {role: set(Activity.objects.for_user(users[role]).values_list("title", flat=True)) for role in users}
    assert seen["coordinator"] == seen["police"] == seen["prosecutor"] == {"Vught", "Heusden", "Basisteam"}
    assert seen["advisor"] == seen["councillor"] == {"Vught", "Basisteam"}
    assert seen["partner"] == set()  # a partner sees only activities its organisation takes part in
    assert seen["anonymous"] == set()
    partner_org = users["partner"].memberships.get().organisation
    ActivityPartner.objects.create(activity=team, organisation=partner_org, role="bijdragend")
    assert set(Activity.objects.for_user(users["partner"]).values_list("title", flat=True)) == {"Basisteam"}


def test_umbrella_shows_what_the_user_reads(plan, execution_plans, make_activity, users):
    make_activity(execution_plans["GM0797"])
    everything = umbrella(users["coordinator"], plan, 2023)
    assert len(everything["columns"]) == 6  # the base team and five municipalities
    own = umbrella(users["advisor"], plan, 2023)
    assert [c["municipality"].cbs_code if c["municipality"] else None for c in own["columns"]] == [None, "GM0865"]
    youth_row = next(r for r in everything["rows"] if r["theme"].code == "youth")
    heusden = next(i for i, c in enumerate(everything["columns"]) if c["municipality"]
                   and c["municipality"].cbs_code == "GM0797")
    assert youth_row["cells"][heusden]["activities"] == 1
    # The parent theme counts its sub-theme's activity, as the coverage matrix does (issue 13: "0 vs 2").
    parent_row = next(r for r in everything["rows"] if r["theme"].code == "care_and_safety")
    assert parent_row["cells"][heusden]["activities"] == 1


def test_old_plan_versions_are_read_only(plan, plan_document, execution_plans, make_activity, users):
    activity = make_activity(execution_plans["GM0865"])
    changed = copy.deepcopy(plan_document)
    changed["plan"]["summary"] += " (test)"
    plan_load(actor=None, document=changed, replace_app_edits=True)
    with pytest.raises(PermissionDenied):
        status_update_add(actor=users["advisor"], activity=activity, status="op_koers", narrative="x")
    with pytest.raises(PermissionDenied):
        activity_update(actor=users["advisor"], activity=activity, expected_version=1, **_values(activity))


# --- optimistic locking of execution plans and theme adjustments; two connections at once -----------------------

def _plan_values(execution_plan, **changes):
    return {"status": execution_plan.status, "adopted_on": execution_plan.adopted_on,
            "decision_reference": execution_plan.decision_reference, "summary": execution_plan.summary, **changes}


def test_a_stale_execution_plan_edit_is_refused(execution_plans, users):
    first, second = (ExecutionPlan.objects.get(pk=execution_plans["GM0865"].pk) for _ in range(2))
    execution_plan_update(actor=users["advisor"], execution_plan=first, expected_version=1,
                          **_plan_values(first, summary="Eerste samenvatting"))
    with pytest.raises(StaleEdit):
        execution_plan_update(actor=users["coordinator"], execution_plan=second, expected_version=1,
                              **_plan_values(second, summary="Tweede samenvatting"))
    stored = ExecutionPlan.objects.get(pk=first.pk)
    assert (stored.summary, stored.version) == ("Eerste samenvatting", 2)
    assert AuditEvent.objects.filter(action="execution_plan.update", result="error").count() == 1
    # A stale form that changes nothing is refused too: its user has not seen the other person's save.
    with pytest.raises(StaleEdit):
        execution_plan_update(actor=users["coordinator"], execution_plan=stored, expected_version=1,
                              **_plan_values(stored))


def test_a_stale_theme_adjustment_is_refused(execution_plans, themes, users):
    ep, theme = execution_plans["GM0865"], themes["digital_safety"]
    # Two forms opened before there was an adjustment (version 0): the first creates it, the second is refused.
    theme_adjustment_save(actor=users["advisor"], execution_plan=ep, theme=theme, local_target="Eerste doel",
                          expected_version=0)
    with pytest.raises(StaleEdit):
        theme_adjustment_save(actor=users["coordinator"], execution_plan=ep, theme=theme,
                              local_target="Tweede doel", expected_version=0)
    theme_adjustment_save(actor=users["advisor"], execution_plan=ep, theme=theme, local_target="Derde doel",
                          expected_version=1)
    with pytest.raises(StaleEdit):
        theme_adjustment_save(actor=users["coordinator"], execution_plan=ep, theme=theme,
                              local_target="Vierde doel", expected_version=1)
    stored = ThemeAdjustment.objects.get(execution_plan=ep, theme=theme)
    assert (stored.local_target, stored.version) == ("Derde doel", 2)
    assert AuditEvent.objects.filter(action="theme_adjustment.save", result="error").count() == 2


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_activity_saves_at_the_same_moment(execution_plans, make_activity, users):
    activity = make_activity(execution_plans["GM0865"], actor=users["advisor"], title="Origineel")

    def save(actor, title):
        def run():
            current = Activity.objects.get(pk=activity.pk)
            return activity_update(actor=actor, activity=current, expected_version=1,
                                   **{**_values(current), "title": title, "description": f"Tekst van {title}"})
        return run

    winner = one_won(race(save(users["advisor"], "Adviseur"), save(users["coordinator"], "Coördinator"),
                          pause_before_writing=Activity))
    stored = Activity.objects.get(pk=activity.pk)
    assert (stored.title, stored.description, stored.version) == (winner.title, f"Tekst van {winner.title}", 2)
    assert AuditEvent.objects.filter(action="activity.update", result="success").count() == 1
    assert AuditEvent.objects.filter(action="activity.update", result="error").count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_execution_plan_saves_at_the_same_moment(execution_plans, users):
    pk = execution_plans["GM0865"].pk

    def save(actor, summary):
        def run():
            current = ExecutionPlan.objects.get(pk=pk)
            return execution_plan_update(actor=actor, execution_plan=current, expected_version=1,
                                         **_plan_values(current, summary=summary))
        return run

    winner = one_won(race(save(users["advisor"], "Van de adviseur"), save(users["coordinator"], "Van het basisteam"),
                          pause_before_writing=ExecutionPlan))
    stored = ExecutionPlan.objects.get(pk=pk)
    assert (stored.summary, stored.version) == (winner.summary, 2)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_theme_adjustments_at_the_same_moment(execution_plans, themes, users):
    """Both forms were opened before there was an adjustment: both INSERT, the unique constraint decides."""
    ep, theme = execution_plans["GM0865"], themes["digital_safety"]

    def save(actor, target):
        return lambda: theme_adjustment_save(actor=actor, execution_plan=ep, theme=theme, local_target=target,
                                             expected_version=0)

    winner = one_won(race(save(users["advisor"], "Doel adviseur"), save(users["coordinator"], "Doel basisteam"),
                          pause_before_writing=ThemeAdjustment))
    stored = ThemeAdjustment.objects.get(execution_plan=ep, theme=theme)
    assert (stored.local_target, stored.version) == (winner.local_target, 1)
    assert AuditEvent.objects.filter(action="theme_adjustment.save", result="error").count() == 1
