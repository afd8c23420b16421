# firmlab: the two commands a new user needs are `make demo` and `make test`.
# Every target installs what it needs first (make setup is idempotent).
SHELL := /bin/bash
FIRMLAB := node dist/harness/cli/main.js
MOCHA := npx mocha --reporter test/support/summary-reporter.cjs
UNIT := 'dist/test/unit/**/*.test.js'
INTEGRATION := 'dist/test/integration/**/*.test.js'
E2E := 'dist/test/e2e/**/*.test.js'

.PHONY: setup setup-test build images firmware demo test test-unit test-integration test-e2e bench gc doctor clean

# What a run needs; setup-test adds what only the tests and benchmarks use (Chromium, dnsperf, ...).
setup:
	@bash images/host/setup.sh
	@$(MAKE) --no-print-directory build

setup-test:
	@bash images/host/setup.sh --test
	@$(MAKE) --no-print-directory build

build:
	@npx tsc -p tsconfig.json

images: setup
	@$(FIRMLAB) images build

firmware: setup
	@bash test/fixtures/firmware/build.sh

# The main job: the bundled HomeShield old-vs-new scenario and its report.
demo: images firmware
	@bash scenarios/demo.sh

# All tiers in one mocha run, so one summary closes the output.
test: setup-test images firmware
	@$(MOCHA) --timeout 900000 --require dist/test/support/root-hooks.js $(UNIT) $(INTEGRATION) $(E2E)

test-unit: setup
	@$(MOCHA) $(UNIT)

test-integration: setup-test images firmware
	@$(MOCHA) --timeout 600000 --require dist/test/support/root-hooks.js $(INTEGRATION)

test-e2e: setup-test images firmware
	@$(MOCHA) --timeout 900000 --require dist/test/support/root-hooks.js $(E2E)

bench: setup-test images firmware
	@bash bench/run.sh

doctor: setup
	@$(FIRMLAB) doctor

gc: setup
	@$(FIRMLAB) gc

clean:
	rm -rf dist build .firmlab
