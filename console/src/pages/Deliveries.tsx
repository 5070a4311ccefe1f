import { useMemo } from 'react';
import { useQuery, useSubscription } from 'urql';
import { messageOf } from '../api';
import { DELIVERIES, DELIVERY_UPDATED, WEBHOOKS } from '../queries';
import { href, navigate } from '../router';
import { DELIVERY_STATUSES, type Connection, type DeliveryRow, type Webhook } from '../types';
import { Badge, ErrorNote, Field, Loading, Time } from '../ui';

export function DeliveriesPage({ webhookId, status }: { webhookId?: string; status?: string }) {
  const [webhooks] = useQuery<{ webhooks: Connection<Webhook> }>({ query: WEBHOOKS });
  const go = (next: { webhook?: string; status?: string }) => navigate(href('/deliveries', { webhook: webhookId, status, ...next }).slice(1));
  return (
    <>
      <h1>Deliveries</h1>
      <div className="filters" role="group" aria-label="Filter deliveries">
        <Field label="Webhook">
          {(id) => (
            <select id={id} value={webhookId ?? ''} onChange={(e) => go({ webhook: e.target.value || undefined })}>
              <option value="">All webhooks</option>
              {webhooks.data?.webhooks.edges.map(({ node }) => (
                <option key={node.id} value={node.id}>
                  {node.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Status">
          {(id) => (
            <select id={id} value={status ?? ''} onChange={(e) => go({ status: e.target.value || undefined })}>
              <option value="">Any status</option>
              {DELIVERY_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s.replace('_', ' ').toLowerCase()}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <DeliveryFeed webhookId={webhookId} status={status} />
    </>
  );
}

/**
 * The newest deliveries, kept current by `deliveryUpdated`: a delivery pushed by the server is
 * put on top (or updated in place), with no reload and no polling.
 */
export function DeliveryFeed({ webhookId, status }: { webhookId?: string; status?: string }) {
  const [{ data, error, fetching }] = useQuery<{ deliveries: Connection<DeliveryRow> }>({
    query: DELIVERIES,
    variables: { webhookId: webhookId ?? null, status: status ?? null },
  });
  const [sub] = useSubscription<{ deliveryUpdated: DeliveryRow }, DeliveryRow[]>(
    { query: DELIVERY_UPDATED, variables: { webhookId: webhookId ?? null } },
    (prev = [], next) => [next.deliveryUpdated, ...prev.filter((r) => r.id !== next.deliveryUpdated.id)].slice(0, 200),
  );
  const live = sub.data ?? [];
  const rows = useMemo(() => {
    const seen = new Set<string>();
    const merged: DeliveryRow[] = [];
    for (const d of [...live, ...(data?.deliveries.edges.map((e) => e.node) ?? [])]) {
      if (seen.has(d.id)) continue;
      seen.add(d.id);
      if (!status || d.status === status) merged.push(d);
    }
    return merged;
  }, [live, data, status]);

  return (
    <>
      <p className="live" role="status">
        <span className={`dot${sub.error ? ' off' : ''}`} aria-hidden="true" /> {sub.error ? `Live updates stopped: ${messageOf(sub.error)}` : 'Live: new deliveries and changes appear here as they happen.'}
      </p>
      <ErrorNote message={messageOf(error)} />
      {fetching && !data ? (
        <Loading />
      ) : rows.length === 0 ? (
        <p>No deliveries yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="feed">
            <caption className="sr-only">Deliveries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Updated</th>
                <th scope="col">Event</th>
                {!webhookId && <th scope="col">Webhook</th>}
                <th scope="col">Status</th>
                <th scope="col" className="num">Attempts</th>
                <th scope="col">Last response</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => (
                <tr key={d.id} data-delivery-id={d.id}>
                  <td>
                    <Time at={d.updatedAt} />
                  </td>
                  <td>
                    <a href={href(`/deliveries/${d.id}`)}>{d.event.type}</a>
                  </td>
                  {!webhookId && <td>{d.webhook?.name ?? d.targetUrl}</td>}
                  <td>
                    <Badge value={d.status} />
                  </td>
                  <td className="num">{d.attemptCount}</td>
                  <td className="small">{d.lastResponseStatus ?? d.lastError ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
