from django.utils.translation import gettext_lazy as _

from ivp.core.audit.labels import register_actions

register_actions({
    "api_token.create": _("API token created"),
    "api_token.revoke": _("API token revoked"),
    "api_token.use_denied": _("Revoked or expired API token refused"),
})
