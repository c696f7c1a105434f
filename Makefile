# Collections handbook: build the site, run the tests, start a trainer session.
# `make help` lists the targets.  Everything runs inside .venv, created on first use.

PYTHON  ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
PROFILE ?= cmb
PORT    ?= 8000
LIVE_PORT ?= 8888
# jupyter-book itself, run with one Sphinx process per CPU so pages execute in parallel (tools/build_book.py).
JUPYTER_BOOK := $(BIN)/python -m tools.build_book
# Strict build: a warning, a dangling reference (-n) or an execution error fails it.
JB_FLAGS := -n -W --keep-going
CONSTRAINTS := requirements/constraints.txt

# A profile given as a file path is made absolute: pages execute in their own folders.
export HANDBOOK_PROFILE := $(if $(wildcard $(PROFILE)),$(abspath $(PROFILE)),$(PROFILE))

.DEFAULT_GOAL := help
.PHONY: help book test test-fast live serve bench clean lock check-data

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-11s %s\n", $$1, $$2}'
	@echo "  Options: PROFILE=cmb|icbc|ccb|bocom|path/to/profile.yml (terms used for every figure), PORT=8000"

$(BIN)/python:
	@echo "==> creating virtual environment in $(VENV)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# One stamp per extra: re-install only when the project metadata or the pins change.
$(VENV)/.installed-%: pyproject.toml $(CONSTRAINTS) | $(BIN)/python
	@echo "==> installing the project with the '$*' extra (pinned by $(CONSTRAINTS))"
	$(BIN)/python -m pip install --quiet --constraint $(CONSTRAINTS) --editable ".[$*]"
	@touch $@ $(if $(filter test live,$*),$(VENV)/.installed-book)

book: $(VENV)/.installed-book ## build the handbook site into _build/html (PROFILE=cmb)
	@tools/ensure_system_deps.sh fonts
	@echo "==> building the handbook with terms profile '$(PROFILE)' (pages are executed; cached when unchanged)"
	$(JUPYTER_BOOK) build . $(JB_FLAGS)
	@echo "==> done: open _build/html/index.html, or run 'make serve' for http://127.0.0.1:$(PORT)/"

test: $(VENV)/.installed-test ## run the whole suite: units, doctests, data, nbval pages, build and browser tests
	@tools/ensure_system_deps.sh fonts browser
	@$(MAKE) --no-print-directory book PROFILE=$(PROFILE)
	@echo "==> running the test suite"
	$(BIN)/python -m pytest --nbval-lax

test-fast: $(VENV)/.installed-test ## units, doctests and data checks only (no notebooks, builds or browser)
	$(BIN)/python -m pytest -m "not browser and not build and not slow"

check-data: $(VENV)/.installed-book ## validate every YAML file in procedures/ and every terms profile (and PROFILE=path)
	$(BIN)/python -m procedures $(HANDBOOK_PROFILE) $(ARGS)

live: $(VENV)/.installed-live ## start JupyterLab on 127.0.0.1 for trainers (MyST pages open as notebooks)
	@tools/ensure_system_deps.sh fonts
	@# Open .md pages as notebooks (jupytext) and never fetch news or updates: the session works offline.
	@mkdir -p $(VENV)/share/jupyter/lab/settings
	@cp tools/jupyterlab/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	@echo "==> JupyterLab on http://127.0.0.1:$(LIVE_PORT)/ (the URL with its token is printed below; Ctrl-C to stop)"
	$(BIN)/jupyter lab --no-browser --ip=127.0.0.1 --port=$(LIVE_PORT) --ServerApp.root_dir=. --allow-root \
	  --LabApp.extension_manager=readonly --LabApp.default_url=/lab/tree/book/calc/overdue-fee.md

serve: ## serve the built site on http://127.0.0.1:$(PORT)/ (offline, like an intranet server)
	@test -f _build/html/index.html || { echo "error: no site yet, run 'make book' first" >&2; exit 1; }
	$(PYTHON) -m tools.serve --port $(PORT) --directory _build/html

bench: $(VENV)/.installed-test ## measure calculators, build times and the browser calculators
	$(BIN)/python bench/bench_calculators.py
	$(BIN)/python bench/bench_build.py
	$(BIN)/python bench/bench_browser.py

lock: | $(BIN)/python ## re-resolve and pin every dependency into $(CONSTRAINTS)
	$(BIN)/python -m pip install --quiet --upgrade --editable ".[test,live]"
	@mkdir -p requirements
	@echo "# Pinned versions the build and tests were verified with. Regenerate with 'make lock'." > $(CONSTRAINTS)
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e ' >> $(CONSTRAINTS)

clean: ## remove the built site and caches (keeps .venv and downloaded assets)
	rm -rf _build .pytest_cache .hypothesis
	find . -name __pycache__ -not -path './.venv/*' -prune -exec rm -rf {} +
