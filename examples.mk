# Example programs (lessons/NN-*/example), run by `secretlings example N`:
# LocalStack when it answers on :4566 and no backend or endpoint is set,
# otherwise the embedded emulator (or --backend / AWS_ENDPOINT_URL_* as set).
# Extra flags for the command: make example-3 EXAMPLE_FLAGS="--backend embedded"
GO ?= go
EXAMPLE_FLAGS ?=

.PHONY: examples example-1 example-2 example-3 example-4

examples: example-1 example-2 example-3 example-4 ## run every example program

example-1: ## example 1: store, read, describe, list; missing and existing names
	$(GO) run . example $(EXAMPLE_FLAGS) 1

example-2: ## example 2: JSON secrets, versions, stages, a label, a rollback
	$(GO) run . example $(EXAMPLE_FLAGS) 2

example-3: ## example 3: a rotation function rotating the demo service's API keys
	$(GO) run . example $(EXAMPLE_FLAGS) 3

example-4: ## example 4 (lesson 7): one program, no endpoint in its code, on any backend
	$(GO) run . example $(EXAMPLE_FLAGS) 4
