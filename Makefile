# Collections handbook: build the site, run the tests, start a trainer session.
# `make help` lists the targets.  Everything runs inside .venv, created on first use.

PYTHON  ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
# Terms profile: a bundled name or a YAML path; empty means the default named in calculators/terms.py (DEFAULT_PROFILE).
PROFILE ?=
PORT    ?= 8000
LIVE_PORT ?= 8888
# jupyter-book itself, run with one Sphinx process per CPU so pages execute in parallel (tools/build_book.py).
JUPYTER_BOOK := $(BIN)/python -m tools.build_book
# Strict build: a warning, a dangling reference (-n) or an execution error fails it.
JB_FLAGS := -n -W --keep-going
CONSTRAINTS := requirements/constraints.txt

# A profile given as a file path is made absolute: pages execute in their own folders.
export HANDBOOK_PROFILE := $(if $(wildcard $(PROFILE)),$(abspath $(PROFILE)),$(PROFILE))
# This checkout's packages come first, whatever checkout the environment's editable install points to.
export PYTHONPATH := $(CURDIR)$(if $(PYTHONPATH),:$(PYTHONPATH))

# `make book VENV=/path/to/venv`: use an existing environment as it is (nothing is installed into it and its
# editable install is not repointed; this checkout's sources are used through PYTHONPATH).  Otherwise the
# project's own .venv is created and kept in step with pyproject.toml and the pins.
ifeq ($(origin VENV),command line)
  INSTALLED = check-venv
else
  INSTALLED = $(VENV)/.installed-$(1)
endif

.DEFAULT_GOAL := help
.PHONY: help book test test-fast lint live serve bench clean lock check-data check-venv class-summary lint-eval privacy

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-11s %s\n", $$1, $$2}'
	@echo "  Options: PROFILE=cmb|icbc|ccb|bocom|path/to/profile.yml (terms used for every figure), PORT=8000,"
	@echo "           VENV=/path/to/venv (use an existing environment as is), TESTS=tests/test_x.py (make test: only those),"
	@echo "           LIVE_PORT=8888 (make live), HANDBOOK_JOBS=N (pages executed in parallel; default: one per core)"

$(BIN)/python:
	@echo "==> creating virtual environment in $(VENV)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# One stamp per extra: re-install only when the project metadata or the pins change.
$(VENV)/.installed-%: pyproject.toml $(CONSTRAINTS) | $(BIN)/python
	@echo "==> installing the project with the '$*' extra (pinned by $(CONSTRAINTS))"
	$(BIN)/python -m pip install --quiet --constraint $(CONSTRAINTS) --editable ".[$*]"
	@touch $@ $(if $(filter test live,$*),$(VENV)/.installed-book)

check-venv:
	@test -x $(BIN)/python && $(BIN)/python -c "import jupyter_book" 2>/dev/null || \
	  { echo "error: VENV=$(VENV) is not an environment with jupyter-book (run 'make book' without VENV to create .venv)" >&2; exit 1; }

book: $(call INSTALLED,book) ## build the site into _build/html, published only if the strict build passes (PROFILE=cmb)
	@tools/ensure_system_deps.sh fonts
	@echo "==> building the handbook with terms profile '$(or $(PROFILE),default)' (pages are executed; cached when unchanged)"
	$(JUPYTER_BOOK) build . $(JB_FLAGS)
	@echo "==> done: open _build/html/index.html, or run 'make serve' for http://127.0.0.1:$(PORT)/"

test: $(call INSTALLED,test) ## lint, build, then run the whole suite: units, doctests, data, nbval pages, build and browser tests (TESTS=path: only those)
	@$(MAKE) --no-print-directory lint
	@tools/ensure_system_deps.sh fonts browser pdf
	@$(MAKE) --no-print-directory book PROFILE=$(PROFILE)
	@echo "==> running the test suite"
	$(BIN)/python -m pytest --nbval-lax $(TESTS)

test-fast: $(call INSTALLED,test) ## units, doctests and data checks only (no notebooks, builds or browser)
	$(BIN)/python -m pytest -m "not browser and not build and not slow"

