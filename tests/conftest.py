"""Shared fixtures, and the markers that let `make test-quick` leave out what is slow.

Markers (registered in pyproject.toml; `--strict-markers`) are put on here, at collection:

- ``ocr``: the test uses the ``tesseract`` fixture (Tesseract with its Vietnamese model);
- ``browser``: it drives Chromium through ChromeDriver (the ``chromium`` fixture);
- ``office``: it uses LibreOffice, through a fixture of ``OFFICE_FIXTURES`` (``soffice``, the
  rendering fixtures): conversions of .doc/.odt/.rtf and DOCX -> PDF renderings;
- ``slow``: over ~2 s on this 2-core machine for other reasons: real batch and watch processes,
  several CLI runs in one test, time budgets, fuzzing runs, a PostgreSQL server. ``SLOW`` names,
  module by module, the fixtures, tests or parameters that cost the time (measured with
  ``pytest --durations``); an unmarked test over NUDGE_SECONDS is named at the end of a run, to
  be added, and an entry that names nothing (a test renamed) is a warning.

A fixture counts for every test that uses it, directly or through another fixture (a session
fixture that renders marks all its users). `pytest -m "not slow and not ocr and not office"`
is the quick loop; `make test` runs everything.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"
# The scorer lives beside the project (../shared/eval); tests use it when it is there.
EVAL = SHARED / "eval"
if EVAL.is_dir():
    sys.path.insert(0, str(EVAL))

# --- markers --------------------------------------------------------------------------------------
OCR_FIXTURES = {"tesseract"}
# `soffice`: here and test_legacy's own; `docx_to_pdf` (below) uses it. `rendered_plan`
# (test_parser_pdf) renders a DOCX to PDF without them.
OFFICE_FIXTURES = {"soffice", "rendered_plan"}
BROWSER_FIXTURES = {"chromium"}
ALL = frozenset({"*"})
# module -> what makes its tests take over ~2 s for reasons other than OCR and LibreOffice
# (measured with --durations): fixtures, tests (every parametrization) or parameter ids.
SLOW: dict[str, frozenset[str]] = {
    # Every `python -m extractor batch` starts a pool of workers (2-5 s); `archive` and `reference`
    # (session) are a batch over ~60 notices (4-7 s), then killed, resumed or run on Dask (6-18 s).
    "test_batch.py": frozenset({"archive", "reference", "test_resume_redoes_only_what_is_missing_or_changed",
                                "test_resume_with_a_folder_added_keeps_what_is_done",
                                "test_a_dying_worker_fails_its_file_only", "test_all_good_is_exit_0"}),
    "test_inputs.py": frozenset({"batch", "test_one_writer_per_output_folder",
                                 "test_a_full_disk_is_one_clear_line_not_a_traceback"}),
    # Two or more CLI processes (each ~1.6 s: imports, then the word lists on the first document).
    "test_cli.py": frozenset({"test_folders_mirror_their_layout_and_reruns_are_byte_identical"}),
    "test_bad_input.py": frozenset({"test_validate_command"}),
    "test_filing.py": frozenset({"test_extract_files_two_formats_of_a_notice_as_one",
                                 "test_batch_files_in_input_order_and_resume_files_nothing_twice",
                                 "test_watch_fills_its_register_always"}),
    # Time budgets waited out by real processes (1.8-2.7 s each).
    "test_budget.py": ALL,
    # A watcher process waiting out settle times, a writer's pauses, a signal (2-15 s).
    "test_watch.py": frozenset({"test_a_writer_that_pauses_longer_than_the_settle_time_loses_nothing",
                                "test_once_processes_what_is_waiting_and_reports_failures",
                                "test_corrupt_file_goes_to_failed_with_its_reason_and_the_watcher_carries_on",
                                "test_a_file_appended_after_it_failed_is_read_again_whole",
                                "test_keep_leaves_inputs_and_never_reprocesses_them",
                                "test_sigterm_finishes_and_exits_zero"}),
    "test_watch_clerk.py": frozenset({"test_a_long_document_says_it_is_still_working",
                                      "test_one_line_per_file_says_what_a_clerk_needs"}),
    # Each target runs 4 s once atheris has instrumented the package (7-30 s in all).
    # pdf-page-fails-to-load.pdf has six pages with a few lines in a broken font: each is OCR'd
    # for the votes that would repair them (15-17 s where Tesseract is installed).
    "test_fuzz.py": frozenset({"test_fuzz_target_runs_clean_for_a_few_seconds",
                               "test_fuzzer_findings_end_in_a_clean_error_or_a_reading"}),
    # A real `serve` process (and a `watch`): start-up, uploads extracted by the server (5 s).
    "test_http.py": ALL,
    # Chromium driving a real `serve`; one upload is a scan, OCR'd by the server (30-60 s).
    "test_browser.py": ALL,
    # A PostgreSQL server started for the module (4 s up, 2 s down); the SQLite runs are quick.
    "test_register.py": frozenset({"postgresql"}),
}
NUDGE_SECONDS = 4.0  # an unmarked test slower than this is named at the end of the run


def _slow_because(item: pytest.Item) -> frozenset[str]:
    """The entries of SLOW that hold for ``item`` (none: not slow)."""
    listed = SLOW.get(item.path.name, frozenset())
    if listed is ALL:
        return listed
    callspec = getattr(item, "callspec", None)
    return listed & {getattr(item, "originalname", item.name), *getattr(item, "fixturenames", ()),
                     *(callspec.id.split("-") if callspec else ())}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    used: dict[str, set[str]] = {}
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))  # with the fixtures' own fixtures
        if fixtures & OCR_FIXTURES:
            item.add_marker(pytest.mark.ocr)
        if fixtures & OFFICE_FIXTURES:
            item.add_marker(pytest.mark.office)
        if fixtures & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        because = _slow_because(item)
        if because:
            item.add_marker(pytest.mark.slow)
        used.setdefault(item.path.name, set()).update(because)
    if any("::" in arg for arg in config.args):  # some tests of a module only
        return
    for module, seen in used.items():  # a test renamed under SLOW would silently join the quick loop
        if stale := sorted(SLOW.get(module, ALL) - ALL - seen):
            warnings.warn(pytest.PytestConfigWarning(f"tests/conftest.py SLOW[{module!r}] names nothing: {stale}"),
                          stacklevel=1)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Names the unmarked tests that passed but took over NUDGE_SECONDS (setup, call and
    teardown): they belong in SLOW, or they slow the quick loop down. (A failure that waited out
    a timeout is not slow, only failed.)"""
    spent: dict[str, float] = {}
    failed = set()
    for reports in terminalreporter.stats.values():
        for report in reports:
            if isinstance(report, pytest.TestReport) and not {"slow", "ocr", "office", "browser"} & set(report.keywords):
                spent[report.nodeid] = spent.get(report.nodeid, 0.0) + report.duration
                if report.failed:
                    failed.add(report.nodeid)
    slow = sorted((seconds, nodeid) for nodeid, seconds in spent.items() if seconds > NUDGE_SECONDS and nodeid not in failed)
    if slow:
        terminalreporter.write_sep("-", f"unmarked tests over {NUDGE_SECONDS:g} s (mark them in tests/conftest.py)")
        for seconds, nodeid in reversed(slow):
            terminalreporter.write_line(f"{seconds:6.1f} s  {nodeid}")


