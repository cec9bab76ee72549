"""Vietnamese text of the ``Hướng dẫn`` (instructions) sheets of the templates."""

from __future__ import annotations

COMMON_END = [
    "Bảo vệ trang tính:",
    "- Tiêu đề, dòng tiêu đề cột, dòng Cộng và trang ẩn _kc được khóa để biểu mẫu không bị hỏng; "
    "các ô nhập liệu không khóa. Bảo vệ KHÔNG đặt mật khẩu: nếu thật sự cần (ví dụ thêm dòng), "
    "chọn Xem lại (Review) > Bỏ bảo vệ trang tính (Unprotect Sheet).",
    "- Không đổi tên, xóa, thêm hay đổi thứ tự các cột; không đổi tên trang tính. "
    "Cần thêm dòng thì chèn dòng ở giữa bảng (không ghi ra ngoài bảng).",
    "Số liệu:",
    "- Gõ số theo cách Việt Nam: dấu chấm ngăn cách hàng nghìn, dấu phẩy thập phân (1.500 = một nghìn năm trăm; "
    "1,5 = một phẩy năm). Excel hiển thị theo thiết lập vùng (Region) của máy tính.",
    "- Dùng phông chữ Unicode (Times New Roman, Arial). Không dùng phông .VnTime hay VNI-Times.",
    "- Biểu mẫu dùng được với Excel 2010 trở lên và LibreOffice. Lưu lại dạng .xlsx, không đổi tên tệp, "
    "rồi gửi lại cho Trung tâm Khuyến công qua thư điện tử.",
]

REGISTRATION = [
    "HƯỚNG DẪN LẬP PHIẾU ĐĂNG KÝ KẾ HOẠCH KHUYẾN CÔNG",
    "Mỗi dòng của bảng ở trang \"Đăng ký\" là một đề án, nhiệm vụ khuyến công đề nghị thực hiện trong năm kế hoạch.",
    "Các cột:",
    "- STT: số thứ tự (không bắt buộc).",
    "- Tên đề án, nhiệm vụ: bắt buộc.",
    "- Hoạt động: bắt buộc; chọn trong danh sách thả xuống (danh mục theo Điều 4 Nghị định 45/2012/NĐ-CP, "
    "sửa đổi bởi Nghị định 235/2025/NĐ-CP); nếu gõ tay, gõ đúng tên như trong danh sách.",
    "- Đơn vị thực hiện: cơ quan, đơn vị chủ trì thực hiện.",
    "- Cơ sở thụ hưởng: bắt buộc với hoạt động hỗ trợ trực tiếp cho cơ sở (máy móc thiết bị, nhãn hiệu, tư vấn...).",
    "- Mã số thuế: bắt buộc khi Loại hình là DNNVV hoặc HTX (10 số, 13 số nếu có mã chi nhánh, hoặc 12 số cá nhân). "
    "Ô được định dạng văn bản để giữ số 0 ở đầu.",
    "- Loại hình, Địa điểm (xã, phường), Đơn vị tính: chọn trong danh sách thả xuống. Địa điểm phải là xã, phường "
    "thuộc địa bàn của đơn vị; Đơn vị tính phải phù hợp với hoạt động.",
    "- Số lượng: số lớn hơn 0.",
    "- Các cột kinh phí tính bằng TRIỆU ĐỒNG, không âm, lẻ nhiều nhất đến 1 đồng (6 chữ số thập phân). "
    "Tổng kinh phí = Khuyến công quốc gia + Khuyến công địa phương + Vốn đối ứng + Nguồn khác (gõ số tổng, "
    "chương trình sẽ đối chiếu).",
    "- Một nội dung không đề nghị đồng thời cả kinh phí khuyến công quốc gia và khuyến công địa phương. "
    "Mức hỗ trợ không vượt định mức (ví dụ máy móc thiết bị: không quá 50% chi phí và không quá 200 triệu đồng/cơ sở).",
    "- Tháng bắt đầu, Tháng kết thúc: số từ 1 đến 12; tháng kết thúc không trước tháng bắt đầu.",
    "- Dòng Cộng ở cuối bảng tự tính tổng các cột kinh phí (hàm SUBTOTAL); không gõ đè lên dòng này.",
    *COMMON_END,
]

