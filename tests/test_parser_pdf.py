"""PDF backend: reading order of two-column blocks, page furniture, garbage text layers, bad
input. Synthetic PDFs are written by hand below (Helvetica, WinAnsi, so ASCII text: Vietnamese
without diacritics still reads as Vietnamese syllables); Vietnamese-specific behaviour is checked
on the real PDFs in ``corpus/originals``."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import struct
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest

from extractor.errors import InputError
from extractor.parsers import layout, parse_file
from extractor.parsers.base import ParsedDocument
from extractor.parsers.pdf import PdfParser, is_garbled
from extractor.parsers.pdf import adapter as pdf_adapter
from extractor.parsers.pdf import backend as pdf_backend
from extractor.parsers.pdf import rulings as pdf_rulings
from extractor.parsers.pdf.pages import PageResult

ROOT = Path(__file__).resolve().parent.parent
ORIGINALS = ROOT / "corpus" / "originals"
TXT = ROOT / "corpus" / "txt"
CV_193 = "laocai-cv-193-ubnd-kt-quan-ly-vlncn"
CV_2496 = "laocai-cv-2496-ubnd-kt-giao-sct-gp-van-chuyen-hhnh"
CV_7432 = "laocai-cv-7432-ubnd-xd-trien-khai-qd-1074-pccc"
MOJIBAKE = ORIGINALS / "laocai-kh-1105-dkt-kiem-tra-vlncn-pdf-mojibake.pdf"
SIGNED = ORIGINALS / "laocai-tb-sct-ket-qua-kiem-tra-vlncn.signed.pdf"

PAGE_W, PAGE_H = 595, 842
BODY = [
    "Cong tac quan ly nha nuoc ve vat lieu no cong nghiep thoi gian qua da dat nhieu ket qua",
    "tich cuc, cac hoat dong lien quan da duoc quan ly chat che va nen nep hon truoc day.",
    "Tuy nhien van con mot so ton tai, han che can duoc khac phuc trong thoi gian toi day",
    "de bao dam an ninh, an toan tuyet doi trong cong tac quan ly tren dia ban toan tinh.",
]


# --- fixture builders -------------------------------------------------------------------------
def _literal(text: str) -> bytes:
    raw = text.encode("cp1252")
    out = bytearray(b"(")
    for byte in raw:
        if byte in b"()\\":
            out += b"\\" + bytes([byte])
        elif 32 <= byte < 127:
            out.append(byte)
        else:
            out += b"\\%03o" % byte
    return bytes(out + b")")


def content(items: list[tuple[float, float, str]], size: float = 11) -> bytes:
    """A content stream drawing each (x, top, text) with Helvetica; ``top`` from the page top."""
    ops = []
    for x, top, text in items:
        ops.append(b"BT /F1 %.1f Tf 1 0 0 1 %.2f %.2f Tm %s Tj ET" % (size, x, PAGE_H - top - size, _literal(text)))
    return b"\n".join(ops)


def sideways_content(items: list[tuple[float, float, str]], size: float = 11) -> bytes:
    """Like :func:`content` for a landscape page (842 x 595 as displayed) drawn on the portrait
    media box turned by /Rotate 90: each run is drawn running up the page."""
    ops = []
    for x, top, text in items:
        ops.append(b"BT /F1 %.1f Tf 0 1 -1 0 %.2f %.2f Tm %s Tj ET" % (size, top + size, x, _literal(text)))
    return b"\n".join(ops)


def rotate_pages(data: bytes, rotation: int) -> bytes:
    document = pdfium.PdfDocument(data)
    for index in range(len(document)):
        document[index].set_rotation(rotation)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def body_lines(top: float = 200, lines: list[str] = BODY) -> list[tuple[float, float, str]]:
    return [(72, top + 16 * i, line) for i, line in enumerate(lines)]


def rotated(n: int) -> list[str]:
    """The body lines in another order, so that pages do not repeat lines at the same height."""
    return BODY[n % len(BODY):] + BODY[: n % len(BODY)]


_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    state = list(range(256))
    j = 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + state[i]) % 256
        state[i], state[j] = state[j], state[i]
        out.append(byte ^ state[(state[i] + state[j]) % 256])
    return bytes(out)


def make_pdf(pages: list[bytes | None], *, user_password: bytes | None = None) -> bytes:
    """A classic-xref PDF with one Helvetica font and one content stream per page (None: a page
    with no content at all, like a scan without its image). With ``user_password`` it is
    encrypted with the standard security handler (RC4, 40 bit, revision 2)."""
    count = len(pages)
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(count)), count),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    file_id = hashlib.md5(b"notice-extractor test").digest()
    key = None
    trailer = b""
    if user_password is not None:
        permissions = struct.pack("<i", -44)
        owner = _rc4(hashlib.md5((b"owner" + _PAD)[:32]).digest()[:5], (user_password + _PAD)[:32])
        key = hashlib.md5((user_password + _PAD)[:32] + owner + permissions + file_id).digest()[:5]
        encrypt_number = 4 + 2 * count
        trailer = b"/Encrypt %d 0 R" % encrypt_number
    for i, stream in enumerate(pages):
        number = 4 + 2 * i
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents %d 0 R >>" % (PAGE_W, PAGE_H, number + 1)
        )
        data = stream or b""
        if key is not None:
            object_key = hashlib.md5(key + (number + 1).to_bytes(3, "little") + b"\0\0").digest()[:10]
            data = _rc4(object_key, data)
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(data), data))
    if key is not None:
        objects.append(
            b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P -44 /O <%s> /U <%s> >>"
            % (owner.hex().encode(), _rc4(key, _PAD).hex().encode())
        )
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R /ID [<%s> <%s>] %s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, file_id.hex().encode(), file_id.hex().encode(), trailer, xref
    )
    return bytes(out)


def parse(data: bytes, name: str = "test.pdf") -> ParsedDocument:
    return PdfParser().parse(Path(name), data)


def texts(doc: ParsedDocument, *, furniture: bool = False) -> list[str]:
    return [b.text for b in doc.blocks if b.furniture == furniture]


@pytest.fixture(scope="module")
def real() -> dict[str, ParsedDocument]:
    return {stem: parse_file(ORIGINALS / f"{stem}.pdf") for stem in (CV_193, CV_2496, CV_7432)}


def corpus_lines(stem: str) -> list[str]:
    lines = (TXT / f"{stem}.txt").read_text(encoding="utf-8").splitlines()
    return [unicodedata.normalize("NFC", " ".join(line.split())) for line in lines if line.strip()]


# --- real PDFs ----------------------------------------------------------------------------------
def test_real_header_block_reads_left_column_then_right(real: dict[str, ParsedDocument]) -> None:
    assert texts(real[CV_193])[:10] == [
        "UỶ BAN NHÂN DÂN",
        "TỈNH LÀO CAI",
        "Số: 193 /UBND-KT",  # the number is stamped in a signature field: annotations are read
        "V/v tăng cường công tác quản",
        "lý, giám sát hoạt động VLNCN,",
        "TCTN trên địa bàn tỉnh",
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Lào Cai, ngày 10 tháng 01 năm 2026",
        "Kính gửi:",
    ]
    assert texts(real[CV_2496])[:10] == [
        "ỦY BAN NHÂN DÂN",
        "TỈNH LÀO CAI",
        "Số: 2496 /UBND-KT",
        "V/v triển khai thực hiện thủ tục cấp",
        "Giấy phép vận chuyển hàng hoá nguy",
        "hiểm loại 1,2,3,4,9",
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Lào Cai, ngày 06 tháng 4 năm 2026",
        "Kính gửi: Sở Công Thương.",
    ]
    header = texts(real[CV_7432])[:13]
    assert header[:3] == ["ỦY BAN NHÂN DÂN", "TỈNH LÀO CAI", "Số: 7432 /UBND-XD"]
    assert header[8] == "đảm yêu cầu về phòng cháy và chữa cháy"  # last line of V/v, still left column
    assert header[9:] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Lào Cai, ngày 21 tháng 7 năm 2026",
        "Kính gửi:",
    ]


def test_real_signature_block_reads_recipients_then_signer(real: dict[str, ParsedDocument]) -> None:
    lines = texts(real[CV_2496])
    assert lines[lines.index("Nơi nhận:"):] == [
        "Nơi nhận:",
        "- Như trên;",
        "- Chủ tịch UBND tỉnh;",
        "- Phó CTUBND tỉnh Ngô Hạnh Phúc;",
        "- Chánh VP, Phó CVP (đ/c Hùng);",
        "- Lưu: VT, KT (Long).",
        "TL. CHỦ TỊCH",
        "KT. CHÁNH VĂN PHÒNG",
        "PHÓ CHÁNH VĂN PHÒNG",
        "Bùi Ngọc Hùng",
    ]
    lines = texts(real[CV_7432])
    assert lines[lines.index("Nơi nhận:"):] == [
        "Nơi nhận:",
        "- Như trên;",
        "- Chủ tịch UBND tỉnh;",
        "- Phó Chủ tịch UBND tỉnh (phụ trách XD);",  # a smaller-font fragment on the same line
        "- Chánh VP, Phó CVP UBND tỉnh (Đ/c Minh);",
        "- Lưu: VT, TH, XD(Đông).",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Phan Trung Bá",
    ]


def test_real_page_numbers_are_furniture(real: dict[str, ParsedDocument]) -> None:
    doc = real[CV_193]
    assert doc.pages == 4
    assert [(b.page, b.text) for b in doc.blocks if b.furniture] == [(2, "2"), (3, "3"), (4, "4")]
    assert not [b for b in doc.blocks if not b.furniture and b.text.strip().isdigit()]
    assert texts(real[CV_7432], furniture=True) == []  # no page number printed there: nothing marked


@pytest.mark.parametrize("stem", [CV_193, CV_2496, CV_7432])
def test_real_no_line_lost_against_other_extractor(real: dict[str, ParsedDocument], stem: str) -> None:
    """corpus/txt holds the same PDFs extracted by another tool: every line of it is here."""
    ours = texts(real[stem])
    expected = [line for line in corpus_lines(stem) if not line.isdigit()]  # its page numbers
    if stem == CV_193:  # the other tool glued "01" to "năm" in the date
        expected = [line.replace("01năm", "01 năm") for line in expected]
    assert sorted(ours) == sorted(expected)


def test_real_body_paragraph_complete(real: dict[str, ParsedDocument]) -> None:
    flowing = " ".join(texts(real[CV_193]))
    sentences = [
        "Công tác quản lý nhà nước về vật liệu nổ công nghiệp (VLNCN), tiền chất thuốc nổ (TCTN) thời gian vừa qua, "
        "đã được UBND tỉnh chỉ đạo triển khai và đạt được nhiều kết quả tích cực, các hoạt động liên quan đến VLNCN, "
        "TCTN đã được quản lý chặt chẽ, nền nếp, góp phần tích cực vào phát triển kinh tế - xã hội, đảm bảo an ninh, "
        "trật tự.",
        "Tuy nhiên, bên cạnh kết quả đạt được, công tác quản lý VLNCN, TCTN vẫn còn một số tồn tại, hạn chế, như: "
        "Công tác phối hợp giữa các ngành có lúc, có nơi chưa chặt chẽ; việc kiểm tra, giám sát chưa được thực hiện "
        "thường xuyên, toàn diện; một số quy trình quản lý chậm được rà soát, cập nhật kịp thời theo quy định mới của "
        "pháp luật; ý thức, trách nhiệm của các đơn vị, doanh nghiệp hoạt động liên quan VLNCN, TCTN chưa cao, chưa "
        "thực hiện tốt các quy định của pháp luật về quản lý, sử dụng VLNCN, TCTN, một số trường hợp bị xử lý vi phạm "
        "hành chính, truy cứu trách nhiệm hình sự.",
        # across the page break from page 3 to page 4, with the page number "4" in between
        "b) Chấp hành nghiêm các quy định pháp luật về VLNCN, TCTN và các quy định của pháp luật khác có liên quan;",
        "Căn cứ ý kiến chỉ đạo trên, các cơ quan, đơn vị liên quan nghiêm túc triển khai thực hiện./.",
    ]
    for sentence in sentences:
        assert sentence in flowing


def test_real_blocks_are_lines_with_pages(real: dict[str, ParsedDocument]) -> None:
    doc = real[CV_193]
    assert doc.format == "pdf" and doc.warnings == ()
    assert {b.kind for b in doc.blocks} == {"line"}
    assert [b.page for b in doc.blocks] == sorted(b.page for b in doc.blocks)
    assert {b.page for b in doc.blocks} == {1, 2, 3, 4}
    assert all(b.text == unicodedata.normalize("NFC", b.text) and b.text == b.text.strip() for b in doc.blocks)
    assert doc.sha256 == hashlib.sha256((ORIGINALS / f"{CV_193}.pdf").read_bytes()).hexdigest()


@pytest.fixture
def no_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    """A machine without Tesseract."""
    from extractor.parsers import ocr

    monkeypatch.setattr(ocr, "unavailable_reason", lambda: "tesseract is not installed")


@pytest.mark.parametrize("path", [MOJIBAKE, SIGNED], ids=["mojibake", "signed"])
def test_real_broken_font_encoding_without_ocr_is_refused_naming_the_package(path: Path, no_ocr: None) -> None:
    with pytest.raises(InputError) as caught:
        parse_file(path)
    assert str(caught.value) == (
        f"{path}: PDF text layer is unreadable (broken font encoding); install tesseract-ocr and tesseract-ocr-vie to read it"
    )


@pytest.mark.parametrize(
    ("path", "phrases"),
    [
        (MOJIBAKE, ["SỞ CÔNG THƯƠNG", "KẾ HOẠCH", "vật liệu nổ công nghiệp"]),
        (SIGNED, ["SỞ CÔNG THƯƠNG", "XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Tổng công ty xây dựng Trường Sơn", "2. Kiến nghị",
                  "cổ phần", "bổ sung biển báo", "nổ mìn", "Luật Quản lý, sử dụng vũ khí"]),
    ],
    ids=["mojibake", "signed"],
)
def test_real_broken_font_encoding_is_repaired(path: Path, phrases: list[str], tesseract: None) -> None:
    doc = parse_file(path)
    text = "\n".join(texts(doc))
    for phrase in phrases:
        assert phrase in text
    assert not is_garbled(text) and "\ufffd" not in text
    assert doc.ocr_pages == tuple(range(1, doc.pages + 1))
    assert doc.ocr_confidence is not None and doc.ocr_confidence > 70
    assert any(w.code == "text_layer_repaired" for w in doc.warnings)


def test_repaired_text_layer_matches_the_notice_word_for_word(tesseract: None) -> None:
    """The signed PDF's text, repaired, against the same notice as text: the glyph decoding
    gets nearly every word right, where OCR alone misreads one word in twenty."""
    import difflib

    repaired = " ".join(texts(parse_file(SIGNED))).split()
    truth = (TXT / "laocai-tb-sct-ket-qua-kiem-tra-vlncn.txt").read_text(encoding="utf-8").split()
    matcher = difflib.SequenceMatcher(None, truth, repaired, autojunk=False)
    same = sum(block.size for block in matcher.get_matching_blocks())
    assert same >= 0.965 * len(truth)  # 0.972 here; OCR alone: 0.930


def _readable_then_broken_page() -> bytes:
    """A readable one-page PDF followed by the signed PDF's first page (broken font encoding)."""
    merged = pdfium.PdfDocument.new()
    merged.import_pages(pdfium.PdfDocument((ORIGINALS / f"{CV_2496}.pdf").read_bytes()))
    merged.import_pages(pdfium.PdfDocument(SIGNED.read_bytes()), [0])
    buffer = io.BytesIO()
    merged.save(buffer)
    return buffer.getvalue()


