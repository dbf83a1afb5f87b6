"""Debian's python-socketio client against the server, for
python_client.test.mjs.

usage: /usr/bin/python3 python_client.py URL TOKEN polling|websocket [GAME_ID]

Connects with auth={'token': TOKEN} on one transport, waits for `connected`,
emits `heartbeat` (event and acknowledgement), and prints one JSON line with
what it saw.  With GAME_ID it also joins that game as a spectator, prints
"joined", and waits for one `play_resolved` (handlers take one argument,
as python-socketio users write them).  Exit 0 when the whole exchange
worked, 1 otherwise.
"""
import json
import sys
import threading

import socketio


def main():
    if len(sys.argv) not in (4, 5) or sys.argv[3] not in ("polling",
                                                          "websocket"):
        print(__doc__, file=sys.stderr)
        return 2
    url, token, transport = sys.argv[1:4]
    game_id = sys.argv[4] if len(sys.argv) == 5 else None
    result = {"transport": transport}
    got_connected = threading.Event()
    got_ack_event = threading.Event()
    got_play = threading.Event()

    sio = socketio.Client(reconnection=False)

    @sio.on("connected")
    def on_connected(data):
        result["connected"] = data
        got_connected.set()

    @sio.on("heartbeat_ack")
    def on_heartbeat_ack(data):
        result["heartbeat_ack"] = data
        got_ack_event.set()

    @sio.on("play_resolved")
    def on_play_resolved(data):
        result["play"] = data
        got_play.set()

    try:
        sio.connect(url, auth={"token": token}, transports=[transport],
                    wait_timeout=10)
        result["transport_used"] = sio.transport()
        if not got_connected.wait(10):
            raise RuntimeError("no 'connected' event within 10 s")
        result["ack"] = sio.call("heartbeat", timeout=10)
        if not got_ack_event.wait(10):
            raise RuntimeError("no 'heartbeat_ack' event within 10 s")
        if game_id is not None:
            result["joined"] = sio.call("join_game", {"game_id": game_id,
                                        "role": "spectator"}, timeout=10)
            print("joined", flush=True)
            if not got_play.wait(15):
                raise RuntimeError("no 'play_resolved' event within 15 s")
        result["ok"] = True
    except Exception as e:  # report every failure as data for the node test
        result["ok"] = False
        result["error"] = "%s: %s" % (type(e).__name__, e)
    finally:
        try:
            sio.disconnect()
        except Exception:
            pass
    print(json.dumps(result))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
