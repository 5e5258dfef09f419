# The two README commands and a few helpers. `make demo` and `make test` install the
# Debian packages that are missing, configure, build and then run.
BUILD ?= build
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
# ON makes every compiler warning an error, in each build below (.ci/run sets it).
XMC_WERROR ?= OFF
XMC := $(BUILD)/xmc
# The reference environment of the examples: no X display, root's home.
DEMO_ENV := env -u DISPLAY -u XAUTHORITY HOME=/root

.PHONY: all deps build demo test stress-test sanitize-test bench clean format mutate fuzz fuzz-xm fuzz-backends install package-test e2e scratch-test tidy

all: build

deps:
	@scripts/install-deps.sh

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS) -DXMC_WERROR=$(XMC_WERROR)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	@echo '== xmc create -n examples/hvm/hvm.cfg (an HVM config with Python code)'
	cd examples/hvm && $(DEMO_ENV) ../../$(XMC) --root ../root create -n hvm.cfg
	@echo '== xmc create -n -q --path examples/pv pv.cfg vmid=3 (xm_vars)'
	$(DEMO_ENV) $(XMC) --root examples/root create -n -q --path examples/pv pv.cfg vmid=3
	@echo '== xmc compile examples/pv/pv.cfg vmid=3 --emit json (the typed model)'
	$(DEMO_ENV) $(XMC) --root examples/root compile examples/pv/pv.cfg vmid=3 --emit json | head -n 20
	@echo '== xmc on the original seed config (its full-screen=1 line is not valid Python)'
	-$(XMC) compile ../shared/corpus/seed/hvm.cfg 2>&1 | head -n 8

test: build
	scripts/run-tests.sh $(BUILD) $(JOBS)

# The stability check: ctest 10 times under stress-ng --cpu N, then the tests that once
# depended on timing or on the rest of the machine 50 times each (scripts/stress-test.sh).
stress-test: build
	scripts/stress-test.sh $(BUILD)

# xmc, its worker and the unit tests built with AddressSanitizer and UBSan, and the tests
# that exercise the most code paths run on them (.ci/run does this after make test).
ASAN_BUILD ?= build-asan
sanitize-test: deps
	CC=clang CXX=clang++ cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=None -DCMAKE_CXX_FLAGS='-O1 -g1' \
	  -DXMC_SANITIZE=ON -DXMC_WERROR=$(XMC_WERROR) >/dev/null
	cmake --build $(ASAN_BUILD) -j $(JOBS) --target xmc xmc-eval xmc_unit_tests xmc_unit_tests_listed
	cd $(ASAN_BUILD) && UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	  ctest -j $(JOBS) --output-on-failure -R '^unit|^golden$$|^bad_inputs$$|^hostile$$|^cli_hardening$$|^broker$$'

bench: build
	bench/run.sh

# The libFuzzer targets (tests/fuzz/run.sh), each for FUZZ_SECONDS, with clang's sanitizers.
FUZZ_SECONDS ?= 60
fuzz: deps
	tests/fuzz/run.sh $(FUZZ_SECONDS)

# Random configs through the real xm 4.4 and xmc (tests/xm_differential.py): any number, on
# every core, resumable (xm's answers are cached); disagreeing configs are kept in KEEP.
SEED ?= 1
N ?= 1000
KEEP ?= $(BUILD)/xm-differences
fuzz-xm: build
	python3 tests/xm_differential.py --seed $(SEED) --count $(N) --jobs $(JOBS) \
	  --cache $(BUILD)/xm-cache --keep $(KEEP)

# The same generated configs through the real xl and libvirt's RelaxNG schema.
fuzz-backends: build
	python3 tests/backend_differential.py --seed $(SEED) --count $(N) --jobs $(JOBS) --keep $(BUILD)/backend-differences

# Each check rule switched off in turn must make a unit test fail (scripts/mutate.py).
mutate: build
	python3 scripts/mutate.py

# xmc starting domains on the real Xen 4.17 under QEMU (tests/e2e/run.sh; needs root).
e2e: build
	tests/e2e/run.sh $(BUILD)

# The README's recipes (a variable, a back end) and changed schema defaults, in a scratch
# copy rebuilt from scratch (tests/scratch_recipes.py; minutes, so not part of `make test`).
scratch-test: build
	python3 tests/scratch_recipes.py $(XMC)

# clang-tidy with .clang-tidy on xmc's sources (scripts/tidy.sh); a finding fails.
tidy: build
	scripts/tidy.sh $(BUILD)

# For non-Debian systems: xmc, its worker, the man pages, the bash completion, the
# pre-commit hook file and the Python package below PREFIX (DESTDIR for staging). The
# prefix is compiled in (the Python module finds the worker there), so it reconfigures.
PREFIX ?= /usr/local
install: deps
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS) -DXMC_WERROR=$(XMC_WERROR) -DCMAKE_INSTALL_PREFIX=$(PREFIX)
	cmake --build $(BUILD) -j $(JOBS)
	cmake --install $(BUILD)

# The Debian packages built, linted and installed into a fresh Debian 12 root, where xmc
# and the Python module are tried (scripts/package-test.sh; needs root).
package-test: deps
	scripts/package-test.sh $(CURDIR)/$(BUILD)/package

clean:
	rm -rf $(BUILD)

format:
	clang-format -i $$(git ls-files '*.cc' '*.h')
