import { MAX_PAGE_SIZE } from '../../domain/pagination';
import { MAX_EVENTS, MAX_NAME_LENGTH, MAX_URL_LENGTH, RETRIES_RANGE, TIMEOUT_RANGE } from '../../domain/webhook-rules';
import { MAX_SECRET_LENGTH } from '../../domain/signing';
import { TALKOVER_DEFAULT_MAX_RETRIES } from './talkover';
import { TOPCALLS_EVENT } from './topcalls';

const VERSION: string = require('../../../package.json').version;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object, description: string) => ({ description, content: { 'application/json': { schema } } });
const nullable = (type: string, extra: object = {}) => ({ type: [type, 'null'], ...extra });

const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'Replays the first response for 24 h (account-scoped); another body with the same key is refused (422), a duplicate while the first runs too (409).',
  schema: { type: 'string', minLength: 8, maxLength: 255, pattern: '^[A-Za-z0-9_-]+$' },
};
const pathId = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: { type: 'string' } });

const topcallsErrors = {
  '401': json(ref('TopCallsError'), 'Missing or invalid API key'),
  '422': json(ref('TopCallsError'), 'Invalid input (error.fields names each bad field), or an Idempotency-Key reused with another body'),
};
const talkoverErrors = {
  '401': json({ type: 'object', properties: { message: { type: 'string', examples: ['Missing Bearer Token'] } }, required: ['message'] }, 'Missing or invalid API key'),
  '404': json(ref('TalkoverFailure'), 'Agent not found in this environment. / Webhook not found.'),
};
const talkoverEnvelope = (data: object) => ({
  type: 'object',
  properties: { success: { type: 'boolean' }, message: { type: 'string' }, data },
  required: ['success', 'message'],
});

const talkoverUpdate = (operationId: string, summary: string) => ({
  operationId,
  summary,
  parameters: [idempotencyKey],
  requestBody: { required: true, content: { 'application/json': { schema: ref('TalkoverWebhookPatch') } } },
  responses: {
    '200': json(talkoverEnvelope(ref('TalkoverWebhook')), 'Webhook updated successfully'),
    '422': json(ref('TalkoverValidationError'), 'The given data was invalid.'),
    ...talkoverErrors,
  },
});

