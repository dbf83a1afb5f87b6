# Paper Dynasty game server.
#
# Two commands matter: `make run` and `make test`.  Everything else is a
# building block.  Each module keeps its sources and targets in mk/<name>.mk;
# this file only holds the shared flags and the top-level targets.

BUILD		?= build
CC		?= cc
KORE		?= kore
PORT		?= 8000
WORKERS		?=

KORE_FEATURES	:= $(shell cat /usr/share/kore/features 2>/dev/null)

WARN		= -Wall -Wextra -Wmissing-prototypes -Wstrict-prototypes \
		  -Wpointer-arith -Wshadow -Wsign-compare -Wno-unused-parameter
BASE_CFLAGS	= -std=gnu11 -D_GNU_SOURCE -g -Isrc $(WARN)
# Release objects: position independent, they go into the Kore module.
CFLAGS_REL	= $(BASE_CFLAGS) -O2 -fPIC
# Test objects: sanitized.
SAN		= -fsanitize=address,undefined -fno-omit-frame-pointer \
		  -fno-sanitize-recover=undefined
CFLAGS_SAN	= $(BASE_CFLAGS) -O1 -fPIC $(SAN)
LIBS		= -lsodium -lyajl

# Filled by the fragments.
UNIT_TESTS	:=
BENCH_TARGETS	:=
FUZZ_TARGETS	:=
ALL_TARGETS	:=

.SECONDEXPANSION:

.PHONY: all run test test-unit bench fuzz clean setup

all: build-all

include $(sort $(wildcard mk/*.mk))

build-all: $(ALL_TARGETS)

# Generic compile rules: $(BUILD)/rel/... for the module and tools,
# $(BUILD)/san/... for sanitized tests.
$(BUILD)/rel/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_REL) $(EXTRA_CFLAGS_$(subst /,_,$(dir $<))) -MMD -MP -c $< -o $@

$(BUILD)/san/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_SAN) $(EXTRA_CFLAGS_$(subst /,_,$(dir $<))) -MMD -MP -c $< -o $@

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

test-unit: $(UNIT_TESTS)
	@scripts/run-unit-tests.sh $(UNIT_TESTS)

bench: $(BENCH_TARGETS)

fuzz: $(FUZZ_TARGETS)

clean:
	rm -rf $(BUILD)

# The full set-up then every test; see mk/infra.mk for setup and
# test-integration, mk/app.mk for the same tests against the sanitized
# module, and mk/*.mk for each module's unit tests.
test: setup
	$(MAKE) build-all
	$(MAKE) test-unit
	$(MAKE) test-integration
	$(MAKE) test-integration-san
	$(MAKE) test-browser

run: setup
	$(MAKE) build-all
	scripts/run.sh
