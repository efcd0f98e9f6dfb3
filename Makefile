# Set-up is automatic: every target below creates .venv from uv.lock first (uv is
# bootstrapped into .tools/ with the system python3's pip).
UV_VERSION := 0.13.9
PYTHON     := python3.11
UV         := .tools/bin/uv
PY         := .venv/bin/python
INPUT      ?= seeds
OUTPUT     ?= output

export UV_PYTHON_DOWNLOADS := never
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1
export GX_ANALYTICS_ENABLED := false
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS := 120

.PHONY: run test test-fast lint bench torture serve score docs install clean

run: .venv/.installed  ## extract seeds/ (or INPUT=...) into output/ (or OUTPUT=...)
	$(PY) -m flows run --input $(INPUT) --output $(OUTPUT)

test: .venv/.installed  ## the whole test suite, as CI runs it
	$(PY) -m pytest

test-fast: .venv/.installed  ## the quick loop: every test but the end-to-end ones marked slow (no Prefect)
	$(PY) -m pytest -m "not slow"

lint: .venv/.installed  ## ruff over the repository, mypy over transforms/ (settings in pyproject.toml)
	$(PY) -m ruff check .
	$(PY) -m mypy transforms

bench: .venv/.installed  ## speed, memory and incremental re-runs on ../shared/corpus (not a test; prints figures)
	$(UV) run --frozen --group bench python -m bench.run

torture: .venv/.installed  ## hostile inputs next to the seeds through the real flow; prints seconds per MB
	$(PY) -m bench.torture

serve: .venv/.installed  ## local Prefect server + worker for the 'newsfacts/daily' deployment (Ctrl-C stops both)
	$(PY) -m flows.serve

score: .venv/.installed  ## score output/ (or OUTPUT=...) against the seed gold (or GOLD=..., e.g. ../shared/gold/dev)
	$(PY) -m evaluation.score --gold $(or $(GOLD),tests/gold) --output $(OUTPUT)

docs: .venv/.installed  ## regenerate the documents derived from transforms/schemas.py and the suites
	$(PY) -m flows docs

install: .venv/.installed

# Bytecode is compiled at install: with PYTHONDONTWRITEBYTECODE set, every process would
# otherwise recompile pandas, Prefect and Great Expectations from source (seconds each).
.venv/.installed: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen --compile-bytecode --python $(PYTHON)
	touch $@

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/python -m pip install --quiet --disable-pip-version-check 'uv==$(UV_VERSION)'

clean:
	rm -rf .venv .tools output .pytest_cache .mypy_cache .ruff_cache
