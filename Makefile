# The two commands of the README: `make run` and `make test`.
# Both create .venv and install the locked dependencies first.

VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Browser libraries the pages load, from the npm registry (package-lock.json).
CHART_JS := static/vendor/chart.js/chart.umd.min.js

.PHONY: run test install lint security typecheck pytest chaos browser-deps lock bench clean

install: $(CHART_JS)
	@scripts/bootstrap requirements-dev.lock

# npm ci runs when package-lock.json is newer than node_modules; the files the
# pages load are copied into static/vendor/ (git-ignored), where the static
# files finders and collectstatic look. The Dockerfile does the same.
node_modules/.package-lock.json: package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "support-desk: npm is missing; install Node.js and npm (Debian: apt-get install npm)" >&2; exit 1; }
	@echo "support-desk: installing package-lock.json"
	@npm ci --omit=dev --no-audit --no-fund --loglevel=error
	@touch $@

$(CHART_JS): node_modules/.package-lock.json
	@mkdir -p $(@D)
	@cp node_modules/chart.js/dist/chart.umd.min.js node_modules/chart.js/dist/chart.umd.min.js.map $(@D)/

## Start the whole desk (web + worker + beat) with demo data on http://$(HOST):$(PORT)
run: install
	@$(PY) manage.py migrate --no-input --verbosity 0
	@$(PY) manage.py collectstatic --no-input --verbosity 0
	@$(PY) manage.py load_demo
	@exec $(PY) manage.py run_desk --host $(HOST) --port $(PORT)

## Run the whole suite: lint, type check, and every test
test: install browser-deps lint security typecheck pytest chaos

lint:
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .

## Security scans (SECURITY.md): Django's deploy checks on the production settings, known
## vulnerabilities in both lock files (.pip-audit-ignore lists accepted ones with reasons),
## and bandit over the desk's code (medium and high findings; `# nosec BXXX  # why` where justified)
security: install
	@echo "support-desk: manage.py check --deploy with support_desk.settings_production"
	@DJANGO_SETTINGS_MODULE=support_desk.settings_production \
		DJANGO_SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
		DATABASE_URL=postgres://desk@db.invalid:5432/support_desk \
		REDIS_URL=redis://redis.invalid:6379/0 \
		DJANGO_ALLOWED_HOSTS=help.example.com \
		EMAIL_HOST=smtp.example.com \
		$(PY) manage.py check --deploy --fail-level WARNING
	@$(PY) scripts/audit_dependencies.py requirements.lock requirements-dev.lock
	@echo "support-desk: bandit (medium and high findings)"
	@# Bandit also warns about each line of a multi-line statement its nosec covers: noise.
	@bash -o pipefail -c '$(VENV)/bin/bandit -c pyproject.toml -r . --severity-level medium --quiet 2>&1 \
		| { grep -v "nosec encountered" || true; }'

typecheck:
	@$(VENV)/bin/mypy accounts api faq tickets orders disputes support_desk reports webhooks audit

# The fast suite runs on every core with pytest-xdist; each worker process has its own
# test database, var/ folder and Redis keys. PYTEST_WORKERS=0 runs it in one process.
# The 15 slowest tests are listed at the end, to keep the suite fast.
PYTEST_WORKERS ?= auto
pytest:
	@$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadfile --durations=15 $(PYTEST_ARGS)

## Fault injection against the desk's own PostgreSQL, Redis, gunicorn and Celery processes (README, "Reliability")
chaos: install
	@$(PY) -m pytest tests/chaos -m chaos $(CHAOS_ARGS)

browser-deps:
	@scripts/ensure-chromium

## Benchmark the desk on PostgreSQL and Redis (README, "Benchmarks"); e.g. BENCH_ARGS="--entries 2000 --tickets 20000 --duration 3"
bench: install
	@$(PY) -m bench.run $(BENCH_ARGS)

## Re-resolve the lock files from pyproject.toml (needs network to PyPI)
lock:
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --python-version 3.12 --no-header -o requirements.lock
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --python-version 3.12 --no-header -o requirements-dev.lock

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache
