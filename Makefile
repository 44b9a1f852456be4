# Two commands do all the set-up on a fresh machine with Python 3.11:
#   make run    create .venv, install the app, start the app
#   make test   create .venv, install app + test tools, run every test
# Both install the exact, hash-checked versions of the lock files, never the newest release
# of a range: requirements.lock (the app) and requirements-dev.lock (app + test tools, one set).
#   make lock   recompile both lock files from the ranges in requirements*.txt with pip-compile;
#               pins still inside their range are kept. `make lock LOCK_ARGS=--upgrade` moves
#               every package to the newest release its range allows (then run `make test`).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python

LOCK_ARGS ?=
PIP_COMPILE := CUSTOM_COMPILE_COMMAND="make lock" $(PY) -m piptools compile --quiet \
	--generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links \
	$(LOCK_ARGS)

.PHONY: run test bench lint lock clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# A stamp is remade when its lock changes (reinstall) or a range file changes: then the
# installed set is checked against the ranges, so a range edited without `make lock` fails here.
$(VENV)/.installed-app: requirements.lock requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-index --dry-run -r requirements.txt \
	  || { echo "requirements.lock does not satisfy requirements.txt: run make lock"; exit 1; }
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.lock
	$(PY) -m pip install --quiet --no-index --dry-run -r requirements.txt -r requirements-dev.txt \
	  || { echo "requirements-dev.lock does not satisfy requirements*.txt: run make lock"; exit 1; }
	touch $@

run: $(VENV)/.installed-app
	$(PY) -m streamlit run app.py

test: $(VENV)/.installed-dev
	$(PY) -m ruff check .
	$(PY) -m pytest

bench: $(VENV)/.installed-app
	$(PY) -m benchmarks

# make serve WORKERS=n PORT=p: n identical Streamlit processes (default: one per core) behind
# HAProxy on one port (default 8501), each browser tab kept on its process by a cookie; Ctrl-C
# stops them all. Needs `apt-get install haproxy` (it says so if missing). See the README.
WORKERS ?= $(shell nproc 2>/dev/null || echo 2)
PORT    ?= 8501
.PHONY: serve
serve: $(VENV)/.installed-app
	$(PY) deploy/serve.py --workers $(WORKERS) --port $(PORT)

lint: $(VENV)/.installed-dev
	$(PY) -m ruff check .

# The app's lock first, then the test tools resolved around its pins (-c), so `make run` and
# `make test` use the very same app dependencies. pip-compile comes from the current dev lock,
# installed without the range check above: the ranges may just have been edited.
lock: | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.lock
	$(PIP_COMPILE) -o requirements.lock requirements.txt
	$(PIP_COMPILE) -c requirements.lock -o requirements-dev.lock requirements.txt requirements-dev.txt

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
	find . -name __pycache__ -prune -exec rm -rf {} +
