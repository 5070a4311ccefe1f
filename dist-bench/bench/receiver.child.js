"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const node_http_1 = require("node:http");
let count = 0;
let trackLatency = false;
let latencies = [];
const ANSWER = Buffer.from('{}');
const server = (0, node_http_1.createServer)({ keepAliveTimeout: 60_000 }, (req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
        count++;
        if (trackLatency) {
            const at = Date.now();
            const sent = Date.parse(JSON.parse(Buffer.concat(chunks).toString('utf8')).timestamp);
            if (Number.isFinite(sent))
                latencies.push(at - sent);
        }
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': ANSWER.length });
        res.end(ANSWER);
    });
});
function percentile(sorted, p) {
    if (!sorted.length)
        return null;
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
process.on('message', (m) => {
    if (m.cmd === 'reset') {
        count = 0;
        latencies = [];
        trackLatency = m.trackLatency;
        process.send({ cmd: 'reset' });
    }
    else {
        const sorted = [...latencies].sort((a, b) => a - b);
        process.send({ cmd: 'stats', count, samples: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1) ?? null });
    }
});
// The parent going away ends the receiver too: no orphan listening on loopback.
process.on('disconnect', () => process.exit(0));
server.listen(0, '127.0.0.1', () => process.send({ cmd: 'listening', port: server.address().port }));
