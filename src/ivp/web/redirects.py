"""Where to go after signing in (the `next` parameter of the login and two-factor pages).

`next` comes from a link anyone can craft. Django's own check (url_has_allowed_host_and_scheme) only keeps
other sites out: a bare word such as `next=0` passes it, and `redirect("0")` then tries to reverse a URL name
and answers 500, after the user typed a correct password or code. So `next` must be a path on this site that
resolves to one of our pages; anything else falls back to the home page.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.urls import Resolver404, get_script_prefix, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme


def home_url() -> str:
    return reverse(settings.LOGIN_REDIRECT_URL)


def validated_next(request, url: str | None) -> str | None:
    """`url` when it is a path on this site that resolves to a page, else None."""
    if not url or not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                                      require_https=request.is_secure()):
        return None
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    prefix = get_script_prefix()
    path = unquote(parts.path)
    if not path.startswith(prefix):
        return None
    try:
        resolve("/" + path[len(prefix):])
    except Resolver404:
        return None
    return url


def safe_next_url(request, url: str | None) -> str:
    return validated_next(request, url) or home_url()
