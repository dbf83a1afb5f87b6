"""bench/ref-python/server.py: the benchmark's event slice (auth, join_game,
roll_dice, submit_manual_outcome) on Debian's python3-socketio (AsyncServer)
and python3-aiohttp, in memory and without a database: a port of
bench/ref-node/game.mjs.  PORT, JWT_SECRET from the environment; GET
/healthz for the runner.  Run with /usr/bin/python3 (Debian's packages).
One process (one core)."""

import base64
import datetime
import hashlib
import hmac
import json
import os
import secrets
import signal
import sys
import time

import socketio
from aiohttp import web

SECRET = os.environ.get("JWT_SECRET", "").encode()
NAMES = ["Grady Halloway", "Eli Ellery", "Marcus Penrose", "Otis Calloway", "Dale Whitcomb",
         "Rudy Fenwick", "Hank Ormsby", "Lew Tarrant", "Sid Abernathy", "Zeke Fairweather"]
POS = ["C", "SS", "1B", "2B", "3B", "LF", "CF", "RF", "DH"]
ADV = {"walk": -1, "single_1": 1, "double_2": 2, "homerun": 4, "strikeout": 0}
BATTER_TO = {"walk": 1, "single_1": 1, "double_2": 2, "homerun": 4, "strikeout": 0}
DESC = {"walk": "Walk", "single_1": "Single", "double_2": "Double", "homerun": "Home run",
        "strikeout": "Strikeout"}


