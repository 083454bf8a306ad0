"""'Wachtwoord vergeten' (issue 14): Django's reset views with Dutch pages and mails; the same answer whether or not
the address has an account; the second factor stays."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from ivp.core.audit.models import AuditEvent
from ivp.core.models import User
from ivp.core.people import PASSWORD_RESET_MAILS_PER_HOUR

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "een-nieuw-wachtwoord-2026"


@pytest.fixture
def with_addresses(users):
    for role in ("advisor", "police"):
        users[role].email = f"{role}@example.org"
        users[role].save()
    return users


def test_known_and_unknown_addresses_get_the_same_answer(client, with_addresses):
    known = client.post(reverse("web:password_reset"), {"email": "advisor@example.org"})
    unknown = client.post(reverse("web:password_reset"), {"email": "niemand@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("web:password_reset_done")
    assert [m.to for m in mail.outbox] == [["advisor@example.org"]]
    assert "Kies een nieuw wachtwoord" in mail.outbox[0].subject and "Beste" in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="auth.password_reset_requested").count() == 1
    for url in (reverse("web:password_reset"), reverse("web:password_reset_done")):
        page = client.get(url).content.decode()  # our Dutch pages, not the admin's of the same name
        assert "utrecht-heading-1" in page and "Django" not in page, url


def test_the_link_sets_a_new_password_and_the_second_factor_stays(client, with_addresses):
    client.post(reverse("web:password_reset"), {"email": "advisor@example.org"})
    path = re.search(r"https?://[^/\s]+(/wachtwoord-herstellen/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(path, follow=True)
    assert 'name="new_password1"' in form.content.decode() and "Minstens 12 tekens" in form.content.decode()
    response = client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == reverse("web:password_reset_complete")
    assert User.objects.get(username="advisor-vught").check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="auth.password_reset", result="success").exists()
    response = client.post(reverse("web:login"), {"username": "advisor-vught", "password": NEW_PASSWORD})
    assert response["Location"].startswith(reverse("web:mfa_verify")), "the authenticator is still needed"
    client.logout()
    again = client.get(path, follow=True).content.decode()
    assert "niet geldig" in again and 'name="new_password1"' not in again  # the link is used up


def test_invited_and_deactivated_accounts_get_no_mail(client, with_addresses):
    police = with_addresses["police"]
    police.is_active = False
    police.save()
    invited = User.objects.create(username="uitgenodigd", email="uitgenodigd@example.org")
    invited.set_unusable_password()
    invited.save()
    for address in ("police@example.org", "uitgenodigd@example.org"):
        assert client.post(reverse("web:password_reset"), {"email": address}).status_code == 302
    assert mail.outbox == []


def test_at_most_a_few_mails_per_account_per_hour(client, with_addresses):
    for _ in range(PASSWORD_RESET_MAILS_PER_HOUR + 2):
        client.post(reverse("web:password_reset"), {"email": "advisor@example.org"})
    assert len(mail.outbox) == PASSWORD_RESET_MAILS_PER_HOUR


def test_the_login_page_links_to_it(client):
    assert 'href="/wachtwoord-vergeten/"' in client.get(reverse("web:login")).content.decode()
