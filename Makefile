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
# The web app's end-to-end tests drive Debian's Chromium (never a downloaded
# browser); Node.js comes from Debian only when the machine has none.
WEB_APT_PACKAGES := chromium $(if $(shell command -v node),,nodejs npm)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build run test clean web-deps web-build web-test

deps:
	@missing=$$(for p in $(APT_PACKAGES) $(WEB_APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:" $$missing; \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

build: deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD)

# The web app (web/): `npm ci` only when node_modules is missing or older
# than the lock file, then a production build into web/dist, which the
# server serves (no Node at run time).
web-deps: deps
	@cd web && if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ] \
	    || [ package.json -nt node_modules/.package-lock.json ]; then \
	  echo "Installing the web app's packages (npm ci)"; npm ci --no-audit --no-fund; fi

web-build: web-deps
	cd web && npm run build

run: build web-build
	$(BUILD)/src/chosen demo --db $(DB) --port $(PORT) --web-root web/dist

# Every test, once, under AddressSanitizer + UndefinedBehaviorSanitizer; then
# the tests labelled `postgres` (store contract, integration, stream) again,
# against a throwaway PostgreSQL server (scripts/with-postgres.sh).
test: deps
	cmake -S . -B $(TEST_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCHOSEN_SANITIZE=ON
	cmake --build $(TEST_BUILD)
	cd $(TEST_BUILD) && ctest --output-on-failure -j2
	cd $(TEST_BUILD) && $(CURDIR)/scripts/with-postgres.sh ctest --output-on-failure -j2 -L postgres
	$(MAKE) web-test

# The web app's unit tests (Vitest), then the end-to-end suite: the sanitizer
# build's server on a fresh SQLite database, driven through Debian's Chromium
# (web/e2e, playwright-core). Screenshots go to build/e2e-screenshots/.
web-test: web-build
	cd web && npm test
	cd web && CHOSEN_BIN=$(CURDIR)/$(TEST_BUILD)/src/chosen npm run e2e

clean:
	rm -rf build

# The benchmark suite (bench/README.md): Release build, a generated dataset,
# `chosen import`, wrk on loopback, SSE fan-out. Measures; asserts nothing.
# SIZE=small|large (default large), DURATION=10s per endpoint.
.PHONY: bench
bench: deps
	SIZE='$(SIZE)' DURATION='$(DURATION)' bench/run.sh
