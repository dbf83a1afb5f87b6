# Browser tests of the web UI (tests/browser/): playwright-core driving
# Debian's Chromium (/usr/bin/chromium, from scripts/setup.sh; never a
# downloaded browser) against scripts/serve.sh and a real PostgreSQL, like
# test-integration.  Needs the build (make build-all) first.  Screenshots
# go to build/test-artifacts/, server logs to build/test-logs/.
#
#   make test-browser

.PHONY: test-browser

test-browser:
	@set -eu; \
	if [ ! -x "$${CHROMIUM:-/usr/bin/chromium}" ]; then \
		echo "test-browser: no Chromium at $${CHROMIUM:-/usr/bin/chromium} (make setup installs it)" >&2; \
		exit 1; \
	fi; \
	TEST_LOG_DIR=$(abspath $(BUILD))/test-logs; export TEST_LOG_DIR; \
	TEST_ARTIFACTS_DIR=$(abspath $(BUILD))/test-artifacts; export TEST_ARTIFACTS_DIR; \
	mkdir -p "$$TEST_LOG_DIR" "$$TEST_ARTIFACTS_DIR"; \
	rm -f "$$TEST_ARTIFACTS_DIR"/*.png; \
	rc=0; \
	scripts/with-db.sh node --test --test-timeout=180000 \
	    --test-reporter=spec --test-reporter-destination=stdout \
	    tests/browser/ || rc=$$?; \
	if [ "$$rc" -ne 0 ]; then echo "browser tests failed (server logs in $(BUILD)/test-logs/, screenshots in $(BUILD)/test-artifacts/)"; fi; \
	exit $$rc
