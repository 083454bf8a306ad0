"""Errors as `application/problem+json` (RFC 9457): type, title, status, detail, instance.

Every error of the API answers in this form: DRF's own (400 invalid query, 401, 403, 404, 405, 429), Django's 404
and permission errors, unknown paths and paths with a trailing slash under /api/, and unexpected errors (500,
logged, never with technical details)."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response

logger = logging.getLogger("ivp.api")

PROBLEM_TYPE = "application/problem+json"

# One short title per status; the `type` is the HTTP status's registry entry (RFC 9457 allows about:blank, a link
# to the status's meaning tells a client more).
def _titles() -> dict[int, str]:
    return {
        400: _("Invalid request"),
        401: _("Not authenticated"),
        403: _("Not allowed"),
        404: _("Not found"),
        405: _("Method not allowed"),
        406: _("Not acceptable"),
        429: _("Too many requests"),
        500: _("Internal server error"),
    }


def problem(request, status_code: int, detail: str = "", *, extra: dict | None = None,
            headers: dict | None = None) -> Response:
    body = {
        "type": f"https://developer.mozilla.org/docs/Web/HTTP/Status/{status_code}",
        "title": _titles().get(status_code, _("Error")),
        "status": status_code,
        "detail": detail or _titles().get(status_code, ""),
        "instance": request.get_full_path() if request is not None else "",
    }
    if extra:
        body.update(extra)
    response = Response(body, status=status_code, content_type=PROBLEM_TYPE, headers=headers)
    return response


def _detail_text(detail) -> tuple[str, dict | None]:
    """DRF details: a string, or per parameter a list of messages (a 400 names the parameters)."""
    if isinstance(detail, dict):
        errors = {str(k): [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in detail.items()}
        return _("The request has invalid parameters."), {"invalid_params": [
            {"name": name, "reason": " ".join(messages)} for name, messages in errors.items()]}
    if isinstance(detail, list):
        return " ".join(str(d) for d in detail), None
    return str(detail), None


def exception_handler(exc, context):
    request = context.get("request")
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("No such resource, or not visible to you."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, exceptions.APIException):
        headers = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None) is not None:
            headers["Retry-After"] = str(int(exc.wait))
        detail, extra = _detail_text(exc.detail)
        if isinstance(exc, exceptions.Throttled):
            detail = _("Too many requests; try again in %(seconds)d seconds.") % {"seconds": int(exc.wait or 1)}
        return problem(request, exc.status_code, detail, extra=extra, headers=headers)
    logger.exception("API error on %s", getattr(request, "path", "?"), exc_info=exc)
    return problem(request, status.HTTP_500_INTERNAL_SERVER_ERROR,
                   _("Something went wrong on our side; it has been logged."))
