# The two commands of the README: `make run` and `make test`.
# Both create .venv and install the locked dependencies first.

VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install lint typecheck pytest browser-deps lock bench clean

install:
	@scripts/bootstrap requirements-dev.lock

## Start the whole desk (web + worker + beat) with demo data on http://$(HOST):$(PORT)
run: install
	@$(PY) manage.py migrate --no-input --verbosity 0
	@$(PY) manage.py collectstatic --no-input --verbosity 0
	@$(PY) manage.py load_demo
	@exec $(PY) manage.py run_desk --host $(HOST) --port $(PORT)

## Run the whole suite: lint, type check, and every test
test: install browser-deps lint typecheck pytest

lint:
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .

typecheck:
	@$(VENV)/bin/mypy accounts api faq tickets orders disputes support_desk

pytest:
	@$(PY) -m pytest $(PYTEST_ARGS)

browser-deps:
	@scripts/ensure-chromium

## Benchmark the desk on PostgreSQL and Redis (README, "Benchmarks"); e.g. BENCH_ARGS="--entries 2000 --duration 3"
bench: install
	@$(PY) -m bench.run $(BENCH_ARGS)

## Re-resolve the lock files from pyproject.toml (needs network to PyPI)
lock:
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --python-version 3.12 --no-header -o requirements.lock
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --python-version 3.12 --no-header -o requirements-dev.lock

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache
