# OpenAMO — every target installs what it needs on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME_STAMP := $(VENV)/.runtime-stamp
STAMP := $(VENV)/.installed-stamp
APT_PACKAGES := chromium fonts-dejavu-core libharfbuzz-subset0 libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils
# make run HOST=0.0.0.0 PORT=8001 ARGS="--no-demo" (or ARGS=--debug)
HOST ?= 127.0.0.1
PORT ?= 8000
ARGS ?=

.PHONY: install install-runtime system-deps run test test-unit test-integration test-e2e lint bench clean fuzz docs

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "OpenAMO demande Python 3.11 ou plus récent ($(PYTHON) : $$($(PYTHON) --version))."; exit 1; }
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
		echo "Création de l'environnement impossible : installez python3-venv (apt-get install python3-venv)."; exit 1; }
	$(BIN)/pip install --quiet --upgrade pip

# What serving needs (make run); the test, lint and browser tools come with make install.
$(RUNTIME_STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e .
	touch $(RUNTIME_STAMP)

$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP) $(RUNTIME_STAMP)

install-runtime: $(RUNTIME_STAMP)

install: $(STAMP)

# Browser for the end-to-end tests (Debian's Chromium, never a downloaded build), LibreOffice
# to check that generated documents open, HarfBuzz-Subset for WeasyPrint's PDF fonts.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="yes"; \
	command -v soffice >/dev/null 2>&1 || missing="yes"; \
	command -v pdftotext >/dev/null 2>&1 || missing="yes"; \
	ldconfig -p | grep -q libharfbuzz-subset || missing="yes"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = "0" ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES) >/dev/null; \
		else \
			echo "Installez en root : apt-get install $(APT_PACKAGES)"; exit 1; \
		fi; \
	fi

run: install-runtime
	$(BIN)/amo serve --host $(HOST) --port $(PORT) $(ARGS)

test: install system-deps
	$(BIN)/python -m pytest

test-unit: install
	$(BIN)/python -m pytest tests/unit tests/cases

test-integration: install
	$(BIN)/python -m pytest tests/integration

test-e2e: install system-deps
	$(BIN)/python -m pytest tests/e2e

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

# Every document of the examples, printed to PDF by LibreOffice and to PNG pages (build/docs,
# not committed); README=1 also refreshes the small images of docs/images/.
docs: install system-deps
	$(BIN)/python docs/make_docs.py build/docs $(if $(README),--readme,)

# Every benchmark runs, whatever the previous one gave; the target fails at the end if any
# missed a target (each prints « OBJECTIF MANQUÉ … », benchmarks/_report.py).
bench: install
	@failed=""; \
	for bench in benchmarks/bench_*.py; do \
		echo "== $$bench"; \
		$(BIN)/python $$bench || failed="$$failed $$bench"; \
	done; \
	if [ -n "$$failed" ]; then echo "Objectifs manqués :$$failed" >&2; exit 1; fi

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache var

# Deeper property runs (many more examples per form, API write and import) than `make test`.
fuzz: install
	OPENAMO_FUZZ_DEEP=1 $(BIN)/python -m pytest -o log_cli=true -o log_cli_level=INFO tests/integration/web/test_property_forms.py tests/integration/web/test_property_api.py tests/integration/web/test_property_imports.py tests/integration/web/test_property_rights.py tests/integration/web/test_api_schemathesis.py
