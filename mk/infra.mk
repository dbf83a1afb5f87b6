# Set-up, database and integration tests.
#
#   make setup             install missing Debian and npm packages
#   make db                start the private PostgreSQL and apply migrations
#   make db-stop           stop it
#   make test-integration  tests over the wire against scripts/serve.sh and a
#                          real PostgreSQL (the private one unless DATABASE_URL
#                          is set); needs the build (make build-all) first

.PHONY: setup db db-stop test-integration

setup:
	@scripts/setup.sh

db:
	@scripts/pg.sh start
	@scripts/migrate.sh

db-stop:
	@scripts/pg.sh stop

# Under CI the private cluster is stopped again afterwards if this target
# started it; elsewhere it keeps running (faster reruns, and other runs in the
# same tree may be using it): `make db-stop` stops it.  The node runner's spec
# output goes to the terminal and its TAP to build/test-logs/integration.tap,
# from which the last line, "integration: N passed, N failed", is made (the
# spec reporter lists failures after its own summary).  The node runner's
# exit code is the target's.
test-integration:
	@set -eu; \
	started=""; \
	if [ -z "$${DATABASE_URL:-}" ]; then \
		if ! scripts/pg.sh status 2>/dev/null; then started=yes; fi; \
		scripts/pg.sh start; \
		DATABASE_URL=$$(scripts/pg.sh url); \
		export DATABASE_URL; \
	fi; \
	scripts/migrate.sh; \
	TEST_LOG_DIR=$(abspath $(BUILD))/test-logs; export TEST_LOG_DIR; \
	mkdir -p "$$TEST_LOG_DIR"; \
	rm -f "$$TEST_LOG_DIR"/*.log "$$TEST_LOG_DIR/integration.tap"; \
	rc=0; \
	node --test --test-timeout=120000 \
	    --test-reporter=spec --test-reporter-destination=stdout \
	    --test-reporter=tap --test-reporter-destination="$$TEST_LOG_DIR/integration.tap" \
	    tests/integration/ || rc=$$?; \
	if [ -n "$$started" ] && [ -n "$${CI:-}" ]; then scripts/pg.sh stop; fi; \
	if [ "$$rc" -ne 0 ]; then echo "integration tests failed (server logs in $(BUILD)/test-logs/)"; fi; \
	awk '/^# (pass|fail|cancelled) / { n[$$2] = $$3 } \
	    END { printf "integration: %d passed, %d failed\n", n["pass"], n["fail"] + n["cancelled"] }' \
	    "$$TEST_LOG_DIR/integration.tap" || true; \
	exit $$rc
