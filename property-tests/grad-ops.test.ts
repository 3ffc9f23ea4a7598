/**
 * The public ops (src/index.ts): jvp and vjp against finite differences in f64, on random
 * values (and random broadcast / matmul / conv shapes), away from kinks and ties.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import * as tg from '../src/index.ts';
import { scope } from '../src/index.ts';
import type { HostTensor } from '../src/testing/index.ts';
import {
  arbBroadcastPair,
  arbHostTensor,
  arbMatmulPair,
  checkGrads,
  hostTensor,
} from '../src/testing/index.ts';
import { distinct } from './prim-cases.ts';

type H = HostTensor<number[]>;
type Fn = (...xs: any[]) => unknown;
interface OpCase {
  readonly data: fc.Arbitrary<H[]>;
  readonly fn: Fn;
}

const f64 = (shape: number[], min = -1.5, max = 1.5, minAbs = 0) =>
  arbHostTensor(shape, { min, max, minAbs }) as fc.Arbitrary<H>;
const one = (shape: number[], fn: Fn, min?: number, max?: number, minAbs?: number): OpCase => ({
  data: fc.tuple(f64(shape, min, max, minAbs)),
  fn,
});
const idx = (shape: number[], n: number) =>
  arbHostTensor(shape, { dtype: 'i32', min: 0, max: n - 1 }) as unknown as fc.Arbitrary<H>;

const broadcastBinary = (
  fn: Fn,
  b?: (s: number[]) => fc.Arbitrary<H>,
  a?: (s: number[]) => fc.Arbitrary<H>,
): OpCase => ({
  data: arbBroadcastPair({ maxRank: 3, maxDim: 3 }).chain((p) =>
    fc.tuple((a ?? ((s) => f64(s)))(p.a), (b ?? ((s) => f64(s)))(p.b)),
  ),
  fn,
});

/** Pairs apart from each other by at least 0.05 (maximum/minimum without ties). */
const apartPair = (shape: number[]) =>
  fc.tuple(f64(shape), f64(shape, -1, 1, 0.05)).map(([a, d]) => [
    a,
    hostTensor(
      shape,
      'f64',
      Float64Array.from(a.data as Float64Array, (v, i) => v + (d.data[i] as number)),
    ) as H,
  ]);

