# Two commands for a newcomer: `make run` and `make test`. Both install what they need first.
PY := .venv/bin/python
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test check lint types bootstrap bench screenshots clean

bootstrap:
	@bash packaging/bootstrap.sh

run: bootstrap
	$(PY) main.py $(ARGS)

test: bootstrap
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest tests

lint: bootstrap
	$(PY) -m ruff check core ui tests bench main.py
	$(PY) -m ruff format --check core ui tests bench main.py

types: bootstrap
	$(PY) -m mypy

# Lint, types and tests in one go, as a reviewer would run them.
check: lint types test

bench: bootstrap
	$(PY) bench/run_all.py

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache
