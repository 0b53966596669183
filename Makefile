# The two promises of the README: `make run` and `make test`.
PYTHON_SYSTEM ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := PORTAL_ENV=development $(VENV)/bin/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install install-test check-seeds clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON_SYSTEM) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The map library (npm "dependencies") served as our own static files: copied, with its licences, from node_modules
# into the git-ignored portal/static/vendor/, so the portal needs no CDN and no network once installed.
VENDOR := portal/static/vendor
$(VENDOR)/.installed: node_modules/.installed
	rm -rf $(VENDOR)
	mkdir -p $(VENDOR)/leaflet $(VENDOR)/supercluster
	cp -R node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images \
		node_modules/leaflet/LICENSE $(VENDOR)/leaflet/
	cp node_modules/supercluster/dist/supercluster.min.js node_modules/supercluster/LICENSE $(VENDOR)/supercluster/
	cp node_modules/kdbush/LICENSE $(VENDOR)/supercluster/LICENSE-kdbush  # bundled into supercluster.min.js
	touch $@

install: $(VENV)/.installed $(VENDOR)/.installed

install-test: $(VENV)/.installed-test $(VENDOR)/.installed

## Set up everything and serve the portal with the demo catalogue on http://$(HOST):$(PORT)
run: install
	$(FLASK) db upgrade
	$(FLASK) demo load --if-empty
	$(FLASK) search rebuild
	@# The mail worker runs beside the server and stops with it (Ctrl-C, or the server ending).
	$(FLASK) mail work & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
		$(FLASK) run --host $(HOST) --port $(PORT)

## The whole test suite on SQLite, then on PostgreSQL when TEST_DATABASE_URL is set
test: install-test
	env -u TEST_DATABASE_URL $(PY) -m pytest
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== the suite again on PostgreSQL ($$TEST_DATABASE_URL)"; \
		$(PY) -m pytest; \
	fi

clean:
	rm -rf $(VENV) node_modules $(VENDOR) instance .pytest_cache
