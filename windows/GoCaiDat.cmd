@echo off
rem kc-excel uninstaller for the current Windows user: removes what CaiDat.cmd wrote,
rem %LOCALAPPDATA%\kc-excel and the add-in in %APPDATA%\Microsoft\AddIns (and XLSTART), nothing else.
setlocal EnableExtensions DisableDelayedExpansion
chcp 65001 >nul
set "KC_NHA=%LOCALAPPDATA%\kc-excel"
set "KC_ADDIN=%APPDATA%\Microsoft\AddIns\kc_excel.xlam"
set "KC_XLSTART=%APPDATA%\Microsoft\Excel\XLSTART\kc_excel.xlam"

echo ================================================================
echo   Gỡ cài đặt kc-excel (add-in Khuyến công)
echo   Trước khi gỡ: mở Excel ^> Tệp ^> Tùy chọn ^> Bổ trợ ^> Đi... ^> bỏ dấu Kc_excel ^> OK,
echo   rồi ĐÓNG EXCEL. Bấm phím bất kỳ để gỡ, hoặc đóng cửa sổ này để thôi.
echo ================================================================
pause
if not defined LOCALAPPDATA goto :loi
if not defined APPDATA goto :loi
if exist "%KC_ADDIN%" del /f /q "%KC_ADDIN%"
if exist "%KC_XLSTART%" del /f /q "%KC_XLSTART%"
if exist "%KC_NHA%\" rmdir /s /q "%KC_NHA%"
if exist "%KC_ADDIN%" goto :con_tep
if exist "%KC_NHA%\" goto :con_tep
echo ĐÃ GỠ XONG: đã xóa add-in và thư mục "%KC_NHA%".
pause
endlocal
exit /b 0

:con_tep
echo LỖI: Còn tệp chưa xóa được (Excel đang mở?). Đóng Excel rồi bấm đúp lại GoCaiDat.cmd.
pause
endlocal
exit /b 1
:loi
echo LỖI: Windows không cho biết thư mục của người dùng (LOCALAPPDATA/APPDATA). Gọi cán bộ IT.
pause
endlocal
exit /b 1
