// bench/ref-node/server.mjs: the benchmark's event slice (auth, join_game,
// roll_dice, submit_manual_outcome) on npm socket.io 4.8, default options,
// in memory and without a database.  PORT, JWT_SECRET from the environment.
// GET /healthz answers for the runner.  One process (one core).

import { createServer } from 'node:http';
import { Server } from 'socket.io';

import { newGame, OUTCOMES, resolve, roll, state, verifyJwt } from './game.mjs';

const secret = process.env.JWT_SECRET;
const http = createServer((req, res) => {
	if (req.url === '/healthz') { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"status":"ok"}'); }
});
const io = new Server(http, { serveClient: false });
const games = new Map();

io.use((socket, next) => {
	const claims = verifyJwt(socket.handshake.auth?.token, secret);
	if (!claims) { const e = new Error('Invalid token'); e.data = { code: 'AUTH_INVALID' }; next(e); return; }
	socket.data.user = claims.sub;
	next();
});

function error(socket, event, code, message) {
	socket.emit(event, { message, code });
}

io.on('connection', (socket) => {
	socket.emit('connected', { user_id: socket.data.user });
	socket.on('join_game', (d) => {
		if (!d || typeof d.game_id !== 'string') return error(socket, 'error', 'MISSING_FIELD', 'game_id');
		let g = games.get(d.game_id);
		if (!g) { g = newGame(d.game_id); games.set(d.game_id, g); }
		const role = d.role === 'player' ? 'player' : 'spectator';
		if (role === 'player') g.players.add(socket.data.user);
		socket.join(d.game_id);
		g.seq++;
		socket.emit('game_joined', { game_id: g.id, role, state: state(g) });
		io.to(g.id).emit('user_connected', { game_id: g.id, user_id: socket.data.user, role, seq: g.seq });
	});
	socket.on('roll_dice', (d) => {
		const g = d && games.get(d.game_id);
		if (!g) return error(socket, 'error', 'GAME_NOT_FOUND', 'Game not found');
		if (!g.players.has(socket.data.user)) return error(socket, 'error', 'NOT_AUTHORIZED', 'Not a player');
		if (g.pendingRoll) return error(socket, 'error', 'ROLL_PENDING', 'A roll is pending');
		io.to(g.id).emit('dice_rolled', roll(g));
	});
	socket.on('submit_manual_outcome', (d) => {
		const g = d && games.get(d.game_id);
		if (!g) return error(socket, 'outcome_rejected', 'GAME_NOT_FOUND', 'Game not found');
		if (!g.players.has(socket.data.user)) return error(socket, 'outcome_rejected', 'NOT_AUTHORIZED', 'Not a player');
		if (!g.pendingRoll) return error(socket, 'outcome_rejected', 'NO_PENDING_ROLL', 'No pending roll');
		if (!OUTCOMES.has(d.outcome)) return error(socket, 'outcome_rejected', 'INVALID_OUTCOME', 'Invalid outcome');
		socket.emit('outcome_accepted', { game_id: g.id, outcome: d.outcome, hit_location: null, roll_id: g.pendingRoll.roll_id });
		io.to(g.id).emit('play_resolved', resolve(g, d.outcome));
	});
});

http.listen(Number(process.env.PORT || 3000), '127.0.0.1', () => console.log(`ref-node on ${process.env.PORT}`));
for (const s of ['SIGTERM', 'SIGINT']) process.on(s, () => process.exit(0));
