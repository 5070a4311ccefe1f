import { SEED_EVENT_TYPES } from './event-types-seeds';

/** One entry of the event-type catalog, as the `eventTypes` query shows it. */
export interface EventTypeDef {
  /** Dotted type name, e.g. `call.completed`. */
  name: string;
  /** When the event fires and what its payload holds. */
  description: string;
  /** A realistic payload; `testWebhook` sends it and GraphiQL shows it. Deep-frozen: clone before changing. */
  examplePayload: Record<string, unknown>;
  /** Seconds between publish and the first delivery attempt unless the producer says otherwise. @default 0 */
  defaultDelaySeconds: number;
}

/** Subscribing to `*` means every event type, current and future. */
export const WILDCARD_EVENT = '*';

/** A sub-event suffix names a `disposition` value: `call.completed.booked_callback`. */
const SUB_EVENT_SUFFIX = /^[a-z0-9_]+$/;

const callBase = {
  call_id: '564d4fd4-03bc-400a-abe0-05540fbeff88',
  phone_number: '+14155551234',
  from_phone_number: '+18005551234',
  campaign_id: 'camp_abc123',
  lead_id: 'lead_xyz789',
  created_at: '2025-12-22T10:30:00Z',
  metadata: { patient_id: 'pat_123', source: 'reminder_system' },
};

const campaignStats = {
  total_contacts: 250,
  calls_completed: 180,
  calls_failed: 22,
  conversions: 41,
  pending_contacts: 48,
};

const sms = {
  id: 'msg_01JF8W3QZ4',
  type: 'SMS',
  content: 'Yes, Tuesday at 3pm works for me.',
  sent_at: '2025-12-22T10:41:12Z',
  from_name: 'Jane Cooper',
  to_name: 'TopView Dental',
};

const contact = {
  id: 'ct_8HQ2K7',
  name: 'Jane',
  last_name: 'Cooper',
  company: 'Cooper Logistics',
  emails: ['jane@cooper-logistics.example'],
  numbers: ['+14155551234'],
};

function def(name: string, description: string, examplePayload: Record<string, unknown>, defaultDelaySeconds = 0): EventTypeDef {
  return deepFreeze({ name, description, examplePayload, defaultDelaySeconds });
}

