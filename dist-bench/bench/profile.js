"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.readServerCounters = readServerCounters;
exports.profileEngine = profileEngine;
const node_perf_hooks_1 = require("node:perf_hooks");
/** MariaDB/MySQL server counters read before and after a run (SHOW GLOBAL STATUS). */
const COUNTERS = ['Questions', 'Com_select', 'Com_insert', 'Com_update', 'Com_commit', 'Innodb_data_fsyncs', 'Innodb_row_lock_waits', 'Innodb_row_lock_time'];
async function readServerCounters(c) {
    const [rows] = await c.query(`SHOW GLOBAL STATUS WHERE Variable_name IN (${COUNTERS.map(() => '?').join(', ')})`, [...COUNTERS]);
    const out = Object.fromEntries(COUNTERS.map((k) => [k, 0]));
    for (const r of rows)
        out[r.Variable_name] = Number(r.Value);
    return out;
}
class Tally {
    calls = 0;
    rows = 0;
    ms = 0;
    span() {
        return { calls: this.calls, rowsPerCall: this.calls ? this.rows / this.calls : 0, meanMs: this.calls ? this.ms / this.calls : 0, totalMs: this.ms };
    }
}
/**
 * Times the engine's three steps — claim, send, record — by wrapping the repository methods and the
 * worker's sender in place. Reaches into the worker's private `deps`: a bench-only probe, kept here
 * so that src/ carries no instrumentation for it.
 */
function profileEngine(hookline) {
    const repo = hookline.engine.repo;
    const worker = hookline.engine.worker;
    if (!worker)
        throw new Error('profiling needs a worker role');
    const claim = new Tally();
    const record = new Tally();
    const send = new Tally();
    const origClaim = repo.claim.bind(repo);
    const origRecord = repo.record.bind(repo);
    const origSend = worker.deps.send;
    repo.claim = async (...args) => {
        const t = node_perf_hooks_1.performance.now();
        const r = await origClaim(...args);
        claim.calls++;
        claim.rows += r.length;
        claim.ms += node_perf_hooks_1.performance.now() - t;
        return r;
    };
    repo.record = async (...args) => {
        const t = node_perf_hooks_1.performance.now();
        const r = await origRecord(...args);
        record.calls++;
        record.rows += args[0].length;
        record.ms += node_perf_hooks_1.performance.now() - t;
        return r;
    };
    worker.deps.send = async (req) => {
        const t = node_perf_hooks_1.performance.now();
        const r = await origSend(req);
        send.calls++;
        send.rows++;
        send.ms += node_perf_hooks_1.performance.now() - t;
        return r;
    };
    const elu = node_perf_hooks_1.performance.eventLoopUtilization();
    return {
        /** `ownQueries`: statements the bench itself sent meanwhile (completion polls, status reads). */
        finish(deliveries, before, after, ownQueries) {
            const d = (k) => after[k] - before[k];
            const per = (v) => v / deliveries;
            return {
                perDelivery: {
                    statements: per(d('Questions') - ownQueries),
                    selects: per(d('Com_select') - ownQueries),
                    inserts: per(d('Com_insert')),
                    updates: per(d('Com_update')),
                    commits: per(d('Com_commit')),
                    fsyncs: per(d('Innodb_data_fsyncs')),
                },
                rowLockWaits: d('Innodb_row_lock_waits'),
                claim: claim.span(),
                record: record.span(),
                send: send.span(),
                eventLoopUtilization: node_perf_hooks_1.performance.eventLoopUtilization(elu).utilization,
            };
        },
    };
}
