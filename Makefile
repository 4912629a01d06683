# secretlings: everyday commands. `make help` lists them.
GO ?= go
PKGS := ./...
LOCALSTACK_HEALTH := http://localhost:4566/_localstack/health

.PHONY: help setup run test test-corpus lint test-update bench localstack-up localstack-down

help: ## list the targets
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 18

setup: ## download modules and build the binary
	$(GO) mod download
	$(GO) build -o bin/secretlings .
	@$(GO) run ./internal/pyenv/pystatus

run: ## open the tutorial on the embedded backend
	$(GO) run .

lint: ## gofmt check and go vet
	@unformatted="$$(gofmt -l .)"; if [ -n "$$unformatted" ]; then echo "gofmt wants to change:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet $(PKGS)

test: lint ## gofmt, go vet and every test under the race detector
	@if command -v moto_server >/dev/null 2>&1; then \
		echo "moto_server found: the side-by-side tests run against it"; \
	else \
		echo "moto_server not found: the side-by-side tests are SKIPPED (install it with: pip install 'moto[server]')"; \
	fi
	@if command -v aws >/dev/null 2>&1; then \
		echo "aws CLI found: every lesson's aws CLI line runs against the emulator"; \
	else \
		echo "aws CLI not found: the aws CLI snippet test is SKIPPED"; \
	fi
	@if command -v python3 >/dev/null 2>&1 && python3 -c "import boto3" >/dev/null 2>&1; then \
		echo "boto3 found: every lesson's boto3 call runs against the emulator"; \
	else \
		echo "boto3 not found: the boto3 snippet test is SKIPPED"; \
	fi
	@$(GO) run ./internal/pyenv/pystatus -tests
	@if command -v curl >/dev/null 2>&1 && curl -fs --max-time 1 $(LOCALSTACK_HEALTH) >/dev/null 2>&1; then \
		echo "LocalStack answers on :4566: the LocalStack tests run against it"; \
	else \
		echo "LocalStack is not running: the LocalStack tests are SKIPPED (start it with: make localstack-up)"; \
	fi
	@echo "the checker's gradings (its corpus, the reference solutions) run beside the race run, without -race (they grade programs the race detector does not watch)"
	@# -vet=off: lint has just run all of go vet, go test's part included.
	@SECRETLINGS_CORPUS_RACE=skip $(GO) test -race -vet=off -timeout 20m $(PKGS) & race=$$!; \
	$(GO) test -count=1 -vet=off -timeout 20m -parallel 6 -run '^(TestCorpus|TestSolutionsPassStubsFail|TestPythonSolutionsPassStubsFail|TestCatchTheBugsScores|TestCatchTheBugsWithConfigEditedOnDisk)$$' ./checker/ & gradings=$$!; \
	status=0; wait $$race || status=1; wait $$gradings || status=1; exit $$status

test-corpus: ## the checker's whole corpus of wrong solutions, testdata/more included
	SECRETLINGS_CORPUS=all $(GO) test -count=1 -timeout 30m -run TestCorpus ./checker/

test-update: ## regenerate the UI golden files
	@# Only the packages with teatest goldens know -update.
	$(GO) test $$($(GO) list -f '{{.ImportPath}} {{join .TestImports " "}}' ./ui/... | awk '/charmbracelet\/x\/exp\/teatest/ {print $$1}') -update

bench: ## benchmarks: startup, emulator against a canned server and moto_server (GetSecretValue, listing 10,000 secrets), cache, rotation, masking, browser, checker
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 1s . ./aws/... ./mask/... ./ui/... ./checker/... ./internal/pyfork/

localstack-up: ## start LocalStack (needs Docker and Compose) and wait until it is healthy
	@scripts/localstack.sh up

localstack-down: ## stop LocalStack
	@scripts/localstack.sh down

include examples.mk
