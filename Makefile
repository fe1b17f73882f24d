# Banten PM: `make run` serves the demo, `make test` runs every test.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' && echo $$p && break; done)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PYTEST_ARGS ?= -n 2 --dist loadgroup

.PHONY: run test install install-test lint messages serve demo clean backup restore

$(PY):
	@test -n "$(PYTHON)" || (echo "Python 3.11 or newer is needed." >&2; exit 1)
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PIP) install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PIP) install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_regions
	$(PY) manage.py seed_demo

run: demo
	$(PY) manage.py runserver 127.0.0.1:8000

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy
	$(PY) manage.py makemigrations --check --dry-run

test: install-test lint
	$(PY) -m pytest $(PYTEST_ARGS)

# After changing user-facing text: refresh the English catalogue, translate what is empty
# or fuzzy in locale/en/LC_MESSAGES/django.po, then run this again to compile it.
messages: install
	$(PY) manage.py makemessages -l en --no-obsolete -i "tests/*" -i "bench/*" -i "static/*" \
		-i "staticfiles/*" -i "var/*" -i ".venv/*"
	$(PY) manage.py compilemessages -l en -i .venv

# PostgreSQL backups (README "Backup and restore"): a pg_dump of DATABASE_URL to
# var/backups/<timestamp>.dump, and pg_restore --clean of FILE into an empty DATABASE_URL
# (FORCE=1 to replace a database that holds tables).
backup:
	@ops/backup.sh

restore:
	@FORCE="$(FORCE)" ops/restore.sh "$(FILE)"

clean:
	rm -rf $(VENV) db.sqlite3 var test-output staticfiles
