# Server benchmarks (bench/run.mjs): capacity, the play loop over WebSocket
# and long-polling, and the same slice against the reference servers
# bench/ref-node (npm socket.io) and bench/ref-python (python3-socketio).
# Figures only; nothing about speed is asserted.  See docs/performance.md.
#
#   make bench-server                      every scenario (about 3 minutes)
#   make bench-server BENCH_ARGS="play"    one scenario
#   BENCH_CAP_CONNS=30000 BENCH_GAMES=200 make bench-server   bigger runs
#
# build/bench-floor (bench/floor.c, scenario `floor`) is the kernel's own
# cost of a play's socket I/O, with no application logic: libc only.
#
# bench/ref-node's packages are installed here only (npm ci), never by
# `make test`; python3-socketio and python3-aiohttp come from Debian.

BENCH_ARGS	?=

BENCH_TARGETS	+= bench-server

.PHONY: bench-server bench-ref-deps

bench-ref-deps:
	@if [ ! -d bench/ref-node/node_modules/socket.io ]; then \
		cd bench/ref-node && npm ci --no-audit --no-fund; fi
	@/usr/bin/python3 -c 'import socketio, aiohttp' 2>/dev/null || { \
		echo "bench: installing python3-socketio python3-aiohttp"; \
		apt-get install -y python3-socketio python3-aiohttp >/dev/null; }
	@[ -d node_modules/ws ] || npm ci --no-audit --no-fund

$(BUILD)/rel/bench/floor.o: WARN += -Werror

$(BUILD)/bench-floor: $(BUILD)/rel/bench/floor.o
	$(CC) -o $@ $^

bench-server: $(BUILD)/pd.so $(BUILD)/bench-floor bench-ref-deps
	node bench/run.mjs $(BENCH_ARGS)