def test_garbled_page_is_repaired_when_others_are_readable(tesseract: None) -> None:
    doc = parse(_readable_then_broken_page())
    assert doc.pages == 2
    assert [(w.code, w.pages) for w in doc.warnings] == [("text_layer_repaired", (2,))]
    assert doc.warnings[0].message == ("page 2: text layer unreadable (broken font encoding); repaired (its glyphs "
                                       "decoded with the help of OCR)")
    assert doc.ocr_pages == (2,)
    assert {b.page for b in doc.blocks} == {1, 2}
    assert "Bùi Ngọc Hùng" in texts(doc)
    assert any("SỞ CÔNG THƯƠNG" in b.text for b in doc.blocks if b.page == 2)


def test_garbled_page_without_ocr_is_dropped_with_warning(no_ocr: None) -> None:
    doc = parse(_readable_then_broken_page())
    assert [(w.code, w.pages) for w in doc.warnings] == [("page_unread_no_ocr", (2,))]
    assert "install tesseract-ocr and tesseract-ocr-vie" in doc.warnings[0].message
    assert {b.page for b in doc.blocks} == {1}
    assert doc.ocr_pages == ()


# --- text quality -------------------------------------------------------------------------------
def test_is_garbled_tells_mojibake_from_vietnamese() -> None:
    assert is_garbled("6Ӣ CÔNG 7+ѬѪ1* &Ӝ1* H“A XÃ +Ӝ, &+Ӫ 1*+Ƭ$ 9,ӊ7 NAM ĈӝF OұS - 7ӵ do - +ҥQK Ph˙c")
    assert is_garbled("L‡o Cai, ng‡y th·ng 3 QăP 2026 .LӇP tra YLӋF FKҩS h‡nh Quy ÿӏQK ph·p OXұW")
    assert not is_garbled("SỞ CÔNG THƯƠNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc")
    assert not is_garbled("Căn cứ Nghị định số 181/2024/NĐ-CP ngày 31/12/2024 của Chính phủ; HĐND, UBND tỉnh (đ/c Hùng)")
    assert not is_garbled("Email: ubnd@laocai.gov.vn; Fax: 0214.3840.123; camera, iOffice, website")


