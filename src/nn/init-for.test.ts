/**
 * `layer.initFor(key, x, config)`: the input size comes from the example input, and the
 * parameters equal `layer.init` with that size written out, for the same key.
 */
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../core/tensor.ts';
import { nn, random, zeros } from '../index.ts';

const key = random.key(7);
const values = (tree: object): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(tree).map(([k, v]) => [k, (v as Tensor).shape ? (v as Tensor).toArray() : values(v)]),
  );
const shapes = (tree: object): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(tree).map(([k, v]) => [k, (v as Tensor).shape ? (v as Tensor).shape : shapes(v)]),
  );

describe('initFor: shapes from the example input, values as init with the size written out', () => {
  const flat = zeros([5, 12]);
  const img = zeros([2, 4, 9, 9]);
  const seq = zeros([6, 3, 5]);

  it('dense: in = last dim (any rank), with and without bias', () => {
    const p = nn.dense.initFor(key, flat, { out: 7 });
    expect(shapes(p)).toEqual({ w: [12, 7], b: [7] });
    expect(values(p)).toEqual(values(nn.dense.init(key, { in: 12, out: 7 })));
    const q = nn.dense.initFor(key, zeros([2, 3, 12]), { out: 7, bias: false, dtype: 'f64' });
    expect(shapes(q)).toEqual({ w: [12, 7] });
    expect(q.w.dtype).toBe('f64');
    expect(values(q)).toEqual(values(nn.dense.init(key, { in: 12, out: 7, bias: false, dtype: 'f64' })));
  });

  it('convolutions: in = channel axis 1, groups and kernel tuples as in init', () => {
    const c2 = nn.conv2d.initFor(key, img, { out: 6, kernel: [3, 2], groups: 2 });
    expect(shapes(c2)).toEqual({ w: [6, 2, 3, 2], b: [6] });
    expect(values(c2)).toEqual(values(nn.conv2d.init(key, { in: 4, out: 6, kernel: [3, 2], groups: 2 })));
    const c1 = nn.conv1d.initFor(key, seq, { out: 2, kernel: 3 });
    expect(shapes(c1)).toEqual({ w: [2, 3, 3], b: [2] });
    expect(values(c1)).toEqual(values(nn.conv1d.init(key, { in: 3, out: 2, kernel: 3 })));
    const c3 = nn.conv3d.initFor(key, zeros([1, 2, 4, 4, 4]), { out: 3, kernel: 2 });
    expect(shapes(c3)).toEqual({ w: [3, 2, 2, 2, 2], b: [3] });
    expect(values(c3)).toEqual(values(nn.conv3d.init(key, { in: 2, out: 3, kernel: 2 })));
    const ct = nn.convTranspose2d.initFor(key, img, { out: 3, kernel: 2 });
    expect(shapes(ct)).toEqual({ w: [4, 3, 2, 2], b: [3] });
    expect(values(ct)).toEqual(values(nn.convTranspose2d.init(key, { in: 4, out: 3, kernel: 2 })));
  });

  it('norms: layerNorm over the last dim, batch and group norm over axis 1', () => {
    expect(values(nn.layerNorm.initFor(key, flat))).toEqual(values(nn.layerNorm.init(key, { features: 12 })));
    expect(shapes(nn.batchNorm.initFor(null, img))).toEqual({ gamma: [4], beta: [4] });
    expect(values(nn.batchNorm.initStateFor(img, { dtype: 'f64' }))).toEqual(
      values(nn.batchNorm.initState({ features: 4, dtype: 'f64' })),
    );
    expect(values(nn.groupNorm.initFor(null, img))).toEqual(values(nn.groupNorm.init(null, { features: 4 })));
  });

  it('recurrent layers: in = the feature dim of [T, B, F]; bidirectional per direction', () => {
    const r = nn.rnn.initFor(key, seq, { hidden: 4 });
    expect(shapes(r)).toEqual({ wx: [5, 4], wh: [4, 4], b: [4] });
    expect(values(r)).toEqual(values(nn.rnn.init(key, { in: 5, hidden: 4 })));
    const l = nn.lstm.initFor(key, seq, { hidden: 2, forgetBias: 1 });
    expect(shapes(l)).toEqual({ wx: [5, 8], wh: [2, 8], b: [8] });
    expect(values(l)).toEqual(values(nn.lstm.init(key, { in: 5, hidden: 2, forgetBias: 1 })));
    expect(values(nn.gru.initFor(key, seq, { hidden: 3 }))).toEqual(
      values(nn.gru.init(key, { in: 5, hidden: 3 })),
    );
    const bi = nn.bidirectional(nn.gru);
    const b = bi.initFor(key, seq, { hidden: 3 });
    expect(shapes(b.forward)).toEqual({ wx: [5, 9], wh: [3, 9], bx: [9], bh: [9] });
    expect(values(b)).toEqual(values(bi.init(key, { in: 5, hidden: 3 })));
    const [ys] = bi(b, seq as never);
    expect(ys.shape).toEqual([6, 3, 6]);
  });

  it('multiHeadAttention: dim = last dim of [B, T, D]', () => {
    const m = nn.multiHeadAttention.initFor(key, zeros([2, 3, 8]), { heads: 2 });
    expect(shapes(m)).toEqual({ wq: [8, 2, 4], wk: [8, 2, 4], wv: [8, 2, 4], wo: [2, 4, 8] });
    expect(values(m)).toEqual(values(nn.multiHeadAttention.init(key, { dim: 8, heads: 2 })));
  });

  it('bad input: names the function and the bad value', () => {
    expect(() => nn.dense.initFor(key, [1, 2] as never, { out: 3 })).toThrow(
      'nn.dense.initFor: the example input must be a Tensor, got',
    );
    expect(() => nn.conv2d.initFor(key, flat as never, { out: 3, kernel: 3 })).toThrow(
      'nn.conv2d.initFor: input rank 2 and expected rank 4 differ',
    );
    expect(() => nn.lstm.initFor(key, flat as never, { hidden: 3 })).toThrow(
      'nn.lstm.initFor: input rank 2 and expected rank 3 differ',
    );
    expect(() => nn.dense.initFor(key, flat, { in: 12, out: 3 } as never)).toThrow(
      'nn.dense.initFor: config.in comes from the example input',
    );
    expect(() => nn.dense.initFor(key, flat, { out: 3, outs: 4 } as never)).toThrow(/nn\.dense\.init.*outs/);
    expect(() => nn.dense.initFor(key, flat, null as never)).toThrow(
      'nn.dense.initFor: config must be an object, got null',
    );
    expect(() => nn.layerNorm.initFor(key, zeros([]))).toThrow('nn.layerNorm.initFor: the example input');
  });
});
