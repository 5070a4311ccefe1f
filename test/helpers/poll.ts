/** How pollUntil waits. */
export interface PollOptions<T> {
  /** Give up after this long, in ms. @default 10_000 */
  timeoutMs?: number;
  /** Pause between two checks, in ms. @default 50 */
  intervalMs?: number;
  /** When the value is good enough. @default truthy */
  until?: (value: T) => boolean;
  /** What we wait for, named in the timeout error. @default 'condition' */
  what?: string;
}

/**
 * Calls `fn` until its value passes `until` (truthy by default) and returns that value; rejects at the
 * deadline with the last value seen, so a failing test shows how far things got.
 */
export async function pollUntil<T>(fn: () => T | Promise<T>, opts: PollOptions<T> = {}): Promise<T> {
  const { timeoutMs = 10_000, intervalMs = 50, until = (v: T) => Boolean(v), what = 'condition' } = opts;
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await fn();
    if (until(last)) return last;
    if (Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, Math.max(0, deadline - Date.now()))));
  }
  throw new Error(`${what} not reached within ${timeoutMs} ms; last value: ${describe(last)}`);
}

function describe(value: unknown): string {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 2_000 ? `${text.slice(0, 2_000)}…` : text;
  } catch {
    return String(value);
  }
}
