"""Legacy inputs: TCVN3/VNI text (plain and in DOCX runs), .doc/.rtf/.odt through LibreOffice,
and HTML pages with the portal's chrome around the notice."""

from __future__ import annotations

import io
import os
import shutil
import stat
import time
import unicodedata
from pathlib import Path

import pytest
from docx import Document

from extractor import extract_file
from extractor.errors import InputError
from extractor.parsers import office as office_backend
from extractor.parsers import parse_file
from extractor.parsers.docx import DocxParser
from extractor.parsers.html import HtmlParser
from extractor.parsers.legacy_encodings import TCVN3, VNI, convert, detect, encode, font_encoding, looks_legacy, repair_text
from extractor.parsers.ooxml import OLE_MAGIC
from extractor.parsers.txt import TextParser, decode_text_detailed

from .conftest import CORPUS

SEED = "bac-son-tb-cchc-2023"
SEED_TEXT = unicodedata.normalize("NFC", (CORPUS / "txt" / f"{SEED}.txt").read_text(encoding="utf-8"))
# Its lines as the TXT backend reads them (Markdown emphasis gone), to write other formats from.
SEED_LINES = [b.text for b in TextParser().parse(CORPUS / "txt" / f"{SEED}.txt", SEED_TEXT.encode()).blocks if b.text.strip()]
WORDS = ("SỞ CÔNG THƯƠNG", "Ủy ban nhân dân", "Phòng Tài chính - Kế hoạch")
# Written by hand from the code charts (not by our encoder): capital toned letters have no
# TCVN3 code, so "SỞ" is S + the code of "ở" (as a .VnTimeH run would hold it).
TCVN3_WORDS = ("Së C¤NG TH¦¥NG", "ñy ban nh©n d©n", "Phßng Tµi chÝnh - KÕ ho¹ch")
VNI_WORDS = ("SÔÛ COÂNG THÖÔNG", "UÛy ban nhaân daân", "Phoøng Taøi chính - Keá hoaïch")


def _blocks(parsed) -> list[str]:
    return [b.text for b in parsed.blocks]


# --- tables and fonts ---------------------------------------------------------------------------
@pytest.mark.parametrize(("encoding", "legacy"), [(TCVN3, TCVN3_WORDS), (VNI, VNI_WORDS)])
def test_known_words_convert(encoding: str, legacy: tuple[str, ...]) -> None:
    assert [convert(w, encoding) for w in legacy[1:]] == [w.replace("Ủ", "ủ") if encoding == TCVN3 else w for w in WORDS[1:]]
    assert convert(legacy[0].lower(), encoding, upper=True) == WORDS[0]  # a capitals font (.VnTimeH)
    assert [encode(w, encoding) for w in WORDS] == list(legacy)


def test_font_names() -> None:
    assert font_encoding(".VnTime") == (TCVN3, False)
    assert font_encoding(".VnTimeH") == (TCVN3, True)
    assert font_encoding(".VnArial NarrowH") == (TCVN3, True)
    assert font_encoding("VNI-Times") == (VNI, False)
    assert font_encoding("'VNI-Helve', sans-serif") == (VNI, False)
    for unicode_font in ("Times New Roman", "Arial", "Vni", "VnExpress Sans", "", None):
        assert font_encoding(unicode_font) is None


# --- plain text -----------------------------------------------------------------------------------
@pytest.mark.parametrize(("encoding", "legacy"), [(TCVN3, TCVN3_WORDS), (VNI, VNI_WORDS)])
def test_plain_text_lines_convert(encoding: str, legacy: tuple[str, ...]) -> None:
    text = "\n".join([legacy[0], "", f"{legacy[1]} tØnh giao {legacy[2]} thùc hiÖn." if encoding == TCVN3
                      else f"{legacy[1]} tænh giao {legacy[2]} thöïc hieän."])
    fixed, found = repair_text(text)
    assert found == encoding
    assert fixed.splitlines() == [WORDS[0], "", f"{WORDS[1]} tỉnh giao {WORDS[2]} thực hiện."]


