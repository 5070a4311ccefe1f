import { useState, type FormEvent } from 'react';
import { useClient, useMutation, useQuery } from 'urql';
import { fieldErrorsOf, messageOf } from '../api';
import { CREATE_WEBHOOK, EVENT_TYPES, PREVIEW_MATCH, UPDATE_WEBHOOK, WEBHOOK } from '../queries';
import { href, navigate } from '../router';
import type { EventType, Webhook } from '../types';
import { ErrorNote, Field, Loading, Time } from '../ui';

interface Draft {
  name: string;
  url: string;
  events: string[];
  extraEvents: string;
  filters: string;
  headers: string;
  timeoutSeconds: string;
  maxRetries: string;
}

export function WebhookNewPage() {
  const [created, setCreated] = useState<{ id: string; secret: string }>();
  if (created) {
    return (
      <>
        <h1>Webhook created</h1>
        <p role="status">
          Its signing secret, shown in full only now and under “Reveal secret”: <code className="secret">{created.secret}</code>
        </p>
        <a className="button primary" href={href(`/webhooks/${created.id}`)}>
          Open the webhook
        </a>
      </>
    );
  }
  return <WebhookForm onCreated={setCreated} />;
}

export function WebhookEditPage({ id }: { id: string }) {
  const [{ data, error, fetching }] = useQuery<{ webhook: Webhook }>({ query: WEBHOOK, variables: { id } });
  if (!data) return fetching ? <Loading /> : <ErrorNote message={messageOf(error)} />;
  return <WebhookForm webhook={data.webhook} />;
}

function draftOf(w?: Webhook): Draft {
  return {
    name: w?.name ?? '',
    url: w?.url ?? '',
    events: w?.events ?? [],
    extraEvents: '',
    filters: w?.filters ? JSON.stringify(w.filters, null, 2) : '',
    headers: w?.headers ? JSON.stringify(w.headers, null, 2) : '',
    timeoutSeconds: String(w?.timeoutSeconds ?? 30),
    maxRetries: String(w?.maxRetries ?? 4),
  };
}

/** Parses a JSON-object text field; '' is null. Returns the problem as a field error instead of throwing. */
function jsonField(text: string): { value: Record<string, unknown> | null } | { error: string } {
  if (!text.trim()) return { value: null };
  try {
    const v = JSON.parse(text);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return { error: 'must be a JSON object' };
    return { value: v };
  } catch (e) {
    return { error: `is not valid JSON (${(e as Error).message})` };
  }
}

function eventsOf(d: Draft): string[] {
  const extra = d.extraEvents.split(/[\s,]+/).filter(Boolean);
  return [...new Set([...d.events, ...extra])];
}

