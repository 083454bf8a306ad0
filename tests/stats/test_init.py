"""The package: public API, and no Django at run time (numpy and scipy are its dependencies since issue 12)."""

import subprocess
import sys

import ivp.stats


def test_public_api_is_importable():
    for name in ivp.stats.__all__:
        assert hasattr(ivp.stats, name), name
    assert ivp.stats.exact_interval(0)[0] == 0.0


def test_importing_the_package_does_not_pull_in_django():
    code = (
        "import sys, ivp.stats\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'django')\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)  # noqa: S603 (fixed argv)
    assert result.stdout.strip() == ""
