import { describe, expect, it } from 'vitest';
import { tensor, zeros } from '../ops/creation.ts';
import { key } from '../random/index.ts';
import { dense } from './dense.ts';
import { summary } from './summary.ts';

describe('nn.summary', () => {
  it('lists paths, shapes, counts and bytes with totals', () => {
    const p = {
      enc: dense.init(key(0), { in: 784, out: 10 }),
      layers: [{ s: zeros([3], { dtype: 'f64' }) }],
    };
    const s = summary(p);
    expect(s.rows).toEqual([
      { path: 'enc.w', shape: [784, 10], dtype: 'f32', count: 7840, bytes: 31360 },
      { path: 'enc.b', shape: [10], dtype: 'f32', count: 10, bytes: 40 },
      { path: 'layers.0.s', shape: [3], dtype: 'f64', count: 3, bytes: 24 },
    ]);
    expect(s.totalCount).toBe(7853);
    expect(s.totalBytes).toBe(31424);
    expect(s.table.split('\n')).toEqual([
      'path        shape      dtype  params     bytes',
      '----------------------------------------------',
      'enc.w       [784, 10]  f32     7,840  30.6 KiB',
      'enc.b       [10]       f32        10      40 B',
      'layers.0.s  [3]        f64         3      24 B',
      '----------------------------------------------',
      'total                          7,853  30.7 KiB',
    ]);
  });

  it('names a lone tensor (root) and rejects a tree without tensors', () => {
    expect(summary(tensor([1, 2])).rows[0]!.path).toBe('(root)');
    expect(() => summary({ a: 1 })).toThrow('nn.summary: params has no tensors');
  });
});
