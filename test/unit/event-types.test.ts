import {
  baseEventType,
  EVENT_TYPES,
  findEventType,
  isSubscribableEvent,
  WILDCARD_EVENT,
} from '../../src/domain/event-types';

const CATALOG = [
  'call.queued',
  'call.started',
  'call.completed',
  'call.failed',
  'call.transferred',
  'campaign.started',
  'campaign.paused',
  'campaign.resumed',
  'campaign.completed',
  'campaign.stopped',
  'campaign.activated',
  'lead.status_changed',
  'sms.received',
  'sms.sent',
  'contact.created',
  'contact.updated',
  'CALL_RECEIVED',
  'SMS_RECEIVED',
  'SMS_SENT',
  'CONTACT_CREATED',
  'CONTACT_UPDATED',
  'event_phone_call_started',
  'event_phone_call_ended',
  'webhook.test',
];

describe('event-type catalog', () => {
  it('lists exactly the types of the design, each once', () => {
    expect(EVENT_TYPES.map((t) => t.name)).toEqual(CATALOG);
  });

  it('gives every type a description and a non-empty example payload', () => {
    for (const t of EVENT_TYPES) {
      expect(t.description.length).toBeGreaterThan(10);
      expect(Object.keys(t.examplePayload).length).toBeGreaterThan(0);
      expect(JSON.parse(JSON.stringify(t.examplePayload))).toEqual(t.examplePayload);
    }
  });

  it('delays call.completed by 15 s so recordings are ready, and nothing else', () => {
    for (const t of EVENT_TYPES) expect(t.defaultDelaySeconds).toBe(t.name === 'call.completed' ? 15 : 0);
  });

  it('shows a call.completed example that carries what sub-events and is_conversion read', () => {
    const p = findEventType('call.completed')!.examplePayload;
    expect(p).toMatchObject({
      call_id: expect.any(String),
      phone_number: expect.stringMatching(/^\+1/),
      disposition: 'booked_callback',
      campaign_id: 'camp_abc123',
      recording_url: expect.any(String),
      metadata: { source: 'reminder_system' },
    });
    expect(Array.isArray(p.transcript)).toBe(true);
  });

  it('shows sms and contact examples with the fields of the seed docs', () => {
    for (const name of ['sms.received', 'sms.sent']) {
      expect(Object.keys(findEventType(name)!.examplePayload)).toEqual(
        expect.arrayContaining(['id', 'direction', 'type', 'content', 'sent_at', 'from_number', 'to_number', 'from_name', 'to_name']),
      );
    }
    expect(findEventType('sms.received')!.examplePayload.direction).toBe('INBOUND');
    expect(findEventType('sms.sent')!.examplePayload.direction).toBe('OUTBOUND');
    for (const name of ['contact.created', 'contact.updated']) {
      expect(Object.keys(findEventType(name)!.examplePayload)).toEqual(
        expect.arrayContaining(['id', 'name', 'last_name', 'company', 'emails', 'numbers']),
      );
    }
  });

  it('shows the 003 topics with every field that document lists', () => {
    expect(Object.keys(findEventType('CALL_RECEIVED')!.examplePayload).sort()).toEqual(
      [
        'id', 'start_date', 'recording_url', 'from_number', 'from_name', 'to', 'to_name', 'length_in_minutes', 'length', 'tag',
        'summary', 'one_sentence_summary', 'transcriptions', 'concatenated_transcript', 'data_collected', 'type', 'integration_id',
        'transfer_from', 'transfer_to', 'user_email', 'original_to_number', 'original_to_name', 'transfer_original_call_id',
      ].sort(),
    );
    expect(Object.keys(findEventType('CALL_RECEIVED')!.examplePayload.transfer_from as object).sort()).toEqual(['number', 'user_email', 'user_name']);
    for (const name of ['SMS_RECEIVED', 'SMS_SENT']) {
      expect(Object.keys(findEventType(name)!.examplePayload).sort()).toEqual(
        ['id', 'direction', 'type', 'content', 'sent_at', 'from_number', 'to_number', 'from_name', 'to_name'].sort(),
      );
    }
    for (const name of ['CONTACT_CREATED', 'CONTACT_UPDATED']) {
      expect(Object.keys(findEventType(name)!.examplePayload).sort()).toEqual(['id', 'name', 'last_name', 'company', 'emails', 'numbers'].sort());
    }
  });

  it('shows the 004 agent events carrying the agent_id that scopes agent webhooks', () => {
    for (const name of ['event_phone_call_started', 'event_phone_call_ended']) {
      expect(findEventType(name)!.examplePayload).toMatchObject({ agent_id: expect.any(String), call_id: expect.any(String) });
      expect(isSubscribableEvent(name)).toBe(true);
    }
  });

  it('keeps example payloads deep-frozen so no caller can corrupt the shared catalog', () => {
    const p = findEventType('call.completed')!.examplePayload as { metadata: Record<string, unknown>; transcript: unknown[] };
    expect(Object.isFrozen(EVENT_TYPES)).toBe(true);
    expect(Object.isFrozen(p)).toBe(true);
    expect(Object.isFrozen(p.metadata)).toBe(true);
    expect(Object.isFrozen(p.transcript[0])).toBe(true);
    // Modules are strict, so writing to a frozen object throws instead of failing silently.
    expect(() => {
      p.metadata.source = 'changed';
    }).toThrow(TypeError);
  });
});

describe('findEventType', () => {
  it('finds catalog entries by exact name only', () => {
    expect(findEventType('sms.sent')?.name).toBe('sms.sent');
    expect(findEventType('SMS.SENT')).toBeUndefined();
    expect(findEventType('call.completed.booked_callback')).toBeUndefined();
    expect(findEventType('')).toBeUndefined();
  });
});

describe('subscription names', () => {
  it('accepts every catalog name', () => {
    for (const name of CATALOG) {
      expect(isSubscribableEvent(name)).toBe(true);
      expect(baseEventType(name)).toBe(name);
    }
  });

  it('accepts a catalog name plus a disposition suffix and maps it to its catalog type', () => {
    expect(isSubscribableEvent('call.completed.booked_callback')).toBe(true);
    expect(baseEventType('call.completed.booked_callback')).toBe('call.completed');
    expect(baseEventType('call.failed.no_answer')).toBe('call.failed');
    expect(baseEventType('lead.status_changed.qualified')).toBe('lead.status_changed');
    expect(baseEventType('call.completed.x9')).toBe('call.completed');
  });

  it('accepts the * wildcard, which names no single catalog type', () => {
    expect(WILDCARD_EVENT).toBe('*');
    expect(isSubscribableEvent('*')).toBe(true);
    expect(baseEventType('*')).toBeUndefined();
  });

  it.each([
    ['unknown type', 'call.exploded'],
    ['unknown family', 'invoice.paid'],
    ['uppercase suffix', 'call.completed.Booked'],
    ['empty suffix', 'call.completed.'],
    ['suffix with a dash', 'call.completed.booked-callback'],
    ['two suffixes', 'call.completed.booked_callback.extra'],
    ['prefix only', 'call'],
    ['empty', ''],
    ['leading dot', '.call.completed'],
    ['wildcard with suffix', '*.booked_callback'],
    ['case changed', 'Call.Completed'],
  ])('refuses a name with %s', (_why, name) => {
    expect(isSubscribableEvent(name)).toBe(false);
    expect(baseEventType(name)).toBeUndefined();
  });
});