def test_garbled_latin1_text_layer_is_refused(no_ocr: None) -> None:
    garbage = [
        "L\u2021o Cai, ng\u2021y th\u00b7ng 3 n\u00cem 2026",
        "C\u00d9ng ty c\u00db li\u00cdn quan Y\u00cdn B\u00b7i v\u2021 c\u00b7c \u00f0\u00cdn v\u00cb",
        "K\u00cbm tra vi\u00cbc ch\u00adp h\u2021nh quy \u00f0\u00cbnh ph\u00b7p lu\u00adt",
    ]
    with pytest.raises(InputError, match=r"^PDF text layer is unreadable \(broken font encoding\); install tesseract"):
        parse(make_pdf([content(body_lines(100, garbage))]))


def test_garbled_line_on_readable_page_is_dropped_with_warning() -> None:
    lines = [*BODY[:2], "C\u00d9ng ty c\u00db li\u00cdn quan Y\u00cdn B\u00b7i v\u2021 c\u00b7c", *BODY[2:]]
    doc = parse(make_pdf([content(body_lines(100, lines))]))
    assert texts(doc) == BODY
    assert [(w.code, w.pages) for w in doc.warnings] == [("lines_unreadable", (1,))]


# --- layout on synthetic pages ------------------------------------------------------------------
def test_two_column_header_then_body() -> None:
    page = content([
        (90, 50, "UBND TINH LAO CAI"), (320, 50, "CONG HOA XA HOI CHU NGHIA VIET NAM"),
        (100, 64, "SO CONG THUONG"), (350, 64, "Doc lap - Tu do - Hanh phuc"),
        (95, 88, "So: 123/SCT-CN"), (330, 88, "Lao Cai, ngay 10 thang 01 nam 2026"),
        (80, 104, "V/v kiem tra an toan"),
        (85, 118, "vat lieu no cong nghiep"),
        (200, 160, "Kinh gui: Cac don vi lien quan"),
        *body_lines(190),
    ])
    assert texts(parse(make_pdf([page]))) == [
        "UBND TINH LAO CAI", "SO CONG THUONG", "So: 123/SCT-CN", "V/v kiem tra an toan", "vat lieu no cong nghiep",
        "CONG HOA XA HOI CHU NGHIA VIET NAM", "Doc lap - Tu do - Hanh phuc", "Lao Cai, ngay 10 thang 01 nam 2026",
        "Kinh gui: Cac don vi lien quan", *BODY,
    ]


