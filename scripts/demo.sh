#!/usr/bin/env bash
# `make demo`: the main jobs on the shipped examples in workbooks/examples, outputs in build/.
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
KC=.venv/bin/kc-excel
PY=.venv/bin/python
mkdir -p "$BUILD"
step() { printf '\n== %s\n' "$*"; }
export KC_EXCEL_CONFIG="$BUILD/config"   # the demo keeps its signing key out of the user's config

step "Biểu mẫu → $BUILD/templates"
$KC template registration --province "Đồng Nai" --unit "Phước Long" --year 2026 -o "$BUILD/templates/DangKy_2026_Phuoc-Long.xlsx"
$KC template registration --province "Đồng Nai" --year 2026 --all -o "$BUILD/templates/dang-ky-2026"
$KC template registration --province "Đồng Nai" --year 2022 --all --level district \
    --contacts workbooks/examples/danh-ba/DanhBa_DongNai_huyen.xlsx --deadline 2021-05-20 \
    -o "$BUILD/templates/dang-ky-2022-huyen"
$KC template programme --province "Đồng Nai" --from-year 2026 --to-year 2030 -o "$BUILD/templates/ChuongTrinh_2026-2030.xlsx"
$KC template results --province "Đồng Nai" -o "$BUILD/templates/KetQua.xlsx"

step "Thông tin đơn vị (khung văn bản: cơ quan, người ký) → $BUILD/DonVi.xlsx"
$KC template profile -o "$BUILD/DonVi.xlsx"
$KC profile use "$BUILD/DonVi.xlsx"   # nhớ trong $KC_EXCEL_CONFIG của bản demo, không phải của người dùng

step "Ví dụ → $BUILD/examples"
$PY scripts/make_examples.py "$BUILD/examples"

step "Kiểm tra phiếu mẫu hợp lệ (mã thoát 0)"
$KC validate $(ls workbooks/examples/DangKy_2022_*.xlsx | grep -v _loi) workbooks/examples/ChuongTrinh_*.xlsx workbooks/examples/KetQua_*.xlsx
echo "mã thoát: $?"
step "Phiếu có lỗi: bảng lỗi + bản đánh dấu → $BUILD/"
$KC validate workbooks/examples/DangKy_2022_738_Huyen-Thong-Nhat_loi.xlsx --annotate "$BUILD/DangKy_2022_738_danh-dau.xlsx"
echo "mã thoát: $? (1 = có lỗi trong dữ liệu)"
$KC validate --json workbooks/examples/*.xlsx > "$BUILD/kiem-tra.json"
echo "mã thoát: $?; báo cáo JSON: $BUILD/kiem-tra.json"

step "Tổng hợp kế hoạch 2022 của các huyện Đồng Nai (trước 2025) → $BUILD/KeHoach_DongNai_2022.xlsx"
$KC consolidate workbooks/examples --province "Đồng Nai" --year 2022 --level district \
    -o "$BUILD/KeHoach_DongNai_2022.xlsx" --no-cache --profile "$BUILD/DonVi.xlsx" --pdf
echo "mã thoát: $? (1 vì phiếu mẫu có lỗi của Huyện Thống Nhất bị từ chối)"

step "Đợt thu phiếu 2022 (sổ theo dõi) → $BUILD/dot-2022"
DOT="$BUILD/dot-2022"
rm -rf "$DOT"
DEADLINE=$($PY -c 'import datetime; print(datetime.date.today() + datetime.timedelta(days=14))')
$KC round open "$DOT" --province "Đồng Nai" --year 2022 --deadline "$DEADLINE" --level district --by "demo"
$KC round receive "$DOT" workbooks/examples/DangKy_2022_*.xlsx --by "demo"
echo "mã thoát: $? (1 vì phiếu của Huyện Thống Nhất có lỗi)"
$KC round accept "$DOT" --unit "Tân Phú" --by "Trưởng phòng"
$KC round accept "$DOT" --unit 739 --by "Trưởng phòng"
$KC round remind "$DOT" -o "$DOT/thu-nhac" --contacts workbooks/examples/danh-ba/DanhBa_DongNai_huyen.xlsx --by "demo"
$KC round plan "$DOT" -o "$DOT/KeHoach_2022_tu-dot.xlsx" --by "demo"
$KC round status "$DOT"

step "Đánh giá thực hiện Chương trình khuyến công Đồng Nai 2021-2025 đến 12/2023"
$KC attainment --programme workbooks/examples/ChuongTrinh_DongNai_2021-2025.xlsx \
    --results workbooks/examples/KetQua_DongNai_2021-2023.xlsx --as-of 2023-12 \
    --plan "$BUILD/KeHoach_DongNai_2022.xlsx" -o "$BUILD/DanhGia_DongNai_2023-12.xlsx" --pdf
echo "mã thoát: $?"

step "PDF của phiếu đăng ký (mọi bảng tính do kc-excel ghi) → $BUILD/templates/DangKy_2026_Phuoc-Long.pdf"
$KC pdf "$BUILD/templates/DangKy_2026_Phuoc-Long.xlsx"
echo "mã thoát: $?"

step "Add-in Excel → $BUILD/addin"
$KC addin build -o "$BUILD/addin"

step "Gói cài đặt ngoại tuyến cho Windows (make bundle, không chạy trong demo vì cần tải ~90 MB từ PyPI)"
VERSION=$($PY -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
printf '  %s\n' \
    "Lệnh:   make bundle   (= $PY scripts/bundle.py --dist dist --cache $BUILD/bundle-cache)" \
    "Ghi ra: dist/kc-excel-$VERSION-win64.zip" \
    "Gồm:    wheelhouse/ (kc-excel + mọi thư viện, wheel Windows 64-bit cho Python 3.11 và 3.12," \
    "        ghim bằng SHA-256 trong wheelhouse/requirements-win64.lock), kc_excel.xlam," \
    "        CaiDat.cmd, GoCaiDat.cmd, HuongDanSuDung.pdf" \
    "Bộ nhớ tạm các wheel đã tải: $BUILD/bundle-cache (lần sau dựng không cần mạng)"

step "Kết quả của make demo (outputs)"
printf '  %s\n' \
    "$BUILD/templates/                      biểu mẫu đăng ký, chương trình, kết quả; thư nháp .eml" \
    "$BUILD/examples/                       ví dụ Đồng Nai tạo lại từ scripts/make_examples.py" \
    "$BUILD/DangKy_2022_738_danh-dau.xlsx   bản đánh dấu lỗi của phiếu có lỗi" \
    "$BUILD/kiem-tra.json                   báo cáo kiểm tra dạng JSON" \
    "$BUILD/DonVi.xlsx                      thông tin đơn vị cho khung văn bản (sửa rồi: kc-excel profile use)" \
    "$BUILD/KeHoach_DongNai_2022.xlsx|.pdf  kế hoạch tỉnh đã tổng hợp, trang đầu là văn bản để ký" \
    "$BUILD/dot-2022/SoTheoDoi.xlsx         sổ theo dõi đợt thu phiếu (tình trạng, các lần nộp, nhật ký)" \
    "$BUILD/DanhGia_DongNai_2023-12.xlsx|.pdf báo cáo đánh giá thực hiện chương trình" \
    "$BUILD/addin/kc_excel.xlam             add-in Excel"
