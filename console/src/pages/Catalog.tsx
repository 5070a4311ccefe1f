import { useQuery } from 'urql';
import { messageOf } from '../api';
import { EVENT_TYPES } from '../queries';
import type { EventType } from '../types';
import { ErrorNote, Json, Loading } from '../ui';

export function CatalogPage() {
  const [{ data, error, fetching }] = useQuery<{ eventTypes: EventType[] }>({ query: EVENT_TYPES });
  return (
    <>
      <h1>Event catalog</h1>
      <p>Every event type Hookline knows, with an example payload. Subscribe to a sub-event with &lt;type&gt;.&lt;disposition&gt;.</p>
      <ErrorNote message={messageOf(error)} />
      {fetching && !data && <Loading />}
      <div className="catalog">
        {data?.eventTypes.map((t) => (
          <section key={t.name} aria-labelledby={`type-${t.name}`}>
            <h2 id={`type-${t.name}`}>
              <code>{t.name}</code>
            </h2>
            <p>{t.description}</p>
            {t.defaultDelaySeconds > 0 && <p className="small">First attempt after {t.defaultDelaySeconds} s unless the event says otherwise.</p>}
            <details>
              <summary>Example payload</summary>
              <Json value={t.examplePayload} label={`Example payload of ${t.name}`} />
            </details>
          </section>
        ))}
      </div>
    </>
  );
}
