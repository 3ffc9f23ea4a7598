/**
 * `train.fit` and `train.evaluate` keep memory flat over many steps (test/fixtures/fit-memory.ts,
 * in a child `node --expose-gc` so that collections happen where the fixture asks). Before
 * they freed what they made and yielded to the event loop, the live tensors grew by 8 a step
 * in fit and by 49 a batch in evaluate.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('train.fit and train.evaluate memory', () => {
  it('stays flat over 512 steps and 512 batches', () => {
    const script = fileURLToPath(new URL('../../test/fixtures/fit-memory.ts', import.meta.url));
    const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', script], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.stderr, r.stdout).toBe('');
    const counts = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { fit: number[]; evaluate: number[] };
    const all = JSON.stringify(counts);
    for (const series of [counts.fit, counts.evaluate]) {
      expect(series, all).toHaveLength(4);
      // 384 steps apart: a growth of even one tensor a step would show as 384
      expect(series.at(-1)! - series[0]!, all).toBeLessThanOrEqual(32);
      expect(Math.max(...series), all).toBeLessThan(1000);
    }
  }, 130_000);
});
