# Collab Registry — `make run` serves the app with demo data, `make test` runs the tests.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1:8000

.PHONY: run test install setup lint messages clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip "setuptools>=68,<81" wheel
	# XStatic-Bootstrap ships only an sdist that needs setuptools' pkg_resources at build time.
	$(VENV)/bin/pip install -q --no-build-isolation ".[test]"
	rm -rf build *.egg-info
	touch $(STAMP)

install: $(STAMP)

setup: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_reference
	$(PY) manage.py load_demo

run: setup
	@echo "Collab Registry: http://$(HOST)/  (admin: http://$(HOST)/admin/)"
	$(PY) manage.py runserver $(HOST)

# Prints the line coverage of the project's code at the end ([tool.coverage] in pyproject.toml).
# PYTEST_ARGS adds pytest options: CI runs `make test PYTEST_ARGS="-n 2 --dist loadfile"`.
test: $(STAMP)
	$(VENV)/bin/pytest --cov --cov-report=term $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run

messages: $(STAMP)
	$(PY) manage.py makemessages -l id --no-obsolete --ignore=.venv --ignore=var --ignore=tests --ignore=bench
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var/collab.sqlite3* build *.egg-info
