import type { PhaseResult } from './baselines';
import type { HooklineResult } from './hookline.scenario';
import type { ReceiverStats } from './receiver';

/** One row of the throughput table. */
export interface Row {
  label: string;
  /** The run reported (the median). */
  result: PhaseResult;
  /** Every round, to show the spread. */
  rounds: PhaseResult[];
}

const rate = (r: PhaseResult) => (r.deliveries / r.ms) * 1000;
const fmt = (v: number, digits = 0) => v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const pad = (s: string, w: number, right = false) => (right ? s.padStart(w) : s.padEnd(w));

function table(head: string[], rows: string[][], rightFrom: number): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i], i >= rightFrom)).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Throughput table with ratios against raw undici and BullMQ, and CPU ms spent per 1,000 deliveries. */
export function throughputTable(rows: Row[], raw: PhaseResult, bull: PhaseResult): string {
  return table(
    ['scenario', 'deliveries', 'seconds', 'deliveries/s', 'vs raw', 'vs BullMQ', 'CPU ms/1k: bench', 'receiver', 'store', 'every round (deliveries/s)'],
    rows.map(({ label, result: r, rounds }) => {
      const k = r.deliveries / 1000;
      return [
        label,
        fmt(r.deliveries),
        fmt(r.ms / 1000, 2),
        fmt(rate(r)),
        `${fmt(rate(r) / rate(raw), 2)}×`,
        `${fmt(rate(r) / rate(bull), 2)}×`,
        fmt(r.cpu.benchMs / k),
        fmt(r.cpu.receiverMs / k),
        r.cpu.storeMs ? fmt(r.cpu.storeMs / k) : '-',
        rounds.map((x) => fmt(rate(x))).join(' / '),
      ];
    }),
    1,
  );
}

/** What the Hookline runs did: publish rate, and the engine profile when taken. */
export function hooklineDetails(label: string, r: HooklineResult): string {
  const lines = [`${label}: published ${fmt(r.events)} events in ${fmt(r.publishMs / 1000, 2)} s (${fmt((r.events / r.publishMs) * 1000)} events/s, delivering meanwhile)`];
  const p = r.profile;
  if (p) {
    const q = p.perDelivery;
    lines.push(
      `  per delivery: ${fmt(q.statements, 2)} SQL statements from Hookline (${fmt(q.selects, 2)} SELECT, ${fmt(q.inserts, 2)} INSERT, ${fmt(q.updates, 2)} UPDATE, ${fmt(q.transactions, 3)} transactions, each a START and a COMMIT)`,
      `  claim:  ${fmt(p.claim.calls)} calls, ${fmt(p.claim.rowsPerCall, 1)} rows/call, ${fmt(p.claim.meanMs, 1)} ms/call`,
      `  send:   ${fmt(p.send.calls)} calls, ${fmt(p.send.meanMs, 2)} ms/call (concurrent)`,
      `  record: ${fmt(p.record.calls)} calls, ${fmt(p.record.rowsPerCall, 1)} rows/call, ${fmt(p.record.meanMs, 1)} ms/call`,
      `  bench event loop busy ${fmt(p.eventLoopUtilization * 100)}% of the run`,
    );
  }
  return lines.join('\n');
}

/** End-to-end latency rows: event created → the receiver had the request. */
export function latencyTable(rows: { label: string; rate: number; stats: ReceiverStats }[]): string {
  const ms = (v: number | null) => (v === null ? '-' : `${fmt(v)} ms`);
  return table(
    ['scenario', 'rate/s', 'samples', 'p50', 'p95', 'p99', 'max'],
    rows.map(({ label, rate: r, stats: s }) => [label, fmt(r), fmt(s.samples), ms(s.p50), ms(s.p95), ms(s.p99), ms(s.max)]),
    1,
  );
}
