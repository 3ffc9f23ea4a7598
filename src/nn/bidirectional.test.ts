import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../core/tensor.ts';
import { tensor } from '../ops/creation.ts';
import { key } from '../random/index.ts';
import { bidirectional } from './bidirectional.ts';
import { lstm, rnn } from './recurrent.ts';

const seq = (xs: number[], t: number, b: number, f: number) => tensor(new Float32Array(xs), [t, b, f]);
const reversedRows = (x: Tensor) => {
  const rows = x.toArray() as unknown[];
  return tensor(rows.reverse() as never);
};

describe('nn.bidirectional', () => {
  it('property: equals two explicit runs (forward, and backward on the reversed sequence)', () => {
    const bi = bidirectional(lstm);
    fc.assert(
      fc.property(
        fc.array(fc.float({ min: -1, max: 1, noNaN: true }), { minLength: 24, maxLength: 24 }),
        fc.nat(100),
        (xs, seed) => {
          const p = bi.init(key(seed), { in: 3, hidden: 2 });
          const x = seq(xs, 4, 2, 3);
          const [ys, states] = bi(p, x as never);
          const [fy, fs] = lstm(p.forward, x as never);
          const [by, bs] = lstm(p.backward, reversedRows(x) as never);
          const byBack = reversedRows(by as Tensor).toArray() as number[][][];
          const want = (fy as Tensor).toArray() as number[][][];
          expect(ys.shape).toEqual([4, 2, 4]);
          const got = (ys as Tensor).toArray() as number[][][];
          expect(got).toEqual(want.map((row, t) => row.map((v, b) => [...v, ...byBack[t]![b]!])));
          expect(states.forward.h.toArray()).toEqual(fs.h.toArray());
          expect(states.backward.c.toArray()).toEqual(bs.c.toArray());
        },
      ),
      { numRuns: 10 },
    );
  });

  it('works with rnn and makes independent parameters per direction', () => {
    const bi = bidirectional(rnn);
    const p = bi.init(key(0), { in: 2, hidden: 3 });
    expect(p.forward.wx.toArray()).not.toEqual(p.backward.wx.toArray());
    const [ys] = bi(p, seq([1, 2, 3, 4], 2, 1, 2) as never);
    expect(ys.shape).toEqual([2, 1, 6]);
  });
});
