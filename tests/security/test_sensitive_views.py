"""Auth views keep passwords and codes out of error reports."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_login_marks_password_sensitive(client, users):
    response = client.post(reverse("web:login"), {"username": "police", "password": "wrong-password-000"})
    assert response.wsgi_request.sensitive_post_parameters in ("__ALL__", ["password"])


def test_mfa_marks_code_sensitive(client, users):
    client.force_login(users["coordinator"], otp_verified=False)
    response = client.post(reverse("web:mfa_verify"), {"otp_token": "123456"})
    assert response.wsgi_request.sensitive_post_parameters == ("otp_token",)