def b64d(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def verify_jwt(token):
    if not isinstance(token, str):
        return None
    parts = token.split(".")
    if len(parts) != 3:
        return None
    mac = hmac.new(SECRET, (parts[0] + "." + parts[1]).encode(), hashlib.sha256).digest()
    try:
        if not hmac.compare_digest(mac, b64d(parts[2])):
            return None
        claims = json.loads(b64d(parts[1]))
    except Exception:
        return None
    if not isinstance(claims.get("sub"), str) or not isinstance(claims.get("exp"), (int, float)):
        return None
    if claims["exp"] < time.time():
        return None
    return claims


def lineup(base):
    return [{"lineup_id": base + i + 1, "card_id": base + 30 + i, "name": NAMES[i], "position": p,
             "batting_order": i + 1} for i, p in enumerate(POS)]


class Game:
    def __init__(self, gid):
        self.id = gid
        self.seq = 0
        self.play_number = 0
        self.pending_roll = None
        self.status = "pending"
        self.inning = 1
        self.half = "top"
        self.outs = 0
        self.runners = [None, None, None]
        self.score = {"away": 0, "home": 0}
        self.batter = [0, 0]
        self.lineups = [lineup(0), lineup(20)]
        self.pitchers = [{"lineup_id": 19, "card_id": 66, "name": NAMES[9], "position": "P", "batting_order": None},
                         {"lineup_id": 39, "card_id": 71, "name": NAMES[9], "position": "P", "batting_order": None}]
        self.players = set()

    def state(self):
        bat = 0 if self.half == "top" else 1
        return {
            "game_id": self.id, "status": self.status, "seq": self.seq, "inning": self.inning,
            "half": self.half, "outs": self.outs,
            "runners": {"1": self.runners[0], "2": self.runners[1], "3": self.runners[2]},
            "score": self.score, "away_team_id": 1, "home_team_id": 2,
            "batting_team_id": bat + 1, "fielding_team_id": 2 - bat,
            "current_batter": self.lineups[bat][self.batter[bat]],
            "current_pitcher": self.pitchers[1 - bat],
            "play_number": self.play_number, "pending_roll": self.pending_roll,
            "decisions": {
                "defensive": {"alignment": "normal", "infield_depth": "normal",
                              "outfield_depth": "normal", "hold_runners": []},
                "offensive": {"approach": "normal", "steal_attempts": [], "hit_and_run": False,
                              "bunt_attempt": False},
                "pending_decision": "defensive"},
            "winner_team_id": None,
        }

    def roll(self):
        r = secrets.SystemRandom()
        a, b, c = r.randint(1, 6), r.randint(1, 6), r.randint(1, 6)
        ts = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds")
        out = {"roll_id": secrets.token_hex(16), "d6_one": a, "d6_two_total": b + c,
               "chaos_d20": r.randint(1, 20), "resolution_d20": r.randint(1, 20),
               "check_wild_pitch": False, "check_passed_ball": False, "timestamp": ts,
               "d6_two": [b, c], "game_id": self.id,
               "message": "Dice rolled - read your card and submit outcome"}
        self.pending_roll = {"roll_id": out["roll_id"], "rolled_at": ts}
        self.status = "in_progress"
        self.seq += 1
        out["seq"] = self.seq
        return out

    def resolve(self, outcome):
        bat = 0 if self.half == "top" else 1
        batter = self.lineups[bat][self.batter[bat]]
        moves, runs, nxt = [], 0, [None, None, None]
        adv = ADV[outcome]
        if adv == -1:
            forced = True
            for b in range(3):
                r = self.runners[b]
                if r is None:
                    forced = False
                    continue
                to = b + 2 if forced else b + 1
                moves.append({"from": b + 1, "to": to, "out": False})
                if to >= 4:
                    runs += 1
                else:
                    nxt[to - 1] = r
        else:
            for b in (2, 1, 0):
                r = self.runners[b]
                if r is None:
                    continue
                to = min(4, b + 1 + adv)
                moves.append({"from": b + 1, "to": to, "out": False})
                if to >= 4:
                    runs += 1
                else:
                    nxt[to - 1] = r
        bto = BATTER_TO[outcome]
        out = bto == 0
        if out:
            moves.append({"from": 0, "to": 1, "out": True})
            self.outs += 1
        else:
            moves.append({"from": 0, "to": bto, "out": False})
            if bto >= 4:
                runs += 1
            else:
                nxt[bto - 1] = batter
        self.runners = nxt
        self.score["away" if bat == 0 else "home"] += runs
        self.batter[bat] = (self.batter[bat] + 1) % 9
        if self.outs >= 3:
            self.outs = 0
            self.runners = [None, None, None]
            if self.half == "top":
                self.half = "bottom"
            else:
                self.half = "top"
                self.inning += 1
        self.play_number += 1
        roll_id = self.pending_roll["roll_id"]
        self.pending_roll = None
        self.seq += 1
        return {"game_id": self.id, "play_number": self.play_number, "outcome": outcome,
                "hit_location": None, "description": DESC[outcome], "outs_recorded": 1 if out else 0,
                "runs_scored": runs, "batter_result": "BB" if outcome == "walk" else outcome,
                "runners_advanced": moves, "is_hit": (not out) and outcome != "walk", "is_out": out,
                "is_walk": outcome == "walk", "roll_id": roll_id, "state": self.state(), "seq": self.seq}


sio = socketio.AsyncServer(async_mode="aiohttp")
app = web.Application()
sio.attach(app)
games = {}
users = {}


async def healthz(request):
    return web.json_response({"status": "ok"})


app.router.add_get("/healthz", healthz)


@sio.event
async def connect(sid, environ, auth):
    claims = verify_jwt((auth or {}).get("token") if isinstance(auth, dict) else None)
    if claims is None:
        raise socketio.exceptions.ConnectionRefusedError({"message": "Invalid token", "code": "AUTH_INVALID"})
    users[sid] = claims["sub"]
    # Emitted from a task so it follows the CONNECT reply (python-socketio
    # sends that after this handler returns; the client buffers either way).
    sio.start_background_task(sio.emit, "connected", {"user_id": claims["sub"]}, to=sid)


@sio.event
async def disconnect(sid):
    users.pop(sid, None)


async def err(sid, event, code, message):
    await sio.emit(event, {"message": message, "code": code}, to=sid)


@sio.event
async def join_game(sid, d):
    if not isinstance(d, dict) or not isinstance(d.get("game_id"), str):
        return await err(sid, "error", "MISSING_FIELD", "game_id")
    g = games.get(d["game_id"])
    if g is None:
        g = games[d["game_id"]] = Game(d["game_id"])
    role = "player" if d.get("role") == "player" else "spectator"
    if role == "player":
        g.players.add(users[sid])
    sio.enter_room(sid, g.id)
    g.seq += 1
    await sio.emit("game_joined", {"game_id": g.id, "role": role, "state": g.state()}, to=sid)
    await sio.emit("user_connected", {"game_id": g.id, "user_id": users[sid], "role": role, "seq": g.seq},
                   room=g.id)


@sio.event
async def roll_dice(sid, d):
    g = games.get(d.get("game_id")) if isinstance(d, dict) else None
    if g is None:
        return await err(sid, "error", "GAME_NOT_FOUND", "Game not found")
    if users.get(sid) not in g.players:
        return await err(sid, "error", "NOT_AUTHORIZED", "Not a player")
    if g.pending_roll is not None:
        return await err(sid, "error", "ROLL_PENDING", "A roll is pending")
    await sio.emit("dice_rolled", g.roll(), room=g.id)


@sio.event
async def submit_manual_outcome(sid, d):
    g = games.get(d.get("game_id")) if isinstance(d, dict) else None
    if g is None:
        return await err(sid, "outcome_rejected", "GAME_NOT_FOUND", "Game not found")
    if users.get(sid) not in g.players:
        return await err(sid, "outcome_rejected", "NOT_AUTHORIZED", "Not a player")
    if g.pending_roll is None:
        return await err(sid, "outcome_rejected", "NO_PENDING_ROLL", "No pending roll")
    if d.get("outcome") not in ADV:
        return await err(sid, "outcome_rejected", "INVALID_OUTCOME", "Invalid outcome")
    await sio.emit("outcome_accepted", {"game_id": g.id, "outcome": d["outcome"], "hit_location": None,
                                        "roll_id": g.pending_roll["roll_id"]}, to=sid)
    await sio.emit("play_resolved", g.resolve(d["outcome"]), room=g.id)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
    port = int(os.environ.get("PORT", "3001"))
    print(f"ref-python on {port}", flush=True)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)
