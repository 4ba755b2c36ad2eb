# okr-workshop: `make demo` runs the example, `make test` checks the style (ruff) and runs the tests.
# Both start with `make install`, which creates .venv from pyproject.toml when
# needed and does nothing (in well under a second) when nothing changed, then
# look for the system parts they use (.ci/system.sh): a browser to print PDFs
# with, and for the tests PostgreSQL's server programs. As root (or with
# password-less sudo) on Debian/Ubuntu what is missing is installed; otherwise
# a line says how to get it, the demo writes HTML without PDFs and the tests
# that need it skip.

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
	@sh .ci/system.sh demo $(BIN)/python
	@rm -rf $(DEMO) && mkdir -p $(DEMO)
	$(BIN)/okr-workshop validate $(EXAMPLE)
	$(BIN)/okr-workshop import $(EXAMPLE) --db $(DEMO)/workshop.db
	$(BIN)/okr-workshop export $(DEMO)/brightwell.xlsx --db $(DEMO)/workshop.db
	$(BIN)/okr-workshop summary --db $(DEMO)/workshop.db
	$(BIN)/okr-workshop check --db $(DEMO)/workshop.db || true
	$(BIN)/okr-workshop check --db $(DEMO)/workshop.db --format html --out $(DEMO)/check.html || true
	@# Week 9 of 2026-Q4: a few check-ins, then where the quarter stands on that day.
	$(BIN)/okr-workshop checkin FLEET-1.1 14 --confidence 0.85 --note "Parts now come twice a week" \
		--author aisha.bello@brightwell.example --date 2026-11-27 --db $(DEMO)/workshop.db
	$(BIN)/okr-workshop checkin SUPPORT-2.2 32 --confidence 0.35 --note "Login bug fixed; tickets easing" \
		--author ingrid.solberg@brightwell.example --date 2026-11-27 --db $(DEMO)/workshop.db
	$(BIN)/okr-workshop checkin C3.2 16 --confidence 0.55 --note "First pulse survey is in" \
		--author hannah.kim@brightwell.example --date 2026-11-27 --db $(DEMO)/workshop.db
	@# The login bug changed what support can reach: the target moves, and the change stays on the record.
	$(BIN)/okr-workshop adjust SUPPORT-2.2 --target 25 --author ingrid.solberg@brightwell.example --date 2026-11-20 \
		--reason "A login bug doubled tickets for three weeks; 22 is out of reach this quarter" --db $(DEMO)/workshop.db
	@# Two teams look back early, at the mid-quarter review: what worked, what did not, what next.
	$(BIN)/okr-workshop reflect SUPPORT-2 --author ingrid.solberg@brightwell.example --date 2026-11-27 \
		--worked "Help articles for the five most asked questions" --did-not-work "Chat bot answers" \
		--learned "Riders search the app, not the website" --next carry --db $(DEMO)/workshop.db
	$(BIN)/okr-workshop reflect MARKETING-1 --author giulia.rossi@brightwell.example --date 2026-11-27 \
		--score 0.6 --worked "Bike days at train stations" --did-not-work "Paid social ads" \
		--learned "People try the bike before they believe the price" --next keep --db $(DEMO)/workshop.db
	@# Five key results measure themselves: the queries and the notebook of $(EXAMPLE)/analytics/measures.yaml
	@# read an analytics database made from the example's numbers, and each value becomes the day's check-in.
	$(BIN)/python $(EXAMPLE)/analytics/make_analytics.py $(DEMO)/analytics.db
	BRIGHTWELL_ANALYTICS=$(abspath $(DEMO)/analytics.db) $(BIN)/okr-workshop measure $(EXAMPLE)/analytics/measures.yaml \
		--as-of 2026-11-27 --db $(DEMO)/workshop.db
	$(BIN)/okr-workshop status --as-of 2026-11-27 --db $(DEMO)/workshop.db
	$(BIN)/okr-workshop status --as-of 2026-11-27 --format json --db $(DEMO)/workshop.db > $(DEMO)/status.json
	$(BIN)/okr-workshop status --as-of 2026-11-27 --team marketing --charts $(DEMO)/charts --db $(DEMO)/workshop.db >/dev/null
	@echo "The demo store is $(DEMO)/workshop.db; the exported workbook $(DEMO)/brightwell.xlsx;"
	@echo "the SMART check as a page to project: $(DEMO)/check.html (the example has planted flaws, so it reports some);"
	@echo "the status on 2026-11-27 as JSON: $(DEMO)/status.json; the marketing team's charts: $(DEMO)/charts/*.svg."
	@# PDFs when this machine has something to print them with; else HTML and a line saying how to get PDFs.
	$(BIN)/okr-workshop report --quarter 2026-Q4 --company --all-teams --format auto \
		--as-of 2026-11-27 --out $(DEMO)/reports --db $(DEMO)/workshop.db
	@echo "The quarterly review reports (company and every team): open $(DEMO)/reports/index.html"

test: install
	$(BIN)/ruff check okr_workshop tests benchmarks deploy templates notebooks
	@sh .ci/system.sh test $(BIN)/python
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python benchmarks/bench_workbook.py
	$(BIN)/python benchmarks/bench_status.py
	$(BIN)/python benchmarks/bench_reports.py

templates: install
	$(BIN)/okr-workshop template templates/blank/okr-workbook
	$(BIN)/okr-workshop template templates/blank/okr-workbook.xlsx

clean:
	rm -rf build $(VENV) .pytest_cache