const cases: Record<string, OpCase> = {
  add: broadcastBinary(tg.add),
  sub: broadcastBinary(tg.sub),
  mul: broadcastBinary(tg.mul),
  div: broadcastBinary(tg.div, (s) => f64(s, -2, 2, 0.3)),
  pow: broadcastBinary(
    tg.pow,
    (s) => f64(s, -2, 2),
    (s) => f64(s, 0.3, 2),
  ),
  maximum: { data: apartPair([2, 3]), fn: tg.maximum },
  minimum: { data: apartPair([3, 2]), fn: tg.minimum },
  where: {
    data: fc.tuple(
      arbHostTensor([2, 3], { dtype: 'bool' }) as unknown as fc.Arbitrary<H>,
      f64([2, 3]),
      f64([3]),
    ),
    fn: (c, a, b) => tg.where(c, a, b),
  },
  neg: one([2, 3], tg.neg),
  exp: one([2, 3], tg.exp),
  log: one([2, 3], tg.log, 0.2, 3),
  sqrt: one([2, 3], tg.sqrt, 0.2, 3),
  abs: one([2, 3], tg.abs, -2, 2, 0.05),
  sin: one([2, 3], tg.sin),
  cos: one([2, 3], tg.cos),
  square: one([2, 3], tg.square),
  reciprocal: one([2, 3], tg.reciprocal, -2, 2, 0.3),
  clip: one([2, 3], (x) => tg.clip(x, -0.5, 0.5), -2, 2, 0.01),
  cast: one([2, 3], (x) => tg.cast(tg.cast(x, 'f32'), 'f64')),
  relu: one([2, 3], tg.relu, -2, 2, 0.05),
  sigmoid: one([2, 3], tg.sigmoid, -3, 3),
  tanh: one([2, 3], tg.tanh, -2, 2),
  softplus: one([2, 3], tg.softplus, -3, 3, 0.05),
  gelu: one([2, 3], tg.gelu, -3, 3),
  leakyRelu: one([2, 3], (x) => tg.leakyRelu(x, { slope: 0.1 }), -2, 2, 0.05),
  elu: one([2, 3], (x) => tg.elu(x, { alpha: 0.7 }), -2, 2, 0.05),
  softmax: one([2, 4], (x) => tg.softmax(x), -3, 3),
  'softmax axis 0': one([3, 2], (x) => tg.softmax(x, { axis: 0 }), -3, 3),
  logSoftmax: one([2, 4], (x) => tg.logSoftmax(x), -3, 3),
  sum: one([2, 3, 2], (x) => tg.sum(x, { axis: [0, 2] })),
  mean: one([2, 3], (x) => tg.mean(x, { axis: 1, keepdims: true })),
  max: { data: fc.tuple(distinct([3, 4])), fn: (x) => tg.max(x, { axis: 1 }) },
  min: { data: fc.tuple(distinct([3, 4])), fn: (x) => tg.min(x) },
  variance: one([3, 4], (x) => tg.variance(x, { axis: 0 })),
  logsumexp: one([3, 4], (x) => tg.logsumexp(x, { axis: -1 }), -3, 3),
  matmul: {
    data: arbMatmulPair({ maxBatchRank: 2, maxDim: 3, vectors: true }).chain((p) =>
      fc.tuple(f64(p.a), f64(p.b)),
    ),
    fn: tg.matmul,
  },
  einsum: { data: fc.tuple(f64([2, 3, 4]), f64([4, 3])), fn: (a, b) => tg.einsum('bij,jk->bik', a, b) },
  'einsum trace-like': { data: fc.tuple(f64([3, 3]), f64([3])), fn: (a, b) => tg.einsum('ij,j->i', a, b) },
  conv1d: {
    data: fc.tuple(f64([2, 4, 7]), f64([6, 2, 3])),
    fn: (x, w) => tg.conv1d(x, w, { stride: 2, padding: 1, dilation: 2, groups: 2 }),
  },
  conv2d: {
    data: fc.tuple(f64([1, 2, 5, 6]), f64([3, 2, 3, 2])),
    fn: (x, w) => tg.conv2d(x, w, { stride: [1, 2], padding: 'same' as never }),
  },
  convTranspose2d: {
    data: fc.tuple(f64([1, 2, 3, 3]), f64([2, 3, 2, 2])),
    fn: (x, w) => tg.convTranspose2d(x, w, { stride: 2, padding: 1, outputPadding: 1 }),
  },
  maxPool2d: { data: fc.tuple(distinct([1, 2, 4, 4])), fn: (x) => tg.maxPool2d(x, { window: 2 }) },
  'maxPool2d overlapping': {
    data: fc.tuple(distinct([1, 1, 5, 5])),
    fn: (x) => tg.maxPool2d(x, { window: 3, stride: 2, padding: 1 } as never),
  },
  'maxPool2d dilation ceilMode': {
    data: fc.tuple(distinct([1, 2, 6, 7])),
    fn: (x) => tg.maxPool2d(x, { window: 2, stride: 2, dilation: 2, padding: 1, ceilMode: true } as never),
  },
  maxPool1d: {
    data: fc.tuple(distinct([2, 2, 7])),
    fn: (x) => tg.maxPool1d(x, { window: 3, stride: 2 } as never),
  },
  maxPool3d: {
    data: fc.tuple(distinct([1, 1, 3, 4, 4])),
    fn: (x) => tg.maxPool3d(x, { window: 2 } as never),
  },
  adaptiveMaxPool2d: {
    data: fc.tuple(distinct([1, 2, 5, 7])),
    fn: (x) => tg.adaptiveMaxPool2d(x, [3, 4] as never),
  },
  adaptiveAvgPool2d: {
    data: fc.tuple(f64([1, 2, 5, 7])),
    fn: (x) => tg.adaptiveAvgPool2d(x, [3, 4] as never),
  },
  'avgPool2d ceilMode countIncludePad false': {
    data: fc.tuple(f64([1, 2, 5, 6])),
    fn: (x) =>
      tg.avgPool2d(x, { window: 3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false } as never),
  },
  avgPool1d: {
    data: fc.tuple(f64([2, 1, 7])),
    fn: (x) => tg.avgPool1d(x, { window: 3, stride: 2, padding: 1 } as never),
  },
  avgPool3d: {
    data: fc.tuple(f64([1, 1, 3, 4, 5])),
    fn: (x) => tg.avgPool3d(x, { window: 2, stride: 1 } as never),
  },
  avgPool2d: {
    data: fc.tuple(f64([1, 2, 5, 4])),
    fn: (x) => tg.avgPool2d(x, { window: [2, 3], stride: 1 } as never),
  },
  reshape: one([2, 3, 2], (x) => tg.reshape(x, [3, -1] as never)),
  transpose: one([2, 3, 4], (x) => tg.transpose(x, { perm: [2, 0, 1] as never })),
  flatten: one([2, 3, 2], (x) => tg.flatten(x)),
  expandDims: one([2, 3], (x) => tg.expandDims(x, 1 as never)),
  squeeze: one([2, 1, 3], (x) => tg.squeeze(x, { axis: 1 as never })),
  broadcastTo: one([3, 1], (x) => tg.broadcastTo(x, [2, 3, 4] as never)),
  concat: { data: fc.tuple(f64([2, 3]), f64([2, 1])), fn: (a, b) => tg.concat([a, b], { axis: 1 }) },
  stack: { data: fc.tuple(f64([2, 3]), f64([2, 3])), fn: (a, b) => tg.stack([a, b], { axis: 1 }) },
  slice: one([4, 5], (x) =>
    tg.slice(x, [
      [1, 4],
      [4, 0, -2],
    ]),
  ),
  pad: one([2, 3], (x) =>
    tg.pad(
      x,
      [
        [1, 0],
        [2, 1],
      ],
      { value: 0.5 },
    ),
  ),
  take: { data: fc.tuple(f64([4, 3]), idx([5], 4)), fn: (x, i) => tg.take(x, i, { axis: 0 }) },
  takeAlongAxis: { data: fc.tuple(f64([3, 4]), idx([3, 2], 4)), fn: (x, i) => tg.takeAlongAxis(x, i, 1) },
};

describe('public ops: jvp and vjp match finite differences (f64)', () => {
  for (const [name, c] of Object.entries(cases)) {
    it(name, () => {
      fc.assert(
        fc.property(c.data, (data) => {
          scope(() => {
            checkGrads(
              c.fn,
              data.map((h) => h.toTensor()),
              name === 'cast' ? { eps: 1e-2, rtol: 1e-5 } : {},
            );
            return 0;
          });
        }),
        { numRuns: 6, seed: 17 },
      );
    });
  }
});
