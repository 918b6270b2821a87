# puzzle: `make demo` and `make test` are all a fresh machine needs (Swift toolchain only).
SWIFT ?= swift
PREFIX ?= /usr/local
RELEASE_BIN := .build/release/puzzle
SWIFT_JOBS ?= 2

.PHONY: build debug test demo bench install clean

build:
	$(SWIFT) build -c release --product puzzle -j $(SWIFT_JOBS)

debug:
	$(SWIFT) build -j $(SWIFT_JOBS)

# Unit, property and end-to-end tests (the end-to-end ones run the debug `puzzle` binary).
test:
	$(SWIFT) build --build-tests -j $(SWIFT_JOBS)
	$(SWIFT) test --skip-build

# A real search on the built-in synthetic demo library (see docs/tutorial.md).
demo: build
	@bash scripts/demo.sh $(RELEASE_BIN)

# Benchmarks: every bench/bench_*.sh in order; each prints its own table and skips cleanly
# when an optional tool (scipy) or ../shared is absent. Latest figures: docs/benchmarks.md.
bench: build
	@set -e; for script in bench/bench_*.sh; do echo "== $$script"; bash $$script $(RELEASE_BIN); done

install: build
	install -d $(PREFIX)/bin
	install -m 0755 $(RELEASE_BIN) $(PREFIX)/bin/puzzle

clean:
	rm -rf .build
