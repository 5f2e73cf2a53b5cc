# tenken — see README.md. Two commands matter: `make run` and `make test`.
PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
HOST    ?= 127.0.0.1
PORT    ?= 8000
STAMP   := $(VENV)/.installed
WHEELHOUSE ?= wheelhouse
# pip-compile options shared by both lock files (see docs/install.md, "依存関係のロック").
LOCKOPTS := --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-find-links --no-emit-index-url

.PHONY: run test test-sqlite test-postgres test-offline lint bench install lock wheelhouse install-offline \
	system-deps clean css

## Installs exactly the locked versions (hash-checked), then tenken itself (editable, no dependencies).
$(STAMP): pyproject.toml requirements-dev.lock
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --require-hashes -r requirements-dev.lock
	$(BIN)/pip install -q --no-deps -e .
	@$(BIN)/pip check >/dev/null || { $(BIN)/pip check; \
	  echo "pyproject.toml の依存関係が requirements-dev.lock にありません: make lock を実行してください" >&2; exit 1; }
	touch $(STAMP)

install: $(STAMP)

## Re-lock after changing dependencies in pyproject.toml (keeps existing pins; LOCK_UPGRADE=1 upgrades all).
lock:
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q pip-tools
	$(BIN)/pip-compile $(LOCKOPTS) $(if $(LOCK_UPGRADE),--upgrade) --extra dev -o requirements-dev.lock pyproject.toml
	$(BIN)/pip-compile $(LOCKOPTS) -c requirements-dev.lock -o requirements.lock pyproject.toml

## On a machine with registry access: the locked runtime wheels and the tenken wheel into $(WHEELHOUSE)/.
wheelhouse: $(STAMP)
	rm -rf $(WHEELHOUSE) && mkdir -p $(WHEELHOUSE)
	$(BIN)/pip wheel -q --require-hashes -r requirements.lock -w $(WHEELHOUSE)
	$(BIN)/pip wheel -q --no-deps -w $(WHEELHOUSE) .
	cp requirements.lock $(WHEELHOUSE)/
	cd $(WHEELHOUSE) && sha256sum *.whl > SHA256SUMS

## Inside LGWAN (no network): install tenken into $(VENV) from $(WHEELHOUSE) alone.
install-offline:
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install --no-index --find-links $(WHEELHOUSE) --require-hashes -r $(WHEELHOUSE)/requirements.lock
	$(BIN)/pip install --no-index --find-links $(WHEELHOUSE) --no-deps tenken

## Debian packages for PDF (Noto CJK, harfbuzz subsetting), pdftotext, browser tests and wrk.
system-deps:
	bash scripts/system-deps.sh

## Start tenken on SQLite with the Kanagawa plan loaded (prints the staff login).
run: $(STAMP)
	TENKEN_DEBUG=1 $(BIN)/tenken setup-demo
	TENKEN_DEBUG=1 $(BIN)/tenken runserver $(HOST):$(PORT)

## The whole suite: lint, then tests on SQLite and on PostgreSQL (127.0.0.1:5432).
test: $(STAMP)
	bash scripts/system-deps.sh
	$(BIN)/ruff check .
	$(MAKE) test-sqlite
	$(MAKE) test-postgres
	$(MAKE) test-offline

## Wheel + wheelhouse built now, installed into a fresh venv with --no-index, setup-demo, GET /public/.
test-offline: $(STAMP)
	bash scripts/offline-install-check.sh

test-sqlite: $(STAMP)
	TENKEN_DB=sqlite $(BIN)/pytest

test-postgres: $(STAMP)
	TENKEN_DB=postgres $(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var $(WHEELHOUSE) build

## Rebuild the committed static CSS (tenken/web/static/tenken/) from the Digital Agency design tokens
## and the vendored axe-core (tests/vendor/) — development time only; needs Node. The npm registry only
## when frontend/node_modules is missing or older than the lock file (then `npm ci`); offline otherwise.
css: frontend/node_modules/.package-lock.json
	cd frontend && node build.mjs

frontend/node_modules/.package-lock.json: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
