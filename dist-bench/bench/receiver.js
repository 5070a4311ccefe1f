"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.startBenchReceiver = startBenchReceiver;
const node_child_process_1 = require("node:child_process");
const node_path_1 = __importDefault(require("node:path"));
/** Longest wait for the receiver to answer an IPC command. @default 10_000 */
const IPC_TIMEOUT_MS = 10_000;
function ask(child, cmd, reply) {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
            child.off('message', onMessage);
            reject(new Error(`receiver did not answer ${reply} within ${IPC_TIMEOUT_MS} ms`));
        }, IPC_TIMEOUT_MS);
        function onMessage(m) {
            if (m.cmd !== reply)
                return;
            clearTimeout(timer);
            child.off('message', onMessage);
            resolve(m);
        }
        child.on('message', onMessage);
        if (Object.keys(cmd).length)
            child.send(cmd);
    });
}
/** Forks the receiver (bench/receiver.child.js next to this file) on 127.0.0.1 and an ephemeral port. */
async function startBenchReceiver() {
    const child = (0, node_child_process_1.fork)(node_path_1.default.join(__dirname, 'receiver.child.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const { port } = await ask(child, {}, 'listening');
    return {
        url: `http://127.0.0.1:${port}/hook`,
        reset: async (trackLatency = false) => {
            await ask(child, { cmd: 'reset', trackLatency }, 'reset');
        },
        stats: () => ask(child, { cmd: 'stats' }, 'stats'),
        pid: child.pid,
        close: async () => {
            if (child.exitCode !== null)
                return;
            const exited = new Promise((r) => child.once('exit', r));
            child.disconnect();
            await exited;
        },
    };
}
