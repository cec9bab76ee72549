@echo off
rem kc-excel offline installer for the current Windows user (no administrator rights).
rem Usage: double-click CaiDat.cmd, or: CaiDat.cmd "C:\path\to\python.exe" (64-bit Python 3.11 or 3.12).
rem Writes only %LOCALAPPDATA%\kc-excel (Python environment, log) and %APPDATA%\Microsoft\AddIns (add-in).
rem Every path is quoted: the profile folder may hold spaces and Vietnamese letters.
setlocal EnableExtensions DisableDelayedExpansion
chcp 65001 >nul
set "PYTHONUTF8=1"
set "PYTHONIOENCODING=utf-8"
set "PYTHONNOUSERSITE=1"
set "PIP_NO_INDEX=1"
set "PIP_DISABLE_PIP_VERSION_CHECK=1"
set "PIP_NO_INPUT=1"
set "PIP_NO_CACHE_DIR=1"
set "KC_GOI=%~dp0"
set "KC_NHA=%LOCALAPPDATA%\kc-excel"
set "KC_VENV=%LOCALAPPDATA%\kc-excel\venv"
set "KC_PY=%LOCALAPPDATA%\kc-excel\venv\Scripts\python.exe"
set "KC_LOG=%LOCALAPPDATA%\kc-excel\CaiDat.log"
set "KC_PHIEN_BAN="

echo ================================================================
echo   Cài đặt kc-excel (add-in Khuyến công cho Excel)
echo   Không cần quyền quản trị. Hãy ĐÓNG EXCEL trước khi cài.
echo ================================================================
if not defined LOCALAPPDATA goto :loi_ho_so
if not exist "%KC_GOI%wheelhouse\requirements-win64.lock" goto :loi_giai_nen
if not exist "%KC_GOI%kc_excel.xlam" goto :loi_giai_nen
if not exist "%KC_NHA%\" mkdir "%KC_NHA%"
echo Cài đặt lúc %DATE% %TIME% > "%KC_LOG%"

echo.
echo [1/4] Tìm Python 3.11 hoặc 3.12 (64-bit)...
if not "%~1"=="" goto :python_chi_dinh
py -3.12-64 -c "import sys" >nul 2>&1 && set "KC_PHIEN_BAN=-3.12-64"
py -3.11-64 -c "import sys" >nul 2>&1 && set "KC_PHIEN_BAN=-3.11-64"
if not defined KC_PHIEN_BAN goto :loi_khong_co_python
echo       Dùng Python %KC_PHIEN_BAN:~1,4% (lệnh py %KC_PHIEN_BAN%).
echo [2/4] Tạo môi trường Python riêng cho kc-excel: "%KC_VENV%"
py %KC_PHIEN_BAN% -m venv --clear "%KC_VENV%" >> "%KC_LOG%" 2>&1 || goto :loi_venv
goto :cai_goi

:python_chi_dinh
"%~1" -c "import struct, sys; sys.exit(0 if sys.version_info[:2] in ((3, 11), (3, 12)) and struct.calcsize('P') == 8 else 1)" >> "%KC_LOG%" 2>&1 || goto :loi_python_chi_dinh
echo       Dùng Python: "%~1"
echo [2/4] Tạo môi trường Python riêng cho kc-excel: "%KC_VENV%"
"%~1" -m venv --clear "%KC_VENV%" >> "%KC_LOG%" 2>&1 || goto :loi_venv

:cai_goi
echo [3/4] Cài kc-excel và các thư viện từ thư mục wheelhouse (không cần mạng)...
"%KC_PY%" -m pip install --no-index --no-cache-dir --find-links "%KC_GOI%wheelhouse" --only-binary=:all: --require-hashes -r "%KC_GOI%wheelhouse\requirements-win64.lock" >> "%KC_LOG%" 2>&1 || goto :loi_pip
echo [4/4] Chép add-in vào thư mục Add-in của Excel và chỉ cho add-in dùng Python vừa cài...
"%KC_PY%" -m kc_excel.addin.caidat --addin "%KC_GOI%kc_excel.xlam" || goto :loi_addin
echo.
echo ĐÃ CÀI XONG. Mở Excel: thẻ "Khuyến công" xuất hiện sau khi đánh dấu Kc_excel như trên.
echo Gỡ cài đặt: bấm đúp GoCaiDat.cmd. Nhật ký cài đặt: "%KC_LOG%"
pause
endlocal
exit /b 0

:loi_ho_so
echo LỖI: Windows không cho biết thư mục %%LOCALAPPDATA%% của người dùng. Gọi cán bộ IT.
goto :ket_thuc_loi
:loi_giai_nen
echo LỖI: Thiếu tệp của gói cài đặt cạnh CaiDat.cmd (thư mục wheelhouse, kc_excel.xlam).
echo Hãy GIẢI NÉN CẢ tệp .zip (chuột phải ^> Extract All / Giải nén tất cả) rồi bấm đúp CaiDat.cmd
echo trong thư mục vừa giải nén, không chạy thẳng từ trong tệp .zip.
goto :ket_thuc_loi
:loi_khong_co_python
echo LỖI: Không tìm thấy Python 3.11 hoặc 3.12 bản 64-bit trên máy.
echo Cách sửa: cài Python 3.11 (64-bit) từ python.org, chọn "Install for me only" (không cần quyền
echo quản trị) và để nguyên lựa chọn "py launcher"; rồi bấm đúp lại CaiDat.cmd.
echo Nếu Python đã có ở chỗ khác: CaiDat.cmd "C:\đường\dẫn\python.exe"
goto :ket_thuc_loi
:loi_python_chi_dinh
echo LỖI: "%~1" không phải Python 3.11/3.12 bản 64-bit chạy được.
goto :ket_thuc_loi
:loi_venv
echo LỖI: Không tạo được môi trường Python ở "%KC_VENV%". Đóng Excel (và cửa sổ Python đang chạy) rồi thử lại.
goto :ket_thuc_loi
:loi_pip
echo LỖI: Không cài được các gói từ thư mục wheelhouse. Gói cài đặt có thể bị hỏng khi tải về:
echo tải lại tệp .zip, giải nén lại rồi chạy lại CaiDat.cmd.
goto :ket_thuc_loi
:loi_addin
echo LỖI: Không chép được add-in (xem thông báo ở trên).
goto :ket_thuc_loi

:ket_thuc_loi
echo Chi tiết kỹ thuật trong nhật ký: "%KC_LOG%". Nếu cần, gửi tệp này cho cán bộ IT.
pause
endlocal
exit /b 1
