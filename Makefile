# Two commands for a newcomer: `make run` and `make test`. Both install what they need first.
PY := .venv/bin/python
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test check lint types bootstrap bench screenshots clean package package-test

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

# The one-folder program for office PCs, dist/SubsidyDesk/ (packaging/README.md; about 1 minute).
package: bootstrap
	bash packaging/build.sh

# Build, then run the bundle's self-test on fresh data and on a 0.1.0 database. Kept out of
# `make test`, which stays fast.
package-test: bootstrap
	bash packaging/build.sh --self-test

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache
