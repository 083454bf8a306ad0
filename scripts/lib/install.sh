#!/usr/bin/env bash
# Shared install step for scripts/run and scripts/test: creates .venv, installs the locked
# Python dependencies (hash-checked) and the project, and the npm front-end assets.
# Safe to re-run: each step is skipped when its inputs did not change.
set -euo pipefail
cd "$(dirname "$0")/../.."

PYTHON="${IVP_PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "==> Creating virtualenv .venv"
  "$PYTHON" -m venv .venv
fi

stamp=.venv/.ivp-installed
lock_sum=$(cat requirements/lock.txt pyproject.toml | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_sum" ]; then
  echo "==> Installing Python dependencies (requirements/lock.txt, hash-checked)"
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet --require-hashes -r requirements/lock.txt
  .venv/bin/python -m pip install --quiet --no-deps -e .
  echo "$lock_sum" > "$stamp"
fi

npm_stamp=node_modules/.ivp-installed
npm_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$npm_stamp" ] || [ "$(cat "$npm_stamp")" != "$npm_sum" ]; then
  echo "==> Installing front-end assets (npm ci, package-lock.json)"
  npm ci --silent --no-audit --no-fund
  echo "$npm_sum" > "$npm_stamp"
fi

# The compiled catalogue (.mo) is committed, so GNU gettext is optional; when it is present the
# catalogue is recompiled from the .po (tests/test_translations.py checks that the two agree).
if command -v msgfmt >/dev/null 2>&1; then
  (cd src/ivp && ../../.venv/bin/ivp compilemessages -v 0)
fi
