# Two commands do the whole set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi:app
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench bench-sales mutate install translations browser-deps clean

$(BIN)/activate: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(BIN)/activate

install: $(BIN)/activate translations

translations: $(BIN)/activate
	$(BIN)/pybabel compile -d app/translations --statistics

run: install
	$(BIN)/flask dev setup
	$(BIN)/gunicorn --workers 2 --threads 4 --bind $(HOST):$(PORT) --access-logfile - wsgi:app

test: install browser-deps
	$(BIN)/pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

bench: install
	$(BIN)/python -m bench.tenancy && $(BIN)/python -m bench.customers

bench-sales: install
	$(BIN)/python -m bench.sales

# Mutation testing of the core modules (docs/TESTING.md): by hand or nightly, never in CI.
# MODULES="tokenizer pricing" limits it to the modules whose path contains one of the words.
mutate: install
	$(BIN)/python -m tests.mutation.run $(MODULES)

# Browser tests drive Debian's chromium through Playwright; install it when we can.
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "WARNING: could not install chromium: browser tests will be skipped"; \
	  else echo "WARNING: /usr/bin/chromium missing and cannot be installed: browser tests will be skipped"; fi; \
	fi

clean:
	rm -rf $(VENV) instance/pgdata-test
