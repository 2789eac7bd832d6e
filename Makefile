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

.PHONY: help venv lab test lint release bench grade clean

help:
	@echo "make lab      set up .venv if needed and open JupyterLab on the course (student view)"
	@echo "make test     set up .venv if needed and run every test"
	@echo "make release  regenerate notebooks/ from solutions/ with nbgrader"
	@echo "make bench    time cnnlib's operations, training (vs loops, scipy, PyTorch if installed) and the widgets"
	@echo "make grade LESSON=01_pixels   grade submitted/*/LESSON/ in sandboxes (GRADE_ARGS='--zip lms.zip ...')"
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

lint: $(STAMP)
	$(BIN)/ruff check .

test: $(STAMP)
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
	rm -rf $(VENV) gradebook.db submitted autograded feedback reports .pytest_cache .hypothesis
