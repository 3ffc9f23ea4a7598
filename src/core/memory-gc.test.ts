/**
 * The FinalizationRegistry safety net (memory.ts) frees tensors a program dropped without
 * disposing them, also the small ones whose registration is deferred; and a disposed tensor's
 * buffer is not kept by that net. Collection is made deterministic by running in a child
 * `node --expose-gc` that calls gc() itself.
 */
import { describe, expect, it } from 'vitest';
import { runGcFixture } from '../../test/gc-fixture.ts';

describe('dropped tensors', () => {
  it('are freed by the garbage collector, small (deferred registration) and large alike', () => {
    const r = runGcFixture('dropped-tensors');
    expect(r.stderr).toBe('');
    expect(r.result).toEqual({ dropped: 1013, left: 0 });
  }, 130_000);
});

describe('disposed tensors', () => {
  it('give their buffers back to the collector at once, also in a loop that never yields', () => {
    const r = runGcFixture('disposed-buffers');
    expect(r.stderr).toBe('');
    const out = r.result as Record<string, number>;
    // 60 steps of a scan's training step: 180 MB kept when a freed storage held its buffer
    expect(out.growthMB).toBeLessThanOrEqual(8);
    expect(out.liveAfter).toBe(out.liveBefore);
  }, 130_000);
});
