import type { Principal } from './domain/api-keys.service';
import { DomainError, ErrorCode } from './domain/errors';
import type { Services } from './services';
import type { WebhookTester } from './delivery/test-webhook';

/** The request context, built once per HTTP request and once per graphql-ws subscription. */
export interface Context {
  /** Null only for introspection-only requests, which need no key (GraphiQL loads the schema first). */
  principal: Principal | null;
  services: Services;
  /** Sends test deliveries right now (testWebhook). */
  tester?: WebhookTester;
}

/** The caller, or UNAUTHENTICATED. */
export function principalOf(ctx: Context): Principal {
  if (!ctx.principal) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Missing Bearer Token');
  return ctx.principal;
}

/** Extracts the token from `Bearer <token>`; undefined when the header is absent or empty. */
export function bearerToken(header: string | undefined | null): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1] : header.trim() || undefined;
}
