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

# scripts/with-db.sh provides the database (the private cluster unless
# DATABASE_URL is set; stopped again under CI).  The node runner's spec
# output goes to the terminal and its TAP to build/test-logs/integration.tap,
# from which the last line, "integration: N passed, N failed", is made (the
# spec reporter lists failures after its own summary).  The node runner's
# exit code is the target's.
test-integration:
	@set -eu; \
	TEST_LOG_DIR=$(abspath $(BUILD))/test-logs; export TEST_LOG_DIR; \
	mkdir -p "$$TEST_LOG_DIR"; \
	rm -f "$$TEST_LOG_DIR"/*.log "$$TEST_LOG_DIR/integration.tap"; \
	rc=0; \
	scripts/with-db.sh node --test --test-timeout=120000 \
	    --test-reporter=spec --test-reporter-destination=stdout \
	    --test-reporter=tap --test-reporter-destination="$$TEST_LOG_DIR/integration.tap" \
	    tests/integration/ || rc=$$?; \
	if [ "$$rc" -ne 0 ]; then echo "integration tests failed (server logs in $(BUILD)/test-logs/)"; fi; \
	awk '/^# (pass|fail|cancelled) / { n[$$2] = $$3 } \
	    END { printf "integration: %d passed, %d failed\n", n["pass"], n["fail"] + n["cancelled"] }' \
	    "$$TEST_LOG_DIR/integration.tap" || true; \
	exit $$rc
