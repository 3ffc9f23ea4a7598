import { describe, expect, it } from 'vitest';
import { threefry2x32 } from '../../random/threefry.ts';
import { run } from './test-helpers.ts';

describe('random_bits', () => {
  it('word i is word (i mod 2) of threefry2x32(key, [floor(i/2), stream]), as i32 bits', () => {
    const key = [42, -7];
    const out = run(
      'random_bits',
      [{ data: key, shape: [2], dtype: 'i32' }],
      { shape: [5], stream: 3 },
      [5],
      'i32',
    );
    const expected: number[] = [];
    for (let j = 0; j < 3; j++) {
      const [y0, y1] = threefry2x32(42, -7 >>> 0, j, 3);
      expected.push(y0 | 0, y1 | 0);
    }
    expect(out).toEqual(expected.slice(0, 5));
  });
  it('matches the Random123 known answer for key 0, counter 0 (threefry2x32_20)', () => {
    // Random123 kat_vectors: threefry2x32 20 rounds, ctr {0,0}, key {0,0} → {6b200159, 99ba4efe}
    const out = run(
      'random_bits',
      [{ data: [0, 0], shape: [2], dtype: 'i32' }],
      { shape: [2], stream: 0 },
      [2],
      'i32',
    );
    expect(out.map((v) => (v >>> 0).toString(16))).toEqual(['6b200159', '99ba4efe']);
  });
  it('different streams give different bits; shape only sets the count', () => {
    const k = { data: [1, 2], shape: [2], dtype: 'i32' as const };
    const a = run('random_bits', [k], { shape: [2, 2], stream: 0 }, [2, 2], 'i32');
    const b = run('random_bits', [k], { shape: [4], stream: 1 }, [4], 'i32');
    const c = run('random_bits', [k], { shape: [4], stream: 0 }, [4], 'i32');
    expect(a).not.toEqual(b);
    expect(a).toEqual(c);
  });
});
