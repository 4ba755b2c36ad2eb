# okr-workshop: `make demo` runs the example, `make test` runs the tests.
# Both start with `make install`, which creates .venv from pyproject.toml when
# needed and does nothing (in well under a second) when nothing changed.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO   := build/demo
EXAMPLE := templates/examples/brightwell

.PHONY: install demo test bench templates clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@PYTHON="$(PYTHON)" sh .ci/venv.sh $(VENV)
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -e '.[test]'
	@# rfc3987-syntax (an optional URI checker of jsonschema, pulled in by Jupyter) costs
	@# about 3 s on every kernel's first import of altair or nbformat; nothing of ours needs it.
	@$(BIN)/uv pip uninstall --quiet --python $(BIN)/python rfc3987-syntax 2>/dev/null || true
	@# Byte-compile everything once: with PYTHONDONTWRITEBYTECODE set, Python would
	@# otherwise recompile pandas and SQLAlchemy on every start (seconds each time).
	@$(BIN)/python -m compileall -q -j 0 $(VENV)/lib >/dev/null || true
	@touch $(STAMP)

demo: install
	@rm -rf $(DEMO) && mkdir -p $(DEMO)
	$(BIN)/okr-workshop validate $(EXAMPLE)
	$(BIN)/okr-workshop import $(EXAMPLE) --db $(DEMO)/workshop.db
	$(BIN)/okr-workshop export $(DEMO)/brightwell.xlsx --db $(DEMO)/workshop.db
	$(BIN)/okr-workshop summary --db $(DEMO)/workshop.db
	$(BIN)/okr-workshop check --db $(DEMO)/workshop.db || true
	$(BIN)/okr-workshop check --db $(DEMO)/workshop.db --format html --out $(DEMO)/check.html || true
	@echo "The demo store is $(DEMO)/workshop.db; the exported workbook $(DEMO)/brightwell.xlsx;"
	@echo "the SMART check as a page to project: $(DEMO)/check.html (the example has planted flaws, so it reports some)."

test: install
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python benchmarks/bench_workbook.py

templates: install
	$(BIN)/okr-workshop template templates/blank/okr-workbook
	$(BIN)/okr-workshop template templates/blank/okr-workbook.xlsx

clean:
	rm -rf build $(VENV) .pytest_cache
