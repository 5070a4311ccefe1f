import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { printSchema } from 'graphql';
import { buildHooklineSchema } from './schema';

/** The SDL checked in as schema.graphql; a test fails when the code and the file disagree. */
export async function schemaSdl(): Promise<string> {
  return `${printSchema(await buildHooklineSchema())}\n`;
}

if (require.main === module) {
  schemaSdl().then((sdl) => {
    const file = path.resolve(__dirname, '../../schema.graphql');
    fs.writeFileSync(file, sdl);
    console.log(`wrote ${file}`);
  });
}
