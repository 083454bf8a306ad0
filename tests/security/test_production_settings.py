"""Production settings (IVP_ENV=production), read in a fresh interpreter; Django's deployment check."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DUMMY_KEY = "ci-only-" + "x" * 60  # never a real key


def _env(**extra):
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests (tests/e2e) for their own process only.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("IVP_") and k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update({"IVP_ENV": "production", "IVP_SECRET_KEY": DUMMY_KEY, "IVP_ALLOWED_HOSTS": "ivp.example.nl",
                "IVP_EMAIL_URL": "smtp+tls://mail.example.nl:587", "IVP_BASE_URL": "https://ivp.example.nl",
                "IVP_DATA_DIR": str(REPO / "var"), "DJANGO_SETTINGS_MODULE": "ivp.settings", **extra})
    return env


def _run(args: list[str], env: dict) -> subprocess.CompletedProcess:
    """Our own interpreter / ivp command with fixed arguments."""
    return subprocess.run(args, env=env, capture_output=True, text=True, cwd=REPO, check=False)  # noqa: S603


def _settings(**extra) -> dict:
    code = (
        "import json, django; from django.conf import settings as s; django.setup();"
        "names = ['DEBUG', 'SESSION_COOKIE_NAME', 'CSRF_COOKIE_NAME', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE',"
        " 'SESSION_COOKIE_HTTPONLY', 'SESSION_COOKIE_SAMESITE', 'CSRF_COOKIE_SAMESITE', 'SESSION_COOKIE_PATH',"
        " 'SESSION_COOKIE_DOMAIN', 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS',"
        " 'SECURE_HSTS_PRELOAD', 'SECURE_PROXY_SSL_HEADER', 'X_FRAME_OPTIONS', 'PASSWORD_HASHERS',"
        " 'CONTENT_SECURITY_POLICY', 'AUTHENTICATION_BACKENDS', 'IVP_MESSAGES_COOKIE_NAME', 'MESSAGE_STORAGE'];"
        "print(json.dumps({n: getattr(s, n, None) for n in names}, default=str))"
    )
    out = _run([sys.executable, "-c", code], _env(**extra))
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_production_is_locked_down():
    s = _settings()
    assert s["DEBUG"] is False
    assert s["SESSION_COOKIE_NAME"].startswith("__Host-") and s["CSRF_COOKIE_NAME"].startswith("__Host-")
    assert s["IVP_MESSAGES_COOKIE_NAME"] == "__Host-ivp_messages"
    assert s["MESSAGE_STORAGE"] == "ivp.web.messages_storage.FallbackStorage"
    assert s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"] and s["SESSION_COOKIE_HTTPONLY"]
    assert s["SESSION_COOKIE_SAMESITE"] == s["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert s["SESSION_COOKIE_PATH"] == "/" and s["SESSION_COOKIE_DOMAIN"] is None
    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["SECURE_HSTS_SECONDS"] == 31536000 and s["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert s["SECURE_HSTS_PRELOAD"] is False
    assert s["SECURE_PROXY_SSL_HEADER"] is None, "no proxy configured: the forwarded-proto header is not trusted"
    assert s["X_FRAME_OPTIONS"] == "DENY"
    assert s["PASSWORD_HASHERS"][0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert "ivp.core.oidc.IvpOIDCBackend" not in s["AUTHENTICATION_BACKENDS"], "OIDC is off by default"


def test_production_debug_cannot_be_switched_on():
    assert _settings(IVP_DEBUG="true")["DEBUG"] is False


def test_behind_a_proxy_and_preload():
    s = _settings(IVP_TRUSTED_PROXY_COUNT="1", IVP_HSTS_PRELOAD="true")
    assert s["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert s["SECURE_HSTS_PRELOAD"] is True


def test_development_over_http_uses_unprefixed_cookies():
    s = _settings(IVP_ENV="development")
    assert not s["SESSION_COOKIE_NAME"].startswith("__Host-") and s["SESSION_COOKIE_SECURE"] is False
    assert s["IVP_MESSAGES_COOKIE_NAME"] == "ivp_messages"
    assert s["SECURE_SSL_REDIRECT"] is False and s["SECURE_HSTS_SECONDS"] == 0


def test_production_requires_a_secret_key():
    env = _env()
    env.pop("IVP_SECRET_KEY")
    result = _run([sys.executable, "-c", "import django; django.setup()"], env)
    assert result.returncode != 0 and "IVP_SECRET_KEY" in result.stderr


@pytest.mark.parametrize("variable", ["IVP_EMAIL_URL", "IVP_BASE_URL"])
def test_production_requires_mail_and_its_links(variable):
    """Issue 14: invitations and "forgot password" need a mail server and the site's own address."""
    env = _env()
    env.pop(variable)
    result = _run([sys.executable, "-c", "import django; django.setup()"], env)
    assert result.returncode != 0 and variable in result.stderr


def test_a_password_in_the_mail_url_is_not_repeated_in_the_error():
    result = _run([sys.executable, "-c", "import django; django.setup()"],
                  _env(IVP_EMAIL_URL="smtp+tls://ivp:geheim-wachtwoord@mail.example.nl:99999"))
    assert result.returncode != 0 and "IVP_EMAIL_URL" in result.stderr
    assert "geheim-wachtwoord" not in result.stderr


def test_oidc_settings_when_enabled():
    s = _settings(IVP_OIDC_ENABLED="true", IVP_OIDC_AUTHORIZATION_ENDPOINT="https://idp.example.nl/authorize",
                  IVP_OIDC_TOKEN_ENDPOINT="https://idp.example.nl/token",
                  IVP_OIDC_USERINFO_ENDPOINT="https://idp.example.nl/userinfo",
                  IVP_OIDC_JWKS_ENDPOINT="https://idp.example.nl/jwks", IVP_OIDC_CLIENT_ID="ivp",
                  IVP_OIDC_CLIENT_SECRET="not-a-real-secret")
    assert s["AUTHENTICATION_BACKENDS"][-1] == "ivp.core.oidc.IvpOIDCBackend"
    assert "https://idp.example.nl" in s["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["form-action"]


def test_oidc_enabled_without_endpoints_refuses_to_start():
    result = _run([sys.executable, "-c", "import django; django.setup()"], _env(IVP_OIDC_ENABLED="true"))
    assert result.returncode != 0 and "IVP_OIDC_TOKEN_ENDPOINT" in result.stderr


@pytest.mark.parametrize("extra", [{}])
def test_deploy_check_passes(extra):
    """What scripts/test runs in CI: `ivp check --deploy --fail-level WARNING` with production settings."""
    ivp = Path(sys.executable).with_name("ivp")
    result = _run([str(ivp), "check", "--deploy", "--fail-level", "WARNING"], _env(**extra))
    assert result.returncode == 0, result.stdout + result.stderr
