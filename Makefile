# vodjobs: `make demo` runs the main job, `make test` runs every test. Both install what is missing first.
SHELL := /bin/bash
# The Python language host built here runs the first python3 on PATH, so the project's venv comes first.
export PATH := $(CURDIR)/.venv/bin:$(PATH)
export PULUMI_SKIP_UPDATE_CHECK := true

PYTEST_ARGS ?=

.PHONY: setup demo test lint unit test-e2e bench-emulator bench-scale clean

setup:
	@scripts/setup

demo: setup
	@scripts/demo

test: setup lint
	python -m pytest $(PYTEST_ARGS) tests

lint: setup
	ruff check vod_provider vod_emulator tests bench __main__.py
	mypy --strict vod_provider vod_emulator
	python -m vod_provider.spec_jsonschema --check

# Regenerate schema/vodjobs.schema.json from the loader's tables (vod_provider/spec_schema.py).
schema: setup
	python -m vod_provider.spec_jsonschema

unit: setup
	python -m pytest $(PYTEST_ARGS) tests/unit

test-e2e: setup
	python -m pytest $(PYTEST_ARGS) tests/e2e

bench-emulator: setup
	python bench/emulator.py

# 1,000 jobs: naive SDK loop, engine floor and vodjobs side by side (about 4 minutes); JOBS=5000 for the growth run.
JOBS ?= 1000
bench-scale: setup
	python bench/scale.py --jobs $(JOBS)

clean:
	rm -rf .pulumi-state .demo .pytest_cache .mypy_cache .ruff_cache
