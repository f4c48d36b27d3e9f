#!/usr/bin/env bash
# End-to-end test of the plan page (GET / of `backroads serve`) in real headless Chromium.
#
#   bash tests/page/run.sh                 # from the repository root (CI does this)
#   bash tests/page/run.sh --screenshot    # also rewrites docs/map-page.png (1280x800)
#
# Installs Debian's chromium and chromium-driver when absent, makes a venv (target/page-venv)
# with the pinned selenium + pytest, builds the CLI unless $BACKROADS_BIN names one, and runs
# pytest. Exits non-zero on any failure, including "no test collected".
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ "${1:-}" = "--screenshot" ]; then
  export BACKROADS_PAGE_SCREENSHOT="$PWD/docs/map-page.png"
fi

if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  echo "page test: installing chromium and chromium-driver (Debian)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium chromium-driver >/dev/null
fi

VENV="${PAGE_VENV:-$PWD/target/page-venv}"
if [ ! -x "$VENV/bin/python" ]; then
  if ! python3 -m venv "$VENV" 2>/dev/null; then
    rm -rf "$VENV"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq python3-venv >/dev/null
    /usr/bin/python3 -m venv "$VENV"
  fi
fi
"$VENV/bin/python" -m pip install -q --disable-pip-version-check -r tests/page/requirements.txt

if [ -z "${BACKROADS_BIN:-}" ]; then
  cargo build --release --bin backroads
  export BACKROADS_BIN="${CARGO_TARGET_DIR:-$PWD/target}/release/backroads"
fi

export SE_OFFLINE=true  # Selenium Manager never downloads anything
status=0
"$VENV/bin/python" -m pytest -v -p no:cacheprovider tests/page || status=$?
if [ "$status" -ne 0 ]; then
  echo "page test: FAILED (pytest exit $status)" >&2
  exit 1
fi