/** The OpenAPI 3.1 description of the REST faces, served at /openapi.json. */
export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'Hookline REST faces',
    version: VERSION,
    description: 'The TopCalls (/v1/webhooks) and Talkover (/api/v1/agents/{agent_id}/webhooks) webhook APIs over the same accounts, keys and webhooks as the GraphQL API.',
  },
  security: [{ bearer: [] }],
  paths: {
    '/v1/webhooks': {
      post: {
        operationId: 'topcallsCreateWebhook',
        summary: 'Create a webhook subscription',
        parameters: [idempotencyKey],
        requestBody: { required: true, content: { 'application/json': { schema: ref('TopCallsWebhookCreate') } } },
        responses: { '201': json(ref('TopCallsWebhook'), 'Webhook subscription created'), ...topcallsErrors },
      },
      get: {
        operationId: 'topcallsListWebhooks',
        summary: 'List live webhook subscriptions, oldest first',
        parameters: [
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: 20 } },
          { name: 'cursor', in: 'query', description: 'next_cursor of the previous page', schema: { type: 'string' } },
        ],
        responses: {
          '200': json(
            {
              type: 'object',
              properties: { data: { type: 'array', items: ref('TopCallsWebhook') }, has_more: { type: 'boolean' }, next_cursor: nullable('string') },
              required: ['data', 'has_more', 'next_cursor'],
            },
            'A page of webhooks',
          ),
          ...topcallsErrors,
        },
      },
    },
    '/v1/webhooks/{id}': {
      parameters: [pathId('id', 'Webhook id')],
      get: {
        operationId: 'topcallsGetWebhook',
        summary: 'Get a webhook subscription (also a deleted one)',
        responses: { '200': json(ref('TopCallsWebhook'), 'The webhook'), '404': json(ref('TopCallsError'), 'Not found'), ...topcallsErrors },
      },
      delete: {
        operationId: 'topcallsDeleteWebhook',
        summary: 'Soft-delete a webhook subscription (deleted_at is set; its history stays)',
        parameters: [idempotencyKey],
        responses: { '200': json(ref('TopCallsWebhook'), 'The deleted webhook'), '404': json(ref('TopCallsError'), 'Not found'), ...topcallsErrors },
      },
    },
    '/api/v1/agents/{agent_id}/webhooks': {
      parameters: [pathId('agent_id', 'Agent UUID')],
      post: {
        operationId: 'talkoverCreateWebhook',
        summary: 'Create a webhook for an agent',
        parameters: [idempotencyKey],
        requestBody: { required: true, content: { 'application/json': { schema: ref('TalkoverWebhookInput') } } },
        responses: {
          '201': json(talkoverEnvelope(ref('TalkoverWebhook')), 'Webhook created successfully'),
          '422': json(ref('TalkoverValidationError'), 'The given data was invalid.'),
          ...talkoverErrors,
        },
      },
      get: {
        operationId: 'talkoverListWebhooks',
        summary: "List an agent's webhooks",
        parameters: [{ name: 'per_page', in: 'query', schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: 20 } }],
        responses: { '200': json(talkoverEnvelope({ type: 'array', items: ref('TalkoverWebhook') }), 'Webhooks retrieved successfully'), ...talkoverErrors },
      },
    },
    '/api/v1/agents/{agent_id}/webhooks/{id}': {
      parameters: [pathId('agent_id', 'Agent UUID'), pathId('id', 'Webhook id')],
      get: {
        operationId: 'talkoverGetWebhook',
        summary: "Get one of an agent's webhooks",
        responses: { '200': json(talkoverEnvelope(ref('TalkoverWebhook')), 'Webhook retrieved successfully'), ...talkoverErrors },
      },
      put: talkoverUpdate('talkoverUpdateWebhook', 'Update a webhook (only the fields given change)'),
      patch: talkoverUpdate('talkoverPatchWebhook', 'Same as PUT'),
      delete: {
        operationId: 'talkoverDeleteWebhook',
        summary: 'Delete a webhook (soft: it stops receiving, its history stays)',
        parameters: [idempotencyKey],
        responses: { '200': json(talkoverEnvelope({}), 'Webhook deleted successfully'), ...talkoverErrors },
      },
    },
    '/api/v1/agents/{agent_id}/webhooks/{id}/test': {
      parameters: [pathId('agent_id', 'Agent UUID'), pathId('id', 'Webhook id')],
      post: {
        operationId: 'talkoverTestWebhook',
        summary: "Send one test event now (the catalog example of `event`, default the webhook's first event type); logged, never retried",
        requestBody: { required: false, content: { 'application/json': { schema: { type: 'object', properties: { event: { type: 'string' } } } } } },
        responses: {
          '200': json(
            talkoverEnvelope({
              type: 'object',
              properties: {
                delivered: { type: 'boolean' },
                status_code: nullable('integer'),
                duration_ms: { type: 'integer' },
                response_body: nullable('string'),
                error: nullable('string'),
              },
            }),
            'The attempt',
          ),
          ...talkoverErrors,
        },
      },
    },
  },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A Hookline API key (hk_live_…)' } },
    schemas: {
      TopCallsWebhookCreate: {
        type: 'object',
        required: ['event', 'url'],
        properties: {
          event: { type: 'string', pattern: TOPCALLS_EVENT.source, examples: ['call.completed.booked_callback'] },
          url: { type: 'string', format: 'uri', maxLength: MAX_URL_LENGTH },
          filters: { type: 'object', description: 'Equality, array any-of, or SQL-LIKE (a string holding %) per payload field; is_conversion is derived.' },
          secret: { type: 'string', minLength: 1, maxLength: MAX_SECRET_LENGTH, description: 'Hookline extension: the signing secret (generated when omitted).' },
          payload_format: { enum: ['DATA', 'ENVELOPE'], default: 'DATA', description: 'Hookline extension: DATA posts the payload itself, as TopCalls does.' },
          signature_header: { type: 'string', default: 'x-topcalls-signature', description: 'Hookline extension: header of the hex HMAC-SHA256 of the body.' },
        },
      },
      TopCallsWebhook: {
        type: 'object',
        required: ['id', 'account_id', 'event', 'url', 'filters', 'deleted_at', 'created_by_api_key_id', 'created_at'],
        properties: {
          id: { type: 'string', format: 'uuid' },
          account_id: { type: 'string', format: 'uuid' },
          event: { type: 'string' },
          url: { type: 'string', format: 'uri' },
          filters: { type: 'object' },
          deleted_at: nullable('string', { format: 'date-time' }),
          created_by_api_key_id: nullable('string', { format: 'uuid' }),
          created_at: { type: 'string', format: 'date-time' },
        },
      },
      TopCallsError: {
        type: 'object',
        required: ['error'],
        properties: {
          error: {
            type: 'object',
            required: ['code', 'message'],
            properties: { code: { type: 'string' }, message: { type: 'string' }, fields: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } } },
          },
        },
      },
      TalkoverWebhookPatch: {
        type: 'object',
        properties: {
          name: { type: 'string', maxLength: MAX_NAME_LENGTH },
          webhook_url: { type: 'string', format: 'uri', maxLength: MAX_URL_LENGTH },
          webhook_secret: { type: 'string', maxLength: MAX_SECRET_LENGTH },
          events: { type: 'array', minItems: 1, maxItems: MAX_EVENTS, items: { type: 'string' }, examples: [['event_phone_call_started', 'event_phone_call_ended']] },
          timeout: { type: 'integer', minimum: TIMEOUT_RANGE[0], maximum: TIMEOUT_RANGE[1], default: 30 },
          max_retries: { type: 'integer', minimum: RETRIES_RANGE[0], maximum: RETRIES_RANGE[1], default: TALKOVER_DEFAULT_MAX_RETRIES },
          enabled: { type: 'boolean', default: true },
          payload_format: { enum: ['ENVELOPE', 'DATA'], default: 'ENVELOPE' },
          signature_header: { type: 'string', default: 'x-hookline-signature' },
        },
      },
      TalkoverWebhookInput: { allOf: [ref('TalkoverWebhookPatch'), { required: ['name', 'webhook_url', 'events'] }] },
      TalkoverWebhook: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          agent_id: { type: 'string' },
          name: { type: 'string' },
          webhook_url: { type: 'string' },
          events: { type: 'array', items: { type: 'string' } },
          timeout: { type: 'integer' },
          max_retries: { type: 'integer' },
          enabled: { type: 'boolean' },
          created_at: { type: 'string', examples: ['2025-09-03T23:19:51.000000Z'] },
          updated_at: { type: 'string' },
          events_count: { type: 'integer' },
          status: { enum: ['active', 'paused', 'auto_disabled'] },
        },
      },
      TalkoverFailure: { type: 'object', required: ['success', 'message'], properties: { success: { const: false }, message: { type: 'string' } } },
      TalkoverValidationError: {
        type: 'object',
        required: ['message', 'errors'],
        properties: {
          message: { const: 'The given data was invalid.' },
          errors: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
        },
      },
    },
  },
} as const;
