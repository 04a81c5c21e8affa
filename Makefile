# Kakehashi: `make demo` installs and serves the platform with demo data; `make test` runs everything.
PY        ?= python3
VENV      := .venv
BIN       := $(VENV)/bin
STAMP     := $(VENV)/.installed
PORT      ?= 8000
DEMO_ORGS ?= 300

export KAKEHASHI_VAR_DIR ?= var
export OMP_NUM_THREADS ?= 1

.PHONY: demo test install system-deps lint typecheck archcheck unit bench serve clean

$(STAMP): pyproject.toml
	@command -v uv >/dev/null 2>&1 || $(PY) -m pip install --quiet uv
	uv venv --quiet --allow-existing --python $(PY) $(VENV)
	uv pip install --quiet --python $(BIN)/python -e ".[test]"
	@touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/kakehashi db upgrade
	$(BIN)/kakehashi demo load --orgs $(DEMO_ORGS)
	@echo "Serving on http://127.0.0.1:$(PORT)"
	$(BIN)/kakehashi serve --port $(PORT)

serve: install
	$(BIN)/kakehashi serve --port $(PORT)

# Chromium and fonts for browser tests and PDFs (Debian packages; pip cannot provide them).
system-deps:
	@bash scripts/system-deps.sh

lint: install
	$(BIN)/ruff check src tests bench scripts

typecheck: install
	$(BIN)/mypy

archcheck: install
	$(BIN)/lint-imports

unit: install
	KAKEHASHI_TEST_PG_URL=$$(bash scripts/ensure-postgres.sh) $(BIN)/pytest $(PYTEST_ARGS)

test: install system-deps lint typecheck archcheck unit

bench: install
	uv pip install --quiet --python $(BIN)/python -e ".[test,bench]"
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b --quick || exit 1; done

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
