# kc-excel: `make demo` and `make test` work on a fresh machine with Python 3.11 and make.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
KC := $(VENV)/bin/kc-excel
BUILD := build
STAMP := $(VENV)/.installed

.PHONY: demo test bench fuzz venv libreoffice examples clean corpus hostile-table bundle

venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

# LibreOffice headless is the real spreadsheet application our tests open files with.
libreoffice:
	@if command -v soffice >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Cài LibreOffice headless (libreoffice-calc-nogui)..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui >/dev/null; \
	else echo "LibreOffice (soffice) không có và không cài được: các kiểm thử LibreOffice sẽ bỏ qua (ngoài CI)."; fi

test: venv libreoffice
	$(PY) -m pytest -n 2 -q

demo: venv
	@bash scripts/demo.sh $(BUILD)

bench: venv
	$(PY) -m benchmarks $(if $(SIZES),--sizes $(SIZES))

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

clean:
	rm -rf $(BUILD) .pytest_cache
