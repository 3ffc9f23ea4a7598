import { describe, expect, it } from 'vitest';
import type { Tensor } from '../core/tensor.ts';
import { tensor } from '../ops/creation.ts';
import { add } from '../ops/elementwise.ts';
import { slice } from '../ops/shape.ts';
import * as random from '../random/index.ts';
import type { Shape } from '../shapes/dim.ts';
import { grad } from '../transforms/api.ts';
import { attention, causalMask, multiHeadAttention } from './attention.ts';
import { conv2d } from './conv.ts';
import { dense } from './dense.ts';
import { dropout } from './dropout.ts';
import { embedding } from './embedding.ts';
import { flatten } from './flatten.ts';
import * as nn from './index.ts';
import { layerNorm } from './norm.ts';
import { lstm, rnn } from './recurrent.ts';

const key = random.key(42);
const flat = (t: Tensor) => Array.from(t.dataSync() as ArrayLike<number>);
function close(actual: Tensor | number[], expected: number[], digits = 5) {
  const a = Array.isArray(actual) ? actual : flat(actual);
  expect(a.length).toBe(expected.length);
  a.forEach((v, i) => {
    expect(v).toBeCloseTo(expected[i]!, digits);
  });
}
const rand = (n: number, seed: number) => {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return (s / 2 ** 31) * 2 - 1;
  });
};
const sigm = (v: number) => 1 / (1 + Math.exp(-v));

describe('dense', () => {
  it('computes x @ w + b', () => {
    const p = {
      w: tensor([
        [1, 2],
        [3, 4],
        [5, 6],
      ]),
      b: tensor([0.5, -1]),
    };
    const y = dense(
      p,
      tensor([
        [1, 0, -1],
        [2, 1, 0],
      ]),
    );
    expect(y.shape).toEqual([2, 2]);
    close(y, [-3.5, -5, 5.5, 7]);
  });
  it('init gives [in, out] Glorot-uniform weights and zero bias', () => {
    const p = dense.init(key, { in: 30, out: 20 });
    expect(p.w.shape).toEqual([30, 20]);
    expect(p.b.shape).toEqual([20]);
    const a = Math.sqrt(6 / 50);
    const w = flat(p.w);
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(a);
    expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(a * 0.9);
    expect(flat(p.b)).toEqual(new Array(20).fill(0));
    expect(flat(dense.init(key, { in: 30, out: 20 }).w)).toEqual(w); // same key, same numbers
  });
  it('accepts leading batch dims and f64', () => {
    const p = dense.init(key, { in: 3, out: 2, dtype: 'f64' });
    const y = dense(p, tensor(new Float64Array(12), [2, 2, 3]));
    expect(y.shape).toEqual([2, 2, 2]);
    expect(y.dtype).toBe('f64');
  });
  it('throws the nn.dense ShapeError at run time', () => {
    const p = dense.init(key, { in: 3, out: 2 });
    expect(() => dense(p, tensor(new Float32Array(8), [2, 4]) as never)).toThrow(
      'nn.dense: input features 4 and weight rows 3 differ',
    );
  });
});

/** Naive NCHW/OIHW convolution for reference. */
function convRef(
  x: number[],
  [n, c, h, w]: readonly [number, number, number, number],
  k: number[],
  [o, ig, kh, kw]: readonly [number, number, number, number],
  b: number[],
  { stride = 1, pad = 0, dil = 1, groups = 1 } = {},
) {
  const oh = Math.floor((h + 2 * pad - dil * (kh - 1) - 1) / stride) + 1;
  const ow = Math.floor((w + 2 * pad - dil * (kw - 1) - 1) / stride) + 1;
  const out: number[] = [];
  const og = o / groups;
  for (let ni = 0; ni < n!; ni++)
    for (let oi = 0; oi < o!; oi++)
      for (let y = 0; y < oh; y++)
        for (let xx = 0; xx < ow; xx++) {
          let s = b[oi]!;
          const g = Math.floor(oi / og);
          for (let ci = 0; ci < ig!; ci++)
            for (let a = 0; a < kh!; a++)
              for (let bb = 0; bb < kw!; bb++) {
                const iy = y * stride - pad + a * dil;
                const ix = xx * stride - pad + bb * dil;
                if (iy < 0 || ix < 0 || iy >= h! || ix >= w!) continue;
                const cc = g * ig! + ci;
                s += x[((ni * c! + cc) * h! + iy) * w! + ix]! * k[((oi * ig! + ci) * kh! + a) * kw! + bb]!;
              }
          out.push(s);
        }
  return { out, shape: [n, o, oh, ow] };
}

