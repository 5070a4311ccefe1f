import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { fieldErrorsOf, messageOf } from '../api';
import { API_KEYS, CREATE_API_KEY, REVOKE_API_KEY } from '../queries';
import { ErrorNote, Field, Loading, Time } from '../ui';

interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
}

export function ApiKeysPage() {
  const [{ data, error, fetching }] = useQuery<{ apiKeys: ApiKey[] }>({ query: API_KEYS });
  const [created, create] = useMutation<{ createApiKey: { token: string; apiKey: ApiKey } }>(CREATE_API_KEY);
  const [revoked, revoke] = useMutation(REVOKE_API_KEY);
  const [name, setName] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await create({ name });
    if (!r.error) setName('');
  };
  return (
    <>
      <h1>API keys</h1>
      <form className="inline-form" onSubmit={submit}>
        <Field label="New key name" errors={fieldErrorsOf(created.error).name}>
          {(id, d) => <input id={id} aria-describedby={d} value={name} onChange={(e) => setName(e.target.value)} required />}
        </Field>
        <button type="submit" className="primary" disabled={created.fetching}>
          Create key
        </button>
      </form>
      {created.data && (
        <p className="secret" role="status">
          Token for “{created.data.createApiKey.apiKey.name}”, shown only this once: <code>{created.data.createApiKey.token}</code>
        </p>
      )}
      <ErrorNote message={messageOf(error ?? revoked.error)} />
      {fetching && !data ? (
        <Loading />
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">API keys of this account</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Prefix</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {data?.apiKeys.map((k) => (
                <tr key={k.id}>
                  <td>{k.name}</td>
                  <td>
                    <code>{k.prefix}…</code>
                  </td>
                  <td>
                    <Time at={k.createdAt} />
                  </td>
                  <td>
                    <Time at={k.lastUsedAt} />
                  </td>
                  <td>
                    {k.revokedAt ? (
                      <>
                        revoked <Time at={k.revokedAt} />
                      </>
                    ) : (
                      <button
                        type="button"
                        className="danger"
                        aria-label={`Revoke key ${k.name}`}
                        onClick={() => confirm(`Revoke key "${k.name}"? Anything using it stops working at once.`) && revoke({ id: k.id })}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