lint: $(call INSTALLED,test) ## ruff (one line length, pyproject.toml) and mypy (strict on the calculators core)
	$(BIN)/ruff check .
	$(BIN)/mypy

check-data: $(call INSTALLED,book) ## validate every YAML file in procedures/ and every terms profile (and PROFILE=path)
	$(BIN)/python -m procedures $(HANDBOOK_PROFILE) $(ARGS)

live: $(VENV)/.installed-live ## classroom session: JupyterLab on 127.0.0.1 over a scratch copy of the pages
	@tools/ensure_system_deps.sh fonts
	@# Pages are copied to _build/live and JupyterLab runs in Chinese, offline (tools/live.py): nothing done
	@# in class changes the handbook.
	@$(BIN)/python -m tools.live serve --port $(LIVE_PORT)

class-summary: $(call INSTALLED,book) ## combine trainees' exported practice files: make class-summary FILES="a.json b.json"
	@test -n "$(FILES)" || { echo 'error: give the exported files, e.g. make class-summary FILES="results/*.json"' >&2; exit 1; }
	@# (imported, not run with -m: the package imports procedures.practice itself, and runpy would warn about it)
	@$(BIN)/python -c 'import sys; from procedures.practice import main; sys.exit(main(sys.argv[1:]))' summary $(FILES)

lint-eval: $(call INSTALLED,book) ## measure the red-line linter on labelled sentences it has never seen: make lint-eval SET=file.tsv (totals only)
	@test -n "$(SET)" || { echo "error: give the file: make lint-eval SET=file.tsv (tab-separated: label, category, kind, text; see bench/README.md)" >&2; exit 2; }
	@$(BIN)/python bench/bench_linter.py --set "$(SET)"

privacy: ## fail on real-looking ID, mobile or card numbers in the checkout and the built site (PATHS=… to scan others)
	@echo "==> scanning $(or $(PATHS),this checkout$(if $(wildcard _build/html/index.html), and _build/html)) for ID, mobile and card numbers"
	$(PYTHON) tools/privacy_scan.py $(or $(PATHS),. $(if $(wildcard _build/html/index.html),_build/html))
	@echo "==> no real-looking ID, mobile or card number found"

serve: ## serve the built site on http://127.0.0.1:8000/ (PORT=…; offline, like an intranet server)
	@test -f _build/html/index.html || { echo "error: no site yet, run 'make book' first" >&2; exit 1; }
	@test ! -f _build/html.failed || { cat _build/html.failed >&2; echo "error: the last 'make book' did not succeed: fix it and build again" >&2; exit 1; }
	$(PYTHON) -m tools.serve --port $(PORT) --directory _build/html

bench: $(VENV)/.installed-test ## measure calculators, the red-line linter, build times and the browser calculators
	$(BIN)/python bench/bench_calculators.py
	$(BIN)/python bench/bench_linter.py
	$(BIN)/python bench/bench_build.py
	$(BIN)/python bench/bench_browser.py
	$(BIN)/python bench/bench_practice.py

lock: | $(BIN)/python ## re-resolve and pin every dependency (all extras) into requirements/constraints.txt
	$(BIN)/python -m pip install --quiet --upgrade --editable ".[test,live,train]"
	@mkdir -p requirements
	@echo "# Pinned versions the build and tests were verified with. Regenerate with 'make lock'." > $(CONSTRAINTS)
	@# (without this checkout on PYTHONPATH: pip would list the project itself as a pinned dependency)
	env -u PYTHONPATH $(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e ' | grep -v '^collections-handbook==' >> $(CONSTRAINTS)

clean: ## remove the built site and caches (keeps .venv and downloaded assets)
	rm -rf _build .pytest_cache .hypothesis .mypy_cache .ruff_cache
	find . -name __pycache__ -not -path './.venv/*' -prune -exec rm -rf {} +

.PHONY: pdf
pdf: book ## print the handbook as one PDF, _build/pdf/handbook.pdf (headless Debian chromium, offline)
	@tools/ensure_system_deps.sh fonts pdf
	@echo "==> printing the handbook with headless chromium (two passes: page numbers, then the final PDF)"
	$(BIN)/python -m tools.build_pdf
