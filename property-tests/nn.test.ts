/**
 * Layers and losses of src/nn: jvp and vjp against central finite differences in f64
 * (checkGrads), on random parameters and inputs, with respect to every float argument.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { scope } from '../src/index.ts';
import * as nn from '../src/nn/index.ts';
import * as random from '../src/random/index.ts';
import type { HostTensor } from '../src/testing/index.ts';
import { arbHostTensor, checkGrads } from '../src/testing/index.ts';

type H = HostTensor<number[]>;
type Fn = (...xs: any[]) => unknown;
interface Case {
  readonly data: fc.Arbitrary<H[]>;
  readonly fn: Fn;
}
const f64 = (shape: number[], min = -1.5, max = 1.5, minAbs = 0) =>
  arbHostTensor(shape, { min, max, minAbs }) as fc.Arbitrary<H>;
const ints = (shape: number[], n: number) =>
  arbHostTensor(shape, { dtype: 'i32', min: 0, max: n - 1 }) as unknown as fc.Arbitrary<H>;
const args = (...xs: fc.Arbitrary<H>[]) => fc.tuple(...xs) as fc.Arbitrary<H[]>;

const cases: Record<string, Case> = {
  dense: { data: args(f64([3, 2]), f64([2]), f64([4, 3])), fn: (w, b, x) => nn.dense({ w, b }, x) },
  'dense, batch dims': {
    data: args(f64([3, 2]), f64([2]), f64([2, 2, 3])),
    fn: (w, b, x) => nn.dense({ w, b }, x),
  },
  conv2d: {
    data: args(f64([4, 2, 3, 3]), f64([4]), f64([1, 4, 5, 5])),
    fn: (w, b, x) => nn.conv2d({ w, b }, x, { stride: 2, padding: 1, groups: 2 }),
  },
  'conv2d, dilation': {
    data: args(f64([2, 1, 2, 2]), f64([2]), f64([2, 1, 5, 4])),
    fn: (w, b, x) => nn.conv2d({ w, b }, x, { dilation: 2 }),
  },
  layerNorm: {
    data: args(f64([5]), f64([5]), f64([3, 5])),
    fn: (gamma, beta, x) => nn.layerNorm({ gamma, beta }, x),
  },
  embedding: { data: args(f64([5, 3]), ints([2, 4], 5)), fn: (table, ids) => nn.embedding({ table }, ids) },
  dropout: {
    data: args(f64([4, 5])),
    fn: (x) => nn.dropout(random.key(3), 0.4, x, { training: true }),
  },
  rnn: {
    data: args(f64([2, 3], -1, 1), f64([3, 3], -1, 1), f64([3]), f64([4, 2, 2]), f64([2, 3])),
    fn: (wx, wh, b, xs, h0) => nn.rnn({ wx, wh, b }, xs, { initial: h0 }),
  },
  lstm: {
    data: args(f64([2, 8], -1, 1), f64([2, 8], -1, 1), f64([8]), f64([3, 2, 2]), f64([2, 2]), f64([2, 2])),
    fn: (wx, wh, b, xs, h, c) => nn.lstm({ wx, wh, b }, xs, { initial: { h, c } }),
  },
  'lstm cell': {
    data: args(f64([3, 8]), f64([2, 8]), f64([8]), f64([2, 3]), f64([2, 2]), f64([2, 2])),
    fn: (wx, wh, b, x, h, c) => nn.lstmCell({ wx, wh, b }, { h, c }, x),
  },
  attention: {
    data: args(f64([2, 3, 4]), f64([2, 5, 4]), f64([2, 5, 2])),
    fn: (q, k, v) => nn.attention(q, k, v),
  },
  'attention, causal mask': {
    data: args(f64([4, 3]), f64([4, 3]), f64([4, 2])),
    fn: (q, k, v) => nn.attention(q, k, v, { mask: nn.causalMask(4) }),
  },
  multiHeadAttention: {
    data: args(f64([4, 2, 2]), f64([4, 2, 2]), f64([4, 2, 2]), f64([2, 2, 4]), f64([2, 3, 4])),
    fn: (wq, wk, wv, wo, x) => nn.multiHeadAttention({ wq, wk, wv, wo }, x),
  },
  softmaxCrossEntropy: {
    data: args(f64([4, 5], -3, 3), ints([4], 5)),
    fn: (logits, labels) => nn.softmaxCrossEntropy(logits, labels),
  },
  'softmaxCrossEntropy, label smoothing': {
    data: args(f64([3, 4], -3, 3), ints([3], 4)),
    fn: (logits, labels) => nn.softmaxCrossEntropy(logits, labels, { labelSmoothing: 0.2 }),
  },
  mse: { data: args(f64([3, 4]), f64([3, 4])), fn: (p, t) => nn.mse(p, t) },
  sigmoidBinaryCrossEntropy: {
    // |x| >= 0.05 keeps finite differences off the kinks of max(x, 0) and |x| (which cancel)
    data: args(f64([3, 4], -4, 4, 0.05), f64([3, 4], 0, 1)),
    fn: (x, t) => nn.sigmoidBinaryCrossEntropy(x, t),
  },
};

describe('nn layers and losses: jvp and vjp match finite differences (f64)', () => {
  for (const [name, c] of Object.entries(cases)) {
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
        { numRuns: 4, seed: 23 },
      );
    });
  }
});
