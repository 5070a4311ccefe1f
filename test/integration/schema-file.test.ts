import fs from 'node:fs';
import path from 'node:path';
import { schemaSdl } from '../../src/graphql/emit-schema';

describe('schema.graphql', () => {
  it('is exactly the schema the code emits (run `npm run schema` after changing a type)', async () => {
    const onDisk = fs.readFileSync(path.join(__dirname, '../../schema.graphql'), 'utf8');
    expect(onDisk).toBe(await schemaSdl());
  });
});
