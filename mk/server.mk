# The server: the Kore module build/pd.so, and the conformance module
# build/conformance.so built from the same transport.

TRANSPORT_SRC	= src/util/buf.c src/util/jsonutil.c src/util/sandbox.c \
		  src/transport/deadline.c src/transport/eio_codec.c \
		  src/transport/eio.c src/transport/eio_relay.c \
		  src/transport/sio_codec.c src/transport/sio.c
AUTH_SRC	= src/auth/jwt.c
KORE_CFLAGS	= $(KORE_FEATURES)

EXTRA_CFLAGS_src_transport_	= $(KORE_CFLAGS)
EXTRA_CFLAGS_src_util_		= $(KORE_CFLAGS)
EXTRA_CFLAGS_src_service_	= $(KORE_CFLAGS)
EXTRA_CFLAGS_src_app_		= $(KORE_CFLAGS)
EXTRA_CFLAGS_src_store_		= $(KORE_CFLAGS)
EXTRA_CFLAGS_src_api_		= $(KORE_CFLAGS)
EXTRA_CFLAGS_tests_conformance_	= $(KORE_CFLAGS)

CONFORMANCE_SRC	= tests/conformance/server.c $(TRANSPORT_SRC)
CONFORMANCE_OBJ	= $(CONFORMANCE_SRC:%.c=$(BUILD)/rel/%.o)

$(BUILD)/conformance.so: $$(CONFORMANCE_OBJ)
	$(CC) -shared -o $@ $(CONFORMANCE_OBJ) $(LIBS)
	@scripts/check-symbols.sh $@

ALL_TARGETS	+= $(BUILD)/conformance.so

.PHONY: conformance
conformance: $(BUILD)/conformance.so
	PORT=$${PORT:-3000} WORKERS=$${WORKERS:-1} scripts/serve.sh conf/conformance.conf
