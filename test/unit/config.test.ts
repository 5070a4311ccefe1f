import { ConfigError, loadConfig } from '../../src/config';

describe('configuration from the environment', () => {
  it('starts with documented defaults on an empty environment: embedded SQLite under ./data, port 4000, role all', () => {
    const c = loadConfig({});
    expect(c.database).toEqual({ type: 'better-sqlite3', path: './data/hookline.sqlite' });
    expect(c).toMatchObject({ PORT: 4000, HOST: '127.0.0.1', HOOKLINE_ROLE: 'all', LOG_LEVEL: 'info', HOOKLINE_ALLOW_PRIVATE_TARGETS: false });
    expect(c.retryScheduleMs).toEqual([60_000, 300_000, 900_000, 3_600_000]);
    expect(c.corsOrigins).toEqual([]);
  });

  it('selects MySQL for a mysql:// URL and SQLite for a path or sqlite: URL', () => {
    expect(loadConfig({ DATABASE_URL: 'mysql://u:p@db:3306/hook' }).database).toEqual({ type: 'mysql', url: 'mysql://u:p@db:3306/hook' });
    expect(loadConfig({ DATABASE_URL: 'sqlite:./x.db' }).database).toEqual({ type: 'better-sqlite3', path: './x.db' });
    expect(loadConfig({ DATABASE_URL: '/tmp/h.sqlite' }).database).toEqual({ type: 'better-sqlite3', path: '/tmp/h.sqlite' });
  });

  it('refuses a bad value, naming the variable', () => {
    for (const [name, value] of [
      ['PORT', 'eighty'],
      ['PORT', '70000'],
      ['HOOKLINE_ROLE', 'both'],
      ['LOG_LEVEL', 'loud'],
      ['HOOKLINE_ALLOW_PRIVATE_TARGETS', 'maybe'],
      ['HOOKLINE_MASTER_KEY', 'short'],
      ['HOOKLINE_RETRY_SCHEDULE', '1s,soon'],
      ['REDIS_URL', 'not a url'],
      ['HOOKLINE_WORKER_CONCURRENCY', '0'],
    ]) {
      expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
      expect(() => loadConfig({ [name]: value })).toThrow(name);
    }
  });

  it('refuses an unknown HOOKLINE_ variable (a typo must not be ignored), naming it', () => {
    expect(() => loadConfig({ HOOKLINE_RETRY_SCHEDUEL: '1s' })).toThrow(/Unknown environment variable HOOKLINE_RETRY_SCHEDUEL/);
  });

  it('reads lists, booleans and schedules', () => {
    const c = loadConfig({
      HOOKLINE_CORS_ORIGINS: 'https://a.example, https://b.example',
      HOOKLINE_ALLOW_PRIVATE_TARGETS: 'true',
      HOOKLINE_RETRY_SCHEDULE: '500ms,2s,1m',
      HOOKLINE_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
    });
    expect(c.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(c.HOOKLINE_ALLOW_PRIVATE_TARGETS).toBe(true);
    expect(c.retryScheduleMs).toEqual([500, 2_000, 60_000]);
  });
});
