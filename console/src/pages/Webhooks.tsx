import { useQuery } from 'urql';
import { messageOf } from '../api';
import { WEBHOOKS } from '../queries';
import { href } from '../router';
import type { Connection, Webhook } from '../types';
import { Badge, ErrorNote, Loading, ms, percent } from '../ui';

export function WebhooksPage() {
  const [{ data, error, fetching }] = useQuery<{ webhooks: Connection<Webhook> }>({ query: WEBHOOKS });
  const rows = data?.webhooks.edges.map((e) => e.node) ?? [];
  return (
    <>
      <div className="page-head">
        <h1>Webhooks</h1>
        <a className="button primary" href={href('/webhooks/new')}>
          New webhook
        </a>
      </div>
      <ErrorNote message={messageOf(error)} />
      {fetching && !data ? (
        <Loading />
      ) : rows.length === 0 ? (
        <p>No webhooks yet. Create one to start receiving events.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">Webhooks with their delivery health over the last 24 hours</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Status</th>
                <th scope="col">Events</th>
                <th scope="col" className="num">Deliveries 24 h</th>
                <th scope="col" className="num">Success 24 h</th>
                <th scope="col" className="num">p95 latency 24 h</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((w) => (
                <tr key={w.id}>
                  <td>
                    <a href={href(`/webhooks/${w.id}`)}>{w.name}</a>
                    <div className="muted small url">{w.url}</div>
                  </td>
                  <td>
                    <Badge value={w.status} />
                  </td>
                  <td className="events-cell">{w.events.join(', ')}</td>
                  <td className="num">{w.stats.deliveries}</td>
                  <td className="num">{percent(w.stats.successRate)}</td>
                  <td className="num">{ms(w.stats.p95LatencyMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
