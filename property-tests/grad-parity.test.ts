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

export const parityCases: Record<string, Case> = {
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
