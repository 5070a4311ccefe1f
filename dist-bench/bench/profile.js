"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.profileEngine = profileEngine;
const node_perf_hooks_1 = require("node:perf_hooks");
class Tally {
    calls = 0;
    rows = 0;
    ms = 0;
    span() {
        return { calls: this.calls, rowsPerCall: this.calls ? this.rows / this.calls : 0, meanMs: this.calls ? this.ms / this.calls : 0, totalMs: this.ms };
    }
}
function kindOf(sql) {
    const word = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase();
    if (word === 'SELECT')
        return 'select';
    if (word === 'INSERT')
        return 'insert';
    if (word === 'UPDATE')
        return 'update';
    if (word === 'START' || word === 'BEGIN')
        return 'transactions';
    return 'other';
}
/**
 * Times the engine's three steps — claim, send, record — by wrapping the repository methods and the
 * worker's sender in place, and counts the statements Hookline's DataSource sends (through its
 * logger, which TypeORM calls for every query). Client-side on purpose: the server's counters
 * also count whatever else runs on the same MariaDB. Reaches into the worker's private `deps`: a
 * bench-only probe, kept here so that src/ carries no instrumentation for it.
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
        claim.rows += r.claimed.length;
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
    const statements = { select: 0, insert: 0, update: 0, transactions: 0, other: 0 };
    const logger = hookline.ds.logger;
    const logQuery = logger.logQuery.bind(logger);
    logger.logQuery = (query, parameters, runner) => {
        statements[kindOf(query)]++;
        return logQuery(query, parameters, runner);
    };
    const elu = node_perf_hooks_1.performance.eventLoopUtilization();
    return {
        finish(deliveries) {
            const per = (v) => v / deliveries;
            const all = Object.values(statements).reduce((a, b) => a + b, 0);
            return {
                perDelivery: {
                    statements: per(all),
                    selects: per(statements.select),
                    inserts: per(statements.insert),
                    updates: per(statements.update),
                    transactions: per(statements.transactions),
                },
                claim: claim.span(),
                record: record.span(),
                send: send.span(),
                eventLoopUtilization: node_perf_hooks_1.performance.eventLoopUtilization(elu).utilization,
            };
        },
    };
}
