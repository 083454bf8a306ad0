"""F6: the `next` parameter of the login and two-factor pages is a path on this site that resolves, or the home
page: a crafted link cannot turn a correct password or code into a 500 (or send anyone elsewhere)."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

PASSWORD = "test-password-123!"
HOME = "/mijn-ivp/"  # the start page ("Mijn IVP", issue 14)
BAD = ["0", "foo", "beheer", "javascript:alert(1)", "//evil.example/", "https://evil.example/x",
       "/bestaat-niet/", "\\\\evil.example", "/\\evil.example"]


def _code(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("next_url", BAD)
def test_a_reader_signs_in_and_lands_home(client, users, next_url):
    response = client.post(reverse("web:login") + "?next=" + next_url, {"username": "police", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == HOME


@pytest.mark.parametrize("next_url", BAD)
def test_an_editors_correct_code_lands_home(client, users, next_url):
    response = client.post(reverse("web:login"), {"username": "advisor-vught", "password": PASSWORD,
                                                  "next": next_url})
    assert response.status_code == 302
    code_page = response["Location"]
    assert code_page == reverse("web:mfa_verify") + "?next=%2Fmijn-ivp%2F"
    response = client.post(reverse("web:mfa_verify") + "?next=" + next_url,
                           {"otp_token": _code(TOTPDevice.objects.get(user=users["advisor"]))})
    assert response.status_code == 302 and response["Location"] == HOME
    # Already verified: the code page sends on at once, also with a crafted next.
    response = client.get(reverse("web:mfa_verify") + "?next=" + next_url)
    assert response.status_code == 302 and response["Location"] == HOME


@pytest.mark.parametrize("next_url", BAD)
def test_setup_page_of_a_reader_sends_home(client, users, next_url):
    client.force_login(users["police"])
    response = client.get(reverse("web:mfa_setup") + "?next=" + next_url)
    assert response.status_code == 302 and response["Location"] == HOME


def test_a_real_page_is_kept_through_both_steps(client, users):
    wanted = reverse("web:execution_overview") + "?periode=2023"
    response = client.post(reverse("web:login"), {"username": "advisor-vught", "password": PASSWORD,
                                                  "next": wanted})
    assert response["Location"] == reverse("web:mfa_verify") + "?next=%2Fuitvoering%2F%3Fperiode%3D2023"
    response = client.post(response["Location"], {"otp_token": _code(TOTPDevice.objects.get(user=users["advisor"]))})
    assert response.status_code == 302 and response["Location"] == wanted


def test_the_login_form_does_not_echo_a_bad_next(client, users):
    html = client.get(reverse("web:login") + "?next=0").content.decode()
    assert 'name="next" value="0"' not in html
    assert client.get(reverse("web:login") + "?next=/beheer/").status_code == 200
