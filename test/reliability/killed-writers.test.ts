/**
 * Issue 11: writers killed mid-save (SIGKILL) leave their temp file behind; the next save
 * of the same target removes the temps of dead writers and keeps those of live ones.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { saveSafetensors } from '../../src/io/node-fs.ts';

/**
 * A child that opens its temp file for `target` exactly as the library names it (pid and
 * random suffix), writes 1 MiB, then waits: a writer caught mid-save.
 */
function startWriter(target: string): Promise<ChildProcess> {
  const script = `
    const fs = require('node:fs'), path = require('node:path'), crypto = require('node:crypto');
    const t = ${JSON.stringify(target)};
    const tmp = path.join(path.dirname(t), '.' + path.basename(t) + '.' + process.pid + '.' + crypto.randomBytes(6).toString('hex') + '.tmp');
    fs.writeFileSync(tmp, Buffer.alloc(1 << 20));
    process.stdout.write('ready');
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', () => resolve(child));
    child.once('error', reject);
  });
}

const killed = (c: ChildProcess) =>
  new Promise<void>((resolve) => {
    c.once('exit', () => resolve());
    c.kill('SIGKILL');
  });

describe('killed writers', () => {
  const dirs: string[] = [];
  const live: ChildProcess[] = [];
  afterEach(async () => {
    for (const c of live.splice(0)) await killed(c);
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('the next save removes the temps of killed writers, not of live ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'typegrad-kill-'));
    dirs.push(dir);
    const target = join(dir, 'model.safetensors');
    for (let i = 0; i < 5; i++) await killed(await startWriter(target));
    live.push(await startWriter(target));
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toHaveLength(6);
    saveSafetensors(target, { w: { dtype: 'F32', shape: [2], data: new Float32Array([1, 2]) } });
    const left = readdirSync(dir).sort();
    expect(left.filter((n) => n.endsWith('.tmp'))).toEqual([expect.stringContaining(`.${live[0]!.pid}.`)]);
    expect(left).toContain('model.safetensors');
  });
});
