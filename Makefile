# spotifymon — the two commands of the README are `make demo` and `make test`.
# Everything else here is what they are made of.

SWIFT      ?= swift
PYTHON     ?= python3
CC         ?= cc
CXX        ?= c++
RELEASE    := .build/release
LIB        := $(RELEASE)/libspotifymon.so
SMON       := $(RELEASE)/smon
OUT        := .build/tests
CFLAGS_T   := -Wall -Wextra -Werror -pedantic -IInclude
LINK_T     := -L$(RELEASE) -lspotifymon -Wl,-rpath,$(CURDIR)/$(RELEASE) -lm -lpthread
export SPOTIFYMON_LIBRARY := $(CURDIR)/$(LIB)

.PHONY: demo test setup setup-eval release swift-test c-test python-test go-test cli-test \
        example-test check-library evaluate bench python clean

## The main job: build in release mode and run every engine on generated data.
demo: setup release
	$(SMON) demo

## Every test: Swift Testing, the library checks, C, pytest, go test, the example and the CLI.
test: setup release check-library c-test example-test cli-test python-test go-test swift-test
	@echo "make test: all suites passed"

setup:
	@scripts/setup.sh

setup-eval:
	@scripts/setup.sh eval

release:
	$(SWIFT) build -c release

check-library: release
	scripts/check_library.sh

swift-test:
	$(SWIFT) test

c-test: release
	@mkdir -p $(OUT)
	$(CC) -std=c99 $(CFLAGS_T) -c Tests/c/header_compile.c -o $(OUT)/header_c99.o
	$(CC) -std=c11 $(CFLAGS_T) -c Tests/c/header_compile.c -o $(OUT)/header_c11.o
	$(CXX) -std=c++11 -x c++ $(CFLAGS_T) -c Tests/c/header_compile.c -o $(OUT)/header_cxx.o
	@set -e; for t in Tests/c/*_test.c; do \
	  n=$$(basename $$t .c); \
	  $(CC) -std=c11 $(CFLAGS_T) -D_POSIX_C_SOURCE=200809L $$t -o $(OUT)/$$n $(LINK_T); \
	  echo "run $$n"; $(OUT)/$$n; \
	done

example-test: release
	@$(MAKE) --no-print-directory -C Examples/c-agent test

cli-test: release
	$(PYTHON) -m pytest -q Tests/cli

python-test: release
	$(PYTHON) -m pytest -q Tests/python Evaluation/tests

go-test: release
	cd Bindings/go && go test -count=1 ./...
	cd Examples/go-agent && go vet ./... && go test -count=1 ./...

## Copies the library into the Python package so `pip install ./Bindings/python` carries it.
python: release
	cp $(LIB) Bindings/python/spotifymon/

## Accuracy on the shared data sets (see EVALUATION.md) and speed against the peers (BENCHMARKS.md).
evaluate: setup-eval release
	$(PYTHON) Evaluation/run_all.py evaluate

bench: setup-eval release
	$(PYTHON) Evaluation/run_all.py bench

clean:
	rm -rf .build $(OUT)
