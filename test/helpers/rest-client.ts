/** A REST answer as the server sent it. */
export interface RestResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  /** The raw text, for bodies that must match byte for byte. */
  text: string;
}

/**
 * Calls a REST endpoint with fetch, as a client written from the seed documents would. `body` is
 * sent as given when it is a string (the documents' bodies as printed), else as JSON.
 */
export async function rest<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  opts: { token?: string | null; body?: unknown; headers?: Record<string, string> } = {},
): Promise<RestResponse<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(baseUrl + path, {
    method,
    headers,
    body: opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined, text };
}
