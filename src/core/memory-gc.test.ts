/**
 * The FinalizationRegistry safety net (memory.ts) frees tensors a program dropped without
 * disposing them, also the small ones whose registration is deferred; and a disposed tensor's
 * buffer is not kept by that net. Collection is made deterministic by running in a child
 * `node --expose-gc` that calls gc() itself.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('dropped tensors', () => {
  it('are freed by the garbage collector, small (deferred registration) and large alike', () => {
    const script = fileURLToPath(new URL('../../test/fixtures/dropped-tensors.ts', import.meta.url));
    const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', script], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout.trim().split('\n').at(-1)!)).toEqual({ dropped: 1013, left: 0 });
  }, 130_000);
});

describe('disposed tensors', () => {
  it('give their buffers back to the collector at once, also in a loop that never yields', () => {
    const script = fileURLToPath(new URL('../../test/fixtures/disposed-buffers.ts', import.meta.url));
    const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', script], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, number>;
    // 60 steps of a scan's training step: 180 MB kept when a freed storage held its buffer
    expect(out.growthMB).toBeLessThanOrEqual(8);
    expect(out.liveAfter).toBe(out.liveBefore);
  }, 130_000);
});
