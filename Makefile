# EnergyModels: the two commands of the README, and the benchmarks.
#   make demo   install missing Debian packages, build (release), run `ebm demo` on Data/
#   make test   install missing Debian packages, run the test suite (release build), build the
#               documentation with warnings as errors and build and run its snippets (make docs), then
#               every fuzz harness for TEST_FUZZ_SECONDS (default 10) with a fixed seed, so a reader
#               regression shows
#   make docs   the DocC documentation of every library module as a static site in out/docs/
#               (view: python3 -m http.server -d out/docs 8000, http://localhost:8000/documentation/);
#               each module's guide article is generated from docs/*.md. See scripts/docs.sh.
#   make docs-check  make docs, then render its pages in headless Chromium (installed if missing),
#               screenshots in out/docs-check/; fails if a landing page shows no Topics. Not in make test.
#   make bench  install missing Debian packages, build (release), run the benchmarks
#   make fuzz   install missing Debian packages, build the fuzz harnesses (Fuzz/, libFuzzer + ASan) and
#               run each for FUZZ_SECONDS (default 60); FUZZ_TARGETS="FuzzNumpy FuzzNpz" runs only
#               those. Fails on any crash, leaving the input in out/fuzz/crashes/. See docs/reliability.md.
SWIFT ?= swift
EBM := .build/release/ebm
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=
TEST_FUZZ_SECONDS ?= 10

.PHONY: deps build demo test docs docs-check bench fuzz clean

deps:
	@bash scripts/install-deps.sh

build: deps
	$(SWIFT) build -c release --product ebm

demo: build
	$(EBM) demo

# The suite runs optimised: its maths checks (exact partition functions, AIS, capacity) work on
# real MNIST-sized models. -enable-testing keeps @testable imports working in release.
# Swift Testing runs tests concurrently in one process, and OpenBLAS's thread count is process-wide
# (Parallel.run lowers it to 1 while its workers run), so one BLAS thread keeps every test's sums
# independent of what runs beside it: OpenBLAS blocks a long sum differently per thread count.
test: deps
	OPENBLAS_NUM_THREADS=1 $(SWIFT) test -c release -Xswiftc -enable-testing
	SWIFT="$(SWIFT)" bash scripts/docs.sh
	SWIFT="$(SWIFT)" FUZZ_SECONDS="$(TEST_FUZZ_SECONDS)" FUZZ_TARGETS="$(FUZZ_TARGETS)" FUZZ_FLAGS="-seed=1" bash scripts/fuzz.sh

docs: deps
	SWIFT="$(SWIFT)" bash scripts/docs.sh

docs-check: docs
	bash scripts/docs-check.sh

bench: build
	bash scripts/bench.sh

fuzz: deps
	SWIFT="$(SWIFT)" FUZZ_SECONDS="$(FUZZ_SECONDS)" FUZZ_TARGETS="$(FUZZ_TARGETS)" bash scripts/fuzz.sh

clean:
	rm -rf .build out
