#!/usr/bin/env bash
# `make demo`: the main jobs on the shipped examples in workbooks/examples, outputs in build/.
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
KC=.venv/bin/kc-excel
PY=.venv/bin/python
mkdir -p "$BUILD"
step() { printf '\n== %s\n' "$*"; }
