# konveyer — from a fresh clone: `make demo` or `make test`. Each installs what is missing first
# (scripts/setup.sh: Debian packages, node_modules, FerretDB when no MongoDB is at hand).
SHELL := /bin/bash
.DEFAULT_GOAL := help
NPX := npx --no-install

.PHONY: help setup test demo bench soak services clean distclean

help: ## list the targets
	@echo "konveyer make targets:"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## (.*)$$/  \1\t\2/' | expand -t 14

setup: ## install what is missing (idempotent, quiet when all is present)
	@bash scripts/setup.sh

test: setup ## set-up, typecheck, import-cycle check, all tests
	$(NPX) tsc -p . --noEmit
	npm run --silent circular
	@mkdir -p .run
	@# The summary (failed tests by name) is printed even when vitest fails: it is the log's tail.
	@rm -f .run/vitest-report.json; rc=0; \
	  $(NPX) vitest run --reporter=default --reporter=json --outputFile.json=.run/vitest-report.json || rc=$$?; \
	  if [ -f .run/vitest-report.json ]; then node scripts/test-summary.mjs .run/vitest-report.json || rc=1; fi; \
	  exit $$rc

demo: setup ## the whole farm on this machine against the sandbox, one batch, then exit
	$(NPX) konveyer demo --exit-after-batch

bench: setup ## benchmarks (each prints its figures and the ratio to its baseline)
	$(NPX) tsx bench/run.ts

soak: setup ## reliability soak: 1 000 lookups × 10 kill -9, service restarts, Redis/MongoDB kill -9 + submit burst, site faults, bad input, security → RELIABILITY.md
	$(NPX) tsx soak/run.ts

services: setup ## embedded Redis + MongoDB-wire server until Ctrl-C
	$(NPX) konveyer services

contract: ## only the contract checks: redocly lint of the OpenAPI document, generated client types, manifests and compose file (also part of `make test`)
	$(NPX) vitest run test/api/openapi.contract.test.ts test/deploy/manifests.deploy.test.ts

.PHONY: contract

clean: ## remove run-time state in .run (embedded data, logs, demo evidence)
	rm -rf .run

distclean: clean ## also remove node_modules and the FerretDB build in ~/.cache/konveyer (rebuilt by setup, minutes)
	rm -rf node_modules "$${KONVEYER_BIN_DIR:-$${XDG_CACHE_HOME:-$$HOME/.cache}/konveyer/bin}"
