import type { Workload } from './baselines';
import type { Deadline } from './measure';
import type { BenchReceiver } from './receiver';

/** What every scenario gets from run.ts. */
export interface ScenarioContext {
  /** `--quick`: a smaller run (the whole bench under 2 minutes), same metrics. */
  quick: boolean;
  receiver: BenchReceiver;
  workload: Workload;
  /** In flight at once, in every scenario (BENCH_CONCURRENCY). */
  concurrency: number;
  deadline: Deadline;
}

/** One JSON line of the bench's output: a ratio against a baseline of the same run, or a measured value. */
export interface Metric {
  metric: string;
  ratio?: number;
  value?: number;
  [detail: string]: unknown;
}

/** A benchmark scenario: prints its own tables and returns its metrics. */
export interface Scenario {
  name: string;
  run(ctx: ScenarioContext): Promise<Metric[]>;
}

/** An integer setting from the environment (BENCH_*), with its default. */
export function setting(name: string, fallback: number, min = 0): number {
  const raw = process.env[name];
  const v = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(v) || v < min) throw new Error(`${name} must be an integer ≥ ${min}, got ${raw}`);
  return v;
}

/** Rounded for a JSON line. */
export const round = (v: number, digits = 2) => Number(v.toFixed(digits));
