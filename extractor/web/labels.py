"""What the pages say in Vietnamese: status names, dates as dd/mm/yyyy, the causes of a failed
upload. Kept apart so that pages, exports and charts say the same thing.

The pipeline's errors and warnings are in English (the contract's messages are for logs and
developers); a page shows the Vietnamese headline for the stage that failed and the cause as
the pipeline wrote it, so that nothing is lost in translation.
"""

from __future__ import annotations

import datetime as dt

from ..register import STATUSES, Status

STATUS_LABELS: dict[Status, str] = {
    "open": "Chưa đến hạn",
    "due_soon": "Sắp đến hạn",
    "overdue": "Quá hạn",
    "done": "Đã hoàn thành",
}
assert set(STATUS_LABELS) == set(STATUSES)

EVENT_LABELS: dict[str, str] = {
    "done": "Đánh dấu hoàn thành",
    "reopened": "Mở lại",
    "added": "Thêm (phiên bản mới của văn bản)",
    "removed": "Không còn trong phiên bản mới",
    "note": "Ghi chú",
}

FORMAT_LABELS: dict[str, str] = {
    "txt": "Văn bản thuần (TXT)", "docx": "Word (DOCX)", "pdf": "PDF", "image": "Ảnh quét",
    "office": "Văn bản Office cũ (DOC, ODT, RTF)", "html": "Trang web (HTML)",
}

OUTCOME_LABELS: dict[str, str] = {
    "new_notice": "Đã vào sổ: văn bản mới.",
    "new_version": "Đã vào sổ: phiên bản mới của văn bản đã có; trạng thái các nhiệm vụ còn lại được giữ nguyên.",
    "same_content": "Văn bản này đã có trong sổ (cùng nội dung); tệp được lưu thêm.",
    "known_file": "Tệp này đã được tải lên trước đây; không có gì thay đổi.",
}

# The stage an ExtractionError names → what went wrong, for a clerk.
STAGE_CAUSES: dict[str, str] = {
    "parse": "Không đọc được tệp (tệp hỏng, rỗng, có mật khẩu hoặc không đúng định dạng).",
    "normalise": "Không chuẩn hoá được văn bản trong tệp.",
    "structure": "Tệp đọc được nhưng không phải văn bản hành chính có nhiệm vụ (thông báo, kế hoạch, công văn…).",
    "extract": "Không trích xuất được nhiệm vụ từ văn bản.",
    "assemble": "Không ghép được kết quả trích xuất.",
    "validate": "Kết quả trích xuất không hợp lệ (lỗi của chương trình, không phải của tệp).",
    "budget": "Xử lý tệp quá lâu.",
}


def vndate(value: dt.date | dt.datetime | str | None) -> str:
    """dd/mm/yyyy (with HH:MM for a time); '' for nothing."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")


def month_label(month: str) -> str:
    """'2026-06' → '06/2026'."""
    year, _, m = month.partition("-")
    return f"{m}/{year}" if m else month


def size_label(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"
