"""Language and time. Dutch is the default language; English is available.

No environment variables.
"""

from django.utils.translation import gettext_lazy as _

from .env import PACKAGE_DIR

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True
