# OCOP GIS — the two commands: `make demo` and `make test`. Both install what is missing
# (Debian packages, the virtualenv, pinned Python packages) and are safe to run again.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV       := .venv
PY         := $(VENV)/bin/python
STAMP      := $(VENV)/.requirements.sha256
# Debian packages the app and its tests need. chromium drives the page tests; gettext builds
# translations; fonts-dejavu-core gives the PDFs Vietnamese glyphs.
APT_PACKAGES := gdal-bin libsqlite3-mod-spatialite postgresql-15-postgis-3 python3-venv \
                chromium gettext fonts-dejavu-core
# PyQGIS is a test client only (the OAPIF and vector-tile providers); without recommends it is
# about 0.9 GB instead of 1.3 GB.
APT_NO_RECOMMENDS := python3-qgis
PG_VERSION := 15
PG_CLUSTER := main
PG_PORT    := 5432
PG_USER    := ocop
PG_DB      := ocop_gis
TEST_POSTGIS_URL ?= postgis://$(PG_USER):$(PG_USER)@127.0.0.1:$(PG_PORT)/$(PG_DB)
TEST_SPATIALITE_URL ?= spatialite:///$(CURDIR)/var/test.sqlite3
PYTEST_ARGS ?=
# pytest-xdist workers for `make test`: both cores. Each worker has its own test database
# (PostgreSQL `test_ocop_gis_gw0`…, SQLite `var/test_ocop_gis.sqlite3_gw0`…).
PYTEST_WORKERS ?= 2
# Test reports (JUnit XML per database) from which `make test` prints its closing lines.
REPORTS    := var/test-reports
# make test-browser-stress: every browser test STRESS_COUNT times on each database, with
# STRESS_LOAD CPU-bound processes running beside it (the machine loaded on purpose).
STRESS_COUNT ?= 20
STRESS_LOAD ?= 1
STRESS_ARGS ?= -m browser
DEMO_ADDR  ?= 127.0.0.1:8000

.PHONY: help demo test test-postgis test-spatialite test-s3 test-browser-stress deps venv postgis check messages vendor-ol clean

help:
	@echo "make demo   install what is missing, load boundaries, criteria and demo data, serve on http://$(DEMO_ADDR)"
	@echo "make test   install what is missing, run the whole suite on PostGIS, then on SpatiaLite"

deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	fi
	@missing=""; for p in $(APT_NO_RECOMMENDS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	fi

# The venv comes from Debian's /usr/bin/python3: pyenv's python lacks sqlite extension loading,
# so SpatiaLite could not load in it. Reinstalled only when requirements.txt changes.
venv: deps
	@test -x $(PY) || /usr/bin/python3 -m venv $(VENV)
	@want=$$(sha256sum requirements.txt | cut -d' ' -f1); \
	if [ "$$(cat $(STAMP) 2>/dev/null)" != "$$want" ]; then \
	  $(PY) -m pip install -q --upgrade pip && $(PY) -m pip install -q -r requirements.txt && echo "$$want" > $(STAMP); \
	fi

# A local PostGIS on Debian's PostgreSQL 15. initdb refuses root, so the cluster is managed with
# pg_createcluster/pg_ctlcluster (which run as the postgres user). The role is a superuser so the
# test runner can create the test database and the postgis extension in it.
postgis: deps
	@pg_lsclusters -h | awk '{print $$1" "$$2}' | grep -qx "$(PG_VERSION) $(PG_CLUSTER)" \
	  || pg_createcluster $(PG_VERSION) $(PG_CLUSTER) --port $(PG_PORT)
	@pg_ctlcluster $(PG_VERSION) $(PG_CLUSTER) status >/dev/null 2>&1 \
	  || pg_ctlcluster $(PG_VERSION) $(PG_CLUSTER) start
	@for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p $(PG_PORT) && break; sleep 1; done
	@su postgres -c "psql -p $(PG_PORT) -tAc \"SELECT 1 FROM pg_roles WHERE rolname='$(PG_USER)'\"" | grep -q 1 \
	  || su postgres -c "psql -p $(PG_PORT) -qc \"CREATE ROLE $(PG_USER) LOGIN SUPERUSER PASSWORD '$(PG_USER)'\""
	@su postgres -c "psql -p $(PG_PORT) -tAc \"SELECT 1 FROM pg_database WHERE datname='$(PG_DB)'\"" | grep -q 1 \
	  || su postgres -c "createdb -p $(PG_PORT) -O $(PG_USER) $(PG_DB)"
	@su postgres -c "psql -p $(PG_PORT) -d $(PG_DB) -qc 'CREATE EXTENSION IF NOT EXISTS postgis'"

# Lint (ruff, configured in pyproject.toml), the apps' layering (import-linter's contract in
# pyproject.toml) and Django's own checks; `make test` runs it first, so CI does too.
check: venv
	@mkdir -p var
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run

demo: venv
	@mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_admin_units
	$(PY) manage.py load_criteria
	$(PY) manage.py seed_demo
	@echo "Serving on http://$(DEMO_ADDR)  (Ctrl-C to stop)"
	$(PY) manage.py runserver $(DEMO_ADDR) --noreload

# Each database's run writes JUnit XML; the closing lines (one per database, then the total)
# come last, so CI's log ends with what ran. A run that hangs cannot: pytest-timeout fails it.
test: venv postgis check
	@mkdir -p $(REPORTS); rm -f $(REPORTS)/*.xml; status=0; \
	echo "=== Test suite on PostGIS ($(TEST_POSTGIS_URL)) ==="; \
	DATABASE_URL=$(TEST_POSTGIS_URL) $(PY) -m pytest -n $(PYTEST_WORKERS) \
	  --junitxml=$(REPORTS)/postgis.xml $(PYTEST_ARGS) || status=1; \
	echo "=== Test suite on SpatiaLite ==="; \
	DATABASE_URL=$(TEST_SPATIALITE_URL) $(PY) -m pytest -n $(PYTEST_WORKERS) \
	  --junitxml=$(REPORTS)/spatialite.xml $(PYTEST_ARGS) || status=1; \
	$(PY) tests/summary.py PostGIS=$(REPORTS)/postgis.xml SpatiaLite=$(REPORTS)/spatialite.xml || status=1; \
	if [ $$status -ne 0 ]; then echo "FAILED: see the runs above"; fi; \
	exit $$status

test-postgis: venv postgis
	DATABASE_URL=$(TEST_POSTGIS_URL) $(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

test-spatialite: venv
	@mkdir -p var
	DATABASE_URL=$(TEST_SPATIALITE_URL) $(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Every browser test STRESS_COUNT times on PostGIS, then on SpatiaLite, with STRESS_LOAD
# CPU-bound processes beside it; the closing lines count the repetitions that passed and failed.
test-browser-stress: venv postgis
	@mkdir -p $(REPORTS); rm -f $(REPORTS)/stress-*.xml; status=0; \
	for i in $$(seq 1 $(STRESS_LOAD)); do ( while :; do :; done ) & done; \
	trap 'kill $$(jobs -p) 2>/dev/null' EXIT; \
	echo "=== Browser tests x$(STRESS_COUNT) on PostGIS, $(STRESS_LOAD) CPU hog(s) beside ==="; \
	DATABASE_URL=$(TEST_POSTGIS_URL) $(PY) -m pytest -n $(PYTEST_WORKERS) -q $(STRESS_ARGS) \
	  --count $(STRESS_COUNT) --junitxml=$(REPORTS)/stress-postgis.xml $(PYTEST_ARGS) || status=1; \
	echo "=== Browser tests x$(STRESS_COUNT) on SpatiaLite ==="; \
	DATABASE_URL=$(TEST_SPATIALITE_URL) $(PY) -m pytest -n $(PYTEST_WORKERS) -q $(STRESS_ARGS) \
	  --count $(STRESS_COUNT) --junitxml=$(REPORTS)/stress-spatialite.xml $(PYTEST_ARGS) || status=1; \
	$(PY) tests/summary.py PostGIS=$(REPORTS)/stress-postgis.xml \
	  SpatiaLite=$(REPORTS)/stress-spatialite.xml || status=1; \
	exit $$status

# Only the file-storage tests on a real S3 server (SeaweedFS from the venv, started by the tests).
test-s3: venv
	DATABASE_URL=$(TEST_SPATIALITE_URL) $(PY) -m pytest tests/core/test_files_s3.py $(PYTEST_ARGS)

# Regenerate the Vietnamese catalogue after changing UI strings (the compiled .mo is committed).
messages: venv
	$(PY) manage.py makemessages -l vi --ignore=.venv --ignore=var --ignore=tests
	$(PY) manage.py compilemessages --ignore=.venv

# Rebuild the admin widget's OpenLayers subset (apps/geo/olbuild) into the vendored static file.
# Needs npm and the npm registry; the built file is committed, so demo and tests never run this.
vendor-ol:
	@tmp=$$(mktemp -d); cp apps/geo/olbuild/package.json apps/geo/olbuild/entry.js $$tmp/; \
	( cd $$tmp && npm install --no-audit --no-fund --silent && \
	  npx esbuild entry.js --bundle --minify --format=iife --target=es2019 \
	    --legal-comments=none --outfile=ol.js ) && \
	cp $$tmp/ol.js apps/core/static/vendor/ol/ol.js; rm -rf $$tmp

clean:
	rm -rf var/test-artifacts var/test-reports .pytest_cache
