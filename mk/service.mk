# Unit tests of the game service's pure modules (no Kore): the rate
# limiter.  The connection manager's tests are in mk/tests.mk.

SVC_UNIT	= $(BUILD)/tests/test_ratelimit

$(BUILD)/tests/test_ratelimit: $(BUILD)/san/tests/unit/test_ratelimit.o \
    $(BUILD)/san/src/service/ratelimit.o
	@mkdir -p $(dir $@)
	$(CC) $(SAN) -o $@ $^ -lcriterion

UNIT_TESTS	+= $(SVC_UNIT)
