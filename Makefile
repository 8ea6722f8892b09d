# Chính quyền số: the commands a newcomer and CI need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: install run test lint bench bench-tools migrate seed messages clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py refresh_metrics

run: seed
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# ONE_STOP_ARGS="--database-url postgres://postgres@127.0.0.1:5432/cqs_bench" runs the one-stop bench on PostgreSQL
ONE_STOP_ARGS ?= --dossiers 1000000
METRICS_ARGS ?= --dossiers 100000

bench: install bench-tools
	$(BIN)/python -m bench $(BENCH_ARGS)
	$(BIN)/python -m bench.one_stop $(ONE_STOP_ARGS)
	$(BIN)/python -m bench.metrics_index $(METRICS_ARGS)

# The HTTP benchmarks drive the servers with wrk (Debian package `wrk`).
bench-tools:
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "wrk is missing: installing the Debian package wrk"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; \
	  else \
	    echo "make bench needs wrk: install it (Debian/Ubuntu: sudo apt-get install wrk) and run again." >&2; \
	    exit 1; \
	  fi; \
	}

messages: install
	$(BIN)/python manage.py makemessages -l vi -l en --no-obsolete --ignore '.venv/*' --ignore 'bench/*' --ignore 'var/*'
	$(BIN)/python manage.py compilemessages --ignore '.venv/*' --ignore 'var/*'

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
