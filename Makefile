# tenken — see README.md. Two commands matter: `make run` and `make test`.
PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
HOST    ?= 127.0.0.1
PORT    ?= 8000
STAMP   := $(VENV)/.installed

.PHONY: run test test-sqlite test-postgres lint bench install system-deps clean css

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Debian packages for PDF (Noto CJK, harfbuzz subsetting), pdftotext, browser tests and wrk.
system-deps:
	bash scripts/system-deps.sh

## Start tenken on SQLite with the Kanagawa plan loaded (prints the staff login).
run: $(STAMP)
	$(BIN)/tenken setup-demo
	$(BIN)/tenken runserver $(HOST):$(PORT)

## The whole suite: lint, then tests on SQLite and on PostgreSQL (127.0.0.1:5432).
test: $(STAMP)
	bash scripts/system-deps.sh
	$(BIN)/ruff check .
	$(MAKE) test-sqlite
	$(MAKE) test-postgres

test-sqlite: $(STAMP)
	TENKEN_DB=sqlite $(BIN)/pytest

test-postgres: $(STAMP)
	TENKEN_DB=postgres $(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var

## Rebuild the committed static CSS (tenken/web/static/tenken/) from the Digital Agency design tokens
## and the vendored axe-core (tests/vendor/) — development time only; needs Node and the npm registry.
css:
	cd frontend && npm ci --no-audit --no-fund && node build.mjs
