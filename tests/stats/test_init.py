"""The package: public API, and no Django / numpy / scipy at run time."""

import subprocess
import sys

import ivp.stats


def test_public_api_is_importable():
    for name in ivp.stats.__all__:
        assert hasattr(ivp.stats, name), name
    assert ivp.stats.exact_interval(0)[0] == 0.0


def test_importing_the_package_pulls_in_only_the_standard_library():
    code = (
        "import sys, ivp.stats\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'django', 'numpy', 'scipy'})\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)  # noqa: S603 (fixed argv)
    assert result.stdout.strip() == ""
