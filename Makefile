# CloudVault: the two commands a user needs are `make run` and `make test`.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
LISTEN ?= 127.0.0.1:9000
DATA ?= ./data
JOBS ?= $(shell nproc)
# The libFuzzer build (fuzz/README.md): clang 16, every library under ASan/UBSan.
FUZZ_BUILD_DIR ?= build-fuzz
FUZZ_SECONDS ?= 600
FUZZ_MERGE ?= 1
FUZZ_TEST_SECONDS ?= 30

# ccache keys on paths relative to the checkout, so a clone elsewhere hits the warm cache.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := true

.PHONY: all install-deps build console run test unit-test console-test e2e-test integration-test bench clean format fuzz-build fuzz fuzz-test test-rgw

all: build

install-deps:
	@bash scripts/install-deps.sh

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

build: install-deps $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

# The web console (console/: React + Vite), built into console/dist, which the server serves.
# Its packages come from the committed lock (npm ci), again only when the lock changes.
console/node_modules/.installed: console/package-lock.json
	cd console && npm ci --no-audit --no-fund && touch node_modules/.installed

console: install-deps console/node_modules/.installed
	cd console && npm run build

run: build console
	$(BUILD_DIR)/cloudvault server --listen $(LISTEN) --data $(DATA)

unit-test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

integration-test: build
	CLOUDVAULT_BIN=$(abspath $(BUILD_DIR))/cloudvault /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/integration

# The fuzz build: its own folder, clang 16 (ccache as the launcher, CMakeLists.txt), only the
# harnesses and the libraries they test. `make run` and `make build` never touch it.
$(FUZZ_BUILD_DIR)/build.ninja:
	CC=clang-16 CXX=clang++-16 cmake -S . -B $(FUZZ_BUILD_DIR) -G Ninja \
	    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCLOUDVAULT_FUZZ=ON

fuzz-build: install-deps $(FUZZ_BUILD_DIR)/build.ninja
	cmake --build $(FUZZ_BUILD_DIR) -j $(JOBS) --target fuzzers

# Every harness for FUZZ_SECONDS (default 600) after replaying fuzz/regressions and the corpus;
# what a run finds is merged into fuzz/corpus (FUZZ_MERGE=0 to keep the tree clean), a crash
# is copied into fuzz/regressions/<harness>/ and fails the target.
fuzz: fuzz-build
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_MERGE=$(FUZZ_MERGE) bash fuzz/run.sh $(FUZZ_BUILD_DIR)

# The short run of `make test`: replays, then FUZZ_TEST_SECONDS per harness, no merge.
fuzz-test: fuzz-build
	FUZZ_SECONDS=$(FUZZ_TEST_SECONDS) FUZZ_MERGE=0 bash fuzz/run.sh $(FUZZ_BUILD_DIR)

console-test: console
	cd console && npx vitest run

# The console in Debian's Chromium (playwright-core through @playwright/test) against the
# real server binary; saves the README's screenshots in docs/screenshots.
e2e-test: build console
	cd console && CLOUDVAULT_BIN=$(abspath $(BUILD_DIR))/cloudvault npx playwright test

test: build
	$(MAKE) --no-print-directory unit-test
	$(MAKE) --no-print-directory fuzz-test
	$(MAKE) --no-print-directory console-test
	$(MAKE) --no-print-directory e2e-test
	$(MAKE) --no-print-directory integration-test

# The S3 blob store tests (unit_remote) against a real Ceph RGW: a throwaway one-node cluster
# (scripts/rgw-single-node.sh, docs/RGW.md) in a temporary folder on loopback, stopped after the
# run whatever its outcome. Not part of `make test`. The folder is removed when the tests pass
# and kept (logs) when they fail.
RGW_TEST_FILTER ?= S3/BlobStoreConformanceTest.*:S3BlobStoreTest.*
test-rgw: install-deps $(BUILD_DIR)/build.ninja
	ninja -C $(BUILD_DIR) unit_remote
	@dir=$$(mktemp -d "$${TMPDIR:-/tmp}/cv-rgw.XXXXXX"); \
	trap 'bash scripts/rgw-single-node.sh stop "$$dir"' EXIT; trap 'exit 130' INT TERM; \
	bash scripts/rgw-single-node.sh start "$$dir" >/dev/null || { echo "RGW did not start; logs in $$dir/log" >&2; exit 1; }; \
	. "$$dir/env"; echo "RGW at $$CV_BLOB_TEST_ENDPOINT ($$dir)"; \
	$(BUILD_DIR)/tests/unit/unit_remote --gtest_filter='$(RGW_TEST_FILTER)'; status=$$?; \
	if [ $$status -eq 0 ]; then bash scripts/rgw-single-node.sh stop "$$dir" && rm -rf "$$dir"; \
	else echo "unit_remote failed against RGW; logs in $$dir/log" >&2; fi; \
	exit $$status

bench: build
	bash bench/run.sh $(abspath $(BUILD_DIR))

format:
	find src tests bench -name '*.h' -o -name '*.cc' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR) $(FUZZ_BUILD_DIR)