UNIT_RULES = [
    "Cách đọc số theo Đơn vị tính của chỉ tiêu:",
    "- Chỉ tiêu %: số có dấu % đọc đúng như ghi (5,4% ; 0,05%); số không có dấu % từ 1 trở lên là điểm phần trăm "
    "(5 = 5%), nhỏ hơn 1 là phân số (0,05 = 5%). Cùng một chỉ tiêu có cả hai kiểu (0,05 và 5,4) thì bị cảnh báo: "
    "hãy gõ kèm dấu %.",
    "- Chỉ tiêu tiền (đồng, nghìn đồng, triệu đồng, tỷ đồng): số không kèm chữ tính theo đơn vị tính; số kèm chữ "
    "đọc theo chữ ('1,5 tỷ', '1.500 triệu'), nên '1,5 tỷ' và '1.500' ở chỉ tiêu triệu đồng là 3.000 triệu đồng. "
    "Số quá lớn so với đơn vị (1.500.000.000 ở cột triệu đồng) được đọc là đồng và bị cảnh báo. "
    "Báo cáo đánh giá ghi mọi chỉ tiêu tiền theo triệu đồng.",
]

PROGRAMME = [
    "HƯỚNG DẪN NHẬP CHỈ TIÊU CHƯƠNG TRÌNH KHUYẾN CÔNG",
    "Mỗi dòng của bảng ở trang \"Chỉ tiêu\" là một chỉ tiêu của chương trình giai đoạn.",
    "Các cột:",
    "- Mã chỉ tiêu: mã ngắn, không trùng (ví dụ CT01); trang \"Kết quả\" dùng mã này để báo cáo thực hiện.",
    "- Chỉ tiêu: tên chỉ tiêu. Hoạt động: không bắt buộc, chọn trong danh mục nếu chỉ tiêu gắn với một hoạt động.",
    "- Đơn vị tính: tự do (học viên, cơ sở, đồng, triệu đồng, %, USD...). Tỷ lệ nhập dạng phần trăm, ví dụ 5,4%.",
    "- Chỉ tiêu tối thiểu, Chỉ tiêu tối đa: để trống tối đa nếu chỉ tiêu là một con số; "
    "nhập cả hai nếu là khoảng (ví dụ 5% - 5,4%).",
    "- Chiều đánh giá: Càng cao càng tốt (mặc định) hoặc Càng thấp càng tốt.",
    "- Cách cộng dồn: Cộng dồn (cộng các năm, mặc định), Kỳ cuối (giá trị năm gần nhất), "
    "Bình quân (trung bình các năm có báo cáo).",
    "- Từ năm, Đến năm: giai đoạn của chỉ tiêu.",
    *UNIT_RULES,
    *COMMON_END,
]

RESULTS = [
    "HƯỚNG DẪN BÁO CÁO KẾT QUẢ THỰC HIỆN",
    "Mỗi dòng của bảng ở trang \"Kết quả\" là kết quả của một chỉ tiêu trong một năm.",
    "Các cột:",
    "- Mã chỉ tiêu: đúng mã ở trang \"Chỉ tiêu\" của chương trình.",
    "- Năm: năm thực hiện (4 chữ số). Mỗi chỉ tiêu chỉ một dòng cho mỗi năm.",
    "- Thực hiện: số thực hiện trong năm (tỷ lệ nhập dạng phần trăm, ví dụ 3,4%; tiền theo đơn vị tính của chỉ tiêu).",
    "- Ghi chú: nguồn số liệu, cách ước tính hoặc phân bổ.",
    *UNIT_RULES,
    *COMMON_END,
]
