# Every target creates or reuses the project's virtual environment (.venv), so a
# fresh machine needs only python3 (3.10+) and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PATH := $(CURDIR)/$(BIN):$(PATH)

# The vendor's published client, for tests/e2e/test_vendor_client.py and bench/vendor.py.
# It is also named byteit, so it gets a venv of its own (byteit_server.vendor_peer).
VENDOR_VENV := .venv-vendor
VENDOR_STAMP := $(VENDOR_VENV)/.installed
VENDOR_CLIENT := byteit==1.3.0

GENERATOR := $(BIN)/openapi-python-client
SPEC := openapi/byteit.yaml
GEN_CONFIG := openapi/config.yaml
GEN_OUT := generated/byteit_api
OUT := out

.PHONY: install vendor-client generate check-generated lint format typecheck test conformance run bench clean

install: $(STAMP) $(VENDOR_STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

vendor-client: $(VENDOR_STAMP)

# Built once: the stamp names the pinned version, so changing VENDOR_CLIENT rebuilds it.
$(VENDOR_STAMP): Makefile
	test -x $(VENDOR_VENV)/bin/python || $(PYTHON) -m venv $(VENDOR_VENV)
	$(VENDOR_VENV)/bin/python -m pip install --quiet --disable-pip-version-check '$(VENDOR_CLIENT)'
	touch $(VENDOR_STAMP)

# Generation always runs in a fresh folder outside the tree, so that the
# generator's ruff post-hooks see the same (default) configuration here and in
# check-generated.
define run_generator
	rm -rf "$(1)" && mkdir -p "$(1)"
	$(GENERATOR) generate --path $(SPEC) --config $(GEN_CONFIG) --meta none \
		--output-path "$(1)/byteit_api" --fail-on-warning >/dev/null
	rm -rf "$(1)/byteit_api/.ruff_cache"
endef

# Both generated layers: the API layer from the spec, and the sync client from the
# async one (scripts/unasync.py).
generate: $(STAMP)
	$(eval TMP := $(shell mktemp -d))
	$(call run_generator,$(TMP))
	rm -rf $(GEN_OUT) && cp -r $(TMP)/byteit_api $(GEN_OUT) && rm -rf $(TMP)
	$(BIN)/python scripts/unasync.py

check-generated: $(STAMP)
	$(BIN)/python -c "import yaml, openapi_spec_validator as v; v.validate(yaml.safe_load(open('$(SPEC)')))"
	$(eval TMP := $(shell mktemp -d))
	$(call run_generator,$(TMP))
	diff -r -x __pycache__ $(TMP)/byteit_api $(GEN_OUT) \
		|| (echo "generated/ is out of date with $(SPEC): run 'make generate'" && exit 1)
	rm -rf $(TMP)
	$(BIN)/python scripts/unasync.py --check

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts

format: $(STAMP)
	$(BIN)/ruff check --fix src tests bench scripts
	$(BIN)/ruff format src tests bench scripts

typecheck: $(STAMP)
	$(BIN)/mypy
	$(BIN)/mypy --strict tests/typing

test: $(STAMP)
	$(BIN)/pytest

# Every behaviour scenario against our client, then the Node adapter on its subset
# (docs/client-behaviour.md); the Node run is skipped where node is not installed.
conformance: $(STAMP)
	$(BIN)/byteit conformance run
	@if command -v node >/dev/null; then \
		$(BIN)/byteit conformance run --client "node conformance/adapters/node/adapter.mjs"; \
	else echo "node not found: the Node adapter's run is skipped"; fi

# The main job: extract the sample documents through the client and the local
# server, offline and without an account.
run: $(STAMP)
	$(BIN)/python -m byteit_server.samples $(OUT)/samples
	$(BIN)/byteit extract $(OUT)/samples --local --format md

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(OUT) .pytest_cache .mypy_cache .ruff_cache
