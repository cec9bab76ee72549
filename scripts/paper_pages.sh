#!/usr/bin/env bash
# `make paper-pages`: render what a centre prints (the plan's first pages, the attainment report, the
# registration template) from the shipped examples, to PNG pages under docs/paper/ for the README.
# Needs LibreOffice and pdftoppm (poppler-utils): `make libreoffice` installs both.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
OUT=docs/paper
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export KC_EXCEL_CONFIG="$WORK/config" KC_EXCEL_CACHE_DIR="$WORK/cache"
KC() { "$PY" -m kc_excel "$@"; }
mkdir -p "$OUT"

KC template profile -o "$WORK/DonVi.xlsx"
KC consolidate workbooks/examples --province "Đồng Nai" --year 2022 --level district --no-cache \
    --profile "$WORK/DonVi.xlsx" -o "$WORK/KeHoach.xlsx" --pdf >/dev/null || true   # exit 1: one file rejected
KC attainment --programme workbooks/examples/ChuongTrinh_DongNai_2021-2025.xlsx \
    --results workbooks/examples/KetQua_DongNai_2021-2023.xlsx --as-of 2023-12 --plan "$WORK/KeHoach.xlsx" \
    --profile "$WORK/DonVi.xlsx" -o "$WORK/DanhGia.xlsx" --pdf >/dev/null
KC pdf workbooks/examples/DangKy_2022_734_Huyen-Tan-Phu.xlsx -o "$WORK/DangKy.pdf"

rm -f "$OUT"/*.png
pdftoppm -r 80 -png -f 1 -l 3 "$WORK/KeHoach.pdf" "$OUT/ke-hoach"
pdftoppm -r 80 -png -f 1 -l 1 "$WORK/DanhGia.pdf" "$OUT/danh-gia"
pdftoppm -r 80 -png -f 1 -l 1 "$WORK/DangKy.pdf" "$OUT/dang-ky"
ls "$OUT"
