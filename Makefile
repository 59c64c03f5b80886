# EnergyModels: the two commands of the README, and the benchmarks.
#   make demo   install missing Debian packages, build (release), run `ebm demo` on Data/
#   make test   install missing Debian packages, run the test suite (release build)
#   make bench  install missing Debian packages, build (release), run the benchmarks
SWIFT ?= swift
EBM := .build/release/ebm

.PHONY: deps build demo test bench clean

deps:
	@bash scripts/install-deps.sh

build: deps
	$(SWIFT) build -c release --product ebm

demo: build
	$(EBM) demo

# The suite runs optimised: its maths checks (exact partition functions, AIS, capacity) work on
# real MNIST-sized models. -enable-testing keeps @testable imports working in release.
test: deps
	$(SWIFT) test -c release -Xswiftc -enable-testing

bench: build
	bash scripts/bench.sh

clean:
	rm -rf .build out
