"""Issues: problems found in the data, as values (never exceptions).

Each issue has a stable kebab-case ``code`` (contract §6), a severity, a
position in Excel terms (file, sheet, A1 cell, 1-based row, column header) and
a message in Vietnamese (English with ``--lang en``) that says what is wrong
and how to fix it. The message is built from the code's ``title`` and ``fix``
plus the ``detail`` the rule supplies, e.g.::

    Tổng kinh phí không bằng tổng các nguồn: 150 ≠ 100 + 40 + 0 + 0 = 140.
    Sửa Tổng kinh phí hoặc các nguồn cho khớp.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, Iterable, Sequence

from kc_excel.i18n import get_lang, tr


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Code:
    code: str
    severity: Severity
    title_vi: str
    fix_vi: str
    title_en: str
    fix_en: str
    file_level: bool = False


CODES: dict[str, Code] = {}


def _code(code: str, severity: Severity, title_vi: str, fix_vi: str, title_en: str, fix_en: str,
          *, file_level: bool = False) -> None:
    CODES[code] = Code(code, severity, title_vi, fix_vi, title_en, fix_en, file_level)


E, W = Severity.ERROR, Severity.WARNING
# --- the file as a whole -------------------------------------------------------
_code("file-unreadable", E, "Không đọc được tệp", "Mở tệp bằng Excel, lưu lại dạng .xlsx rồi gửi lại.",
      "The file cannot be read", "Open it in Excel, save it as .xlsx and send it again.", file_level=True)
_code("file-check-failed", E, "kc-excel gặp lỗi khi kiểm tra tệp này (lỗi của chương trình, không phải của tệp)",
      "Gửi tệp và thông báo này cho người quản trị kc-excel; các tệp khác vẫn được tổng hợp.",
      "kc-excel failed while checking this file (a defect of the program, not of the file)",
      "Send the file and this message to the kc-excel administrator; the other files are still consolidated.",
      file_level=True)
_code("file-not-found", E, "Không tìm thấy tệp", "Kiểm tra lại tên tệp và thư mục (gõ đủ đường dẫn và đuôi, ví dụ .xlsx).",
      "File not found", "Check the file name and folder (the full path and the extension, e.g. .xlsx).", file_level=True)
_code("file-encrypted", E, "Tệp có mật khẩu", "Gỡ mật khẩu (Tệp > Thông tin > Bảo vệ sổ làm việc) rồi gửi lại.",
      "The file is password-protected", "Remove the password (File > Info > Protect Workbook) and send it again.", file_level=True)
_code("file-corrupt", E, "Tệp bị hỏng", "Mở tệp bằng Excel để sửa, lưu lại dạng .xlsx rồi gửi lại.",
      "The file is corrupt", "Open it in Excel to repair it, save as .xlsx and send it again.", file_level=True)
_code("file-unsupported-format", E, "Định dạng tệp không được hỗ trợ", "Lưu tệp dạng .xlsx (hoặc .xls, .ods) rồi gửi lại.",
      "Unsupported file format", "Save the file as .xlsx (or .xls, .ods) and send it again.", file_level=True)
_code("file-too-large", E, "Tệp quá lớn hoặc bung ra quá lớn", "Xóa các trang tính, ô thừa rồi lưu lại; chỉ giữ biểu mẫu đăng ký.",
      "The file is too large or expands too much", "Delete extra sheets and cells and keep only the form.", file_level=True)
_code("file-ambiguous", E, "Tệp có các phần trùng tên, không xác định được nội dung thật",
      "Mở tệp bằng Excel, lưu lại dạng .xlsx rồi gửi lại.",
      "The file holds duplicate parts; its real content is ambiguous", "Open it in Excel, save as .xlsx and send it again.", file_level=True)
_code("not-a-kc-workbook", E, "Không phải biểu mẫu khuyến công", "Dùng đúng biểu mẫu do Trung tâm Khuyến công gửi.",
      "Not a khuyến công workbook", "Use the template sent by the Khuyến công centre.", file_level=True)
_code("table-duplicated", E, "Tệp có nhiều bảng dữ liệu cùng tên, không xác định được bảng thật",
      "Giữ một bảng duy nhất trên trang tính hiển thị (xóa bảng thừa), hoặc dùng biểu mẫu gốc.",
      "The file holds several data tables of the same name; the real one is ambiguous",
      "Keep one table on the visible sheet (delete the extra one), or use the original template.", file_level=True)
_code("hidden-sheet-data", E, "Dữ liệu đăng ký nằm trên trang tính bị ẩn",
      "Chỉ nhập dữ liệu trên trang Đăng ký hiển thị; xóa hoặc hiện trang ẩn rồi gửi lại.",
      "Registration data lie on a hidden sheet", "Type data only on the visible registration sheet; "
      "delete or unhide the hidden sheet and send the file again.", file_level=True)
_code("kind-not-validated", E, "Loại tệp này không kiểm tra được bằng lệnh validate",
      "validate kiểm tra phiếu đăng ký, biểu chương trình, báo cáo kết quả và tệp định mức; dùng đúng tệp.",
      "This kind of file is not validated", "validate checks registration, programme, results and norms workbooks.",
      file_level=True)
_code("norms-invalid", E, "Tệp định mức có giá trị không dùng được", "Sửa ô được nêu trong tệp định mức.",
      "The norms workbook has a value that cannot be used", "Fix the named cell of the norms workbook.")
_code("template-outdated", W, "Biểu mẫu phiên bản cũ", "Nên dùng biểu mẫu mới nhất của Trung tâm Khuyến công.",
      "Older template version", "Use the latest template from the centre.")
_code("layout-altered", W, "Bố cục biểu mẫu đã bị thay đổi",
      "Không thêm, xóa, đổi tên hay đổi thứ tự cột của biểu mẫu, không sửa trang ẩn _kc "
      "(sửa _kc là lỗi: tệp không được tính cho đơn vị nào).",
      "The template layout was altered",
      "Do not add, delete, rename or reorder the template's columns, nor edit the hidden _kc sheet "
      "(an edited _kc is an error: the file is credited to no unit).")
_code("missing-column", E, "Thiếu cột bắt buộc", "Thêm lại cột này (chép từ biểu mẫu gốc).",
      "A required column is missing", "Add the column back (copy it from the original template).")
_code("unit-identified-by-filename", W, "Không có thông tin đơn vị trong tệp; đã nhận diện đơn vị theo tên tệp",
      "Dùng biểu mẫu do Trung tâm gửi để thông tin đơn vị được ghi sẵn.",
      "No unit metadata in the file; the unit was taken from the file name", "Use the template sent by the centre.")
_code("template-identity-mismatch", E, "Mã định danh biểu mẫu không khớp với đơn vị nộp",
      "Dùng đúng biểu mẫu đã gửi cho đơn vị mình, không dùng tệp của đơn vị khác.",
      "The template identity does not match the submitting unit", "Use the template sent to your own unit.")
_code("template-signed-legacy", W, "Biểu mẫu ký theo cách cũ (chữ ký chỉ bao mã định danh)",
      "Nên dùng biểu mẫu mới do Trung tâm gửi; bản ký đầy đủ của cùng đơn vị luôn được ưu tiên.",
      "The template carries an older signature (over its identity only)",
      "Use a new template from the centre; a fully signed file of the same unit always takes precedence.")
_code("unit-name-ambiguous", E, "Tên đơn vị khớp với nhiều đơn vị, không xác định được đơn vị nộp",
      "Dùng biểu mẫu do Trung tâm gửi (có mã đơn vị), hoặc ghi mã đơn vị vào tên tệp.",
      "The unit name matches several units; the submitting unit is not known",
      "Use the centre's template (it carries the unit code), or put the unit code in the file name.")
_code("template-unsigned", W, "Biểu mẫu không có chữ ký của Trung tâm (phiên bản cũ)",
      "Nên dùng biểu mẫu mới do Trung tâm gửi.", "The template is not signed (older version)", "Use a new template from the centre.")
# --- cells and rows ------------------------------------------------------------
_code("required-missing", E, "Thiếu thông tin bắt buộc", "Nhập giá trị cho ô này.",
      "A required value is missing", "Fill in this cell.")
_code("not-a-number", E, "Không phải là số", "Nhập số, ví dụ 1.500 hoặc 1.500,5.",
      "Not a number", "Type a number, e.g. 1.500 or 1.500,5.")
_code("negative-amount", E, "Số âm", "Nhập số lớn hơn hoặc bằng 0.", "Negative amount", "Type a number ≥ 0.")
_code("too-precise-amount", E, "Số tiền lẻ hơn 1 đồng", "Làm tròn số tiền đến đồng.",
      "The amount is more precise than 1 đồng", "Round the amount to the đồng.")
_code("not-positive", E, "Số lượng phải lớn hơn 0", "Nhập số lượng lớn hơn 0.",
      "Quantity must be greater than 0", "Type a quantity greater than 0.")
_code("unknown-activity", E, "Hoạt động không có trong danh mục", "Chọn hoạt động từ danh sách thả xuống.",
      "Unknown activity", "Pick an activity from the dropdown list.")
_code("unknown-unit-of-measure", E, "Đơn vị tính không có trong danh mục", "Chọn đơn vị tính từ danh sách thả xuống.",
      "Unknown unit of measure", "Pick a unit of measure from the dropdown list.")
_code("unit-mismatch", E, "Đơn vị tính không phù hợp với hoạt động", "Chọn đơn vị tính được phép cho hoạt động này.",
      "Unit of measure does not fit the activity", "Pick a unit allowed for this activity.")
_code("unknown-facility-type", E, "Loại hình không có trong danh mục", "Chọn loại hình từ danh sách thả xuống.",
      "Unknown facility type", "Pick a facility type from the dropdown list.")
_code("unknown-location", E, "Địa điểm không có trong danh mục xã, phường", "Chọn địa điểm từ danh sách thả xuống.",
      "Unknown location", "Pick a commune from the dropdown list.")
_code("location-outside-unit", E, "Địa điểm không thuộc đơn vị nộp", "Chọn xã, phường thuộc địa bàn của đơn vị.",
      "The location is outside the submitting unit", "Pick a commune of your own unit.")
_code("invalid-tax-code", E, "Mã số thuế không hợp lệ", "Kiểm tra lại mã số thuế (10 số, 13 số có mã chi nhánh, hoặc 12 số cá nhân).",
      "Invalid tax code", "Check the tax code (10 digits, 13 with branch, or 12-digit personal number).")
_code("tax-code-leading-zero", W, "Mã số thuế mất số 0 ở đầu",
      "Định dạng cột là Văn bản (Text) rồi nhập lại mã số thuế (kể cả số 0 ở đầu).",
      "The tax code lost its leading zero", "Format the column as Text and type the tax code again (with its leading zero).")
_code("missing-tax-code", E, "Thiếu mã số thuế", "Nhập mã số thuế của doanh nghiệp/hợp tác xã.",
      "Missing tax code", "Type the tax code of the enterprise/cooperative.")
_code("sum-mismatch", E, "Tổng kinh phí không bằng tổng các nguồn", "Sửa Tổng kinh phí hoặc các nguồn cho khớp đến đồng.",
      "Total does not equal the sum of the sources", "Fix the total or the sources so they agree to the đồng.")
_code("support-ratio-exceeded", E, "Tỷ lệ hỗ trợ vượt định mức", "Giảm kinh phí khuyến công hoặc tăng vốn đối ứng.",
      "The support ratio exceeds the norm", "Lower the khuyến công funds or raise the counterpart funds.")
_code("support-cap-exceeded", E, "Mức hỗ trợ vượt mức tối đa", "Giảm kinh phí khuyến công xuống không quá mức tối đa.",
      "The support amount exceeds the cap", "Lower the khuyến công funds to the cap.")
_code("double-funding", E, "Một nội dung đề nghị cả khuyến công quốc gia và địa phương",
      "Mỗi nội dung chỉ đề nghị một nguồn khuyến công; tách thành hai dòng nếu cần.",
      "One line asks both national and local funds", "Ask one khuyến công source per content; split the line if needed.")
_code("duplicate-line", W, "Dòng trùng lặp", "Xóa dòng trùng hoặc ghi rõ sự khác nhau.",
      "Duplicate line", "Delete the duplicate or make the difference clear.")
_code("month-out-of-range", E, "Tháng không hợp lệ", "Nhập tháng từ 1 đến 12, tháng kết thúc không trước tháng bắt đầu.",
      "Invalid month", "Type a month 1-12; the end month not before the start month.")
_code("year-mismatch", E, "Năm kế hoạch không khớp", "Dùng biểu mẫu của đúng năm kế hoạch.",
      "The plan year does not match", "Use the template of the right year.")
_code("formula-overwritten", W, "Ô công thức đã bị gõ đè bằng số", "Khôi phục công thức từ biểu mẫu gốc.",
      "A formula cell was typed over", "Restore the formula from the original template.")
_code("legacy-encoding", W, "Văn bản dùng bảng mã cũ (TCVN3/VNI), đã chuyển sang Unicode",
      "Gõ lại bằng Unicode (Unikey: bảng mã Unicode) để tránh nhầm lẫn.",
      "Legacy-encoded text (TCVN3/VNI) was converted to Unicode", "Retype it in Unicode.")
_code("row-outside-table", W, "Dòng nằm ngoài bảng dữ liệu, vẫn được đọc",
      "Chèn dòng bên trong bảng (Tab ở ô cuối) thay vì gõ bên dưới bảng.",
      "A row lies outside the data table; it was read", "Insert rows inside the table instead of below it.")
_code("rows-unaccounted", W, "Dòng có nội dung nằm ngoài các cột của bảng, không được đọc",
      "Chuyển nội dung vào đúng cột của bảng hoặc xóa nếu không cần.",
      "A row holds content outside the table's columns; it was not read",
      "Move the content into the table's columns, or delete it.")
_code("totals-mismatch", E, "Dòng cộng của tệp không bằng tổng các dòng đọc được",
      "Kiểm tra các dòng bị ẩn, bị xóa hoặc nằm ngoài bảng; sửa để dòng cộng khớp đến đồng.",
      "The file's totals row does not equal the sum of the lines read",
      "Look for hidden, deleted or misplaced lines; make the totals agree to the đồng.")
_code("formula-error", E, "Ô chứa giá trị lỗi của Excel (#DIV/0!, #REF!, #N/A…)",
      "Sửa công thức hoặc nhập số, chữ thay cho giá trị lỗi.",
      "The cell holds an Excel error value (#DIV/0!, #REF!, #N/A…)",
      "Fix the formula, or type the value instead of the error.")
_code("year-out-of-range", E, "Năm không hợp lệ", "Nhập năm có 4 chữ số trong giai đoạn chương trình.",
      "Invalid year", "Type a four-digit year within the programme period.")
_code("duplicate-result", E, "Kết quả của chỉ tiêu và năm này đã có ở dòng khác", "Giữ một giá trị cho mỗi chỉ tiêu và năm.",
      "A result for this indicator and year is given twice", "Keep one value per indicator and year.")
_code("unknown-indicator", E, "Mã chỉ tiêu không có trong chương trình", "Dùng mã chỉ tiêu của chương trình.",
      "Unknown indicator code", "Use an indicator code of the programme.")
_code("invalid-value", E, "Giá trị không hợp lệ", "Chọn giá trị từ danh sách thả xuống.",
      "Invalid value", "Pick a value from the dropdown list.")
_code("period-reversed", E, "Đến năm trước Từ năm", "Sửa Từ năm hoặc Đến năm để Đến năm không trước Từ năm.",
      "The to-year is before the from-year", "Correct Từ năm or Đến năm so that Đến năm is not before Từ năm.")
_code("target-range-reversed", E, "Chỉ tiêu tối đa nhỏ hơn chỉ tiêu tối thiểu",
      "Sửa để tối đa không nhỏ hơn tối thiểu, hoặc để trống một trong hai.",
      "The maximum target is below the minimum", "Make the maximum not below the minimum, or leave one of them blank.")
_code("stated-total-mismatch", W, "Số tổng công bố không bằng tổng các thành phần", "Kiểm tra lại số liệu khi chép.",
      "A stated total is not the sum of its parts", "Check the transcribed figures.")
_code("stated-rate-mismatch", W, "Tỷ lệ công bố không khớp với tử số và mẫu số", "Kiểm tra lại số liệu khi chép.",
      "A stated rate does not match its numerator and denominator", "Check the transcribed figures.")
_code("stated-difference-mismatch", W, "Số chênh lệch công bố không bằng hiệu hai số", "Kiểm tra lại số liệu khi chép.",
      "A stated difference is not the difference", "Check the transcribed figures.")
_code("result-outside-period", W, "Kết quả ngoài giai đoạn của chỉ tiêu, không được tính",
      "Kiểm tra lại năm hoặc mã chỉ tiêu.", "A result lies outside the indicator's period and is left out",
      "Check the year or the indicator code.")
_code("result-after-as-of", W, "Kết quả sau thời điểm đánh giá, không được tính",
      "Chọn thời điểm đánh giá (--as-of) muộn hơn nếu cần tính kết quả này.",
      "A result lies after the as-of month and is left out", "Choose a later --as-of to count it.")
_code("duplicate-indicator", E, "Mã chỉ tiêu bị trùng trong chương trình", "Mỗi chỉ tiêu dùng một mã riêng.",
      "The indicator code appears twice in the programme", "Give every indicator its own code.")
_code("stated-figure-invalid", E, "Số liệu công bố không kiểm tra được",
      "Ghi Thành phần dạng 'A + B', 'A - B' hoặc 'A / B' với mã trong bảng hoặc số.",
      "A stated figure cannot be checked", "Write the parts as 'A + B', 'A - B' or 'A / B' with codes of the table or numbers.")
_code("province-mismatch", E, "Tệp của tỉnh khác, không gộp", "Dùng tệp của đúng tỉnh của chương trình.",
      "A file of another province, not merged", "Use the files of the programme's province.")
_code("period-mismatch", E, "Năm của tệp nằm ngoài giai đoạn của chương trình, không gộp",
      "Dùng tệp của giai đoạn chương trình.", "The file's years are outside the programme's period; not merged",
      "Use files of the programme's period.")
_code("duplicate-stated-figure", E, "Mã số liệu công bố bị trùng", "Mỗi mã chỉ ghi một dòng; đổi mã dòng sau.",
      "A stated-figure code is repeated", "Give each row its own code.")
_code("percent-scale-ambiguous", W, "Chỉ tiêu % có số gõ theo hai cách (phân số và điểm phần trăm)",
      "Gõ kèm dấu %, ví dụ '5,4 %' hoặc '0,05 %', để rõ nghĩa.",
      "A percent indicator has numbers typed both as fractions and as percent points",
      "Type the % sign, e.g. '5.4 %' or '0.05 %', to make it clear.")
_code("money-unit-assumed", W, "Số tiền quá lớn so với đơn vị tính, đã đọc là đồng",
      "Gõ số theo đơn vị tính của chỉ tiêu, hoặc ghi rõ đơn vị ('1,5 tỷ', '1.500 triệu').",
      "An amount too large for the unit of measure was read in đồng",
      "Type the amount in the indicator's unit, or say its unit ('1.5 tỷ', '1,500 triệu').")
# --- consolidation ---------------------------------------------------------------
_code("duplicate-across-units", W, "Cùng cơ sở, cùng hoạt động được đăng ký ở nhiều đơn vị",
      "Liên hệ các đơn vị để giữ một đăng ký.", "The same facility and activity is registered by several units",
      "Ask the units to keep one registration.")
_code("unit-missing", W, "Đơn vị chưa nộp", "Nhắc đơn vị gửi phiếu đăng ký.", "The unit has not submitted",
      "Remind the unit to send its registration.")
_code("superseded-version", W, "Đã có bản mới hơn của đơn vị này; bản này không được dùng", "Không cần làm gì.",
      "A newer version from this unit exists; this one is not used", "Nothing to do.")
_code("version-order-uncertain", W, "Hai bản của đơn vị có cùng ngày tạo biểu mẫu; bản được dùng chỉ chọn theo giờ sửa tệp",
      "Kiểm tra bản nào đúng; xóa bản kia khỏi thư mục (hoặc nhận bằng kc-excel round, theo thứ tự nhận) rồi chạy lại.",
      "Two versions of the unit have the same template creation time; the one used was chosen by file time only",
      "Check which version is right; remove the other from the folder (or receive them with kc-excel round, in "
      "order of receipt), then run again.")
_code("unit-not-in-province", E, "Đơn vị không thuộc tỉnh đang tổng hợp", "Kiểm tra lại tệp: có thể gửi nhầm tỉnh.",
      "The unit is not in the province being consolidated", "Check the file: it may belong to another province.")
_code("unit-unidentified", E, "Không xác định được đơn vị nộp tệp",
      "Dùng biểu mẫu do Trung tâm gửi, hoặc đặt tên tệp theo tên đơn vị (ví dụ: Xã Phú Hòa.xlsx).",
      "The submitting unit cannot be identified", "Use the centre's template, or name the file after the unit.")
_code("level-mismatch", E, "Tệp khác cấp với đợt tổng hợp",
      "Tổng hợp riêng từng cấp: --level district cho phiếu cấp huyện (kế hoạch trước 2026), "
      "--level commune cho phiếu cấp xã, phường.",
      "Files of another level than the consolidation",
      "Consolidate each level apart: --level district for district files (plans before 2026), "
      "--level commune for communes and wards.")
_code("signing-key-mismatch", E, "Khóa ký biểu mẫu trên máy này khác khóa đã ký các phiếu",
      "Chép tệp province.key từ máy đã tạo biểu mẫu của Trung tâm vào máy này (SECURITY.md, mục "
      "“Khôi phục khóa của tỉnh”) rồi tổng hợp lại; các phiếu chưa được kiểm tra chữ ký.",
      "The template signing key on this machine differs from the key that signed the files",
      "Copy province.key from the centre's machine that made the templates (SECURITY.md, "
      "\"Restoring the province key\") and consolidate again; the files' signatures were not checked.")
_code("not-a-registration", W, "Tệp không phải phiếu đăng ký kế hoạch; bỏ qua khi tổng hợp",
      "Nếu đơn vị gửi nhầm tệp, đề nghị gửi lại phiếu đăng ký.",
      "The file is not a plan registration; skipped", "If a unit sent the wrong file, ask for its registration.")
# --- collection rounds (kc-excel round) -------------------------------------------
_code("received-after-acceptance", W, "Đơn vị gửi bản mới sau khi số liệu đã được duyệt; bản này chưa được dùng",
      "Xem thay đổi (round diff); nếu cần dùng bản mới, mở lại đơn vị (round reopen --reason) rồi duyệt lại.",
      "A new version arrived after the unit's data was accepted; it is not used",
      "Review it (round diff); to use it, reopen the unit (round reopen --reason) and accept again.")
_code("version-not-accepted", E, "Phiên bản của đơn vị chưa được duyệt; không đưa vào kế hoạch (--accepted-only)",
      "Duyệt phiên bản (round accept) hoặc lập kế hoạch không có --accepted-only.",
      "The unit's version is not accepted; left out of the plan (--accepted-only)",
      "Accept the version (round accept) or build the plan without --accepted-only.")
# --- intake: every folder entry and e-mail part accounted for (consolidate/intake.py, mailparts.py) ---
_code("input-skipped", W, "Mục trong thư mục hoặc phần thư không phải phiếu đăng ký; bỏ qua khi tổng hợp",
      "Nếu đây là phiếu đăng ký, lưu thành tệp .xlsx thường trong thư mục rồi chạy lại.",
      "An entry of the folder or a part of an e-mail is not a registration; skipped",
      "If it is a registration, save it as an ordinary .xlsx file in the folder and run again.")
_code("input-not-a-file", E, "Mục mang tên bảng tính nhưng không phải tệp đọc được",
      "Thay mục này bằng tệp phiếu đăng ký thật (không phải thư mục, liên kết hỏng hay tệp đặc biệt).",
      "An entry named like a spreadsheet is not a readable file",
      "Replace it with the real registration file (not a folder, broken link or special file).", file_level=True)
_code("email-too-complex", E, "Thư điện tử vượt giới hạn xử lý (kích thước, độ sâu, số phần, độ dài tiêu đề)",
      "Đề nghị đơn vị gửi lại một thư mới chỉ đính kèm phiếu đăng ký, hoặc lưu tệp đính kèm vào thư mục.",
      "The e-mail is beyond the processing limits (size, depth, parts, header length)",
      "Ask the unit to send a new mail with only the registration attached, or save the attachment in the folder.",
      file_level=True)
_code("attachment-damaged", E, "Tệp đính kèm trong thư bị hỏng (mã hóa base64 lỗi hoặc rỗng)",
      "Đề nghị đơn vị gửi lại tệp đính kèm.",
      "An e-mail attachment is damaged (broken base64 or empty)", "Ask the unit to send the attachment again.",
      file_level=True)
_code("email-encrypted", E, "Thư được mã hóa S/MIME, không mở được nội dung",
      "Đề nghị đơn vị gửi lại thư không mã hóa, hoặc mở thư bằng chương trình thư rồi lưu tệp đính kèm vào thư mục.",
      "The e-mail is S/MIME-encrypted; its content cannot be opened",
      "Ask for an unencrypted mail, or open it in the mail program and save the attachment in the folder.",
      file_level=True)
del E, W


@dataclass(frozen=True)
class Issue:
    """One problem, at one place. ``detail`` is the rule's specific sentence."""

    code: str
    severity: Severity
    detail: str = ""
    detail_en: str = ""
    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    row: int | None = None
    column: str | None = None
    value: Any = None

    @property
    def message(self) -> str:
        return self.render(get_lang())

    def render(self, lang: str = "vi") -> str:
        info = CODES.get(self.code)
        if info is None:
            return self.detail or self.code
        title, fix = (info.title_en, info.fix_en) if lang == "en" else (info.title_vi, info.fix_vi)
        detail = (self.detail_en or self.detail) if lang == "en" else self.detail
        text = f"{title}: {detail}." if detail else f"{title}."
        return f"{text} {fix}".replace("..", ".")

    def at(self, **where: Any) -> Issue:
        """A copy placed elsewhere (file, sheet, cell, row, column)."""
        return replace(self, **where)

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code, "severity": str(self.severity), "file": self.file,
            "sheet": self.sheet, "cell": self.cell, "row": self.row, "column": self.column,
            "message": self.message, "value": _jsonable(self.value),
        }


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def make_issue(code: str, detail: str = "", *, detail_en: str = "", severity: Severity | None = None,
               **where: Any) -> Issue:
    """Build an issue of a registered code; the severity defaults to the code's."""
    info = CODES[code]
    return Issue(code=code, severity=severity or info.severity, detail=detail, detail_en=detail_en, **where)


