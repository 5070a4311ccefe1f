/**
 * Event types named the way two seed platforms name them, so that their users subscribe with the
 * names they know: the webhook topics of `003` (upper-case, with the payload fields that document
 * lists) and the agent events of `004` (which lists no fields: examples consistent with the call
 * events, carrying the `agent_id` that scopes agent webhooks).
 */
const agentCall = {
  agent_id: '9fbef0b7-8d4e-4a08-9207-66c22155721d',
  call_id: '564d4fd4-03bc-400a-abe0-05540fbeff88',
  direction: 'outbound',
  from_phone_number: '+18005551234',
  phone_number: '+14155551234',
};

/** A seed type's example: its own, or (where the fields are those of a catalog type) that type's. */
export type SeedEventType = { name: string; description: string } & ({ examplePayload: Record<string, unknown> } | { sameExampleAs: string });

export const SEED_EVENT_TYPES: readonly SeedEventType[] = [
  {
    name: 'CALL_RECEIVED',
    description: 'A call was completed (topic of the 003 platform). After call ends.',
    examplePayload: {
      id: 'call_7Q2M9X',
      start_date: '2025-12-22T10:30:05Z',
      recording_url: 'https://recordings.example/call_7Q2M9X.mp3',
      from_number: '+14155551234',
      from_name: 'Jane Cooper',
      to: '+18005551234',
      to_name: 'TopView Dental',
      length_in_minutes: 2.5,
      length: '2m 30s',
      tag: 'appointment',
      summary: 'The caller confirmed her appointment for Tuesday at 3pm.',
      one_sentence_summary: 'Appointment confirmed for Tuesday.',
      transcriptions: [
        { speaker: 'agent', text: 'TopView Dental, how can I help?', start: 0.4 },
        { speaker: 'caller', text: 'I am calling to confirm my appointment.', start: 2.1 },
      ],
      concatenated_transcript: 'agent: TopView Dental, how can I help?\ncaller: I am calling to confirm my appointment.',
      data_collected: { appointment_confirmed: true, preferred_day: 'Tuesday' },
      type: 'INBOUND',
      integration_id: null,
      transfer_from: { number: '+14155550100', user_email: 'frontdesk@topview.example', user_name: 'Front desk' },
      transfer_to: null,
      user_email: 'owner@topview.example',
      original_to_number: '+18005550000',
      original_to_name: 'TopView main line',
      transfer_original_call_id: 'call_7Q2M9X',
    },
  },
  { name: 'SMS_RECEIVED', description: 'An SMS was received (topic of the 003 platform). After SMS received.', sameExampleAs: 'sms.received' },
  { name: 'SMS_SENT', description: 'An SMS was sent (topic of the 003 platform). After SMS sent.', sameExampleAs: 'sms.sent' },
  { name: 'CONTACT_CREATED', description: 'A contact was created (topic of the 003 platform). After contact creation.', sameExampleAs: 'contact.created' },
  {
    name: 'CONTACT_UPDATED',
    description: 'A contact was updated (topic of the 003 platform); the payload is the contact as it now is.',
    sameExampleAs: 'contact.updated',
  },
  {
    name: 'event_phone_call_started',
    description: "A phone call of an agent started (event of the 004 platform); agent_id names the agent.",
    examplePayload: {
      ...agentCall,
      status: 'in_progress',
      started_at: '2025-09-03T23:20:05Z',
    },
  },
  {
    name: 'event_phone_call_ended',
    description: 'A phone call of an agent ended (event of the 004 platform): duration, outcome, transcript, recording.',
    examplePayload: {
      ...agentCall,
      status: 'completed',
      disposition: 'appointment_confirmed',
      duration: 150,
      started_at: '2025-09-03T23:20:05Z',
      ended_at: '2025-09-03T23:22:35Z',
      transcript: [
        { role: 'agent', text: 'Hi, this is Sarah from TopView Dental.' },
        { role: 'user', text: 'Yes, Tuesday works.' },
      ],
      recording_url: 'https://recordings.example/564d4fd4.mp3',
    },
  },
];
