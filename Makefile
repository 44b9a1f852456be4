# Two commands do all the set-up on a fresh machine with Python 3.11:
#   make run    create .venv, install, start the app
#   make test   create .venv, install app + test tools, run every test
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python

.PHONY: run test bench lint clean

$(VENV)/.installed-app: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed-app requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed-app
	$(PY) -m streamlit run app.py

test: $(VENV)/.installed-dev
	$(PY) -m ruff check .
	$(PY) -m pytest

bench: $(VENV)/.installed-app
	$(PY) -m benchmarks

lint: $(VENV)/.installed-dev
	$(PY) -m ruff check .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
	find . -name __pycache__ -prune -exec rm -rf {} +
