import { gql } from 'urql';

export const ME = gql`
  query Me {
    me { account { id name } apiKey { id name prefix } }
  }
`;

export const EVENT_TYPES = gql`
  query EventTypes {
    eventTypes { name description examplePayload defaultDelaySeconds }
  }
`;

export const WEBHOOKS = gql`
  query Webhooks {
    webhooks(first: 50) {
      edges { node { id name url status events stats(hours: 24) { deliveries successRate p95LatencyMs } } }
    }
  }
`;

const WEBHOOK_FIELDS = `id name url events filters timeoutSeconds maxRetries enabled status disabledReason headers createdAt updatedAt deletedAt`;

export const WEBHOOK = gql`
  query Webhook($id: ID!) {
    webhook(id: $id) {
      ${WEBHOOK_FIELDS}
      stats(hours: 24) { deliveries succeeded failed pending attempts successRate p50LatencyMs p95LatencyMs }
    }
  }
`;

export const TIMELINE = gql`
  query Timeline($id: ID!, $hours: Int!, $bucketMinutes: Int!) {
    webhook(id: $id) { id timeline(hours: $hours, bucketMinutes: $bucketMinutes) { start succeeded failed p50LatencyMs p95LatencyMs } }
  }
`;

export const CREATE_WEBHOOK = gql`
  mutation CreateWebhook($input: CreateWebhookInput!) {
    createWebhook(input: $input) { secret webhook { ${WEBHOOK_FIELDS} } }
  }
`;

export const UPDATE_WEBHOOK = gql`
  mutation UpdateWebhook($id: ID!, $input: UpdateWebhookInput!) {
    updateWebhook(id: $id, input: $input) { ${WEBHOOK_FIELDS} }
  }
`;

export const DELETE_WEBHOOK = gql`
  mutation DeleteWebhook($id: ID!) { deleteWebhook(id: $id) { id deletedAt } }
`;

export const ROTATE_SECRET = gql`
  mutation RotateSecret($id: ID!) { rotateWebhookSecret(id: $id) { secret webhook { id updatedAt } } }
`;

export const WEBHOOK_SECRET = gql`
  query WebhookSecret($id: ID!) { webhookSecret(id: $id) { secret previousSecret previousSecretExpiresAt } }
`;

const ATTEMPT_FIELDS = `id number trigger startedAt durationMs responseStatus responseBody errorKind error nextAttemptAt`;

export const TEST_WEBHOOK = gql`
  mutation TestWebhook($id: ID!, $eventType: String) { testWebhook(id: $id, eventType: $eventType) { ${ATTEMPT_FIELDS} } }
`;

export const REPLAY = gql`
  mutation Replay($id: ID!, $since: DateTime!, $until: DateTime, $onlyFailed: Boolean) {
    replayWebhook(id: $id, since: $since, until: $until, onlyFailed: $onlyFailed) { count }
  }
`;

export const PREVIEW_MATCH = gql`
  query PreviewMatch($events: [String!]!, $filters: JSONObject, $last: Int!) {
    previewMatch(events: $events, filters: $filters, last: $last) { matched reason event { id type occurredAt } }
  }
`;

const DELIVERY_ROW = `id status attemptCount lastResponseStatus lastError createdAt updatedAt eventId webhookId targetUrl event { id type } webhook { id name }`;

export const DELIVERIES = gql`
  query Deliveries($webhookId: ID, $status: DeliveryStatus, $after: String) {
    deliveries(webhookId: $webhookId, status: $status, after: $after, first: 50, newestFirst: true) {
      edges { node { ${DELIVERY_ROW} } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

export const DELIVERY_UPDATED = gql`
  subscription DeliveryUpdated($webhookId: ID, $eventId: ID) {
    deliveryUpdated(webhookId: $webhookId, eventId: $eventId) { ${DELIVERY_ROW} }
  }
`;

export const DELIVERY = gql`
  query Delivery($id: ID!) {
    delivery(id: $id) {
      ${DELIVERY_ROW} nextAttemptAt succeededAt
      event { id type payload occurredAt idempotencyKey }
      attempts { ${ATTEMPT_FIELDS} }
    }
  }
`;

export const REDELIVER = gql`
  mutation Redeliver($id: ID!) { redeliver(deliveryId: $id) { id status updatedAt } }
`;

export const EVENTS = gql`
  query Events($type: String, $after: String) {
    events(type: $type, after: $after, first: 50, newestFirst: true) {
      edges { node { id type payload occurredAt deliveries(first: 20) { id status webhook { id name } } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

export const API_KEYS = gql`
  query ApiKeys { apiKeys { id name prefix lastUsedAt revokedAt createdAt } }
`;

export const CREATE_API_KEY = gql`
  mutation CreateApiKey($name: String!) { createApiKey(name: $name) { token apiKey { id name prefix createdAt lastUsedAt revokedAt } } }
`;

export const REVOKE_API_KEY = gql`
  mutation RevokeApiKey($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }
`;
