import type { Request, Response, Router } from 'express';
import type { WebhookEntity } from '../../db/entities';
import type { WebhookTester } from '../../delivery/test-webhook';
import { DomainError, ErrorCode, notFound, Violation } from '../../domain/errors';
import { baseEventType } from '../../domain/event-types';
import type { UncheckedWebhookInput } from '../../domain/webhook-rules';
import type { Services } from '../../services';
import { accountOf, bodyOf, Face } from './face';

/** Talkover's default retry count (004); Hookline's own default is TopCalls' 4. */
export const TALKOVER_DEFAULT_MAX_RETRIES = 3;
const AGENT_NOT_FOUND = 'Agent not found in this environment.';

/** Laravel's wording of each rule, as the 004 document's errors show it ("The events field must contain at least 1 items."). */
function laravelMessage(v: Violation): string {
  const label = v.field.replace(/_/g, ' ');
  const [a, b] = v.args ?? [];
  switch (v.rule) {
    case 'required':
      return `The ${label} field is required.`;
    case 'maxLength':
      return `The ${label} field must not be greater than ${a} characters.`;
    case 'minItems':
      return `The ${label} field must contain at least ${a} items.`;
    case 'maxItems':
      return `The ${label} field must not have more than ${a} items.`;
    case 'between':
      return `The ${label} field must be between ${a} and ${b}.`;
    case 'integer':
      return `The ${label} field must be an integer.`;
    case 'boolean':
      return `The ${label} field must be true or false.`;
    case 'string':
      return `The ${label} field must be a string.`;
    case 'url':
      return `The ${label} field must be a valid URL.`;
    case 'oneOf':
      return `The selected ${label} is invalid: ${v.message}.`;
    case 'invalid':
      return `The ${label} field is invalid: ${v.message}.`;
  }
}

/** Talkover's error bodies, verbatim from 004 where it prints them. */
export const talkoverFace: Face = {
  fields: {
    url: 'webhook_url',
    secret: 'webhook_secret',
    timeoutSeconds: 'timeout',
    maxRetries: 'max_retries',
    payloadFormat: 'payload_format',
    signatureHeader: 'signature_header',
    first: 'per_page',
  },
  error: (status, code, message) => {
    if (code === ErrorCode.NOT_FOUND && message.startsWith('Agent ')) return { success: false, message: AGENT_NOT_FOUND };
    if (code === ErrorCode.NOT_FOUND && message.startsWith('Webhook ')) return { success: false, message: 'Webhook not found.' };
    return status === 401 ? { message } : { success: false, message };
  },
  invalid: (violations) => {
    const errors: Record<string, string[]> = {};
    for (const v of violations) (errors[v.field] ??= []).push(laravelMessage(v));
    return { message: 'The given data was invalid.', errors };
  },
};

/** Laravel's timestamp: ISO 8601 with microseconds (`2025-09-03T23:19:51.000000Z`). */
const laravelTime = (d: Date) => d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

/** A webhook as the 004 document shows it. */
export function talkoverWebhook(w: WebhookEntity) {
  return {
    id: w.id,
    agent_id: w.agentId,
    name: w.name,
    webhook_url: w.url,
    events: w.events,
    timeout: w.timeoutSeconds,
    max_retries: w.maxRetries,
    enabled: w.enabled,
    created_at: laravelTime(w.createdAt),
    updated_at: laravelTime(w.updatedAt),
    events_count: w.events.length,
    status: w.status.toLowerCase(),
  };
}

const param = (req: Request, name: string) => String(req.params[name]);

/** The 004 request fields in domain names (absent fields stay absent, so an update changes only what it names). */
function inputOf(req: Request): UncheckedWebhookInput {
  const b = bodyOf(req);
  const out: UncheckedWebhookInput = {
    name: b.name,
    url: b.webhook_url,
    secret: b.webhook_secret,
    events: b.events,
    timeoutSeconds: b.timeout,
    maxRetries: b.max_retries,
    enabled: b.enabled,
    payloadFormat: b.payload_format,
    signatureHeader: b.signature_header,
  };
  for (const k of Object.keys(out) as (keyof UncheckedWebhookInput)[]) if (out[k] === undefined) delete out[k];
  return out;
}