describe('conv2d', () => {
  it('matches a hand-computed 2x2 kernel with bias', () => {
    const x = tensor([
      [
        [
          [1, 2, 3],
          [4, 5, 6],
          [7, 8, 9],
        ],
      ],
    ]);
    const p = {
      w: tensor([
        [
          [
            [1, 2],
            [3, 4],
          ],
        ],
      ]),
      b: tensor([10]),
    };
    const y = conv2d(p, x);
    expect(y.shape).toEqual([1, 1, 2, 2]);
    // 1*1 + 2*2 + 4*3 + 5*4 = 37, etc.
    close(y, [47, 57, 77, 87]);
  });
  it('matches a naive loop with stride, padding, dilation and groups', () => {
    const xs = [2, 4, 6, 5] as const;
    const ws = [6, 2, 3, 3] as const;
    const xv = rand(2 * 4 * 6 * 5, 1);
    const wv = rand(6 * 2 * 3 * 3, 2);
    const bv = rand(6, 3);
    const p = { w: tensor(wv, ws), b: tensor(bv, [6]) };
    const x = tensor(xv, xs);
    for (const o of [
      { stride: 2, pad: 1, dil: 1 },
      { stride: 1, pad: 2, dil: 2 },
    ]) {
      const y = conv2d(p, x, { stride: o.stride, padding: o.pad, dilation: o.dil, groups: 2 });
      const r = convRef(xv, xs, wv, ws, bv, { ...o, groups: 2 });
      expect(y.shape).toEqual(r.shape);
      close(y, r.out, 4);
    }
  });
  it('init makes OIHW weights [out, in / groups, kh, kw]', () => {
    const p = conv2d.init(key, { in: 4, out: 6, kernel: [3, 5], groups: 2 });
    expect(p.w.shape).toEqual([6, 2, 3, 5]);
    expect(p.b.shape).toEqual([6]);
    // fanIn = 2*15, fanOut = 6*15
    expect(Math.max(...flat(p.w).map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / (30 + 90)));
    expect(() => conv2d.init(key, { in: 3, out: 6, kernel: 3, groups: 2 })).toThrow('divisible');
  });
});

describe('pooling and flatten', () => {
  const x = tensor([
    [
      [
        [1, 2, 3, 4],
        [5, 6, 7, 8],
        [9, 10, 11, 12],
        [13, 14, 15, 16],
      ],
    ],
  ]);
  it('maxPool2d and avgPool2d', () => {
    close(nn.maxPool2d(x, { window: 2 }), [6, 8, 14, 16]);
    close(nn.avgPool2d(x, { window: 2 }), [3.5, 5.5, 11.5, 13.5]);
    close(nn.maxPool2d(x, { window: 3, stride: 1 }), [11, 12, 15, 16]);
  });
  it('flatten keeps the batch dim', () => {
    const y = flatten(
      tensor(
        new Float32Array(2 * 3 * 2 * 2).map((_, i) => i),
        [2, 3, 2, 2],
      ),
    );
    expect(y.shape).toEqual([2, 12]);
    expect(flat(y)[13]).toBe(13);
  });
});

describe('dropout', () => {
  const x = tensor(new Float32Array(10000).fill(1), [100, 100]);
  it('is the identity when not training', () => {
    expect(dropout(key, 0.5, x, { training: false })).toBe(x);
    expect(dropout(key, 0, x, { training: true })).toBe(x);
  });
  it('zeroes about `rate` of the elements and scales the rest by 1 / (1 - rate)', () => {
    const v = flat(dropout(key, 0.25, x, { training: true }));
    const kept = v.filter((e) => e !== 0);
    expect(kept.every((e) => Math.abs(e - 1 / 0.75) < 1e-6)).toBe(true);
    expect(kept.length / v.length).toBeGreaterThan(0.73);
    expect(kept.length / v.length).toBeLessThan(0.77);
    expect(flat(dropout(key, 0.25, x, { training: true }))).toEqual(v); // deterministic per key
    expect(flat(dropout(random.key(7), 0.25, x, { training: true }))).not.toEqual(v);
  });
  it('rate 1 gives zeros; bad rates throw', () => {
    expect(flat(dropout(key, 1, x, { training: true })).every((e) => e === 0)).toBe(true);
    expect(() => dropout(key, 1.5, x, { training: true })).toThrow('rate');
  });
});