def test_signature_block_reads_left_then_right_and_runs_over_the_page() -> None:
    page1 = content([
        *body_lines(600),
        (72, 680, "Noi nhan:"), (380, 680, "KT. GIAM DOC"),
        (72, 694, "- Nhu tren;"), (380, 696, "PHO GIAM DOC"),
        (72, 708, "- UBND tinh (bao cao);"),
    ])
    page2 = content([(72, 60, "- Luu: VT, CN."), (390, 60, "Nguyen Van An"), *body_lines(200, BODY[:1])])
    doc = parse(make_pdf([page1, page2]))
    assert texts(doc)[4:] == [
        "Noi nhan:", "- Nhu tren;", "- UBND tinh (bao cao);", "KT. GIAM DOC", "PHO GIAM DOC",
        "- Luu: VT, CN.", "Nguyen Van An", BODY[0],
    ]


def test_table_like_rows_elsewhere_stay_in_row_order() -> None:
    page2 = content([(72, 100, "1"), (120, 100, "Cong ty A"), (400, 100, "23/3/2026"),
                     (72, 116, "2"), (120, 116, "Cong ty B"), (400, 116, "25/3/2026"), *body_lines(200)])
    doc = parse(make_pdf([content(body_lines(100)), page2]))
    assert texts(doc)[4:6] == ["1 Cong ty A 23/3/2026", "2 Cong ty B 25/3/2026"]


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_page_rotation_does_not_change_reading_order(rotation: int) -> None:
    """Reading follows the text's own direction: upright text on a page displayed turned reads
    as before, and so does a landscape page drawn sideways and turned upright by /Rotate."""
    items = [(90, 50, "UBND TINH LAO CAI"), (320, 50, "CONG HOA XA HOI CHU NGHIA VIET NAM"),
             (100, 64, "SO CONG THUONG"), (350, 64, "Doc lap - Tu do - Hanh phuc"), *body_lines(190)]
    expected = texts(parse(make_pdf([content(items)])))
    assert texts(parse(rotate_pages(make_pdf([content(items)]), rotation))) == expected
    landscape = [(x + 100, top, text) for x, top, text in items]
    assert texts(parse(rotate_pages(make_pdf([sideways_content(landscape)]), 90))) == expected