/**
 * `/api/v1/agents/{agent_id}/webhooks` as in the Talkover document (004): create with the
 * `{success, message, data}` envelope, and list, get, update, delete and the test endpoint.
 */
export function talkoverRoutes(services: Services, tester?: WebhookTester) {
  /** The agent's webhook, or the document's 404s (an unknown agent first). */
  const agentWebhook = async (req: Request): Promise<WebhookEntity> => {
    const agent = await services.agents.get(accountOf(req), param(req, 'agent_id'));
    const webhook = await services.webhooks.get(accountOf(req), param(req, 'id'));
    if (webhook.agentId !== agent.id) throw notFound('Webhook', param(req, 'id'));
    return webhook;
  };
  return (r: Router) => {
    r.post('/agents/:agent_id/webhooks', async (req, res) => {
      const agent = await services.agents.get(accountOf(req), param(req, 'agent_id'));
      const input = inputOf(req);
      const { webhook } = await services.webhooks.create(accountOf(req), req.principal!.apiKey.id, {
        ...input,
        maxRetries: input.maxRetries ?? TALKOVER_DEFAULT_MAX_RETRIES,
        agentId: agent.id,
      });
      res.status(201).json({ success: true, message: 'Webhook created successfully', data: talkoverWebhook(webhook) });
    });
    r.get('/agents/:agent_id/webhooks', async (req, res) => {
      const agent = await services.agents.get(accountOf(req), param(req, 'agent_id'));
      const limit = req.query.per_page === undefined ? undefined : Number(req.query.per_page);
      const page = await services.webhooks.list(accountOf(req), { first: limit, filter: { agentId: agent.id } });
      res.json({ success: true, message: 'Webhooks retrieved successfully', data: page.nodes.map(talkoverWebhook) });
    });
    r.get('/agents/:agent_id/webhooks/:id', async (req, res) => {
      res.json({ success: true, message: 'Webhook retrieved successfully', data: talkoverWebhook(await agentWebhook(req)) });
    });
    const update = async (req: Request, res: Response) => {
      const webhook = await agentWebhook(req);
      const updated = await services.webhooks.update(accountOf(req), webhook.id, inputOf(req));
      res.json({ success: true, message: 'Webhook updated successfully', data: talkoverWebhook(updated) });
    };
    r.put('/agents/:agent_id/webhooks/:id', update);
    r.patch('/agents/:agent_id/webhooks/:id', update);
    r.delete('/agents/:agent_id/webhooks/:id', async (req, res) => {
      const webhook = await agentWebhook(req);
      await services.webhooks.delete(accountOf(req), webhook.id);
      res.json({ success: true, message: 'Webhook deleted successfully' });
    });
    r.post('/agents/:agent_id/webhooks/:id/test', async (req, res) => {
      const webhook = await agentWebhook(req);
      if (!tester) throw new DomainError(ErrorCode.BAD_USER_INPUT, 'testing is unavailable', { id: ['no sender configured'] });
      const event = bodyOf(req).event;
      const attempt = await tester.test(accountOf(req), webhook.id, typeof event === 'string' ? event : webhook.events.map(baseEventType).find(Boolean));
      const ok = attempt.responseStatus !== null && attempt.responseStatus >= 200 && attempt.responseStatus < 300;
      res.json({
        success: true,
        message: ok ? 'Test webhook delivered successfully' : 'Test webhook failed',
        data: { delivered: ok, status_code: attempt.responseStatus, duration_ms: attempt.durationMs, response_body: attempt.responseBody, error: attempt.error },
      });
    });
  };
}
