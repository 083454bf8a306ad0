"""Password storage and rules."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from ivp.core.services import user_create, user_set_password
from ivp.settings import security as configured

pytestmark = pytest.mark.django_db


def test_argon2_first():
    # tests/conftest.py swaps in a fast hasher for speed; the configured list is what production uses.
    assert configured.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_argon2_hashes(settings):
    settings.PASSWORD_HASHERS = configured.PASSWORD_HASHERS
    user, password = user_create(actor=None, username="hash-check")
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(password)


@pytest.mark.parametrize("password", ["kort-wachtw", "password1234", "123456789012345", "hash-check-2024!"])
def test_weak_passwords_are_refused(settings, password):
    settings.AUTH_PASSWORD_VALIDATORS = configured.AUTH_PASSWORD_VALIDATORS
    from ivp.core.models import User

    with pytest.raises(ValidationError):
        validate_password(password, user=User(username="hash-check-2024"))


def test_generated_passwords_are_valid(settings):
    """user_create / user_set_password (used by bootstrap for the administrator) generate passwords that
    pass every validator."""
    settings.AUTH_PASSWORD_VALIDATORS = configured.AUTH_PASSWORD_VALIDATORS
    user, password = user_create(actor=None, username="admin")
    validate_password(password, user=user)
    validate_password(user_set_password(actor=None, user=user), user=user)
