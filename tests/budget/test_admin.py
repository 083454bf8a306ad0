"""The admin shows the fund read-only: writes go through the audited services (negative-balance rule)."""

import pytest
from django.urls import reverse

from ivp.budget import services

pytestmark = pytest.mark.django_db


def test_fund_is_read_only_in_the_admin(admin_client, users):
    allocation = services.allocation_create(actor=users["coordinator"], year=2024, kind="bim", title="BIM (test)",
                                            amount_cents=100)
    for model in ("fundyear", "allocation", "commitment", "expenditure"):
        assert admin_client.get(reverse(f"admin:budget_{model}_changelist")).status_code == 200
        assert admin_client.get(reverse(f"admin:budget_{model}_add")).status_code == 403
    change = admin_client.get(reverse("admin:budget_allocation_change", args=[allocation.pk]))
    assert change.status_code == 200 and b'type="submit"' not in change.content.split(b'id="content"')[1]
    response = admin_client.post(reverse("admin:budget_allocation_delete", args=[allocation.pk]), {"post": "yes"})
    assert response.status_code == 403
