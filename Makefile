# Two commands do the whole set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi:app
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench bench-sales bench-work bench-scale bench-load mutate install translations browser-deps pdf-deps clean

$(BIN)/activate: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(BIN)/activate

install: $(BIN)/activate translations

translations: $(BIN)/activate
	$(BIN)/pybabel compile -d app/translations --statistics

# BASE_URL makes the printed log-in links (and e-mailed links) point where gunicorn listens.
run: install
	BASE_URL=$${BASE_URL:-http://$(HOST):$(PORT)} $(BIN)/flask dev setup
	BASE_URL=$${BASE_URL:-http://$(HOST):$(PORT)} $(BIN)/gunicorn -c python:app.devserver \
	  --workers 2 --threads 4 --bind $(HOST):$(PORT) --access-logfile - wsgi:app

test: install browser-deps pdf-deps
	$(BIN)/pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

bench: install
	$(BIN)/python -m bench.tenancy && $(BIN)/python -m bench.customers

bench-sales: install
	$(BIN)/python -m bench.sales

# Work management and collaboration (issue-level targets in docs/PERFORMANCE.md).
bench-work: install
	$(BIN)/python -m bench.work && $(BIN)/python -m bench.work_tasks && \
	$(BIN)/python -m bench.calendar && $(BIN)/python -m bench.activity && \
	$(BIN)/python -m bench.mail && $(BIN)/python -m bench.visibility

# Long runs, kept out of `make bench`: 5,000 tenant schemas (SCALE_ARGS="--tenants N
# --budget-s S" to bound it), and the 10-minute mixed load (LOAD_ARGS="--minutes M").
bench-scale: install
	$(BIN)/python -m bench.scale $(SCALE_ARGS)

bench-load: install
	$(BIN)/python -m bench.load $(LOAD_ARGS)

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

# The PDF tests render quotes and invoices with poppler, which needs its CMaps (poppler-data)
# and a Chinese font to stand in for the Adobe fonts the PDFs name.
pdf-deps:
	@if [ ! -x /usr/bin/pdftoppm ] || [ ! -d /usr/share/poppler/cMap ] || ! fc-list :lang=zh-tw | grep -q .; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils poppler-data fonts-arphic-uming >/dev/null) \
	      || echo "WARNING: could not install poppler: the PDF rendering tests will fail"; \
	  else echo "WARNING: install poppler-utils, poppler-data and fonts-arphic-uming: the PDF rendering tests need them"; fi; \
	fi

clean:
	rm -rf $(VENV) instance/pgdata-test
