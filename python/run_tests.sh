#!/usr/bin/env bash
# Builds the backroads Python package and runs its tests (what CI runs):
#
#   bash python/run_tests.sh
#
# 1. a virtualenv ($BACKROADS_VENV, default ${TMPDIR:-/tmp}/backroads-python-venv,
#    kept between runs) with maturin, pytest, numpy and ray (pinned: $BACKROADS_RAY_VERSION,
#    default 2.60.0; a first install takes about 12 s and 285 MB; BACKROADS_RAY=0 leaves it out and
#    the Ray tests skip) from PyPI;
# 2. a release wheel built by maturin into a temporary folder (its size and
#    build time are printed), compiled in the root's target/ (CARGO_TARGET_DIR)
#    so that the dependencies the root crate already compiled are reused, and
#    installed into the venv;
# 3. the CLI, for the round-trip test: $BACKROADS_BIN, else target/release/backroads
#    (built with cargo build --release --bin backroads);
# 4. rustfmt and clippy (-D warnings) on python/ (BACKROADS_PY_LINT=0 skips them);
# 5. pytest on python/tests. Exits non-zero when anything fails, and when no test ran.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

python="${PYTHON:-python3}"
venv="${BACKROADS_VENV:-${TMPDIR:-/tmp}/backroads-python-venv}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"

if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import sys' 2>/dev/null; then
    echo "python: creating the venv $venv"
    rm -rf "$venv"
    "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "maturin>=1.9,<2" pytest numpy
if [ "${BACKROADS_RAY:-1}" != 0 ]; then
    # The Ray tests (python/tests/test_ray.py) start a local 2-CPU cluster.
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "ray==${BACKROADS_RAY_VERSION:-2.60.0}"
    export BACKROADS_REQUIRE_RAY=1
fi

wheels="$(mktemp -d "${TMPDIR:-/tmp}/backroads-wheel.XXXXXX")"
trap 'rm -rf "$wheels"' EXIT
start=$(date +%s%N)
"$venv/bin/maturin" build --release --quiet --manifest-path python/Cargo.toml \
    --interpreter "$venv/bin/python" --out "$wheels"
end=$(date +%s%N)
wheel="$(ls "$wheels"/*.whl)"
size=$(stat -c %s "$wheel")
awk -v n="$(basename "$wheel")" -v s="$size" -v t="$(( (end - start) / 1000000 ))" \
    'BEGIN { printf "python: built %s: %d bytes (%.1f MiB) in %.1f s\n", n, s, s / 1048576, t / 1000 }'
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$wheel"

if [ -z "${BACKROADS_BIN:-}" ]; then
    cargo build --release --quiet --bin backroads
    export BACKROADS_BIN="$CARGO_TARGET_DIR/release/backroads"
fi
if [ "${BACKROADS_PY_LINT:-1}" != 0 ]; then
    cargo fmt --manifest-path python/Cargo.toml -- --check
    cargo clippy --quiet --manifest-path python/Cargo.toml --all-targets -- -D warnings
fi

# The numpy test must run here, not skip.
export BACKROADS_REQUIRE_NUMPY=1

set +e
"$venv/bin/python" -m pytest python/tests -q -p no:cacheprovider
status=$?
set -e
if [ "$status" -eq 5 ]; then
    echo "python: no test ran" >&2
    exit 1
fi
exit "$status"
