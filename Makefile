# vodjobs: `make demo` runs the main job, `make test` runs every test. Both install what is missing first: the demo
# only the runtime packages and the engine (`setup`), the tests and lint the development tools too (`setup-dev`).
SHELL := /bin/bash
# The Python language host built here runs the first python3 on PATH, so the project's venv comes first.
export PATH := $(CURDIR)/.venv/bin:$(PATH)
export PULUMI_SKIP_UPDATE_CHECK := true

PYTEST_ARGS ?=

.PHONY: setup setup-dev demo emulator test lint schema unit test-e2e chaos recover bench-emulator bench-scale clean ci-preview ci-up ci-recover

# What the demo, the playground and the CI recipes need: requirements.txt, the `vodjobs` command, the Pulumi engine.
setup:
	@scripts/setup

# That, plus the test and lint tools (requirements-dev.txt).
setup-dev:
	@scripts/setup --dev

demo: setup
	@scripts/demo

# The demo's emulator on the demo's state, kept running (Ctrl-C stops it), with the exports to work by hand in
# another shell: pulumi preview, pulumi up, vodjobs status (README "Working by hand").
emulator: setup
	@scripts/playground

test: setup-dev lint
	python -m pytest $(PYTEST_ARGS) tests

lint: setup-dev
	ruff check vod_provider vod_emulator tests bench __main__.py
	mypy --strict vod_provider vod_emulator
	lint-imports --no-logo  # the layers of vod_provider: pyproject.toml [tool.importlinter], README "Layout"
	python -m vod_provider.spec.jsonschema --check

# Regenerate schema/vodjobs.schema.json from the loader's tables (vod_provider/spec/schema.py).
schema: setup
	python -m vod_provider.spec.jsonschema

unit: setup-dev
	python -m pytest $(PYTEST_ARGS) tests/unit

test-e2e: setup-dev
	python -m pytest $(PYTEST_ARGS) tests/e2e

# The full chaos trials (make test runs a small variant of each): 10 kills per target and checkpoint mode.
chaos: setup-dev
	VODJOBS_CHAOS_FULL=1 python -m pytest $(PYTEST_ARGS) tests/chaos

# After a crashed `pulumi up`: STACK=name make recover (see README "When a run dies").
recover: setup
	vodjobs recover $(if $(STACK),--stack $(STACK)) --up

bench-emulator: setup
	python bench/emulator.py

# -- CI/CD: what examples/ci/ pipelines run (after `make setup`), and tests/e2e/test_ci_pipeline.py runs too --------
# STACK names an existing stack (`pulumi stack init` once): a typo must not create an empty stack and resubmit every job.
# The backend comes from PULUMI_BACKEND_URL, secrets from the CI's secret store (README "CI/CD").
FORMAT ?= markdown
SUMMARY_FILE ?=
VODJOBS := python -m vod_provider.cli
require-stack = $(if $(STACK),,$(error set STACK, e.g. `make $@ STACK=prod`))

# A pull request: what `pulumi up` would submit, replace and forget, as Markdown (FORMAT=github: step summary + annotations).
# SUMMARY_FILE is the comment, cut to GitHub's 65,536 characters; FULL_SUMMARY_FILE holds every row (the artifact).
# The preview needs only read access (README "What a pull request's code can see"). With no state key at all (a pull
# request from a fork gets no secrets) and BASE_REF set, it compares the specs with BASE_REF's merge base instead of
# the state, and the summary says so.
FULL_SUMMARY_FILE ?=
BASE_REF ?=
ci-preview:
	$(require-stack)
	@if [ -z "$$AWS_ACCESS_KEY_ID$$AWS_PROFILE$$PULUMI_ACCESS_TOKEN" ] && [ -n "$(BASE_REF)" ]; then \
	  echo "$@: no state key (a pull request from a fork gets no secrets): comparing the specs with $(BASE_REF)'s, not with the state" >&2; \
	  set -- --no-state --base "$(BASE_REF)"; fi; \
	$(VODJOBS) preview --stack $(STACK) --format $(FORMAT) $(if $(SUMMARY_FILE),--summary-file $(SUMMARY_FILE)) \
	  $(if $(FULL_SUMMARY_FILE),--full-summary-file $(FULL_SUMMARY_FILE)) "$$@"

# A merge: submit what the specs declare and the stack does not hold yet. Fails fast on another run's lock.
# With a journal that outlives the runner (state on s3:// / OSS, or vodjobs:journalUrl), per-step checkpoints are
# skipped (journal-mode): they rewrite the whole state object after every job (O(N²) bytes to the bucket), and the
# journal holds every JobId of a run that dies before its one checkpoint at the end (README "Large spec sets").
ci-up:
	$(require-stack)
	@$(journal-mode); pulumi up --yes --skip-preview --non-interactive --stack $(STACK)

# After a runner died mid-up (its lock left behind, its disk gone): settle what it left in doubt, remove its lock, up.
# Run it only where no other up of the stack can be alive: the recipes run it in the up's own concurrency group.
SETTLE_SECONDS ?= 900
ci-recover:
	$(require-stack)
	@$(journal-mode); $(VODJOBS) recover --stack $(STACK) --settle-seconds $(SETTLE_SECONDS) --cancel-stale-lock --up

journal-mode = if $(VODJOBS) journal where --stack $(STACK); then \
	  echo "$@: the journal outlives this runner, so PULUMI_SKIP_CHECKPOINTS=true (one state write at the end)"; \
	  export PULUMI_SKIP_CHECKPOINTS=true; \
	else echo "$@: the journal is local to this runner, so per-step checkpoints stay on"; fi

# 1,000 jobs: naive SDK loop, engine floor and vodjobs side by side (about 4 minutes); JOBS=5000 for the growth run.
# PIPELINE=1: both sides as `make ci-up` runs them (state in a local S3 server's bucket, the journal beside it).
# JOBSET=1: vodjobs declares the jobs as one job set over one CSV (issue 15: JOBS=10000 SKIP_NAIVE=1 REPEATS=1);
# LATENCY_MS=150: every API call answers that much later (a runner far from the region).
JOBS ?= 1000
PIPELINE ?=
JOBSET ?=
LATENCY_MS ?=
SKIP_NAIVE ?=
REPEATS ?= 3
bench-scale: setup-dev
	python bench/scale.py --jobs $(JOBS) --repeats $(REPEATS) $(if $(PIPELINE),--pipeline) $(if $(JOBSET),--job-set) \
		$(if $(LATENCY_MS),--latency-ms $(LATENCY_MS)) $(if $(SKIP_NAIVE),--skip-naive) $(if $(PACED_FLOOR),--paced-floor)

clean:
	rm -rf .pulumi-state .demo Pulumi.dev.yaml .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
