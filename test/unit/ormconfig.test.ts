import { DataSource } from 'typeorm';

describe('ormconfig.ts', () => {
  it('is a DataSource for the configured database with every migration and synchronize off', () => {
    process.env.DATABASE_URL = 'mysql://root@127.0.0.1:3306/hookline_cli';
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ds: DataSource = require('../../ormconfig').default;
    delete process.env.DATABASE_URL;
    expect(ds).toBeInstanceOf(DataSource);
    expect(ds.options).toMatchObject({ type: 'mysql', synchronize: false });
    expect((ds.options.migrations as unknown[]).length).toBeGreaterThan(0);
  });
});
