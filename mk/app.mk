# The game server module build/pd.so: app, service, store, API and the
# engine on the transport.

APP_SRC		= $(wildcard src/app/*.c) $(wildcard src/service/*.c) \
		  $(wildcard src/store/*.c) $(wildcard src/api/*.c) \
		  $(TRANSPORT_SRC) $(AUTH_SRC)
APP_OBJ		= $(APP_SRC:%.c=$(BUILD)/rel/%.o) $(ENGINE_OBJS_REL)

$(BUILD)/pd.so: $$(APP_OBJ)
	$(CC) -shared -o $@ $(APP_OBJ) $(LIBS) -lpq
	@scripts/check-symbols.sh $@

ALL_TARGETS	+= $(BUILD)/pd.so
