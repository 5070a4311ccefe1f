"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.sleep = exports.Deadline = exports.DeadlineExceeded = void 0;
exports.pollUntil = pollUntil;
exports.runPool = runPool;
exports.findPids = findPids;
exports.startCpu = startCpu;
const node_fs_1 = __importDefault(require("node:fs"));
const node_perf_hooks_1 = require("node:perf_hooks");
/** Thrown when a phase runs past the bench's hard time cap. */
class DeadlineExceeded extends Error {
}
exports.DeadlineExceeded = DeadlineExceeded;
/** An absolute deadline (performance.now() ms) shared by every loop of one run. */
class Deadline {
    at;
    constructor(at) {
        this.at = at;
    }
    /** Throws DeadlineExceeded, naming `what`, once the cap has passed. */
    check(what) {
        if (node_perf_hooks_1.performance.now() > this.at)
            throw new DeadlineExceeded(`hard time cap reached while ${what}`);
    }
    /** ms left, never below 0. */
    left() {
        return Math.max(0, this.at - node_perf_hooks_1.performance.now());
    }
}
exports.Deadline = Deadline;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
exports.sleep = sleep;
/**
 * Polls `probe` every `everyMs` until it returns true; bounded by the deadline. Returns the
 * performance.now() of the probe that saw it done, so the end of a run is not rounded up by the sleep.
 */
async function pollUntil(what, deadline, everyMs, probe) {
    for (;;) {
        if (await probe())
            return node_perf_hooks_1.performance.now();
        deadline.check(what);
        await (0, exports.sleep)(everyMs);
    }
}
/** Runs `task(i)` for i in [0, n) with at most `concurrency` running at once. */
async function runPool(n, concurrency, deadline, task) {
    let next = 0;
    const lane = async () => {
        while (next < n) {
            deadline.check('sending');
            await task(next++);
        }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, n) }, lane));
}
/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ; 100 on every mainstream Linux). */
const USER_HZ = 100;
/** Pids of processes whose command name is one of `names` (e.g. mariadbd, redis-server); [] where /proc is absent. */
function findPids(names) {
    let entries;
    try {
        entries = node_fs_1.default.readdirSync('/proc');
    }
    catch {
        return [];
    }
    const pids = [];
    for (const e of entries) {
        if (!/^\d+$/.test(e))
            continue;
        try {
            if (names.includes(node_fs_1.default.readFileSync(`/proc/${e}/comm`, 'utf8').trim()))
                pids.push(Number(e));
        }
        catch {
            // The process ended between readdir and read.
        }
    }
    return pids;
}
/** CPU time (user + system) a process has used so far, in ms; 0 when it cannot be read. */
function procCpuMs(pid) {
    try {
        const stat = node_fs_1.default.readFileSync(`/proc/${pid}/stat`, 'utf8');
        // Fields after the parenthesised command name; utime and stime are fields 14 and 15 overall.
        const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return ((Number(rest[11]) + Number(rest[12])) * 1000) / USER_HZ;
    }
    catch {
        return 0;
    }
}
/** Starts a CPU measurement over this process, the receiver pid and the store pids. */
function startCpu(receiverPid, storePids) {
    const self = process.cpuUsage();
    const recv = receiverPid ? procCpuMs(receiverPid) : 0;
    const store = storePids.reduce((s, p) => s + procCpuMs(p), 0);
    return () => {
        const d = process.cpuUsage(self);
        return {
            benchMs: (d.user + d.system) / 1000,
            receiverMs: (receiverPid ? procCpuMs(receiverPid) : 0) - recv,
            storeMs: storePids.reduce((s, p) => s + procCpuMs(p), 0) - store,
        };
    };
}
