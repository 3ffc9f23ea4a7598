/**
 * The public ops on every backend, from one parametrized suite: each case is computed on
 * the backend under test, read with `await t.data()`, and compared to known values
 * (computed here in float64 or written out). Covers every primitive: elementwise
 * unary/binary, compare/select/cast, reductions, movement, dot_general (matmul/einsum),
 * conv_general (conv2d/convTranspose2d), pooling (reshape/gather windows + reductions),
 * gather (take/oneHot/takeAlongAxis) and random_bits.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Tensor } from '../../src/index.ts';
import * as tg from '../../src/index.ts';
import { backendsUnderTest, expectClose, lcg, onBackend, refConv2d, values } from './helpers.ts';

const BACKENDS = await backendsUnderTest();

const f32 = (data: ArrayLike<number>, shape: number[]): Tensor<number[], 'f32'> =>
  tg.tensor(Float32Array.from(data), shape) as Tensor<number[], 'f32'>;
type T = Tensor<number[], 'f32'>;
const i32 = (data: ArrayLike<number>, shape: number[]): Tensor<number[], 'i32'> =>
  tg.tensor(Int32Array.from(data), shape) as Tensor<number[], 'i32'>;
const XS = [-2.5, -1, -0.25, 0, 0.5, 1, 2, 3.75];
const YS = [1.5, -2, 0.75, 3, -0.5, 2, -1.25, 0.5];

/** Checks a tensor's shape and values; f32 results within rtol (default 1e-5 relative). */
async function expectT(
  t: Tensor,
  shape: readonly number[],
  want: ArrayLike<number>,
  rtol = 1e-5,
  atol = 1e-6,
) {
  expect([...(t.shape as readonly number[])]).toEqual([...shape]);
  const got = await values(t);
  if (t.dtype === 'f32' || t.dtype === 'f64') expectClose(got, Array.from(want), rtol, atol);
  else expect(got.map((v) => v + 0)).toEqual(Array.from(want, (v) => v + 0)); // -0 == 0
}

