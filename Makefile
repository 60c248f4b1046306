# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: demo test lint schema corpus bench eval clean system-deps fuzz screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# System packages: LibreOffice (renders DOCX to PDF; converts .doc/.rtf/.odt; Calc prints tasks.xlsx
# in a test), Liberation fonts
# (metric-compatible with Times New Roman; only a recommendation of LibreOffice, which is
# installed without recommendations), Tesseract with its Vietnamese model (OCR of scans and
# of PDFs with a broken text layer), PostgreSQL (the register's tests start a server of
# their own; an office may share its register on one) and Chromium with its driver (the browser
# test drives `serve`; `make screenshots` takes the README's pictures).
# These machines run as root; elsewhere install them yourself.
APT_PACKAGES := libreoffice-writer-nogui libreoffice-calc-nogui fonts-liberation2 tesseract-ocr tesseract-ocr-vie postgresql chromium chromium-driver
system-deps:
	@if command -v soffice >/dev/null 2>&1 && [ -e /usr/lib/libreoffice/program/libsclo.so ] \
	    && command -v tesseract >/dev/null 2>&1 \
	    && tesseract --list-langs 2>/dev/null | grep -qx vie \
	    && fc-list 2>/dev/null | grep -q LiberationSerif \
	    && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
	    && command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing $(APT_PACKAGES) (apt)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(APT_PACKAGES) >/dev/null; \
	else echo "note: install $(APT_PACKAGES): tests that need them are skipped (they fail in CI)"; fi

RENDERED_FAST := $(addprefix corpus/rendered/,docx pdf tcvn3 vni doc odt)
demo: $(STAMP) system-deps
	@# One input (a broken PDF's garbage text layer, as text) is deliberately unreadable: it is
	@# reported and the rest is written. The scanned renderings are left to `make eval` (OCR).
	$(BIN)/notice-extractor extract corpus/txt corpus/originals $(RENDERED_FAST) --out outputs -q \
	  || echo "(some inputs could not be read; see the errors above)"
	@echo "JSON records written to outputs/"

test: $(DEV_STAMP) system-deps
	$(BIN)/ruff check extractor tests bench scripts fuzz
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

# The quick loop (under a minute here): the same checks as `make test`, then the tests not
# marked slow, ocr, office or browser (tests/conftest.py marks them; README: Tests). No system packages.
.PHONY: test-quick
test-quick: $(DEV_STAMP)
	$(BIN)/ruff check extractor tests bench scripts fuzz
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -m "not slow and not ocr and not office and not browser"

# The README's pictures of `serve` (docs/screenshots/), taken from the running application in
# headless Chromium.
screenshots: $(DEV_STAMP) system-deps
	$(BIN)/python scripts/screenshots.py

lint: $(DEV_STAMP)
	$(BIN)/ruff check extractor tests bench scripts fuzz
	$(BIN)/lint-imports

schema: $(STAMP)
	$(BIN)/notice-extractor schema > schemas/notice.schema.json

# The Lao Cai set (corpus/txt -> corpus/rendered), then the wide set (corpus/wide/txt ->
# corpus/wide/rendered: DOCX, PDF and scans; no legacy forms).
WIDE := --txt corpus/wide/txt --rendered corpus/wide/rendered
corpus: $(DEV_STAMP) system-deps
	$(BIN)/python scripts/render_docx.py
	$(BIN)/python scripts/render_pdf.py
	$(BIN)/python scripts/render_legacy.py
	$(BIN)/python scripts/render_scans.py
	$(BIN)/python scripts/render_docx.py $(WIDE)
	$(BIN)/python scripts/render_pdf.py $(WIDE)
	$(BIN)/python scripts/render_scans.py --rendered corpus/wide/rendered

# Scores every rendering of both sets (Lao Cai: ../shared/eval/dev; wide: ../shared/eval/dev-wide)
# against the hand-made answers, one table row per set and format (the scanned sets are
# OCR'd: a few minutes). scripts/eval.py --set/--format runs a part.
eval: $(STAMP)
	@$(BIN)/python scripts/eval.py

# Coverage-guided fuzzing of each parser and the pipeline (atheris), FUZZ_SECONDS each; a
# finding stops its target and is written to fuzz/work/crash-*: make it a test in tests/test_fuzz.py.
FUZZ_SECONDS ?= 120
FUZZ_TARGETS := txt docx pdf html pipeline
fuzz: $(DEV_STAMP)
	@mkdir -p fuzz/work; for t in $(FUZZ_TARGETS); do \
	  echo "fuzz $$t ($(FUZZ_SECONDS) s)"; \
	  $(BIN)/python fuzz/fuzz_parsers.py $$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 >fuzz/work/$$t.log 2>&1; \
	  status=$$?; grep -E "DONE|number_of_executed_units|peak_rss" fuzz/work/$$t.log; \
	  if [ $$status -ne 0 ]; then tail -40 fuzz/work/$$t.log; exit 1; fi; \
	done

bench: $(STAMP)
	$(BIN)/python bench/bench.py
	$(BIN)/python bench/bench_ocr.py

clean:
	rm -rf $(VENV) outputs/*.json .pytest_cache
