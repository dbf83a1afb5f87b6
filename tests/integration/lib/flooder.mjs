// A raw Engine.IO WebSocket client that, once its namespace connection is
// accepted, sends one Socket.IO packet without pause.  Run as a child
// process (fork) so that its sending loop cannot slow the test's own
// clients.  argv: url token packet (default `42["heartbeat"]`).  Sends 'flooding' to the parent once it floods; on any
// message from the parent it answers {sent} and exits.

import { WebSocket } from 'ws';

const [url, token, packet = '42["heartbeat"]'] = process.argv.slice(2);
const ws = new WebSocket(url, { perMessageDeflate: false });
let sent = 0;

ws.on('message', (d) => {
	const s = d.toString();
	if (s[0] === '0') {
		ws.send(`40${JSON.stringify({ token })}`);
	} else if (s === '2') {
		ws.send('3');
	} else if (s.startsWith('40')) {
		process.send('flooding');
		const burst = () => {
			if (ws.readyState !== 1) return;
			for (let i = 0; i < 500 && ws.bufferedAmount < (1 << 20); i++, sent++) ws.send(packet);
			setImmediate(burst);
		};
		burst();
	}
});
ws.on('error', (e) => { console.error(`flooder: ${e.message}`); process.exit(1); });
process.on('message', () => {
	process.send({ sent });
	ws.terminate();
	setTimeout(() => process.exit(0), 50);
});
