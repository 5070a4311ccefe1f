import { StrictMode, useCallback, useEffect, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { Provider, useQuery } from 'urql';
import 'uplot/dist/uPlot.min.css';
import './console.css';
import { createApi } from './api';
import { ME } from './queries';
import { href, useRoute } from './router';
import { forgetKey, storedKey, storeKey } from './session';
import { ApiKeysPage } from './pages/ApiKeys';
import { CatalogPage } from './pages/Catalog';
import { DeliveriesPage } from './pages/Deliveries';
import { DeliveryPage } from './pages/Delivery';
import { EventsPage } from './pages/Events';
import { SignIn } from './pages/SignIn';
import { WebhookPage } from './pages/Webhook';
import { WebhookEditPage, WebhookNewPage } from './pages/WebhookForm';
import { WebhooksPage } from './pages/Webhooks';

const REVOKED = 'Your API key was revoked or is no longer valid. Sign in with another key.';

function App() {
  const [token, setToken] = useState(storedKey);
  const [notice, setNotice] = useState<string>();
  const signOut = useCallback((message?: string) => {
    forgetKey();
    setNotice(message);
    setToken(null);
  }, []);
  const api = useMemo(() => (token ? createApi(token, () => signOut(REVOKED)) : undefined), [token, signOut]);
  useEffect(() => () => api?.dispose(), [api]);

  if (!token || !api) {
    return (
      <SignIn
        notice={notice}
        onSignedIn={(t) => {
          storeKey(t);
          setNotice(undefined);
          setToken(t);
        }}
      />
    );
  }
  return (
    <Provider value={api.client}>
      <Shell onSignOut={() => signOut('Signed out.')} />
    </Provider>
  );
}

const NAV = [
  ['webhooks', 'Webhooks'],
  ['deliveries', 'Deliveries'],
  ['events', 'Events'],
  ['catalog', 'Event catalog'],
  ['keys', 'API keys'],
] as const;

function Shell({ onSignOut }: { onSignOut: () => void }) {
  const route = useRoute();
  const [me] = useQuery<{ me: { account: { name: string }; apiKey: { name: string; prefix: string } } }>({ query: ME });
  const section = route.parts[0] ?? 'webhooks';
  useEffect(() => {
    const title = NAV.find(([k]) => k === section)?.[1] ?? 'Console';
    document.title = `${title} · Hookline console`;
  }, [section]);
  return (
    <>
      <a className="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        Skip to content
      </a>
      <header className="top">
        <span className="brand">Hookline</span>
        <nav aria-label="Main">
          <ul>
            {NAV.map(([key, label]) => (
              <li key={key}>
                <a href={href(`/${key}`)} aria-current={section === key ? 'page' : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          {me.data && (
            <span>
              {me.data.me.account.name} · key {me.data.me.apiKey.prefix}…
            </span>
          )}
          <button type="button" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Page parts={route.parts} query={route.query} />
      </main>
    </>
  );
}

function Page({ parts, query }: { parts: string[]; query: URLSearchParams }) {
  const [section, id, sub] = parts;
  switch (section) {
    case undefined:
    case 'webhooks':
      if (id === 'new') return <WebhookNewPage />;
      if (id && sub === 'edit') return <WebhookEditPage id={id} />;
      if (id) return <WebhookPage id={id} />;
      return <WebhooksPage />;
    case 'deliveries':
      if (id) return <DeliveryPage id={id} />;
      return <DeliveriesPage webhookId={query.get('webhook') ?? undefined} status={query.get('status') ?? undefined} />;
    case 'events':
      return <EventsPage type={query.get('type') ?? undefined} />;
    case 'catalog':
      return <CatalogPage />;
    case 'keys':
      return <ApiKeysPage />;
    default:
      return <h1>Not found</h1>;
  }
}

createRoot(document.getElementById('console')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
