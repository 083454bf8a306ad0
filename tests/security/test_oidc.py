"""The OpenID Connect backend's claim handling (mocked provider responses; no network)."""

from unittest import mock

import pytest
from django.test import RequestFactory
from django.urls import reverse

from ivp.core.models import Membership, User
from ivp.core.oidc import IvpOIDCBackend, idp_reports_mfa

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.security.urls_oidc")]

OIDC = {
    "OIDC_OP_TOKEN_ENDPOINT": "https://idp.example.nl/token",
    "OIDC_OP_USER_ENDPOINT": "https://idp.example.nl/userinfo",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://idp.example.nl/authorize",
    "OIDC_OP_JWKS_ENDPOINT": "https://idp.example.nl/jwks",
    "OIDC_RP_CLIENT_ID": "ivp", "OIDC_RP_CLIENT_SECRET": "not-a-real-secret", "OIDC_RP_SIGN_ALGO": "RS256",
    "OIDC_CREATE_USER": False, "IVP_OIDC_USERNAME_CLAIM": "email", "IVP_OIDC_MATCH_FIELD": "email",
    "IVP_OIDC_TRUSTS_MFA": False,
}


@pytest.fixture
def oidc(settings):
    for key, value in OIDC.items():
        setattr(settings, key, value)
    return settings


@pytest.fixture
def advisor(users):
    user = users["advisor"]
    user.email = "Adviseur@Vught.example.nl"
    user.save()
    return user


def _sign_in(claims: dict, id_token_payload: dict | None = None):
    """Run the backend's full authenticate() with the provider's responses mocked."""
    backend = IvpOIDCBackend()
    request = RequestFactory().get("/oidc/callback/", {"code": "auth-code", "state": "st"})
    request.session = {}
    with mock.patch.object(IvpOIDCBackend, "get_token", return_value={"id_token": "id", "access_token": "at"}), \
            mock.patch.object(IvpOIDCBackend, "verify_token", return_value=id_token_payload or {"sub": "1"}), \
            mock.patch.object(IvpOIDCBackend, "get_userinfo", return_value=claims):
        return backend.authenticate(request, nonce="n", code_verifier="v")


def test_existing_user_is_matched_by_email_case_insensitively(oidc, advisor):
    user = _sign_in({"sub": "1", "email": "adviseur@vught.example.nl", "email_verified": True})
    assert user == advisor
    assert getattr(user, "ivp_idp_mfa", None) is False


def test_unknown_identity_is_refused_without_create(oidc, users):
    count = User.objects.count()
    assert _sign_in({"sub": "2", "email": "onbekend@example.nl"}) is None
    assert User.objects.count() == count


def test_unverified_email_is_refused(oidc, advisor):
    assert _sign_in({"sub": "1", "email": "adviseur@vught.example.nl", "email_verified": False}) is None


def test_missing_claim_is_refused(oidc, advisor):
    assert _sign_in({"sub": "1"}) is None


def test_match_by_username_claim(oidc, advisor):
    oidc.IVP_OIDC_USERNAME_CLAIM = "preferred_username"
    oidc.IVP_OIDC_MATCH_FIELD = "username"
    assert _sign_in({"sub": "1", "preferred_username": "ADVISOR-VUGHT"}) == advisor


def test_create_users_gives_no_role_and_no_password(oidc, users):
    oidc.OIDC_CREATE_USER = True
    claims = {"sub": "3", "email": "nieuw@vught.example.nl", "preferred_username": "nieuw",
              "roles": ["coordinator"], "groups": ["admins"]}
    user = _sign_in(claims)
    assert user is not None and user.username == "nieuw" and user.email == "nieuw@vught.example.nl"
    assert not Membership.objects.filter(user=user).exists(), "roles come only from IVP memberships"
    assert not user.is_staff and not user.is_superuser and not user.has_usable_password()


def test_create_refuses_a_taken_username(oidc, users):
    oidc.OIDC_CREATE_USER = True
    assert _sign_in({"sub": "4", "email": "ander@example.nl", "preferred_username": "coordinator"}) is None


@pytest.mark.parametrize(("claims", "expected"), [
    ({"amr": ["pwd", "otp"]}, True),
    ({"amr": ["mfa"]}, True),
    ({"amr": "hwk"}, True),
    ({"amr": ["pwd"]}, False),
    ({}, False),
    ({"acr": "urn:example:loa:substantial"}, True),
    ({"acr": "urn:example:loa:low"}, False),
])
def test_idp_mfa_claims(oidc, claims, expected):
    oidc.IVP_OIDC_MFA_AMR = ["mfa", "otp", "hwk"]
    oidc.IVP_OIDC_MFA_ACR = ["urn:example:loa:substantial"]
    assert idp_reports_mfa(claims) is expected


def test_idp_mfa_counts_only_when_trusted(oidc, advisor):
    claims = {"sub": "1", "email": "adviseur@vught.example.nl"}
    assert _sign_in(claims, {"sub": "1", "amr": ["pwd", "otp"]}).ivp_idp_mfa is False
    oidc.IVP_OIDC_TRUSTS_MFA = True
    assert _sign_in(claims, {"sub": "1", "amr": ["pwd", "otp"]}).ivp_idp_mfa is True
    assert _sign_in(claims, {"sub": "1", "amr": ["pwd"]}).ivp_idp_mfa is False


def test_login_page_button_only_when_enabled(client, settings):
    assert b"/oidc/" not in client.get(reverse("web:login")).content
    settings.IVP_OIDC_ENABLED = True
    settings.IVP_OIDC_PROVIDER_NAME = "Gemeente-account"
    html = client.get(reverse("web:login") + "?next=/cijfers/").content.decode()
    assert 'href="/oidc/authenticate/?next=/cijfers/"' in html.replace("%2F", "/")
    assert "Gemeente-account" in html
