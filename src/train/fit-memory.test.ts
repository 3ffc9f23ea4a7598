/**
 * `train.fit` and `train.evaluate` keep memory flat over many steps (test/fixtures/fit-memory.ts,
 * in a child `node --expose-gc` so that collections happen where the fixture asks). Before
 * they freed what they made and yielded to the event loop, the live tensors grew by 8 a step
 * in fit and by 49 a batch in evaluate.
 */
import { describe, expect, it } from 'vitest';
import { runGcFixture } from '../../test/gc-fixture.ts';

describe('train.fit and train.evaluate memory', () => {
  it('stays flat over 512 steps and 512 batches', () => {
    const r = runGcFixture('fit-memory');
    expect(r.stderr, r.stdout).toBe('');
    const counts = r.result as { fit: number[]; evaluate: number[] };
    const all = JSON.stringify(counts);
    for (const series of [counts.fit, counts.evaluate]) {
      expect(series, all).toHaveLength(4);
      // 384 steps apart: a growth of even one tensor a step would show as 384
      expect(series.at(-1)! - series[0]!, all).toBeLessThanOrEqual(32);
      expect(Math.max(...series), all).toBeLessThan(1000);
    }
  }, 130_000);
});
