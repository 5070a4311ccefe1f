import { startHookline, TestHookline } from '../helpers/hookline';

const UPSERT = `mutation($input: UpsertCampaignInput!) {
  upsertCampaign(input: $input) { id name conversionOutcomes status createdAt updatedAt }
}`;
const LIST = '{ campaigns { id name conversionOutcomes status createdAt updatedAt } }';

describe('campaigns (mysql)', () => {
  let h: TestHookline;
  beforeAll(async () => {
    h = await startHookline({ db: 'mysql' });
  });
  afterAll(async () => {
    await h?.stop();
  });

  const campaign = async (id: string, token?: string) => (await h.ok(LIST, undefined, token)).campaigns.find((c: any) => c.id === id);

  it('upsertCampaign creates a new campaign, ACTIVE with no outcomes unless told', async () => {
    const { upsertCampaign } = await h.ok(UPSERT, { input: { id: 'camp_new', name: 'Spring' } });
    expect(upsertCampaign).toMatchObject({ id: 'camp_new', name: 'Spring', conversionOutcomes: [], status: 'ACTIVE' });
    expect(upsertCampaign.createdAt).toBe(upsertCampaign.updatedAt);
    expect(await campaign('camp_new')).toEqual(upsertCampaign);
  });

  it('a new campaign needs a name; nothing is created without one', async () => {
    const r = await h.gql(UPSERT, { input: { id: 'camp_nameless', conversionOutcomes: ['sale'] } });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors: { name: expect.any(Array) } });
    expect(await campaign('camp_nameless')).toBeUndefined();
  });

  it('upsertCampaign updates outcomes and status of an existing campaign without a name, keeping the rest', async () => {
    const { upsertCampaign: created } = await h.ok(UPSERT, { input: { id: 'camp_upd', name: 'Summer', conversionOutcomes: ['sale'] } });
    const { upsertCampaign: updated } = await h.ok(UPSERT, {
      input: { id: 'camp_upd', conversionOutcomes: ['sale', 'booked_callback', 'sale'], status: 'PAUSED' },
    });
    expect(updated).toMatchObject({ id: 'camp_upd', name: 'Summer', conversionOutcomes: ['sale', 'booked_callback'], status: 'PAUSED' });
    expect(updated.createdAt).toBe(created.createdAt);
    expect(Date.parse(updated.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.updatedAt));
    expect(await campaign('camp_upd')).toEqual(updated);
    const { upsertCampaign: renamed } = await h.ok(UPSERT, { input: { id: 'camp_upd', name: 'Summer II', status: 'ACTIVE' } });
    expect(renamed).toMatchObject({ name: 'Summer II', conversionOutcomes: ['sale', 'booked_callback'], status: 'ACTIVE' });
  });

  it('upsertCampaign refuses a malformed id or an empty name', async () => {
    for (const input of [
      { id: 'has space', name: 'x' },
      { id: '', name: 'x' },
      { id: 'c'.repeat(121), name: 'x' },
      { id: 'camp_ok', name: '' },
    ]) {
      const r = await h.gql(UPSERT, { input });
      expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(Object.keys(r.errors?.[0]?.extensions?.fieldErrors ?? {})).toEqual([input.name ? 'id' : 'name']);
    }
    expect(await campaign('camp_ok')).toBeUndefined();
  });

  it("campaigns lists only the caller's campaigns", async () => {
    const other = await h.newAccount('campaign-other');
    await h.ok(UPSERT, { input: { id: 'camp_theirs', name: 'Theirs' } }, other.apiKey);
    const mine = (await h.ok(LIST)).campaigns.map((c: any) => c.id);
    expect(mine).not.toContain('camp_theirs');
    expect(mine.length).toBeGreaterThan(0);
    expect((await h.ok(LIST, undefined, other.apiKey)).campaigns.map((c: any) => c.id)).toEqual(['camp_theirs']);
  });
});
