Attribute VB_Name = "SelfTest"
' Self-test of the add-in's own VBA, run by LibreOffice headless in
' tests/test_addin_build.py through the macro URL
' vnd.sun.star.script:VBAProject.SelfTest.Run?language=Basic&location=document
' (it also runs in Excel's VBA editor). It writes one key=value line per check
' to the file named by the environment variable KC_SELFTEST_OUT and does
' nothing when that variable is empty. Unicode results are written as hex;
' msg_<key> is each message of macros/thong_diep.tsv as the add-in rebuilds it.
' (Names.Add is not checked here: LibreOffice needs a visible window for it.)
Option Explicit

Sub Run()
    Dim path As String, f As Integer
    path = Environ("KC_SELFTEST_OUT")
    If path = "" Then Exit Sub
    f = FreeFile
    Open path For Output As #f
    Print #f, "u=" & KcHex(U("\u0110\u1ed3ng Nai"))
    Print #f, "title=" & KcHex(U(KC_TITLE))
    Print #f, "hex=" & KcHexValue("1ed3")
    Print #f, "refers_to=" & KcRefersTo("C:\Ke hoach ""2026""")
    Print #f, "settings_sheet=" & KcHasSheet("xlwings.conf")
    Print #f, "no_sheet=" & KcHasSheet("Nope")
    Dim danhSach As Variant, i As Long
    danhSach = KcThongDiepKhoa()
    For i = LBound(danhSach) To UBound(danhSach)
        Print #f, "msg_" & danhSach(i) & "=" & KcHex(KcThongDiep(CStr(danhSach(i))))
    Next i
    Print #f, "done=1"
    Close #f
End Sub
