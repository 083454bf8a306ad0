"""The `ivp` console script: Django's management entry point (like manage.py)."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ivp.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line([os.path.basename(sys.argv[0]), *sys.argv[1:]])


if __name__ == "__main__":
    main()