@pytest.mark.parametrize("encoding", [TCVN3, VNI])
@pytest.mark.parametrize("transport", ["cp1252-bytes", "utf-8-paste"])
def test_seed_notice_in_legacy_plain_text(tmp_path: Path, encoding: str, transport: str) -> None:
    legacy = encode(SEED_TEXT, encoding)
    data = legacy.encode("cp1252") if transport == "cp1252-bytes" else legacy.encode("utf-8")
    text, found = decode_text_detailed(data)
    assert found == encoding and text == SEED_TEXT
    path = tmp_path / "seed.txt"
    path.write_bytes(data)
    parsed = TextParser().parse(path, data)
    assert [(w.code, w.stage) for w in parsed.warnings] == [("legacy_encoding", "parse")]
    assert encoding.upper() in parsed.warnings[0].message
    record = extract_file(path)
    assert record.notice.signer.name == "Vũ Quang Hiến"
    assert any("Phòng Tài chính - Kế hoạch" in t.responsible_units for t in record.tasks)


def test_rendered_corpus_text_reads_back() -> None:
    for encoding in (TCVN3, VNI):
        path = CORPUS / "rendered" / encoding / f"{SEED}.txt"
        assert decode_text_detailed(path.read_bytes()) == (SEED_TEXT, encoding)