# --- furniture ----------------------------------------------------------------------------------
@pytest.mark.parametrize("label", ["{n}", "- {n} -", "Trang {n}", "{n}/3", "Page {n} of 3"])
def test_page_numbers_at_top_or_bottom_are_furniture(label: str) -> None:
    pages = [content(body_lines(100, rotated(0)))]
    pages.append(content([(290, 30, label.format(n=2)), *body_lines(100, rotated(1))]))
    pages.append(content([*body_lines(100, rotated(2)), (290, 800, label.format(n=3))]))
    doc = parse(make_pdf(pages))
    assert [(b.page, b.text) for b in doc.blocks if b.furniture] == [(2, label.format(n=2)), (3, label.format(n=3))]
    assert texts(doc) == rotated(0) + rotated(1) + rotated(2)


def test_numbers_that_are_not_page_numbers_are_kept() -> None:
    lines = [BODY[0], "2", BODY[1]]  # a bare number in the middle of a page
    pages = [content(body_lines(100, lines)), content([(72, 100, "17"), *body_lines(116, rotated(1))])]  # not page 2
    doc = parse(make_pdf(pages))
    assert texts(doc, furniture=True) == []
    assert "2" in texts(doc) and "17" in texts(doc)


def test_running_header_and_footer_are_furniture() -> None:
    pages = [
        content([(72, 30, f"Cong van so 12/UBND-KT ngay {n}/01/2026"), *body_lines(100, rotated(n)),
                 (72, 810, "Tai lieu noi bo")])
        for n in range(1, 4)
    ]
    doc = parse(make_pdf(pages))
    assert [(b.page, b.text) for b in doc.blocks if b.furniture] == [
        (n, text) for n in range(1, 4) for text in (f"Cong van so 12/UBND-KT ngay {n}/01/2026", "Tai lieu noi bo")
    ]
    assert texts(doc) == rotated(1) + rotated(2) + rotated(3)


def test_repeated_text_at_different_heights_is_not_furniture() -> None:
    pages = [content(body_lines(100 + 40 * n, [BODY[0], f"Muc {n} tiep theo"])) for n in range(3)]
    assert texts(parse(make_pdf(pages)), furniture=True) == []


# --- hyphenation -------------------------------------------------------------------------------
def test_hyphen_split_word_rejoined_only_when_certain() -> None:
    lines = [
        "Tai lieu tieng Anh ghi ro infor-",
        "mation ve don vi va hop dong.",
        "Phat trien kinh te -",
        "xa hoi cua tinh trong nam toi.",
        "Cong tac kiem tra thuc-",
        "hien theo ke hoach da duoc phe duyet.",
    ]
    assert texts(parse(make_pdf([content(body_lines(100, lines))]))) == [
        "Tai lieu tieng Anh ghi ro information",
        "ve don vi va hop dong.",
        *lines[2:],
    ]


# --- bad input ---------------------------------------------------------------------------------
def test_empty_file() -> None:
    with pytest.raises(InputError, match=r"^file is empty$"):
        parse(b"")


@pytest.mark.parametrize("cut", [0.5, 0.9, 0.999])
def test_truncated_pdf_is_corrupt(cut: float) -> None:
    data = (ORIGINALS / f"{CV_2496}.pdf").read_bytes()
    with pytest.raises(InputError, match=r"^corrupt PDF: file is truncated \(no %%EOF end marker\)$"):
        parse(data[: int(len(data) * cut)])


def test_padding_after_eof_marker_is_fine() -> None:
    assert texts(parse(make_pdf([content(body_lines())]) + b"\0" * 5000 + b"\r\n")) == BODY


