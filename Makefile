# The project's front door. Every target first makes sure the Debian packages are present
# (scripts/install-deps installs nothing when they are), then drives a CMake preset.
.PHONY: all deps demo test bench sanitize fuzz dev format format-check clean

CMAKE ?= cmake
CTEST ?= ctest

all: test

deps:
	scripts/install-deps

## make demo: build and run the end-to-end example on bundled data (release preset)
demo: deps
	$(CMAKE) --preset release
	$(CMAKE) --build --preset release --target demo

## make test: build everything in release and run every C++ (doctest) and Python (pytest) test
test: deps
	$(CMAKE) --preset release
	$(CMAKE) --build --preset release
	$(CTEST) --preset release

## make bench: build in release and run the benchmarks
bench: deps
	$(CMAKE) --preset release
	$(CMAKE) --build --preset release --target bench

## make sanitize: build with ASan + UBSan and run every test
sanitize: deps
	$(CMAKE) --preset sanitize
	$(CMAKE) --build --preset sanitize
	$(CTEST) --preset sanitize

## make fuzz: build the libFuzzer targets with clang and run each for FUZZ_SECONDS (600):
## formulas, then escalation policies and states
FUZZ_SECONDS ?= 600
fuzz: deps
	$(CMAKE) --preset fuzz
	$(CMAKE) --build --preset fuzz
	mkdir -p build/fuzz/corpus/formula
	cp tests/data/formula/*.input build/fuzz/corpus/formula/
	build/fuzz/tests/fuzz/arscore_fuzz_formula -max_total_time=$(FUZZ_SECONDS) -max_len=512 \
	  -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 build/fuzz/corpus/formula
	mkdir -p build/fuzz/corpus/rules
	cp tests/data/rules/*.json build/fuzz/corpus/rules/
	build/fuzz/tests/fuzz/arscore_fuzz_rules -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
	  -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 build/fuzz/corpus/rules

## make dev: debug build with warnings as errors, and its tests
dev: deps
	$(CMAKE) --preset dev
	$(CMAKE) --build --preset dev
	$(CTEST) --preset dev

FORMAT_FILES = $(shell git ls-files '*.cpp' '*.hpp')

## make format-check: fail when a C++ file is not clang-formatted
format-check:
	clang-format --dry-run --Werror $(FORMAT_FILES)

## make format: clang-format every C++ file in place
format:
	clang-format -i $(FORMAT_FILES)

clean:
	rm -rf build
