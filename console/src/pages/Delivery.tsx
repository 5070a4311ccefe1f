import { useEffect } from 'react';
import { useMutation, useQuery, useSubscription } from 'urql';
import { messageOf } from '../api';
import { DELIVERY, DELIVERY_UPDATED, REDELIVER } from '../queries';
import { href } from '../router';
import type { Attempt, DeliveryDetail } from '../types';
import { Badge, ErrorNote, Json, Loading, Time } from '../ui';

export function DeliveryPage({ id }: { id: string }) {
  const [{ data, error, fetching }, refetch] = useQuery<{ delivery: DeliveryDetail }>({ query: DELIVERY, variables: { id } });
  const d = data?.delivery;
  // A push for this delivery's event means its state or attempts changed: read them again.
  const [pushed] = useSubscription<{ deliveryUpdated: { id: string; updatedAt: string } }>({
    query: DELIVERY_UPDATED,
    variables: { eventId: d?.eventId ?? null },
    pause: !d,
  });
  const pushedAt = pushed.data?.deliveryUpdated.id === id ? pushed.data.deliveryUpdated.updatedAt : undefined;
  useEffect(() => {
    if (pushedAt) refetch({ requestPolicy: 'network-only' });
  }, [pushedAt, refetch]);
  const [redeliver, doRedeliver] = useMutation(REDELIVER);

  if (!d) return fetching ? <Loading /> : <ErrorNote message={messageOf(error) ?? 'Delivery not found'} />;
  return (
    <>
      <div className="page-head">
        <h1>
          Delivery of {d.event.type} <Badge value={d.status} />
        </h1>
        <button type="button" className="primary" onClick={() => doRedeliver({ id: d.id })} disabled={redeliver.fetching || d.status === 'IN_FLIGHT'}>
          Redeliver
        </button>
      </div>
      <ErrorNote message={messageOf(redeliver.error)} />
      <dl className="facts">
        <dt>Delivery</dt>
        <dd>
          <code>{d.id}</code>
        </dd>
        <dt>Target</dt>
        <dd>{d.webhook ? <a href={href(`/webhooks/${d.webhook.id}`)}>{d.webhook.name}</a> : d.targetUrl}</dd>
        <dt>Event</dt>
        <dd>
          <code>{d.event.id}</code>, occurred <Time at={d.event.occurredAt} />
        </dd>
        <dt>Attempts</dt>
        <dd>{d.attemptCount}</dd>
        <dt>Next attempt</dt>
        <dd>
          <Time at={d.nextAttemptAt} />
        </dd>
        <dt>Succeeded</dt>
        <dd>
          <Time at={d.succeededAt} />
        </dd>
      </dl>
      <section aria-labelledby="attempts">
        <h2 id="attempts">Attempts</h2>
        {d.attempts.length ? <AttemptsTable attempts={d.attempts} caption="Every attempt of this delivery, oldest first" /> : <p>No attempt yet.</p>}
      </section>
      <section aria-labelledby="payload">
        <h2 id="payload">Event payload</h2>
        <Json value={d.event.payload} label="Event payload" />
      </section>
    </>
  );
}

export function AttemptsTable({ attempts, caption }: { attempts: Attempt[]; caption: string }) {
  return (
    <div className="table-wrap">
      <table className="attempts">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col" className="num">#</th>
            <th scope="col">Trigger</th>
            <th scope="col">Started</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">Duration</th>
            <th scope="col">Error</th>
            <th scope="col">Response body</th>
          </tr>
        </thead>
        <tbody>
          {attempts.map((a) => (
            <tr key={a.id} data-attempt={a.number}>
              <td className="num">{a.number}</td>
              <td>{a.trigger.toLowerCase()}</td>
              <td>
                <Time at={a.startedAt} />
              </td>
              <td>{a.responseStatus ?? '—'}</td>
              <td className="num">{a.durationMs} ms</td>
              <td>{a.errorKind ? `${a.errorKind}${a.error ? `: ${a.error}` : ''}` : '—'}</td>
              <td>
                <code className="excerpt">{a.responseBody ? a.responseBody.slice(0, 300) : '—'}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
