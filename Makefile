# 信用图谱网关 — the two commands: `make demo` runs the product, `make test` checks it.
# Both work from a bare clone: the virtualenv is (re)built when missing or when pyproject changes.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint typecheck pytest schema bench bench-tools clean coverage-ratchet

# The browser and Node tools the tests drive; installed once, then remembered by a stamp.
CHROMIUM := $(VENV)/.chromium
NODE_TOOLS := tools/node/node_modules/.installed

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is required")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m gateway demo

test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

# The whole suite also measures branch coverage of the six packages and fails under the gate
# (pyproject: [tool.coverage.report] fail_under; `make coverage-ratchet` raises it).
pytest: $(STAMP) $(CHROMIUM) $(NODE_TOOLS)
	$(BIN)/pytest --cov --cov-report=term:skip-covered

# Debian's chromium for the web page's browser test (Playwright drives it; its own browser
# download cannot work offline), and a Chinese font so its screenshots can be read.  We run
# as root in CI; elsewhere install them once by hand.
$(CHROMIUM): | $(STAMP)
	@command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 \
	  && [ -d /usr/share/fonts/truetype/wqy ] || { \
	  echo "installing chromium, chromium-driver and a CJK font (apt-get, once)"; \
	  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive \
	  apt-get install -y -qq chromium chromium-driver fonts-wqy-zenhei >/dev/null; }
	@touch $@

# graphql-http's audit and the federation composer, pinned by the committed lockfile.
$(NODE_TOOLS): tools/node/package.json tools/node/package-lock.json
	@cd tools/node && npm ci --no-audit --no-fund --silent
	@touch $@

schema: $(STAMP)  ## schema.graphql and the README settings table, from the code
	$(BIN)/python -m gateway export-schema
	$(BIN)/python -m gateway docs

coverage-ratchet: $(STAMP)  ## after `make test`: raise the coverage gate to what it measured
	$(BIN)/python tools/coverage_ratchet.py

bench: $(STAMP)  ## figures for the issue notes; never part of `make test`
	$(BIN)/python -m bench.world_gen
	$(BIN)/python -m bench.breaker_fastfail
	$(BIN)/python -m bench.graph_load
	$(BIN)/python -m bench.precheck

# Measuring tools for the speed figures (bench/speed.py, workers.py, profile_gateway.py): wrk,
# a load generator in C, and py-spy, a sampling profiler.  Not needed by `make test`.
bench-tools: $(STAMP)
	@command -v wrk >/dev/null 2>&1 || { echo "installing wrk (apt-get, once)"; \
	  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive \
	  apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check py-spy

clean:
	rm -rf $(VENV) .state .mypy_cache .ruff_cache .pytest_cache .hypothesis tools/node/node_modules test-artifacts .coverage
