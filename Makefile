# Two commands set everything up on a fresh machine with Python >= 3.11 and make:
#   make run   - install, migrate, load the demo counties, serve on http://127.0.0.1:8000
#   make test  - install the test dependencies and run the whole suite
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test install install-test migrate demo serve lint bench e2e clean load fuzz backup restore faults

$(VENV)/bin/activate:
	$(PYTHON) -c 'import sys; sys.exit("需要 Python 3.11 或更高版本 (Python >= 3.11 required)") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: $(VENV)/bin/activate requirements/base.lock pyproject.toml
	$(PIP) install --quiet -r requirements/base.lock
	$(PIP) install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements/test.lock
	$(PIP) install --quiet -r requirements/test.lock
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

migrate: install
	$(PY) manage.py migrate --noinput -v0

demo: migrate
	$(PY) manage.py load_demo

run: demo
	@echo "服务地址 / serving on http://$(HOST):$(PORT)/  (Ctrl+C 退出)"
	$(PY) manage.py runserver $(HOST):$(PORT)

# The browser journeys run in a pytest process of their own: their session loads the demo into the worker's
# database and sets DJANGO_ALLOW_ASYNC_UNSAFE for Playwright, neither of which the rest of the suite may see.
# PYTEST_ARGS naming tests/e2e (CI's --ignore=tests/e2e) skips that second run; exit 5 is "nothing selected".
test: install-test
	$(PY) -m pytest -n auto --dist loadfile --ignore=tests/e2e $(PYTEST_ARGS)
	$(if $(findstring tests/e2e,$(PYTEST_ARGS)),,$(PY) -m pytest -n 2 --dist load tests/e2e $(PYTEST_ARGS) || [ $$? -eq 5 ])

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run -v0

e2e: install-test
	$(PY) -m pytest -n 2 --dist load tests/e2e $(PYTEST_ARGS)

# Backups (docs/reliability.md): var/backups/<UTC time>.dump|.sqlite3 plus a manifest of row counts and
# checksums; restore verifies it and refuses a database with data unless FORCE=1.
backup: install
	$(PY) manage.py backup

restore: install
	$(PY) manage.py restore $(BACKUP) $(if $(filter 1,$(FORCE)),--force)

# The long kill -9 / dropped-connection runs (`make test` runs the short ones); on PostgreSQL with
# DATABASE_URL=postgres://… (and PYTEST_ARGS=--create-db for a fresh test database).
faults: install-test
	FAULTS_FULL=1 $(PY) -m pytest -s dangjian/core/tests/test_faults.py $(PYTEST_ARGS)

# docs/performance.md, "负载与模糊测试": `make load` = 50 users for 10 minutes against gunicorn and a fresh
# PostgreSQL database (LOAD_ARGS="--users 10 --duration 30s" for less); `make fuzz` = schemathesis with its
# coverage phase and many examples per operation (short passes: fuzz in `make test`, load in .ci/run).
load: install-test
	$(PY) -m load.run $(LOAD_ARGS)

fuzz: install-test
	FUZZ_FULL=1 $(PY) -m pytest tests/fuzz $(PYTEST_ARGS)

bench: install-test
	$(PY) -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var/*.sqlite3*
