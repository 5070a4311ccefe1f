import { useState } from 'react';
import { useQuery } from 'urql';
import { messageOf } from '../api';
import { EVENT_TYPES, EVENTS } from '../queries';
import { href, navigate } from '../router';
import type { Connection, DeliveryStatus, EventType } from '../types';
import { Badge, ErrorNote, Field, Json, Loading, Time } from '../ui';

interface EventRow {
  id: string;
  type: string;
  payload: Record<string, unknown>;
  occurredAt: string;
  deliveries: { id: string; status: DeliveryStatus; webhook: { id: string; name: string } | null }[];
}

export function EventsPage({ type }: { type?: string }) {
  const [types] = useQuery<{ eventTypes: EventType[] }>({ query: EVENT_TYPES });
  // Cursors of the pages seen so far, so "Older" and "Newer" walk the list without an offset.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1];
  const [{ data, error, fetching }] = useQuery<{ events: Connection<EventRow> }>({ query: EVENTS, variables: { type: type ?? null, after } });
  const rows = data?.events.edges.map((e) => e.node) ?? [];
  return (
    <>
      <h1>Events</h1>
      <div className="filters">
        <Field label="Type">
          {(id) => (
            <select
              id={id}
              value={type ?? ''}
              onChange={(e) => {
                setCursors([null]);
                navigate(href('/events', { type: e.target.value || undefined }).slice(1));
              }}
            >
              <option value="">All types</option>
              {types.data?.eventTypes.map((t) => (
                <option key={t.name} value={t.name}>
                  {t.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <ErrorNote message={messageOf(error)} />
      {fetching && !data ? (
        <Loading />
      ) : rows.length === 0 ? (
        <p>No events.</p>
      ) : (
        <ol className="events">
          {rows.map((e) => (
            <li key={e.id}>
              <details>
                <summary>
                  <strong>{e.type}</strong> <Time at={e.occurredAt} /> <span className="muted small">{e.id}</span>{' '}
                  <span className="small">
                    {e.deliveries.length} {e.deliveries.length === 1 ? 'delivery' : 'deliveries'}
                  </span>
                </summary>
                <Json value={e.payload} label={`Payload of ${e.type} event ${e.id}`} />
                {e.deliveries.length > 0 && (
                  <ul className="event-deliveries">
                    {e.deliveries.map((d) => (
                      <li key={d.id}>
                        <a href={href(`/deliveries/${d.id}`)}>{d.webhook?.name ?? 'one-off target'}</a> <Badge value={d.status} />
                      </li>
                    ))}
                  </ul>
                )}
              </details>
            </li>
          ))}
        </ol>
      )}
      <div className="actions">
        <button type="button" disabled={cursors.length === 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
          Newer
        </button>
        <button type="button" disabled={!data?.events.pageInfo.hasNextPage} onClick={() => setCursors((c) => [...c, data!.events.pageInfo.endCursor])}>
          Older
        </button>
      </div>
    </>
  );
}
