# The course's commands. None needs the venv activated: every target uses .venv/bin directly
# and puts it first on PATH (nbgrader runs `alembic` by name when it creates a gradebook).

PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	&& { echo $$p; break; }; done)
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
STAMP := $(VENV)/.installed
export PATH := $(BIN):$(PATH)
# MPLBACKEND is deliberately left alone: set to Agg it would stop notebooks showing figures.

# JupyterLab refuses to run as root unless told to (containers, CI machines).
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)
# The student view: the generated notebooks, without nbgrader's instructor panels (Validate stays).
STUDENT_VIEW := --ServerApp.root_dir=notebooks --LabApp.app_settings_dir=$(CURDIR)/assets/lab/student
LAB_ARGS ?=
PYTEST_ARGS ?=

.PHONY: help venv lab hub test lint release bench grade clean

help:
	@echo "make lab      set up .venv if needed and open JupyterLab on the course (student view)"
	@echo "make hub      set up .venv and JupyterHub's proxy, start the course's hub on http://127.0.0.1:8000"
	@echo "make test     set up .venv if needed and run every test"
	@echo "make release  regenerate notebooks/ from solutions/ with nbgrader"
	@echo "make bench    time cnnlib's operations, training (vs loops, scipy, PyTorch if installed) and the widgets"
	@echo "make grade LESSON=01_pixels   grade submitted/*/LESSON/ in sandboxes (GRADE_ARGS='--zip lms.zip ...',"
	@echo "                              or on a Dask cluster: GRADE_ARGS='--scheduler tcp://HOST:8786')"
	@echo "make lint     ruff on the code"
	@echo "make clean    remove .venv and nbgrader's working files"

# Re-run whenever requirements.txt or pyproject.toml is newer than the last install.
$(STAMP): requirements.txt pyproject.toml
	@if [ -z "$(PYTHON)" ]; then echo "error: the course needs Python 3.11 or newer (python3.11, python3.12 ...) on PATH" >&2; exit 1; fi
	@if [ ! -x $(VENV)/bin/python ]; then echo "creating $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); fi
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

venv: $(STAMP)

lab: $(STAMP)
	@echo "Opening JupyterLab on notebooks/ (the student view). Open the URL printed below;"
	@echo "stop it with Ctrl+C. Extra options: make lab LAB_ARGS='--ip=0.0.0.0 --no-browser'"
	$(BIN)/jupyter lab $(STUDENT_VIEW) $(ROOT_FLAG) $(LAB_ARGS)

# JupyterHub's proxy (configurable-http-proxy) comes from npm, pinned by hub/package-lock.json.
PROXY := hub/node_modules/.bin/configurable-http-proxy
$(PROXY): hub/package.json hub/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "error: the hub's proxy needs Node.js 20 or newer and npm (apt-get install nodejs npm)" >&2; exit 1; }
	cd hub && npm ci --no-audit --no-fund --loglevel=error
	@touch $(PROXY)
# make test installs the proxy when npm is there; without it the hub's test is skipped and says why.
HUB_PROXY := $(if $(shell command -v npm 2>/dev/null),$(PROXY))

HUB_ARGS ?=
hub: $(STAMP) $(PROXY)
	@echo "Starting the course's hub; stop it with Ctrl+C. Its passwords and folders are printed below."
	$(BIN)/jupyterhub -f hub/jupyterhub_config.py $(HUB_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .

test: $(STAMP) $(HUB_PROXY)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

release: $(STAMP)
	$(BIN)/python -m coursetools release

LESSON ?=
GRADE_ARGS ?=
grade: $(STAMP)
	@if [ -z "$(LESSON)" ]; then echo "usage: make grade LESSON=01_pixels [GRADE_ARGS='--zip lms.zip --workers 4']" >&2; exit 2; fi
	$(BIN)/python -m coursetools grade $(LESSON) $(GRADE_ARGS)

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_ops.py
	$(BIN)/python benchmarks/bench_train.py
	$(BIN)/python benchmarks/bench_widgets.py

clean:
	rm -rf $(VENV) hub/node_modules gradebook.db submitted autograded feedback reports .pytest_cache .hypothesis
