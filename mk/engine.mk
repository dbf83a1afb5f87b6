# Game engine (src/engine): pure rules, no Kore, SQL or network.
#
#   ENGINE_OBJS_REL   optimized, -fPIC objects (for the Kore module, tools)
#   ENGINE_OBJS_SAN   sanitized objects (for unit tests)
#   build/pd-replay   replays a game from a set-up and a list of actions
#   build/demo-game   plays the demo game's first plays (scripts/demo.sh)
#
# conf/rules.txt (the resolution chart) is compiled in as a C string; the
# engine can also load a replacement at run time.

# The engine's one dependency in the tree: the yajl helpers of src/util.
ENGINE_SRCS	:= $(wildcard src/engine/*.c) src/util/buf.c src/util/jsonutil.c
ENGINE_GEN	:= $(BUILD)/gen/engine/rules_builtin.c
ENGINE_OBJS_REL	:= $(ENGINE_SRCS:%.c=$(BUILD)/rel/%.o) \
		   $(BUILD)/rel/gen/engine/rules_builtin.o
ENGINE_OBJS_SAN	:= $(ENGINE_SRCS:%.c=$(BUILD)/san/%.o) \
		   $(BUILD)/san/gen/engine/rules_builtin.o
ENGINE_TEST_LIBS = -lcriterion $(LIBS)

ENGINE_UNIT	:= $(patsubst tests/unit/%.c,$(BUILD)/tests/%, \
		   $(wildcard tests/unit/test_engine_*.c))
ENGINE_PROPERTY	:= $(BUILD)/tests/test_engine_property \
		   $(BUILD)/tests/test_engine_property_san

ALL_TARGETS	+= $(BUILD)/pd-replay $(BUILD)/demo-game
UNIT_TESTS	+= $(ENGINE_UNIT) $(ENGINE_PROPERTY)
BENCH_TARGETS	+= bench-engine

.PHONY: bench-engine

# The chart as a C string: escape backslashes and quotes, one line each.
$(ENGINE_GEN): conf/rules.txt mk/engine.mk
	@mkdir -p $(dir $@)
	{ echo '/* Generated from conf/rules.txt by mk/engine.mk. */'; \
	  echo '#include "engine/rules.h"'; \
	  echo 'const char pd_rules_builtin_text[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' \
	    conf/rules.txt; \
	  echo ';'; } > $@.tmp && mv $@.tmp $@

$(BUILD)/rel/gen/engine/rules_builtin.o: $(ENGINE_GEN)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_REL) -c $< -o $@

$(BUILD)/san/gen/engine/rules_builtin.o: $(ENGINE_GEN)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_SAN) -c $< -o $@

$(BUILD)/pd-replay: $(BUILD)/rel/tools/pd-replay.o $(ENGINE_OBJS_REL)
	$(CC) -o $@ $^ $(LIBS)

# The demo game's first plays (scripts/demo.sh).
$(BUILD)/demo-game: $(BUILD)/rel/scripts/demo_game.o $(ENGINE_OBJS_REL)
	$(CC) -o $@ $^ $(LIBS)

$(BUILD)/engine-bench: $(BUILD)/rel/bench/engine_bench.o \
    $(BUILD)/rel/tests/property/engine_sim.o $(ENGINE_OBJS_REL)
	$(CC) -o $@ $^ $(LIBS)

bench-engine: $(BUILD)/engine-bench
	$(BUILD)/engine-bench

# Unit tests: sanitized; the replay test runs build/pd-replay.
$(BUILD)/tests/test_engine_%: $(BUILD)/san/tests/unit/test_engine_%.o \
    $(ENGINE_OBJS_SAN) $(BUILD)/san/tests/property/engine_sim.o
	@mkdir -p $(dir $@)
	$(CC) $(SAN) -o $@ $^ $(ENGINE_TEST_LIBS)

$(BUILD)/tests/test_engine_replay: | $(BUILD)/pd-replay

# The property test: optimized for the full count, and a smaller count
# under the sanitizers.
$(BUILD)/tests/test_engine_property: \
    $(BUILD)/rel/tests/property/test_engine_property.o \
    $(BUILD)/rel/tests/property/engine_sim.o $(ENGINE_OBJS_REL)
	@mkdir -p $(dir $@)
	$(CC) -o $@ $^ $(ENGINE_TEST_LIBS)

$(BUILD)/san/tests/property/test_engine_property_san.o: \
    tests/property/test_engine_property.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_SAN) -DPD_PROPERTY_GAMES=2000 -MMD -MP -c $< -o $@

$(BUILD)/tests/test_engine_property_san: \
    $(BUILD)/san/tests/property/test_engine_property_san.o \
    $(BUILD)/san/tests/property/engine_sim.o $(ENGINE_OBJS_SAN)
	@mkdir -p $(dir $@)
	$(CC) $(SAN) -o $@ $^ $(ENGINE_TEST_LIBS)