describe('embedding', () => {
  it('takes rows by i32 ids', () => {
    const p = {
      table: tensor([
        [0, 1],
        [2, 3],
        [4, 5],
      ]),
    };
    const y = embedding(
      p,
      tensor(
        [
          [2, 0],
          [1, 1],
        ],
        { dtype: 'i32' },
      ),
    );
    expect(y.shape).toEqual([2, 2, 2]);
    close(y, [4, 5, 0, 1, 2, 3, 2, 3]);
  });
  it('its gradient counts each row use', () => {
    const p = {
      table: tensor([
        [0, 1],
        [2, 3],
        [4, 5],
      ]),
    };
    const ids = tensor([1, 1, 2], { dtype: 'i32' });
    const g = grad((q: typeof p) =>
      nn.mse(
        embedding(q, ids),
        tensor([
          [0, 0],
          [0, 0],
          [0, 0],
        ]),
      ),
    )(p);
    // d/dtable mean((t - 0)^2) over 6 elements = 2 t / 6 per use
    close(g.table, [0, 0, (2 * 2 * 2) / 6, (2 * 2 * 3) / 6, (2 * 4) / 6, (2 * 5) / 6]);
  });
  it('init is [vocab, dim]', () => {
    expect(embedding.init(key, { vocab: 11, dim: 4 }).table.shape).toEqual([11, 4]);
  });
});

describe('layerNorm', () => {
  it('normalises the last axis with gamma and beta', () => {
    const p = { gamma: tensor([1, 2, 3]), beta: tensor([0, 0, 1]) };
    const y = layerNorm(
      p,
      tensor([
        [1, 2, 3],
        [2, 2, 2],
      ]),
      { eps: 1e-5 },
    );
    const s = Math.sqrt(2 / 3 + 1e-5);
    close(y, [-1 / s, 0, 1 + 3 / s, 0, 0, 1]);
  });
  it('init gives ones and zeros; a wrong feature size throws', () => {
    const p = layerNorm.init(key, { features: 4 });
    close(p.gamma, [1, 1, 1, 1]);
    close(p.beta, [0, 0, 0, 0]);
    expect(() => layerNorm(p, tensor([[1, 2, 3]]) as never)).toThrow(
      'nn.layerNorm: input last dim 3 and features 4 differ',
    );
  });
});

describe('rnn', () => {
  it('matches hand-computed Elman steps', () => {
    const p = { wx: tensor([[0.5]]), wh: tensor([[2]]), b: tensor([0.1]) };
    const [ys, hT] = rnn(p, tensor([[[1]], [[-1]]]));
    const h1 = Math.tanh(0.6);
    const h2 = Math.tanh(-0.5 + 2 * h1 + 0.1);
    expect(ys.shape).toEqual([2, 1, 1]);
    close(ys, [h1, h2]);
    close(hT, [h2]);
  });
  it('starts from h0 and init has the right shapes', () => {
    const p = rnn.init(key, { in: 3, hidden: 4 });
    expect([p.wx.shape, p.wh.shape, p.b.shape]).toEqual([[3, 4], [4, 4], [4]]);
    const h0 = tensor([[0.3]]);
    const q = { wx: tensor([[0.5]]), wh: tensor([[2]]), b: tensor([0.1]) };
    const [, hT] = rnn(q, tensor([[[1]]]), { initial: h0 });
    close(hT, [Math.tanh(0.5 + 0.6 + 0.1)]);
  });
});

/** Plain-JS LSTM, gate order i, f, g, o. */
function lstmRef(
  wx: number[],
  wh: number[],
  b: number[],
  xs: number[],
  T: number,
  B: number,
  F: number,
  H: number,
) {
  let h = new Array(B * H).fill(0);
  let c = new Array(B * H).fill(0);
  const ys: number[] = [];
  for (let t = 0; t < T; t++) {
    const nh: number[] = [];
    const nc: number[] = [];
    for (let bi = 0; bi < B; bi++) {
      const z = (j: number) => {
        let s = b[j]!;
        for (let f = 0; f < F; f++) s += xs[(t * B + bi) * F + f]! * wx[f * 4 * H + j]!;
        for (let k = 0; k < H; k++) s += h[bi * H + k]! * wh[k * 4 * H + j]!;
        return s;
      };
      for (let u = 0; u < H; u++) {
        const i = sigm(z(u));
        const f = sigm(z(H + u));
        const g = Math.tanh(z(2 * H + u));
        const o = sigm(z(3 * H + u));
        const cc = f * c[bi * H + u]! + i * g;
        nc.push(cc);
        nh.push(o * Math.tanh(cc));
      }
    }
    h = nh;
    c = nc;
    ys.push(...h);
  }
  return { ys, h, c };
}

