# The two commands of the README: `make start` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
# `make start PORT=8080`: the demo prints that address and the server listens on it.
PORT ?= 8000
BIN := $(VENV)/bin

.PHONY: start test lint typecheck messages clean

start: $(VENV)/.installed
	SITE_URL=http://127.0.0.1:$(PORT) $(BIN)/jospar demo --port $(PORT)
	SITE_URL=http://127.0.0.1:$(PORT) $(BIN)/jospar serve 127.0.0.1:$(PORT)

test: $(VENV)/.installed
	$(BIN)/python -m pytest -n auto --dist loadgroup --no-loadscope-reorder

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed
	$(BIN)/mypy jospar config tests

messages: $(VENV)/.installed
	cd jospar && ../$(BIN)/jospar makemessages -l kk -l ru --no-obsolete && ../$(BIN)/jospar compilemessages

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	# uv installs the same packages as pip in a fifth of the time (docs/decisions.md, "CI time
	# (session 10)"); pinned, as every other tool.
	$(BIN)/python -m pip install --quiet uv==0.13.10
	$(BIN)/uv pip install --quiet --python $(BIN)/python -e '.[dev]'
	touch $@

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
