import { useState, type FormEvent } from 'react';
import { Field } from '../ui';

/** Checks the key with one `me` query before keeping it; the key goes only into a header. */
export function SignIn({ notice, onSignedIn }: { notice?: string; onSignedIn: (token: string) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const res = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token.trim()}` },
        body: JSON.stringify({ query: '{ me { account { id } } }' }),
      });
      const body = (await res.json()) as { data?: unknown; errors?: { message: string }[] };
      if (body.errors?.length || !body.data) setError(`That key was not accepted: ${body.errors?.[0]?.message ?? res.statusText}`);
      else onSignedIn(token.trim());
    } catch (err) {
      setError(`Hookline did not answer: ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="signin" id="main">
      <h1>Hookline console</h1>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <form onSubmit={submit}>
        <Field label="API key" hint="hk_live_… Kept in this tab only, until you sign out or close it." errors={error ? [error] : undefined}>
          {(id, describedBy) => (
            <input
              id={id}
              aria-describedby={describedBy}
              type="password"
              autoComplete="off"
              spellCheck={false}
              required
              value={token}
              onChange={(e) => setToken(e.target.value)}
            />
          )}
        </Field>
        <button type="submit" className="primary" disabled={busy || !token.trim()}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