describe.each(BACKENDS)('public ops on $name', ({ name, available }) => {
  const test = it.skipIf(!available);
  beforeEach(async () => {
    if (available) await tg.setBackend(name);
    return async () => tg.setBackend('cpu');
  });

  test('runs on the backend under test', () => {
    expect(tg.getBackend()).toBe(name);
    const x = f32([1, 2, 3], [3]);
    expect(tg.memory()[name]?.tensors).toBeGreaterThan(0);
    x.dispose();
  });

  test('elementwise unary', async () => {
    const x = f32(XS, [2, 4]);
    const pos = f32(
      XS.map((v) => Math.abs(v) + 0.5),
      [2, 4],
    );
    const sig = (v: number) => 1 / (1 + Math.exp(-v));
    await expectT(
      tg.neg(x),
      [2, 4],
      XS.map((v) => -v),
    );
    await expectT(tg.abs(x), [2, 4], XS.map(Math.abs));
    await expectT(tg.sign(x), [2, 4], XS.map(Math.sign));
    await expectT(tg.exp(x), [2, 4], XS.map(Math.exp));
    await expectT(
      tg.log(pos),
      [2, 4],
      XS.map((v) => Math.log(Math.abs(v) + 0.5)),
    );
    await expectT(
      tg.sqrt(pos),
      [2, 4],
      XS.map((v) => Math.sqrt(Math.abs(v) + 0.5)),
    );
    await expectT(tg.sin(x), [2, 4], XS.map(Math.sin), 1e-5, 1e-6);
    await expectT(tg.cos(x), [2, 4], XS.map(Math.cos), 1e-5, 1e-6);
    await expectT(tg.tanh(x), [2, 4], XS.map(Math.tanh));
    await expectT(tg.sigmoid(x), [2, 4], XS.map(sig));
    await expectT(
      tg.relu(x),
      [2, 4],
      XS.map((v) => Math.max(v, 0)),
    );
    await expectT(
      tg.softplus(x),
      [2, 4],
      XS.map((v) => Math.log1p(Math.exp(v))),
    );
    await expectT(
      tg.square(x),
      [2, 4],
      XS.map((v) => v * v),
    );
    await expectT(
      tg.reciprocal(pos),
      [2, 4],
      XS.map((v) => 1 / (Math.abs(v) + 0.5)),
    );
  });

  test('elementwise binary with broadcasting', async () => {
    const x = f32(XS, [2, 4]);
    const y = f32(YS, [2, 4]);
    const row = f32([1, 2, 3, 4], [4]);
    await expectT(
      tg.add(x, y),
      [2, 4],
      XS.map((v, i) => v + YS[i]!),
    );
    await expectT(
      tg.sub(x, y),
      [2, 4],
      XS.map((v, i) => v - YS[i]!),
    );
    await expectT(
      tg.mul(x, y),
      [2, 4],
      XS.map((v, i) => v * YS[i]!),
    );
    await expectT(
      tg.div(x, y),
      [2, 4],
      XS.map((v, i) => v / YS[i]!),
    );
    await expectT(
      tg.maximum(x, y),
      [2, 4],
      XS.map((v, i) => Math.max(v, YS[i]!)),
    );
    await expectT(
      tg.minimum(x, y),
      [2, 4],
      XS.map((v, i) => Math.min(v, YS[i]!)),
    );
    await expectT(
      tg.pow(tg.abs(x), y),
      [2, 4],
      XS.map((v, i) => Math.abs(v) ** YS[i]!),
    );
    await expectT(
      tg.add(x, row),
      [2, 4],
      XS.map((v, i) => v + (i % 4) + 1),
    );
    await expectT(
      tg.mul(x, 2),
      [2, 4],
      XS.map((v) => v * 2),
    );
    const a = i32([7, -7, 3, 0], [4]);
    const b = i32([2, 2, -5, 9], [4]);
    await expectT(tg.add(a, b), [4], [9, -5, -2, 9]);
    await expectT(tg.mul(a, b), [4], [14, -14, -15, 0]);
    await expectT(tg.div(a, b), [4], [3.5, -3.5, -0.6, 0]); // div promotes ints to f32
  });

  test('compare, select (where) and cast', async () => {
    const x = f32(XS, [2, 4]);
    const y = f32(YS, [2, 4]);
    const lt = tg.less(x, y);
    expect(lt.dtype).toBe('bool');
    await expectT(
      lt,
      [2, 4],
      XS.map((v, i) => (v < YS[i]! ? 1 : 0)),
    );
    await expectT(
      tg.greater(x, y),
      [2, 4],
      XS.map((v, i) => (v > YS[i]! ? 1 : 0)),
    );
    await expectT(tg.equal(x, f32([-2.5, 0, 0, 0, 0, 1, 0, 0], [2, 4])), [2, 4], [1, 0, 0, 1, 0, 1, 0, 0]);
    await expectT(
      tg.where(lt, x, y),
      [2, 4],
      XS.map((v, i) => Math.min(v, YS[i]!)),
    );
    await expectT(
      tg.cast(x, 'i32'),
      [2, 4],
      XS.map((v) => Math.trunc(v)),
    );
    await expectT(tg.cast(i32([1, -2, 3], [3]), 'f32'), [3], [1, -2, 3]);
    await expectT(
      tg.cast(x, 'bool'),
      [2, 4],
      XS.map((v) => (v !== 0 ? 1 : 0)),
    );
    await expectT(
      tg.cast(lt, 'f32'),
      [2, 4],
      XS.map((v, i) => (v < YS[i]! ? 1 : 0)),
    );
  });

  test('reductions', async () => {
    const x = f32(XS, [2, 4]);
    await expectT(tg.sum(x), [], [XS.reduce((a, b) => a + b, 0)]);
    await expectT(tg.sum(x, { axis: 1 }), [2], [-3.75, 7.25]);
    await expectT(tg.sum(x, { axis: 0, keepdims: true }), [1, 4], [-2, 0, 1.75, 3.75]);
    await expectT(tg.mean(x, { axis: 1 }), [2], [-3.75 / 4, 7.25 / 4]);
    await expectT(tg.max(x, { axis: 1 }), [2], [0, 3.75]);
    await expectT(tg.min(x, { axis: 0 }), [4], [-2.5, -1, -0.25, 0]);
    await expectT(tg.argmax(x, { axis: 1 }), [2], [3, 3]);
    await expectT(tg.argmax(f32([3, 9, 9, 1], [4])), [], [1]); // first of ties
    const lse = (r: number[]) => Math.log(r.reduce((a, v) => a + Math.exp(v), 0));
    await expectT(tg.logsumexp(x, { axis: 1 }), [2], [lse(XS.slice(0, 4)), lse(XS.slice(4))]);
    const m = XS.slice(0, 4).reduce((a, b) => a + b) / 4;
    const m2 = XS.slice(4).reduce((a, b) => a + b) / 4;
    await expectT(
      tg.variance(x, { axis: 1 }),
      [2],
      [
        XS.slice(0, 4).reduce((a, v) => a + (v - m) ** 2, 0) / 4,
        XS.slice(4).reduce((a, v) => a + (v - m2) ** 2, 0) / 4,
      ],
    );
    // a reduction bigger than one workgroup
    const big = lcg(4096, 3);
    await expectT(tg.sum(f32(big, [64, 64])), [], [Array.from(big).reduce((a, b) => a + b, 0)], 1e-4, 1e-3);
    await expectT(tg.sum(tg.tensor(Uint8Array.from([1, 0, 1, 1]), [4]) as Tensor), [], [3]);
  });

  test('movement: reshape, transpose, broadcast, concat, stack, slice, pad, squeeze', async () => {
    const x = f32([0, 1, 2, 3, 4, 5], [2, 3]);
    await expectT(tg.reshape(x, [3, 2]), [3, 2], [0, 1, 2, 3, 4, 5]);
    await expectT(tg.transpose(x), [3, 2], [0, 3, 1, 4, 2, 5]);
    await expectT(tg.broadcastTo(f32([1, 2, 3], [3]), [2, 3]), [2, 3], [1, 2, 3, 1, 2, 3]);
    await expectT(tg.concat([x, x], 1), [2, 6], [0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5]);
    await expectT(tg.stack([x, x], 0), [2, 2, 3], [0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5]);
    await expectT(tg.slice(x, [null, [0, 3, 2]]), [2, 2], [0, 2, 3, 5]);
    await expectT(tg.slice(x, [1]), [3], [3, 4, 5]);
    await expectT(
      tg.pad(x, [
        [1, 0],
        [0, 1],
      ]),
      [3, 4],
      [0, 0, 0, 0, 0, 1, 2, 0, 3, 4, 5, 0],
    );
    await expectT(
      tg.pad(
        x,
        [
          [0, 0],
          [1, 1],
        ],
        { value: -1 },
      ),
      [2, 5],
      [-1, 0, 1, 2, -1, -1, 3, 4, 5, -1],
    );
    await expectT(tg.squeeze(tg.expandDims(x, 0)), [2, 3], [0, 1, 2, 3, 4, 5]);
    await expectT(tg.flatten(tg.reshape(x, [1, 2, 3]), 1), [1, 6], [0, 1, 2, 3, 4, 5]);
    const t3 = tg.reshape(tg.arange(24), [2, 3, 4]);
    await expectT(
      tg.transpose(t3, [2, 0, 1]),
      [4, 2, 3],
      Array.from({ length: 24 }, (_, i) => {
        const k = Math.floor(i / 6);
        const a = Math.floor((i % 6) / 3);
        const b = i % 3;
        return a * 12 + b * 4 + k;
      }),
    );
  });

  test('matmul and einsum (dot_general)', async () => {
    const a = f32([1, 2, 3, 4, 5, 6], [2, 3]);
    const b = f32([7, 8, 9, 10, 11, 12], [3, 2]);
    await expectT(tg.matmul(a, b), [2, 2], [58, 64, 139, 154]);
    await expectT(tg.matmul(f32([1, 2, 3], [3]), b), [2], [58, 64]);
    const ba = f32(lcg(2 * 5 * 7, 1), [2, 5, 7]);
    const bb = f32(lcg(2 * 7 * 3, 2), [2, 7, 3]);
    const want: number[] = [];
    const av = lcg(70, 1);
    const bv = lcg(42, 2);
    for (let n = 0; n < 2; n++)
      for (let i = 0; i < 5; i++)
        for (let j = 0; j < 3; j++) {
          let s = 0;
          for (let k = 0; k < 7; k++) s += av[n * 35 + i * 7 + k]! * bv[n * 21 + k * 3 + j]!;
          want.push(s);
        }
    await expectT(tg.matmul(ba, bb), [2, 5, 3], want, 1e-4, 1e-5);
    await expectT(tg.einsum('bij,bjk->bik', ba, bb), [2, 5, 3], want, 1e-4, 1e-5);
    await expectT(tg.einsum('ij,kj->ik', a, a), [2, 2], [14, 32, 32, 77]);
    await expectT(tg.einsum('ij->j', a), [3], [5, 7, 9]);
    // a larger product crossing tile edges
    const x = lcg(33 * 65, 4);
    const y = lcg(65 * 17, 5);
    const ref: number[] = [];
    for (let i = 0; i < 33; i++)
      for (let j = 0; j < 17; j++) {
        let s = 0;
        for (let k = 0; k < 65; k++) s += x[i * 65 + k]! * y[k * 17 + j]!;
        ref.push(s);
      }
    await expectT(tg.matmul(f32(x, [33, 65]), f32(y, [65, 17])), [33, 17], ref, 1e-4, 1e-5);
  });

  test('conv2d (stride, padding) and convTranspose2d', async () => {
    const xs = [2, 3, 7, 6] as const;
    const ws = [4, 3, 3, 3] as const;
    const xv = lcg(2 * 3 * 7 * 6, 11);
    const wv = lcg(4 * 3 * 3 * 3, 12);
    const x = f32(xv, [...xs]);
    const w = f32(wv, [...ws]);
    for (const [stride, padding] of [
      [1, 0],
      [1, 1],
      [2, 1],
    ] as const) {
      const ref = refConv2d(xv, xs, wv, ws, stride, padding);
      await expectT(tg.conv2d(x, w, { stride, padding }), ref.shape, ref.data, 1e-4, 1e-5);
    }
    // convTranspose2d: x [1, 2, 3, 3], w [C_in 2, C_out 1, 2, 2], stride 2 -> [1, 1, 6, 6]
    const tx = lcg(18, 13);
    const tw = lcg(8, 14);
    const out = new Array(36).fill(0);
    for (let c = 0; c < 2; c++)
      for (let i = 0; i < 3; i++)
        for (let j = 0; j < 3; j++)
          for (let di = 0; di < 2; di++)
            for (let dj = 0; dj < 2; dj++)
              out[(i * 2 + di) * 6 + j * 2 + dj] += tx[c * 9 + i * 3 + j]! * tw[c * 4 + di * 2 + dj]!;
    await expectT(
      tg.convTranspose2d(f32(tx, [1, 2, 3, 3]), f32(tw, [2, 1, 2, 2]), { stride: 2 }),
      [1, 1, 6, 6],
      out,
      1e-4,
      1e-5,
    );
  });

  test('pooling: max and average, tiling and overlapping windows', async () => {
    const x = f32(
      Array.from({ length: 16 }, (_, i) => i),
      [1, 1, 4, 4],
    );
    await expectT(tg.maxPool2d(x, { window: 2 }), [1, 1, 2, 2], [5, 7, 13, 15]);
    await expectT(tg.avgPool2d(x, { window: 2 }), [1, 1, 2, 2], [2.5, 4.5, 10.5, 12.5]);
    await expectT(tg.maxPool2d(x, { window: 3, stride: 1 }), [1, 1, 2, 2], [10, 11, 14, 15]);
    await expectT(tg.avgPool2d(x, { window: 3, stride: 1 }), [1, 1, 2, 2], [5, 6, 9, 10]);
    await expectT(
      tg.maxPool2d(x, { window: 2, stride: 2, padding: 1 }),
      [1, 1, 3, 3],
      [0, 2, 3, 8, 10, 11, 12, 14, 15],
    );
  });

  test('gather: take, oneHot, takeAlongAxis', async () => {
    const x = f32([10, 11, 12, 13, 14, 15], [3, 2]);
    await expectT(tg.take(x, i32([2, 0], [2]), 0), [2, 2], [14, 15, 10, 11]);
    await expectT(tg.take(x, i32([5, 1, 3], [3])), [3], [15, 11, 13]);
    await expectT(tg.oneHot(i32([0, 2, 1], [3]), 3), [3, 3], [1, 0, 0, 0, 0, 1, 0, 1, 0]);
    await expectT(tg.takeAlongAxis(x, i32([1, 0, 1], [3, 1]), 1), [3, 1], [11, 12, 15]);
  });

  test('random: uniform and normal are the same numbers as on the CPU', async () => {
    const key = tg.random.key(42);
    const u = await values(tg.random.uniform(key, [8, 8]));
    const n = await values(tg.random.normal(tg.random.foldIn(key, 3), [64]));
    const [uc, nc] = await onBackend('cpu', async () => {
      const k = tg.random.key(42);
      return [
        await values(tg.random.uniform(k, [8, 8])),
        await values(tg.random.normal(tg.random.foldIn(k, 3), [64])),
      ];
    });
    expect(u).toEqual(uc); // bit-identical: the same Threefry words, exact scaling
    for (const v of u) expect(v >= 0 && v < 1).toBe(true);
    // normal goes through log, sqrt and cos: equal to within a few f32 ulps
    expectClose(n, nc, 2e-6, 2e-6);
  });
});

