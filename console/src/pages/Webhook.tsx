import { useMemo, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { fieldErrorsOf, messageOf } from '../api';
import { DELETE_WEBHOOK, REPLAY, ROTATE_SECRET, TEST_WEBHOOK, TIMELINE, UPDATE_WEBHOOK, WEBHOOK, WEBHOOK_SECRET } from '../queries';
import { href, navigate } from '../router';
import type { Attempt, Webhook } from '../types';
import { Badge, ErrorNote, Field, Loading, ms, percent, Time } from '../ui';
import { AttemptsTable } from './Delivery';
import { Chart, type Series } from './Chart';
import { DeliveryFeed } from './Deliveries';

export function WebhookPage({ id }: { id: string }) {
  const [{ data, error, fetching }] = useQuery<{ webhook: Webhook }>({ query: WEBHOOK, variables: { id } });
  const w = data?.webhook;
  if (!w) return fetching ? <Loading /> : <ErrorNote message={messageOf(error) ?? 'Webhook not found'} />;
  return (
    <>
      <div className="page-head">
        <h1>
          {w.name} <Badge value={w.deletedAt ? 'DELETED' : w.status} />
        </h1>
        {!w.deletedAt && (
          <a className="button" href={href(`/webhooks/${w.id}/edit`)}>
            Edit
          </a>
        )}
      </div>
      <p className="url">{w.url}</p>
      {w.disabledReason && <p className="notice">Disabled: {w.disabledReason}</p>}
      <dl className="facts">
        <dt>Events</dt>
        <dd>{w.events.join(', ')}</dd>
        <dt>Filters</dt>
        <dd>{w.filters ? <code>{JSON.stringify(w.filters)}</code> : 'none'}</dd>
        <dt>Timeout / retries</dt>
        <dd>
          {w.timeoutSeconds} s / {w.maxRetries}
        </dd>
        <dt>Deliveries 24 h</dt>
        <dd>
          {w.stats.deliveries} ({w.stats.succeeded} succeeded, {w.stats.failed} failed, {w.stats.pending} pending)
        </dd>
        <dt>Success rate 24 h</dt>
        <dd>{percent(w.stats.successRate)}</dd>
        <dt>Latency 24 h</dt>
        <dd>
          p50 {ms(w.stats.p50LatencyMs)}, p95 {ms(w.stats.p95LatencyMs)}
        </dd>
      </dl>
      {!w.deletedAt && <Actions webhook={w} />}
      <Timeline id={w.id} />
      {!w.deletedAt && <Replay id={w.id} />}
      <section aria-labelledby="recent">
        <h2 id="recent">Deliveries</h2>
        <DeliveryFeed webhookId={w.id} />
      </section>
    </>
  );
}

function Actions({ webhook: w }: { webhook: Webhook }) {
  const [update, doUpdate] = useMutation(UPDATE_WEBHOOK);
  const [del, doDelete] = useMutation(DELETE_WEBHOOK);
  const [rotate, doRotate] = useMutation<{ rotateWebhookSecret: { secret: string } }>(ROTATE_SECRET);
  const [test, doTest] = useMutation<{ testWebhook: Attempt }>(TEST_WEBHOOK);
  const [reveal, setReveal] = useState(false);
  const [secret] = useQuery<{ webhookSecret: { secret: string; previousSecret: string | null; previousSecretExpiresAt: string | null } }>({
    query: WEBHOOK_SECRET,
    variables: { id: w.id },
    pause: !reveal,
    requestPolicy: 'network-only',
  });
  const remove = async () => {
    if (!confirm(`Delete webhook "${w.name}"? It stops receiving at once; its history stays.`)) return;
    const r = await doDelete({ id: w.id });
    if (!r.error) navigate('/webhooks');
  };
  const error = update.error ?? del.error ?? rotate.error ?? test.error ?? secret.error;
  return (
    <section aria-labelledby="actions">
      <h2 id="actions">Actions</h2>
      <div className="actions">
        {w.enabled ? (
          <button type="button" onClick={() => doUpdate({ id: w.id, input: { enabled: false } })}>
            Pause
          </button>
        ) : (
          <button type="button" onClick={() => doUpdate({ id: w.id, input: { enabled: true } })}>
            Enable
          </button>
        )}
        <button type="button" onClick={() => doTest({ id: w.id })} disabled={test.fetching}>
          {test.fetching ? 'Sending…' : 'Send test event'}
        </button>
        <button type="button" onClick={() => setReveal((r) => !r)} aria-expanded={reveal}>
          {reveal ? 'Hide secret' : 'Reveal secret'}
        </button>
        <button
          type="button"
          onClick={() => confirm('Rotate the signing secret? The old one keeps signing for 24 h.') && (setReveal(false), doRotate({ id: w.id }))}
        >
          Rotate secret
        </button>
        <button type="button" className="danger" onClick={remove}>
          Delete
        </button>
      </div>
      <ErrorNote message={messageOf(error)} />
      {reveal && secret.data && (
        <p className="secret">
          Signing secret: <code>{secret.data.webhookSecret.secret}</code>
          {secret.data.webhookSecret.previousSecret && (
            <>
              {' '}
              (previous one signs until <Time at={secret.data.webhookSecret.previousSecretExpiresAt} />)
            </>
          )}
        </p>
      )}
      {rotate.data && (
        <p className="secret" role="status">
          New signing secret: <code>{rotate.data.rotateWebhookSecret.secret}</code>
        </p>
      )}
      {test.data && (
        <div role="status">
          <h3>Test attempt</h3>
          <AttemptsTable attempts={[test.data.testWebhook]} caption="The test event's attempt" />
        </div>
      )}
    </section>
  );
}

interface Bucket {
  start: string;
  succeeded: number;
  failed: number;
  p50LatencyMs: number | null;
  p95LatencyMs: number | null;
}

/** Buckets of 15 minutes over 24 h: 96 points, readable at any width. */
const BUCKET_MINUTES = 15;

function Timeline({ id }: { id: string }) {
  const [{ data, error }] = useQuery<{ webhook: { timeline: Bucket[] } }>({ query: TIMELINE, variables: { id, hours: 24, bucketMinutes: BUCKET_MINUTES } });
  const charts = useMemo(() => {
    const buckets = data?.webhook.timeline;
    if (!buckets) return undefined;
    const times = buckets.map((b) => Date.parse(b.start) / 1000);
    const perMinute = (n: number) => Math.round((n / BUCKET_MINUTES) * 100) / 100;
    const ok = buckets.reduce((n, b) => n + b.succeeded, 0);
    const failed = buckets.reduce((n, b) => n + b.failed, 0);
    const p95s = buckets.map((b) => b.p95LatencyMs).filter((v): v is number => v !== null);
    const outcome: Series[] = [
      { label: 'succeeded / min', color: '#1a7f37', values: buckets.map((b) => perMinute(b.succeeded)), bars: -1 },
      { label: 'failed / min', color: '#cf222e', values: buckets.map((b) => perMinute(b.failed)), bars: 1 },
    ];
    const latency: Series[] = [
      { label: 'p50', color: '#0969da', values: buckets.map((b) => b.p50LatencyMs) },
      { label: 'p95', color: '#8250df', values: buckets.map((b) => b.p95LatencyMs) },
    ];
    return {
      times,
      outcome,
      latency,
      outcomeSummary: `${ok} attempts succeeded and ${failed} failed in the last 24 hours.`,
      latencySummary: p95s.length ? `Highest p95 of a ${BUCKET_MINUTES}-minute bucket: ${Math.max(...p95s)} ms.` : 'No attempts in the last 24 hours.',
    };
  }, [data]);
  return (
    <section aria-labelledby="charts">
      <h2 id="charts">Last 24 hours</h2>
      <ErrorNote message={messageOf(error)} />
      {charts && (
        <div className="charts">
          <Chart title="Attempts per minute by outcome" summary={charts.outcomeSummary} times={charts.times} series={charts.outcome} unit="per min" />
          <Chart title="Latency p50 / p95" summary={charts.latencySummary} times={charts.times} series={charts.latency} unit="ms" />
        </div>
      )}
    </section>
  );
}

/** datetime-local value for a Date, in the browser's zone. */
function localInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function Replay({ id }: { id: string }) {
  const [since, setSince] = useState(() => localInput(new Date(Date.now() - 3_600_000)));
  const [until, setUntil] = useState('');
  const [onlyFailed, setOnlyFailed] = useState(true);
  const [result, replay] = useMutation<{ replayWebhook: { count: number } }>(REPLAY);
  const errors = fieldErrorsOf(result.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void replay({ id, since: new Date(since).toISOString(), until: until ? new Date(until).toISOString() : null, onlyFailed });
  };
  return (
    <section aria-labelledby="replay">
      <h2 id="replay">Replay</h2>
      <form className="inline-form" onSubmit={submit}>
        <Field label="Events since" errors={errors.since}>
          {(fid, d) => <input id={fid} aria-describedby={d} type="datetime-local" required value={since} onChange={(e) => setSince(e.target.value)} />}
        </Field>
        <Field label="Until (default now)" errors={errors.until}>
          {(fid, d) => <input id={fid} aria-describedby={d} type="datetime-local" value={until} onChange={(e) => setUntil(e.target.value)} />}
        </Field>
        <label className="check">
          <input type="checkbox" checked={onlyFailed} onChange={(e) => setOnlyFailed(e.target.checked)} /> Only failed deliveries
        </label>
        <button type="submit" disabled={result.fetching}>
          Replay
        </button>
      </form>
      {!Object.keys(errors).length && <ErrorNote message={messageOf(result.error)} />}
      {result.data && (
        <p role="status">
          {result.data.replayWebhook.count} deliveries queued again.
        </p>
      )}
    </section>
  );
}