def test_detection_leaves_unicode_and_windows_1258_alone() -> None:
    for path in sorted((CORPUS / "txt").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert detect(text) is None and repair_text(text) == (text, None), path.name
    # Latin-1 symbols and other languages' letters are not a legacy encoding.
    other = ("Trích dẫn «Nghị định số 12» © 2024, nhiệt độ 25°C, tỷ lệ ½ và ¼.\n"
             "Señor Müller bestellt Größe XL für café crème à Paris; año señal niño.\n")
    assert repair_text(other) == (other, None)
    from .test_bad_input import to_cp1258

    text, found = decode_text_detailed(to_cp1258(SEED_TEXT))
    assert found is None and unicodedata.normalize("NFC", text) == SEED_TEXT


def test_mixed_file_converts_only_the_legacy_lines() -> None:
    text = "Công ty TNHH Hòa Bình\nC«ng ty cæ phÇn x©y dùng sè 1 thùc hiÖn\nSở Tài chính"
    fixed, found = repair_text(text)
    assert found == TCVN3
    assert fixed.splitlines() == ["Công ty TNHH Hòa Bình", "Công ty cổ phần xây dựng số 1 thực hiện", "Sở Tài chính"]


def test_cheap_gate_for_ordinary_text() -> None:
    text = SEED_TEXT * 4
    assert not looks_legacy(text)
    start = time.perf_counter()
    for _ in range(200):
        repair_text(text)
    assert (time.perf_counter() - start) / 200 < 0.002  # well under the TXT budget of 5 ms a notice


# --- DOCX runs ------------------------------------------------------------------------------------
def _docx(build) -> bytes:
    document = Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_runs_in_legacy_fonts() -> None:
    def build(document) -> None:
        heading = document.add_paragraph()
        heading.add_run(encode("SỞ CÔNG THƯƠNG", TCVN3).lower()).font.name = ".VnTimeH"
        mixed = document.add_paragraph()
        mixed.add_run(encode("Ủ", TCVN3)).font.name = ".VnTimeH"  # a capital toned letter alone
        mixed.add_run(encode("y ban nhân dân tỉnh giao ", TCVN3)).font.name = ".VnTime"
        mixed.add_run("Phòng Tài chính - Kế hoạch").font.name = "Times New Roman"  # Unicode: untouched
        vni = document.add_paragraph()
        vni.add_run(VNI_WORDS[2]).font.name = "VNI-Times"
        split = document.add_paragraph()
        for piece in ("Co", "âng vaên"):  # Word split the run between base letter and modifier
            split.add_run(piece).font.name = "VNI-Times"

    parsed = DocxParser().parse(Path("x.docx"), _docx(build))
    assert _blocks(parsed) == [WORDS[0], f"{WORDS[1]} tỉnh giao {WORDS[2]}", WORDS[2], "Công văn"]
    assert [(w.code, w.message.split()[3]) for w in parsed.warnings] == [
        ("legacy_encoding", "TCVN3"), ("legacy_encoding", "VNI")]


def test_docx_font_from_style_and_defaults() -> None:
    def build(document) -> None:
        document.styles["Normal"].font.name = ".VnTime"
        document.add_paragraph(TCVN3_WORDS[2])
        plain = document.add_paragraph()
        plain.add_run("Sở Tài chính").font.name = "Arial"

    assert _blocks(DocxParser().parse(Path("x.docx"), _docx(build))) == [WORDS[2], "Sở Tài chính"]


def test_unicode_docx_is_not_touched() -> None:
    def build(document) -> None:
        document.add_paragraph("C«ng v¨n sè 12: giá 25°C © «trích dẫn»").runs[0].font.name = "Times New Roman"

    parsed = DocxParser().parse(Path("x.docx"), _docx(build))
    assert _blocks(parsed) == ["C«ng v¨n sè 12: giá 25°C © «trích dẫn»"] and parsed.warnings == ()


@pytest.mark.parametrize("encoding", [TCVN3, VNI])
def test_rendered_corpus_docx_reads_like_the_unicode_one(encoding: str) -> None:
    source = CORPUS / "rendered" / "docx" / f"{SEED}.docx"
    legacy = CORPUS / "rendered" / encoding / f"{SEED}.docx"
    expected = [unicodedata.normalize("NFC", t) for t in _blocks(DocxParser().parse(source, source.read_bytes()))]
    assert _blocks(DocxParser().parse(legacy, legacy.read_bytes())) == expected


# --- .doc, .rtf, .odt ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def soffice() -> str:
    found = office_backend.find_soffice()
    if found is None:
        if os.environ.get("CI") == "true":  # CI installs it (make system-deps): no silent skip there
            pytest.fail("LibreOffice (soffice) is not installed")
        pytest.skip("LibreOffice (soffice) is not installed")
    return found


def _rtf(text: str) -> bytes:
    """The seed as a minimal RTF (one paragraph a line, non-ASCII as \\uN? escapes)."""
    def escape(line: str) -> str:
        out = []
        for ch in line:
            if ch in "\\{}":
                out.append("\\" + ch)
            elif ord(ch) < 128:
                out.append(ch)
            else:
                code = ord(ch)
                out.append(f"\\u{code if code < 32768 else code - 65536}?")
        return "".join(out)

    body = "\n".join(f"{escape(line)}\\par" for line in text.splitlines())
    return ("{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0 Times New Roman;}}\\f0\\fs26\n" + body + "\n}").encode("ascii")


@pytest.mark.parametrize("kind", ["doc", "odt", "rtf"])
def test_office_formats_end_to_end(soffice: str, tmp_path: Path, kind: str) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    path = folder / f"{SEED}.{kind}"
    if kind == "rtf":
        path.write_bytes(_rtf("\n".join(SEED_LINES)))
    else:
        shutil.copy(CORPUS / "rendered" / kind / path.name, path)
    before = sorted(folder.iterdir())
    parsed = parse_file(path)
    assert parsed.format == "office"
    record = extract_file(path)
    assert sorted(folder.iterdir()) == before  # nothing written beside the input
    assert record.notice.source.format == "office"
    assert record.notice.signer.name == "Vũ Quang Hiến"
    units = {u for t in record.tasks for u in t.responsible_units}
    assert {"Phòng Tài chính - Kế hoạch", "Văn phòng HĐND và UBND huyện"} <= units
    assert len(record.tasks) >= 20


def test_office_formats_are_sniffed_by_content(soffice: str, tmp_path: Path) -> None:
    path = tmp_path / "saved-as-docx.docx"  # a Word 97 file with the wrong extension
    shutil.copy(CORPUS / "rendered" / "doc" / f"{SEED}.doc", path)
    assert parse_file(path).format == "office"


def test_missing_libreoffice_is_explained(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    path = tmp_path / "old.rtf"
    path.write_bytes(_rtf("Công văn"))
    with pytest.raises(InputError, match=r"LibreOffice is not installed.*libreoffice-writer-nogui") as caught:
        parse_file(path)
    assert "\n" not in str(caught.value) and str(path) in str(caught.value)


def test_encrypted_docx_and_other_ole_files_never_reach_libreoffice(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(office_backend, "convert_to_docx", lambda *a, **k: pytest.fail("LibreOffice was called"))
    encrypted = OLE_MAGIC + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le")
    for name in ("secret.docx", "secret.doc"):
        (tmp_path / name).write_bytes(encrypted)
        with pytest.raises(InputError, match=r"^.*encrypted DOCX \(password-protected"):
            parse_file(tmp_path / name)
    (tmp_path / "sheet.doc").write_bytes(OLE_MAGIC + b"\x00" * 504 + "Workbook".encode("utf-16-le"))
    with pytest.raises(InputError, match="not a Word document"):
        parse_file(tmp_path / "sheet.doc")


def _fake_soffice(tmp_path: Path, body: str) -> str:
    script = tmp_path / "soffice"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def test_conversion_time_limit_and_failure(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    slow = _fake_soffice(tmp_path, "sleep 30")
    monkeypatch.setattr(office_backend, "find_soffice", lambda: slow)
    start = time.monotonic()
    with pytest.raises(InputError, match="did not convert the file within"):
        office_backend.convert_to_docx(b"{\\rtf1 x}", "rtf", timeout=0.5)
    assert time.monotonic() - start < 10
    silent = _fake_soffice(tmp_path, "echo 'Error: source file could not be loaded' >&2")
    monkeypatch.setattr(office_backend, "find_soffice", lambda: silent)
    with pytest.raises(InputError, match=r"could not convert the \.rtf file.*source file could not be loaded"):
        office_backend.convert_to_docx(b"{\\rtf1 x}", "rtf")


# --- HTML -----------------------------------------------------------------------------------------
CHROME = ("Trang chủ", "Giới thiệu", "Tin mới", "Tin liên quan", "Chia sẻ", "Cơ quan chủ quản", "không phải nội dung",
          "Đăng nhập", "Liên kết website")
TASKS = (
    "<table border='1'><tr><th>STT</th><th>Nội dung công việc</th><th>Đơn vị chủ trì</th><th>Thời hạn hoàn thành</th></tr>"
    "<tr><td>1</td><td>Rà soát hồ sơ thủ tục hành chính</td><td rowspan='2'>Văn phòng HĐND và UBND huyện</td><td>Tháng 11/2023</td></tr>"
    "<tr><td>2</td><td>Cập nhật cơ sở dữ liệu<br>về cán bộ</td><td>Tháng 12/2023</td></tr></table>"
)


def _portal(content: str, charset: str = "utf-8") -> str:
    menu = "".join(f"<li><a href='/m{i}'>{name}</a></li>" for i, name in enumerate(("Trang chủ", "Giới thiệu", "Tin tức")))
    news = "".join(f"<li><a href='/n{i}'>Tin mới số {i} về hoạt động của Ủy ban nhân dân huyện</a></li>" for i in range(25))
    return (
        f"<!DOCTYPE html><html><head><meta http-equiv='Content-Type' content='text/html; charset={charset}'>"
        "<title>Cổng thông tin</title><style>p {color: red}</style>"
        "<script>document.write('<p>không phải nội dung</p>')</script></head><body><form id='aspnetForm'>"
        f"<div id='header'><div class='logo'>CỔNG THÔNG TIN ĐIỆN TỬ HUYỆN BẮC SƠN</div><ul class='top-menu'>{menu}</ul>"
        "<div class='login-box'>Đăng nhập</div></div>"
        f"<table width='100%'><tr><td class='left-col'><div class='menu-left'><ul>{menu}</ul></div>"
        f"<div class='box-news'><h3>Tin mới</h3><ul>{news}</ul></div></td>"
        "<td class='main-col'><div class='breadcrumb'><a href='/'>Trang chủ</a> » Văn bản</div>"
        "<div class='news-title'><h1>Thông báo kết luận cuộc họp</h1></div>"
        "<div class='share'><a href='#'>Chia sẻ</a> <a href='#'>In</a></div>"
        f"<div class='news-content'>{content}</div>"
        "<div class='related'><b>Tin liên quan</b><ul><li><a href='/r'>Tin khác</a></li></ul></div></td></tr></table>"
        "<div id='footer'><p>Cơ quan chủ quản: Ủy ban nhân dân huyện Bắc Sơn. Địa chỉ: khối Dân Tiến, thị trấn Bắc Sơn, "
        "tỉnh Lạng Sơn. Điện thoại: 0205 3837 123.</p><p><a href='/lk'>Liên kết website</a></p></div>"
        "</form></body></html>"
    )


def _seed_html() -> str:
    import html

    return "".join(f"<p>{html.escape(line)}</p>" for line in SEED_LINES)


def test_html_chrome_is_stripped_and_tables_read(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(_portal(_seed_html() + TASKS), encoding="utf-8")
    parsed = parse_file(path)
    assert parsed.format == "html"
    texts = _blocks(parsed)
    assert not [t for t in texts if any(c in t for c in CHROME)], texts
    assert texts[0] == "Số: /TB-UBND" and texts[texts.index("TL. CHỦ TỊCH") + 2] == "Vũ Quang Hiến"
    rows = [b.cells for b in parsed.blocks if b.kind == "table_row"]
    assert rows == [
        ("STT", "Nội dung công việc", "Đơn vị chủ trì", "Thời hạn hoàn thành"),
        ("1", "Rà soát hồ sơ thủ tục hành chính", "Văn phòng HĐND và UBND huyện", "Tháng 11/2023"),
        ("2", "Cập nhật cơ sở dữ liệu về cán bộ", "Văn phòng HĐND và UBND huyện", "Tháng 12/2023"),
    ]


def test_html_seed_notice_end_to_end_in_windows_1258(tmp_path: Path) -> None:
    from .test_bad_input import to_cp1258

    path = tmp_path / "page.htm"
    path.write_bytes(to_cp1258(_portal(_seed_html(), charset="windows-1258")))
    record = extract_file(path)
    assert record.notice.source.format == "html"
    assert record.notice.signer.name == "Vũ Quang Hiến"
    units = {u for t in record.tasks for u in t.responsible_units}
    assert {"Phòng Tài chính - Kế hoạch", "Văn phòng HĐND và UBND huyện"} <= units


def test_html_lists_and_legacy_fonts() -> None:
    page = (
        "<html><body><article><ol type='I'><li>MỤC ĐÍCH</li><li>NHIỆM VỤ<ol><li>Phòng Nội vụ</li>"
        "<li><font face='.VnTime'>" + TCVN3_WORDS[2] + "</font></li></ol></li></ol>"
        "<ul><li><span style=\"font-family: 'VNI-Times'\">" + VNI_WORDS[1] + "</span></li></ul>"
        "<p style='font-family: .VnTimeH'>" + TCVN3_WORDS[0].lower() + " <span style='font-family: Arial'>Sở Tài chính</span></p>"
        "</article></body></html>"
    ).encode()
    parsed = HtmlParser().parse(Path("x.html"), page)
    assert _blocks(parsed) == ["I. MỤC ĐÍCH", "II. NHIỆM VỤ", "1. Phòng Nội vụ", f"2. {WORDS[2]}", f"- {WORDS[1]}",
                               f"{WORDS[0]} Sở Tài chính"]
    assert HtmlParser().sniff(page) and not HtmlParser().sniff(b"Plain text <b> with a tag later")


def test_html_without_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<!DOCTYPE html><html><head><title>x</title><script>var a = 1;</script></head><body> </body></html>")
    with pytest.raises(InputError, match="HTML page holds no text"):
        parse_file(path)