describe.each(BACKENDS)('transforms on $name', ({ name, available }) => {
  const test = it.skipIf(!available);
  beforeEach(async () => {
    if (available) await tg.setBackend(name);
    return async () => tg.setBackend('cpu');
  });

  test('grad of sum(tanh(x) * x)', async () => {
    const x = f32(XS, [8]);
    const g = tg.grad((v: Tensor<number[], 'f32'>) => tg.sum(tg.mul(tg.tanh(v), v)))(x);
    await expectT(
      g,
      [8],
      XS.map((v) => Math.tanh(v) + v * (1 - Math.tanh(v) ** 2)),
    );
  });

  test('grad through matmul, conv2d and maxPool2d', async () => {
    const w = f32([1, 2, 3, 4, 5, 6], [3, 2]);
    const x = f32([1, -1, 2, 0.5, 0, 1], [2, 3]);
    const gw = tg.grad((p: Tensor<number[], 'f32'>) => tg.sum(tg.matmul(x, p)))(w);
    await expectT(gw, [3, 2], [1.5, 1.5, -1, -1, 3, 3]); // column sums of x, per output
    const gradOf = async () => {
      const img = f32(lcg(36, 21), [1, 1, 6, 6]);
      const k = f32(lcg(9, 22), [1, 1, 3, 3]);
      const loss = (kk: Tensor<number[], 'f32'>) =>
        tg.sum(tg.maxPool2d(tg.conv2d(img, kk, { padding: 1 }), { window: 2 }));
      return values(tg.grad(loss)(k));
    };
    const g = await gradOf();
    const gc = await onBackend('cpu', gradOf);
    expectClose(g, gc, 1e-4, 1e-5);
  });

  test('vmap of a matrix-vector product', async () => {
    const m = f32([1, 2, 3, 4], [2, 2]);
    const vs = f32([1, 0, 0, 1, 1, 1], [3, 2]);
    const out = tg.vmap((v: Tensor<number[], 'f32'>) => tg.matmul(m, v))(vs) as Tensor;
    await expectT(out, [3, 2], [1, 3, 2, 4, 3, 7]);
  });

  test('jit equals eager and reuses its program', async () => {
    const f = (a: Tensor<number[], 'f32'>, b: Tensor<number[], 'f32'>) =>
      tg.sum(tg.mul(tg.exp(tg.sub(a, b)), tg.relu(b)), { axis: 0 });
    const jf = tg.jit(f);
    const a = f32(lcg(12, 31), [3, 4]);
    const b = f32(lcg(12, 32), [3, 4]);
    const want = await values(f(a, b));
    await expectT(jf(a, b), [4], want);
    await expectT(jf(b, a), [4], await values(f(b, a)));
    expect(jf.cacheSize).toBe(1);
  });

  test('scan: a running sum and its gradient', async () => {
    const xs = f32([1, 2, 3, 4, 5, 6], [3, 2]);
    const [carry, ys] = tg.scan(
      (c: Tensor, x: Tensor) => {
        const n = tg.add(c, x);
        return [n, tg.mul(n, 2)] as const;
      },
      tg.zeros([2]) as Tensor,
      xs as Tensor,
    );
    await expectT(carry, [2], [9, 12]);
    await expectT(ys, [3, 2], [2, 4, 8, 12, 18, 24]);
    const g = tg.grad((v: Tensor<number[], 'f32'>) => {
      const [c] = tg.scan(
        (cc: Tensor, x: Tensor) => [tg.mul(cc, x), cc] as const,
        tg.ones([2]) as Tensor,
        v as Tensor,
      );
      return tg.sum(c as T);
    })(xs);
    // carry = prod over rows; d/dx[i, j] = prod / x[i, j]
    await expectT(g, [3, 2], [15, 24, 5, 12, 3, 8]);
  });
});
