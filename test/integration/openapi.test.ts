import { execFile } from 'node:child_process';
import path from 'node:path';
import { startHookline, TestHookline } from '../helpers/hookline';
import { rest } from '../helpers/rest-client';

/** The verdict of @seriousme/openapi-schema-validator, run in a child node (it is an ES module). */
function validateOpenApi(document: unknown): Promise<{ valid: boolean; version: string; errors?: unknown }> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [path.join(__dirname, '../helpers/validate-openapi.mjs')], (err, stdout, stderr) => {
      if (err) reject(new Error(`${err.message}\n${stderr}`));
      else resolve(JSON.parse(stdout));
    });
    child.stdin!.end(JSON.stringify(document));
  });
}

describe('/openapi.json', () => {
  let h: TestHookline;
  beforeAll(async () => {
    h = await startHookline({ db: 'sqlite' });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('serves an OpenAPI 3.1 document that a real validator accepts, without a key', async () => {
    const r = await rest(h.url, 'GET', '/openapi.json');
    expect(r.status).toBe(200);
    expect(r.body.openapi).toBe('3.1.0');
    expect(await validateOpenApi(r.body)).toEqual({ valid: true, version: '3.1' });
    // The validator does refuse a broken document, so its verdict above means something.
    const broken = { ...r.body, paths: { '/v1/webhooks': { post: { responses: { '201': { content: {} } } } } } };
    expect((await validateOpenApi(broken)).valid).toBe(false);
  });

  it('describes every REST route the server answers', async () => {
    const { body } = await rest(h.url, 'GET', '/openapi.json');
    expect(Object.keys(body.paths).sort()).toEqual([
      '/api/v1/agents/{agent_id}/webhooks',
      '/api/v1/agents/{agent_id}/webhooks/{id}',
      '/api/v1/agents/{agent_id}/webhooks/{id}/test',
      '/v1/webhooks',
      '/v1/webhooks/{id}',
    ]);
    // Each documented operation exists: with no key it meets auth (401), not the unknown-path 404.
    for (const [path, item] of Object.entries<Record<string, unknown>>(body.paths)) {
      for (const method of Object.keys(item).filter((k) => k !== 'parameters')) {
        const concrete = path.replace('{agent_id}', 'a1').replace('{id}', '00000000-0000-7000-8000-000000000000');
        const r = await rest(h.url, method.toUpperCase(), concrete);
        expect([method, path, r.status]).toEqual([method, path, 401]);
      }
    }
  });
});