def test_garbage_after_header_is_corrupt() -> None:
    with pytest.raises(InputError, match=r"^corrupt PDF: cannot be opened \(data format error\)$"):
        parse(b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF\n")


def test_corrupt_xref_is_corrupt() -> None:
    data = make_pdf([content(body_lines())])
    start = data.index(b"1 0 obj")
    with pytest.raises(InputError, match=r"^corrupt PDF: cannot be opened"):
        parse(data[:start] + b"garbage" * 40 + data[data.index(b"xref"):])


def test_encrypted_pdf_is_refused() -> None:
    data = make_pdf([content(body_lines())], user_password=b"secret")
    # The fixture is a real encrypted PDF: it opens with its password.
    unlocked = pdfium.PdfDocument(data, password="secret")
    assert BODY[0] in unlocked[0].get_textpage().get_text_range()
    with pytest.raises(InputError) as caught:
        parse(data)
    assert str(caught.value).startswith("PDF is encrypted (password-protected); ")


def test_scanned_pdf_without_ocr_is_refused_naming_the_package(no_ocr: None) -> None:
    rectangle = b"0.5 g 50 50 495 742 re f"  # a page-sized grey box, standing in for the scan image
    with pytest.raises(InputError) as caught:
        parse(make_pdf([rectangle, None]))
    assert str(caught.value) == "PDF has no text layer (scanned?); install tesseract-ocr and tesseract-ocr-vie to read it"


def test_blank_pdf_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        parse(make_pdf([None, None]))
    assert str(caught.value) == "PDF has no text: no text layer, and none found by OCR (blank pages?)"


def test_pages_without_text_are_named_in_a_warning(tesseract: None) -> None:
    doc = parse(make_pdf([content(body_lines()), None, content(body_lines(200, rotated(1))), b"0.5 g 0 0 9 9 re f"]))
    assert texts(doc) == BODY + rotated(1)
    assert [(w.code, w.pages) for w in doc.warnings] == [("page_blank", (2, 4))]
    assert doc.warnings[0].message.startswith("pages 2, 4: no text")
    assert doc.ocr_pages == ()


def test_too_many_pages_is_refused() -> None:
    with pytest.raises(InputError, match=r"^PDF has too many pages \(2001; limit 2000\)$"):
        parse(make_pdf([None] * 2001))


def test_a_page_that_fails_is_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    real_read = pdf_backend.read_page

    def flaky(document: pdfium.PdfDocument, index: int, **kwargs: bool) -> PageResult:
        if index == 1:
            raise pdfium.PdfiumError("Failed to load page.")
        return real_read(document, index, **kwargs)

    monkeypatch.setattr(pdf_backend, "read_page", flaky)
    doc = parse(make_pdf([content(body_lines(200, rotated(n))) for n in range(3)]))
    assert [(w.code, w.pages) for w in doc.warnings] == [("page_unreadable", (2,))]
    assert "Failed to load page." in doc.warnings[0].message
    assert {b.page for b in doc.blocks} == {1, 3}


def test_through_the_registry_errors_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "notice.pdf"
    path.write_bytes(make_pdf([None]))
    with pytest.raises(InputError) as caught:
        parse_file(path)
    assert str(caught.value) == f"{path}: PDF has no text: no text layer, and none found by OCR (blank pages?)"
    assert caught.value.stage == "parse"


def test_sniff() -> None:
    parser = PdfParser()
    assert parser.sniff(b"%PDF-1.7\n...") and parser.sniff(b"\xef\xbb\xbf junk %PDF-1.4")
    assert not parser.sniff(b"PK\x03\x04") and not parser.sniff(b"plain text")


# --- ruled task tables ------------------------------------------------------------------------
TASK_HEADER = ("STT", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành", "Ghi chú")
LONG_TASK = " ".join(
    f"Kiểm tra nội dung số {n} về điều kiện an toàn của kho chứa, phương tiện vận chuyển và hồ sơ "
    "pháp lý của đơn vị." for n in range(1, 21)
)
TASK_ROWS = [
    ("1", "Rà soát các cơ sở sản xuất, kinh doanh hóa chất trên địa bàn tỉnh.", "Sở Công Thương",
     "UBND các xã, phường", "Tháng 3/2026", ""),
    ("2", "Kiểm tra việc chấp hành quy định về an toàn hóa chất.", "Sở Công Thương",  # merged with the row above
     "Công an tỉnh", "Quý II/2026", ""),
    ("3", LONG_TASK, "Sở Nông nghiệp và Môi trường", "Các Sở, ban, ngành liên quan", "Thường xuyên", ""),
    ("4", "Tổng hợp, báo cáo kết quả thực hiện.", "Sở Công Thương",
     "Công an tỉnh; Thuế tỉnh", "Trước ngày 15/12/2026", ""),
]


def _cell_widths(table: Any, widths_mm: list[float]) -> None:
    from docx.shared import Mm

    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)


def _task_docx(path: Path, *, repeat_header: bool) -> None:
    """A plan as Word writes it: a borderless letterhead table, a ruled table that is not a task
    table, then a ruled task table with a vertically merged cell, a cell holding two entries on
    separate lines, and a row taller than what is left of page 1, so that it breaks across the
    pages and each later part opens its page with an empty first cell -- under a copy of the
    header row when Word is asked to repeat it (``repeat_header``), with no header otherwise."""
    import docx
    from docx.shared import Mm, Pt

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Mm(20)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(13)
    letterhead = document.add_table(rows=2, cols=2)  # no style: no borders
    for (r, c), text in {(0, 0): "ỦY BAN NHÂN DÂN TỈNH LÀO CAI", (0, 1): "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                         (1, 0): "Số: 12/KH-UBND", (1, 1): "Độc lập - Tự do - Hạnh phúc"}.items():
        letterhead.cell(r, c).text = text
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("Kiểm tra an toàn hóa chất năm 2026 tại các doanh nghiệp sau:")
    companies = document.add_table(rows=3, cols=3, style="Table Grid")
    for r, row in enumerate([("STT", "Tên doanh nghiệp", "Địa chỉ"), ("1", "Công ty TNHH Minh Phát", "Phường Cam Đường"),
                             ("2", "Công ty cổ phần Hóa chất Đức Giang", "Xã Tằng Loỏng")]):
        for c, text in enumerate(row):
            companies.cell(r, c).text = text
    document.add_paragraph("Nhiệm vụ cụ thể được phân công như sau:")
    tasks = document.add_table(rows=1 + len(TASK_ROWS), cols=len(TASK_HEADER), style="Table Grid")
    _cell_widths(tasks, [12, 48, 28, 42, 27, 13])
    for c, text in enumerate(TASK_HEADER):
        tasks.cell(0, c).text = text
    if repeat_header:
        from docx.oxml import OxmlElement

        tasks.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for r, row in enumerate(TASK_ROWS, start=1):
        for c, text in enumerate(row):
            if (r, c) not in ((2, 2), (4, 3)):
                tasks.cell(r, c).text = text
    merged = tasks.cell(1, 2).merge(tasks.cell(2, 2))
    merged.text = "Sở Công Thương"
    entries = tasks.cell(4, 3)
    entries.text = "Công an tỉnh"
    entries.add_paragraph("Thuế tỉnh")
    document.add_paragraph("Các cơ quan, đơn vị triển khai thực hiện nghiêm túc Kế hoạch này./.")
    document.save(str(path))


@pytest.fixture(scope="module", params=[False, True], ids=["no-repeated-header", "repeated-header"])
def rendered_plan(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> ParsedDocument:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("CI") == "true":  # CI installs it (make system-deps): no silent skip there
            pytest.fail("LibreOffice (soffice) is not installed")
        pytest.skip("LibreOffice (soffice) is not installed: cannot render the DOCX fixture to PDF")
    folder = tmp_path_factory.mktemp("plan")
    source = folder / "plan.docx"
    _task_docx(source, repeat_header=request.param)
    # Its own profile, so that it does not collide with another LibreOffice running meanwhile.
    profile = (folder / "profile").as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(folder),
         str(source)],
        check=True, capture_output=True, timeout=180,
    )
    _assert_times_metrics(folder / "plan.pdf")
    return parse_file(folder / "plan.pdf")


def _assert_times_metrics(pdf_path: Path) -> None:
    """The layout the tests below expect (rows 3 and 4 two pages apart) holds with the metrics
    of Times New Roman; LibreOffice uses Liberation Serif (fonts-liberation2), metric-compatible,
    and otherwise falls back silently to a font of other widths."""
    import pdfplumber

    with pdfplumber.open(pdf_path) as pdf:
        fonts = {c["fontname"].split("+")[-1] for page in pdf.pages for c in page.chars}
    assert fonts and all(f.startswith(("TimesNewRoman", "LiberationSerif")) for f in fonts), (
        f"LibreOffice rendered Times New Roman as {sorted(fonts)}: install fonts-liberation2 (make system-deps)")


def test_ruled_task_table_becomes_rows_across_page_breaks(rendered_plan: ParsedDocument) -> None:
    rows = [b for b in rendered_plan.blocks if b.kind == "table_row"]
    # Row 2 repeats the merged "Cơ quan chủ trì"; the long row 3 is one row whatever pages it
    # runs over; two entries on separate lines are kept apart, wrapped lines are joined.
    assert [b.cells for b in rows] == [TASK_HEADER, *TASK_ROWS]
    assert all(b.text == " | ".join(b.cells) for b in rows)
    # The fixture does what it is meant to: row 3 starts on page 1 and row 4 is two pages on.
    assert [b.page for b in rows] == [1, 1, 1, 1, rendered_plan.pages]
    assert rendered_plan.pages is not None and rendered_plan.pages >= 3
    lines = [b for b in rendered_plan.blocks if b.kind == "line"]
    assert not [b.text for b in lines if b.page not in (1, rendered_plan.pages)]  # the middle is all table
    assert not [b.text for b in lines if "Kiểm tra nội dung" in b.text or b.text.startswith(("STT Nội", "4 Tổng"))]
    # In reading order with the text around it.
    blocks = list(rendered_plan.blocks)
    first, last = blocks.index(rows[0]), blocks.index(rows[-1])
    assert blocks[first - 1].text == "Nhiệm vụ cụ thể được phân công như sau:"
    assert blocks[first : last + 1] == rows
    assert [b.text for b in blocks[last + 1 :]] == ["Các cơ quan, đơn vị triển khai thực hiện nghiêm túc Kế hoạch này./."]


def test_layout_tables_and_other_ruled_tables_stay_lines(rendered_plan: ParsedDocument) -> None:
    lines = texts(rendered_plan)[:12]
    assert "ỦY BAN NHÂN DÂN TỈNH LÀO CAI" in lines and "Độc lập - Tự do - Hạnh phúc" in lines  # borderless
    assert lines[lines.index("KẾ HOẠCH") :] == [  # ruled, but its columns are not task columns
        "KẾ HOẠCH",
        "Kiểm tra an toàn hóa chất năm 2026 tại các doanh nghiệp sau:",
        "STT Tên doanh nghiệp Địa chỉ",
        "1 Công ty TNHH Minh Phát Phường Cam Đường",
        "2 Công ty cổ phần Hóa chất Xã Tằng Loỏng",
        "Đức Giang",
        "Nhiệm vụ cụ thể được phân công như sau:",
    ]


RENDERED = ROOT / "corpus" / "rendered"


@pytest.mark.parametrize("stem", [
    "laocai-kh-ubnd-trien-khai-chi-thi-11-khoang-san",  # over three pages, header repeated, rows split
    "laocai-kh-sct-2242-kiem-tra-cap-gcn-28-don-vi",
    "laocai-kh-sct-3898-huan-luyen-nguoi-quan-ly",
    "laocai-kh-sct-thuc-hien-de-an-08",
])
def test_real_task_tables_read_as_from_the_docx(stem: str) -> None:
    """The corpus PDFs are rendered from the DOCX next to them: the same rows come out."""
    pdf, docx = parse_file(RENDERED / "pdf" / f"{stem}.pdf"), parse_file(RENDERED / "docx" / f"{stem}.docx")
    ours = [b.cells for b in pdf.blocks if b.kind == "table_row"]
    assert ours and ours == [b.cells for b in docx.blocks if b.kind == "table_row"]
    # No line of the table is read a second time as an ordinary line.
    blocks = list(pdf.blocks)
    start = next(i for i, b in enumerate(blocks) if b.kind == "table_row")
    pages = {b.page for b in blocks if b.kind == "table_row"}
    cells = [cell for row in ours for cell in row if cell]
    assert not [b.text for b in blocks[start:] if b.kind == "line" and b.page in pages and any(b.text in c for c in cells)]


def _grid(left: float, top: float, widths: list[float], heights: list[float]) -> bytes:
    """Stroked cell borders, as a word processor draws them: one path per ruling."""
    xs = [left + sum(widths[:i]) for i in range(len(widths) + 1)]
    ys = [top + sum(heights[:i]) for i in range(len(heights) + 1)]
    ops = [b"%.2f %.2f m %.2f %.2f l S" % (xs[0], PAGE_H - y, xs[-1], PAGE_H - y) for y in ys]
    ops += [b"%.2f %.2f m %.2f %.2f l S" % (x, PAGE_H - ys[0], x, PAGE_H - ys[-1]) for x in xs]
    return b"0 G 0.5 w\n" + b"\n".join(ops)


def test_ruled_table_without_task_columns_reads_as_before() -> None:
    cells = [(77, 106, "STT"), (120, 106, "Ten doanh nghiep"), (330, 106, "Dia chi"),
             (77, 126, "1"), (120, 126, "Cong ty A"), (330, 126, "Phuong Cam Duong"),
             (77, 146, "2"), (120, 146, "Cong ty B"), (330, 146, "Xa Tang Loong")]
    page = content([*body_lines(40, BODY[:2]), *cells, *body_lines(180, BODY[2:])])
    plain = parse(make_pdf([page]))
    ruled = parse(make_pdf([page + b"\n" + _grid(72, 100, [43, 210, 200], [20, 20, 20])]))
    assert ruled.blocks == plain.blocks
    assert texts(ruled)[2:5] == ["STT Ten doanh nghiep Dia chi", "1 Cong ty A Phuong Cam Duong", "2 Cong ty B Xa Tang Loong"]


def _boxed_cells(left: float, top: float, widths: list[float], heights: list[float]) -> bytes:
    """Each cell stroked as its own rectangle, as some producers draw borders."""
    ops = [
        b"%.2f %.2f %.2f %.2f re S" % (left + sum(widths[:c]), PAGE_H - top - sum(heights[: r + 1]), widths[c], heights[r])
        for r in range(len(heights)) for c in range(len(widths))
    ]
    return b"0 G 0.5 w\n" + b"\n".join(ops)


@pytest.mark.parametrize("draw", [_grid, _boxed_cells], ids=["rulings", "cell-rectangles"])
def test_table_rulings_are_found_on_the_page(draw: Any) -> None:
    document = pdfium.PdfDocument(make_pdf([content(body_lines()) + b"\n" + draw(72, 300, [40, 200, 150], [20, 30])]))
    page = document[0]
    rulings = pdf_rulings.page_rulings(page, pdf_adapter.Transform(page, 0))
    assert rulings.counts["h"] >= 3 and rulings.counts["v"] >= 4
    (grid,) = layout.grids_from_edges(rulings.edges)
    assert (grid.columns, len(grid.rows)) == (3, 2)
    assert [round(v) for v in (grid.x0, grid.top, grid.x1, grid.bottom)] == [72, 300, 462, 350]


def _line(text: str, x0: float, x1: float, first_word: float, room: float = 100.0) -> layout.CellLine:
    return layout.CellLine(text=text, x0=x0, x1=x1, top=0.0, bottom=15.0, first_word_x1=first_word, room=room)


def test_cell_lines_join_wrapped_text_with_a_space_and_entries_with_a_semicolon() -> None:
    wrapped = layout.Cell(0, 110, 0, 50, [
        _line("Sở Nông nghiệp và", 5, 95, 20),  # "Môi" (25 wide) did not fit after it
        _line("Môi trường", 5, 60, 30),
    ])
    assert wrapped.text() == "Sở Nông nghiệp và Môi trường"
    entries = layout.Cell(0, 110, 0, 50, [
        _line("Đỗ Mạnh Cường", 5, 70, 20),  # "Vũ" would have fitted: a new entry
        _line("Vũ Việt Linh", 5, 60, 18),
        _line("Nguyễn Thị Loan", 5, 75, 40),
    ])
    assert entries.text() == "Đỗ Mạnh Cường; Vũ Việt Linh; Nguyễn Thị Loan"
    lower = layout.Cell(0, 110, 0, 50, [_line("Các Sở, ban,", 5, 50, 20), _line("ngành liên quan", 5, 60, 30)])
    assert lower.text() == "Các Sở, ban, ngành liên quan"  # a lower-case start never opens an entry


def test_lines_stacked_beside_a_taller_line_stay_apart() -> None:
    """A signature title in 14 pt beside two 11 pt recipient lines of "Nơi nhận" overlaps
    both: it must not chain them into one row (the signed PDF's recipients came out as one
    joined unit)."""
    piece = layout.Piece
    title = piece(text="PHÓ GIÁM ĐỐC", x0=370, x1=480, top=550.1, bottom=569.4)
    first = piece(text="- Công ty CP XD Giao thông Yên Bái;", x0=90, x1=260, top=550.7, bottom=560.7)
    second = piece(text="- Tổng công ty xây dựng Trường Sơn;", x0=90, x1=237, top=557.9, bottom=572.7)
    rows = layout.group_rows([first, second, title])
    assert [[p.text for p in row.pieces] for row in rows] == [
        ["- Công ty CP XD Giao thông Yên Bái;", "PHÓ GIÁM ĐỐC"],
        ["- Tổng công ty xây dựng Trường Sơn;"],
    ]


def test_signed_pdf_recipients_are_one_unit_each(tesseract: None) -> None:
    texts_read = texts(parse_file(SIGNED))
    assert "- Công ty CP XD Giao thông Yên Bái;" in texts_read
    assert "- Tổng công ty xây dựng Trường Sơn;" in texts_read
