# make setup: a fresh Debian/Ubuntu machine -> .venv with everything, Apertium pairs via apt.
# make test:  the whole test suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
# Apertium and the pairs French needs (fr->es, ca directly; en, it, pt through es); gettext (msgfmt)
# and Chromium, which the tests use to check the PO and HTML outputs.
APT_PACKAGES := apertium apertium-fr-es apertium-eng-spa apertium-spa-ita apertium-es-pt apertium-fra-cat gettext chromium
# Set TORCH_INDEX_URL to PyTorch's CPU wheel index when your pip has no CPU torch wheel at hand;
# without it, pip takes torch==2.13.0 from its configured sources (a CPU wheel on our CI machines).
TORCH_INDEX_URL ?=

.PHONY: setup apt venv test bench clean

setup: apt venv

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
	# CPU-only torch first, so that argostranslate's stanza dependency does not pull CUDA wheels.
	$(PIP) install -q torch==2.13.0 $(if $(TORCH_INDEX_URL),--index-url $(TORCH_INDEX_URL))
	$(PIP) install -q -e '.[dev]'

test:
	$(PY) -m pytest -q

bench:
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
