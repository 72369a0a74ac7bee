# Maillage — `make run` serves the demo on http://127.0.0.1:8000 (PORT overrides) with its background worker,
# `make test` runs every check.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
MAILLAGE := $(BIN)/maillage
# The 25 slowest tests are listed at the end of each run: what to look at first when the suite grows.
PYTEST := $(BIN)/pytest -p randomly --durations=25
# One worker per core (pytest-xdist): the suite is CPU-bound. Tests are handed out two at a time and in order:
# a few take seconds where most take milliseconds, so the workers finish together; and each worker keeps
# pytest-django's order, the transactional tests (which empty every table) after the others. Work stealing
# (--dist worksteal) would break that order. `make test XDIST=` runs in a single process.
XDIST ?= -n auto --dist load --maxschedchunk 1
# The PostgreSQL half uses POSTGRES_URL when given, else postgres://postgres@127.0.0.1:5432/maillage if it
# answers, else a throwaway server (scripts/with-postgres.py, docs/decisions/0018-tests-on-a-bare-machine.md).
POSTGRES_URL ?=

.PHONY: run test test-prerequisites lint check-migrations check-deploy test-sqlite test-postgres test-browser \
	bench-load explain-plans screenshots install clean

run: install
	mkdir -p $${MAILLAGE_VAR_DIR:-var} && chmod 700 $${MAILLAGE_VAR_DIR:-var}
	$(MAILLAGE) init_keys
	$(MAILLAGE) migrate --noinput
	$(MAILLAGE) createcachetable
	$(MAILLAGE) load_grids
	$(MAILLAGE) load_demo
	@echo "Pages de débogage de Django désactivées ; pour les activer : MAILLAGE_DEBUG=1 make run"
	# The web server and the background worker (reminders, daily checks), stopped together by Ctrl-C.
	$(BIN)/python scripts/run.py 127.0.0.1:$${PORT:-8000}

test: test-prerequisites lint check-migrations check-deploy test-sqlite test-postgres

# What the tests need from the machine, before any test runs: Debian's Chromium, a font and libatomic1 for the
# browser journeys (installed with apt-get as root; otherwise the command to run is printed and make stops), and
# POSTGRES_URL answering when it is given. Standard library only: it runs before the virtual environment exists.
test-prerequisites:
	POSTGRES_URL="$(POSTGRES_URL)" $(PYTHON) scripts/test-prerequisites.py

# Formatting, lint, and the dependency directions between apps (docs/decisions/0015-dependency-directions.md).
lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports

check-migrations: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(MAILLAGE) makemigrations --check --dry-run

# Production settings must pass Django's deployment checks without a single warning.
check-deploy: install
	DJANGO_SETTINGS_MODULE=config.settings.prod MAILLAGE_ALLOWED_HOSTS=maillage.example \
	MAILLAGE_SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	$(MAILLAGE) check --deploy --fail-level WARNING

# Every test, browser journeys and whole-app checks included. pytest's exit status 5 (no test collected) fails
# the target too.
test-sqlite: test-prerequisites install
	env -u DATABASE_URL $(PYTEST) $(XDIST)

# Every test but the browser journeys and the whole-app checks (URL crawls, three-year demo replay), which ran on
# SQLite: the queries they go through are tested here by the rest (policy matrix, pages, API, a 12-situation
# demo). The PostgreSQL-only tests (test_postgresql.py) run here. One database per worker (<name>_gw0, _gw1…).
# scripts/with-postgres.py sets DATABASE_URL (and MAILLAGE_PG_BINDIR for a throwaway server) and passes on
# pytest's exit status.
test-postgres: test-prerequisites install
	POSTGRES_URL="$(POSTGRES_URL)" $(BIN)/python scripts/with-postgres.py \
		$(PYTEST) $(XDIST) -m "not browser and not whole_app"

test-browser: test-prerequisites install
	env -u DATABASE_URL $(PYTEST) $(XDIST) -m browser

# Load test of `maillage serve` on a throwaway demo (scripts/bench_load.py): 20 people signed in, 30 s, loopback
# only; figures per page. `make bench-load BENCH_ARGS="--postgres postgres://postgres@127.0.0.1:5432/maillage_bench"`
# runs it on a PostgreSQL database created and dropped for the run; `--duration`, `--users`, `--situations`;
# MAILLAGE_WEB_WORKERS and MAILLAGE_WEB_THREADS size the server as for `maillage serve`.
BENCH_ARGS ?=
bench-load: install
	$(BIN)/python scripts/bench_load.py $(BENCH_ARGS)

# EXPLAIN (ANALYZE, BUFFERS) of the situation list's statements (page 1, deep page by keyset, capped count,
# pseudonym and name searches) for a coordinator, a referent and two professionals of the demo territory,
# into $(PLANS_DIR) with a README (scale, date, machine). Needs DATABASE_URL to a large database filled by
# `maillage synth`, and its MAILLAGE_VAR_DIR (the keys of the name search): docs/performance.md. Reads only.
PLANS_DIR ?= docs/performance
explain-plans: install
	@test -n "$$DATABASE_URL" || { echo "DATABASE_URL : la grande base PostgreSQL à expliquer (postgres://…)"; exit 2; }
	$(MAILLAGE) explain-plans --out $(PLANS_DIR)

# The pictures of docs/screenshots/ (README), from a throwaway demo in Debian's Chromium.
screenshots: test-prerequisites install
	$(BIN)/python scripts/screenshots.py

install: $(INSTALLED)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstalled only when pyproject.toml changed since the last installation.
$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

# Leaves var/ alone: it holds the database, the secret key and (later) the encryption keys.
clean:
	rm -rf $(VENV) build staticfiles test-artifacts .pytest_cache .ruff_cache *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
