# Two entry points, both safe on a fresh Debian machine as root: `make run` and `make test`.
# Each installs only what is missing: Debian packages, then a virtualenv with the project in it.

SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PKGS := tesseract-ocr tesseract-ocr-vie poppler-utils fonts-liberation2 fonts-dejavu-core fonts-noto-core
# The PostgreSQL run leaves out the browser's tests: the pages reach the database only through the API, whose tests
# do run there; the pages' own behaviour is the same on both (and the suite must stay under 15 minutes on 2 cores).
# Only the tests need a browser (Debian's chromium, driven by Playwright; its own browser download is not used)
# a PostgreSQL server (the suite runs once on SQLite, once on PostgreSQL) and Redis (Celery workers' tests).
# The evaluation's independent papers (digitize/devtools/synth_holdout.py) are drawn in other fonts than the pipeline's own
# test pages: every one of these with Vietnamese glyphs (OFL, Apache or GPL with the font exception).
EVAL_FONTS := fonts-dejavu-extra fonts-sil-andika fonts-sil-charis fonts-sil-gentiumplus fonts-noto-mono \
	fonts-ebgaramond fonts-roboto-unhinted fonts-open-sans fonts-vollkorn fonts-crosextra-carlito fonts-freefont-ttf
TEST_APT_PKGS := chromium postgresql redis-server $(EVAL_FONTS)
TEST_PG := postgresql://digitize:digitize@127.0.0.1:5432/postgres
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test system venv lint bench clean

system:
	@missing=""; \
	for p in $(APT_PKGS) $(EXTRA_APT); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	python3 -c 'import venv, ensurepip' 2>/dev/null || missing="$$missing python3-venv python3-pip"; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	@python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11 or newer is needed"; exit 1; }

$(BIN)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[test]"
	touch $@

venv: system $(BIN)/.installed

run: venv
	@echo "digitize on http://$(HOST):$(PORT)  (API docs: http://$(HOST):$(PORT)/docs)"
	$(BIN)/digitize serve --demo --host $(HOST) --port $(PORT)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

test: EXTRA_APT = $(TEST_APT_PKGS)
test: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	scripts/postgres-up
	@echo "--- the embedded default: SQLite, local disk (the S3 and Celery tests run in the second run)"
	DIGITIZE_TEST_RUN=embedded $(BIN)/pytest -n 2 -q
	@echo "--- the configured deployment: PostgreSQL, S3, Celery; the tests that use the database, but the browser's"
	DIGITIZE_TEST_RUN=configured DIGITIZE_TEST_POSTGRES=$(TEST_PG) $(BIN)/pytest -n 2 -q -m "not browser"

# The benchmark compares with plain tesseract and OCRmyPDF, which only it needs.
bench: venv
	@dpkg -s ocrmypdf >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq ocrmypdf; }
	$(BIN)/digitize bench --pages $${PAGES:-30}

clean:
	rm -rf $(VENV) var test-artifacts .pytest_cache
