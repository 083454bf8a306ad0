"""Content Security Policy (django-csp 4). Strict: no 'unsafe-inline', no 'unsafe-eval'; scripts
only from our own origin and with the per-request nonce (templates: nonce="{{ request.csp_nonce }}").

No environment variables (the OIDC provider's origin, when enabled in settings/auth.py, is added to
form-action).
"""

from csp.constants import NONCE, NONE, SELF

from .auth import IVP_OIDC_ORIGIN
from .security import IVP_HTTPS

_directives = {
    "default-src": [SELF],
    "script-src": [SELF, NONCE],
    "style-src": [SELF],
    "img-src": [SELF, "data:"],  # data: for the icons inside the NL Design System CSS
    "font-src": [SELF],
    "connect-src": [SELF],
    "object-src": [NONE],
    "base-uri": [NONE],
    "frame-ancestors": [NONE],
    "form-action": [SELF, *([IVP_OIDC_ORIGIN] if IVP_OIDC_ORIGIN else [])],
}
if IVP_HTTPS:
    _directives["upgrade-insecure-requests"] = True

CONTENT_SECURITY_POLICY = {"DIRECTIVES": _directives}
