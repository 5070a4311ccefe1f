import { execFile } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
/** Every metric the bench prints (ratios and values are read by people, not asserted here). */
const METRICS = ['delivery_c_vs_bullmq', 'delivery_d_vs_bullmq', 'delivery_api_vs_bullmq', 'latency_p99_ms_at_1000', 'latency_p99_ms_at_2000', 'auth_vs_anonymous', 'publish_vs_anonymous', 'live_200_vs_raw_ws', 'live_1000_p99_vs_raw_ws', 'live_peak_rss_mb', 'live_publish_p99_with_1000_vs_none'];

/** `npm run bench -- --quick` completes on this machine and prints one JSON line per metric. */
describe('bench --quick', () => {
  it('completesAndPrintsEveryMetric', async () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('BENCH_') && !k.startsWith('HOOKLINE_')));
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = execFile('npm', ['run', 'bench', '--', '--quick'], { cwd: ROOT, env, maxBuffer: 16 * 2 ** 20 }, (err, out, errOut) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout: out, stderr: errOut }),
      );
      child.stdin?.end();
    });
    expect({ code, stderr: code ? stderr.slice(-4_000) : '' }).toEqual({ code: 0, stderr: '' });
    const lines = stdout
      .split('\n')
      .filter((l) => l.startsWith('{"metric"'))
      .map((l) => JSON.parse(l) as { metric: string; ratio?: number; value?: number });
    expect(lines.map((l) => l.metric).sort()).toEqual([...METRICS].sort());
    for (const l of lines) expect(typeof (l.ratio ?? l.value)).toBe('number');
  }, 240_000);
});
