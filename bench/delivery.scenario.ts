import os from 'node:os';
import { bullmqPipeline, PhaseResult, rawUndici } from './baselines';
import { hooklineApiRun } from './api-delivery';
import { HooklineResult, hooklineRun } from './hookline.scenario';
import type { BenchReceiver, ReceiverStats } from './receiver';
import { hooklineDetails, latencyTable, Row, throughputTable } from './report';
import { Metric, round, Scenario, ScenarioContext, setting } from './scenario';

/**
 * Delivery throughput of Hookline against raw undici and a BullMQ pipeline, then end-to-end latency
 * at steady rates. Settings: BENCH_N deliveries (@default 20_000; 4_000 with --quick),
 * BENCH_ROUNDS of every throughput scenario, the median reported (@default 3; 1 with --quick),
 * BENCH_FANOUT=0 skips the 4-webhook run, BENCH_API=0 the run through the public API, BENCH_LATENCY_RATES deliveries/s of the latency runs
 * (@default 1000,2000; empty skips them), BENCH_LATENCY_SECONDS of traffic per latency run
 * (@default 5; 2 with --quick).
 */
export const deliveryScenario: Scenario = {
  name: 'delivery',
  async run(ctx: ScenarioContext): Promise<Metric[]> {
    const n = setting('BENCH_N', ctx.quick ? 4_000 : 20_000, 1);
    const rounds = setting('BENCH_ROUNDS', ctx.quick ? 1 : 3, 1);
    const fanout = setting('BENCH_FANOUT', 1) > 0;
    const api = setting('BENCH_API', 1) > 0;
    const base = { receiver: ctx.receiver, workload: ctx.workload, concurrency: ctx.concurrency, deadline: ctx.deadline };
    // `metric`: the Hookline runs' JSON line is `delivery_<metric>_vs_bullmq`.
    const scenarios: { label: string; metric?: string; run: () => Promise<PhaseResult> }[] = [
      { label: 'A raw undici (no durability)', run: () => rawUndici({ ...base, n }) },
      { label: 'B BullMQ + undici, signed (Redis)', run: () => bullmqPipeline({ ...base, n }) },
      { label: 'C Hookline, 1 webhook (MariaDB)', metric: 'c', run: () => hooklineRun({ ...base, n, webhooks: 1, profile: true }) },
    ];
    if (fanout) scenarios.push({ label: 'D Hookline, 4 webhooks (MariaDB)', metric: 'd', run: () => hooklineRun({ ...base, n, webhooks: 4, profile: true }) });
    if (api) scenarios.push({ label: 'P Hookline, public API, 1 webhook', metric: 'api', run: () => hooklineApiRun({ ...base, n }) });
    // Rounds interleave the scenarios, so that a burst of other load on the machine hits all of them alike.
    const runs: PhaseResult[][] = scenarios.map(() => []);
    for (let round = 1; round <= rounds; round++) {
      for (const [i, s] of scenarios.entries()) {
        const r = await s.run();
        runs[i].push(r);
        console.log(`round ${round}/${rounds}  ${s.label}: ${Math.round(perSecond(r))} deliveries/s`);
      }
      await checkReceived(ctx.receiver, runs.at(-1)!.at(-1)!);
    }
    const rows: Row[] = scenarios.map((s, i) => ({ label: s.label, result: median(runs[i]), rounds: runs[i] }));
    console.log(`\nThroughput, median of ${rounds} round(s) (higher is better)\n${throughputTable(rows, rows[0].result, rows[1].result)}`);
    for (const row of rows.slice(2)) if ('publishMs' in row.result) console.log(`\n${hooklineDetails(row.label, row.result as HooklineResult)}`);
    console.log(`\nload average after the throughput runs: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);

    const bull = perSecond(rows[1].result);
    const metrics: Metric[] = rows.slice(2).map((row, i) => ({
      metric: `delivery_${scenarios[i + 2].metric}_vs_bullmq`,
      ratio: round(perSecond(row.result) / bull),
      hookline: Math.round(perSecond(row.result)),
      bullmq: Math.round(bull),
    }));
    return [...metrics, ...(await latency(ctx, base))];
  },
};

/** Steady-rate runs, BullMQ then Hookline at each rate; p99 of Hookline per rate as a metric. */
async function latency(ctx: ScenarioContext, base: Omit<Parameters<typeof bullmqPipeline>[0], 'n'>): Promise<Metric[]> {
  const rates = (process.env.BENCH_LATENCY_RATES ?? '1000,2000').split(',').filter(Boolean).map(Number);
  if (rates.some((r) => !Number.isInteger(r) || r < 1)) throw new Error(`BENCH_LATENCY_RATES must list integers ≥ 1, got ${process.env.BENCH_LATENCY_RATES}`);
  const seconds = setting('BENCH_LATENCY_SECONDS', ctx.quick ? 2 : 5, 1);
  const rows: { label: string; rate: number; stats: ReceiverStats }[] = [];
  const metrics: Metric[] = [];
  for (const rate of rates) {
    const n = rate * seconds;
    await bullmqPipeline({ ...base, n, ratePerSecond: rate });
    const bull = await ctx.receiver.stats();
    rows.push({ label: 'BullMQ + undici', rate, stats: bull });
    await hooklineRun({ ...base, n, webhooks: 1, ratePerSecond: rate });
    const hook = await ctx.receiver.stats();
    rows.push({ label: 'Hookline, 1 webhook', rate, stats: hook });
    metrics.push({ metric: `latency_p99_ms_at_${rate}`, value: hook.p99 ?? -1, p50: hook.p50, bullmq_p99: bull.p99, samples: hook.samples });
  }
  if (rows.length) console.log(`\nEnd-to-end latency, event created → receiver got it (lower is better)\n${latencyTable(rows)}`);
  return metrics;
}

const perSecond = (r: PhaseResult) => (r.deliveries / r.ms) * 1000;

/** The run with the median rate (the lower middle one for an even count). */
function median(rs: PhaseResult[]): PhaseResult {
  return [...rs].sort((a, b) => perSecond(a) - perSecond(b))[Math.floor((rs.length - 1) / 2)];
}

/** The receiver must have seen every delivery of the last run (at least once). */
async function checkReceived(receiver: BenchReceiver, last: PhaseResult): Promise<void> {
  const { count } = await receiver.stats();
  if (count < last.deliveries) throw new Error(`the receiver saw ${count} requests for ${last.deliveries} deliveries`);
}
