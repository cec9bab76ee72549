Attribute VB_Name = "KcTienIch"
' Helpers of the Khuyen cong ribbon callbacks (KhuyenCong.bas): Vietnamese text,
' Excel dialogs, and the hidden workbook names through which a callback hands
' the user's choices to Python.
'
' The VBA project keeps its source in a Windows code page that cannot hold
' Vietnamese, so every .bas file of kc-excel is ASCII: Vietnamese text is written
' with \uXXXX escapes and decoded at run time by U().
'
' RunPython commands never carry paths or other text typed by the user (text
' spliced into a Python command could run code). A callback stores the user's
' choices as hidden names of the active workbook (KC_THU_MUC, KC_TINH, KC_NAM,
' KC_DEN_THANG, KC_TEP_KET_QUA); kc_excel.ribbon reads them through xlwings and
' deletes them.
Option Explicit

Public Const KC_TITLE As String = "Khuy\u1ebfn c\u00f4ng"

Public Function U(ByVal text As String) As String
    ' Decode \uXXXX escapes: U("\u0110\u1ed3ng Nai") is "Dong Nai" with its marks.
    Dim result As String, i As Long
    i = 1
    Do While i <= Len(text)
        If Mid$(text, i, 2) = "\u" And i + 5 <= Len(text) Then
            result = result & ChrW(KcHexValue(Mid$(text, i + 2, 4)))
            i = i + 6
        Else
            result = result & Mid$(text, i, 1)
            i = i + 1
        End If
    Loop
    U = result
End Function

Public Function KcHexValue(ByVal digits As String) As Long
    ' "1ed3" -> 7891, without relying on Val("&H...") (LibreOffice runs this too).
    Dim i As Long, value As Long
    For i = 1 To Len(digits)
        value = value * 16 + InStr(1, "0123456789abcdef", LCase$(Mid$(digits, i, 1))) - 1
    Next i
    KcHexValue = value
End Function

Public Function KcHex(ByVal text As String) As String
    ' The UTF-16 code units of text as hex, space separated (used by SelfTest).
    Dim i As Long, parts As String
    For i = 1 To Len(text)
        If i > 1 Then parts = parts & " "
        parts = parts & Right$("000" & Hex$(AscW(Mid$(text, i, 1))), 4)
    Next i
    KcHex = parts
End Function

Public Function KcRefersTo(ByVal value As String) As String
    ' The RefersTo formula of a name holding a text constant: ="C:\a ""b"""
    KcRefersTo = "=""" & Replace(value, """", """""") & """"
End Function

Public Sub KcSetName(ByVal key As String, ByVal value As String)
    ActiveWorkbook.Names.Add Name:=key, RefersTo:=KcRefersTo(value), Visible:=False
End Sub

Public Function KcBao(ByVal khoa As String, Optional ByVal kieu As Long = 64, Optional ByVal them As String = "") As Long
    ' Shows message khoa of macros/thong_diep.tsv (module ThongDiep), then them;
    ' kieu is the icon: 64 = vbInformation, 16 = vbCritical.
    ' WScript.Shell's Popup takes Unicode; VBA's MsgBox would turn every Vietnamese
    ' letter outside the Windows code page into "?".
    Dim text As String
    text = KcThongDiep(khoa)
    If them <> "" Then text = text & vbCrLf & vbCrLf & them
    KcBao = CreateObject("WScript.Shell").Popup(text, 0, U(KC_TITLE), kieu)
End Function

Public Function KcHasWorkbook() As Boolean
    If ActiveWorkbook Is Nothing Then
        KcBao "chua-mo-so"
        KcHasWorkbook = False
    Else
        KcHasWorkbook = True
    End If
End Function

Public Function KcHasSheet(ByVal sheetName As String) As Boolean
    Dim sh As Object
    For Each sh In ActiveWorkbook.Worksheets
        If sh.Name = sheetName Then
            KcHasSheet = True
            Exit Function
        End If
    Next sh
    KcHasSheet = False
End Function

Public Function KcPickFolder(ByVal title As String) As String
    ' Excel's folder picker (msoFileDialogFolderPicker = 4); "" when cancelled.
    With Application.FileDialog(4)
        .Title = title
        .AllowMultiSelect = False
        If .Show = -1 Then KcPickFolder = .SelectedItems(1)
    End With
End Function

Public Function KcPickFile(ByVal title As String) As String
    ' Excel's file picker (msoFileDialogFilePicker = 3); "" when cancelled.
    With Application.FileDialog(3)
        .Title = title
        .AllowMultiSelect = False
        .Filters.Clear
        .Filters.Add "Excel", "*.xlsx;*.xlsm;*.xls;*.ods"
        If .Show = -1 Then KcPickFile = .SelectedItems(1)
    End With
End Function

Public Function KcAsk(ByVal prompt As String, ByVal default As String) As String
    ' Excel's own input box (Application.InputBox, Type 2 = text); "" when cancelled.
    Dim answer As Variant
    answer = Application.InputBox(prompt, U(KC_TITLE), default, Type:=2)
    If VarType(answer) = vbBoolean Then
        KcAsk = ""
    Else
        KcAsk = Trim$(CStr(answer))
    End If
End Function
