# ruff: noqa: I001  (includes are applied in the order listed)
"""IVP settings, assembled from small includes.

Every environment variable is read in exactly one include and documented there and in
docs/configuration.md. The includes are applied in order; later ones may use earlier values.
"""

from .env import *  # noqa: F401,F403  (paths, IVP_ENV)
from .core import *  # noqa: F401,F403
from .database import *  # noqa: F401,F403
from .security import *  # noqa: F401,F403
from .auth import *  # noqa: F401,F403
from .csp import *  # noqa: F401,F403
from .i18n import *  # noqa: F401,F403
from .static import *  # noqa: F401,F403
from .logging import *  # noqa: F401,F403
from .cache import *  # noqa: F401,F403
from .ivp import *  # noqa: F401,F403
from .email import *  # noqa: F401,F403
from .tasks import *  # noqa: F401,F403
from .api import *  # noqa: F401,F403
