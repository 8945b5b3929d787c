# Two commands for a fresh machine (see README): `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
CORE := $(VENV)/.core
STAMP := $(VENV)/.installed
DB ?= borderwatch.db
PIP := $(BIN)/pip install --quiet --disable-pip-version-check -c requirements.lock

.PHONY: demo test test-fast lint lock cli-docs bench bench-full bench-extract bench-linear bench-batch bench-neardup bench-scale bench-search bench-web load fuzz devset devset-ko serve screenshots clean

# The core install (what the demo and `borderwatch` need); the tests, lint and benchmarks add the
# `test`, `ftm`, `scale` and `ko` extras (the tests cover the optional Korean analyser too). Every version comes from requirements.lock (`make lock` rewrites it).
$(CORE): pyproject.toml requirements.lock
	$(PY) -m venv $(VENV)
	$(PIP) -e .
	touch $(CORE)

$(STAMP): $(CORE)
	$(PIP) -e '.[test,ftm,scale,ko]'
	touch $(STAMP)

## demo: set up, ingest the bundled invented sample reports into ./borderwatch.db, summarise
demo: $(CORE)
	$(BIN)/borderwatch ingest examples/reports --db $(DB)
	$(BIN)/borderwatch stats --db $(DB)

## test: set up, run the checks (lint) and the whole test suite
test: lint
	$(BIN)/pytest -q

## test-fast: the unit tier (no real processes, servers or browsers), for the edit-test loop
test-fast: $(STAMP)
	BORDERWATCH_EXAMPLES_SCALE=0.2 $(BIN)/pytest -q -n auto --maxprocesses=4 -m "not slow and not e2e" tests/extract tests/clean tests/resolve

## lint: ruff, mypy and the import-layers contract (import-linter), as configured in pyproject.toml
lint: $(STAMP)
	$(BIN)/ruff check src tests bench tools
	$(BIN)/mypy
	$(BIN)/lint-imports

## bench: ingest and search benchmark on 10,000 synthetic reports (text and HTML)
bench: $(STAMP)
	$(BIN)/python bench/ingest_bench.py --reports 10000

## bench-full: as bench, plus 50,000 text reports to show memory stays flat
bench-full: $(STAMP)
	$(BIN)/python bench/ingest_bench.py --reports 10000 --reports 50000

## bench-extract: extraction words/s and memory on one core, against spaCy's small English pipeline (target >= 10x) and bare tokenizer, and Kiwi for Korean
bench-extract: $(STAMP)
	$(PIP) -e '.[bench]'
	$(BIN)/python bench/extract_bench.py

## bench-linear: time and peak memory of read/clean/extract on hostile inputs, 16 KB to 1 MB (target: <= 2x per doubling)
bench-linear: $(STAMP)
	$(BIN)/python bench/linearity.py

## bench-scale: end to end at 200,000 real-length reports (REPORTS=N, CORPUS=text for the dense ones): generate, ingest, search, rebuild incidents, open the brief; each stage's time and peak memory
bench-scale: $(STAMP)
	$(BIN)/python bench/scale_bench.py --reports $(or $(REPORTS),200000) --corpus $(or $(CORPUS),typical)

## bench-neardup: how many edited copies the writer links to their original, and false links between different reports
bench-neardup: $(STAMP)
	$(BIN)/python bench/neardup_bench.py --reports 300

## bench-batch: `borderwatch batch` on 2,000 synthetic reports, LocalCluster of 1 vs 2 workers (alternating): reports/s, peak memory, scaling ratio, a projection to 10M reports on 32 workers
bench-batch: $(STAMP)
	$(BIN)/python bench/batch_bench.py --reports 2000 --rounds 2

## bench-search: search latency (median, p95) of SQLite FTS5, FTS5 tuned and the Tantivy index on 200,000 reports (target p95 <= 25 ms), build time and size
bench-search: $(STAMP)
	$(BIN)/python bench/search_bench.py --reports 200000

## bench-web: every page and API endpoint of `borderwatch serve` on stores of 5,000 and 50,000 reports (target p95 <= 300 ms), and the server's memory
bench-web: $(STAMP)
	$(BIN)/python bench/web_bench.py --reports 5000 --reports 50000

## load: 16 readers on every page and 4 reviewers for 60 s during an ingest (loopback); checks every acknowledged review landed
load: $(STAMP)
	$(BIN)/python bench/load.py --seconds 60 --clients 16 --reviewers 4

## fuzz: the readers' and the extractor's hypothesis properties at length (FUZZ=examples per property; CI runs a few hundred)
FUZZ ?= 500000
fuzz: $(STAMP)
	BORDERWATCH_FUZZ_EXAMPLES=$(FUZZ) $(BIN)/pytest -q -p no:cacheprovider --timeout=0 tests/ingest/test_fuzz_read.py tests/extract/test_fuzz_extract.py

## devset: score extraction on the shared dev set of real English reports (texts retrieved by hand, see bench/devset.py)
devset: $(STAMP)
	$(BIN)/python bench/devset.py --lang en

## devset-ko: the same on the Korean dev set
devset-ko: $(STAMP)
	$(BIN)/python bench/devset.py --lang ko

## screenshots: every workbench page at 1440 and 390 px (sample store, Debian's chromium) into docs/screenshots/
screenshots: $(STAMP)
	$(BIN)/python tools/screenshots.py --out docs/screenshots

## serve: the workbench over ./borderwatch.db on http://127.0.0.1:8000/
serve: demo
	$(BIN)/borderwatch serve --db $(DB)

## cli-docs: rewrite docs/cli.md, the reference of every command and option, from the commands
cli-docs: $(CORE)
	$(BIN)/python tools/cli_reference.py

## lock: rewrite requirements.lock from a fresh environment of the core and the test, ftm, scale and ko extras
lock:
	rm -rf .lockenv && $(PY) -m venv .lockenv
	.lockenv/bin/pip install --quiet --disable-pip-version-check -e '.[test,ftm,scale,ko]'
	{ echo "# Every package of a borderwatch install with the test, ftm, scale and ko extras, as resolved on"; \
	  echo "# $$(date -u +%Y-%m-%d) (make lock). The Makefile installs with -c requirements.lock."; \
	  .lockenv/bin/pip freeze --exclude-editable; } > requirements.lock
	rm -rf .lockenv

clean:
	rm -rf $(VENV) build *.egg-info bench/out
