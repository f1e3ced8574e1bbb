# make setup: a fresh Debian/Ubuntu machine -> .venv with everything, Apertium pairs via apt.
# make test:  the whole test suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
# The wheels a user's plain 'pip install' fetches, kept so that the install tests (a fresh
# virtualenv from our wheel, pre-commit building its own hook environment) run offline.
WHEELHOUSE := build/wheelhouse
# Where npm installs the 'libretranslate' npm package, a real client the service tests run under Node.
NODE_CLIENT := build/node-client
# Apertium and the pairs French needs (fr->es, ca directly; en, it, pt through es or ca, whichever
# measured best: translator/route_quality.json); gettext (msgfmt) and Chromium, which the tests use
# to check the PO and HTML outputs; xmllint (libxml2-utils) for XLIFF; LibreOffice and poppler to open
# and render translated Word files; a Java runtime for the HTML validator (vnu.jar); GNU time for
# the benchmarks' peak memory.
APT_PACKAGES := apertium apertium-fr-es apertium-eng-spa apertium-spa-ita apertium-es-pt apertium-fra-cat \
	apertium-cat-ita apertium-por-cat apertium-eng-cat gettext chromium libxml2-utils \
	libreoffice-writer-nogui poppler-utils default-jre-headless time
# Node.js and npm for the service's Node client test: installed only when the commands are missing
# (a NodeSource nodejs already carries npm and conflicts with Debian's npm package).
NODE_PACKAGES := nodejs npm

.PHONY: setup apt venv wheelhouse test bench clean help-text

setup: apt venv wheelhouse

apt:
	@if command -v apt-get >/dev/null 2>&1; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	  if [ -n "$$missing" ]; then \
	    $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  fi; \
	  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then \
	    $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(NODE_PACKAGES); \
	  fi; \
	else echo "no apt-get: install Apertium and its fr-es, eng-spa, spa-ita, es-pt, fra-cat, cat-ita, por-cat, eng-cat pairs yourself"; fi

venv:
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e '.[dev]'
	# argostranslate's package code, for the tests that check argospm and we share packages.
	# Without its dependencies: they are stanza and spacy, which pull torch; its package module
	# and 'argospm list' need only packaging and sentencepiece.
	$(PIP) install -q --no-deps 'argostranslate>=1.11,<1.12' && $(PIP) install -q packaging
	if command -v npm >/dev/null 2>&1; then mkdir -p $(NODE_CLIENT) && cd $(NODE_CLIENT) && \
	  echo '{"private": true}' > package.json && npm install -s --no-audit --no-fund libretranslate@1.0.1; fi

wheelhouse:
	$(PIP) download -q -d $(WHEELHOUSE) . 'setuptools>=77' wheel

test:
	$(PY) -m pytest -q

bench:
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache

# translate --help is printed from this file without importing typer (translator/console.py);
# write it again after changing the commands (tests/test_console.py says when).
help-text:
	COLUMNS=80 $(PY) -c "import sys; from translator.cli import main; sys.exit(main(['--help']))" > translator/cli_help.txt
