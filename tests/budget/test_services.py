"""Writes of the fund: coordinator only, audited, and no balance below zero without an explicit approval."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ivp.budget import services
from ivp.budget.models import Allocation, Commitment, Expenditure, FundYear
from ivp.budget.selectors import fund_access_for
from ivp.budget.summary import balance_cents, year_summary
from ivp.core.audit.models import AuditEvent
from ivp.core.locking import StaleEdit
from ivp.core.models import Organisation

from ..concurrency import one_won, postgres_only, race

pytestmark = pytest.mark.django_db
DAY = dt.date(2024, 3, 1)


@pytest.fixture
def coordinator(users):
    return users["coordinator"]


@pytest.fixture
def allocation(coordinator):
    return services.allocation_create(actor=coordinator, year=2024, kind="bim", title="BIM 2024 (test)",
                                      amount_cents=50_000_00)


def test_roles_of_the_fund(users):
    rights = {role: fund_access_for(user) for role, user in users.items()}
    assert rights["coordinator"].edit and rights["coordinator"].read_all_contributions
    for role in ("police", "prosecutor"):
        assert rights[role].read_fund and rights[role].read_all_contributions and not rights[role].edit
    assert rights["advisor"].read_fund and not rights["advisor"].read_all_contributions
    assert rights["councillor"].read_totals and not rights["councillor"].read_fund
    vught = Organisation.objects.get(cbs_code="GM0865")
    for role in ("advisor", "councillor"):
        assert rights[role].own_municipality_ids == {vught.pk} and not rights[role].edit
    for role in ("partner", "anonymous"):
        assert not rights[role].read_totals and not rights[role].read_fund


@pytest.mark.parametrize("role", ["advisor", "councillor", "police", "prosecutor", "partner", "anonymous"])
def test_only_the_coordinator_writes_and_refusals_are_audited(users, role, allocation):
    user = users[role]
    writes = [
        lambda: services.rate_set(actor=user, year=2024, rate_cents=200),
        lambda: services.negative_balance_approve(actor=user, year=2024, reason="Test"),
        lambda: services.allocation_create(actor=user, year=2024, kind="project", title="X", amount_cents=100),
        lambda: services.allocation_update(actor=user, allocation=allocation, year=2024, kind="bim", title="Y",
                                           amount_cents=100),
        lambda: services.allocation_delete(actor=user, allocation=allocation),
        lambda: services.commitment_create(actor=user, allocation=allocation, date=DAY, description="X",
                                           amount_cents=100),
        lambda: services.expenditure_create(actor=user, allocation=allocation, date=DAY, description="X",
                                            amount_cents=100),
    ]
    for write in writes:
        before = AuditEvent.objects.filter(result="denied").count()
        with pytest.raises(PermissionDenied):
            write()
        assert AuditEvent.objects.filter(result="denied").count() == before + 1
    allocation.refresh_from_db()
    assert allocation.title == "BIM 2024 (test)" and allocation.amount_cents == 50_000_00
    assert not FundYear.objects.filter(rate_cents=200).exists()
    assert Allocation.objects.count() == 1 and not Commitment.objects.exists() and not Expenditure.objects.exists()


def test_expenditure_within_the_contributions_is_saved_and_audited(populations, coordinator, allocation):
    available = balance_cents(2024)
    assert available == year_summary(2024).contributions_cents > 0
    spent = services.expenditure_create(actor=coordinator, allocation=allocation, date=DAY, description="Factuur",
                                        amount_cents=available, reference="F-1")
    assert balance_cents(2024) == 0
    event = AuditEvent.objects.for_object(spent).get(action="budget.expenditure_create")
    assert event.result == "success" and event.actor == coordinator
    assert event.changes["amount_cents"] == [None, available]
    assert event.changes["allocation"] == [None, str(allocation)]


def test_expenditure_below_zero_is_refused_until_approved(populations, coordinator, allocation):
    available = balance_cents(2024)
    with pytest.raises(ValidationError) as refused:
        services.expenditure_create(actor=coordinator, allocation=allocation, date=DAY, description="Te veel",
                                    amount_cents=available + 1)
    message = refused.value.message_dict["amount_cents"][0]
    assert "2024" in message and "€ -0,01" in message
    assert not Expenditure.objects.exists() and balance_cents(2024) == available
    error = AuditEvent.objects.get(action="budget.expenditure_create")
    assert error.result == "error" and "€ -0,01" in error.message

    with pytest.raises(ValidationError) as no_reason:
        services.negative_balance_approve(actor=coordinator, year=2024, reason="  ")
    assert "reason" in no_reason.value.message_dict
    services.negative_balance_approve(actor=coordinator, year=2024,
                                      reason="Besluit stuurgroep 12 maart 2024: BIM-inzet voorfinancieren")
    settings = FundYear.objects.get(year=2024)
    assert settings.negative_balance_approved and settings.negative_balance_approved_by == coordinator
    approval = AuditEvent.objects.for_object(settings).get(action="budget.negative_balance_approve")
    assert approval.result == "success" and approval.changes["negative_balance_approved"] == [False, True]

    services.expenditure_create(actor=coordinator, allocation=allocation, date=DAY, description="Te veel",
                                amount_cents=available + 1)
    assert balance_cents(2024) == -1
    summary = year_summary(2024)
    assert summary.is_negative and summary.negative_approved and not any("approval" in w for w in summary.warnings)
    # The approval is for that year only.
    other = services.allocation_create(actor=coordinator, year=2023, kind="bim", title="BIM 2023 (test)",
                                       amount_cents=100)
    with pytest.raises(ValidationError):
        services.expenditure_create(actor=coordinator, allocation=other, date=DAY, description="X",
                                    amount_cents=balance_cents(2023) + 1)


def test_lowering_the_rate_below_what_was_spent_is_refused(populations, coordinator, allocation):
    services.expenditure_create(actor=coordinator, allocation=allocation, date=DAY, description="Factuur",
                                amount_cents=balance_cents(2024) // 2)
    services.rate_set(actor=coordinator, year=2024, rate_cents=60)  # still enough
    with pytest.raises(ValidationError) as refused:
        services.rate_set(actor=coordinator, year=2024, rate_cents=40)
    assert "rate_cents" in refused.value.message_dict
    assert FundYear.objects.get(year=2024).rate_cents == 60
    events = AuditEvent.objects.filter(action="budget.rate_set").order_by("id")
    assert [e.result for e in events] == ["success", "error"]
    assert events[0].changes == {"rate_cents": [100, 60]}


def test_moving_an_allocation_moves_its_money_and_is_checked(populations, coordinator, allocation):
    services.expenditure_create(actor=coordinator, allocation=allocation, date=DAY, description="Factuur",
                                amount_cents=1_000_00)
    # 2001 has no population figure on or before 1 January: no contributions, so the move is refused.
    with pytest.raises(ValidationError) as refused:
        services.allocation_update(actor=coordinator, allocation=allocation, year=2001, kind="bim",
                                   title=allocation.title, amount_cents=allocation.amount_cents)
    assert "year" in refused.value.message_dict
    assert Allocation.objects.get(pk=allocation.pk).year == 2024
    allocation.refresh_from_db()
    services.allocation_update(actor=coordinator, allocation=allocation, year=2023, kind="bim",
                               title="BIM (verplaatst)", amount_cents=allocation.amount_cents)
    assert year_summary(2023).spent_cents == 1_000_00 and year_summary(2024).spent_cents == 0
    event = AuditEvent.objects.filter(action="budget.allocation_update", result="success").get()
    assert event.changes["year"] == [2024, 2023] and event.changes["title"] == ["BIM 2024 (test)", "BIM (verplaatst)"]


def test_validation_and_deletion(coordinator, allocation):
    with pytest.raises(ValidationError) as invalid:
        services.allocation_create(actor=coordinator, year=1990, kind="nonsense", title=" ", amount_cents=0)
    assert set(invalid.value.message_dict) == {"year", "kind", "title", "amount_cents"}
    with pytest.raises(ValidationError):
        services.allocation_create(actor=coordinator, year=2024, kind="bim", title="X", amount_cents=1.5)
    with pytest.raises(ValidationError):
        services.allocation_create(actor=coordinator, year=2024, kind="bim", title="X", amount_cents=100,
                                   beneficiary=Organisation.objects.get(code="politie"))
    with pytest.raises(ValidationError) as entry:
        services.commitment_create(actor=coordinator, allocation=allocation, date=None, description="",
                                   amount_cents=-5)
    assert set(entry.value.message_dict) == {"date", "description", "amount_cents"}

    commitment = services.commitment_create(actor=coordinator, allocation=allocation, date=DAY,
                                            description="Contract", amount_cents=100)
    with pytest.raises(ValidationError):
        services.allocation_delete(actor=coordinator, allocation=allocation)
    services.commitment_delete(actor=coordinator, commitment=commitment)
    deleted = AuditEvent.objects.get(action="budget.commitment_delete")
    assert deleted.changes["description"] == ["Contract", None] and deleted.changes["amount_cents"] == [100, None]
    services.allocation_delete(actor=coordinator, allocation=allocation)
    assert not Allocation.objects.exists()
    deleted = AuditEvent.objects.get(action="budget.allocation_delete", result="success")
    assert deleted.changes["title"] == ["BIM 2024 (test)", None]


def test_deleting_an_expenditure_is_allowed_even_when_the_balance_stays_negative(coordinator, allocation):
    # No population imported: contributions are 0, so any expenditure needs the approval.
    services.negative_balance_approve(actor=coordinator, year=2024, reason="Test")
    spent = services.expenditure_create(actor=coordinator, allocation=allocation, date=DAY, description="X",
                                        amount_cents=500)
    services.expenditure_delete(actor=coordinator, expenditure=spent)
    assert not Expenditure.objects.exists()


def test_unchanged_writes_record_nothing(coordinator, allocation):
    before = AuditEvent.objects.count()
    services.rate_set(actor=coordinator, year=2024, rate_cents=100)
    services.rate_set(actor=coordinator, year=2030, rate_cents=100)
    services.allocation_update(actor=coordinator, allocation=allocation, year=2024, kind="bim",
                               title="BIM 2024 (test)", amount_cents=50_000_00)
    assert AuditEvent.objects.count() == before
    assert not FundYear.objects.filter(year=2030).exists()


# --- optimistic locking of allocations and of a year's settings --------------------------------------------------

def _allocation_values(allocation, **changes):
    return {"year": allocation.year, "kind": allocation.kind, "title": allocation.title,
            "amount_cents": allocation.amount_cents, "beneficiary": allocation.beneficiary,
            "description": allocation.description, **changes}


def test_a_stale_allocation_edit_is_refused(coordinator, allocation):
    first, second = (Allocation.objects.get(pk=allocation.pk) for _ in range(2))
    services.allocation_update(actor=coordinator, allocation=first, expected_version=1,
                               **_allocation_values(first, amount_cents=40_000_00))
    with pytest.raises(StaleEdit):
        services.allocation_update(actor=coordinator, allocation=second, expected_version=1,
                                   **_allocation_values(second, title="Andere titel"))
    stored = Allocation.objects.get(pk=allocation.pk)
    assert (stored.title, stored.amount_cents, stored.version) == ("BIM 2024 (test)", 40_000_00, 2)
    assert AuditEvent.objects.filter(action="budget.allocation_update", result="error").count() == 1


def test_a_stale_rate_or_approval_is_refused(coordinator):
    """A year without settings is at version 1 (the version its row gets), also when another write made the row."""
    assert year_summary(2024).settings.version == 1
    services.rate_set(actor=coordinator, year=2024, rate_cents=120, expected_version=1)
    with pytest.raises(StaleEdit):
        services.rate_set(actor=coordinator, year=2024, rate_cents=90, expected_version=1)
    with pytest.raises(StaleEdit):
        services.negative_balance_approve(actor=coordinator, year=2024, reason="Besluit stuurgroep",
                                          expected_version=1)
    services.negative_balance_approve(actor=coordinator, year=2024, reason="Besluit stuurgroep", expected_version=2)
    stored = FundYear.objects.get(year=2024)
    assert (stored.rate_cents, stored.negative_balance_reason, stored.version) == (120, "Besluit stuurgroep", 3)
    assert AuditEvent.objects.filter(action__in=["budget.rate_set", "budget.negative_balance_approve"],
                                     result="error").count() == 2


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_allocation_saves_at_the_same_moment(coordinator, allocation):
    # No pause before the UPDATE: the service locks the year's settings row first, so the second save waits there.
    def save(title):
        def run():
            current = Allocation.objects.get(pk=allocation.pk)
            return services.allocation_update(actor=coordinator, allocation=current, expected_version=1,
                                              **_allocation_values(current, title=title))
        return run

    winner = one_won(race(save("Eerste"), save("Tweede")))
    stored = Allocation.objects.get(pk=allocation.pk)
    assert (stored.title, stored.version) == (winner.title, 2)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_rates_at_the_same_moment(coordinator):
    def save(rate):
        return lambda: services.rate_set(actor=coordinator, year=2024, rate_cents=rate, expected_version=1)

    winner = one_won(race(save(110), save(130)))
    stored = FundYear.objects.get(year=2024)
    assert (stored.rate_cents, stored.version) == (winner.rate_cents, 2)
