# Tests of the transport codecs, the JWT verifier, the JSON helpers and the
# connection manager (pure C, no Kore): criterion unit tests, libFuzzer
# targets and the replay of their regression files.  See docs/testing.md.
#
#   build/tests/test_<module>        criterion, ASan+UBSan (UNIT_TESTS)
#   build/tests/regress_<target>     replays tests/fuzz/{regress,corpus}/<target>/
#                                    through the fuzz entry point, built with
#                                    the same sanitizers (UNIT_TESTS)
#   build/fuzz/<target>              clang -fsanitize=fuzzer,address,undefined
#   make fuzz [FUZZ_SECONDS=30] [FUZZ_RSS_MB=2048]
#                                    runs each fuzzer in turn and prints its
#                                    figures (tests/fuzz/run.sh)

FUZZ_SECONDS	?= 30
FUZZ_RSS_MB	?= 2048
FUZZ_CC		?= clang
FUZZ_SAN	= -fsanitize=address,undefined -fno-omit-frame-pointer \
		  -fno-sanitize-recover=undefined
FUZZ_CFLAGS	= $(BASE_CFLAGS) -O1 $(FUZZ_SAN) -fsanitize=fuzzer-no-link

# The modules under test, by object name (without the build prefix).
T_BUF		= src/util/buf.o
T_JSON		= src/util/jsonutil.o $(T_BUF)
T_EIO		= src/transport/eio_codec.o $(T_BUF)
T_SIO		= src/transport/sio_codec.o $(T_JSON)
T_JWT		= src/auth/jwt.o $(T_JSON)
T_CONNMGR	= src/service/connmgr.o
# The engine with its generated chart, and the simulator's set-ups.
T_ENGINE	= $(ENGINE_SRCS:%.c=%.o) gen/engine/rules_builtin.o \
		  tests/property/engine_sim.o

T_LIBS		= -lcriterion $(LIBS)

# Unit tests: one binary per module.
T_UNIT_NAMES	= buf json_util eio_codec sio_codec jwt connmgr
T_UNIT		= $(T_UNIT_NAMES:%=$(BUILD)/tests/test_%)

T_MODS_buf		= $(T_BUF)
T_MODS_json_util	= $(T_JSON)
T_MODS_eio_codec	= $(T_EIO) src/util/jsonutil.o
T_MODS_sio_codec	= $(T_SIO)
T_MODS_jwt		= $(T_JWT)
T_MODS_connmgr		= $(T_CONNMGR)

$(T_UNIT): $(BUILD)/tests/test_%: $(BUILD)/san/tests/unit/test_%.o \
    $$(addprefix $(BUILD)/san/,$$(T_MODS_$$*))
	@mkdir -p $(dir $@)
	$(CC) $(SAN) -o $@ $^ $(T_LIBS)

# Fuzz targets: each fuzz_<name>.c defines LLVMFuzzerTestOneInput.
T_FUZZ_NAMES	= eio_payload sio_packet jwt json game_input
T_FUZZ		= $(T_FUZZ_NAMES:%=$(BUILD)/fuzz/fuzz_%)
T_REGRESS	= $(T_FUZZ_NAMES:%=$(BUILD)/tests/regress_fuzz_%)

T_FMODS_eio_payload	= $(T_EIO)
T_FMODS_sio_packet	= $(T_SIO)
T_FMODS_jwt		= $(T_JWT)
T_FMODS_json		= $(T_JSON)
T_FMODS_game_input	= $(T_ENGINE)

$(BUILD)/fuzzobj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(EXTRA_CFLAGS_$(subst /,_,$(dir $<))) \
	    -MMD -MP -c $< -o $@

$(BUILD)/fuzzobj/gen/engine/rules_builtin.o: $(ENGINE_GEN)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(T_FUZZ): $(BUILD)/fuzz/fuzz_%: $(BUILD)/fuzzobj/tests/fuzz/fuzz_%.o \
    $$(addprefix $(BUILD)/fuzzobj/,$$(T_FMODS_$$*))
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(LIBS)

# The regression replay: the same entry point, built with cc and the
# unit-test sanitizers, reading the directories named at build time.
$(BUILD)/san/tests/fuzz/regress.o: CFLAGS_SAN += \
    -DFUZZ_DIR='"$(abspath tests/fuzz)"'

$(T_REGRESS): $(BUILD)/tests/regress_fuzz_%: $(BUILD)/san/tests/fuzz/regress.o \
    $(BUILD)/san/tests/fuzz/fuzz_%.o $$(addprefix $(BUILD)/san/,$$(T_FMODS_$$*))
	@mkdir -p $(dir $@)
	$(CC) $(SAN) -o $@ $^ $(LIBS)

UNIT_TESTS	+= $(T_UNIT) $(T_REGRESS)

.PHONY: fuzz-build $(T_FUZZ_NAMES:%=fuzz-run-%)

fuzz-build: $(T_FUZZ)

$(T_FUZZ_NAMES:%=fuzz-run-%): fuzz-run-%: $(BUILD)/fuzz/fuzz_%
	@tests/fuzz/run.sh $* $(BUILD) $(FUZZ_SECONDS) $(FUZZ_RSS_MB)

FUZZ_TARGETS	+= $(T_FUZZ_NAMES:%=fuzz-run-%)
