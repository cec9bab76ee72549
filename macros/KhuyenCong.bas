Attribute VB_Name = "KhuyenCong"
' Callbacks of the "Khuyen cong" ribbon tab (macros/customUI14.xml): one Sub per
' button. Each collects the user's choices with Excel dialogs (KcTienIch.bas),
' stores them as hidden names of the active workbook, and calls ONE Python
' function of kc_excel.ribbon through xlwings' RunPython (xlwings.bas). The
' Python side reads the active workbook with xw.Book.caller().
Option Explicit

Sub KcKiemTraSo(control As IRibbonControl)
    If Not KcHasWorkbook() Then Exit Sub
    RunPython "import kc_excel.ribbon; kc_excel.ribbon.kiem_tra_so()"
End Sub

Sub KcXoaDanhDau(control As IRibbonControl)
    If Not KcHasWorkbook() Then Exit Sub
    RunPython "import kc_excel.ribbon; kc_excel.ribbon.xoa_danh_dau()"
End Sub

Sub KcTongHopThuMuc(control As IRibbonControl)
    Dim folder As String, tinh As String, nam As String
    folder = KcPickFolder(U("Ch\u1ecdn th\u01b0 m\u1ee5c ch\u1ee9a c\u00e1c phi\u1ebfu \u0111\u0103ng k\u00fd \u0111\u00e3 nh\u1eadn"))
    If folder = "" Then Exit Sub
    tinh = KcAsk(U("T\u1ec9nh (t\u00ean ho\u1eb7c m\u00e3), v\u00ed d\u1ee5: \u0110\u1ed3ng Nai"), "")
    If tinh = "" Then Exit Sub
    nam = KcAsk(U("N\u0103m k\u1ebf ho\u1ea1ch"), CStr(Year(Date) + 1))
    If nam = "" Then Exit Sub
    If ActiveWorkbook Is Nothing Then Workbooks.Add
    KcSetName "KC_THU_MUC", folder
    KcSetName "KC_TINH", tinh
    KcSetName "KC_NAM", nam
    RunPython "import kc_excel.ribbon; kc_excel.ribbon.tong_hop_thu_muc()"
End Sub

Sub KcTinhTyLeDat(control As IRibbonControl)
    Dim denThang As String, tep As String
    If Not KcHasWorkbook() Then Exit Sub
    denThang = KcAsk(U("\u0110\u00e1nh gi\u00e1 \u0111\u1ebfn th\u00e1ng (YYYY-MM), v\u00ed d\u1ee5 2023-12"), Format$(Date, "yyyy-mm"))
    If denThang = "" Then Exit Sub
    KcSetName "KC_DEN_THANG", denThang
    If Not KcHasSheet(U("K\u1ebft qu\u1ea3")) Then
        tep = KcPickFile(U("Ch\u1ecdn t\u1ec7p k\u1ebft qu\u1ea3 th\u1ef1c hi\u1ec7n (b\u1ea3ng KetQua)"))
        If tep = "" Then Exit Sub
        KcSetName "KC_TEP_KET_QUA", tep
    End If
    RunPython "import kc_excel.ribbon; kc_excel.ribbon.tinh_ty_le_dat()"
End Sub

Sub KcTaoPhieuDangKy(control As IRibbonControl)
    Dim folder As String, tinh As String, nam As String
    tinh = KcAsk(U("T\u1ec9nh (t\u00ean ho\u1eb7c m\u00e3), v\u00ed d\u1ee5: \u0110\u1ed3ng Nai"), "")
    If tinh = "" Then Exit Sub
    nam = KcAsk(U("N\u0103m k\u1ebf ho\u1ea1ch"), CStr(Year(Date) + 1))
    If nam = "" Then Exit Sub
    folder = KcPickFolder(U("Ch\u1ecdn th\u01b0 m\u1ee5c l\u01b0u c\u00e1c phi\u1ebfu \u0111\u0103ng k\u00fd"))
    If folder = "" Then Exit Sub
    If ActiveWorkbook Is Nothing Then Workbooks.Add
    KcSetName "KC_THU_MUC", folder
    KcSetName "KC_TINH", tinh
    KcSetName "KC_NAM", nam
    RunPython "import kc_excel.ribbon; kc_excel.ribbon.tao_phieu_dang_ky()"
End Sub

Sub KcNhanPhieuDot(control As IRibbonControl)
    ' Files (several, or saved .eml) received into the round folder of this workbook.
    Dim tep As String, i As Long
    If Not KcRoundChosen() Then Exit Sub
    With Application.FileDialog(3)
        .Title = U("Ch\u1ecdn c\u00e1c phi\u1ebfu (ho\u1eb7c th\u01b0 .eml) \u0111\u00e3 nh\u1eadn")
        .AllowMultiSelect = True
        .Filters.Clear
        .Filters.Add "Excel, e-mail", "*.xlsx;*.xlsm;*.xls;*.ods;*.eml"
        If .Show <> -1 Then Exit Sub
        For i = 1 To .SelectedItems.Count
            tep = tep & .SelectedItems(i) & "|"
        Next i
    End With
    KcSetName "KC_TEP_NHAN", tep
    RunPython "import kc_excel.ribbon; kc_excel.ribbon.nhan_phieu_dot()"
End Sub

Sub KcSoTheoDoiDot(control As IRibbonControl)
    If Not KcRoundChosen() Then Exit Sub
    RunPython "import kc_excel.ribbon; kc_excel.ribbon.so_theo_doi_dot()"
End Sub

Private Function KcRoundChosen() As Boolean
    ' The round folder is remembered in the workbook (hidden name KC_DOT), asked once.
    Dim dot As String, n As Name
    If ActiveWorkbook Is Nothing Then Workbooks.Add
    For Each n In ActiveWorkbook.Names
        If n.Name = "KC_DOT" Then KcRoundChosen = True: Exit Function
    Next n
    dot = KcPickFolder(U("Ch\u1ecdn th\u01b0 m\u1ee5c \u0111\u1ee3t thu phi\u1ebfu (\u0111\u00e3 m\u1edf b\u1eb1ng kc-excel round open)"))
    If dot = "" Then Exit Function
    KcSetName "KC_DOT", dot
    KcRoundChosen = True
End Function

Sub KcHuongDan(control As IRibbonControl)
    If ActiveWorkbook Is Nothing Then Workbooks.Add
    RunPython "import kc_excel.ribbon; kc_excel.ribbon.huong_dan()"
End Sub

Sub KcNapCongThuc(control As IRibbonControl)
    ' Registers the KC_* formulas of kc_excel.udfs (xlwings "Import Functions",
    ' UDF MODULES in the add-in's xlwings.conf sheet). Needs "Trust access to the
    ' VBA project object model" once (Trust Center > Macro Settings).
    ImportPythonUDFsToAddin
End Sub
