/**
 * Runs a memory fixture (test/fixtures/NAME.ts) in a child `node --expose-gc`, so that
 * collections happen exactly where the fixture calls gc(), and returns what it printed:
 * its stderr, its stdout and its last stdout line parsed as JSON (the fixture's result).
 *
 * @example
 * const { stderr, result } = runGcFixture('dropped-tensors');
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface GcFixtureRun {
  readonly stderr: string;
  readonly stdout: string;
  readonly result: unknown;
}

export function runGcFixture(name: string): GcFixtureRun {
  const script = fileURLToPath(new URL(`./fixtures/${name}.ts`, import.meta.url));
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', script], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  const last = r.stdout.trim().split('\n').at(-1) ?? '';
  let result: unknown;
  try {
    result = JSON.parse(last);
  } catch {
    result = undefined; // the assertions on stderr/stdout then say what the child printed
  }
  return { stderr: r.stderr, stdout: r.stdout, result };
}
