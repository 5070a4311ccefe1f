import { compileExplainer, compileMatcher, contextFromCampaigns, Filters } from '../../src/domain/filters';

const ctx = contextFromCampaigns([{ id: 'camp_1', conversionOutcomes: ['booked_callback'] }]);

const events = [
  { type: 'call.completed', payload: { campaign_id: 'camp_1', disposition: 'booked_callback', to: '+441234', meta: { source: 'crm' } } },
  { type: 'call.completed', payload: { campaign_id: 'camp_1', disposition: 'no_answer', to: '+331234' } },
  { type: 'call.failed', payload: { campaign_id: 'camp_2', reason: 'busy', to: null } },
  { type: 'sms.received', payload: { body: 'STOP' } },
];

const subs: { events: string[]; filters?: Filters | null }[] = [
  { events: ['*'] },
  { events: ['call.completed'] },
  { events: ['call.completed.booked_callback'] },
  { events: ['call.completed'], filters: { to: '+44%' } },
  { events: ['*'], filters: { to: null } },
  { events: ['*'], filters: { 'meta.source': ['crm', 'web'] } },
  { events: ['call.completed', 'call.failed'], filters: { is_conversion: true } },
  { events: ['call.completed'], filters: { campaign_id: 'camp_1', is_conversion: false } },
];

describe('compileExplainer (the filter dry-run)', () => {
  it('agrees with compileMatcher on every event and subscription: no reason exactly when it matches', () => {
    for (const sub of subs) {
      const match = compileMatcher(sub);
      const explain = compileExplainer(sub);
      for (const e of events) expect({ sub, e, matched: explain(e, ctx) === undefined }).toEqual({ sub, e, matched: match(e, ctx) });
    }
  });

  it('names the first condition that failed, with the wanted and the actual value', () => {
    const explain = compileExplainer({ events: ['call.completed'], filters: { campaign_id: 'camp_1', to: '+44%', is_conversion: true } });
    expect(explain(events[3], ctx)).toBe('type "sms.received" is not among the subscribed events');
    expect(explain(events[1], ctx)).toBe('filter "to": wanted "+44%", got "+331234"');
    expect(explain({ type: 'call.completed', payload: { campaign_id: 'camp_1', to: '+4420' } }, ctx)).toBe('filter "is_conversion": wanted true, got false');
    expect(compileExplainer({ events: ['*'], filters: { 'meta.source': 'web' } })(events[2], ctx)).toBe('filter "meta.source": wanted "web", got no such field');
    expect(explain(events[0], ctx)).toBeUndefined();
  });
});