class IssueCounts:
    """``errors`` and ``warnings`` of anything that holds ``issues`` (a report, a plan, a file's result)."""

    issues: Sequence[Issue]

    @property
    def errors(self) -> int:
        return sum(1 for i in self.issues if i.severity == Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for i in self.issues if i.severity == Severity.WARNING)


@dataclass
class Report(IssueCounts):
    """Issues of one file, in the order found, capped at ``limit``."""

    issues: list[Issue] = field(default_factory=list)
    limit: int = 10_000
    truncated: bool = False
    found: tuple[int, int] | None = None
    """(errors, warnings) of every issue found when the list was cut at ``limit`` (None: the list is whole)."""

    @property
    def errors(self) -> int:
        return self.found[0] if self.found is not None else super().errors

    @property
    def warnings(self) -> int:
        return self.found[1] if self.found is not None else super().warnings

    @property
    def listed(self) -> int:
        """How many issues the (possibly cut) list holds."""
        return len(self.issues)

    def cut_notice(self, name: str = "") -> str | None:
        """The sentence saying the list was cut (CLI, JSON, ribbon, annotated copy all say it); None if whole."""
        if not self.truncated:
            return None
        where = f"{name}: " if name else ""
        total = self.errors + self.warnings
        return tr(f"{where}danh sách đã bị cắt, chỉ liệt kê {self.listed} trong {total} vấn đề "
                  f"({self.errors} lỗi, {self.warnings} cảnh báo)",
                  f"{where}the list was cut: {self.listed} of {total} issues are listed "
                  f"({self.errors} errors, {self.warnings} warnings)")

    def add(self, issues: Iterable[Issue]) -> None:
        for item in issues:
            if len(self.issues) >= self.limit:
                self.truncated = True
                return
            self.issues.append(item)


    @property
    def valid(self) -> bool:
        return self.errors == 0

    def flatten(self, *fields: str) -> list[tuple[Any, ...]]:
        """E.g. ``report.flatten("sheet", "cell", "code")`` for tests."""
        return [tuple(getattr(i, f) for f in fields) for i in self.issues]
