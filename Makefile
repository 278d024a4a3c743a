# proeftuin — build, test and demo targets. `make help` lists them.
GO        ?= go
BIN       ?= bin/proeftuin
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -s -w -X github.com/proeftuin/proeftuin/internal/version.Version=$(VERSION)
# Tests that use testcontainers-go: no reaper image can be pulled here, and
# the library must reach published ports on localhost.
TESTENV   := TESTCONTAINERS_RYUK_DISABLED=true TESTCONTAINERS_HOST_OVERRIDE=localhost
# staticcheck 2026.1.2 (v0.8.2), the first release line that knows Go 1.26.
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: help build probes release test test-short lint test-images demo bench fuzz docs clean

help: ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

build: ## build bin/proeftuin
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/proeftuin

probes: ## the static Linux probes (amd64, arm64) release builds carry, gzipped into internal/probebin/assets
	for a in amd64 arm64; do \
	  CGO_ENABLED=0 GOOS=linux GOARCH=$$a $(GO) build -trimpath -ldflags '-s -w' -o internal/probebin/assets/probe-linux-$$a ./cmd/proeftuin-probe && \
	  gzip -9 -n -f internal/probebin/assets/probe-linux-$$a || exit 1; \
	done

release: probes ## archives for linux, darwin, windows x amd64, arm64 (static, probes inside) with README, LICENSE and SHA256SUMS in dist/
	VERSION=$(VERSION) GO=$(GO) bash scripts/release.sh

test: test-images ## run every test (needs a Docker engine; builds local images first), with the reliability suite's short subset (3 seeded trials of each interrupt kind)
	$(TESTENV) $(GO) test -tags reliability -timeout 25m -count=1 ./...

test-short: ## tests that need no Docker engine
	$(GO) test -short -count=1 ./...

lint: ## gofmt, go vet and staticcheck (pinned, run through go run)
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...
	$(GO) run $(STATICCHECK) -tags reliability ./...

test-images: ## build the local images tests and examples use (reuses existing ones)
	bash scripts/test-images.sh

demo: build test-images ## the main job end to end on examples/hello: up, run the plan, report, down
	bash scripts/demo.sh

bench: ## loader benchmarks, then proeftuin vs the engine floor and docker-compose (needs Docker; FULL=1 for every topology, 5 runs; see docs/performance.md)
	$(GO) test -run '^$$' -bench . -benchmem ./internal/config/
	$(GO) run ./bench $(if $(FULL),-full) $(BENCHFLAGS)

fuzz: ## fuzz the loader for FUZZTIME (default 5m)
	$(GO) test -run '^$$' -fuzz FuzzLoad -fuzztime $${FUZZTIME:-5m} ./internal/config/

docs: ## regenerate docs/cli.md from the command definitions (a test fails when it is stale)
	$(GO) generate ./internal/cli/

clean: ## remove build output
	rm -rf bin dist internal/probebin/assets/*.gz

.PHONY: reliability
reliability: test-images ## the reliability suite: 20 seeded interrupt trials of up, run and down, engine faults, floods, drift, ten instances, hostile input, secrets (needs Docker; TRIALS, SEED; FUZZ=1 also fuzzes for FUZZTIME, default 10m; see docs/reliability.md)
	@log=$${TMPDIR:-/tmp}/proeftuin-reliability.log; \
	$(TESTENV) RELIABILITY_TRIALS=$${TRIALS:-20} RELIABILITY_SEED=$${SEED:-1} $(GO) test -tags reliability -timeout 90m -count=1 -v ./internal/faultproxy/ ./test/reliability/ >$$log 2>&1; rc=$$?; \
	grep -E '^(--- |PASS|FAIL|ok)|trial [0-9]|RSS|hostile definitions|allocated a subnet|leaks|faultproxy:|took|failed after' $$log; \
	echo "full log: $$log"; exit $$rc
	@if [ -n "$(FUZZ)" ]; then FUZZTIME=$${FUZZTIME:-10m} bash test/reliability/fuzz.sh; fi
