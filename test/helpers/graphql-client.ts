/** A GraphQL response as the server sent it, with the HTTP status and headers. */
export interface GqlResponse<T = any> {
  status: number;
  headers: Headers;
  data?: T;
  errors?: { message: string; path?: string[]; extensions?: Record<string, any> }[];
}

/** POSTs one GraphQL operation with fetch (a real HTTP client, as a frontend would). */
export async function postGraphQL<T = any>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  opts: { token?: string | null; headers?: Record<string, string> } = {},
): Promise<GqlResponse<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { data?: T; errors?: GqlResponse['errors'] };
  return { status: res.status, headers: res.headers, data: body.data, errors: body.errors };
}

/** Like postGraphQL but throws on any GraphQL error, returning data. */
export async function gqlOk<T = any>(url: string, token: string, query: string, variables?: Record<string, unknown>): Promise<T> {
  const r = await postGraphQL<T>(url, query, variables, { token });
  if (r.errors?.length || !r.data) throw new Error(`GraphQL error (${r.status}): ${JSON.stringify(r.errors)}`);
  return r.data;
}
