"""The messages cookie is named and set like the session cookie: `__Host-` prefix, Secure, HttpOnly, path "/",
no Domain over HTTPS; plain and working over http in development."""

import pytest
from django.contrib import messages
from django.contrib.messages.storage import default_storage
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

pytestmark = pytest.mark.django_db


def _set_message_cookie():
    request = RequestFactory().get("/")
    request.session = SessionStore()
    request._messages = default_storage(request)
    messages.success(request, "Opgeslagen (test).")
    response = HttpResponse()
    request._messages.update(response)
    return request, response


@override_settings(IVP_MESSAGES_COOKIE_NAME="__Host-ivp_messages", SESSION_COOKIE_SECURE=True)
def test_over_https_the_messages_cookie_has_the_host_prefix_and_its_requirements():
    _request, response = _set_message_cookie()
    assert list(response.cookies) == ["__Host-ivp_messages"]
    cookie = response.cookies["__Host-ivp_messages"]
    assert cookie["secure"] and cookie["httponly"] and cookie["path"] == "/" and not cookie["domain"]
    assert cookie["samesite"] == "Lax"


def test_in_development_the_cookie_is_plain_and_read_back_on_the_next_page(client, users):
    client.force_login(users["advisor"])
    _request, response = _set_message_cookie()
    assert list(response.cookies) == ["ivp_messages"] and not response.cookies["ivp_messages"]["secure"]
    client.cookies["ivp_messages"] = response.cookies["ivp_messages"].value
    assert "Opgeslagen (test)." in client.get("/").content.decode()