describe('lstm', () => {
  it('matches a plain-JS LSTM (gate order i, f, g, o) over a sequence', () => {
    const [T, B, F, H] = [3, 2, 2, 3];
    const wx = rand(F * 4 * H, 5);
    const wh = rand(H * 4 * H, 6);
    const b = rand(4 * H, 7);
    const xs = rand(T * B * F, 8);
    const p = { wx: tensor(wx, [F, 4 * H]), wh: tensor(wh, [H, 4 * H]), b: tensor(b, [4 * H]) };
    const [ys, s] = lstm(p, tensor(xs, [T, B, F]));
    const r = lstmRef(wx, wh, b, xs, T, B, F, H);
    expect(ys.shape).toEqual([T, B, H]);
    close(ys, r.ys);
    close(s.h, r.h);
    close(s.c, r.c);
    // one cell step equals the first output
    const s1 = lstm.cell(
      p,
      { h: tensor(new Float32Array(B * H), [B, H]), c: tensor(new Float32Array(B * H), [B, H]) },
      slice(tensor(xs, [T, B, F]), [0]) as Tensor<[number, number]>,
    );
    close(s1.h, r.ys.slice(0, B * H));
  });
  it('init: [F, 4H], [H, 4H], [4H] with the forget bias', () => {
    const p = lstm.init(key, { in: 5, hidden: 3, forgetBias: 1 });
    expect([p.wx.shape, p.wh.shape, p.b.shape]).toEqual([[5, 12], [3, 12], [12]]);
    close(p.b, [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
  });
  it('rejects a wrong feature size at run time', () => {
    const p = lstm.init(key, { in: 5, hidden: 3 });
    expect(() => lstm(p, tensor(new Float32Array(24), [2, 3, 4]) as never)).toThrow(
      'nn.lstm: input last dim 4 and features 5 differ',
    );
  });
});

/** Plain-JS attention on [T, D] matrices. */
function attnRef(
  q: number[],
  k: number[],
  v: number[],
  tq: number,
  tk: number,
  d: number,
  dv: number,
  mask?: boolean[],
) {
  const out: number[] = [];
  for (let i = 0; i < tq; i++) {
    const s = Array.from({ length: tk }, (_, j) => {
      if (mask && !mask[i * tk + j]) return Number.NEGATIVE_INFINITY;
      let acc = 0;
      for (let a = 0; a < d; a++) acc += q[i * d + a]! * k[j * d + a]!;
      return acc / Math.sqrt(d);
    });
    const m = Math.max(...s);
    const e = s.map((x) => Math.exp(x - m));
    const z = e.reduce((a, b) => a + b, 0);
    for (let c = 0; c < dv; c++) out.push(e.reduce((acc, w, j) => acc + (w / z) * v[j * dv + c]!, 0));
  }
  return out;
}

describe('attention', () => {
  const [tq, tk, d, dv] = [3, 4, 2, 3];
  const q = rand(tq * d, 11);
  const k = rand(tk * d, 12);
  const v = rand(tk * dv, 13);
  it('matches softmax(q kᵀ / sqrt(d)) v', () => {
    const y = attention(tensor(q, [1, tq, d]), tensor(k, [1, tk, d]), tensor(v, [1, tk, dv]));
    expect(y.shape).toEqual([1, tq, dv]);
    close(y, attnRef(q, k, v, tq, tk, d, dv));
  });
  it('masks with a bool mask (causal)', () => {
    const qs = rand(4 * d, 14);
    const y = attention(tensor(qs, [4, d]), tensor(k, [4, d]), tensor(v, [4, dv]), { mask: causalMask(4) });
    const mask = Array.from({ length: 16 }, (_, i) => i % 4 <= Math.floor(i / 4));
    close(y, attnRef(qs, k, v, 4, 4, d, dv, mask));
    close(slice(y, [0]) as Tensor, v.slice(0, dv)); // the first query sees only key 0
  });
  it('multiHeadAttention equals the sum over heads of attention per head', () => {
    const p = multiHeadAttention.init(key, { dim: 4, heads: 2 });
    expect(p.wq.shape).toEqual([4, 2, 2]);
    expect(p.wo.shape).toEqual([2, 2, 4]);
    const x = tensor(rand(2 * 3 * 4, 15), [2, 3, 4]);
    const y = multiHeadAttention(p, x);
    expect(y.shape).toEqual([2, 3, 4]);
    const zero = (n: number) => tensor(new Float32Array(n), [n]) as Tensor<[number], 'f32'>;
    const heads = [0, 1].map((h) => {
      const proj = (wt: Tensor) =>
        dense(
          { w: slice(wt, [null, h]) as Tensor<[number, number], 'f32'>, b: zero(2) },
          x as Tensor<[2, 3, 4]>,
        );
      const o = attention(proj(p.wq) as Tensor<Shape, 'f32'>, proj(p.wk) as Tensor, proj(p.wv) as Tensor);
      return dense(
        { w: slice(p.wo, [h]) as Tensor<[number, number], 'f32'>, b: zero(4) },
        o as Tensor<[2, 3, 2]>,
      );
    });
    const expected = add(heads[0]! as Tensor, heads[1]! as Tensor);
    close(y, flat(expected!), 4);
  });
});
