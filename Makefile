# lawie: `make demo` sets everything up and runs the extractor on a bundled example; `make test` runs the tests.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.lawie-installed
PIP_FLAGS ?= -q --disable-pip-version-check

.PHONY: setup demo test train corpus eval bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install $(PIP_FLAGS) torch==2.13.0
	$(BIN)/pip install $(PIP_FLAGS) -e '.[test]'
	@touch $(STAMP)

demo: setup
	$(BIN)/lawie predict corpus/examples/demo.txt --format pretty

test: setup
	$(BIN)/python -m pytest -q tests

corpus: setup
	$(BIN)/lawie synth --config train/configs/corpus.toml --output corpus/generated

train: corpus
	$(BIN)/lawie train --config train/configs/small.toml --output models/lawie-small

eval: setup
	$(BIN)/lawie eval-suite --model models/lawie-small --precision float32

bench: setup
	$(BIN)/lawie bench

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
