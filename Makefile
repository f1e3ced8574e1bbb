# make setup: a fresh Debian/Ubuntu machine -> .venv with everything, Apertium pairs via apt.
# make test:  the whole test suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
# The wheels a user's plain 'pip install' fetches, kept so that the install tests (a fresh
# virtualenv from our wheel, pre-commit building its own hook environment) run offline.
WHEELHOUSE := build/wheelhouse
# Apertium and the pairs French needs (fr->es, ca directly; en, it, pt through es); gettext (msgfmt);
# Chromium, which the tests use to check the PO and HTML outputs, and a JRE for the W3C validator (vnu.jar).
APT_PACKAGES := apertium apertium-fr-es apertium-eng-spa apertium-spa-ita apertium-es-pt apertium-fra-cat gettext chromium default-jre-headless

.PHONY: setup apt venv wheelhouse test bench clean

setup: apt venv wheelhouse

apt:
	@if command -v apt-get >/dev/null 2>&1; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	  if [ -n "$$missing" ]; then \
	    $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  fi; \
	else echo "no apt-get: install Apertium and its fr-es, eng-spa, spa-ita, es-pt, fra-cat pairs yourself"; fi

venv:
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e '.[dev]'
	# argostranslate's package code, for the tests that check argospm and we share packages.
	# Without its dependencies: they are stanza and spacy, which pull torch; its package module
	# and 'argospm list' need only packaging and sentencepiece.
	$(PIP) install -q --no-deps 'argostranslate>=1.11,<1.12' && $(PIP) install -q packaging

wheelhouse:
	$(PIP) download -q -d $(WHEELHOUSE) . 'setuptools>=77' wheel

test:
	$(PY) -m pytest -q

bench:
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
