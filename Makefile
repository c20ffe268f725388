# altmatch: `make run` sets up and serves; `make test` sets up and runs lint plus the whole suite.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
WARM := $(VENV)/.kernels-warm-stamp

.PHONY: run test install browser lint docs pytest dates catalog screenshots audit

$(STAMP): pyproject.toml constraints.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

# Compile the engine's Numba kernels into their on-disk cache now, so that the first `altmatch
# chances` or `altmatch match` loads them instead (issue 16: +8.6 s and +1.6 s); again whenever
# the engine's source changes, since that is what makes Numba recompile.
$(WARM): $(STAMP) $(wildcard src/altmatch/engine/*.py)
	$(PY) -m altmatch.engine.warm
	touch $(WARM)

install: $(STAMP) $(WARM)

## Set everything up, seed the demo season once (if the database has no season), and serve the
## web app on http://127.0.0.1:8000 (SQLite under var/).
run: install
	$(VENV)/bin/altmatch demo --db --if-empty && $(VENV)/bin/altmatch serve

## Set everything up, then lint, type-check, check the layers, build the docs strictly, run every
## test (on all cores), and run the date-sensitive tests again with the clock moved to four other days.
test: install browser lint docs pytest dates

browser:
	bash scripts/ensure-browser.sh

lint: install
	$(VENV)/bin/ruff check src tests benchmarks scripts docs/hooks
	$(VENV)/bin/ruff format --check src tests benchmarks scripts docs/hooks
	$(VENV)/bin/mypy src
	$(VENV)/bin/lint-imports

## Build the documentation site into site/ (open site/index.html; it works offline). --strict
## fails on any broken link, missing image or page left out of the navigation.
docs: install
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict --site-dir site

# pytest exits 5 when it collects nothing: a suite that runs no test must not pass.
# -n auto: one worker per core (pytest-xdist); each test file stays on one worker.
pytest: install
	@$(VENV)/bin/pytest -n auto --dist loadfile; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests" >&2; exit 1; fi; exit $$rc

## The date-sensitive tests at a Golden Week day, the year-end closure, the next 29 February and
## three years ahead (scripts/test_at_dates.py; ALTMATCH_TEST_DATE=YYYY-MM-DD runs any pytest
## at a chosen day).
dates: install
	$(PY) scripts/test_at_dates.py

## Refresh the Japanese catalog from the sources; new entries stay empty until translated.
catalog: install
	$(VENV)/bin/pybabel extract --no-location --omit-header -F babel.cfg -k N_ -o src/altmatch/i18n/messages.pot src/altmatch
	$(PY) scripts/update_catalog.py

## Retake the docs' screenshots (the browser tests take them).
screenshots: install browser
	ALTMATCH_SCREENSHOT_DIR=docs/screenshots $(VENV)/bin/pytest -q tests/e2e

## Check every pinned dependency against the published vulnerability advisories. `--strict`
## fails when a package could not be checked, so an unreachable advisory service never passes.
audit: install
	$(VENV)/bin/pip-audit --strict --no-deps --disable-pip --progress-spinner off -r constraints.txt
