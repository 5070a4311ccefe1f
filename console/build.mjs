// Bundles the operator console into dist/console/ with content-hashed file names and a manifest
// the server reads (src/http/console.ts). Prints each file's size, raw and gzipped.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = dirname(fileURLToPath(import.meta.url));
const outdir = join(root, '..', 'dist', 'console');
/** The first load must transfer less than this, gzipped (issue 10). */
const FIRST_LOAD_BUDGET_BYTES = 400 * 1024;

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
const started = Date.now();
const result = await build({
  entryPoints: [join(root, 'src', 'main.tsx')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
  outdir,
  entryNames: 'console.[hash]',
  assetNames: '[name].[hash]',
  metafile: true,
  legalComments: 'none',
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});

const files = Object.keys(result.metafile.outputs).map((p) => join(process.cwd(), p));
const pick = (ext) => files.find((f) => f.endsWith(ext));
const manifest = { script: basename(pick('.js')), style: basename(pick('.css')) };
writeFileSync(join(outdir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

let total = 0;
for (const file of files) {
  const body = readFileSync(file);
  const gz = gzipSync(body, { level: 9 }).length;
  total += gz;
  console.log(`console: ${relative(process.cwd(), file)}  ${(body.length / 1024).toFixed(1)} KiB, ${(gz / 1024).toFixed(1)} KiB gzipped`);
}
console.log(`console: first load ${(total / 1024).toFixed(1)} KiB gzipped (budget ${FIRST_LOAD_BUDGET_BYTES / 1024} KiB), built in ${Date.now() - started} ms`);
if (total > FIRST_LOAD_BUDGET_BYTES) {
  console.error('console: over the first-load budget');
  process.exit(1);
}
