# Two commands for a fresh machine (see README): `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= borderwatch.db

.PHONY: demo test bench bench-full bench-extract devset devset-ko serve clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

## demo: set up, ingest the bundled invented sample reports into ./borderwatch.db, summarise
demo: $(STAMP)
	$(BIN)/borderwatch ingest examples/reports --db $(DB)
	$(BIN)/borderwatch stats --db $(DB)

## test: set up and run the whole test suite
test: $(STAMP)
	$(BIN)/pytest -q

## bench: ingest and search benchmark on 10,000 synthetic reports (text and HTML)
bench: $(STAMP)
	$(BIN)/python bench/ingest_bench.py --reports 10000

## bench-full: as bench, plus 50,000 text reports to show memory stays flat
bench-full: $(STAMP)
	$(BIN)/python bench/ingest_bench.py --reports 10000 --reports 50000

## bench-extract: extraction words/s and memory on one core, against spaCy's small English pipeline (target >= 10x) and bare tokenizer
bench-extract: $(STAMP)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[bench]'
	$(BIN)/python bench/extract_bench.py

## devset: score extraction on the shared dev set of real English reports (texts retrieved by hand, see bench/devset.py)
devset: $(STAMP)
	$(BIN)/python bench/devset.py --lang en

## devset-ko: the same on the Korean dev set
devset-ko: $(STAMP)
	$(BIN)/python bench/devset.py --lang ko

## serve: the workbench over ./borderwatch.db on http://127.0.0.1:8000/
serve: demo
	$(BIN)/borderwatch serve --db $(DB)

clean:
	rm -rf $(VENV) build *.egg-info bench/out
