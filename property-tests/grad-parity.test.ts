/**
 * The parity additions of issue 10 (std, variance correction, max/min with indices, silu,
 * gelu, softplus options, erf, the losses and normalisation layers): jvp and vjp against
 * finite differences in f64 on random values, away from kinks.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import * as tg from '../src/index.ts';
import { scope } from '../src/index.ts';
import type { HostTensor } from '../src/testing/index.ts';
import { arbHostTensor, checkGrads } from '../src/testing/index.ts';
import { distinct } from './prim-cases.ts';

type H = HostTensor<number[]>;
type Fn = (...xs: any[]) => unknown;
interface Case {
  readonly data: fc.Arbitrary<H[]>;
  readonly fn: Fn;
}
const f64 = (shape: number[], min = -1.5, max = 1.5, minAbs = 0) =>
  arbHostTensor(shape, { min, max, minAbs }) as fc.Arbitrary<H>;
const one = (shape: number[], fn: Fn, min?: number, max?: number, minAbs?: number): Case => ({
  data: fc.tuple(f64(shape, min, max, minAbs)),
  fn,
});

/** labels [4, 2] in [0, 3) with 1s to ignore */
const labels = () => tg.tensor(Int32Array.from([0, 2, 1, 1, 2, 0, 1, 2]), [4, 2]) as never;
/** a weight per class (the last dim of x for posWeight, dim 1 for crossEntropy: both 3 here) */
const classWeight = (x: tg.Tensor) => tg.cast(tg.tensor([0.5, 2, 1.5]), x.dtype) as never;

const parityCases: Record<string, Case> = {
  'std correction 1': one([3, 4], (x) => tg.std(x, { axis: 1, correction: 1 })),
  'variance correction 1': one([3, 4], (x) => tg.variance(x, { axis: [0, 1], correction: 1 })),
  'max indices': {
    data: fc.tuple(distinct([3, 4])),
    fn: (x) => tg.max(x, { axis: 1, indices: true }).values,
  },
  'min indices keepdims': {
    data: fc.tuple(distinct([3, 4])),
    fn: (x) => tg.min(x, { axis: 0, keepdims: true, indices: true }).values,
  },
  silu: one([2, 3], tg.silu, -3, 3),
  'gelu exact': one([2, 3], (x) => tg.gelu(x), -3, 3),
  'gelu tanh': one([2, 3], (x) => tg.gelu(x, { approximate: 'tanh' }), -3, 3),
  'softplus beta': one([2, 3], (x) => tg.softplus(x, { beta: 2, threshold: 50 }), -3, 3),
  erf: one([2, 3], tg.erf, -2.5, 2.5),
  'crossEntropy weight ignoreIndex smoothing': one([4, 3, 2], (x) =>
    tg.nn.crossEntropy(x, labels(), { weight: classWeight(x), ignoreIndex: 1, labelSmoothing: 0.1 }),
  ),
  'crossEntropy soft targets': {
    data: fc.tuple(f64([3, 4]), f64([3, 4], 0, 1)),
    fn: (x, q) => tg.nn.crossEntropy(x, q, { reduction: 'sum' }),
  },
  'nllLoss none': one([4, 3, 2], (x) => tg.nn.nllLoss(x, labels(), { reduction: 'none' })),
  'smoothL1Loss and huberLoss': {
    data: fc.tuple(f64([2, 3], -2, 2), f64([2, 3], -2, 2)),
    fn: (a, b) => tg.add(tg.nn.smoothL1Loss(a, b, { beta: 0.7 }), tg.nn.huberLoss(a, b, { delta: 0.6 })),
  },
  'binaryCrossEntropyWithLogits posWeight': {
    data: fc.tuple(f64([2, 3], -4, 4), f64([2, 3], 0, 1)),
    fn: (x, t) => tg.nn.binaryCrossEntropyWithLogits(x, t, { posWeight: classWeight(x) }),
  },
  'batchNorm training': {
    data: fc.tuple(f64([3, 2, 2]), f64([2], 0.5, 1.5), f64([2])),
    fn: (x, gamma, beta) =>
      tg.nn.batchNorm(
        { gamma, beta },
        { mean: tg.mul(gamma, 0) as never, var: tg.add(tg.mul(gamma, 0), 1) as never },
        x,
        {
          training: true,
        },
      )[0],
  },
  groupNorm: {
    data: fc.tuple(f64([2, 4, 3]), f64([4], 0.5, 1.5), f64([4])),
    fn: (x, gamma, beta) => tg.nn.groupNorm({ gamma, beta }, x, 2),
  },
  'layerNorm normalizedShape [2, 3]': {
    data: fc.tuple(f64([2, 2, 3]), f64([2, 3], 0.5, 1.5), f64([2, 3])),
    fn: (x, gamma, beta) => tg.nn.layerNorm({ gamma, beta } as never, x),
  },
  'gru cell': {
    data: fc.tuple(f64([2, 2]), f64([2, 3]), f64([3, 6]), f64([2, 6]), f64([6]), f64([6])),
    fn: (h, x, wx, wh, bx, bh) => tg.nn.gru.cell({ wx, wh, bx, bh }, h, x),
  },
  'rnn relu cell': {
    data: fc.tuple(f64([2, 2]), f64([2, 3]), f64([3, 2]), f64([2, 2]), f64([2])),
    fn: (h, x, wx, wh, b) => tg.nn.rnn.cell({ wx, wh, b }, h, x, { nonlinearity: 'relu' }),
  },
  split: one([3, 4], (x) => tg.split(x, [1, 3], { axis: 1 })),
  flip: one([2, 3], (x) => tg.flip(x, [0, 1])),
  'pad negative widths': one([3, 4], (x) =>
    tg.pad(x, [
      [-1, 2],
      [1, -2],
    ]),
  ),
  'einsum diagonal, ellipsis, three operands': {
    data: fc.tuple(f64([2, 3, 3]), f64([3, 4]), f64([4, 2])),
    fn: (a, b, c) => tg.einsum('...ii,ij,jk->...ik', a, b, c),
  },
  conv3d: {
    data: fc.tuple(f64([1, 2, 3, 4, 3]), f64([4, 1, 2, 2, 2])),
    fn: (x, w) => tg.conv3d(x, w, { stride: [1, 2, 1], padding: 1, groups: 2 }),
  },
  binaryCrossEntropy: {
    data: fc.tuple(f64([2, 3], 0.05, 0.95), f64([2, 3], 0, 1)),
    fn: (p, t) => tg.nn.binaryCrossEntropy(p, t, { reduction: 'sum' }),
  },
};

describe('parity ops: jvp and vjp match finite differences (f64)', () => {
  for (const [name, c] of Object.entries(parityCases)) {
    it(name, () => {
      fc.assert(
        fc.property(c.data, (data) => {
          scope(() => {
            checkGrads(
              c.fn,
              data.map((h) => h.toTensor()),
            );
            return 0;
          });
        }),
        { numRuns: 6, seed: 23 },
      );
    });
  }
});
