"""Static files. NL Design System CSS, its theme's fonts (Noto Sans, Noto Serif: @fontsource) and htmx come from npm
(node_modules) and are served from our own origin; no CDN (ADR 0018).

Environment variables:
- IVP_STATIC_ROOT: where `ivp collectstatic` puts files for the web server (default ./staticfiles).
"""

import os

from .env import BASE_DIR

STATIC_URL = "/static/"
STATIC_ROOT = os.environ.get("IVP_STATIC_ROOT") or BASE_DIR / "staticfiles"

_NODE = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    ("vendor/utrecht-css", _NODE / "@utrecht" / "component-library-css" / "dist"),
    ("vendor/nlds-tokens", _NODE / "@nl-design-system-unstable" / "voorbeeld-design-tokens" / "dist"),
    ("vendor/htmx", _NODE / "htmx.org" / "dist"),
    ("vendor/fonts/noto-sans", _NODE / "@fontsource" / "noto-sans" / "files"),
    ("vendor/fonts/noto-serif", _NODE / "@fontsource" / "noto-serif" / "files"),
]
