import type { Request, Router } from 'express';
import type { WebhookEntity } from '../../db/entities';
import { encodeCursor } from '../../domain/pagination';
import type { Services } from '../../services';
import { accountOf, bodyOf, Face } from './face';

/** The `event` pattern of the TopCalls document (000): call completions and their sub-events, lead and campaign changes. */
export const TOPCALLS_EVENT = /^call\.completed(?:\.[a-z0-9_]+)?$|^lead\.status_changed$|^campaign\.(?:activated|paused)$/;

/** TopCalls-style errors (the document prints none): `{ error: { code, message, fields? } }`. */
export const topcallsFace: Face = {
  fields: { name: 'event', events: 'event', payloadFormat: 'payload_format', signatureHeader: 'signature_header', first: 'limit', after: 'cursor' },
  error: (_status, code, message) => ({ error: { code, message } }),
  invalid: (violations) => {
    const fields: Record<string, string[]> = {};
    for (const v of violations) if (!fields[v.field]?.includes(v.message)) (fields[v.field] ??= []).push(v.message);
    return { error: { code: 'BAD_USER_INPUT', message: 'Invalid input', fields } };
  },
};

/** A webhook as the TopCalls document shows it (its first event is `event`). */
export function topcallsWebhook(w: WebhookEntity) {
  return {
    id: w.id,
    account_id: w.accountId,
    event: w.events[0],
    url: w.url,
    filters: w.filters ?? {},
    deleted_at: w.deletedAt?.toISOString().replace(/\.\d{3}Z$/, 'Z') ?? null,
    created_by_api_key_id: w.createdByApiKeyId,
    created_at: w.createdAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}

/**
 * `/v1/webhooks` as in the TopCalls document: create (one `event`, `url`, `filters`), plus the list,
 * get and soft delete a client expects. Webhooks made here are sent as that platform sends them: the
 * payload itself as the body and `x-topcalls-signature` (optional `payload_format`, `signature_header`
 * and `secret` say otherwise).
 */
export function topcallsRoutes(services: Services) {
  return (r: Router) => {
    r.post('/webhooks', async (req, res) => {
      const b = bodyOf(req);
      const input = {
        name: b.event,
        url: b.url,
        events: b.event === undefined || b.event === null ? undefined : [b.event],
        filters: b.filters,
        secret: b.secret,
        payloadFormat: b.payload_format ?? 'DATA',
        signatureHeader: b.signature_header ?? 'x-topcalls-signature',
      };
      const { webhook } = await services.webhooks.create(accountOf(req), req.principal!.apiKey.id, input, { eventPattern: TOPCALLS_EVENT });
      res.status(201).json(topcallsWebhook(webhook));
    });
    r.get('/webhooks', async (req: Request, res) => {
      const limit = req.query.limit === undefined ? undefined : Number(req.query.limit);
      const cursor = typeof req.query.cursor === 'string' ? req.query.cursor : undefined;
      const page = await services.webhooks.list(accountOf(req), { first: limit, after: cursor });
      const last = page.nodes[page.nodes.length - 1];
      res.json({ data: page.nodes.map(topcallsWebhook), has_more: page.hasNextPage, next_cursor: page.hasNextPage && last ? encodeCursor(last.id) : null });
    });
    r.get('/webhooks/:id', async (req, res) => {
      res.json(topcallsWebhook(await services.webhooks.get(accountOf(req), String(req.params.id), { includeDeleted: true })));
    });
    r.delete('/webhooks/:id', async (req, res) => {
      res.json(topcallsWebhook(await services.webhooks.delete(accountOf(req), String(req.params.id))));
    });
  };
}
