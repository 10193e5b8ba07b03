# Two commands for a newcomer: `make demo` and `make test`. Both build .venv when needed.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: test demo demo-script demo-reset screenshots bench wheel browser-deps interop-deps pdf-deps verifier-assets clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

browser-deps:
	@sh scripts/ensure-chromium.sh

interop-deps:
	@sh scripts/ensure-interop-node.sh

# the PDF certificates' font, and poppler-utils, with which the tests check them (docs/pdf-certificate.md)
pdf-deps:
	@sh scripts/ensure-pdf-tools.sh

# the verifier page's QR decoder (zxing-wasm from the npm registry, pinned and hash-checked)
verifier-assets:
	@sh scripts/fetch-zxing-wasm.sh

test: $(STAMP) browser-deps interop-deps pdf-deps verifier-assets
	$(PY) -m pytest

# the three web apps on localhost, configured to work together (data kept in demo-data/)
demo: $(STAMP) verifier-assets
	@sh scripts/ensure-pdf-tools.sh --font
	$(PY) scripts/demo.py

# the same journey in the terminal, through each part's command line (files in demo-out/)
demo-script: $(STAMP)
	$(PY) scripts/demo_script.py

demo-reset:
	rm -rf demo-data

# the README's tour pictures (docs/screenshots/), made by the browser test of the demo's journey
screenshots: $(STAMP) browser-deps verifier-assets
	SCREENSHOTS=1 $(PY) -m pytest -q tests/test_demo_journey.py

bench: $(STAMP)
	$(PY) bench/run.py

# dist/microcredentials-*.whl with everything the parts read at run time, the camera decoder included
wheel: $(STAMP) verifier-assets
	rm -rf build  # setuptools leaves stale files in build/lib, and the wheel would carry them
	$(PY) -m pip wheel -q --no-deps --no-build-isolation --wheel-dir dist .

clean:
	rm -rf $(VENV) .pytest_cache demo-out build dist