/** Hookline's own types (the TopCalls names, and SMS and contact events in the same style). */
const NATIVE_TYPES: EventTypeDef[] = [
  def('call.queued', 'A call was created and queued for dialling. Basic call info.', {
    ...callBase,
    status: 'queued',
  }),
  def('call.started', 'The call connected to the recipient. Connection details.', {
    ...callBase,
    status: 'in_progress',
    answered_by: 'human',
    started_at: '2025-12-22T10:30:05Z',
  }),
  def(
    'call.completed',
    'The call finished. Full transcript, recording, summary and the `disposition` (outcome), which ' +
      'sub-events such as `call.completed.booked_callback` and the `is_conversion` filter read. ' +
      'Delivered 15 s after the call ends so that the recording and transcript are ready.',
    {
      ...callBase,
      status: 'completed',
      call_status: 'completed',
      disposition: 'booked_callback',
      duration: 2.5,
      transcript: [
        { id: 1, user: 'assistant', text: 'Hi, this is Sarah from TopView Dental...', created_at: '2025-12-22T10:30:05Z' },
        { id: 2, user: 'user', text: 'Yes, hi...', created_at: '2025-12-22T10:30:08Z' },
      ],
      recording_url: 'https://api.topcalls.ai/recordings/564d4fd4/2025/12/22/mp3',
      call_summary: 'Successfully confirmed appointment; patient asked for a callback on Tuesday.',
      answered_by: 'human',
      started_at: '2025-12-22T10:30:05Z',
      end_at: '2025-12-22T10:32:35Z',
    },
    15,
  ),
  def(
    'call.failed',
    'The call failed (busy, no answer, error). Error details; `disposition` names the reason. Delivered immediately.',
    {
      ...callBase,
      status: 'failed',
      call_status: 'failed',
      disposition: 'no_answer',
      error_code: 'NO_ANSWER',
      error_message: 'The recipient did not answer within 30 seconds.',
      end_at: '2025-12-22T10:30:31Z',
    },
  ),
  def('call.transferred', 'The call was transferred. Transfer source and destination.', {
    ...callBase,
    status: 'transferred',
    transfer_from: { number: '+18005551234', user_email: 'agent@topview.example', user_name: 'Sarah' },
    transfer_to: { number: '+14155550100', user_email: 'frontdesk@topview.example', user_name: 'Front desk' },
    transfer_original_call_id: '564d4fd4-03bc-400a-abe0-05540fbeff88',
    transferred_at: '2025-12-22T10:31:40Z',
  }),
  def('campaign.started', 'A campaign began running. Campaign config and contact count.', {
    campaign_id: 'camp_abc123',
    name: 'Sales Outreach',
    status: 'running',
    contact_count: 250,
    config: { max_concurrent_calls: 5, calling_hours: '09:00-17:00', timezone: 'America/Los_Angeles' },
    started_at: '2025-12-22T09:00:00Z',
  }),
  def('campaign.paused', 'A campaign was paused. Reason and pending contacts.', {
    campaign_id: 'camp_abc123',
    name: 'Sales Outreach',
    status: 'paused',
    reason: 'Paused by user',
    pending_contacts: 48,
    paused_at: '2025-12-22T12:15:00Z',
  }),
  def('campaign.resumed', 'A paused campaign resumed. Current statistics.', {
    campaign_id: 'camp_abc123',
    name: 'Sales Outreach',
    status: 'running',
    stats: campaignStats,
    resumed_at: '2025-12-22T13:00:00Z',
  }),
  def('campaign.completed', 'Every contact of a campaign was processed. Final statistics.', {
    campaign_id: 'camp_abc123',
    name: 'Sales Outreach',
    status: 'completed',
    stats: { ...campaignStats, calls_completed: 221, pending_contacts: 0 },
    completed_at: '2025-12-22T16:58:00Z',
  }),
  def('campaign.stopped', 'A campaign was cancelled before it finished. Final statistics.', {
    campaign_id: 'camp_abc123',
    name: 'Sales Outreach',
    status: 'stopped',
    reason: 'Cancelled by user',
    stats: campaignStats,
    stopped_at: '2025-12-22T14:20:00Z',
  }),
  def('campaign.activated', 'A campaign mirrored in Hookline became active (its status changed to ACTIVE).', {
    campaign_id: 'camp_abc123',
    name: 'Sales Outreach',
    status: 'ACTIVE',
    previous_status: 'PAUSED',
    conversion_outcomes: ['booked_callback', 'appointment_confirmed'],
  }),
  def('lead.status_changed', 'A lead moved to another status in its campaign.', {
    lead_id: 'lead_xyz789',
    campaign_id: 'camp_abc123',
    phone_number: '+14155551234',
    previous_status: 'contacted',
    status: 'qualified',
    changed_at: '2025-12-22T10:33:00Z',
    metadata: { source: 'reminder_system' },
  }),
  def('sms.received', 'An SMS or MMS was received.', {
    ...sms,
    direction: 'INBOUND',
    from_number: '+14155551234',
    to_number: '+18005551234',
  }),
  def('sms.sent', 'An SMS or MMS was sent.', {
    ...sms,
    id: 'msg_01JF8W5B2C',
    direction: 'OUTBOUND',
    content: 'Great, see you Tuesday at 3pm!',
    from_number: '+18005551234',
    to_number: '+14155551234',
    from_name: 'TopView Dental',
    to_name: 'Jane Cooper',
  }),
  def('contact.created', 'A contact was created.', contact),
  def('contact.updated', 'An existing contact was updated; the payload is the contact as it now is.', {
    ...contact,
    company: 'Cooper Freight',
  }),
];

/** The example of a native type, which a seed type with the same fields shows too. */
const nativeExample = (name: string) => NATIVE_TYPES.find((t) => t.name === name)!.examplePayload;

/** The catalog behind the `eventTypes` query, in display order. */
export const EVENT_TYPES: readonly EventTypeDef[] = Object.freeze([
  ...NATIVE_TYPES,
  ...SEED_EVENT_TYPES.map((t) => def(t.name, t.description, 'examplePayload' in t ? t.examplePayload : nativeExample(t.sameExampleAs))),
  def('webhook.test', 'Sent by `testWebhook` to check that an endpoint receives and verifies deliveries.', {
    message: 'This is a test event from Hookline.',
    webhook_id: '0193f1c2-7a4e-7cc0-9d1e-3b7f0a2c5e61',
  }),
]);

const byName = new Map(EVENT_TYPES.map((t) => [t.name, t]));

/** The catalog entry with this exact name. */
export function findEventType(name: string): EventTypeDef | undefined {
  return byName.get(name);
}

/** The catalog type a subscription name refers to ('call.completed.booked_callback' -> 'call.completed'); undefined for `*` and unknown names. */
export function baseEventType(name: string): string | undefined {
  if (byName.has(name)) return name;
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const base = name.slice(0, dot);
  return byName.has(base) && SUB_EVENT_SUFFIX.test(name.slice(dot + 1)) ? base : undefined;
}

/** True for `*`, a catalog name, or a catalog name + '.' + /[a-z0-9_]+/ (a sub-event naming a `disposition`). */
export function isSubscribableEvent(name: string): boolean {
  return name === WILDCARD_EVENT || baseEventType(name) !== undefined;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