function WebhookForm({ webhook, onCreated }: { webhook?: Webhook; onCreated?: (c: { id: string; secret: string }) => void }) {
  const [types] = useQuery<{ eventTypes: EventType[] }>({ query: EVENT_TYPES });
  const [draft, setDraft] = useState(() => draftOf(webhook));
  const [localErrors, setLocalErrors] = useState<Record<string, string[]>>({});
  const [create, doCreate] = useMutation<{ createWebhook: { secret: string; webhook: Webhook } }>(CREATE_WEBHOOK);
  const [update, doUpdate] = useMutation(UPDATE_WEBHOOK);
  const result = webhook ? update : create;
  const errors = { ...fieldErrorsOf(result.error), ...localErrors };
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const catalog = types.data?.eventTypes.map((t) => t.name) ?? [];
  // Events saved earlier that are not plain catalog types (sub-events, producers' own) stay checked here.
  const listed = [...catalog, ...draft.events.filter((e) => !catalog.includes(e))];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const filters = jsonField(draft.filters);
    const headers = jsonField(draft.headers);
    const local: Record<string, string[]> = {};
    if ('error' in filters) local.filters = [filters.error];
    if ('error' in headers) local.headers = [headers.error];
    setLocalErrors(local);
    if ('error' in filters || 'error' in headers) return;
    const input = {
      name: draft.name,
      url: draft.url,
      events: eventsOf(draft),
      filters: filters.value,
      headers: headers.value,
      timeoutSeconds: Number(draft.timeoutSeconds),
      maxRetries: Number(draft.maxRetries),
    };
    if (webhook) {
      const r = await doUpdate({ id: webhook.id, input });
      if (!r.error) navigate(`/webhooks/${webhook.id}`);
    } else {
      const r = await doCreate({ input });
      if (r.data) onCreated?.({ id: r.data.createWebhook.webhook.id, secret: r.data.createWebhook.secret });
    }
  };

  const fieldMessage = Object.keys(errors).length ? 'Some fields need attention: see the messages under them.' : messageOf(result.error);
  return (
    <>
      <h1>{webhook ? `Edit ${webhook.name}` : 'New webhook'}</h1>
      <div className="form-layout">
        <form className="webhook-form" onSubmit={submit} noValidate>
          <ErrorNote message={fieldMessage} />
          <Field label="Name" errors={errors.name}>
            {(id, d) => <input id={id} aria-describedby={d} value={draft.name} onChange={(e) => set({ name: e.target.value })} />}
          </Field>
          <Field label="URL" hint="Where Hookline POSTs the events (https in production)." errors={errors.url}>
            {(id, d) => <input id={id} aria-describedby={d} type="url" value={draft.url} onChange={(e) => set({ url: e.target.value })} />}
          </Field>
          <fieldset className={errors.events ? 'has-error' : undefined} aria-describedby={errors.events ? 'events-error' : undefined}>
            <legend>Events</legend>
            <div className="checks">
              {listed.map((name) => (
                <label key={name} className="check">
                  <input
                    type="checkbox"
                    checked={draft.events.includes(name)}
                    onChange={(e) => set({ events: e.target.checked ? [...draft.events, name] : draft.events.filter((x) => x !== name) })}
                  />{' '}
                  {name}
                </label>
              ))}
            </div>
            {errors.events && (
              <p className="field-error" id="events-error" role="alert">
                {errors.events.join(' ')}
              </p>
            )}
          </fieldset>
          <Field label="More events" hint="Sub-events such as call.completed.booked_callback, or * for all; comma-separated.">
            {(id, d) => <input id={id} aria-describedby={d} value={draft.extraEvents} onChange={(e) => set({ extraEvents: e.target.value })} />}
          </Field>
          <Field label="Filters (JSON)" hint='Payload field → value, e.g. {"campaign_id": "camp_1", "to_number": "+44%"}.' errors={errors.filters}>
            {(id, d) => <textarea id={id} aria-describedby={d} rows={4} value={draft.filters} onChange={(e) => set({ filters: e.target.value })} />}
          </Field>
          <Field label="Extra headers (JSON)" errors={errors.headers}>
            {(id, d) => <textarea id={id} aria-describedby={d} rows={2} value={draft.headers} onChange={(e) => set({ headers: e.target.value })} />}
          </Field>
          <div className="row">
            <Field label="Timeout (s)" errors={errors.timeoutSeconds}>
              {(id, d) => <input id={id} aria-describedby={d} type="number" value={draft.timeoutSeconds} onChange={(e) => set({ timeoutSeconds: e.target.value })} />}
            </Field>
            <Field label="Retries" errors={errors.maxRetries}>
              {(id, d) => <input id={id} aria-describedby={d} type="number" value={draft.maxRetries} onChange={(e) => set({ maxRetries: e.target.value })} />}
            </Field>
          </div>
          <div className="actions">
            <button type="submit" className="primary" disabled={result.fetching}>
              {webhook ? 'Save' : 'Create webhook'}
            </button>
            <a className="button" href={href(webhook ? `/webhooks/${webhook.id}` : '/webhooks')}>
              Cancel
            </a>
          </div>
        </form>
        <DryRun events={eventsOf(draft)} filtersText={draft.filters} />
      </div>
    </>
  );
}

interface Preview {
  matched: boolean;
  reason: string | null;
  event: { id: string; type: string; occurredAt: string };
}

/** Which of the account's last 50 events the draft would match, by the server's own filter engine. */
function DryRun({ events, filtersText }: { events: string[]; filtersText: string }) {
  const client = useClient();
  const [state, setState] = useState<{ rows?: Preview[]; errors?: Record<string, string[]>; message?: string; busy?: boolean }>({});
  const run = async () => {
    const filters = jsonField(filtersText);
    if ('error' in filters) return setState({ errors: { filters: [filters.error] } });
    setState({ busy: true });
    const r = await client.query<{ previewMatch: Preview[] }>(PREVIEW_MATCH, { events, filters: filters.value, last: 50 }, { requestPolicy: 'network-only' }).toPromise();
    setState({ rows: r.data?.previewMatch, errors: fieldErrorsOf(r.error), message: messageOf(r.error) });
  };
  const matched = state.rows?.filter((p) => p.matched).length ?? 0;
  return (
    <section className="dry-run" aria-labelledby="dry-run">
      <h2 id="dry-run">Dry-run</h2>
      <p className="hint">Checks these events and filters against your last 50 events, with the same engine that routes deliveries.</p>
      <button type="button" onClick={run} disabled={state.busy}>
        {state.busy ? 'Checking…' : 'Run dry-run'}
      </button>
      {state.errors && Object.keys(state.errors).length > 0 ? (
        <ul className="field-error" role="alert">
          {Object.entries(state.errors).map(([field, msgs]) => (
            <li key={field}>
              {field}: {msgs.join(' ')}
            </li>
          ))}
        </ul>
      ) : (
        <ErrorNote message={state.message} />
      )}
      {state.rows && (
        <div aria-live="polite">
          <p className="summary">
            {matched} of {state.rows.length} recent events would match.
          </p>
          <ol className="previews">
            {state.rows.map((p) => (
              <li key={p.event.id} className={p.matched ? 'match' : 'nomatch'}>
                <span className="verdict">{p.matched ? 'match' : 'no match'}</span> <strong>{p.event.type}</strong> <Time at={p.event.occurredAt} />
                {p.reason && <div className="reason">{p.reason}</div>}
              </li>
            ))}
          </ol>
        </div>
      )}
    </section>
  );
}
