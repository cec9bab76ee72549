# kc-excel: `make demo` and `make test` work on a fresh machine with Python 3.11 and make.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
KC := $(VENV)/bin/kc-excel
BUILD := build
STAMP := $(VENV)/.installed

.PHONY: demo test bench fuzz venv libreoffice examples clean corpus hostile-table bundle paper-pages

venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

# LibreOffice headless is the real spreadsheet application our tests open files with; the fonts
# metric-compatible with Times New Roman (Liberation 2, full Vietnamese) and Calibri (Carlito) make its
# pages match Excel's, and pdftotext (poppler-utils) reads the rendered PDFs back in the paper tests.
libreoffice:
	@missing=""; command -v soffice >/dev/null 2>&1 || missing="$$missing libreoffice-calc-nogui"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	fc-list 2>/dev/null | grep -q "liberation2/LiberationSerif" || missing="$$missing fonts-liberation2"; \
	fc-list 2>/dev/null | grep -qi "carlito" || missing="$$missing fonts-crosextra-carlito"; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Cài:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	else echo "Thiếu$$missing và không cài được: các kiểm thử LibreOffice/PDF sẽ bỏ qua (ngoài CI)."; fi
	@# Liberation 1.07 (pulled in by fontconfig on some machines) lacks Vietnamese glyphs: use Liberation 2.
	@if [ "$$(id -u)" = "0" ] && [ -d /etc/fonts/conf.d ] && ! cmp -s scripts/fontconfig-liberation2.conf /etc/fonts/conf.d/99-kc-excel-liberation2.conf; then \
	  cp scripts/fontconfig-liberation2.conf /etc/fonts/conf.d/99-kc-excel-liberation2.conf && (fc-cache -f >/dev/null 2>&1 || true); fi

test: venv libreoffice
	$(PY) -m pytest -n 2 -q

demo: venv
	@bash scripts/demo.sh $(BUILD)

# The timed programs run in a venv with the runtime dependencies only, as a centre's PC has them
# (the test tools are not there: pandera imports hypothesis whenever it is installed, ~0.15 s).
BENCH_VENV := $(BUILD)/bench/venv
BENCH_STAMP := $(BENCH_VENV)/.installed

$(BENCH_STAMP): pyproject.toml
	@test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(BENCH_VENV)/bin/python -m pip install --quiet -e .
	@touch $(BENCH_STAMP)

bench: venv $(BENCH_STAMP)
	$(PY) -m benchmarks --python $(BENCH_VENV)/bin/python $(if $(SIZES),--sizes $(SIZES))

# The README's tables of hostile cases and of the 412-file corpus, produced by running them.
hostile-table: venv
	$(PY) scripts/hostile_table.py

corpus: venv
	$(PY) scripts/corpus_outcomes.py

fuzz: venv
	KC_FUZZ_EXAMPLES=20000 $(PY) -m pytest -q tests/hostile -k fuzz

examples: venv
	$(PY) scripts/make_examples.py

# The offline package for Windows: dist/kc-excel-<version>-win64.zip (wheelhouse for 64-bit
# CPython 3.11/3.12 downloaded from PyPI, cached in build/bundle-cache; add-in; CaiDat.cmd; guide PDF).
bundle: venv
	$(PY) scripts/bundle.py --dist dist --cache $(BUILD)/bundle-cache

# The rendered pages under docs/paper/ that the README shows (LibreOffice + pdftoppm).
paper-pages: venv libreoffice
	bash scripts/paper_pages.sh

clean:
	rm -rf $(BUILD) .pytest_cache
