# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
ARGS   ?=

# A .venv whose interpreter no longer runs (moved checkout, upgraded Python) is stale: rebuild it.
ifneq ($(shell $(BIN)/python -c "print('ok')" 2>/dev/null),ok)
$(shell rm -rf $(VENV))
endif

.PHONY: run test bench bench-1m fuzz screenshots lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,web]'
	touch $(VENV)/.installed $@

# An editable install leaves the package's own modules uncompiled (pip compiles every
# other one). Where PYTHONDONTWRITEBYTECODE is set they would be compiled again by every
# process: ~0.3 s on each launch, and ~40 CPU-seconds of the suite's child processes.
# compileall writes only what changed since it last ran.
COMPILE = $(BIN)/python -m compileall -q tui

run: $(VENV)/.installed
	@$(COMPILE)
	$(BIN)/broadsheet $(ARGS)

test: $(VENV)/.installed-test
	@$(COMPILE)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.installed-test
	@$(COMPILE)
	$(BIN)/python -m bench.run $(ARGS)

# A million articles (~3.8 GB, generated once into bench/.corpora, minutes): a first
# launch, then a second that reads the store. Not part of `make bench`.
bench-1m: $(VENV)/.installed-test
	@$(COMPILE)
	$(BIN)/python -m bench.run --sizes 1000000 --large-runs 1 --load-presses 0 \
		--no-open-sizes --load-timeout 1800 --out bench/results-1m $(ARGS)

# Random bytes, file names and queries for FUZZ_SECONDS in all (not part of `make test`).
FUZZ_SECONDS ?= 120
fuzz: $(VENV)/.installed-test
	$(BIN)/python scripts/fuzz.py --seconds $(FUZZ_SECONDS) $(FUZZ_ARGS)

screenshots: $(VENV)/.installed-test
	$(BIN)/python scripts/export_screenshots.py

$(VENV)/.installed-lint: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,web,lint]'
	touch $(VENV)/.installed $(VENV)/.installed-test $@

lint: $(VENV)/.installed-lint
	$(BIN)/python -m ruff check tui tests bench scripts
	$(BIN)/python -m mypy tui

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build dist
