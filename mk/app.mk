# The game server module build/pd.so: app, service, store, API and the
# engine on the transport.

APP_SRC		= $(wildcard src/app/*.c) $(wildcard src/service/*.c) \
		  $(wildcard src/store/*.c) $(wildcard src/api/*.c) \
		  $(TRANSPORT_SRC) $(AUTH_SRC)
APP_OBJ		= $(sort $(APP_SRC:%.c=$(BUILD)/rel/%.o) $(ENGINE_OBJS_REL))

$(BUILD)/pd.so: $$(APP_OBJ)
	$(CC) -shared -o $@ $(APP_OBJ) $(LIBS) -lpq
	@scripts/check-symbols.sh $@

ALL_TARGETS	+= $(BUILD)/pd.so

# `kodev run` reads conf/<directory name>.conf and loads ./<directory
# name>.so: make writes that file from kore.conf (it is not committed,
# since the directory name is the developer's).
APPNAME		:= $(notdir $(CURDIR))
KODEV_CONF	:= conf/$(APPNAME).conf

ifeq ($(filter $(APPNAME),build conformance),)
$(KODEV_CONF): kore.conf
	sed 's|^load .*|load ./$(APPNAME).so|' kore.conf > $@

ALL_TARGETS	+= $(KODEV_CONF)
endif

# The same module built with AddressSanitizer and UBSan, and every
# integration test run again against it (scripts/serve-san.sh): the Kore
# glue, not only the pure modules, is checked by the sanitizers.
APP_OBJ_SAN	= $(sort $(APP_SRC:%.c=$(BUILD)/san/%.o) $(ENGINE_OBJS_SAN))

$(BUILD)/pd-san.so: $$(APP_OBJ_SAN)
	$(CC) -shared $(SAN) -o $@ $(APP_OBJ_SAN) $(LIBS) -lpq
	@scripts/check-symbols.sh $@

.PHONY: test-integration-san
test-integration-san: $(BUILD)/pd-san.so
	@TEST_SERVE_SCRIPT=scripts/serve-san.sh TEST_SANITIZED=1 \
	    $(MAKE) --no-print-directory test-integration
