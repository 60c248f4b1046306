"""What the inbox tells the clerk, in English or Vietnamese (``watch --lang vi``): one table.

The clerk reads the watcher's log to know what happened to each file dropped in: how many tasks
it holds, the earliest deadline, whether something looked wrong, or why it was refused. Those
sentences live here, each in both languages, so that a new message cannot exist in one
language only (a test checks the keys) and the runner has no sentence of its own to translate.

Causes that come from the pipeline ("PDF is truncated") stay in English after the translated
reason: they are precise, and they are what a support request must quote.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

LANGUAGES = ("en", "vi")
DEFAULT_LANGUAGE = "en"

MESSAGES: Mapping[str, Mapping[str, str]] = {
    # The status column of a file's line.
    "status.ok": {"en": "ok", "vi": "xong"},
    "status.duplicate": {"en": "duplicate", "vi": "trùng"},
    "status.failed": {"en": "failed", "vi": "lỗi"},
    # What was found.
    "tasks.one": {"en": "1 task", "vi": "1 nhiệm vụ"},
    "tasks.many": {"en": "{n} tasks", "vi": "{n} nhiệm vụ"},
    "deadline": {"en": "earliest deadline {date}", "vi": "thời hạn sớm nhất {date}"},
    "deadline.none": {"en": "no deadline", "vi": "không có thời hạn"},
    "warnings.none": {"en": "no warnings", "vi": "không có cảnh báo"},
    "warnings.some": {"en": "{n} warning(s), first: {code}", "vi": "{n} cảnh báo, đầu tiên: {code}"},
    "output": {"en": "-> {output}", "vi": "-> {output}"},
    "same_as": {"en": "same content as {file}", "vi": "trùng nội dung với {file}"},
    "still_working": {"en": "still working on {file} ({seconds} s)", "vi": "vẫn đang xử lý {file} ({seconds} giây)"},
    # Why a file failed: by the kind of failure; the pipeline's own cause follows.
    "reason.unsupported": {"en": "not a kind of file this program reads",
                           "vi": "loại tệp không được hỗ trợ (chỉ nhận PDF, Word, ODT, RTF, HTML, TXT, ảnh quét)"},
    "reason.parse": {"en": "the file cannot be read", "vi": "không đọc được tệp (hỏng, chưa chép xong, có mật khẩu "
                                                            "hoặc sai định dạng)"},
    "reason.structure": {"en": "not an administrative document", "vi": "không phải văn bản hành chính"},
    "reason.budget": {"en": "took longer than its time budget", "vi": "xử lý quá thời gian cho phép"},
    "reason.budget_before": {"en": "took longer than its time budget before; not tried again",
                             "vi": "lần trước đã xử lý quá thời gian cho phép; không thử lại"},
    "reason.write": {"en": "the result cannot be written", "vi": "không ghi được kết quả"},
    "reason.link": {"en": "a shortcut (symbolic link), not a file", "vi": "là lối tắt (liên kết), không phải tệp"},
    "reason.internal": {"en": "internal error; please report it", "vi": "lỗi của chương trình; xin báo cho bộ phận kỹ thuật"},
    # Service lines (stderr).
    "started": {"en": "watch: {inbox} -> {out} ({mode}, settle {settle} s{keep})",
                "vi": "watch: {inbox} -> {out} ({mode}, chờ ổn định {settle} giây{keep})"},
    "mode.events": {"en": "filesystem events", "vi": "theo sự kiện thư mục"},
    "mode.poll": {"en": "polling every {seconds} s", "vi": "quét mỗi {seconds} giây"},
    "mode.once": {"en": "once", "vi": "một lần"},
    "keep": {"en": ", keep inputs", "vi": ", giữ tệp gốc"},
    "events_unavailable": {"en": "watch: filesystem events unavailable ({cause}); polling every {seconds} s",
                           "vi": "watch: không theo dõi được sự kiện thư mục ({cause}); quét mỗi {seconds} giây"},
    "stopped": {"en": "watch: stopped ({ok} ok, {duplicate} duplicate, {failed} failed)",
                "vi": "watch: đã dừng ({ok} xong, {duplicate} trùng, {failed} lỗi)"},
    "stopped_during": {"en": "watch: stopped during {file}; it stays in the inbox for the next run",
                       "vi": "watch: dừng khi đang xử lý {file}; tệp để lại trong hộp thư cho lần chạy sau"},
    "signal": {"en": "watch: {signal} received, stopping", "vi": "watch: nhận {signal}, đang dừng"},
    "skipped": {"en": "watch: skipped {file}: {cause}", "vi": "watch: bỏ qua {file}: {cause}"},
    "cannot_list": {"en": "watch: cannot list {folder} ({cause})", "vi": "watch: không đọc được thư mục {folder} ({cause})"},
    "cannot_move": {"en": "watch: cannot move {file} to {folder}/ ({cause}); left in place",
                    "vi": "watch: không chuyển được {file} vào {folder}/ ({cause}); để nguyên"},
    "cannot_write": {"en": "watch: cannot write {path} ({cause})", "vi": "watch: không ghi được {path} ({cause})"},
}

# Warning codes a clerk may meet, glossed in Vietnamese after the code (the code stays: it is
# what the record holds and what support asks for).
WARNING_GLOSSES: Mapping[str, str] = {
    "no_tasks": "không tìm thấy nhiệm vụ nào",
    "no_number": "không thấy số, ký hiệu văn bản",
    "ocr_low_confidence": "chữ nhận dạng từ ảnh quét kém tin cậy",
    "ocr_failed": "không nhận dạng được chữ trên ảnh quét",
    "page_blank": "có trang trắng hoặc không đọc được",
    "page_unread_no_ocr": "có trang không đọc được (máy chưa cài OCR)",
    "page_unreadable": "có trang hỏng, đã bỏ qua",
    "legacy_encoding": "phông chữ cũ (TCVN3/VNI) đã được chuyển sang Unicode",
    "numbering_missing": "mất phần đánh số mục của tệp Word",
    "lines_undecoded": "có dòng phông chữ lỗi không giải mã được",
    "text_layer_repaired": "lớp chữ của PDF bị lỗi, đã sửa",
    "text_layer_replaced_by_ocr": "lớp chữ của PDF bị lỗi, đã đọc bằng OCR",
    "scan_text_layer_only": "bản quét chỉ đọc lớp chữ có sẵn",
    "text_layer_not_vietnamese": "lớp chữ ẩn của bản quét không phải tiếng Việt (mất dấu)",
    "foreign_content_skipped": "bỏ qua nội dung nhúng không đọc được",
}


def say(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The message ``key`` in ``lang`` (English when the language is unknown), filled in."""
    texts = MESSAGES[key]
    return texts.get(lang, texts[DEFAULT_LANGUAGE]).format(**values)


def day(iso: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A date as the reader writes it: 2026-06-30 in English logs, 30/06/2026 in Vietnamese."""
    return dt.date.fromisoformat(iso).strftime("%d/%m/%Y") if lang == "vi" else iso


def tasks_found(n: int, lang: str = DEFAULT_LANGUAGE) -> str:
    return say("tasks.one", lang) if n == 1 else say("tasks.many", lang, n=n)


def deadline_found(iso: str | None, lang: str = DEFAULT_LANGUAGE) -> str:
    return say("deadline", lang, date=day(iso, lang)) if iso else say("deadline.none", lang)


def warnings_found(codes: tuple[str, ...] | list[str], lang: str = DEFAULT_LANGUAGE) -> str:
    if not codes:
        return say("warnings.none", lang)
    code = codes[0]
    if lang == "vi" and code in WARNING_GLOSSES:
        code = f"{code} ({WARNING_GLOSSES[code]})"
    return say("warnings.some", lang, n=len(codes), code=code)


def failure_reason(kind: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """Why a file failed, by kind (``unsupported``, ``parse``, ``structure``, ``budget`` …)."""
    key = f"reason.{kind}"
    return say(key if key in MESSAGES else "reason.internal", lang)
