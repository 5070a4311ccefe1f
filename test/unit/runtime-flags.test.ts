import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

/** The node flags a script or command gives before its entry file. */
function flagsBefore(command: string, entry: string): string[] {
  const m = new RegExp(`\\bnode ((?:--\\S+ )*)${entry.replace(/[./]/g, '\\$&')}`).exec(command);
  if (!m) throw new Error(`no "node … ${entry}" in ${command}`);
  return m[1].split(' ').filter(Boolean);
}

/** `npm start`, the container and the bench run Hookline with the same V8 flags (a larger young generation: less GC per delivery). */
describe('runtime flags', () => {
  const start = flagsBefore(pkg.scripts.start, 'dist/main.js');

  it('npm start sets the young generation size', () => {
    expect(start).toContain('--max-semi-space-size=32');
  });

  it('the Dockerfile runs the server with the same flags', () => {
    const cmd = /^CMD (\[.*\])$/m.exec(fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'))?.[1];
    expect(JSON.parse(cmd!)).toEqual(['node', ...start, 'dist/main.js']);
  });

  it('the bench gives its own process the same flags', () => {
    expect(flagsBefore(pkg.scripts.bench, 'dist-bench/bench/run.js')).toEqual(start);
  });

  it('this Node accepts them', () => {
    expect(execFileSync(process.execPath, [...start, '-e', 'process.stdout.write("ok")'], { encoding: 'utf8' })).toBe('ok');
  });
});