# --- fixtures -------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def seed_gold() -> dict:
    path = EVAL / "dev" / "bac-son-tb-cchc-2023.gold.json"
    if not path.exists():
        pytest.skip("../shared/eval is not beside the project")
    return json.loads(path.read_text(encoding="utf-8"))


def _missing(what: str) -> None:
    """CI installs the system packages (make system-deps), so there a missing one is a failure,
    not a silent skip."""
    if os.environ.get("CI") == "true":
        pytest.fail(what)
    pytest.skip(what)


@pytest.fixture(scope="session")
def tesseract() -> None:
    """OCR tests need Tesseract with its Vietnamese model (marks its users ``ocr``)."""
    from extractor.parsers import ocr

    reason = ocr.unavailable_reason()
    if reason is not None:
        _missing(f"OCR is unavailable: {reason}")


@pytest.fixture(scope="session")
def chromium() -> tuple[str, str]:
    """Debian's Chromium and its ChromeDriver (marks its users ``browser``): their paths, given
    to Selenium so that it never looks for (or downloads) a driver of its own."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if browser is None or driver is None:
        _missing("Chromium is not installed: install chromium and chromium-driver (make system-deps)")
    return str(browser), str(driver)


@pytest.fixture(scope="session")
def soffice() -> str:
    """LibreOffice's executable (marks its users ``office``)."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        _missing("LibreOffice (soffice) is not installed: install libreoffice-writer-nogui (make system-deps)")
    return str(found)


# What a document set in Times New Roman must be rendered in: the font, or Liberation Serif
# (fonts-liberation2), metric-compatible with it. Any other font has other widths, and moves the
# lines and page breaks that the rendering fixtures are built around.
INTENDED_FONT = "Times New Roman"
ACCEPTED_FONTS = ("TimesNewRoman", "LiberationSerif")  # PostScript names, before "-Bold", ",Italic"…


def rendered_fonts(pdf: Path) -> list[str]:
    """The fonts a PDF's text is drawn in, without subset prefixes ("BAAAAA+")."""
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        return sorted({c["fontname"].split("+")[-1] for page in document.pages for c in page.chars})


def assert_rendered_in_intended_font(pdf: Path) -> None:
    """Fails, naming the font found and the package to install, unless all of ``pdf``'s text is in
    Times New Roman or Liberation Serif: LibreOffice falls back silently to another font."""
    fonts = rendered_fonts(pdf)
    wrong = [f for f in fonts if not f.startswith(ACCEPTED_FONTS)]
    if fonts and not wrong:
        return
    substitute = ""
    if fc_match := shutil.which("fc-match"):
        found = subprocess.run([fc_match, "-f", "%{family[0]}", INTENDED_FONT], capture_output=True, text=True)
        substitute = f"; fontconfig gives {found.stdout.strip() or '?'} for {INTENDED_FONT}"
    pytest.fail(
        f"{pdf.name}: LibreOffice rendered {INTENDED_FONT} as {', '.join(wrong) or 'no text at all'}, not as "
        f"{INTENDED_FONT} or Liberation Serif (metric-compatible){substitute}: install fonts-liberation2 "
        "(make system-deps)",
        pytrace=False,
    )


@pytest.fixture(scope="session")
def docx_to_pdf(soffice: str, tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path], Path]:
    """Renders a DOCX to a PDF beside it with LibreOffice and checks that the PDF is in the
    intended font: what every fixture that renders should use. One profile for the session, its
    own, so that it neither touches nor waits for a LibreOffice running meanwhile."""
    profile = tmp_path_factory.mktemp("soffice-profile").as_uri()

    def render(source: Path) -> Path:
        done = subprocess.run(
            [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf",
             "--outdir", str(source.parent), str(source)],
            capture_output=True, text=True, timeout=180,
        )
        pdf = source.with_suffix(".pdf")
        if done.returncode != 0 or not pdf.is_file():
            pytest.fail(f"LibreOffice did not render {source.name} (exit {done.returncode}): {done.stderr.strip()[-500:]}")
        assert_rendered_in_intended_font(pdf)
        return pdf

    return render
