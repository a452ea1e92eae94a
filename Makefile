# The two commands: `make run` and `make test`. Both install what is missing
# (Debian packages), build with CMake + Ninja and go.
SHELL := /bin/bash
BUILD ?= build/release
TEST_BUILD ?= build/asan
PORT ?= 8080
DB ?= sqlite:data/demo.db

APT_PACKAGES := g++ cmake ninja-build libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev \
  libsqlite3-dev libsodium-dev libspdlog-dev libfmt-dev libcli11-dev libhowardhinnant-date-dev \
  libgtest-dev tzdata libpq-dev postgresql
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build run test clean

deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:" $$missing; \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

build: deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD)

run: build
	$(BUILD)/src/chosen demo --db $(DB) --port $(PORT)

# Every test, once, under AddressSanitizer + UndefinedBehaviorSanitizer; then
# the tests labelled `postgres` (store contract, integration, stream) again,
# against a throwaway PostgreSQL server (scripts/with-postgres.sh).
test: deps
	cmake -S . -B $(TEST_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCHOSEN_SANITIZE=ON
	cmake --build $(TEST_BUILD)
	cd $(TEST_BUILD) && ctest --output-on-failure -j2
	cd $(TEST_BUILD) && $(CURDIR)/scripts/with-postgres.sh ctest --output-on-failure -j2 -L postgres

clean:
	rm -rf build

# The benchmark suite (bench/README.md): Release build, a generated dataset,
# `chosen import`, wrk on loopback, SSE fan-out. Measures; asserts nothing.
# SIZE=small|large (default large), DURATION=10s per endpoint.
.PHONY: bench
bench: deps
	SIZE='$(SIZE)' DURATION='$(DURATION)' bench/run.sh
