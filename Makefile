# Two commands for a newcomer: `make run` and `make test`. Both install what they need first.
PY := .venv/bin/python
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test check lint types imports bootstrap bench screenshots clean package package-test

bootstrap:
	@bash packaging/bootstrap.sh

run: bootstrap
	$(PY) main.py $(ARGS)

test: bootstrap
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest tests

lint: bootstrap
	$(PY) -m ruff check core ui cli service tests bench docs main.py
	$(PY) -m ruff format --check core ui cli service tests bench docs main.py

types: bootstrap
	$(PY) -m mypy

# The layers: ui/ and cli/ call core/app, core/app calls the rest of core (pyproject.toml).
imports: bootstrap
	.venv/bin/lint-imports

# Lint, types, import contracts and tests in one go, as a reviewer and CI run them.
check: lint types imports test

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
